// Sv39 page tables: three levels of 512 PTEs; a leaf may sit at level 2
// (1 GiB), 1 (2 MiB) or 0 (4 KiB).  User mappings are always 4 KiB.
#include "types.h"
#include "riscv.h"
#include "param.h"
#include "memlayout.h"
#include "proc.h"
#include "vm/frame.h"
#include "printf.h"
#include "sbi.h"
#include "vm/pmap.h"
#include "vm/swap.h"
#include "lib/lib.h"

#define PTE_LEAF (PTE_R | PTE_W | PTE_X)
#define USER_ROOT_ENTRIES 256   // root entries below MAXVA

struct pmap kernel_pmap;

static pagetable_t next_table(pte_t pte)
{
  return (pagetable_t)P2V(PTE2PA(pte));
}

// The PTE for va at the given level, creating tables down to it if alloc.
// Stops early (returns a higher-level leaf) if a superpage covers va.
static pte_t *walk_to_level(pagetable_t root, uint64 va, int level, int alloc)
{
  pagetable_t table = root;
  for (int l = 2; l > level; l--) {
    pte_t *pte = &table[PX(l, va)];
    if (*pte & PTE_V) {
      if (*pte & PTE_LEAF)
        return pte;
    } else {
      if (!alloc)
        return 0;
      void *page = frame_alloc_zeroed(FRAME_KERNEL);
      if (!page)
        return 0;
      *pte = PA2PTE(V2P(page)) | PTE_V;
    }
    table = next_table(*pte);
  }
  return &table[PX(level, va)];
}

pte_t *pmap_walk(pagetable_t root, uint64 va, int alloc)
{
  return walk_to_level(root, va, 0, alloc);
}

int pmap_map_range(pagetable_t root, uint64 va, uint64 pa, uint64 size, uint64 perm)
{
  uint64 end = va + size;
  while (va < end) {
    int level = 0;
    for (int l = 2; l > 0; l--) {
      uint64 span = 1UL << PXSHIFT(l);
      if ((va & (span - 1)) == 0 && (pa & (span - 1)) == 0 && end - va >= span) {
        level = l;
        break;
      }
    }
    pte_t *pte = walk_to_level(root, va, level, 1);
    if (!pte)
      return -1;
    if (*pte & PTE_V)
      panic("pmap_map_range: %p already mapped", (void *)va);
    *pte = PA2PTE(pa) | perm | PTE_V;
    va += 1UL << PXSHIFT(level);
    pa += 1UL << PXSHIFT(level);
  }
  return 0;
}

int pmap_create(struct pmap *pm)
{
  pagetable_t root = frame_alloc_zeroed(FRAME_KERNEL);
  if (!root)
    return -1;
  // The upper half's tables are shared: every address space sees the same
  // kernel mappings without copying them.
  for (int i = USER_ROOT_ENTRIES; i < 512; i++)
    root[i] = kernel_pmap.root[i];
  pm->root = root;
  pm->active = 0;
  spin_init(&pm->lock, "pmap");
  return 0;
}

static void free_tables(pagetable_t table, int level)
{
  for (int i = 0; i < 512 && level > 0; i++) {
    pte_t pte = table[i];
    if ((pte & PTE_V) && !(pte & PTE_LEAF))
      free_tables(next_table(pte), level - 1);
  }
  frame_free(table);
}

void pmap_destroy(struct pmap *pm)
{
  // A hart with this table in satp would walk freed pages, and whatever
  // reuses them, for every address, the kernel's included.
  if (__atomic_load_n(&pm->active, __ATOMIC_SEQ_CST))
    panic("pmap_destroy: table still loaded (harts %p)", (void *)pm->active);
  for (int i = 0; i < USER_ROOT_ENTRIES; i++) {
    pte_t pte = pm->root[i];
    if ((pte & PTE_V) && !(pte & PTE_LEAF))
      free_tables(next_table(pte), 1);
  }
  frame_free(pm->root);
  pm->root = 0;
}

