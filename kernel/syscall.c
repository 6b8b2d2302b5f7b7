// System-call dispatch and argument fetching.  Arguments arrive in a0-a5
// of the trapframe; pointers in them are user addresses, checked by the
// uaccess functions whenever they are used.
#include "types.h"
#include "param.h"
#include "syscall.h"
#include "proc.h"
#include "uaccess.h"
#include "sysarg.h"
#include "printf.h"
#include "syscall_table.h"

static uint64 argraw(int n)
{
  struct trapframe *tf = myproc()->trapframe;
  switch (n) {
  case 0: return tf->a0;
  case 1: return tf->a1;
  case 2: return tf->a2;
  case 3: return tf->a3;
  case 4: return tf->a4;
  case 5: return tf->a5;
  }
  panic("argraw: argument %d", n);
}

void argint(int n, int *ip)
{
  *ip = (int)argraw(n);
}

void argaddr(int n, uint64 *ip)
{
  *ip = argraw(n);
}

int fetchaddr(uint64 addr, uint64 *ip)
{
  return copyin(ip, addr, sizeof(*ip));
}

int fetchstr(uint64 addr, char *buf, int max)
{
  if (copyinstr(buf, addr, (uint64)max) < 0)
    return -1;
  int n = 0;
  while (buf[n])
    n++;
  return n;
}

int argstr(int n, char *buf, int max)
{
  return fetchstr(argraw(n), buf, max);
}

#define SYSCALLS(X) \
  X(fork) X(exit) X(wait) X(pipe) X(read) X(kill) X(exec) X(fstat) X(chdir) \
  X(dup) X(getpid) X(sbrk) X(sleep) X(uptime) X(open) X(write) X(mknod) \
  X(unlink) X(link) X(mkdir) X(close) X(poweroff) X(cycles) X(vmstat) \
  X(mmap) X(munmap) X(msync) X(swapon) X(swapoff) X(vmctl)

#define DECLARE(name) uint64 sys_##name(void);
SYSCALLS(DECLARE)

static uint64 (*const syscalls[])(void) = {
#define ENTRY(name) [SYS_##name] = sys_##name,
  SYSCALLS(ENTRY)
  // Newer xv6 labs' names for the same calls.
  [SYS_pause] = sys_sleep,
  [SYS_sbrklazy] = sys_sbrk,
};

void syscall(void)
{
  struct proc *p = myproc();
  uint64 num = p->trapframe->a7;
  if (num < sizeof(syscalls) / sizeof(syscalls[0]) && syscalls[num]) {
    p->trapframe->a0 = syscalls[num]();
  } else {
    printf("pid %d (%s): unknown system call %ld\n", p->pid, p->name, (long)num);
    p->trapframe->a0 = (uint64)-1;
  }
}
