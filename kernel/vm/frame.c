// The physical frame allocator: a frame_pool over all RAM the device tree
// reports, behind one lock, with a small per-hart cache in front so that
// harts allocating at once rarely meet on that lock.
#include "types.h"
#include "riscv.h"
#include "param.h"
#include "memlayout.h"
#include "platform.h"
#include "spinlock.h"
#include "proc.h"
#include "printf.h"
#include "vm/kvm.h"
#include "vm/frame.h"
#include "vm/frame_pool.h"
#include "lib/lib.h"

#define CACHE_MAX   32   // frames a hart may hold
#define CACHE_BATCH 16   // frames moved between a cache and the pool at once

// Frames the pool keeps for the kernel: no user page is taken from them.
// When user pages have taken all the rest (a process touching memory
// faster than the pager frees it), the kernel can still make a page
// table, an address space for exec or a pipe, and the pager the records it
// needs to free memory; the user fault meanwhile reclaims or waits.  The
// hart caches hold only frames from above the reserve, which is given out
// one frame at a time.
#define KERNEL_RESERVE 64

static struct spinlock pool_lock;
static struct frame_pool pool;
struct frame *frame_table;
uint64 frame_table_pa;

// A hart's cache has its own lock, which only that hart takes except when
// memory runs out and another hart comes to take frames from it.
static struct frame_cache {
  struct spinlock lock;
  struct frame *list;
  int n;
} cache[NCPU];

static struct {
  uint64 zero_filled;
  uint64 copied;
  uint64 loaded;   // user pages allocated: the last load stamp
} counters;

static int overlaps(uint64 a, uint64 alen, uint64 b, uint64 blen)
{
  return a < b + blen && b < a + alen;
}

static int page_is_usable(uint64 pa, uint64 kernel_lo, uint64 kernel_hi)
{
  if (overlaps(pa, PGSIZE, kernel_lo, kernel_hi - kernel_lo))
    return 0;
  for (int i = 0; i < platform.nrsv; i++)
    if (overlaps(pa, PGSIZE, platform.rsv[i].base, platform.rsv[i].size))
      return 0;
  return 1;
}

void frame_init(void)
{
  spin_init(&pool_lock, "frames");
  for (int i = 0; i < NCPU; i++)
    spin_init(&cache[i].lock, "frame cache");
  if (platform.nmem == 0)
    panic("frame_init: the device tree lists no memory");

  uint64 lo = ~0UL, hi = 0;
  for (int i = 0; i < platform.nmem; i++) {
    uint64 base = PGROUNDUP(platform.mem[i].base);
    uint64 end = PGROUNDDOWN(platform.mem[i].base + platform.mem[i].size);
    if (base < lo) lo = base;
    if (end > hi) hi = end;
  }
  if (hi - lo > DIRECT_MAP_SIZE)
    hi = lo + DIRECT_MAP_SIZE;

  // The frame table goes right after the kernel image.
  uint64 nframes = (hi - lo) / PGSIZE;
  uint64 table_pa = PGROUNDUP(kernel_image_pa_end());
  uint64 table_end = PGROUNDUP(table_pa + nframes * sizeof(struct frame));
  for (int i = 0; i < platform.nrsv; i++)
    if (overlaps(table_pa, table_end - table_pa, platform.rsv[i].base, platform.rsv[i].size))
      panic("frame_init: no room for the frame table after the kernel");

  pool_init(&pool, P2V(table_pa), lo, nframes);
  frame_table = pool.frames;
  frame_table_pa = lo;
  for (int i = 0; i < platform.nmem; i++) {
    uint64 base = PGROUNDUP(platform.mem[i].base);
    uint64 end = PGROUNDDOWN(platform.mem[i].base + platform.mem[i].size);
    for (uint64 pa = base; pa < end && pa < hi; pa += PGSIZE)
      if (page_is_usable(pa, kernel_image_pa(), table_end))
        pool_add(&pool, pa);
  }
}

static struct frame *cache_pop(struct frame_cache *c)
{
  struct frame *f = c->list;
  if (f) {
    c->list = f->next;
    c->n--;
  }
  return f;
}

static void cache_push(struct frame_cache *c, struct frame *f)
{
  f->next = c->list;
  c->list = f;
  c->n++;
}

// Takes a frame from this hart's cache, refilling it from the pool when
// empty (above the reserve); for the kernel, from the reserve; failing
// that, from another hart's cache.
static struct frame *take_frame(enum frame_use use)
{
  push_off();
  struct frame_cache *mine = &cache[cpuid()];
  pop_off();   // migrating after this is harmless: it is only a cache

