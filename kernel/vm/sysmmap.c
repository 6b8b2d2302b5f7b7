// mmap, munmap and msync: regions added to and removed from the current
// address space.  Nothing is read or allocated here; pages come on first
// touch (vm_fault).
#include "types.h"
#include "riscv.h"
#include "param.h"
#include "fcntl.h"
#include "stat.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "fs.h"
#include "file.h"
#include "sysarg.h"
#include "vm/vm.h"
#include "vm/vmobject.h"

#define MAP_KNOWN_FLAGS (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS)
#define PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC)

// The object a file mapping maps, or 0 if fd cannot be mapped this way.
static struct vm_object *file_object(int fd, int shared, int prot)
{
  struct file *f = fd >= 0 && fd < NOFILE ? myproc()->ofile[fd] : 0;
  if (!f || f->type != FD_INODE || !f->readable || (shared && (prot & PROT_WRITE) && !f->writable))
    return 0;
  ilock(f->ip);
  int regular = f->ip->type == T_FILE;
  iunlock(f->ip);
  return regular ? vmo_of_file(f->ip) : 0;
}

static int user_range_ok(uint64 addr, uint64 len)
{
  return addr % PGSIZE == 0 && len > 0 && addr < MAXVA && len <= MAXVA - addr;
}

uint64 sys_mmap(void)
{
  uint64 addr, len, off;
  int prot, flags, fd;
  argaddr(0, &addr);
  argaddr(1, &len);
  argint(2, &prot);
  argint(3, &flags);
  argint(4, &fd);
  argaddr(5, &off);

  int sharing = flags & (MAP_SHARED | MAP_PRIVATE);
  if (len == 0 || len > MAXVA || (prot & ~PROT_ALL) || (flags & ~MAP_KNOWN_FLAGS) ||
      (sharing != MAP_SHARED && sharing != MAP_PRIVATE) || off % PGSIZE)
    return (uint64)-1;
  len = PGROUNDUP(len);
  int shared = sharing == MAP_SHARED;
  struct vmspace *vm = myproc()->vm;

  struct vm_object *obj = 0;
  if (!(flags & MAP_ANONYMOUS)) {
    if (off >= MAXVA || !(obj = file_object(fd, shared, prot)))
      return (uint64)-1;
  } else {
    off = 0;
    if (shared && !(obj = vmo_new_anon()))
      return (uint64)-1;
  }

  if (flags & MAP_FIXED) {
    if (!user_range_ok(addr, len) || addr == 0 || vm_remove_range(vm, addr, addr + len) < 0)
      goto fail;
  } else if ((addr = vm_find_free(vm, len)) == 0) {
    goto fail;
  }
  uint64 file_bytes = obj && !shared ? len : 0;
  if (vm_add_region(vm, addr, addr + len, prot, shared ? REGION_SHARED : 0, obj, off, file_bytes) < 0)
    goto fail;
  if (obj)
    vmo_put(obj);   // the region holds its own reference
  return addr;

fail:
  if (obj)
    vmo_put(obj);
  return (uint64)-1;
}

// munmap(addr, len) and msync(addr, len): a page-aligned user range.
static int arg_range(uint64 *addr, uint64 *len)
{
  argaddr(0, addr);
  argaddr(1, len);
  return user_range_ok(*addr, *len) ? 0 : -1;
}

uint64 sys_munmap(void)
{
  uint64 addr, len;
  if (arg_range(&addr, &len) < 0)
    return (uint64)-1;
  return (uint64)vm_remove_range(myproc()->vm, addr, addr + len);
}

uint64 sys_msync(void)
{
  uint64 addr, len;
  if (arg_range(&addr, &len) < 0)
    return (uint64)-1;
  vm_sync_range(myproc()->vm, addr, addr + len);
  return 0;
}
