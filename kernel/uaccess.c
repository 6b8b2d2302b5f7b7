// copyin/copyout/copyinstr: range checks in C, the copying in usercopy.S.
#include "types.h"
#include "riscv.h"
#include "proc.h"
#include "printf.h"
#include "uaccess.h"
#include "vm/vm.h"

int user_copy(void *dst, const void *src, uint64 n);
int user_copy_str(char *dst, const char *src, uint64 max);

static int user_range_ok(uint64 va, uint64 len)
{
  return va < MAXVA && len <= MAXVA - va;
}

int copyin(void *dst, uint64 srcva, uint64 len)
{
  if (!user_range_ok(srcva, len))
    return -1;
  return user_copy(dst, (const void *)srcva, len);
}

int copyout(uint64 dstva, const void *src, uint64 len)
{
  if (!user_range_ok(dstva, len))
    return -1;
  return user_copy((void *)dstva, src, len);
}

int copyinstr(char *dst, uint64 srcva, uint64 max)
{
  if (srcva >= MAXVA)
    return -1;
  if (max > MAXVA - srcva)
    max = MAXVA - srcva;
  return user_copy_str(dst, (const char *)srcva, max) == 0 ? 0 : -1;
}

int either_copyout(int user_dst, uint64 dst, const void *src, uint64 len)
{
  if (user_dst)
    return copyout(dst, src, len);
  return user_copy((void *)dst, src, len);
}

int either_copyin(void *dst, int user_src, uint64 src, uint64 len)
{
  if (user_src)
    return copyin(dst, src, len);
  return user_copy(dst, (const void *)src, len);
}

void copy_fault_put_off(uint64 va, int access)
{
  struct proc *p = myproc();
  p->put_off_va = va;
  p->put_off_access = access + 1;
}

int copy_fault_retry(void)
{
  struct proc *p = myproc();
  if (p->inode_locks > 0)
    panic("copy_fault_retry: inode lock held");
  if (p->put_off_access == 0)
    return 0;
  enum fault_access access = p->put_off_access - 1;
  p->put_off_access = 0;
  return !killed(p) && vm_fault(p->vm, p->put_off_va, access) == 0;
}
