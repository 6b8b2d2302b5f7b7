#include "types.h"
#include "vm/policy.h"
#include "lib/lib.h"

static const char *const names[NPOLICY] = {
  [POLICY_CLOCK] = "clock",
  [POLICY_ECLOCK] = "eclock",
  [POLICY_FIFO] = "fifo",
};

// Laps each policy makes at most: see struct policy_scan.
static const int sweeps[NPOLICY] = {
  [POLICY_CLOCK] = 2,
  [POLICY_ECLOCK] = 4,
  [POLICY_FIFO] = 1,
};

static int in_force = POLICY_CLOCK;

enum vm_policy policy_in_force(void)
{
  return __atomic_load_n(&in_force, __ATOMIC_RELAXED);
}

void policy_set(enum vm_policy policy)
{
  __atomic_store_n(&in_force, policy, __ATOMIC_RELAXED);
}

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

int policy_from_bootargs(const char *bootargs)
{
  static const char key[] = "vm.policy=";
  const int keylen = sizeof(key) - 1;
  int found = POLICY_BOOTARG_ABSENT;
  for (const char *w = bootargs; *w;) {
    int len = 0;
    while (w[len] && w[len] != ' ')
      len++;
    if (len > keylen && strncmp(w, key, keylen) == 0) {
      char name[8];
      int namelen = len - keylen;
      found = POLICY_BOOTARG_UNKNOWN;
      if (namelen < (int)sizeof(name)) {
        memmove(name, w + keylen, namelen);
        name[namelen] = 0;
        int p = policy_by_name(name);
        if (p >= 0)
          found = p;
      }
    }
    w += len;
    while (*w == ' ')
      w++;
  }
  return found;
}

void policy_scan_start(struct policy_scan *s, enum vm_policy policy, uint64 frames)
{
  *s = (struct policy_scan){ .policy = policy, .frames = frames };
}

void policy_scan_skip(struct policy_scan *s)
{
  if (++s->seen == s->frames) {
    s->seen = 0;
    s->sweep++;
  }
}

int policy_scan_done(const struct policy_scan *s)
{
  return s->sweep >= sweeps[s->policy];
}

enum policy_verdict policy_scan_frame(struct policy_scan *s, int referenced, int dirty)
{
  enum policy_verdict v = POLICY_EVICT;
  switch (s->policy) {
  // LAB replacement BEGIN
  case POLICY_CLOCK:
    if (referenced)
      v = POLICY_SECOND_CHANCE;
    break;
  case POLICY_ECLOCK:
    // Even laps: not used and clean, no bits changed.  Odd laps: not used
    // and dirty, clearing R of every frame passed over; after two laps
    // every R is clear and the next two must succeed.
    if (s->sweep % 2 == 0)
      v = !referenced && !dirty ? POLICY_EVICT : POLICY_PASS;
    else
      v = !referenced && dirty ? POLICY_EVICT : POLICY_SECOND_CHANCE;
    break;
  // LAB replacement STUB
  // // Lab replacement: CLOCK and ECLOCK take the first frame they meet,
  // // as FIFO does, whatever its R and D bits say.
  // case POLICY_CLOCK:
  // case POLICY_ECLOCK:
  //   break;
  // LAB replacement END
  case POLICY_FIFO:
  case NPOLICY:
    break;
  }
  policy_scan_skip(s);
  return v;
}

int policy_victim(enum vm_policy policy, struct policy_frame *f, int n, int *hand)
{
  struct policy_scan s;
  policy_scan_start(&s, policy, (uint64)n);
  // FIFO: pages fill the frames in order and each new one takes its
  // victim's frame, so the frames at and after the hand are in load order.
  int victim = *hand % n;
  while (!policy_scan_done(&s)) {
    enum policy_verdict v = policy_scan_frame(&s, f[victim].referenced, f[victim].dirty);
    if (v == POLICY_EVICT)
      break;
    if (v == POLICY_SECOND_CHANCE)
      f[victim].referenced = 0;
    victim = (victim + 1) % n;
  }
  *hand = (victim + 1) % n;
  return victim;
}
