// Address spaces made of regions, and the page-fault handler that makes
// their pages real on first touch:
//   - zero-fill memory (heap, bss, stack) gets a zeroed frame;
//   - file-backed memory maps the file's page from the page cache
//     (vmobject.c), shared by every process that maps it; a private
//     writable mapping maps it copy-on-write;
//   - a write to a copy-on-write page copies it, or takes it over when no
//     one else shares it any more;
//   - a page out on swap is read back through the swap cache (private
//     again if nobody else shares its slot, else copy-on-write);
//   - a present page whose accessed/dirty bit is clear gets the bit set
//     (cores like the VisionFive 2's U74 fault instead of setting them).
// The region list is changed only by its process.  The page table is
// changed by its process and by the pager (pageout.c), under the pmap's
// lock; the handler drops it to read a page, and installs the page only if
// the PTE did not change meanwhile.  With no free frame, the handler
// reclaims some itself; with none to reclaim, the out-of-memory killer
// (oom.c) picks a victim.
#include "types.h"
#include "riscv.h"
#include "param.h"
#include "memlayout.h"
#include "fcntl.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "vm/frame.h"
#include "fs.h"
#include "log.h"
#include "printf.h"
#include "vm/vm.h"
#include "vm/vmobject.h"
#include "vm/objcache.h"
#include "vm/swap.h"
#include "vm/pageout.h"
#include "vm/oom.h"
#include "vm/localset.h"
#include "vm/allocation.h"
#include "lib/lib.h"

// Gap kept free below the lowest address the stack may grow to.
#define STACK_GUARD_GAP (16 * PGSIZE)
#define MMAP_TOP (USER_STACK_TOP - USER_STACK_LIMIT - STACK_GUARD_GAP)

static struct objcache regions;
static uint64 major_faults, minor_faults;

uint64 vm_major_faults(void)
{
  return __atomic_load_n(&major_faults, __ATOMIC_RELAXED);
}

uint64 vm_minor_faults(void)
{
  return __atomic_load_n(&minor_faults, __ATOMIC_RELAXED);
}
static struct objcache vmspaces;

void vm_init(void)
{
  objcache_init(&regions, "regions", sizeof(struct region));
  objcache_init(&vmspaces, "vmspaces", sizeof(struct vmspace));
  vmo_init();
  pv_init();
  pageout_init();
}

static void region_release(struct region *r)
{
  if (r->obj)
    vmo_put(r->obj);
  objcache_free(&regions, r);
}

struct vmspace *vm_create(void)
{
  struct vmspace *vm = objcache_alloc(&vmspaces);
  if (vm && pmap_create(&vm->pmap) < 0) {
    objcache_free(&vmspaces, vm);
    return 0;
  }
  if (vm) {
    vm->refs = 1;
    vm->local_wanted = 0;
    vm->local_by_hand = 0;
    vm->local = 0;
    vm->page_ins = 0;
    allocation_changed();
  }
  return vm;
}

void vm_hold(struct vmspace *vm)
{
  __atomic_fetch_add(&vm->refs, 1, __ATOMIC_RELAXED);
}

void vm_put(struct vmspace *vm)
{
  if (__atomic_sub_fetch(&vm->refs, 1, __ATOMIC_ACQ_REL) > 0)
    return;
  pmap_unmap_range(&vm->pmap, 0, MAXVA);   // what swapoff brought in late
  pmap_destroy(&vm->pmap);
  local_free(vm);
  objcache_free(&vmspaces, vm);
}

void vm_destroy(struct vmspace *vm)
{
  allocation_changed();
  vm_remove_range(vm, 0, MAXVA);
  vm_put(vm);
}

void vm_load(struct vmspace *vm)
{
  pmap_load(vm ? &vm->pmap : 0);
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
                  struct vm_object *obj, uint64 obj_offset, uint64 file_bytes)
{
  if (start >= end || end > MAXVA ||
      (start | end) % PGSIZE || !range_is_free(vm, start, end, 0))
    return -1;
  struct region *r = objcache_alloc(&regions);
  if (!r)
    return -1;
  r->start = start;
  r->end = end;
  // RISC-V reserves the PTE encoding "writable but not readable", and a
  // store needs a readable page anyway: write-only means read and write,
  // as on every RISC-V kernel.
  r->prot = (prot & PROT_WRITE) ? (prot | PROT_READ) : prot;
  r->flags = flags;
  r->obj = obj;
  if (obj)
    vmo_ref(obj);
  r->obj_offset = obj_offset;
  r->file_bytes = file_bytes;
  insert_region(vm, r);
  return 0;
}

