// The reverse map: each user frame lists the (page table, address) pairs
// that map it, in pv entries as BSD's pmap keeps them.  The pager needs it
// to see whether a page was used lately (accessed bits in every mapping)
// and to take a page away from every process mapping it: a private page
// shared copy-on-write after fork, program text, a file's cached page.
//
// pv_lock guards every frame's list.  Page-table owners take their pmap
// lock first and pv_lock inside it; the pager, starting from a frame,
// holds pv_lock and only tries each pmap lock, skipping a busy one.
#include "types.h"
#include "riscv.h"
#include "param.h"
#include "memlayout.h"
#include "spinlock.h"
#include "printf.h"
#include "vm/frame.h"
#include "vm/pmap.h"
#include "vm/objcache.h"
#include "vm/swap.h"

struct pv_entry {
  struct pmap *pm;
  uint64 va;
  struct pv_entry *next;
};

static struct spinlock pv_lock;
static struct objcache pv_entries;

void pv_init(void)
{
  spin_init(&pv_lock, "reverse map");
  objcache_init(&pv_entries, "pv entries", sizeof(struct pv_entry));
}

int pv_add(struct frame *f, struct pmap *pm, uint64 va)
{
  struct pv_entry *pv = objcache_alloc(&pv_entries);
  if (!pv)
    return -1;
  pv->pm = pm;
  pv->va = va;
  acquire(&pv_lock);
  pv->next = f->pv;
  f->pv = pv;
  release(&pv_lock);
  return 0;
}

void pv_remove(struct frame *f, struct pmap *pm, uint64 va)
{
  acquire(&pv_lock);
  struct pv_entry **pp = &f->pv;
  while (*pp && ((*pp)->pm != pm || (*pp)->va != va))
    pp = &(*pp)->next;
  struct pv_entry *pv = *pp;
  if (!pv)
    panic("pv_remove: %p in page table %p is not in the reverse map", (void *)va, pm);
  *pp = pv->next;
  release(&pv_lock);
  objcache_free(&pv_entries, pv);
}

int pmap_clear_referenced(struct frame *f)
{
  int referenced = 0;
  acquire(&pv_lock);
  for (struct pv_entry *pv = f->pv; pv; pv = pv->next) {
    if (!try_acquire(&pv->pm->lock)) {
      referenced = 1;
      continue;
    }
    pte_t *pte = pmap_walk(pv->pm->root, pv->va, 0);
    if (*pte & PTE_A) {
      __atomic_fetch_and(pte, ~PTE_A, __ATOMIC_RELAXED);
      pmap_flush_local(pv->va);
      referenced = 1;
    }
    release(&pv->pm->lock);
  }
  release(&pv_lock);
  return referenced;
}

void pmap_remove_all(struct frame *f, pte_t entry, struct removal *out)
{
  *out = (struct removal){ 0, 0, 0 };
  struct pv_entry *removed = 0;
  acquire(&pv_lock);
  struct pv_entry **pp = &f->pv;
  while (*pp) {
    struct pv_entry *pv = *pp;
    struct pmap *pm = pv->pm;
    if (!try_acquire(&pm->lock)) {
      out->left++;
      pp = &pv->next;
      continue;
    }
    pte_t *pte = pmap_walk(pm->root, pv->va, 0);
    // Atomic: another hart's MMU may be setting A or D in this PTE.
    pte_t old;
    if (pte_is_swap(entry)) {
      swap_dup(pte_swap_slot(entry));
      old = __atomic_exchange_n(pte, entry | (*pte & PTE_SWAP_KEEP), __ATOMIC_ACQ_REL);
    } else {
      old = __atomic_exchange_n(pte, entry, __ATOMIC_ACQ_REL);
    }
    out->dirty |= (old & PTE_D) != 0;
    // Before the lock goes: once it does, the owner may exit and free pm.
    pmap_flush_page(pm, pv->va);
    release(&pm->lock);
    *pp = pv->next;
    pv->next = removed;
    removed = pv;
    out->moved++;
  }
  release(&pv_lock);
  while (removed) {
    struct pv_entry *next = removed->next;
    objcache_free(&pv_entries, removed);
    frame_unref(f);
    removed = next;
  }
}
