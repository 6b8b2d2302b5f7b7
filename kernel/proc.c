// Processes: creation (fork), exit and wait, sleep and wakeup, and the
// per-hart round-robin scheduler.
#include "types.h"
#include "riscv.h"
#include "param.h"
#include "memlayout.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "vm/pmap.h"
#include "vm/vm.h"
#include "vm/swap.h"
#include "vm/pageout.h"
#include "vm/loadctl.h"
#include "vm/policy.h"
#include "vm/allocation.h"
#include "vm/localset.h"
#include "dev/disk.h"
#include "fs.h"
#include "file.h"
#include "log.h"
#include "exec.h"
#include "trap.h"
#include "printf.h"
#include "uaccess.h"
#include "sysarg.h"
#include "vm/frame.h"
#include "vmstat.h"
#include "vm/vmobject.h"
#include "vm/objcache.h"
#include "lib/lib.h"

struct cpu cpus[NCPU];
int ncpu;

static struct proc procs[NPROC];
static char kstacks[NPROC][KSTACK_PAGES * PGSIZE] __attribute__((aligned(PGSIZE)));
static struct proc *initproc;
static int nextpid = 1;
static struct spinlock pid_lock;

// Taken before any p->lock; guards every p->parent, so that a parent's
// wait() cannot miss a child's exit wakeup.
static struct spinlock wait_lock;

void swtch(struct context *old, struct context *new);
static void forkret(void);

// vmstat's report is built here, not in a frame from the allocator:
// vmstat must work when memory is full, which is when people run it.
static struct {
  struct sleeplock lock;
  struct vmstat st;
} report;

void proc_init(void)
{
  sleeplock_init(&report.lock, "vmstat");
  spin_init(&pid_lock, "nextpid");
  spin_init(&wait_lock, "wait_lock");
  for (int i = 0; i < NPROC; i++) {
    struct proc *p = &procs[i];
    spin_init(&p->lock, "proc");
    p->state = UNUSED;
    p->kstack = (uint64)kstacks[i];
    // The trapframe sits at the top of the kernel stack, 16-byte aligned.
    uint64 top = p->kstack + KSTACK_PAGES * PGSIZE;
    p->trapframe = (struct trapframe *)((top - sizeof(struct trapframe)) & ~15UL);
  }
}

// Installs a new address space; returns the old one for the caller to
// destroy.  Under p->lock, so that vmstat never walks a freed one.
struct vmspace *proc_swap_vm(struct proc *p, struct vmspace *vm)
{
  acquire(&p->lock);
  struct vmspace *old = p->vm;
  p->vm = vm;
  release(&p->lock);
  return old;
}

struct proc *myproc(void)
{
  push_off();
  struct proc *p = mycpu()->proc;
  pop_off();
  return p;
}

static int allocpid(void)
{
  acquire(&pid_lock);
  int pid = nextpid++;
  release(&pid_lock);
  return pid;
}

// Finds an UNUSED slot and returns it locked, ready to run forkret on its
// kernel stack; 0 if the table is full.
static struct proc *allocproc(void)
{
  for (struct proc *p = procs; p < &procs[NPROC]; p++) {
    acquire(&p->lock);
    if (p->state != UNUSED) {
      release(&p->lock);
      continue;
    }
    p->pid = allocpid();
    p->state = USED;
    p->killed = 0;
    p->xstate = 0;
    p->chan = 0;
    p->vm = 0;
    p->kthread = 0;
    p->page_reads = 0;
    p->failing_swap_reads = 0;
    p->suspended = 0;
    memset(p->trapframe, 0, sizeof(*p->trapframe));
    memset(&p->context, 0, sizeof(p->context));
    p->context.ra = (uint64)forkret;
    p->context.sp = (uint64)p->trapframe;
    return p;
  }
  return 0;
}

// p->lock held.  The address space is already gone (exit) or never was.
static void freeproc(struct proc *p)
{
  p->pid = 0;
  p->parent = 0;
  p->name[0] = 0;
  p->chan = 0;
  p->killed = 0;
  p->xstate = 0;
  p->state = UNUSED;
}

