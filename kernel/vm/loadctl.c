#include "types.h"
#include "riscv.h"
#include "param.h"
#include "spinlock.h"
#include "proc.h"
#include "printf.h"
#include "timer.h"
#include "vm/vm.h"
#include "vm/pageout.h"
#include "vm/loadctl.h"

#define SAMPLE_TICKS 100         // one second
#define THRASH_PAGE_INS 64       // pages in per second that, with memory short, is thrashing
#define MAX_SUSPEND_TICKS 500    // the longest a process stays suspended (5 s)

#define FAULTING_PAGE_INS 16     // a process paging in this fast counts as faulting

// Guards every p->suspended, so that resume's wakeup cannot slip in
// between a process's test and its sleep.
static struct spinlock suspend_lock = { 0, "suspend", 0 };
static int enabled = 1;
static uint64 last_sample;
static struct loadctl_stats stats;

// What one look at the process table found.
struct survey {
  uint64 elapsed;              // ticks since the last sample
  uint64 page_ins;             // all processes' pages in, this interval
  int faulting;                // running processes that paged in
  struct proc *largest;        // the running faulting process largest in memory
  uint64 largest_resident;
  // Every running faulting process and its footprint (resident + swapped
  // pages: what its working set may need), for deciding how many to stop.
  struct proc *running[NPROC];
  uint64 footprint[NPROC];
  struct proc *waited_most;    // the process suspended longest
  uint64 waited_most_swapped;  // its pages out on swap
  uint64 suspended;
  struct proc *suspended_procs[NPROC];
};

// p->lock held.
static void survey_one(struct proc *p, void *arg)
{
  struct survey *s = arg;
  struct vmspace *vm = p->vm;
  uint64 ins = __atomic_load_n(&vm->page_ins, __ATOMIC_RELAXED);
  uint64 new_ins = ins - vm->page_ins_seen;
  vm->page_ins_seen = ins;
  vm->page_in_rate = new_ins * SAMPLE_TICKS / s->elapsed;
  s->page_ins += new_ins;
  if (p->suspended) {
    s->suspended_procs[s->suspended++] = p;
    if (!s->waited_most || p->suspended_at < s->waited_most->suspended_at) {
      s->waited_most = p;
      s->waited_most_swapped = vm_swapped_pages(vm);
    }
    return;
  }
  if (vm->page_in_rate < FAULTING_PAGE_INS || proc_is_init(p))
    return;
  uint64 resident, swapped;
  pmap_count(&vm->pmap, 0, MAXVA, &resident, &swapped);
  s->running[s->faulting] = p;
  s->footprint[s->faulting] = resident + swapped;
  s->faulting++;
  if (resident > s->largest_resident) {
    s->largest = p;
    s->largest_resident = resident;
  }
}

static void suspend(struct proc *p)
{
  struct vmspace *vm = 0;
  acquire(&p->lock);
  if (p->vm && p->state != ZOMBIE && p->state != UNUSED) {
    vm = p->vm;
    vm_hold(vm);
  }
  release(&p->lock);
  if (!vm)
    return;
  acquire(&suspend_lock);
  p->suspended = 1;
  p->suspended_at = ticks;
  release(&suspend_lock);
  stats.suspensions++;
  // It will stop at its next return to user mode: its frames are better
  // used by the others now.
  pageout_evict_all(vm);
  vm_put(vm);
}

static void resume(struct proc *p)
{
  acquire(&suspend_lock);
  p->suspended = 0;
  wakeup(&p->suspended);
  release(&suspend_lock);
}

void loadctl_wait_if_suspended(struct proc *p)
{
  acquire(&suspend_lock);
  while (p->suspended && !killed(p))
    sleep(&p->suspended, &suspend_lock);
  release(&suspend_lock);
}

// Suspends the largest faulting processes, one after the other, until the
// footprints of those left fit in `room` frames (Denning's rule: run only
// as many as their working sets allow), keeping at least one running.
static void suspend_until_fits(struct survey *s, uint64 room)
{
  uint64 total = 0;
  for (int i = 0; i < s->faulting; i++)
    total += s->footprint[i];
  for (int left = s->faulting; left > 1 && total > room; left--) {
    int big = 0;
    for (int i = 1; i < s->faulting; i++)
      if (s->footprint[i] > s->footprint[big])
        big = i;
    total -= s->footprint[big];
    s->footprint[big] = 0;
    suspend(s->running[big]);
  }
}

void loadctl_tick(uint64 free_frames, uint64 total_frames, uint64 reserve)
{
  uint64 now = __atomic_load_n(&ticks, __ATOMIC_RELAXED);
  if (now - last_sample < SAMPLE_TICKS)
    return;
  static struct survey s;   // only the daemon calls this
  s = (struct survey){ .elapsed = now - last_sample };
  last_sample = now;
  proc_each_user(survey_one, &s);
  stats.page_in_rate = s.page_ins * SAMPLE_TICKS / s.elapsed;
  stats.suspended = s.suspended;
  if (!enabled) {
    for (uint64 i = 0; i < s.suspended; i++)
      resume(s.suspended_procs[i]);
    return;
  }
  // LAB thrashing BEGIN
  // The process suspended longest goes back to work when its pages fit in
  // the free memory.  When its time is up it goes back even if memory is
  // still short, and the largest running process takes its place: turns,
  // so that no process waits for ever, with as many suspended as before.
  // While the system still thrashes, one more is suspended each second.
  if (s.waited_most && free_frames > s.waited_most_swapped + reserve) {
    resume(s.waited_most);
  } else if (s.waited_most && now - s.waited_most->suspended_at >= MAX_SUSPEND_TICKS) {
    resume(s.waited_most);
    if (s.largest)
      suspend(s.largest);
    return;
  }
  int thrashing = free_frames < reserve && stats.page_in_rate >= THRASH_PAGE_INS &&
                  s.faulting >= 2;
  if (thrashing)
    suspend_until_fits(&s, total_frames - reserve);
  // LAB thrashing STUB
  // // Lab thrashing: when the system thrashes, suspend the largest
  // // faulting processes until the others fit (suspend_until_fits), and
  // // let the suspended take turns (resume).  Until then none is suspended.
  // (void)suspend_until_fits;
  // LAB thrashing END
}

void loadctl_enable(int on)
{
  __atomic_store_n(&enabled, on, __ATOMIC_RELAXED);
}

int loadctl_enabled(void)
{
  return __atomic_load_n(&enabled, __ATOMIC_RELAXED);
}

void loadctl_get_stats(struct loadctl_stats *st)
{
  *st = stats;
}