// Drops what a user PTE held: its frame's reference and reverse-map
// entry, or its swap slot's reference.  pm->lock held.
static void drop_entry(struct pmap *pm, uint64 va, pte_t pte)
{
  if (pte & PTE_V) {
    pv_remove(frame_of_pa(PTE2PA(pte)), pm, va);
    frame_unref_pa(PTE2PA(pte));
  } else if (pte_is_swap(pte)) {
    swap_put(pte_swap_slot(pte));
  }
}

int pmap_enter(struct pmap *pm, uint64 va, uint64 pa, uint64 perm)
{
  pte_t *pte = pmap_walk(pm->root, va, 1);
  if (!pte || pv_add(frame_of_pa(pa), pm, va) < 0)
    return -1;
  pte_t old = __atomic_exchange_n(pte, PA2PTE(pa) | perm | PTE_V, __ATOMIC_ACQ_REL);
  drop_entry(pm, va, old);
  return 0;
}

// The user page table each hart has loaded in satp (0: the kernel's
// alone).  A pmap's active bits are exactly the harts that have it here.
static struct pmap *loaded[NCPU];

void pmap_load(struct pmap *pm)
{
  push_off();   // the hart must not change under us
  int me = cpuid();
  struct pmap *old = loaded[me];
  if (pm)
    __atomic_fetch_or(&pm->active, 1UL << me, __ATOMIC_SEQ_CST);
  w_satp(MAKE_SATP(V2P((pm ? pm : &kernel_pmap)->root)));
  sfence_vma();
  // Only now, with no translation of old left here, may a flush of old
  // leave this hart out.
  if (old && old != pm)
    __atomic_fetch_and(&old->active, ~(1UL << me), __ATOMIC_SEQ_CST);
  loaded[me] = pm;
  pop_off();
}

// Flushes [va, va + size) (size -1: everything) here and on every other
// hart that may have pm loaded.
static void flush(struct pmap *pm, uint64 va, uint64 size)
{
  push_off();
  int me = cpuid();
  if (size == (uint64)-1)
    sfence_vma();
  else
    pmap_flush_local(va);
  uint64 others = __atomic_load_n(&pm->active, __ATOMIC_SEQ_CST) & ~(1UL << me);
  for (int i = 0; i < ncpu; i++)
    if (others & (1UL << i))
      sbi_remote_sfence_vma_range(1, cpus[i].hartid, va, size);
  pop_off();
}

void pmap_flush(struct pmap *pm)
{
  flush(pm, 0, (uint64)-1);
}

void pmap_flush_page(struct pmap *pm, uint64 va)
{
  flush(pm, va, PGSIZE);
}

// The end of the level-`level` block holding va (1 GiB for level 2,
// 2 MiB for level 1), capped at end.
static uint64 block_end(uint64 va, int level, uint64 end)
{
  uint64 next = (va | ((1UL << PXSHIFT(level)) - 1)) + 1;
  return next < end && next > va ? next : end;
}

// The level-0 table covering va, or 0 if there is none; then *next is
// where the next table may start (skipping a whole absent 1 GiB block).
static pagetable_t leaf_table(pagetable_t root, uint64 va, uint64 end, uint64 *next)
{
  pte_t top = root[PX(2, va)];
  if (!(top & PTE_V) || (top & PTE_LEAF)) {
    *next = block_end(va, 2, end);
    return 0;
  }
  *next = block_end(va, 1, end);
  pte_t mid = next_table(top)[PX(1, va)];
  if (!(mid & PTE_V) || (mid & PTE_LEAF))
    return 0;
  return next_table(mid);
}