// The first process: its kernel thread mounts the root file system and
// execs /init (both need a process context, since they sleep on the disk).
void userinit(void)
{
  struct proc *p = allocproc();
  if (!p)
    panic("userinit: no process slot");
  initproc = p;
  safestrcpy(p->name, "init", sizeof(p->name));
  p->state = RUNNABLE;
  release(&p->lock);
}

static void kthread_entry(void)
{
  struct proc *p = myproc();
  release(&p->lock);   // the scheduler's
  p->kthread();
  panic("kernel thread %s returned", p->name);
}

int kthread_start(const char *name, void (*fn)(void))
{
  struct proc *p = allocproc();
  if (!p)
    return -1;
  safestrcpy(p->name, name, sizeof(p->name));
  p->kthread = fn;
  p->context.ra = (uint64)kthread_entry;
  p->state = RUNNABLE;
  release(&p->lock);
  return 0;
}

int proc_is_init(struct proc *p)
{
  return p == initproc;
}

void proc_each_user(void (*fn)(struct proc *p, void *arg), void *arg)
{
  for (struct proc *p = procs; p < &procs[NPROC]; p++) {
    acquire(&p->lock);
    if (p->vm && !p->kthread)
      fn(p, arg);
    release(&p->lock);
  }
}

int proc_any_dying(void)
{
  int dying = 0;
  for (struct proc *p = procs; p < &procs[NPROC] && !dying; p++) {
    acquire(&p->lock);
    dying = p->killed && !p->kthread && p->state != ZOMBIE && p->state != UNUSED;
    release(&p->lock);
  }
  return dying;
}

int fork(void)
{
  struct proc *parent = myproc();
  // Before taking a process slot (and its lock): copying the address
  // space may sleep, reclaiming memory.
  struct vmspace *vm = vm_fork(parent->vm);
  if (!vm)
    return -1;
  struct proc *child = allocproc();
  if (!child) {
    vm_destroy(vm);
    return -1;
  }
  child->vm = vm;
  *child->trapframe = *parent->trapframe;
  child->trapframe->a0 = 0;   // fork returns 0 in the child
  for (int fd = 0; fd < NOFILE; fd++)
    if (parent->ofile[fd])
      child->ofile[fd] = filedup(parent->ofile[fd]);
  child->cwd = idup(parent->cwd);
  safestrcpy(child->name, parent->name, sizeof(parent->name));
  int pid = child->pid;
  release(&child->lock);

  acquire(&wait_lock);
  child->parent = parent;
  release(&wait_lock);

  acquire(&child->lock);
  child->state = RUNNABLE;
  release(&child->lock);
  return pid;
}

// wait_lock held.
static void reparent(struct proc *p)
{
  for (struct proc *pp = procs; pp < &procs[NPROC]; pp++) {
    if (pp->parent == p) {
      pp->parent = initproc;
      wakeup(initproc);
    }
  }
}

static void sched(void);

void exit(int status)
{
  struct proc *p = myproc();
  if (p == initproc)
    panic("init exiting");

  for (int fd = 0; fd < NOFILE; fd++) {
    if (p->ofile[fd]) {
      fileclose(p->ofile[fd]);
      p->ofile[fd] = 0;
    }
  }
  begin_op();
  iput(p->cwd);
  end_op();
  p->cwd = 0;

  // Leave the address space before freeing it: no hart may walk
  // page-table pages that are back on the free list.  Taken from p first,
  // so that the scheduler no longer loads it if p moves to another hart
  // in between.
  struct vmspace *vm = proc_swap_vm(p, 0);
  vm_load(0);
  vm_destroy(vm);

  acquire(&wait_lock);
  reparent(p);
  wakeup(p->parent);
  acquire(&p->lock);
  p->xstate = status;
  p->state = ZOMBIE;
  release(&wait_lock);
  sched();
  panic("zombie exit");
}

