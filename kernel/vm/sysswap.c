// swapon and swapoff, with Linux's meaning: swapoff brings every page out
// on swap back into memory before it turns swap off, and fails (-1),
// leaving swap on, if memory cannot hold them.
#include "types.h"
#include "riscv.h"
#include "param.h"
#include "spinlock.h"
#include "proc.h"
#include "sysarg.h"
#include "vm/vm.h"
#include "vm/swap.h"
#include "vm/vmobject.h"
#include "vm/pageout.h"
#include "timer.h"

#define NAME_MAX 32
#define SWAPOFF_PASSES 3   // a fork during a pass may copy entries it missed

uint64 sys_swapon(void)
{
  char name[NAME_MAX];
  if (argstr(0, name, sizeof(name)) < 0)
    return (uint64)-1;
  return (uint64)(long)swap_on(name);
}

struct held {
  struct vmspace *vm[NPROC];
  int n;
};

static void hold(struct proc *p, void *arg)
{
  struct held *h = arg;
  vm_hold(p->vm);
  h->vm[h->n++] = p->vm;
}

// One pass over every address space; 0, or the first error.
static int swap_in_everything(void)
{
  static struct held held;   // one swapoff at a time: swap_stop admits one
  held.n = 0;
  proc_each_user(hold, &held);
  int err = 0;
  for (int i = 0; i < held.n; i++) {
    if (err == 0)
      err = vm_swap_in_all(held.vm[i]);
    vm_put(held.vm[i]);
  }
  return err ? err : vmo_anon_swap_in_all();   // shared anonymous memory
}

uint64 sys_swapoff(void)
{
  char name[NAME_MAX];
  if (argstr(0, name, sizeof(name)) < 0 || !swap_is_device(name) || swap_stop() < 0)
    return (uint64)-1;
  for (int pass = 0; pass < SWAPOFF_PASSES; pass++) {
    if (swap_in_everything() < 0)
      break;
    // An eviction that began before swap_stop holds its slot until its
    // write ends; the page then is either gone with its process or behind
    // a swap entry that the next pass brings back.
    pageout_wait_idle();
    if (swap_finish_off() == 0)
      return 0;
    swap_stop();   // finish turned it back on; try once more
    tick_wait();   // page-ins under way (holding slots) end meanwhile
  }
  swap_restart();
  return (uint64)-1;
}
