// exec: replace the program of the current process.  The ELF file is
// checked, and its loadable segments become file-backed regions, each
// page read on first touch (vm_fault).  Only the stack page holding the
// arguments and the page where the data ends and the bss begins are made
// real now.
#include "types.h"
#include "riscv.h"
#include "param.h"
#include "memlayout.h"
#include "fcntl.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "fs.h"
#include "log.h"
#include "stat.h"
#include "elf.h"
#include "vm/vm.h"
#include "vm/vmobject.h"
#include "exec.h"
#include "sysarg.h"
#include "vm/frame.h"
#include "lib/lib.h"

#define MAX_PHNUM 64

static int segment_prot(uint32 flags)
{
  return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) |
         ((flags & PF_X) ? PROT_EXEC : 0);
}

static int valid_header(struct elfhdr *eh)
{
  return eh->magic == ELF_MAGIC && eh->class == ELFCLASS64 && eh->data == ELFDATA2LSB &&
         eh->type == ET_EXEC && eh->machine == EM_RISCV &&
         eh->phentsize == sizeof(struct proghdr) && eh->phnum > 0 && eh->phnum <= MAX_PHNUM;
}

// Checks one PT_LOAD header against the file and adds its region.
// Returns the segment's end address, or 0 if it is invalid.
static uint64 add_segment(struct vmspace *vm, struct inode *ip, struct vm_object *file,
                          struct proghdr *ph)
{
  uint64 limit = USER_STACK_TOP - USER_STACK_LIMIT;
  if (ph->memsz < ph->filesz || ph->memsz == 0 || ph->vaddr >= limit ||
      ph->memsz > limit - ph->vaddr || ph->vaddr % PGSIZE != ph->off % PGSIZE ||
      ph->off > ip->size || ph->filesz > ip->size - ph->off)
    return 0;
  uint64 start = PGROUNDDOWN(ph->vaddr);
  uint64 end = PGROUNDUP(ph->vaddr + ph->memsz);
  uint64 lead = ph->vaddr - start;
  if (vm_add_region(vm, start, end, segment_prot(ph->flags), 0, file, ph->off - lead,
                    ph->filesz + lead) < 0)
    return 0;
  return end;
}

// Fills vm with the regions of the program in ip (locked): its segments,
// mapped from the file, and a one-page stack; the heap (made by sbrk)
// starts after the segments.  Sets *entry (which may be 0) and returns 0,
// or -1 if the file is not a valid executable.
static int load_program(struct vmspace *vm, struct inode *ip, struct vm_object *file,
                        uint64 *entry)
{
  struct elfhdr eh;
  if (ip->type != T_FILE || readi(ip, 0, (uint64)&eh, 0, sizeof(eh)) != sizeof(eh) ||
      !valid_header(&eh))
    return -1;
  uint64 heap_start = 0;
  for (int i = 0; i < eh.phnum; i++) {
    struct proghdr ph;
    uint64 off = eh.phoff + (uint64)i * sizeof(ph);
    if (off > ip->size || readi(ip, 0, (uint64)&ph, (uint)off, sizeof(ph)) != sizeof(ph))
      return -1;
    if (ph.type != PT_LOAD)
      continue;
    uint64 end = add_segment(vm, ip, file, &ph);
    if (end == 0)
      return -1;
    if (end > heap_start)
      heap_start = end;
  }
  struct region *text = vm_find_region(vm, eh.entry);
  if (!text || !(text->prot & PROT_EXEC))
    return -1;
  if (vm_add_region(vm, USER_STACK_TOP - USERSTACK * PGSIZE, USER_STACK_TOP,
                    PROT_READ | PROT_WRITE, REGION_STACK, 0, 0, 0) < 0)
    return -1;
  vm->heap_start = heap_start;
  vm->brk = heap_start;
  *entry = eh.entry;
  return 0;
}

// The page where a writable segment's file bytes end and its bss begins
// is made private now, its tail zeroed, as Linux's ELF loader does (it
// zeroes that tail at exec).  The program writes the page as soon as it
// uses its first global variable, so this costs nothing in the end; done
// here, the program's memory right after exec is what it will be all its
// life unless it grows, which is what xv6 programs that count free memory
// (countfree) before and after their work assume.  Called with no inode
// lock held: the fault reads the file.
static int make_bss_page_private(struct vmspace *vm)
{
  for (struct region *r = vm->regions; r; r = r->next)
    if (r->obj && (r->prot & PROT_WRITE) && r->file_bytes % PGSIZE != 0 &&
        vm_fault(vm, r->start + PGROUNDDOWN(r->file_bytes), FAULT_WRITE) < 0)
      return -1;
  return 0;
}

