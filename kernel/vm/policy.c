#include "types.h"
#include "vm/policy.h"
#include "lib/lib.h"

static const char *const names[NPOLICY] = {
  [POLICY_CLOCK] = "clock",
  [POLICY_ECLOCK] = "eclock",
  [POLICY_FIFO] = "fifo",
};

const char *policy_name(enum vm_policy policy)
{
  return policy >= 0 && policy < NPOLICY ? names[policy] : 0;
}

int policy_by_name(const char *name)
{
  for (int p = 0; p < NPOLICY; p++)
    if (strcmp(name, names[p]) == 0)
      return p;
  return -1;
}

// The first frame from the hand on, in one sweep, whose bits are (r, d);
// with clear_passed, every frame passed over loses its R bit.  -1 if none.
static int sweep(struct policy_frame *f, int n, int hand, int r, int d, int clear_passed)
{
  for (int k = 0; k < n; k++) {
    int i = (hand + k) % n;
    if (f[i].referenced == r && f[i].dirty == d)
      return i;
    if (clear_passed)
      f[i].referenced = 0;
  }
  return -1;
}

int policy_victim(enum vm_policy policy, struct policy_frame *f, int n, int *hand)
{
  int victim = *hand % n;
  switch (policy) {
  case POLICY_FIFO:
    // Pages fill the frames in order and each new one takes its victim's
    // frame, so the frames at and after the hand are in load order.
    break;
  case POLICY_CLOCK:
    while (f[victim].referenced) {
      f[victim].referenced = 0;   // its second chance
      victim = (victim + 1) % n;
    }
    break;
  case POLICY_ECLOCK:
    // Not used and clean; then not used and dirty, clearing R on the way;
    // after that every R is clear, and the same two sweeps must succeed.
    victim = -1;
    for (int round = 0; round < 2 && victim < 0; round++)
      if ((victim = sweep(f, n, *hand, 0, 0, 0)) < 0)
        victim = sweep(f, n, *hand, 0, 1, 1);
    break;
  case NPOLICY:
    break;
  }
  *hand = (victim + 1) % n;
  return victim;
}
