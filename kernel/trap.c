// Trap handling after trap.S has saved the registers: system calls,
// interrupts, and exceptions from user mode; interrupts and user-copy
// faults in the kernel.
#include <stddef.h>
#include "types.h"
#include "riscv.h"
#include "param.h"
#include "memlayout.h"
#include "proc.h"
#include "dev/irq.h"
#include "timer.h"
#include "syscall_table.h"
#include "vm/vm.h"
#include "vm/loadctl.h"
#include "uaccess.h"
#include "printf.h"
#include "trap.h"

_Static_assert(offsetof(struct trapframe, epc) == 248, "trap.S TF_EPC");
_Static_assert(offsetof(struct trapframe, kernel_tp) == 256, "trap.S TF_KERNEL_TP");

struct kernel_frame {
  uint64 ra, t[7], a[8];
  uint64 epc, sstatus;
};

extern char trap_vector[], user_copy_begin[], user_copy_end[], user_copy_fault[];
void return_to_user(struct trapframe *tf) __attribute__((noreturn));

void trap_init_hart(void)
{
  w_stvec((uint64)trap_vector);
  CSR_WRITE(sscratch, 0);
  w_sie(r_sie() | SIE_SEIE | SIE_STIE);
}

// Handles an interrupt; returns 1 if it was the timer (time to yield).
static int device_interrupt(uint64 scause)
{
  switch (scause & ~SCAUSE_INTERRUPT) {
  case IRQ_S_EXT:
    plic_dispatch();
    return 0;
  case IRQ_S_TIMER:
    timer_interrupt();
    return 1;
  }
  panic("unexpected interrupt scause %p", (void *)scause);
}

static enum fault_access access_of(uint64 scause)
{
  switch (scause) {
  case EXC_INST_PAGE_FAULT: return FAULT_EXEC;
  case EXC_STORE_PAGE_FAULT: return FAULT_WRITE;
  default: return FAULT_READ;
  }
}

static int is_page_fault(uint64 scause)
{
  return scause == EXC_INST_PAGE_FAULT || scause == EXC_LOAD_PAGE_FAULT ||
         scause == EXC_STORE_PAGE_FAULT;
}

static const char *exception_name(uint64 scause)
{
  switch (scause) {
  case EXC_INST_MISALIGNED: return "misaligned instruction";
  case EXC_INST_ACCESS: return "instruction access fault";
  case EXC_ILLEGAL_INST: return "illegal instruction";
  case EXC_BREAKPOINT: return "breakpoint";
  case EXC_LOAD_ACCESS: return "load access fault";
  case EXC_STORE_ACCESS: return "store access fault";
  case EXC_INST_PAGE_FAULT: return "exec fault";
  case EXC_LOAD_PAGE_FAULT: return "read fault";
  case EXC_STORE_PAGE_FAULT: return "write fault";
  }
  return "exception";
}

// A page the process needs could not be read back from swap: its data is
// gone, so the process is (and only it).
static void swap_read_kill(struct proc *p, uint64 addr)
{
  printf("pid %d (%s): killed: swap read error at address %p\n", p->pid, p->name, (void *)addr);
  setkilled(p);
}

void user_trap(struct trapframe *tf)
{
  struct proc *p = myproc();
  uint64 scause = r_scause();
  int timer = 0;

  if (scause & SCAUSE_INTERRUPT) {
    timer = device_interrupt(scause);
  } else if (scause == EXC_ECALL_U) {
    if (killed(p))
      exit(-1);
    tf->epc += 4;
    intr_on();
    syscall();
  } else {
    uint64 addr = r_stval();
    intr_on();
    if (is_page_fault(scause)) {
      int err = vm_fault(p->vm, addr, access_of(scause));
      if (err == VM_ERR_KILLED) {
        setkilled(p);   // the out-of-memory killer has said so
      } else if (err == VM_ERR_SWAP_IO) {
        swap_read_kill(p, addr);
      } else if (err < 0) {
        printf("pid %d (%s): killed: %s at address %p: %s, pc %p\n", p->pid, p->name,
               exception_name(scause), (void *)addr, vm_fault_error(err), (void *)tf->epc);
        setkilled(p);
      }
    } else {
      printf("pid %d (%s): killed: %s, stval %p, pc %p\n", p->pid, p->name,
             exception_name(scause), (void *)addr, (void *)tf->epc);
      setkilled(p);
    }
  }
  if (killed(p))
    exit(-1);
  if (timer)
    yield();
  // Suspended by load control: wait here, holding nothing in the kernel.
  // (Read without the lock: a suspension that lands just after is seen at
  // the next trap.)
  if (__atomic_load_n(&p->suspended, __ATOMIC_RELAXED)) {
    loadctl_wait_if_suspended(p);
    if (killed(p))
      exit(-1);
  }
  user_trap_return();
}

void user_trap_return(void)
{
  struct proc *p = myproc();
  intr_off();
  uint64 s = r_sstatus();
  s &= ~(SSTATUS_SPP | SSTATUS_SUM | SSTATUS_FS);  // user mode, no FPU
  s |= SSTATUS_SPIE;                               // interrupts on in user mode
  w_sstatus(s);
  return_to_user(p->trapframe);
}

void kernel_trap(struct kernel_frame *f)
{
  uint64 scause = r_scause();
  // Whatever happens below (a sleep, a switch to another process) must not
  // run with user access open; the frame restores SUM when we return.
  CSR_CLEAR(sstatus, SSTATUS_SUM);

  if (scause & SCAUSE_INTERRUPT) {
    if (device_interrupt(scause) && myproc() && myproc()->state == RUNNING)
      yield();
    return;
  }
  uint64 addr = r_stval();
  int in_user_copy = f->epc >= (uint64)user_copy_begin && f->epc < (uint64)user_copy_end;
  if (in_user_copy && is_page_fault(scause) && addr < MAXVA) {
    // A killed process stops copying: its system call fails and it exits
    // on the way out, even if this copy would fault again and again.
    struct proc *p = myproc();
    int err = p && !killed(p) ? vm_fault(p->vm, addr, access_of(scause)) : VM_ERR_NO_REGION;
    if (err == 0)
      return;   // retry the access
    if (err == VM_ERR_PUT_OFF)
      copy_fault_put_off(addr, access_of(scause));
    if (err == VM_ERR_SWAP_IO)
      swap_read_kill(p, addr);   // its data is lost: the copy must not go on
    f->epc = (uint64)user_copy_fault;
    return;
  }
  panic("kernel trap: %s (scause %p) at pc %p, address %p", exception_name(scause),
        (void *)scause, (void *)f->epc, (void *)addr);
}