int wait(uint64 addr)
{
  struct proc *p = myproc();
  acquire(&wait_lock);
  for (;;) {
    int havekids = 0;
    for (struct proc *pp = procs; pp < &procs[NPROC]; pp++) {
      if (pp->parent != p)
        continue;
      acquire(&pp->lock);
      havekids = 1;
      if (pp->state == ZOMBIE) {
        int pid = pp->pid, status = pp->xstate;
        freeproc(pp);
        release(&pp->lock);
        release(&wait_lock);
        // Copied with no lock held: the copy may fault and sleep.
        if (addr != 0 && copyout(addr, &status, sizeof(status)) < 0)
          return -1;
        return pid;
      }
      release(&pp->lock);
    }
    if (!havekids || killed(p)) {
      release(&wait_lock);
      return -1;
    }
    sleep(p, &wait_lock);
  }
}

void scheduler(void)
{
  struct cpu *c = mycpu();
  c->proc = 0;
  for (;;) {
    // Let devices interrupt, and avoid a deadlock if all are waiting.
    intr_on();
    int found = 0;
    for (struct proc *p = procs; p < &procs[NPROC]; p++) {
      acquire(&p->lock);
      if (p->state == RUNNABLE) {
        p->state = RUNNING;
        c->proc = p;
        vm_load(p->vm);   // a kernel thread has none: the kernel's table
        swtch(&c->context, &p->context);
        // p may have loaded another address space since (exec) or none
        // (exit): leave whatever this hart has now.
        vm_load(0);
        c->proc = 0;
        found = 1;
      }
      release(&p->lock);
    }
    if (!found) {
      intr_on();
      __asm__ volatile("wfi");
    }
  }
}

// Switch to this hart's scheduler.  Holds only p->lock, with p->state
// already changed.  intena belongs to this kernel thread, not this hart.
static void sched(void)
{
  struct proc *p = myproc();
  if (!holding(&p->lock))
    panic("sched: p->lock not held");
  if (mycpu()->noff != 1)
    panic("sched: other locks held");
  if (p->state == RUNNING)
    panic("sched: still running");
  if (intr_get())
    panic("sched: interrupts on");
  int intena = mycpu()->intena;
  swtch(&p->context, &mycpu()->context);
  mycpu()->intena = intena;
}

void yield(void)
{
  struct proc *p = myproc();
  acquire(&p->lock);
  p->state = RUNNABLE;
  sched();
  release(&p->lock);
}

// A new process's first run, from the scheduler (which holds p->lock).
static void forkret(void)
{
  static int fs_ready;
  struct proc *p = myproc();
  release(&p->lock);
  if (!fs_ready) {
    disk_probe();
    fsinit(ROOTDEV);
    swap_probe();
    pageout_start();
    fs_ready = 1;
    __sync_synchronize();
    p->cwd = namei("/");
    if (kernel_exec("/init") < 0)
      panic("cannot run /init");
  }
  user_trap_return();
}

// Atomically release lk and sleep on chan; lk is held again on return.
void sleep(void *chan, struct spinlock *lk)
{
  struct proc *p = myproc();
  acquire(&p->lock);
  release(lk);
  p->chan = chan;
  p->state = SLEEPING;
  sched();
  p->chan = 0;
  release(&p->lock);
  acquire(lk);
}

void wakeup(void *chan)
{
  for (struct proc *p = procs; p < &procs[NPROC]; p++) {
    if (p == myproc())
      continue;
    acquire(&p->lock);
    if (p->state == SLEEPING && p->chan == chan)
      p->state = RUNNABLE;
    release(&p->lock);
  }
}

int kill(int pid)
{
  // init must outlive everyone: it reaps orphans.  Kernel threads serve
  // everyone.
  if (initproc && pid == initproc->pid)
    return -1;
  for (struct proc *p = procs; p < &procs[NPROC]; p++) {
    acquire(&p->lock);
    if (p->pid == pid && p->state != UNUSED && p->state != ZOMBIE && !p->kthread) {
      p->killed = 1;
      if (p->state == SLEEPING)
        p->state = RUNNABLE;
      release(&p->lock);
      return 0;
    }
    release(&p->lock);
  }
  return -1;
}