// Calls visit for every leaf PTE in [start, end) that has any of the bits
// in want (PTE_V: present pages; PTE_V | PTE_SWAP: swap entries too).
static void visit_leaves(struct pmap *pm, uint64 start, uint64 end, pte_t want,
                         pte_visitor visit, void *arg)
{
  uint64 stop;
  for (uint64 va = start; va < end; va = stop) {
    pagetable_t leaves = leaf_table(pm->root, va, end, &stop);
    if (!leaves)
      continue;
    for (uint64 a = va; a < stop; a += PGSIZE) {
      pte_t *pte = &leaves[PX(0, a)];
      if (*pte & want)
        visit(pte, a, arg);
    }
  }
}

void pmap_foreach(struct pmap *pm, uint64 start, uint64 end, pte_visitor visit, void *arg)
{
  visit_leaves(pm, start, end, PTE_V, visit, arg);
}

void pmap_foreach_entry(struct pmap *pm, uint64 start, uint64 end, pte_visitor visit, void *arg)
{
  visit_leaves(pm, start, end, PTE_V | PTE_SWAP, visit, arg);
}

void pmap_foreach_swapped(struct pmap *pm, uint64 start, uint64 end, pte_visitor visit, void *arg)
{
  visit_leaves(pm, start, end, PTE_SWAP, visit, arg);
}

struct page_counts {
  uint64 present, swapped;
};

static void count_entry(pte_t *pte, uint64 va, void *arg)
{
  struct page_counts *n = arg;
  (void)va;
  if (*pte & PTE_V)
    n->present++;
  else
    n->swapped++;
}

void pmap_count(struct pmap *pm, uint64 start, uint64 end, uint64 *present, uint64 *swapped)
{
  struct page_counts n = { 0, 0 };
  pmap_foreach_entry(pm, start, end, count_entry, &n);
  *present = n.present;
  *swapped = n.swapped;
}

// Both locks held.  A swap entry is copied as it is: the child's entry is
// one more reference to the same slot.
static int copy_leaves(struct pmap *from, struct pmap *to, uint64 start, uint64 end, int cow)
{
  uint64 stop;
  for (uint64 va = start; va < end; va = stop) {
    pagetable_t src = leaf_table(from->root, va, end, &stop);
    if (!src)
      continue;
    pte_t *dst = walk_to_level(to->root, va, 0, 1);
    if (!dst)
      return -1;
    dst -= PX(0, va);   // the start of the child's leaf table
    for (uint64 a = va; a < stop; a += PGSIZE) {
      int i = PX(0, a);
      pte_t pte = src[i];
      if (pte_is_swap(pte)) {
        swap_dup(pte_swap_slot(pte));
        dst[i] = pte;
        continue;
      }
      if (!(pte & PTE_V))
        continue;
      if (pv_add(frame_of_pa(PTE2PA(pte)), to, a) < 0)
        return -1;
      // LAB cow BEGIN
      if (cow && (pte & (PTE_W | PTE_COW))) {
        pte = (pte & ~PTE_W) | PTE_COW;
        __atomic_store_n(&src[i], pte, __ATOMIC_RELAXED);
      }
      // LAB cow END
      frame_ref_pa(PTE2PA(pte));
      dst[i] = pte;
    }
  }
  return 0;
}

int pmap_copy_range(struct pmap *from, struct pmap *to, uint64 start, uint64 end, int cow)
{
  // Parent before child; the pager never waits for a pmap lock.
  acquire(&from->lock);
  acquire(&to->lock);
  int r = copy_leaves(from, to, start, end, cow);
  release(&to->lock);
  release(&from->lock);
  return r;
}

static void unmap_entry(pte_t *pte, uint64 va, void *pm)
{
  pte_t old = __atomic_exchange_n(pte, 0, __ATOMIC_ACQ_REL);
  drop_entry(pm, va, old);
}

void pmap_unmap_range(struct pmap *pm, uint64 start, uint64 end)
{
  acquire(&pm->lock);
  visit_leaves(pm, start, end, PTE_V | PTE_SWAP, unmap_entry, pm);
  pmap_flush(pm);
  release(&pm->lock);
}
