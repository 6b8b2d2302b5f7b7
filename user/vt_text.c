// vt_text: a helper for lazytest.  Its image carries a 64 KiB read-only
// table, so that lazytest can measure how much of a program the kernel
// reads from the file, and whether two processes running it share pages.
//   vt_text        exits 0 at once (a program known to run)
//   vt_text N      writes 's' to fd 1 (it has started), waits for one byte
//                  on fd 0, reads the first N pages of the table and checks
//                  them, writes 'y' (as expected) or 'n' to fd 1, waits for
//                  the end of fd 0's input, and exits 0 or 1 (so lazytest
//                  decides when it goes away).
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "user/user.h"

#define TABLE_PAGES 16   // lazytest's TEXT_HELPER_TABLE_PAGES

// A page read from the wrong place of the file shows up as a wrong first
// or last byte.
#define PAGE(i) [i][0] = (i) + 1, [i][PGSIZE - 1] = 0x5a
static const unsigned char table[TABLE_PAGES][PGSIZE] __attribute__((aligned(PGSIZE))) = {
  PAGE(0), PAGE(1), PAGE(2), PAGE(3), PAGE(4), PAGE(5), PAGE(6), PAGE(7),
  PAGE(8), PAGE(9), PAGE(10), PAGE(11), PAGE(12), PAGE(13), PAGE(14), PAGE(15),
};

int main(int argc, char *argv[])
{
  if (argc < 2)
    return 0;
  int pages = atoi(argv[1]);
  char c;
  write(1, "s", 1);
  if (read(0, &c, 1) != 1)
    return 1;
  int ok = pages >= 0 && pages <= TABLE_PAGES;
  for (int i = 0; ok && i < pages; i++) {
    const volatile unsigned char *page = table[i];
    ok = page[0] == i + 1 && page[PGSIZE - 1] == 0x5a && page[PGSIZE / 2] == 0;
  }
  write(1, ok ? "y" : "n", 1);
  while (read(0, &c, 1) == 1)
    ;
  return ok ? 0 : 1;
}