uint64 vm_find_free(struct vmspace *vm, uint64 len)
{
  // Top-down from below the stack, in the highest gap that fits.
  uint64 top = MMAP_TOP;
  for (;;) {
    if (len > top || top - len < PGSIZE)
      return 0;
    uint64 start = top - len;
    struct region *clash = 0;
    for (struct region *r = vm->regions; r; r = r->next)
      if (r->start < top && start < r->end)
        clash = r;   // the highest-starting overlap (list is sorted)
    if (!clash)
      return start;
    top = clash->start;
  }
}

// Cuts r at addr (page-aligned, strictly inside r): r keeps [start, addr)
// and tail, a spare region, gets [addr, end).
static void split_region(struct region *r, uint64 addr, struct region *tail)
{
  *tail = *r;
  uint64 cut = addr - r->start;
  tail->start = addr;
  tail->obj_offset += cut;
  tail->file_bytes = r->file_bytes > cut ? r->file_bytes - cut : 0;
  if (tail->obj)
    vmo_ref(tail->obj);
  r->end = addr;
  r->next = tail;
}

// LAB mmap BEGIN
static int is_shared_file(struct region *r)
{
  return (r->flags & REGION_SHARED) && r->obj && r->obj->ip;
}

// Writes one dirty page of a shared file mapping back to the file.  Its D
// bit is cleared first, and the page flushed from the TLBs, so that a
// write during ours dirties it again.  The pager may take the page away
// meanwhile (unlocked, we only hold the frame), so the PTE is read under
// the lock.
struct sync_arg {
  struct vmspace *vm;
  struct region *region;
};

static void write_back_page(pte_t *pte, uint64 va, void *argp)
{
  struct sync_arg *arg = argp;
  struct pmap *pm = &arg->vm->pmap;
  acquire(&pm->lock);
  pte_t old = *pte;
  void *page = 0;
  if ((old & PTE_V) && (old & PTE_D)) {
    __atomic_fetch_and(pte, ~PTE_D, __ATOMIC_RELAXED);
    pmap_flush_page(pm, va);
    page = P2V(PTE2PA(old));
    frame_ref(page);
  }
  release(&pm->lock);
  if (!page)
    return;
  struct region *r = arg->region;
  begin_op();
  ilock(r->obj->ip);
  vmo_write_page(r->obj, (r->obj_offset + (va - r->start)) / PGSIZE, page);
  iunlock(r->obj->ip);
  end_op();
  frame_free(page);
}

void vm_sync_range(struct vmspace *vm, uint64 start, uint64 end)
{
  struct sync_arg arg = { vm, 0 };
  for (struct region *r = vm->regions; r; r = r->next) {
    if (!is_shared_file(r) || r->end <= start || r->start >= end)
      continue;
    uint64 from = r->start > start ? r->start : start;
    uint64 to = r->end < end ? r->end : end;
    arg.region = r;
    pmap_foreach(&vm->pmap, from, to, write_back_page, &arg);
  }
}
// LAB mmap STUB
// // Lab mmap: write the dirty pages of the MAP_SHARED file mappings in
// // [start, end) back to their files (msync, munmap, exit call this).
// void vm_sync_range(struct vmspace *vm, uint64 start, uint64 end)
// {
// }
// LAB mmap END

