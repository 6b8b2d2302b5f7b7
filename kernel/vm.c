// Address spaces made of regions, and the page-fault handler that makes
// their pages real on first touch:
//   - zero-fill memory (heap, bss, stack) gets a zeroed frame;
//   - file-backed memory (program text and data) is read from the file;
//   - a write to a copy-on-write page copies it, or takes it over when no
//     one else shares it any more;
//   - a present page whose accessed/dirty bit is clear gets the bit set
//     (cores like the VisionFive 2's U74 fault instead of setting them).
// A process's page table is changed only by that process (or, for exec's
// new address space, before anyone runs in it), so no lock is needed here;
// frames shared between processes are guarded by their atomic refcounts.
#include "types.h"
#include "riscv.h"
#include "param.h"
#include "memlayout.h"
#include "fcntl.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "frame.h"
#include "fs.h"
#include "log.h"
#include "printf.h"
#include "vm.h"
#include "lib/lib.h"

#define NREGION (NPROC * 16)
#define NVMSPACE (NPROC + 4)

// Regions and address spaces come from fixed pools.
static struct spinlock pool_lock;
static struct region region_pool[NREGION];
static struct region *free_regions;
static struct vmspace vmspace_pool[NVMSPACE];
static struct vmspace *free_vmspaces;
static uint64 file_pages_read;

void vm_init(void)
{
  spin_init(&pool_lock, "vm pools");
  for (int i = 0; i < NREGION; i++) {
    region_pool[i].next = free_regions;
    free_regions = &region_pool[i];
  }
  for (int i = 0; i < NVMSPACE; i++) {
    vmspace_pool[i].regions = (struct region *)free_vmspaces;
    free_vmspaces = &vmspace_pool[i];
  }
}

static struct region *region_alloc(void)
{
  acquire(&pool_lock);
  struct region *r = free_regions;
  if (r)
    free_regions = r->next;
  release(&pool_lock);
  if (r)
    memset(r, 0, sizeof(*r));
  return r;
}

static void region_release(struct region *r)
{
  if (r->ip) {
    begin_op();
    iput(r->ip);
    end_op();
  }
  acquire(&pool_lock);
  r->next = free_regions;
  free_regions = r;
  release(&pool_lock);
}

struct vmspace *vm_create(void)
{
  acquire(&pool_lock);
  struct vmspace *vm = free_vmspaces;
  if (vm)
    free_vmspaces = (struct vmspace *)vm->regions;
  release(&pool_lock);
  if (!vm)
    return 0;
  memset(vm, 0, sizeof(*vm));
  if (pmap_create(&vm->pmap) < 0) {
    acquire(&pool_lock);
    vm->regions = (struct region *)free_vmspaces;
    free_vmspaces = vm;
    release(&pool_lock);
    return 0;
  }
  return vm;
}

static void unmap_page(pte_t *pte, uint64 va, void *arg)
{
  (void)va;
  (void)arg;
  void *page = P2V(PTE2PA(*pte));
  *pte = 0;
  frame_free(page);
}

void vm_destroy(struct vmspace *vm)
{
  vm_remove_range(vm, 0, MAXVA);
  pmap_destroy(&vm->pmap);
  acquire(&pool_lock);
  vm->regions = (struct region *)free_vmspaces;
  free_vmspaces = vm;
  release(&pool_lock);
}

void vm_activate(struct vmspace *vm)
{
  pmap_activate(&vm->pmap);
}

void vm_deactivate(struct vmspace *vm)
{
  pmap_deactivate(&vm->pmap);
}

struct region *vm_find_region(struct vmspace *vm, uint64 va)
{
  for (struct region *r = vm->regions; r && r->start <= va; r = r->next)
    if (va < r->end)
      return r;
  return 0;
}

static int range_is_free(struct vmspace *vm, uint64 start, uint64 end, struct region *except)
{
  for (struct region *r = vm->regions; r; r = r->next)
    if (r != except && r->start < end && start < r->end)
      return 0;
  return 1;
}

static void insert_region(struct vmspace *vm, struct region *nr)
{
  struct region **pp = &vm->regions;
  while (*pp && (*pp)->start < nr->start)
    pp = &(*pp)->next;
  nr->next = *pp;
  *pp = nr;
}

int vm_add_region(struct vmspace *vm, uint64 start, uint64 end, int prot, int flags,
                  struct inode *ip, uint64 file_offset, uint64 file_bytes)
{
  if (start >= end || end > MAXVA || (start | end) % PGSIZE || !range_is_free(vm, start, end, 0))
    return -1;
  struct region *r = region_alloc();
  if (!r)
    return -1;
  r->start = start;
  r->end = end;
  r->prot = prot;
  r->flags = flags;
  r->ip = ip ? idup(ip) : 0;
  r->file_offset = file_offset;
  r->file_bytes = file_bytes;
  insert_region(vm, r);
  return 0;
}

