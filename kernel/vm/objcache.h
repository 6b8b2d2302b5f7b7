// A cache of fixed-size kernel objects (regions, address spaces, memory
// objects), carved out of whole frames as needed, so their number is
// limited only by memory.  Each frame (a slab) starts with a small header;
// when its last object is freed the frame goes back to the allocator.
#pragma once
#include "types.h"
#include "spinlock.h"

struct slab;

struct objcache {
  struct spinlock lock;
  uint size;            // bytes per object, a multiple of 8
  struct slab *slabs;   // every slab of this cache
};

void objcache_init(struct objcache *c, const char *name, uint size);
// A zeroed object, or 0 if no frame is left.
void *objcache_alloc(struct objcache *c);
void objcache_free(struct objcache *c, void *obj);
// Frames all caches hold as slabs.
uint64 objcache_frames(void);
