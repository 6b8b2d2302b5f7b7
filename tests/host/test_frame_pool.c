// sources: kernel/vm/frame_pool.c kernel/lib/string.c
// The frame pool's bookkeeping: frames added, taken and given back, with
// holes that were never added staying out of reach.
#include <stdio.h>
#include <stdlib.h>
#include "types.h"
#include "riscv.h"
#include "vm/frame_pool.h"

static int failures;

static void check(int ok, const char *what)
{
  printf("%s frame_pool: %s\n", ok ? "PASS" : "FAIL", what);
  if (!ok)
    failures++;
}

int main(void)
{
  enum { N = 64 };
  static struct frame frames[N];
  struct frame_pool pool;
  uint64 base = 0x80000000UL;
  pool_init(&pool, frames, base, N);

  // Add every frame but a hole at 10..19 (say, the kernel image).
  for (int i = 0; i < N; i++)
    if (i < 10 || i >= 20)
      pool_add(&pool, base + (uint64)i * PGSIZE);
  check(pool.nfree == N - 10 && pool.managed == N - 10, "added frames are free, holes are not");
  check(frames[15].use == FRAME_KERNEL && frames[15].refcount == 1, "a hole looks permanently in use");
  pool_add(&pool, base + (uint64)N * PGSIZE);
  check(pool.managed == N - 10, "a frame past the table is ignored");

  // Take them all: each once, never a hole, then none.
  static int seen[N];
  int taken = 0, dup = 0, hole = 0;
  struct frame *f;
  struct frame *all[N];
  while ((f = pool_take(&pool))) {
    uint64 pa = pool_pa(&pool, f);
    int i = (int)((pa - base) / PGSIZE);
    dup |= seen[i]++;
    hole |= (i >= 10 && i < 20);
    all[taken++] = f;
    if (f->refcount != 1)
      dup = 1;
  }
  check(taken == N - 10 && !dup && !hole, "every free frame is taken exactly once, refcount 1");
  check(pool.nfree == 0 && pool_take(&pool) == 0, "an empty pool gives nothing");

  // Give back half; they come back again.
  for (int i = 0; i < taken / 2; i++)
    pool_give(&pool, all[i]);
  check(pool.nfree == (uint64)taken / 2, "given frames are free again");
  check(all[0]->use == FRAME_FREE && all[0]->owner == 0, "a given frame is marked free");

  check(pool_frame(&pool, base + 5 * PGSIZE + 123) == &frames[5], "an address maps to its frame");
  check(pool_frame(&pool, base - 1) == 0 && pool_frame(&pool, base + N * PGSIZE) == 0,
        "addresses outside the table have no frame");
  return failures ? 1 : 0;
}
