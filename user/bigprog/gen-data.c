// Host tool: writes MIB mebibytes of bigprog's data (pattern.h) to FILE,
// which user/bigprog.c includes in its read-only data with .incbin.
//   gen-data MIB FILE
#include <stdio.h>
#include <stdlib.h>
#include "pattern.h"

int main(int argc, char *argv[])
{
  if (argc != 3 || atoi(argv[1]) <= 0) {
    fprintf(stderr, "usage: gen-data MIB FILE\n");
    return 2;
  }
  unsigned long pages = (unsigned long)atoi(argv[1]) * 256;
  FILE *f = fopen(argv[2], "wb");
  if (!f) {
    perror(argv[2]);
    return 1;
  }
  static unsigned long page[BIGPROG_WORDS_PER_PAGE];
  for (unsigned long p = 0; p < pages; p++) {
    for (int w = 0; w < BIGPROG_WORDS_PER_PAGE; w++)
      page[w] = bigprog_word(p, (unsigned long)w);
    if (fwrite(page, sizeof page, 1, f) != 1) {
      perror(argv[2]);
      return 1;
    }
  }
  return fclose(f) == 0 ? 0 : 1;
}
