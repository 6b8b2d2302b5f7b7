// Page replacement by the clock (second-chance) algorithm over every frame
// of RAM, in physical order.  The hand visits each frame in turn; a page
// whose mappings show it was used since the last visit (a PTE accessed
// bit, found through the reverse map) is given a second chance, its bits
// cleared; one that was not is evicted:
//   - private anonymous memory gets a swap slot, enters the swap cache,
//     every PTE mapping it becomes a swap entry, and it is written out,
//     in clusters of neighbouring slots, one disk request per cluster;
//   - a page still in the swap cache with its slot up to date, or a clean
//     page of a file (program text, read-only data), is just dropped;
//   - a page of a file mapped writable by a shared mapping (mmap
//     MAP_SHARED) is unmapped, written to its file if a mapping dirtied
//     it, and dropped, after the hand is let go (see launder()); by the
//     daemon if the reclaiming process holds file-system locks.
// Kernel frames, busy pages and shared anonymous memory stay.  Only one
// reclaimer runs the hand at a time.
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
#include "fs.h"
#include "log.h"
#include "dev/virtio_disk.h"
#include "lib/lib.h"

#define CLUSTER 32          // pages written in one request at most
#define MIN_RESERVE 64      // the low watermark's floor, in frames

// Held by whoever evicts (the clock's hand, or a chosen page), from the
// claim to the end of the write: so pageout_wait_idle() can wait for
// every eviction under way.
static struct sleeplock reclaim_lock;
static uint64 hand;
static uint64 low_water, high_water;
static struct pageout_stats stats;

struct pending_write {
  struct frame *frame;
  uint64 slot;
};

// Pages of files mapped writable by shared mappings, chosen by the clock,
// wait here for the daemon to write them back and drop them.  Each entry
// holds a reference to the frame and one to the object.
#define LAUNDRY 64

struct launder {
  struct frame *frame;
  struct vm_object *obj;
  uint64 pgidx;
};

static struct spinlock laundry_lock;
static struct launder laundry[LAUNDRY];
static int nlaundry;

