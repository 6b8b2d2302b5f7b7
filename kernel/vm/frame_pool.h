// The bookkeeping behind the frame allocator, with no locks and no idea of
// where memory is: a table of struct frame for the frames from base_pa on,
// and a list of the free ones.  frame.c adds locking and per-hart caches;
// the host unit tests drive this part directly.
#pragma once
#include "types.h"
#include "vm/frame.h"

struct frame_pool {
  struct frame *frames;   // frames[i] describes base_pa + i * PGSIZE
  uint64 base_pa;
  uint64 nframes;
  struct frame *free_list;
  uint64 nfree;           // frames on free_list
  uint64 managed;         // frames ever given to the pool
};

void pool_init(struct frame_pool *pool, struct frame *frames, uint64 base_pa, uint64 nframes);
// Hands the frame at pa to the pool (boot time: a free frame of RAM).
void pool_add(struct frame_pool *pool, uint64 pa);
// Takes a free frame off the list, or returns 0 if no more than keep are
// free (keep: frames held back for other uses; 0 takes the last one).
struct frame *pool_take(struct frame_pool *pool, uint64 keep);
// Puts a frame whose last reference is gone back on the list.
void pool_give(struct frame_pool *pool, struct frame *f);
uint64 pool_pa(struct frame_pool *pool, struct frame *f);
// The frame describing pa, or 0 if pa is outside the table.
struct frame *pool_frame(struct frame_pool *pool, uint64 pa);