// Cuts r at addr (page-aligned, strictly inside r): r keeps [start, addr)
// and a new region after it gets [addr, end).  -1 if no region is free.
static int split_region(struct region *r, uint64 addr)
{
  struct region *tail = region_alloc();
  if (!tail)
    return -1;
  *tail = *r;
  uint64 cut = addr - r->start;
  tail->start = addr;
  tail->file_offset += cut;
  tail->file_bytes = r->file_bytes > cut ? r->file_bytes - cut : 0;
  if (tail->ip)
    idup(tail->ip);
  r->end = addr;
  r->next = tail;
  return 0;
}

void vm_remove_range(struct vmspace *vm, uint64 start, uint64 end)
{
  start = PGROUNDDOWN(start);
  end = PGROUNDUP(end);
  pmap_foreach(&vm->pmap, start, end, unmap_page, 0);
  pmap_flush(&vm->pmap);

  struct region **pp = &vm->regions;
  while (*pp) {
    struct region *r = *pp;
    if (r->end <= start || r->start >= end) {
      pp = &r->next;
      continue;
    }
    // Keep the parts of r outside [start, end).  A split needs a free
    // region; without one the mapping stays, unbacked pages and all.
    if (r->start < start) {
      if (split_region(r, start) < 0)
        return;
      pp = &r->next;
      continue;
    }
    if (r->end > end && split_region(r, end) < 0)
      return;
    *pp = r->next;
    region_release(r);
  }
}

// Copy-on-write sharing for fork: the child maps the parent's frames; a
// private writable page becomes read-only with PTE_COW in both.
struct fork_arg {
  struct vmspace *child;
  struct region *region;
  int failed;
};

static void share_page(pte_t *pte, uint64 va, void *argp)
{
  struct fork_arg *arg = argp;
  if (arg->failed)
    return;
  if (!(arg->region->flags & REGION_SHARED) && (*pte & (PTE_W | PTE_COW)))
    *pte = (*pte & ~PTE_W) | PTE_COW;
  if (pmap_enter(&arg->child->pmap, va, PTE2PA(*pte), PTE_FLAGS(*pte) & ~PTE_V) < 0) {
    arg->failed = 1;
    return;
  }
  frame_ref(P2V(PTE2PA(*pte)));
}

struct vmspace *vm_fork(struct vmspace *parent)
{
  struct vmspace *child = vm_create();
  if (!child)
    return 0;
  child->brk = parent->brk;
  struct fork_arg arg = { child, 0, 0 };
  for (struct region *r = parent->regions; r && !arg.failed; r = r->next) {
    if (vm_add_region(child, r->start, r->end, r->prot, r->flags, r->ip, r->file_offset,
                      r->file_bytes) < 0) {
      arg.failed = 1;
      break;
    }
    arg.region = r;
    pmap_foreach(&parent->pmap, r->start, r->end, share_page, &arg);
  }
  pmap_flush(&parent->pmap);
  if (arg.failed) {
    vm_destroy(child);
    return 0;
  }
  return child;
}

const char *vm_fault_error(int err)
{
  switch (err) {
  case VM_ERR_NO_REGION: return "outside every region";
  case VM_ERR_PROTECTION: return "not allowed by the region";
  case VM_ERR_NO_MEMORY: return "out of memory";
  case VM_ERR_IO: return "cannot read the backing file";
  }
  return "unknown error";
}

static int access_allowed(struct region *r, enum fault_access access)
{
  switch (access) {
  case FAULT_READ: return (r->prot & PROT_READ) != 0;
  case FAULT_WRITE: return (r->prot & PROT_WRITE) != 0;
  case FAULT_EXEC: return (r->prot & PROT_EXEC) != 0;
  }
  return 0;
}

static uint64 pte_perm(struct region *r)
{
  uint64 perm = PTE_U;
  if (r->prot & PROT_READ) perm |= PTE_R;
  if (r->prot & PROT_WRITE) perm |= PTE_W;
  if (r->prot & PROT_EXEC) perm |= PTE_X;
  return perm;
}

// The stack region grows down to cover va, if va is within the limit.
static struct region *grow_stack(struct vmspace *vm, uint64 va)
{
  for (struct region *r = vm->regions; r; r = r->next) {
    if (!(r->flags & REGION_STACK) || va >= r->start)
      continue;
    uint64 lowest = USER_STACK_TOP - USER_STACK_LIMIT;
    uint64 new_start = PGROUNDDOWN(va);
    if (va < lowest || !range_is_free(vm, new_start, r->start, r))
      return 0;
    r->start = new_start;
    return r;
  }
  return 0;
}

// Fills a new frame for page va of region r.
static int fill_page(struct region *r, uint64 va, void *page)
{
  uint64 offset = va - r->start;
  memset(page, 0, PGSIZE);
  if (!r->ip || offset >= r->file_bytes)
    return 0;
  uint n = (uint)(r->file_bytes - offset < PGSIZE ? r->file_bytes - offset : PGSIZE);
  ilock(r->ip);
  int got = readi(r->ip, 0, (uint64)page, (uint)(r->file_offset + offset), n);
  iunlock(r->ip);
  __atomic_fetch_add(&file_pages_read, 1, __ATOMIC_RELAXED);
  return got < 0 ? -1 : 0;
}