void pageout_init(void)
{
  sleeplock_init(&reclaim_lock, "reclaim");
  spin_init(&laundry_lock, "laundry");
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

// Whether this process may write pages to their files now.  One that holds
// an inode lock or is inside a file-system transaction (a fault in a
// system call's copy) could wait for itself: the daemon does it instead.
static int can_write_files(void)
{
  struct proc *p = myproc();
  return p->inode_locks == 0 && p->fs_ops == 0;
}

// Fills l for f, claimed: 1, or 0 if f is no longer cached.
static int hold_for_launder(struct frame *f, struct launder *l)
{
  l->obj = vmo_hold_owner(f, &l->pgidx);
  if (!l->obj)
    return 0;
  l->frame = f;
  frame_ref(frame_page(f));
  return 1;
}

// Queues f, claimed, for the daemon, unless the queue is full.
static void queue_launder(struct frame *f)
{
  acquire(&laundry_lock);
  if (nlaundry < LAUNDRY)
    nlaundry += hold_for_launder(f, &laundry[nlaundry]);
  release(&laundry_lock);
}

// Evicts f, claimed as kind.  Returns frames freed now; a private page
// goes on the pending list instead, to be written with its neighbours.
static int evict(struct frame *f, enum evict_kind kind, struct pending_write *pending, int *npending)
{
  struct removal rm;
  switch (kind) {
  case EVICT_PRIVATE: {
    long slot = swap_alloc_cached(f);
    if (slot < 0)
      return finish(f, 1);   // swap full or off: it stays
    pmap_remove_all(f, pte_swap_entry((uint64)slot), &rm);
    if (rm.moved == 0) {
      // Its one mapping was busy: leave the page as it was.
      finish(f, 0);
      swap_put((uint64)slot);
      return 0;
    }
    // Any mapping left is a read-only copy-on-write one: the page cannot
    // change under the write.
    pending[(*npending)++] = (struct pending_write){ f, (uint64)slot };
    return 0;
  }
  case EVICT_SWAPPED: {
    if (!swap_is_on())
      return finish(f, 1);   // swapoff is bringing pages back
    uint64 slot = f->offset;
    swap_dup(slot);   // our hold, while entries are made
    pmap_remove_all(f, pte_swap_entry(slot), &rm);
    int freed = finish(f, 0);
    swap_put(slot);
    return freed;
  }
  case EVICT_FILE:
    pmap_remove_all(f, 0, &rm);
    return finish(f, 0);
  case EVICT_FILE_WRITABLE:
    queue_launder(f);   // for the daemon
    return finish(f, 1);
  case EVICT_NOT:
    break;
  }
  return 0;
}

// Writes l's page to its file if it was dirtied, and drops it (the caller
// can_write_files(), and holds no lock).  The page is claimed only inside
// the transaction, with the inode locked: a process waiting for the busy
// page may itself hold a transaction open, one that begin_op() waits for.
// Returns 1 if the frame was freed.
static int launder(struct launder *l)
{
  struct frame *f = l->frame;
  struct inode *ip = l->obj->ip;
  int freed = 0;
  begin_op();
  ilock(ip);
  enum evict_kind kind = vmo_claim(f);
  frame_unref(f);   // l's reference: a claim holds one of its own
  if (kind == EVICT_FILE_WRITABLE) {
    uint64 pgidx;
    struct vm_object *o = vmo_hold_owner(f, &pgidx);
    if (o == l->obj && pgidx == l->pgidx) {
      struct removal rm;
      pmap_remove_all(f, 0, &rm);
      int dirty = rm.dirty || vmo_is_dirty(f);
      int written = !dirty || vmo_write_page(o, pgidx, frame_page(f)) == 0;
      vmo_mark_written(f, written);
      count(&stats.file_writes, (uint64)(dirty && written));
      // A mapping left in place (its page table was busy) may still write.
      freed = finish(f, !written || rm.left > 0);
    } else {
      finish(f, 1);
    }
    if (o)
      vmo_put(o);
  } else if (kind != EVICT_NOT) {
    finish(f, 1);   // no longer mapped writable: the clock will see to it
  }
  iunlock(ip);
  end_op();
  vmo_put(l->obj);
  return freed;
}

// The daemon's part: launders every queued page.  Returns frames freed.
static int launder_queued(void)
{
  static struct launder taken[LAUNDRY];   // only the daemon runs this
  acquire(&laundry_lock);
  int n = nlaundry;
  memmove(taken, laundry, n * sizeof(taken[0]));
  nlaundry = 0;
  release(&laundry_lock);
  int freed = 0;
  for (int i = 0; i < n; i++)
    freed += launder(&taken[i]);
  count(&stats.reclaimed, (uint64)freed);
  return freed;
}

// Runs the clock until want frames are freed or the hand has gone round
// twice (once to clear accessed bits, once to find them still clear).
// Pages that must be written to their files are written once the hand is
// let go (the reclaim lock must not be held while waiting for the file
// system), or go to the daemon's queue if this process cannot write them.
static int reclaim(int want)
{
  struct pending_write pending[CLUSTER];
  struct launder mine[CLUSTER];
  int npending = 0, nmine = 0, freed = 0;
  int writer = can_write_files();
  uint64 nframes = frame_table_size();
  acquiresleep(&reclaim_lock);
  for (uint64 steps = 0; freed + nmine < want && steps < 2 * nframes; steps++) {
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
    if (kind == EVICT_FILE_WRITABLE && writer && nmine < CLUSTER) {
      nmine += hold_for_launder(f, &mine[nmine]);
      finish(f, 1);
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
  for (int i = 0; i < nmine; i++)
    freed += launder(&mine[i]);
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
  acquiresleep(&reclaim_lock);   // for pageout_wait_idle
  int freed = evict(f, kind, pending, &npending);
  freed += write_pending(pending, npending);
  releasesleep(&reclaim_lock);
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
  static struct evict_all a;   // under reclaim_lock
  acquiresleep(&reclaim_lock);
  a.npending = 0;
  a.freed = 0;
  // No pmap lock while visiting: vm is held, so its page tables stay, and
  // each eviction takes what it needs.
  pmap_foreach(&vm->pmap, 0, MAXVA, evict_mapped, &a);
  a.freed += write_pending(a.pending, a.npending);
  releasesleep(&reclaim_lock);
  count(&stats.reclaimed, (uint64)a.freed);
  return a.freed;
}

void pageout_wait_idle(void)
{
  acquiresleep(&reclaim_lock);
  releasesleep(&reclaim_lock);
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
    tick_wait();
    loadctl_tick(frame_free_count(), frame_table_size(), high_water);
    launder_queued();
    if (frame_free_count() >= low_water)
      continue;
    count(&stats.wakeups, 1);
    while (frame_free_count() < high_water)
      if (reclaim(CLUSTER) + launder_queued() == 0)
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
  st->file_writes = __atomic_load_n(&stats.file_writes, __ATOMIC_RELAXED);
}
