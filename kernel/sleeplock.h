// A lock that may be held for a long time (across disk I/O): waiters sleep
// instead of spinning.
#pragma once
#include "spinlock.h"

struct sleeplock {
  uint locked;
  struct spinlock lk;
  const char *name;
  int pid;
};

void sleeplock_init(struct sleeplock *lk, const char *name);
void acquiresleep(struct sleeplock *lk);
void releasesleep(struct sleeplock *lk);
int holdingsleep(struct sleeplock *lk);
