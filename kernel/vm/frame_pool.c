#include "types.h"
#include "riscv.h"
#include "vm/frame_pool.h"
#include "lib/lib.h"

void pool_init(struct frame_pool *pool, struct frame *frames, uint64 base_pa, uint64 nframes)
{
  pool->frames = frames;
  pool->base_pa = base_pa;
  pool->nframes = nframes;
  pool->free_list = 0;
  pool->nfree = 0;
  pool->managed = 0;
  // Frames never added (holes, firmware, the kernel) look permanently in
  // use by the kernel, so a stray free of one is caught.
  memset(frames, 0, (uint)(nframes * sizeof(struct frame)));
  for (uint64 i = 0; i < nframes; i++) {
    frames[i].use = FRAME_KERNEL;
    frames[i].refcount = 1;
  }
}

void pool_add(struct frame_pool *pool, uint64 pa)
{
  struct frame *f = pool_frame(pool, pa);
  if (!f)
    return;
  pool->managed++;
  f->refcount = 0;
  pool_give(pool, f);
}

struct frame *pool_take(struct frame_pool *pool, uint64 keep)
{
  struct frame *f = pool->free_list;
  if (!f || pool->nfree <= keep)
    return 0;
  pool->free_list = f->next;
  pool->nfree--;
  f->next = 0;
  f->refcount = 1;
  return f;
}

void pool_give(struct frame_pool *pool, struct frame *f)
{
  f->use = FRAME_FREE;
  f->flags = 0;
  f->owner = 0;
  f->offset = 0;
  f->next = pool->free_list;
  pool->free_list = f;
  pool->nfree++;
}

uint64 pool_pa(struct frame_pool *pool, struct frame *f)
{
  return pool->base_pa + (uint64)(f - pool->frames) * PGSIZE;
}

struct frame *pool_frame(struct frame_pool *pool, uint64 pa)
{
  if (pa < pool->base_pa)
    return 0;
  uint64 i = (pa - pool->base_pa) / PGSIZE;
  return i < pool->nframes ? &pool->frames[i] : 0;
}
