#include "types.h"
#include "riscv.h"
#include "param.h"
#include "spinlock.h"
#include "proc.h"
#include "timer.h"
#include "vm/frame.h"
#include "vm/vm.h"
#include "vm/localset.h"
#include "vm/frame_shares.h"
#include "vm/allocation.h"

#define RECOMPUTE_TICKS 100   // once a second: sizes change as processes run

static int mode = ALLOC_GLOBAL;
static int stale;             // a process came or went, or the mode changed
static uint64 last_computed;

// The user processes, as one look at the process table found them.  Each
// vmspace is held, so that it stays while its allocation is set.
struct census {
  int n;
  struct vmspace *vm[NPROC];
  uint64 size[NPROC];         // footprint: resident + swapped pages
  uint64 by_hand[NPROC];
};

enum alloc_mode allocation_mode(void)
{
  return __atomic_load_n(&mode, __ATOMIC_RELAXED);
}

void allocation_set_mode(enum alloc_mode m)
{
  __atomic_store_n(&mode, m, __ATOMIC_RELAXED);
  allocation_changed();
}

void allocation_changed(void)
{
  __atomic_store_n(&stale, 1, __ATOMIC_RELEASE);
}

// p->lock held.  A process's size is its footprint (what loadctl.c weighs
// too): its regions' virtual size would count reservations it never
// touches, and its region list belongs to it, not to the daemon.
static void count_one(struct proc *p, void *arg)
{
  struct census *c = arg;
  struct vmspace *vm = p->vm;
  uint64 resident, swapped;
  pmap_count(&vm->pmap, 0, MAXVA, &resident, &swapped);
  vm_hold(vm);
  c->vm[c->n] = vm;
  c->size[c->n] = resident + swapped;
  c->by_hand[c->n] = __atomic_load_n(&vm->local_by_hand, __ATOMIC_RELAXED)
                       ? (uint64)local_allocation(vm) : 0;
  c->n++;
}

// The frames allocations share: all of them less the kernel's and the
// daemon's reserve.
static uint64 pageable_frames(uint64 reserve)
{
  struct frame_stats fs;
  frame_get_stats(&fs);
  uint64 kernel = fs.kernel + reserve;
  return fs.total > kernel ? fs.total - kernel : 0;
}

void allocation_tick(uint64 reserve)
{
  uint64 now = __atomic_load_n(&ticks, __ATOMIC_RELAXED);
  if (!__atomic_exchange_n(&stale, 0, __ATOMIC_ACQ_REL) && now - last_computed < RECOMPUTE_TICKS)
    return;
  last_computed = now;
  static struct census c;   // only the daemon calls this
  static uint64 share[NPROC];
  c.n = 0;
  proc_each_user(count_one, &c);
  enum alloc_mode m = allocation_mode();
  if (m != ALLOC_GLOBAL)
    frame_shares(m == ALLOC_EQUAL ? SHARE_EQUAL : SHARE_PROPORTIONAL, pageable_frames(reserve),
                 LOCAL_MIN_FRAMES, c.n, c.size, c.by_hand, share);
  for (int i = 0; i < c.n; i++) {
    local_assign(c.vm[i], m == ALLOC_GLOBAL ? 0 : (int)share[i]);
    vm_put(c.vm[i]);
  }
}
