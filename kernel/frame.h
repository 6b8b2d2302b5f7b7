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

struct frame {
  uint32 refcount;     // mappings + kernel references; freed at 0
  uint16 use;          // enum frame_use
  uint16 flags;
  struct frame *next;  // free-list link while free
  // Reverse-mapping data for the page-replacement code: who owns the
  // page (an anonymous object or a file's page cache) and at which offset.
  void *owner;
  uint64 offset;
};

struct frame_stats {
  uint64 total;       // frames managed
  uint64 free;
  uint64 in_use;
  uint64 shared;      // user frames with refcount > 1
  uint64 zero_filled; // allocations served zeroed (cumulative)
  uint64 copied;      // pages copied for copy-on-write (cumulative)
};

void frame_init(void);                 // from the platform's memory ranges
void *frame_alloc(enum frame_use use); // one page, contents undefined; 0 if none
void *frame_alloc_zeroed(enum frame_use use);
void frame_ref(void *page);            // one more reference
void frame_free(void *page);           // drop a reference; freed at zero
struct frame *frame_of(void *page);
uint32 frame_refcount(void *page);
void frame_count_copy(void);
void frame_get_stats(struct frame_stats *st);
uint64 frame_free_count(void);
