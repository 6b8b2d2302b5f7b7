// sources: kernel/vm/anon_slots.c
// The table of swapped-out shared anonymous pages: entries found by
// (object, page index) and only by that, taken once, and every entry of a
// dying object found, whatever bucket it hashed to.
#include <stdio.h>
#include <stdlib.h>
#include "types.h"
#include "vm/anon_slots.h"

static int failures;

static void check(int ok, const char *what)
{
  printf("%s anon_slots: %s\n", ok ? "PASS" : "FAIL", what);
  if (!ok)
    failures++;
}

#define N 2000

int main(void)
{
  static struct anon_slots t;
  static struct anon_slot e[2 * N];
  // Two objects with the same page indexes, more entries than buckets.
  int a, b;
  const void *obj_a = &a, *obj_b = &b;
  for (int i = 0; i < N; i++) {
    e[i] = (struct anon_slot){ .obj = obj_a, .pgidx = (uint64)i, .slot = 1000 + (uint64)i };
    e[N + i] = (struct anon_slot){ .obj = obj_b, .pgidx = (uint64)i, .slot = 5000 + (uint64)i };
    anon_slots_add(&t, &e[i]);
    anon_slots_add(&t, &e[N + i]);
  }
  check(t.count == 2 * N, "count after adding");

  struct anon_slot *x = anon_slots_take(&t, obj_b, 17);
  check(x == &e[N + 17] && x->slot == 5017, "take finds the right object's page");
  check(anon_slots_take(&t, obj_b, 17) == 0, "a taken entry is gone");
  x = anon_slots_take(&t, obj_a, 17);
  check(x && x->slot == 1017, "the other object's same index is still there");
  check(anon_slots_take(&t, obj_a, N + 5) == 0, "an index never added is not found");
  check(t.count == 2 * N - 2, "count after two takes");

  // A dying object: every one of its entries, and none of the other's.
  int taken = 0, wrong = 0;
  while ((x = anon_slots_take_any(&t, obj_a)) != 0) {
    taken++;
    wrong += x->obj != obj_a;
  }
  check(taken == N - 1 && wrong == 0, "take_any(obj) yields all of obj's entries, only them");
  check(t.count == N - 1, "the other object's entries remain");
  const struct anon_slot *any = anon_slots_any(&t);
  check(any && any->obj == obj_b, "any() shows a remaining entry");
  check(anon_slots_any(&t) == any, "any() leaves it in place");
  taken = 0;
  while (anon_slots_take_any(&t, 0))
    taken++;
  check(taken == N - 1 && t.count == 0 && anon_slots_any(&t) == 0, "take_any(0) empties the table");
  return failures ? 1 : 0;
}