  acquire(&mine->lock);
  struct frame *f = cache_pop(mine);
  if (!f) {
    acquire(&pool_lock);
    while (mine->n < CACHE_BATCH && (f = pool_take(&pool, KERNEL_RESERVE)))
      cache_push(mine, f);
    f = cache_pop(mine);
    if (!f && use == FRAME_KERNEL)
      f = pool_take(&pool, 0);
    release(&pool_lock);
  }
  release(&mine->lock);

  for (int i = 0; !f && i < NCPU; i++) {
    if (&cache[i] == mine)
      continue;
    acquire(&cache[i].lock);
    f = cache_pop(&cache[i]);
    release(&cache[i].lock);
  }
  return f;
}

static void give_frame(struct frame *f)
{
  push_off();
  struct frame_cache *mine = &cache[cpuid()];
  pop_off();

  acquire(&mine->lock);
  cache_push(mine, f);
  if (mine->n > CACHE_MAX) {
    acquire(&pool_lock);
    while (mine->n > CACHE_MAX - CACHE_BATCH)
      pool_give(&pool, cache_pop(mine));
    release(&pool_lock);
  }
  release(&mine->lock);
}

void *frame_alloc(enum frame_use use)
{
  struct frame *f = take_frame(use);
  if (!f)
    return 0;
  f->next = 0;
  f->use = (uint8)use;
  f->referenced = 0;
  f->flags = 0;
  if (use == FRAME_USER)
    f->load_stamp = __atomic_add_fetch(&counters.loaded, 1, __ATOMIC_RELAXED);
  f->owner = 0;
  f->offset = 0;
  // Release: the pager may look at a frame as soon as its count is not 0.
  __atomic_store_n(&f->refcount, 1, __ATOMIC_RELEASE);
  return P2V(pool_pa(&pool, f));
}

void *frame_alloc_zeroed(enum frame_use use)
{
  void *page = frame_alloc(use);
  if (page) {
    memset(page, 0, PGSIZE);
    __atomic_fetch_add(&counters.zero_filled, 1, __ATOMIC_RELAXED);
  }
  return page;
}

struct frame *frame_of(void *page)
{
  struct frame *f = pool_frame(&pool, V2P(page));
  if (!f || ((uint64)page & (PGSIZE - 1)))
    panic("frame_of: %p is not a frame", page);
  return f;
}

void frame_ref(void *page)
{
  frame_ref_pa(pool_pa(&pool, frame_of(page)));
}

uint32 frame_refcount(void *page)
{
  return __atomic_load_n(&frame_of(page)->refcount, __ATOMIC_RELAXED);
}

void frame_free(void *page)
{
  struct frame *f = frame_of(page);
  if (f->use == FRAME_FREE)
    panic("frame_free: %p is already free", page);
  frame_unref_pa(pool_pa(&pool, f));
}

void frame_release(struct frame *f)
{
  if (f->pv)
    panic("frame_release: frame %p is still mapped", frame_page(f));
  f->use = FRAME_FREE;
  give_frame(f);
}

void frame_count_copy(void)
{
  __atomic_fetch_add(&counters.copied, 1, __ATOMIC_RELAXED);
}

int frame_user_available(void)
{
  return frame_free_count() > KERNEL_RESERVE;
}

uint64 frame_free_count(void)
{
  uint64 n = 0;
  for (int i = 0; i < NCPU; i++)
    n += __atomic_load_n(&cache[i].n, __ATOMIC_RELAXED);
  acquire(&pool_lock);
  n += pool.nfree;
  release(&pool_lock);
  return n;
}

void frame_get_stats(struct frame_stats *st)
{
  st->total = pool.managed;
  st->free = frame_free_count();
  st->in_use = st->total - st->free;
  st->shared = 0;
  uint64 user = 0;
  for (uint64 i = 0; i < pool.nframes; i++) {
    struct frame *f = &pool.frames[i];
    if (f->use != FRAME_USER)
      continue;
    user++;
    if (__atomic_load_n(&f->refcount, __ATOMIC_RELAXED) > 1)
      st->shared++;
  }
  // The frames beyond the managed ones (the kernel image, holes) are not
  // counted: in use and not user is the kernel's.  Counted without the
  // lock, so the two may disagree by a few.
  st->kernel = st->in_use > user ? st->in_use - user : 0;
  st->zero_filled = counters.zero_filled;
  st->copied = counters.copied;
}

void *frame_page(struct frame *f)
{
  return P2V(pool_pa(&pool, f));
}

uint64 frame_table_size(void)
{
  return pool.nframes;
}
