// The swap map: one reference count per swap slot, with no locks and no
// idea of disks, so that the host unit tests drive it directly (swap.c
// adds the lock and the device).  A slot's count is the number of swap
// entries (page-table entries of swapped-out pages) naming it, plus any
// short-lived hold of the pager; the slot is free at 0.  A slot found bad
// (a failed write) is never handed out again.
#pragma once
#include "types.h"

#define SWAPMAP_SLOTS_PER_CHUNK 2048   // 16-bit counts in one 4 KiB page
#define SWAPMAP_MAX_CHUNKS 512         // up to 4 GiB of swap
#define SWAPMAP_BAD 0x8000             // flag in a count: never reuse

struct swapmap {
  uint16 *chunks[SWAPMAP_MAX_CHUNKS];  // zeroed pages the owner provides
  uint64 nslots;                       // slots 0 .. nslots-1
  uint64 usable;                       // slots neither bad nor reserved
  uint64 used;                         // usable slots with a count > 0
  uint64 hand;                         // next-fit: where the search resumes
};

// How many chunks a map of nslots slots needs.
uint64 swapmap_chunks(uint64 nslots);
// The chunks must already be in m->chunks (zeroed); every slot starts free.
void swapmap_init(struct swapmap *m, uint64 nslots);
// Takes a slot out of use for good (the swap header page, listed bad pages,
// a failed write).  A slot in use stays counted until its last put.
void swapmap_mark_bad(struct swapmap *m, uint64 slot);
// A free slot with count 1, searching on from the last one handed out, so
// that pages written together land in neighbouring slots; -1 if full.
long swapmap_alloc(struct swapmap *m);
// Adds a reference; -1 (nothing changed) if the slot is free or its count
// is at its maximum, which the caller treats as a kernel bug.
int swapmap_dup(struct swapmap *m, uint64 slot);
// Drops a reference; returns the count left (0: the slot is free again,
// unless it is bad), or -1 if the slot was free (a kernel bug).
int swapmap_put(struct swapmap *m, uint64 slot);
uint32 swapmap_count(const struct swapmap *m, uint64 slot);
int swapmap_is_bad(const struct swapmap *m, uint64 slot);
