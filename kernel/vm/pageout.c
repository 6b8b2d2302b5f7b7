// Page replacement by the clock (second-chance) algorithm over every frame
// of RAM, in physical order.  The hand visits each frame in turn; a page
// whose mappings show it was used since the last visit (a PTE accessed
// bit, found through the reverse map) is given a second chance, its bits
// cleared; one that was not is evicted:
//   - private anonymous memory gets a swap slot, enters the swap cache,
//     every PTE mapping it becomes a swap entry, and it is written out,
//     in clusters of neighbouring slots, one disk request per cluster;
//   - a page still in the swap cache with its slot up to date, or a clean
//     page of a file (program text, read-only data), is just dropped.
// Kernel frames, busy pages, shared memory and pages mapped writable by
// shared file mappings stay.  Only one reclaimer runs the hand at a time.
#include "types.h"
#include "riscv.h"
#include "param.h"
#include "memlayout.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "printf.h"
#include "timer.h"
#include "vm/frame.h"
#include "vm/pmap.h"
#include "vm/swap.h"
#include "vm/vmobject.h"
#include "vm/pageout.h"
#include "vm/loadctl.h"
#include "vm/vm.h"
#include "dev/virtio_disk.h"

#define CLUSTER 32          // pages written in one request at most
#define MIN_RESERVE 64      // the low watermark's floor, in frames

static struct sleeplock reclaim_lock;
static uint64 hand;
static uint64 low_water, high_water;
static struct pageout_stats stats;

struct pending_write {
  struct frame *frame;
  uint64 slot;
};

void pageout_init(void)
{
  sleeplock_init(&reclaim_lock, "reclaim");
  // A reserve of 1/64 of RAM (at least MIN_RESERVE frames); the daemon
  // refills it to twice that.
  uint64 total = frame_table_size();
  low_water = total / 64 > MIN_RESERVE ? total / 64 : MIN_RESERVE;
  high_water = 2 * low_water;
}

