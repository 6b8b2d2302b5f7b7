// Process-related system calls.
#include "types.h"
#include "riscv.h"
#include "param.h"
#include "proc.h"
#include "sysarg.h"
#include "timer.h"
#include "vm/vm.h"
#include "power.h"

uint64 sys_exit(void)
{
  int status;
  argint(0, &status);
  exit(status);
}

uint64 sys_getpid(void)
{
  return (uint64)myproc()->pid;
}

uint64 sys_fork(void)
{
  return (uint64)fork();
}

uint64 sys_wait(void)
{
  uint64 status_addr;
  argaddr(0, &status_addr);
  return (uint64)wait(status_addr);
}

uint64 sys_sbrk(void)
{
  int n;
  argint(0, &n);
  return vm_sbrk(myproc()->vm, n);
}

uint64 sys_sleep(void)
{
  int n;
  argint(0, &n);
  if (n < 0)
    n = 0;
  acquire(&tickslock);
  uint64 start = ticks;
  while (ticks - start < (uint64)n) {
    if (killed(myproc())) {
      release(&tickslock);
      return (uint64)-1;
    }
    sleep(&ticks, &tickslock);
  }
  release(&tickslock);
  return 0;
}

uint64 sys_kill(void)
{
  int pid;
  argint(0, &pid);
  return (uint64)kill(pid);
}

uint64 sys_uptime(void)
{
  acquire(&tickslock);
  uint64 t = ticks;
  release(&tickslock);
  return t;
}

uint64 sys_poweroff(void)
{
  int status;
  argint(0, &status);
  power_off(status);
}

uint64 sys_cycles(void)
{
  return r_cycle();
}