int vm_remove_range(struct vmspace *vm, uint64 start, uint64 end)
{
  start = PGROUNDDOWN(start);
  end = PGROUNDUP(end);
  // Cutting a hole splits the regions that straddle its ends (at most
  // two).  Get the spare regions first, so that nothing changes when they
  // cannot be had.
  struct region *spare[2] = { 0, 0 };
  int needed = 0, used = 0;
  for (struct region *r = vm->regions; r; r = r->next)
    needed += (r->start < start && start < r->end) + (r->start < end && end < r->end);
  for (int i = 0; i < needed; i++) {
    if (!(spare[i] = objcache_alloc(&regions))) {
      if (i > 0)
        objcache_free(&regions, spare[0]);
      return -1;
    }
  }

  vm_sync_range(vm, start, end);
  pmap_unmap_range(&vm->pmap, start, end);

  struct region **pp = &vm->regions;
  while (*pp) {
    struct region *r = *pp;
    if (r->end <= start || r->start >= end) {
      pp = &r->next;
      continue;
    }
    // Keep the parts of r outside [start, end).
    if (r->start < start) {
      split_region(r, start, spare[used++]);
      pp = &r->next;
      continue;
    }
    if (r->end > end)
      split_region(r, end, spare[used++]);
    *pp = r->next;
    region_release(r);
  }
  return 0;
}

// Copies every page of private writable region r into the child, as a
// kernel without copy-on-write would: the fork benchmark's baseline
// (CONFIG_EAGER_FORK) and the copy-on-write lab's starting point.  A page
// out on swap is not read back: the child's swap entry shares its slot.
struct eager_arg {
  struct vmspace *parent, *child;
  int failed;
};

static void copy_page(pte_t *pte, uint64 va, void *argp)
{
  struct eager_arg *arg = argp;
  struct pmap *from = &arg->parent->pmap, *to = &arg->child->pmap;
  if (arg->failed)
    return;
  // The pager may take the page meanwhile: hold its frame while copying.
  acquire(&from->lock);
  pte_t old = *pte;
  void *page = (old & PTE_V) ? P2V(PTE2PA(old)) : 0;
  if (page)
    frame_ref(page);
  release(&from->lock);
  if (!page) {
    arg->failed = pmap_copy_range(from, to, va, va + PGSIZE, 1) < 0;
    return;
  }
  // Copying needs as much memory again: make room as a fault would.
  void *copy;
  while (!(copy = frame_alloc(FRAME_USER)) && pageout_reclaim_direct() > 0)
    ;
  if (copy)
    memmove(copy, page, PGSIZE);
  frame_free(page);
  acquire(&to->lock);
  int mapped = copy && pmap_enter(to, va, V2P(copy), PTE_FLAGS(old) & ~PTE_V) == 0;
  release(&to->lock);
  if (!mapped) {
    if (copy)
      frame_free(copy);
    arg->failed = 1;
    return;
  }
  frame_count_copy();
}

static int copy_private_pages(struct vmspace *parent, struct vmspace *child, struct region *r)
{
  struct eager_arg arg = { parent, child, 0 };
  pmap_foreach_entry(&parent->pmap, r->start, r->end, copy_page, &arg);
  return arg.failed ? -1 : 0;
}

#ifdef CONFIG_EAGER_FORK
static const int eager_fork = 1;
#else
static const int eager_fork = 0;
#endif

// fork: the child maps the parent's frames; private writable pages become
// copy-on-write in both.  No data page is copied here.
static int fork_region(struct vmspace *parent, struct vmspace *child, struct region *r)
{
  if ((r->flags & REGION_SHARED) || !(r->prot & PROT_WRITE))
    return pmap_copy_range(&parent->pmap, &child->pmap, r->start, r->end, 0);
  if (eager_fork)
    return copy_private_pages(parent, child, r);
  // LAB cow BEGIN
  return pmap_copy_range(&parent->pmap, &child->pmap, r->start, r->end, 1);
  // LAB cow STUB
  // return copy_private_pages(parent, child, r);
  // LAB cow END
}

static struct vmspace *try_fork(struct vmspace *parent)
{
  struct vmspace *child = vm_create();
  if (!child)
    return 0;
  child->brk = parent->brk;
  child->heap_start = parent->heap_start;
  int failed = 0;
  for (struct region *r = parent->regions; r && !failed; r = r->next)
    failed = vm_add_region(child, r->start, r->end, r->prot, r->flags, r->obj, r->obj_offset,
                           r->file_bytes) < 0 ||
             fork_region(parent, child, r) < 0;
  pmap_flush(&parent->pmap);
  if (failed) {
    vm_destroy(child);
    return 0;
  }
  return child;
}

// The copy needs page tables and reverse-map entries, taken under the
// pmap locks where the pager cannot run: when memory is short, free some
// and try again; with nothing left to free, as a fault does, let the
// out-of-memory killer make room (or wait for its victim to go).
#define FORK_TRIES 8
#define FORK_RECLAIM 512   // frames freed between tries

