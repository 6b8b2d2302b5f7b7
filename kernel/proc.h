// Processes and harts.
#pragma once
#include "types.h"
#include "param.h"
#include "spinlock.h"

// Callee-saved registers kept across swtch().
struct context {
  uint64 ra, sp;
  uint64 s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
};

// User registers saved on entry to the kernel.  It lives at the top of the
// process's kernel stack; trap.S knows the offsets (TF_* in trapframe.h).
struct trapframe {
  uint64 ra, sp, gp, tp;
  uint64 t0, t1, t2;
  uint64 s0, s1;
  uint64 a0, a1, a2, a3, a4, a5, a6, a7;
  uint64 s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
  uint64 t3, t4, t5, t6;
  uint64 epc;        // user pc
  uint64 kernel_tp;  // this hart's struct cpu *, restored into tp on entry
};

// Per-hart state.  In the kernel, tp always points to the running hart's.
struct cpu {
  struct proc *proc;        // running process, or 0
  struct context context;   // swtch() here to enter the scheduler
  int noff;                 // depth of push_off() nesting
  int intena;               // were interrupts enabled before push_off()?
  int id;                   // dense cpu number 0..ncpu-1
  uint64 hartid;            // the hardware's hart id
  int plic_context;         // this hart's S-mode PLIC context, or -1
  int has_sstc;             // stimecmp is available
  uint64 kstack_top;        // this hart's boot/scheduler stack
};

extern struct cpu cpus[NCPU];
extern int ncpu;

static inline struct cpu *mycpu(void)
{
  struct cpu *c;
  __asm__ volatile("mv %0, tp" : "=r"(c));
  return c;
}
static inline int cpuid(void) { return mycpu()->id; }

enum procstate { UNUSED, USED, SLEEPING, RUNNABLE, RUNNING, ZOMBIE };

struct file;
struct inode;
struct vmspace;

struct proc {
  struct spinlock lock;

  // p->lock must be held to use these:
  enum procstate state;
  void *chan;                // sleeping on chan, if non-zero
  int killed;
  int xstate;                // exit status for the parent's wait()
  int pid;

  // wait_lock must be held to use this:
  struct proc *parent;

  // private to the process, no lock needed:
  uint64 kstack;             // bottom of the kernel stack (KSTACK_PAGES pages)
  struct trapframe *trapframe; // at the top of the kernel stack
  struct context context;    // swtch() here to run the process
  struct vmspace *vm;        // user address space
  struct file *ofile[NOFILE];
  // While the process holds an inode lock, a fault in a kernel copy must
  // not read a file (that needs a second inode lock): it is put off, and
  // the copy fails; the caller, its locks dropped, resolves it and tries
  // again (copy_fault_retry in uaccess.h).
  int inode_locks;           // inode locks held now
  int fs_ops;                // file-system transactions it is inside (begin_op)
  uint64 put_off_va;         // the fault put off, if put_off_access != 0
  int put_off_access;        // enum fault_access + 1
  struct inode *cwd;
  char name[16];
  void (*kthread)(void);     // a kernel thread's body (vm is 0)
  uint64 page_reads;         // pages it read from disk in faults
  int failing_swap_reads;    // injected: its next swap reads fail (tests)
  uint64 last_swap_in;       // slot of its latest page-in (read-ahead)
  int suspended;             // by load control: waits on its way to user mode
  uint64 suspended_at;       // ticks
};

#define KSTACK_PAGES 4

struct proc *myproc(void);
void sleep(void *chan, struct spinlock *lk);
void wakeup(void *chan);
int killed(struct proc *p);
void setkilled(struct proc *p);
int kill(int pid);
void exit(int status) __attribute__((noreturn));
int fork(void);
// Starts a kernel thread: a process with no user memory that runs fn in
// the kernel for ever.  -1 if the process table is full.
int kthread_start(const char *name, void (*fn)(void));
// Calls fn(p, arg) for every user process with an address space, under
// p->lock (so p->vm stays).
void proc_each_user(void (*fn)(struct proc *p, void *arg), void *arg);
int proc_is_init(struct proc *p);
// Whether some user process has been killed and has not yet finished
// exiting: its memory is about to come back.
int proc_any_dying(void);
int wait(uint64 addr);
void yield(void);
void procdump(void);
struct vmspace *proc_swap_vm(struct proc *p, struct vmspace *vm);
void proc_init(void);
void userinit(void);
void scheduler(void) __attribute__((noreturn));

// Copy to/from either a user virtual address (user_dst/user_src = 1) or a
// kernel address: lets file and device code serve read() and the kernel.
int either_copyout(int user_dst, uint64 dst, const void *src, uint64 len);
int either_copyin(void *dst, int user_src, uint64 src, uint64 len);