static int copy_on_write(struct vmspace *vm, pte_t *pte, uint64 va)
{
  void *old = P2V(PTE2PA(*pte));
  uint64 flags = (PTE_FLAGS(*pte) & ~PTE_COW) | PTE_W | PTE_A | PTE_D;
  if (frame_refcount(old) == 1) {
    *pte = PA2PTE(V2P(old)) | flags;   // nobody else has it now
  } else {
    void *copy = frame_alloc(FRAME_USER);
    if (!copy)
      return VM_ERR_NO_MEMORY;
    memmove(copy, old, PGSIZE);
    frame_count_copy();
    *pte = PA2PTE(V2P(copy)) | flags;
    frame_free(old);
  }
  pmap_flush_local(va);
  (void)vm;
  return 0;
}

int vm_fault(struct vmspace *vm, uint64 va, enum fault_access access)
{
  if (va >= MAXVA)
    return VM_ERR_NO_REGION;
  va = PGROUNDDOWN(va);
  struct region *r = vm_find_region(vm, va);
  if (!r && !(r = grow_stack(vm, va)))
    return VM_ERR_NO_REGION;
  if (!access_allowed(r, access))
    return VM_ERR_PROTECTION;

  pte_t *pte = pmap_walk(vm->pmap.root, va, 1);
  if (!pte)
    return VM_ERR_NO_MEMORY;
  if (*pte & PTE_V) {
    if (access == FAULT_WRITE && (*pte & PTE_COW))
      return copy_on_write(vm, pte, va);
    *pte |= PTE_A | (access == FAULT_WRITE ? PTE_D : 0);
    pmap_flush_local(va);
    return 0;
  }

  void *page = frame_alloc(FRAME_USER);
  if (!page)
    return VM_ERR_NO_MEMORY;
  if (fill_page(r, va, page) < 0) {
    frame_free(page);
    return VM_ERR_IO;
  }
  // A page read in from a file can meet another fault on the same address
  // (the read slept); keep whichever came first.
  if (*pte & PTE_V) {
    frame_free(page);
    return 0;
  }
  *pte = PA2PTE(V2P(page)) | pte_perm(r) | PTE_V | PTE_A | (access == FAULT_WRITE ? PTE_D : 0);
  pmap_flush_local(va);
  return 0;
}

static struct region *heap_region(struct vmspace *vm)
{
  for (struct region *r = vm->regions; r; r = r->next)
    if (r->flags & REGION_HEAP)
      return r;
  return 0;
}

uint64 vm_sbrk(struct vmspace *vm, long n)
{
  struct region *heap = heap_region(vm);
  uint64 old = vm->brk;
  if (!heap)
    return (uint64)-1;
  uint64 new_brk = old + (uint64)n;
  if ((n > 0 && (new_brk < old || new_brk > USER_STACK_TOP - USER_STACK_LIMIT)) ||
      (n < 0 && (new_brk > old || new_brk < heap->start)))
    return (uint64)-1;
  uint64 new_end = PGROUNDUP(new_brk);
  if (new_end > heap->end && !range_is_free(vm, heap->end, new_end, heap))
    return (uint64)-1;
  if (new_end < heap->end) {
    pmap_foreach(&vm->pmap, new_end, heap->end, unmap_page, 0);
    pmap_flush(&vm->pmap);
  }
  // The heap region is never empty: it keeps at least its first page.
  heap->end = new_end > heap->start ? new_end : heap->start + PGSIZE;
  vm->brk = new_brk;
  return old;
}

int vm_copyout(struct vmspace *vm, uint64 va, const void *src, uint64 len)
{
  const char *from = src;
  while (len > 0) {
    if (vm_fault(vm, va, FAULT_WRITE) < 0)
      return -1;
    pte_t *pte = pmap_walk(vm->pmap.root, va, 0);
    uint64 in_page = PGSIZE - (va % PGSIZE);
    uint64 n = len < in_page ? len : in_page;
    memmove((char *)P2V(PTE2PA(*pte)) + va % PGSIZE, from, (int)n);
    from += n;
    va += n;
    len -= n;
  }
  return 0;
}

static void count_page(pte_t *pte, uint64 va, void *arg)
{
  (void)pte;
  (void)va;
  (*(uint64 *)arg)++;
}

uint64 vm_resident_pages(struct vmspace *vm)
{
  uint64 n = 0;
  pmap_foreach(&vm->pmap, 0, MAXVA, count_page, &n);
  return n;
}

uint64 vm_file_pages_read(void)
{
  return __atomic_load_n(&file_pages_read, __ATOMIC_RELAXED);
}
