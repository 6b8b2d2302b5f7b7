// vmctl: the knobs of the pager.
//   vmctl(VMCTL_POLICY, policy, 0)  sets the replacement policy (-1: keep
//                                   it); returns the policy now in force
//   vmctl(VMCTL_LIMIT, pid, frames) holds process pid (0: the caller) to
//                                   a fixed allocation (0: none); 0 or -1
//   vmctl(VMCTL_ALLOC, mode, 0)     global, equal or proportional
//                                   allocation (-1: keep it); returns the
//                                   mode in force
//   vmctl(VMCTL_LOADCTL, on, 0)     load control on (1) or off (0); -1:
//                                   keep; returns the setting in force
//   vmctl(VMCTL_SWAP_BENCH, pages, 0) writes pages pages to free swap
//                                   slots, as the pager does (benchmarks)
//   vmctl(VMCTL_SWAP_FAIL, w, r)    the fault switch for tests: the next w
//                                   swap writes fail, and the caller's next
//                                   r swap reads
#include "types.h"
#include "riscv.h"
#include "param.h"
#include "spinlock.h"
#include "proc.h"
#include "sysarg.h"
#include "vmctl.h"
#include "vm/vm.h"
#include "vm/localset.h"
#include "vm/allocation.h"
#include "vm/swap.h"
#include "vm/loadctl.h"

_Static_assert(ALLOC_GLOBAL == VMCTL_ALLOC_GLOBAL && ALLOC_EQUAL == VMCTL_ALLOC_EQUAL &&
               ALLOC_PROPORTIONAL == VMCTL_ALLOC_PROPORTIONAL,
               "vmctl.h numbers the allocations as allocation.h does");
_Static_assert(POLICY_CLOCK == VMCTL_CLOCK && POLICY_ECLOCK == VMCTL_ECLOCK &&
               POLICY_FIFO == VMCTL_FIFO, "vmctl.h numbers the policies as policy.h does");

struct by_pid {
  int pid;
  struct vmspace *vm;
};

static void hold_if_pid(struct proc *p, void *arg)
{
  struct by_pid *b = arg;
  if (p->pid == b->pid) {
    vm_hold(p->vm);
    b->vm = p->vm;
  }
}

static long set_limit(int pid, int frames)
{
  struct by_pid b = { pid ? pid : myproc()->pid, 0 };
  proc_each_user(hold_if_pid, &b);
  if (!b.vm)
    return -1;
  long r = local_request(b.vm, frames);
  vm_put(b.vm);
  allocation_changed();   // the others' shares change
  return r;
}

uint64 sys_vmctl(void)
{
  int op, a, b;
  argint(0, &op);
  argint(1, &a);
  argint(2, &b);
  switch (op) {
  case VMCTL_POLICY:
    if (a >= NPOLICY || a < -1)
      return (uint64)-1;
    if (a >= 0)
      policy_set((enum vm_policy)a);
    return policy_in_force();
  case VMCTL_ALLOC:
    if (a >= NALLOC || a < -1)
      return (uint64)-1;
    if (a >= 0)
      allocation_set_mode((enum alloc_mode)a);
    return allocation_mode();
  case VMCTL_LIMIT:
    return (uint64)set_limit(a, b);
  case VMCTL_LOADCTL:
    if (a == 0 || a == 1)
      loadctl_enable(a);
    return (uint64)loadctl_enabled();
  case VMCTL_SWAP_BENCH:
    return a > 0 ? (uint64)(long)swap_bench_write(a) : (uint64)-1;
  case VMCTL_SWAP_FAIL:
    if (a < 0 || b < 0)
      return (uint64)-1;
    swap_fail_next(a, b);
    return 0;
  }
  return (uint64)-1;
}
