// sources: kernel/vm/policy.c kernel/lib/string.c tests/host/refsim.c
// The kernel's replacement policies against the reference simulator: run
// the way the kernel's local sets run them (frames filled lowest first, R
// set by every reference, D by writes and cleared on load), they must make
// exactly the faults tests/refsim makes, on the textbook strings and on
// thousands of random ones, for every frame count from 1 to 12.
#include <stdio.h>
#include <stdlib.h>
#include "types.h"
#include "vm/policy.h"
#include "tests/host/refsim.h"

static int failures;

static void check(int ok, const char *what)
{
  printf("%s policy: %s\n", ok ? "PASS" : "FAIL", what);
  if (!ok)
    failures++;
}

// The kernel's view: frame i holds page[i]; faults counted as localset.c
// would.
static long kernel_faults(enum vm_policy policy, int nframes, const long *pages,
                          const int *writes, int n)
{
  long page[64];
  struct policy_frame bits[64];
  int used = 0, hand = 0;
  long faults = 0;
  for (int i = 0; i < n; i++) {
    int f = 0;
    while (f < used && page[f] != pages[i])
      f++;
    if (f == used) {
      faults++;
      f = used < nframes ? used++ : policy_victim(policy, bits, nframes, &hand);
      page[f] = pages[i];
      bits[f].dirty = 0;
    }
    bits[f].referenced = 1;
    if (writes[i])
      bits[f].dirty = 1;
  }
  return faults;
}

// The global pager's way (pageout.c): the hand meets every frame of RAM,
// some of which no policy may take (kernel memory, busy pages), and asks
// policy_scan_frame about the others.  Its victim and the R bits it
// leaves must be policy_victim's over the takeable frames alone.
static int skipping_scan_agrees(enum vm_policy policy, int n)
{
  struct policy_frame bits[32], compact[32];
  int takeable[32], index_of[32], m = 0;
  for (int i = 0; i < n; i++) {
    bits[i].referenced = rand() % 2;
    bits[i].dirty = rand() % 2;
    takeable[i] = m == 0 || rand() % 3 != 0;
    if (takeable[i]) {
      index_of[m] = i;
      compact[m++] = bits[i];
    }
  }
  int hand = 0;
  int want = index_of[policy_victim(policy, compact, m, &hand)];
  struct policy_scan s;
  policy_scan_start(&s, policy, (uint64)n);
  int got = -1;
  for (int i = 0; got < 0 && !policy_scan_done(&s); i = (i + 1) % n) {
    if (!takeable[i]) {
      policy_scan_skip(&s);
      continue;
    }
    enum policy_verdict v = policy_scan_frame(&s, bits[i].referenced, bits[i].dirty);
    if (v == POLICY_EVICT)
      got = i;
    else if (v == POLICY_SECOND_CHANCE)
      bits[i].referenced = 0;
  }
  if (got != want)
    return 0;
  // Both met the takeable frames in the same order: the R bits they
  // cleared must be the same.
  for (int k = 0; k < m; k++)
    if (bits[index_of[k]].referenced != compact[k].referenced)
      return 0;
  return 1;
}

static const enum refsim_policy twin[NPOLICY] = {
  [POLICY_CLOCK] = REFSIM_CLOCK, [POLICY_ECLOCK] = REFSIM_ECLOCK, [POLICY_FIFO] = REFSIM_FIFO,
};

int main(void)
{
  long belady[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
  int none[12] = { 0 };
  check(kernel_faults(POLICY_FIFO, 3, belady, none, 12) == 9 &&
        kernel_faults(POLICY_FIFO, 4, belady, none, 12) == 10,
        "FIFO shows Belady's anomaly: 9 faults with 3 frames, 10 with 4");
  check(policy_by_name("eclock") == POLICY_ECLOCK && policy_by_name("lru") == -1 &&
        policy_name(POLICY_FIFO) && policy_by_name(policy_name(POLICY_FIFO)) == POLICY_FIFO,
        "names");

  check(policy_in_force() == POLICY_CLOCK, "clock is in force until set");
  check(policy_from_bootargs("") == POLICY_BOOTARG_ABSENT &&
        policy_from_bootargs("console=ttyS0 vm.policyx=fifo") == POLICY_BOOTARG_ABSENT &&
        policy_from_bootargs("vm.policy=eclock") == POLICY_ECLOCK &&
        policy_from_bootargs("  quiet vm.policy=fifo  ") == POLICY_FIFO &&
        policy_from_bootargs("vm.policy=fifo vm.policy=clock") == POLICY_CLOCK &&
        policy_from_bootargs("vm.policy=lru") == POLICY_BOOTARG_UNKNOWN &&
        policy_from_bootargs("vm.policy=eclockwork") == POLICY_BOOTARG_UNKNOWN &&
        policy_from_bootargs("vm.policy=") == POLICY_BOOTARG_ABSENT,
        "vm.policy= on the kernel command line");

  srand(99);
  int disagree[NPOLICY] = { 0 };
  for (int t = 0; t < 20000; t++)
    for (int p = 0; p < NPOLICY; p++)
      disagree[p] += !skipping_scan_agrees(p, 1 + rand() % 32);
  for (int p = 0; p < NPOLICY; p++) {
    char what[96];
    snprintf(what, sizeof(what), "%s: the global scan, passing untakeable frames, "
             "picks policy_victim's victim", policy_name(p));
    check(disagree[p] == 0, what);
  }

  srand(1234);
  enum { STRINGS = 3000, MAXLEN = 200 };
  long pages[MAXLEN];
  int writes[MAXLEN];
  int mismatches[NPOLICY] = { 0 };
  for (int s = 0; s < STRINGS; s++) {
    int n = 1 + rand() % MAXLEN, distinct = 1 + rand() % 16;
    for (int i = 0; i < n; i++) {
      // Some locality, so that hits and second chances both happen.
      pages[i] = i > 0 && rand() % 3 == 0 ? pages[i - 1] : rand() % distinct;
      writes[i] = rand() % 4 == 0;
    }
    for (int p = 0; p < NPOLICY; p++)
      for (int frames = 1; frames <= 12; frames++)
        if (kernel_faults(p, frames, pages, writes, n) !=
            refsim_faults(twin[p], frames, pages, writes, n))
          mismatches[p]++;
  }
  for (int p = 0; p < NPOLICY; p++) {
    char what[96];
    snprintf(what, sizeof(what), "%s matches the simulator on %d random strings x 12 frame counts",
             policy_name(p), STRINGS);
    check(mismatches[p] == 0, what);
  }
  printf("%s policy\n", failures ? "FAIL" : "PASS");
  return failures ? 1 : 0;
}
