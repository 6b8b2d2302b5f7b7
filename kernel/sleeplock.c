#include "types.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"

void sleeplock_init(struct sleeplock *lk, const char *name)
{
  spin_init(&lk->lk, "sleep lock");
  lk->name = name;
  lk->locked = 0;
  lk->pid = 0;
}

void acquiresleep(struct sleeplock *lk)
{
  acquire(&lk->lk);
  while (lk->locked)
    sleep(lk, &lk->lk);
  lk->locked = 1;
  lk->pid = myproc()->pid;
  release(&lk->lk);
}

void releasesleep(struct sleeplock *lk)
{
  acquire(&lk->lk);
  lk->locked = 0;
  lk->pid = 0;
  wakeup(lk);
  release(&lk->lk);
}

int holdingsleep(struct sleeplock *lk)
{
  acquire(&lk->lk);
  int held = lk->locked && lk->pid == myproc()->pid;
  release(&lk->lk);
  return held;
}
