// bigprog: a program whose file is larger than RAM (issue 6).  Its
// read-only data, BIGPROG_MIB mebibytes written by user/bigprog/gen-data.c,
// is part of its text segment, so exec maps it from the file and each page
// comes in on first touch; with less RAM than that, the pager must drop
// the pages read earlier (clean file pages: no write) and a second pass
// must read them from the file again.
//
// Checks every word in order, then every page again in a scattered order,
// and that the kernel read more pages from files than the data has (the
// pages came and went).  Prints "bigprog: OK" or a FAIL line.
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "kernel/vmstat.h"
#include "user/user.h"
#include "user/bigprog/pattern.h"

// The data, aligned to a page so that page p of it is page p of the
// pattern.  BIGPROG_DATA (the generated file) comes from the Makefile.
__asm__(".section .rodata\n"
        ".balign 4096\n"
        "bigdata:\n"
        ".incbin \"" BIGPROG_DATA "\"\n"
        "bigdata_end:\n"
        ".previous\n");
extern const uint64 bigdata[];
extern const char bigdata_end[];

static struct vmstat st;

static uint64 file_pages_read(void)
{
  if (vmstat(&st) < 0) {
    printf("FAIL bigprog: vmstat failed\n");
    exit(1);
  }
  return st.file_pages_read;
}

static void check_page(uint64 p)
{
  const uint64 *w = bigdata + p * BIGPROG_WORDS_PER_PAGE;
  for (uint64 i = 0; i < BIGPROG_WORDS_PER_PAGE; i++)
    if (w[i] != bigprog_word(p, i)) {
      printf("FAIL bigprog: page %lu word %lu: expected 0x%lx, found 0x%lx\n", p, i,
             bigprog_word(p, i), w[i]);
      exit(1);
    }
}

int main(void)
{
  uint64 pages = (uint64)(bigdata_end - (const char *)bigdata) / PGSIZE;
  uint64 ram = (vmstat(&st), st.frames_total);
  uint64 before = file_pages_read();
  for (uint64 p = 0; p < pages; p++)
    check_page(p);
  // A stride coprime to the page count visits every page once, far apart.
  uint64 stride = 7919;
  while (pages % stride == 0)
    stride += 2;
  for (uint64 k = 0, p = 0; k < pages; k++, p = (p + stride) % pages)
    check_page(p);
  uint64 read = file_pages_read() - before;
  printf("bigprog: %lu MiB of data in %lu MiB of RAM, %lu pages read from the file\n",
         pages / 256, ram / 256, read);
  if (pages > ram && read <= pages) {
    printf("FAIL bigprog: %lu pages of data, more than RAM, but only %lu read: none came back\n",
           pages, read);
    exit(1);
  }
  printf("bigprog: OK\n");
  return 0;
}
