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

enum { N = 64 };
static struct frame frames[N];
static const uint64 base = 0x80000000UL;

struct taking {
  int seen[N];
  struct frame *all[N];
  int taken;
  int bad;   // a frame taken twice, a hole, or a refcount other than 1
};

// Takes frames while more than keep are free, checking each.
static void take_all(struct frame_pool *pool, uint64 keep, struct taking *t)
{
  struct frame *f;
  while ((f = pool_take(pool, keep))) {
    int i = (int)((pool_pa(pool, f) - base) / PGSIZE);
    t->bad |= t->seen[i]++ || (i >= 10 && i < 20) || f->refcount != 1;
    t->all[t->taken++] = f;
  }
}

int main(void)
{
  struct frame_pool pool;
  pool_init(&pool, frames, base, N);

  // Add every frame but a hole at 10..19 (say, the kernel image).
  for (int i = 0; i < N; i++)
    if (i < 10 || i >= 20)
      pool_add(&pool, base + (uint64)i * PGSIZE);
  check(pool.nfree == N - 10 && pool.managed == N - 10, "added frames are free, holes are not");
  check(frames[15].use == FRAME_KERNEL && frames[15].refcount == 1, "a hole looks permanently in use");
  pool_add(&pool, base + (uint64)N * PGSIZE);
  check(pool.managed == N - 10, "a frame past the table is ignored");

  // Take all but a reserve of 5, then the reserve itself: each frame
  // once, never a hole, then none.
  struct taking t = { 0 };
  take_all(&pool, 5, &t);
  check(t.taken == N - 15 && pool.nfree == 5, "a take above a reserve stops with the reserve free");
  take_all(&pool, 0, &t);
  check(t.taken == N - 10 && !t.bad, "every free frame is taken exactly once, refcount 1");
  check(pool.nfree == 0 && pool_take(&pool, 0) == 0, "an empty pool gives nothing");

  // Give back half; they come back again.
  for (int i = 0; i < t.taken / 2; i++)
    pool_give(&pool, t.all[i]);
  check(pool.nfree == (uint64)t.taken / 2, "given frames are free again");
  check(t.all[0]->use == FRAME_FREE && t.all[0]->owner == 0, "a given frame is marked free");

  check(pool_frame(&pool, base + 5 * PGSIZE + 123) == &frames[5], "an address maps to its frame");
  check(pool_frame(&pool, base - 1) == 0 && pool_frame(&pool, base + N * PGSIZE) == 0,
        "addresses outside the table have no frame");
  return failures ? 1 : 0;
}