struct vmspace *vm_fork(struct vmspace *parent)
{
  // Without swap, reclaiming could only drop clean file pages: the text of
  // the running programs, parent included, which they need right back.
  int tries = swap_is_on() ? FORK_TRIES : 1;
  for (int i = 0; i < tries; i++) {
    struct vmspace *child = try_fork(parent);
    if (child || i + 1 == tries)
      return child;
    if (pageout_reclaim(FORK_RECLAIM) == 0 && oom_kill() < 0)
      return 0;   // this process was the victim
  }
  return 0;
}

const char *vm_fault_error(int err)
{
  switch (err) {
  case VM_ERR_NO_REGION: return "outside every region";
  case VM_ERR_PROTECTION: return "not allowed by the region";
  case VM_ERR_NO_MEMORY: return "out of memory";
  case VM_ERR_IO: return "cannot read the backing file";
  case VM_ERR_PUT_OFF: return "needs a file read while an inode is locked";
  case VM_ERR_SWAP_IO: return "swap read error";
  case VM_ERR_KILLED: return "out of memory and swap";
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

// Whether a present PTE lets a user access through without a fault.
static int pte_allows(pte_t pte, enum fault_access access)
{
  uint64 need = PTE_V | PTE_U | PTE_A;
  switch (access) {
  case FAULT_READ: need |= PTE_R; break;
  case FAULT_WRITE: need |= PTE_R | PTE_W | PTE_D; break;
  case FAULT_EXEC: need |= PTE_X; break;
  }
  return (pte & need) == need;
}

// The stack region grows down to cover va, if va is within the limit.
static struct region *grow_stack(struct vmspace *vm, uint64 va)
{
  for (struct region *r = vm->regions; r; r = r->next) {
    if (!(r->flags & REGION_STACK) || va >= r->start)
      continue;
    uint64 new_start = PGROUNDDOWN(va);
    if (va < USER_STACK_TOP - USER_STACK_LIMIT || !range_is_free(vm, new_start, r->start, r))
      return 0;
    r->start = new_start;
    return r;
  }
  return 0;
}

// Finds the frame that page va of r should map and the PTE bits to map it
// with.  Private file pages are shared with the page cache copy-on-write
// until written; a page that ends the file's part of a private region gets
// its own copy with the rest zeroed.
static void *page_for_fault(struct region *r, uint64 va, enum fault_access access,
                            uint64 *perm, int *err)
{
  uint64 offset = va - r->start;
  *perm = pte_perm(r);
  if (!r->obj || (!(r->flags & REGION_SHARED) && offset >= r->file_bytes)) {
    void *page = frame_alloc_zeroed(FRAME_USER);
    if (!page)
      *err = VM_ERR_NO_MEMORY;
    return page;
  }
  void *cached = vmo_get_page(r->obj, (r->obj_offset + offset) / PGSIZE, err);
  if (cached && (r->flags & REGION_SHARED) && (r->prot & PROT_WRITE) && r->obj->ip)
    vmo_mark_shared_write(cached);   // it may get newer than the file
  if (!cached || (r->flags & REGION_SHARED))
    return cached;

  uint64 from_file = r->file_bytes - offset;
  if (from_file >= PGSIZE && access != FAULT_WRITE) {
    if (*perm & PTE_W)
      *perm = (*perm & ~PTE_W) | PTE_COW;
    return cached;
  }
  void *copy = frame_alloc(FRAME_USER);
  if (copy) {
    uint n = from_file < PGSIZE ? (uint)from_file : PGSIZE;
    memmove(copy, cached, (int)n);
    memset((char *)copy + n, 0, PGSIZE - n);
    frame_count_copy();
  } else {
    *err = VM_ERR_NO_MEMORY;
  }
  frame_free(cached);
  return copy;
}

// The page of slot, for page va of r, and the PTE bits to map it with:
// if the caller's swap entry (and its hold) are the slot's only users, the
// page leaves the swap cache and is private again; else it stays there,
// shared copy-on-write with the others.
static void *swap_in(pte_t entry, uint64 *perm, int *err)
{
  uint64 slot = pte_swap_slot(entry);
  void *page = vmo_get_page(&swap_object, slot, err);
  if (!page)
    return 0;
  int writable = (entry & (PTE_W | PTE_COW)) != 0;
  *perm = entry & PTE_SWAP_KEEP & ~(PTE_W | PTE_COW);
  if (swap_count(slot) == 2 && vmo_swap_take(page, slot))
    *perm |= writable ? PTE_W : 0;
  else
    *perm |= writable ? PTE_COW : 0;
  return page;
}

// pm->lock held.
static int copy_on_write(struct pmap *pm, pte_t *pte, uint64 va)
{
  pte_t old = *pte;
  void *page = P2V(PTE2PA(old));
  uint64 flags = (PTE_FLAGS(old) & ~PTE_COW) | PTE_W | PTE_A | PTE_D;
  if (frame_refcount(page) == 1) {
    __atomic_store_n(pte, PA2PTE(V2P(page)) | flags, __ATOMIC_RELEASE);   // nobody else has it now
  } else {
    void *copy = frame_alloc(FRAME_USER);
    if (!copy)
      return VM_ERR_NO_MEMORY;
    memmove(copy, page, PGSIZE);
    if (pmap_enter(pm, va, V2P(copy), flags & ~PTE_V) < 0) {
      frame_free(copy);
      return VM_ERR_NO_MEMORY;
    }
    frame_count_copy();
  }
  pmap_flush_local(va);
  return 0;
}

// One attempt at making page va of r present for access (r may be 0 for
// a page out on swap).
static int fault_page(struct vmspace *vm, struct region *r, uint64 va, enum fault_access access)
{
  struct pmap *pm = &vm->pmap;
  uint64 touched = PTE_A | (access == FAULT_WRITE ? PTE_D : 0);
  acquire(&pm->lock);
  pte_t *pte = pmap_walk(pm->root, va, 1);
  if (!pte) {
    release(&pm->lock);
    return VM_ERR_NO_MEMORY;
  }
  pte_t old = *pte;
  if (old & PTE_V) {
    int err = 0;
    if (access == FAULT_WRITE && (old & PTE_COW)) {
      err = copy_on_write(pm, pte, va);
    } else {
      __atomic_fetch_or(pte, touched, __ATOMIC_RELAXED);
      pmap_flush_local(va);
      // Reporting success for a PTE that still refuses the access would
      // make the hart take the same fault again, forever.
      if (!pte_allows(*pte, access))
        err = VM_ERR_PROTECTION;
    }
    release(&pm->lock);
    return err;
  }
  release(&pm->lock);

  // The slow part, without the lock: it may read a file or swap.
  uint64 perm;
  int err = 0;
  long slot = pte_is_swap(old) ? (long)pte_swap_slot(old) : -1;
  if (slot >= 0)
    swap_dup((uint64)slot);   // our hold: the slot stays while we read
  void *page = slot >= 0 ? swap_in(old, &perm, &err) : page_for_fault(r, va, access, &perm, &err);
  if (page) {
    acquire(&pm->lock);
    // If the PTE changed while we slept (the page got mapped by a fault
    // from a kernel copy, or evicted again), leave it: the access retries.
    if (*pte != old) {
      frame_free(page);
    } else if (pmap_enter(pm, va, V2P(page), perm | touched) < 0) {
      frame_free(page);
      err = VM_ERR_NO_MEMORY;
    } else {
      pmap_flush_local(va);
      __atomic_fetch_add(&vm->page_ins, 1, __ATOMIC_RELAXED);
    }
    release(&pm->lock);
  }
  if (slot >= 0)
    swap_put((uint64)slot);
  return err;
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
  struct proc *p = myproc();   // 0 in the boot-time self test
  uint64 reads = p ? p->page_reads : 0;
  // Under a fixed allocation, a page about to be loaded needs a frame of it.
  int frame = -1;
  if (vm->local || vm->local_wanted) {
    pte_t *pte = pmap_walk(vm->pmap.root, va, 0);
    if (!pte || !(*pte & PTE_V))
      frame = local_make_room(vm, r);
  }
  for (;;) {
    int err = fault_page(vm, r, va, access);
    if (err != VM_ERR_NO_MEMORY) {
      int major = p && p->page_reads != reads;
      __atomic_fetch_add(major ? &major_faults : &minor_faults, 1, __ATOMIC_RELAXED);
      if (err == 0 && frame >= 0)
        local_loaded(vm, frame, va);
      return err;
    }
    if (!p || killed(p))
      return VM_ERR_KILLED;
    if (pageout_reclaim_direct() > 0)
      continue;
    if (oom_kill() < 0)
      return VM_ERR_KILLED;   // we were the victim
  }
}

// Makes [from, to) heap: the heap region that ends at from grows over it,
// or, if munmap took that part of the heap, a new region starts there.
static int heap_grow(struct vmspace *vm, uint64 from, uint64 to)
{
  if (!range_is_free(vm, from, to, 0))
    return -1;
  for (struct region *r = vm->regions; r; r = r->next) {
    if ((r->flags & REGION_HEAP) && r->end == from) {
      r->end = to;
      return 0;
    }
  }
  return vm_add_region(vm, from, to, PROT_READ | PROT_WRITE, REGION_HEAP, 0, 0, 0);
}

// The break is the process's own number: holes that munmap cut in the
// heap do not change it, and only the pages it crosses are added or taken.
uint64 vm_sbrk(struct vmspace *vm, long n)
{
  uint64 old = vm->brk;
  uint64 new_brk = old + (uint64)n;
  if ((n > 0 && (new_brk < old || new_brk > MMAP_TOP)) ||
      (n < 0 && (new_brk > old || new_brk < vm->heap_start)))
    return (uint64)-1;
  uint64 old_end = PGROUNDUP(old), new_end = PGROUNDUP(new_brk);
  if ((new_end > old_end && heap_grow(vm, old_end, new_end) < 0) ||
      (new_end < old_end && vm_remove_range(vm, new_end, old_end) < 0))
    return (uint64)-1;
  // LAB lazy BEGIN
  // LAB lazy STUB
  // // Eager, as xv6's sbrk was: every new page gets its frame now.
  // for (uint64 va = old_end; va < new_end; va += PGSIZE)
  //   if (vm_fault(vm, va, FAULT_WRITE) < 0) {
  //     vm_remove_range(vm, old_end, new_end);
  //     return (uint64)-1;
  //   }
  // LAB lazy END
  vm->brk = new_brk;
  return old;
}

int vm_copyout(struct vmspace *vm, uint64 va, const void *src, uint64 len)
{
  const char *from = src;
  while (len > 0) {
    if (vm_fault(vm, va, FAULT_WRITE) < 0)
      return -1;
    uint64 in_page = PGSIZE - (va % PGSIZE);
    uint64 n = len < in_page ? len : in_page;
    // Under the lock, so that the pager cannot take the page meanwhile; if
    // it took it already, fault again.
    acquire(&vm->pmap.lock);
    pte_t *pte = pmap_walk(vm->pmap.root, va, 0);
    int present = pte && (*pte & (PTE_V | PTE_W)) == (PTE_V | PTE_W);
    if (present)
      memmove((char *)P2V(PTE2PA(*pte)) + va % PGSIZE, from, (int)n);
    release(&vm->pmap.lock);
    if (!present)
      continue;
    from += n;
    va += n;
    len -= n;
  }
  return 0;
}

uint64 vm_resident_pages(struct vmspace *vm)
{
  uint64 present, swapped;
  pmap_count(&vm->pmap, 0, MAXVA, &present, &swapped);
  return present;
}

uint64 vm_swapped_pages(struct vmspace *vm)
{
  uint64 present, swapped;
  pmap_count(&vm->pmap, 0, MAXVA, &present, &swapped);
  return swapped;
}

struct swap_in_arg {
  struct vmspace *vm;
  int err;
};

static void swap_in_entry(pte_t *pte, uint64 va, void *argp)
{
  struct swap_in_arg *arg = argp;
  (void)pte;
  while (arg->err == 0) {
    int err = fault_page(arg->vm, 0, va, FAULT_READ);
    if (err != VM_ERR_NO_MEMORY || pageout_reclaim_direct() == 0) {
      arg->err = err;
      return;
    }
  }
}

int vm_swap_in_all(struct vmspace *vm)
{
  struct swap_in_arg arg = { vm, 0 };
  pmap_foreach_swapped(&vm->pmap, 0, MAXVA, swap_in_entry, &arg);
  return arg.err;
}