void setkilled(struct proc *p)
{
  acquire(&p->lock);
  p->killed = 1;
  release(&p->lock);
}

int killed(struct proc *p)
{
  acquire(&p->lock);
  int k = p->killed;
  release(&p->lock);
  return k;
}

// ^P on the console: no locks, so a wedged kernel can still be inspected.
void procdump(void)
{
  static const char *states[] = {
    [UNUSED] "unused", [USED] "used", [SLEEPING] "sleep",
    [RUNNABLE] "runble", [RUNNING] "run", [ZOMBIE] "zombie",
  };
  printf("\n");
  for (struct proc *p = procs; p < &procs[NPROC]; p++) {
    if (p->state == UNUSED)
      continue;
    printf("%d %s %s resident %ld pages\n", p->pid, states[p->state], p->name,
           p->vm ? (long)vm_resident_pages(p->vm) : 0L);
  }
}

uint64 sys_vmstat(void)
{
  uint64 addr;
  argaddr(0, &addr);
  acquiresleep(&report.lock);
  struct vmstat *st = &report.st;
  memset(st, 0, sizeof(*st));
  struct frame_stats fs;
  frame_get_stats(&fs);
  st->frames_total = fs.total;
  st->frames_free = fs.free;
  st->frames_in_use = fs.in_use;
  st->frames_shared = fs.shared;
  st->zero_fills = fs.zero_filled;
  st->cow_copies = fs.copied;
  st->file_pages_read = vmo_file_pages_read();
  st->cached_pages = vmo_cached_pages();
  pmap_count(&myproc()->vm->pmap, 0, MAXVA, &st->self_resident, &st->self_swapped);
  struct swap_stats ss;
  swap_get_stats(&ss);
  st->swap_total = ss.total;
  st->swap_used = ss.used;
  swap_device_name(st->swap_device, sizeof(st->swap_device));
  st->swap_ins = ss.ins;
  st->swap_outs = ss.outs;
  struct pageout_stats ps;
  pageout_get_stats(&ps);
  st->pages_scanned = ps.scanned;
  st->pages_reclaimed = ps.reclaimed;
  st->pageout_wakeups = ps.wakeups;
  st->direct_reclaims = ps.direct;
  st->file_writebacks = ps.file_writes;
  st->pages_dropped = ps.dropped;
  st->policy = policy_in_force();
  st->allocation = allocation_mode();
  st->major_faults = vm_major_faults();
  st->minor_faults = vm_minor_faults();
  st->slab_frames = objcache_frames();
  struct loadctl_stats ls;
  loadctl_get_stats(&ls);
  st->suspended = ls.suspended;
  st->suspensions = ls.suspensions;
  st->page_in_rate = ls.page_in_rate;
  st->load_control = loadctl_enabled();
  for (struct proc *p = procs; p < &procs[NPROC]; p++) {
    // p->lock keeps p->vm from being freed under us (exit and exec swap
    // it out under the lock before destroying it).
    acquire(&p->lock);
    if (p->vm) {
      struct vmstat_proc *e = &st->procs[st->nprocs++];
      e->pid = p->pid;
      safestrcpy(e->name, p->name, sizeof(e->name));
      pmap_count(&p->vm->pmap, 0, MAXVA, &e->resident, &e->swapped);
      e->faults = p->vm->page_ins;
      e->fault_rate = (uint32)p->vm->page_in_rate;
      e->suspended = (uint32)p->suspended;
      e->allocation = local_allocation(p->vm);
    }
    release(&p->lock);
  }
  int err = copyout(addr, st, sizeof(*st));
  releasesleep(&report.lock);
  return err < 0 ? (uint64)-1 : 0;
}