static void count(uint64 *counter, uint64 n)
{
  __atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

// Ends the eviction of f: 1 if it was freed.
static int finish(struct frame *f, int keep)
{
  int dropped = vmo_finish_claim(f, keep);
  frame_unref(f);
  return dropped;
}

static int by_slot(const struct pending_write *a, const struct pending_write *b)
{
  return a->slot < b->slot ? -1 : a->slot > b->slot;
}

// Writes the pending pages, one request per run of neighbouring slots.
// A page whose write failed stays in memory, in the swap cache, and its
// slot is marked bad.  Returns the frames freed.
static int write_pending(struct pending_write *w, int n)
{
  for (int i = 1; i < n; i++)   // insertion sort: n is at most CLUSTER
    for (int j = i; j > 0 && by_slot(&w[j], &w[j - 1]) < 0; j--) {
      struct pending_write t = w[j];
      w[j] = w[j - 1];
      w[j - 1] = t;
    }
  int freed = 0;
  for (int i = 0; i < n;) {
    int run = 1;
    while (i + run < n && w[i + run].slot == w[i].slot + run)
      run++;
    struct disk_segment segs[CLUSTER];
    for (int k = 0; k < run; k++)
      segs[k] = (struct disk_segment){ frame_page(w[i + k].frame), PGSIZE };
    int failed = swap_io(w[i].slot, segs, run, 1) < 0;
    for (int k = 0; k < run; k++) {
      struct pending_write *p = &w[i + k];
      if (failed)
        swap_mark_bad(p->slot);
      freed += finish(p->frame, failed);
      swap_put(p->slot);   // our hold
    }
    i += run;
  }
  return freed;
}

// Evicts f, claimed as kind.  Returns frames freed now; a private page
// goes on the pending list instead, to be written with its neighbours.
static int evict(struct frame *f, enum evict_kind kind, struct pending_write *pending, int *npending)
{
  int left, moved;
  switch (kind) {
  case EVICT_PRIVATE: {
    long slot = swap_alloc_cached(f);
    if (slot < 0)
      return finish(f, 1);   // swap full or off: it stays
    left = pmap_remove_all(f, pte_swap_entry((uint64)slot), &moved);
    if (moved == 0) {
      // Its one mapping was busy: leave the page as it was.
      finish(f, 0);
      swap_put((uint64)slot);
      return 0;
    }
    // Any mapping left is a read-only copy-on-write one: the page cannot
    // change under the write.
    (void)left;
    pending[(*npending)++] = (struct pending_write){ f, (uint64)slot };
    return 0;
  }
  case EVICT_SWAPPED: {
    if (!swap_is_on())
      return finish(f, 1);   // swapoff is bringing pages back
    uint64 slot = f->offset;
    swap_dup(slot);   // our hold, while entries are made
    pmap_remove_all(f, pte_swap_entry(slot), &moved);
    int freed = finish(f, 0);
    swap_put(slot);
    return freed;
  }
  case EVICT_FILE:
    pmap_remove_all(f, 0, &moved);
    return finish(f, 0);
  case EVICT_NOT:
    break;
  }
  return 0;
}

// Runs the clock until want frames are freed or the hand has gone round
// twice (once to clear accessed bits, once to find them still clear).
static int reclaim(int want)
{

  struct pending_write pending[CLUSTER];
  int npending = 0, freed = 0;
  uint64 nframes = frame_table_size();
  acquiresleep(&reclaim_lock);
  for (uint64 steps = 0; freed < want && steps < 2 * nframes; steps++) {
    struct frame *f = &frame_table[hand];
    hand = (hand + 1) % nframes;
    enum evict_kind kind = vmo_claim(f);
    if (kind == EVICT_NOT)
      continue;
    count(&stats.scanned, 1);
    if (pmap_clear_referenced(f)) {
      finish(f, 1);   // second chance
      continue;
    }
    freed += evict(f, kind, pending, &npending);
    if (npending == CLUSTER) {
      freed += write_pending(pending, npending);
      npending = 0;
    }
  }
  freed += write_pending(pending, npending);
  releasesleep(&reclaim_lock);
  count(&stats.reclaimed, (uint64)freed);
  return freed;
}

int pageout_evict(struct pmap *pm, uint64 va)
{
  acquire(&pm->lock);
  pte_t *pte = pmap_walk(pm->root, va, 0);
  struct frame *f = pte && (*pte & PTE_V) ? frame_of_pa(PTE2PA(*pte)) : 0;
  // The claim takes a reference, so the frame cannot go once we let go.
  enum evict_kind kind = f ? vmo_claim(f) : EVICT_NOT;
  release(&pm->lock);
  if (kind == EVICT_NOT)
    return f ? -1 : 0;
  struct pending_write pending[1];
  int npending = 0;
  int freed = evict(f, kind, pending, &npending);
  freed += write_pending(pending, npending);
  count(&stats.reclaimed, (uint64)freed);
  return freed > 0 ? 0 : -1;
}

struct evict_all {
  struct pending_write pending[CLUSTER];
  int npending;
  int freed;
};

static void evict_mapped(pte_t *pte, uint64 va, void *argp)
{
  struct evict_all *a = argp;
  (void)va;
  struct frame *f = frame_of_pa(PTE2PA(*pte));
  enum evict_kind kind = vmo_claim(f);
  if (kind == EVICT_NOT)
    return;
  a->freed += evict(f, kind, a->pending, &a->npending);
  if (a->npending == CLUSTER) {
    a->freed += write_pending(a->pending, a->npending);
    a->npending = 0;
  }
}

int pageout_evict_all(struct vmspace *vm)
{
  static struct evict_all a;   // only the daemon calls this: one at a time
  a.npending = 0;
  a.freed = 0;
  // No lock while visiting: vm is held, so its page tables stay, and each
  // eviction takes what it needs.
  pmap_foreach(&vm->pmap, 0, MAXVA, evict_mapped, &a);
  a.freed += write_pending(a.pending, a.npending);
  count(&stats.reclaimed, (uint64)a.freed);
  return a.freed;
}

int pageout_reclaim_direct(void)
{
  return pageout_reclaim(CLUSTER);
}

int pageout_reclaim(int frames)
{
  count(&stats.direct, 1);
  return reclaim(frames);
}

// The daemon: checks the reserve every tick; below the low watermark it
// reclaims up to the high one.
static void pageout_daemon(void)
{
  for (;;) {
    acquire(&tickslock);
    sleep(&ticks, &tickslock);
    release(&tickslock);
    loadctl_tick(frame_free_count(), frame_table_size(), high_water);
    if (frame_free_count() >= low_water)
      continue;
    count(&stats.wakeups, 1);
    while (frame_free_count() < high_water)
      if (reclaim(CLUSTER) == 0)
        break;   // nothing evictable: faults will find out
  }
}

void pageout_start(void)
{
  if (kthread_start("pageout", pageout_daemon) < 0)
    panic("pageout_start: no process slot");
}

void pageout_get_stats(struct pageout_stats *st)
{
  st->scanned = __atomic_load_n(&stats.scanned, __ATOMIC_RELAXED);
  st->reclaimed = __atomic_load_n(&stats.reclaimed, __ATOMIC_RELAXED);
  st->wakeups = __atomic_load_n(&stats.wakeups, __ATOMIC_RELAXED);
  st->direct = __atomic_load_n(&stats.direct, __ATOMIC_RELAXED);
}
