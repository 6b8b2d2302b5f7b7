// Physical page frames.  Every frame of usable RAM has a struct frame; the
// free ones sit on a free list (with a small per-hart cache in front of it).
// Addresses handed out are kernel virtual addresses in the direct map.
#pragma once
#include "types.h"

enum frame_use {
  FRAME_FREE = 0,
  FRAME_KERNEL,   // page tables, kernel stacks, pipes, buffers
  FRAME_USER,     // mapped into user address spaces (refcounted)
};

// flags, changed under the page cache's lock (vmobject.c)
#define FRAME_BUSY   0x1   // under I/O (or being evicted): wait, do not touch
#define FRAME_SHARED_WRITE 0x2   // mapped writable by a shared file mapping: may be
                                 // newer than its file, written back before dropped
#define FRAME_WANTED 0x4   // someone sleeps until it is not busy
#define FRAME_DIRTY  0x8   // newer than its file, though no mapping says so:
                           // the pager unmapped it and could not write it

struct pv_entry;

struct frame {
  uint32 refcount;     // mappings + kernel references; freed at 0
  uint8 use;           // enum frame_use
  // The accessed bits the pager's clock has taken from the PTEs and not
  // yet cleared (pageout.c): how a search can look at a page's R bit
  // without clearing it.  Only the pager touches it, with the page claimed.
  uint8 referenced;
  uint16 flags;
  struct frame *next;  // free-list link while free, hash link while cached
  // Who holds the page: 0 for private anonymous memory, else the memory
  // object whose page cache it is in (a file, shared memory, or swap,
  // which keys it by slot) and the page's index there.
  void *owner;
  uint64 offset;
  struct pv_entry *pv; // every user mapping of the frame (pmap_pv.c)
  // When the page was loaded: the count of user pages allocated before it
  // (1 for the first).  Strictly increasing, so it orders the pages in
  // memory by age: FIFO replacement takes the smallest (pageout.c).
  uint64 load_stamp;
};

struct frame_stats {
  uint64 total;       // frames managed
  uint64 free;
  uint64 in_use;
  uint64 shared;      // user frames with refcount > 1
  uint64 kernel;      // frames the kernel uses itself (page tables, stacks, ...)
  uint64 zero_filled; // allocations served zeroed (cumulative)
  uint64 copied;      // pages copied for copy-on-write (cumulative)
};

void frame_init(void);                 // from the platform's memory ranges
void *frame_alloc(enum frame_use use); // one page, contents undefined; 0 if none
void *frame_alloc_zeroed(enum frame_use use);
// Whether a user page could be had now: free frames beyond the kernel's
// reserve (frame.c).
int frame_user_available(void);
void frame_ref(void *page);            // one more reference
void frame_free(void *page);           // drop a reference; freed at zero
struct frame *frame_of(void *page);
void *frame_page(struct frame *f);      // the page a frame describes
uint32 frame_refcount(void *page);
void frame_count_copy(void);

// For page-table loops over thousands of frames (fork, exit, munmap): a
// frame from its physical address without checks, and reference counting
// on it.  pa must be a frame the allocator handed out.
extern struct frame *frame_table;
extern uint64 frame_table_pa;
void frame_release(struct frame *f);   // its last reference is gone

static inline struct frame *frame_of_pa(uint64 pa)
{
  return &frame_table[(pa - frame_table_pa) >> 12];
}

static inline void frame_ref_pa(uint64 pa)
{
  __atomic_fetch_add(&frame_of_pa(pa)->refcount, 1, __ATOMIC_RELAXED);
}

// Drops a reference to f, releasing it at zero.
static inline void frame_unref(struct frame *f)
{
  if (__atomic_sub_fetch(&f->refcount, 1, __ATOMIC_ACQ_REL) == 0)
    frame_release(f);
}

static inline void frame_unref_pa(uint64 pa)
{
  frame_unref(frame_of_pa(pa));
}
void frame_get_stats(struct frame_stats *st);
uint64 frame_free_count(void);
uint64 frame_table_size(void);   // frames in frame_table, free or not
