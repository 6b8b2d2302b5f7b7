// Mutual exclusion between harts.  Holding a spinlock keeps interrupts
// off on this hart, so an interrupt handler can never deadlock against
// the code it interrupted.
#pragma once
#include "types.h"

struct cpu;

struct spinlock {
  uint locked;
  const char *name;
  struct cpu *cpu;   // the hart holding it, for holding() and debugging
};

void spin_init(struct spinlock *lk, const char *name);
void acquire(struct spinlock *lk);
void release(struct spinlock *lk);
// acquire() if the lock is free now; 0 (nothing held) if it is not.  For
// taking locks against the usual order (see docs/locking.md).
int try_acquire(struct spinlock *lk);
int holding(struct spinlock *lk);

// Nestable interrupt disabling: pop_off re-enables only at the outermost
// level, and only if interrupts were on at the first push_off.
void push_off(void);
void pop_off(void);
