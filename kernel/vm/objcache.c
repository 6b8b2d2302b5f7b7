#include "types.h"
#include "riscv.h"
#include "spinlock.h"
#include "vm/frame.h"
#include "vm/objcache.h"
#include "lib/lib.h"

// Frames held as slabs by every cache: which slabs the objects of
// long-lived processes sit in varies, so leak checks count these apart.
static uint64 slab_frames;

uint64 objcache_frames(void)
{
  return __atomic_load_n(&slab_frames, __ATOMIC_RELAXED);
}

struct slab {
  struct slab *next;
  void *free;     // free objects in this slab, linked through their first word
  uint inuse;
};

#define FIRST_OBJECT ((sizeof(struct slab) + 7) & ~7UL)

void objcache_init(struct objcache *c, const char *name, uint size)
{
  spin_init(&c->lock, name);
  c->size = (size + 7) & ~7u;
  c->slabs = 0;
}

static struct slab *slab_new(struct objcache *c)
{
  struct slab *s = frame_alloc(FRAME_KERNEL);
  if (s)
    __atomic_fetch_add(&slab_frames, 1, __ATOMIC_RELAXED);
  if (!s)
    return 0;
  s->inuse = 0;
  s->free = 0;
  for (uint64 off = FIRST_OBJECT; off + c->size <= PGSIZE; off += c->size) {
    void *obj = (char *)s + off;
    *(void **)obj = s->free;
    s->free = obj;
  }
  s->next = c->slabs;
  c->slabs = s;
  return s;
}

void *objcache_alloc(struct objcache *c)
{
  acquire(&c->lock);
  struct slab *s = c->slabs;
  while (s && !s->free)
    s = s->next;
  if (!s && !(s = slab_new(c))) {
    release(&c->lock);
    return 0;
  }
  void *obj = s->free;
  s->free = *(void **)obj;
  s->inuse++;
  release(&c->lock);
  memset(obj, 0, c->size);
  return obj;
}

void objcache_free(struct objcache *c, void *obj)
{
  struct slab *s = (struct slab *)PGROUNDDOWN((uint64)obj);
  acquire(&c->lock);
  *(void **)obj = s->free;
  s->free = obj;
  if (--s->inuse == 0) {
    struct slab **pp = &c->slabs;
    while (*pp != s)
      pp = &(*pp)->next;
    *pp = s->next;
    frame_free(s);
    __atomic_fetch_sub(&slab_frames, 1, __ATOMIC_RELAXED);
  }
  release(&c->lock);
}
