#include "types.h"
#include "riscv.h"
#include "param.h"
#include "spinlock.h"
#include "proc.h"
#include "printf.h"
#include "timer.h"
#include "vm/vm.h"
#include "vm/oom.h"
#include "vm/frame.h"

struct choice {
  struct proc *victim;
  int pid;
  uint64 footprint;
};

// p->lock held (so p->vm stays).
static void consider(struct proc *p, void *arg)
{
  struct choice *c = arg;
  if (proc_is_init(p))
    return;   // it reaps orphans; the kernel cannot go on without it
  uint64 present, swapped;
  pmap_count(&p->vm->pmap, 0, MAXVA, &present, &swapped);
  if (!c->victim || present + swapped > c->footprint) {
    c->victim = p;
    c->pid = p->pid;
    c->footprint = present + swapped;
  }
}

int oom_kill(void)
{
  // Memory came back since the caller's try failed (a process exited).
  if (frame_user_available())
    return 0;
  // A victim still exiting is about to free its memory: wait for that,
  // rather than take a second victim (often the one that is merely next
  // in size) while the first one's frames are on their way back.
  if (proc_any_dying()) {
    tick_wait();
    return 0;
  }
  struct choice c = { 0, 0, 0 };
  proc_each_user(consider, &c);
  struct proc *me = myproc();
  if (!c.victim || c.victim == me) {
    printf("pid %d (%s): killed: out of memory and swap\n", me->pid, me->name);
    setkilled(me);
    return -1;
  }
  // Someone else: unless already dying, it dies now; give it a tick to
  // exit and free its memory, then the caller tries again.
  acquire(&c.victim->lock);
  if (c.victim->pid == c.pid && !c.victim->killed && c.victim->state != ZOMBIE && c.victim->state != UNUSED) {
    printf("pid %d (%s): killed: out of memory and swap\n", c.victim->pid, c.victim->name);
    c.victim->killed = 1;
    if (c.victim->state == SLEEPING)
      c.victim->state = RUNNABLE;
  }
  release(&c.victim->lock);
  tick_wait();
  return 0;
}
