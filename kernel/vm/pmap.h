// The machine-dependent half of virtual memory: Sv39 page tables.
// Everything here is about PTEs and TLBs; what a mapping means (which
// region, which object) is the machine-independent VM's business (vm.h).
#pragma once
#include "types.h"
#include "riscv.h"
#include "spinlock.h"

// Held while a user page table's entries change: by its process (faults,
// fork, munmap, exit) and by the pager, which changes other processes'
// entries through the reverse map.  A spinlock: nothing sleeps under it.
struct pmap {
  pagetable_t root;        // kernel virtual address of the top-level table
  uint64 active;           // bit i set: cpu i may have this table loaded
  struct spinlock lock;
};

// A page out on swap leaves a swap entry in its PTE: V clear, PTE_SWAP set,
// and the swap slot where the page number would be.  Each swap entry holds
// a reference to its slot (swap.h): fork takes one more, unmapping drops it.
#define PTE_SWAP (1L << 9)
// A swap entry keeps the permissions its PTE had, so that a page can be
// brought back (by swapoff too) without looking at regions.
#define PTE_SWAP_KEEP (PTE_R | PTE_W | PTE_X | PTE_U | PTE_COW)

static inline int pte_is_swap(pte_t pte)
{
  return !(pte & PTE_V) && (pte & PTE_SWAP);
}

static inline pte_t pte_swap_entry(uint64 slot)
{
  return (slot << 10) | PTE_SWAP;
}

static inline uint64 pte_swap_slot(pte_t pte)
{
  return pte >> 10;
}

// Kernel page table setup; then each hart switches to it.
void kvm_init(void);
// Maps a device's registers into the kernel page table, in the direct map
// (P2V(pa)).  For drivers' probes at boot, before the harts load that table.
void kvm_map_device(uint64 pa, uint64 size);
extern struct pmap kernel_pmap;

// A user page table: empty lower half, the kernel's upper half.
int pmap_create(struct pmap *pm);
// Frees the page-table pages of the lower half (not the mapped frames).
void pmap_destroy(struct pmap *pm);

// The leaf PTE for va, allocating missing tables if alloc; 0 if absent
// (or if a table could not be allocated).
pte_t *pmap_walk(pagetable_t root, uint64 va, int alloc);
// Maps [va, va+size) to [pa, ...) with perm, using 1 GiB / 2 MiB pages
// where alignment allows (kernel mappings).  Returns 0 or -1 (no memory).
int pmap_map_range(pagetable_t root, uint64 va, uint64 pa, uint64 size, uint64 perm);
// Maps one 4 KiB user page to frame pa, pm->lock held.  The caller's
// reference to the frame becomes the mapping's, and the frame's reverse
// map records it.  Whatever was mapped there before (a frame, a swap
// entry) is dropped.  -1, with nothing changed, if out of memory.
int pmap_enter(struct pmap *pm, uint64 va, uint64 pa, uint64 perm);

// Loads pm's table on this hart (0: the kernel's alone) in place of
// whatever this hart had loaded, and records which harts have which
// table (struct pmap's active), so that flushes reach every hart that
// has it and pmap_destroy can check that none has.
void pmap_load(struct pmap *pm);
// After PTE changes: flush this hart's TLB and that of every other hart
// that may have pm loaded.
void pmap_flush(struct pmap *pm);
// The same for one page (the pager takes pages one at a time: flushing
// whole TLBs for each would cost every process its translations).
void pmap_flush_page(struct pmap *pm, uint64 va);

// Calls visit for every present leaf PTE in [start, end), skipping absent
// tables wholesale (so a sparse 1 GiB region costs little).  Takes no
// lock: for reading, or for bits the pager never changes.
typedef void (*pte_visitor)(pte_t *pte, uint64 va, void *arg);
void pmap_foreach(struct pmap *pm, uint64 start, uint64 end, pte_visitor visit, void *arg);
// The same for swap entries (a present PTE never has PTE_SWAP set).
void pmap_foreach_swapped(struct pmap *pm, uint64 start, uint64 end, pte_visitor visit, void *arg);
// The same for both: present pages and swap entries.
void pmap_foreach_entry(struct pmap *pm, uint64 start, uint64 end, pte_visitor visit, void *arg);
// Counts the present pages and swap entries in [start, end).
void pmap_count(struct pmap *pm, uint64 start, uint64 end, uint64 *present, uint64 *swapped);
// Removes every mapping and swap entry in [start, end), dropping each
// frame's or slot's reference, and flushes the TLBs.
void pmap_unmap_range(struct pmap *pm, uint64 start, uint64 end);
// Copies the mappings and swap entries of [start, end) from one page table
// to another, taking a frame or slot reference for each.  With cow, writable pages become
// read-only copy-on-write (PTE_COW) in both.  Leaves from's TLB stale:
// the caller flushes.  -1 if a table could not be allocated.
int pmap_copy_range(struct pmap *from, struct pmap *to, uint64 start, uint64 end, int cow);
// The reverse map (pmap_pv.c): from a frame to every PTE that maps it, for
// the pager.  It locks each page table with try_acquire (the usual order
// is pmap lock, then the reverse map's): a page table busy right now
// counts as a use of the page, and its mapping stays.
struct frame;
void pv_init(void);
// Clears the accessed bit of every mapping of f; 1 if any had it set.
// Other harts' TLBs are not flushed (as Linux does on x86): a page they
// cache as accessed stays unnoticed until their next context switch.
int pmap_clear_referenced(struct frame *f);
// Replaces every mapping of f by entry (0, or a swap entry, which takes a
// slot reference and keeps the mapping's PTE_SWAP_KEEP bits), dropping the
// mappings' frame references, and flushes the TLBs concerned.  The caller
// holds a reference.
struct removal {
  int moved;   // mappings replaced
  int left;    // mappings left in place because their page table was busy
  int dirty;   // some replaced mapping had been written through (PTE_D)
};
void pmap_remove_all(struct frame *f, pte_t entry, struct removal *out);
int pv_add(struct frame *f, struct pmap *pm, uint64 va);
void pv_remove(struct frame *f, struct pmap *pm, uint64 va);

// Flushes this hart's TLB entry for one page (after a PTE became valid or
// gained permissions, which no other hart can have cached stale).
static inline void pmap_flush_local(uint64 va)
{
  __asm__ volatile("sfence.vma %0, zero" : : "r"(va) : "memory");
}
