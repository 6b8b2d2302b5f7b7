// wc: counts the lines, words and bytes of each named file, or of the
// standard input if none.
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

static char buf[512];

static int is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v';
}

static int wc(int fd, const char *name)
{
  int lines = 0, words = 0, bytes = 0;
  int in_word = 0;
  int n;

  while ((n = read(fd, buf, sizeof(buf))) > 0) {
    bytes += n;
    for (int i = 0; i < n; i++) {
      if (buf[i] == '\n')
        lines++;
      if (is_space(buf[i])) {
        in_word = 0;
      } else if (!in_word) {
        in_word = 1;
        words++;
      }
    }
  }
  if (n < 0) {
    fprintf(2, "wc: read error on %s\n", name);
    return -1;
  }
  printf("%d %d %d %s\n", lines, words, bytes, name);
  return 0;
}

int main(int argc, char *argv[])
{
  if (argc < 2)
    return wc(0, "") < 0;
  for (int i = 1; i < argc; i++) {
    int fd = open(argv[i], O_RDONLY);
    if (fd < 0) {
      fprintf(2, "wc: cannot open %s\n", argv[i]);
      return 1;
    }
    int r = wc(fd, argv[i]);
    close(fd);
    if (r < 0)
      return 1;
  }
  return 0;
}
