// Sv39 page tables: three levels of 512 PTEs; a leaf may sit at level 2
// (1 GiB), 1 (2 MiB) or 0 (4 KiB).  User mappings are always 4 KiB.
#include "types.h"
#include "riscv.h"
#include "param.h"
#include "memlayout.h"
#include "proc.h"
#include "frame.h"
#include "printf.h"
#include "sbi.h"
#include "pmap.h"
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
  for (int i = 0; i < USER_ROOT_ENTRIES; i++) {
    pte_t pte = pm->root[i];
    if ((pte & PTE_V) && !(pte & PTE_LEAF))
      free_tables(next_table(pte), 1);
  }
  frame_free(pm->root);
  pm->root = 0;
}

int pmap_enter(struct pmap *pm, uint64 va, uint64 pa, uint64 perm)
{
  pte_t *pte = pmap_walk(pm->root, va, 1);
  if (!pte)
    return -1;
  *pte = PA2PTE(pa) | perm | PTE_V;
  return 0;
}

pte_t pmap_remove(struct pmap *pm, uint64 va)
{
  pte_t *pte = pmap_walk(pm->root, va, 0);
  if (!pte || !(*pte & PTE_V))
    return 0;
  pte_t old = *pte;
  *pte = 0;
  return old;
}

void pmap_protect(struct pmap *pm, uint64 va, uint64 set, uint64 clear)
{
  pte_t *pte = pmap_walk(pm->root, va, 0);
  if (pte && (*pte & PTE_V))
    *pte = (*pte | set) & ~clear;
}

void pmap_activate(struct pmap *pm)
{
  __atomic_fetch_or(&pm->active, 1UL << cpuid(), __ATOMIC_SEQ_CST);
  w_satp(MAKE_SATP(V2P(pm->root)));
  sfence_vma();
}

void pmap_deactivate(struct pmap *pm)
{
  __atomic_fetch_and(&pm->active, ~(1UL << cpuid()), __ATOMIC_SEQ_CST);
}

void pmap_flush(struct pmap *pm)
{
  push_off();
  int me = cpuid();
  sfence_vma();
  uint64 others = __atomic_load_n(&pm->active, __ATOMIC_SEQ_CST) & ~(1UL << me);
  for (int i = 0; i < ncpu; i++)
    if (others & (1UL << i))
      sbi_remote_sfence_vma(1, cpus[i].hartid);
  pop_off();
}

void pmap_foreach(struct pmap *pm, uint64 start, uint64 end, pte_visitor visit, void *arg)
{
  uint64 va = start;
  while (va < end) {
    pte_t top = pm->root[PX(2, va)];
    if (!(top & PTE_V)) {
      va = (va | ((1UL << PXSHIFT(2)) - 1)) + 1;
      continue;
    }
    pte_t mid = next_table(top)[PX(1, va)];
    if (!(mid & PTE_V)) {
      va = (va | ((1UL << PXSHIFT(1)) - 1)) + 1;
      continue;
    }
    pte_t *leaf = &next_table(mid)[PX(0, va)];
    if (*leaf & PTE_V)
      visit(leaf, va, arg);
    va += PGSIZE;
  }
}
