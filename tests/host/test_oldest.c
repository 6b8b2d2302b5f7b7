// sources: kernel/vm/oldest.c
// The oldest pages for global FIFO: on random stamps (unique, as load
// stamps are), what oldest_offer keeps must be the smallest stamps above
// the cutoff, in order, with their frames; and sweeping again with the
// cutoff at the last stamp kept must go on where the last sweep stopped.
#include <stdio.h>
#include <stdlib.h>
#include "types.h"
#include "vm/oldest.h"

static int failures;

static void check(int ok, const char *what)
{
  printf("%s oldest: %s\n", ok ? "PASS" : "FAIL", what);
  if (!ok)
    failures++;
}

#define FRAMES 500

static uint64 stamp_of[FRAMES];

static int by_stamp(const void *a, const void *b)
{
  uint64 x = stamp_of[*(const int *)a], y = stamp_of[*(const int *)b];
  return x < y ? -1 : x > y;
}

int main(void)
{
  srand(42);
  int wrong = 0, sweeps_wrong = 0;
  for (int t = 0; t < 2000; t++) {
    int n = 1 + rand() % FRAMES;
    int order[FRAMES];
    for (int i = 0; i < n; i++) {
      stamp_of[i] = (uint64)i * 7 + 1 + rand() % 7;   // unique
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {   // frames in memory are in no order
      int j = rand() % (i + 1);
      uint64 s = stamp_of[i];
      stamp_of[i] = stamp_of[j];
      stamp_of[j] = s;
    }
    qsort(order, n, sizeof(int), by_stamp);
    int want = 1 + rand() % OLDEST_MAX;
    // Every frame, oldest first, in sweeps of `want`.
    uint64 after = 0;
    int next = 0;
    for (int sweep = 0; next < n; sweep++) {
      struct oldest o;
      oldest_start(&o, want, after);
      for (int i = 0; i < n; i++)
        oldest_offer(&o, (uint64)i, stamp_of[i]);
      int expect = n - next < want ? n - next : want;
      if (o.n != expect) {
        wrong++;
        break;
      }
      for (int k = 0; k < o.n; k++, next++)
        if (o.index[k] != (uint64)order[next] || o.stamp[k] != stamp_of[order[next]])
          wrong++;
      after = o.stamp[o.n - 1];
      if (sweep > n)
        sweeps_wrong++;
    }
    struct oldest o;
    oldest_start(&o, want, after);
    for (int i = 0; i < n; i++)
      oldest_offer(&o, (uint64)i, stamp_of[i]);
    sweeps_wrong += o.n != 0;
  }
  check(wrong == 0, "each sweep keeps the oldest frames above the cutoff, oldest first (2000 cases)");
  check(sweeps_wrong == 0, "sweeps with the cutoff moved on visit every frame once, then none");
  struct oldest o;
  oldest_start(&o, 100, 0);
  check(o.want == OLDEST_MAX, "at most OLDEST_MAX are kept");
  printf("%s oldest\n", failures ? "FAIL" : "PASS");
  return failures ? 1 : 0;
}