// Copies argv onto the new stack: the strings, then the argv[] array.
// Returns the stack pointer, or 0 if they do not fit.
static uint64 push_arguments(struct vmspace *vm, char **argv, int *argcp)
{
  uint64 sp = USER_STACK_TOP;
  uint64 ustack[MAXARG + 1];
  int argc;
  for (argc = 0; argv[argc]; argc++) {
    if (argc >= MAXARG)
      return 0;
    uint64 len = strlen(argv[argc]) + 1;
    if (len > USER_STACK_TOP - sp + PGSIZE)
      return 0;
    sp = (sp - len) & ~15UL;
    if (sp < USER_STACK_TOP - PGSIZE || vm_copyout(vm, sp, argv[argc], len) < 0)
      return 0;
    ustack[argc] = sp;
  }
  ustack[argc] = 0;
  uint64 size = (argc + 1) * sizeof(uint64);
  sp = (sp - size) & ~15UL;
  if (sp < USER_STACK_TOP - PGSIZE || vm_copyout(vm, sp, ustack, size) < 0)
    return 0;
  *argcp = argc;
  return sp;
}

int exec(char *path, char **argv)
{
  struct proc *p = myproc();
  struct vmspace *vm = vm_create();
  if (!vm)
    return -1;
  begin_op();
  struct inode *ip = namei(path);
  if (!ip) {
    end_op();
    vm_destroy(vm);
    return -1;
  }
  ilock(ip);
  struct vm_object *file = vmo_of_file(ip);
  uint64 entry;
  int loaded = file ? load_program(vm, ip, file, &entry) : -1;
  iunlockput(ip);
  end_op();
  // The regions hold their own references to the file (and so its inode);
  // dropping ours (and a failed vm) outside the transaction.
  if (file)
    vmo_put(file);
  if (loaded < 0) {
    vm_destroy(vm);
    return -1;
  }

  int argc;
  uint64 sp = make_bss_page_private(vm) < 0 ? 0 : push_arguments(vm, argv, &argc);
  if (sp == 0) {
    vm_destroy(vm);
    return -1;
  }

  // Commit to the new program.  A switch to another hart in between is
  // harmless: the scheduler loads p->vm, whichever it is, and unloads
  // whatever this hart had, so no hart keeps old once vm is loaded here.
  struct vmspace *old = proc_swap_vm(p, vm);
  vm_load(vm);
  if (old)
    vm_destroy(old);

  char *name = path;
  for (char *s = path; *s; s++)
    if (*s == '/')
      name = s + 1;
  safestrcpy(p->name, name, sizeof(p->name));
  p->trapframe->epc = entry;
  p->trapframe->sp = sp;
  p->trapframe->a1 = sp;   // argv
  return argc;             // becomes a0
}

int kernel_exec(char *path)
{
  char *argv[] = { path, 0 };
  int argc = exec(path, argv);
  if (argc < 0)
    return -1;
  myproc()->trapframe->a0 = (uint64)argc;
  return 0;
}

uint64 sys_exec(void)
{
  char path[MAXPATH];
  char *argv[MAXARG + 1];
  uint64 uargv;
  int result = -1;

  argaddr(1, &uargv);
  if (argstr(0, path, MAXPATH) < 0)
    return (uint64)-1;
  int argc = 0;
  for (;; argc++) {
    uint64 uarg;
    if (argc == MAXARG || fetchaddr(uargv + sizeof(uint64) * argc, &uarg) < 0)
      goto out;
    if (uarg == 0)
      break;
    argv[argc] = frame_alloc(FRAME_KERNEL);
    if (!argv[argc] || fetchstr(uarg, argv[argc], PGSIZE) < 0) {
      argc += argv[argc] != 0;
      goto out;
    }
  }
  argv[argc] = 0;
  result = exec(path, argv);
out:
  for (int i = 0; i < argc; i++)
    frame_free(argv[i]);
  return (uint64)result;
}
