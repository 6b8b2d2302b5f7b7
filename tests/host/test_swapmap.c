// sources: kernel/vm/swapmap.c
// The swap map: slots handed out next-fit, reference counts, bad slots
// never handed out, and the used count back at zero when all are put.
#include <stdio.h>
#include <stdlib.h>
#include "types.h"
#include "vm/swapmap.h"

static int failures;

static void check(int ok, const char *what)
{
  printf("%s swapmap: %s\n", ok ? "PASS" : "FAIL", what);
  if (!ok)
    failures++;
}

static void make_map(struct swapmap *m, uint64 nslots)
{
  for (uint64 i = 0; i < swapmap_chunks(nslots); i++)
    m->chunks[i] = calloc(SWAPMAP_SLOTS_PER_CHUNK, sizeof(uint16));
  swapmap_init(m, nslots);
}

static void free_map(struct swapmap *m)
{
  for (uint64 i = 0; i < swapmap_chunks(m->nslots); i++)
    free(m->chunks[i]);
}

int main(void)
{
  static struct swapmap m;
  // Spans two chunks, so the chunk arithmetic is exercised.
  uint64 n = SWAPMAP_SLOTS_PER_CHUNK + 100;
  make_map(&m, n);
  check(swapmap_chunks(n) == 2 && swapmap_chunks(SWAPMAP_SLOTS_PER_CHUNK) == 1,
        "chunks needed round up");
  swapmap_mark_bad(&m, 0);   // the header page
  swapmap_mark_bad(&m, 5);
  check(m.usable == n - 2 && m.used == 0, "bad slots leave the usable count");

  long first = swapmap_alloc(&m);
  long second = swapmap_alloc(&m);
  check(first == 1 && second == 2, "slots come out in order, skipping bad slot 0");
  int ok = 1;
  for (int i = 3; i < 8; i++) {
    long s = swapmap_alloc(&m);
    ok &= s == (i < 5 ? i : i + 1);
  }
  check(ok, "bad slot 5 is skipped; neighbours stay neighbours");
  check(m.used == 7, "used counts allocated slots");

  check(swapmap_dup(&m, 2) == 0 && swapmap_dup(&m, 2) == 0 && swapmap_count(&m, 2) == 3,
        "dup adds references");
  check(swapmap_dup(&m, 100) == -1 && swapmap_put(&m, 100) == -1 && m.used == 7,
        "dup or put of a free slot is refused");
  check(swapmap_put(&m, 2) == 2 && swapmap_put(&m, 2) == 1 && m.used == 7,
        "a slot with references left stays used");
  check(swapmap_put(&m, 2) == 0 && m.used == 6, "the last put frees the slot");
  check(swapmap_alloc(&m) == 9, "next-fit goes on past the hand, not back to the hole");

  // Fill the map: every usable slot once, then -1.
  uint64 got = m.used;
  while (swapmap_alloc(&m) >= 0)
    got++;
  check(got == m.usable && m.used == m.usable, "all usable slots can be handed out");
  check(swapmap_alloc(&m) == -1, "a full map refuses");
  check(swapmap_count(&m, 2) == 1, "the hole at slot 2 was found on wrapping around");

  // A slot going bad while in use: counted out of usable at once, and
  // never handed out again after its last put.
  uint64 usable = m.usable, used = m.used;
  check(swapmap_dup(&m, 3) == 0, "dup before going bad");
  swapmap_mark_bad(&m, 3);
  check(m.usable == usable - 1 && m.used == used - 1 && swapmap_is_bad(&m, 3) && !swapmap_is_bad(&m, 4),
        "a used slot marked bad leaves both counts");
  swapmap_put(&m, 3);
  check(swapmap_put(&m, 3) == 0 && m.used == used - 1, "its last put does not make it free");
  for (uint64 s = 0; s < n; s++)
    if (s != 3 && swapmap_count(&m, s) > 0)
      swapmap_put(&m, s);
  check(m.used == 0, "all put: nothing used");
  ok = 1;
  for (long s; (s = swapmap_alloc(&m)) >= 0;)
    ok &= s != 0 && s != 3 && s != 5;
  check(ok && m.used == m.usable, "bad slots are never handed out");
  free_map(&m);

  printf("%s swapmap\n", failures ? "FAIL" : "PASS");
  return failures ? 1 : 0;
}
