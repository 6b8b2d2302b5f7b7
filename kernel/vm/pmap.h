// The machine-dependent half of virtual memory: Sv39 page tables.
// Everything here is about PTEs and TLBs; what a mapping means (which
// region, which object) is the machine-independent VM's business (vm.h).
#pragma once
#include "types.h"
#include "riscv.h"

struct pmap {
  pagetable_t root;        // kernel virtual address of the top-level table
  uint64 active;           // bit i set: cpu i may have this table loaded
};

// Kernel page table setup; then each hart switches to it.
void kvm_init(void);
void kvm_init_hart(void);
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
// Maps one 4 KiB page; fails (-1) if out of memory.
int pmap_enter(struct pmap *pm, uint64 va, uint64 pa, uint64 perm);

// Loads pm on this hart (scheduler), recording that it is active here.
void pmap_activate(struct pmap *pm);
void pmap_deactivate(struct pmap *pm);
// After PTE changes: flush this hart's TLB and that of every other hart
// that may have pm loaded.
void pmap_flush(struct pmap *pm);

// Calls visit for every present leaf PTE in [start, end), skipping absent
// tables wholesale (so a sparse 1 GiB region costs little).
typedef void (*pte_visitor)(pte_t *pte, uint64 va, void *arg);
void pmap_foreach(struct pmap *pm, uint64 start, uint64 end, pte_visitor visit, void *arg);
// Removes every mapping in [start, end), dropping each frame's reference,
// and flushes the TLBs.
void pmap_unmap_range(struct pmap *pm, uint64 start, uint64 end);
// Copies the mappings of [start, end) from one page table to another,
// taking a frame reference for each.  With cow, writable pages become
// read-only copy-on-write (PTE_COW) in both.  Leaves from's TLB stale:
// the caller flushes.  -1 if a table could not be allocated.
int pmap_copy_range(struct pmap *from, struct pmap *to, uint64 start, uint64 end, int cow);
// Flushes this hart's TLB entry for one page (after a PTE became valid or
// gained permissions, which no other hart can have cached stale).
static inline void pmap_flush_local(uint64 va)
{
  __asm__ volatile("sfence.vma %0, zero" : : "r"(va) : "memory");
}
