// Global page replacement over every frame of RAM, by the policy in force
// (policy.h, vmctl policy, vm.policy= at boot).  CLOCK (second chance)
// and ECLOCK (enhanced second chance) run a hand over the frames in
// physical order; a page's R bit is the accessed bits of its mappings,
// found through the reverse map, and its D bit whether evicting it needs a
// write.  FIFO takes the pages with the oldest load stamps.  A victim is
// evicted:
//   - private anonymous memory gets a swap slot, enters the swap cache,
//     every PTE mapping it becomes a swap entry, and it is written out,
//     in clusters of neighbouring slots, one disk request per cluster,
//     with up to SWAP_WRITES_IN_FLIGHT clusters being written at once;
//   - a page still in the swap cache with its slot up to date, or a clean
//     page of a file (program text, read-only data), is just dropped;
//   - a page of a file mapped writable by a shared mapping (mmap
//     MAP_SHARED) is unmapped, written to its file if a mapping dirtied
//     it, and dropped, after the hand is let go (see launder()); by the
//     daemon if the reclaiming process holds file-system locks.
//   - a page of shared anonymous memory (mmap MAP_SHARED|MAP_ANONYMOUS)
//     is unmapped, written to a slot of its own, and dropped; its object
//     keeps the slot (vmobject.c) until a fault reads it back.
// Kernel frames and busy pages stay.  Only one reclaimer runs the hand at
// a time.
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
#include "vm/policy.h"
#include "vm/oldest.h"
#include "vm/allocation.h"
#include "vm/loadctl.h"
#include "vm/vm.h"
#include "fs.h"
#include "log.h"
#include "dev/blockdev.h"
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

// A cluster being written: its pages in slot order, and one request per
// run of neighbouring slots.
struct cluster_write {
  struct pending_write w[CLUSTER];
  int n;
  struct swap_request req[CLUSTER];
  int nreq;
};

// The cluster writes under way, a ring, oldest first; and the pages they
// hold.  Only the holder of reclaim_lock touches them, and it ends every
// write before it lets go of the lock.
static struct cluster_write writes[SWAP_WRITES_IN_FLIGHT];
static int oldest_write, nwrites;
static int pages_in_transit;
static int failed_writes;   // pages whose write failed, since the reclaimer began

// Waits for the oldest cluster write and ends the eviction of its pages.
// A page whose write failed stays in memory, in the swap cache, and its
// slot is marked bad.  Returns the frames freed.
static int end_oldest_write(void)
{
  struct cluster_write *c = &writes[oldest_write];
  int freed = 0;
  for (int i = 0, r = 0; r < c->nreq; r++) {
    int failed = swap_io_wait(&c->req[r]) < 0;
    for (int k = 0; k < c->req[r].nseg; k++, i++) {
      struct pending_write *p = &c->w[i];
      if (failed) {
        swap_mark_bad(p->slot);
        failed_writes++;
      }
      freed += finish(p->frame, failed);
      swap_put(p->slot);   // our hold
    }
  }
  pages_in_transit -= c->n;
  oldest_write = (oldest_write + 1) % SWAP_WRITES_IN_FLIGHT;
  nwrites--;
  return freed;
}

// Starts writing the pending pages, one request per run of neighbouring
// slots, without waiting, unless SWAP_WRITES_IN_FLIGHT clusters are
// already under way: then first the oldest is waited for.  The disk
// writes one cluster while the reclaimer chooses and unmaps the next.
// Returns the frames freed meanwhile.
static int start_cluster_write(struct pending_write *w, int n)
{
  if (n == 0)
    return 0;
  int freed = nwrites == SWAP_WRITES_IN_FLIGHT ? end_oldest_write() : 0;
  struct cluster_write *c = &writes[(oldest_write + nwrites++) % SWAP_WRITES_IN_FLIGHT];
  memmove(c->w, w, n * sizeof(w[0]));
  c->n = n;
  for (int i = 1; i < n; i++)   // insertion sort: n is at most CLUSTER
    for (int j = i; j > 0 && by_slot(&c->w[j], &c->w[j - 1]) < 0; j--) {
      struct pending_write t = c->w[j];
      c->w[j] = c->w[j - 1];
      c->w[j - 1] = t;
    }
  c->nreq = 0;
  for (int i = 0; i < n;) {
    int run = 1;
    while (i + run < n && c->w[i + run].slot == c->w[i].slot + run)
      run++;
    struct disk_segment segs[CLUSTER];
    for (int k = 0; k < run; k++)
      segs[k] = (struct disk_segment){ frame_page(c->w[i + k].frame), PGSIZE };
    swap_io_start(&c->req[c->nreq++], c->w[i].slot, segs, run, 1);
    i += run;
  }
  pages_in_transit += n;
  return freed;
}

// Ends every cluster write under way; returns the frames freed.
static int end_writes(void)
{
  int freed = 0;
  while (nwrites > 0)
    freed += end_oldest_write();
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

// Written at once, one page per request: unlike a private page, whose
// slot is only in PTEs, the page must be on disk before its object may
// point at the slot; and one object's slots are seldom neighbours.
static int evict_shared_anon(struct frame *f)
{
  long slot = swap_alloc();
  if (slot < 0)
    return finish(f, 1);   // swap full or off: it stays
  struct removal rm;
  pmap_remove_all(f, 0, &rm);
  struct disk_segment seg = { frame_page(f), PGSIZE };
  int freed = 0;
  if (rm.left > 0) {
    finish(f, 1);   // a mapping was busy: it may still write
  } else if (swap_io((uint64)slot, &seg, 1, 1) < 0) {
    swap_mark_bad((uint64)slot);
    finish(f, 1);
  } else {
    freed = vmo_anon_swapped_out(f, (uint64)slot);
    frame_unref(f);
  }
  if (!freed)
    swap_put((uint64)slot);
  return freed;
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
    count(&stats.dropped, (uint64)freed);
    return freed;
  }
  case EVICT_FILE: {
    pmap_remove_all(f, 0, &rm);
    int freed = finish(f, 0);
    count(&stats.dropped, (uint64)freed);
    return freed;
  }
  case EVICT_FILE_WRITABLE:
    queue_launder(f);   // for the daemon
    return finish(f, 1);
  case EVICT_SHARED_ANON:
    return evict_shared_anon(f);
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
  } else if (kind == EVICT_FILE) {
    // Written back meanwhile (msync, or another launder) and no longer
    // mapped writable: a clean page, dropped as the clock would.
    struct removal rm;
    pmap_remove_all(f, 0, &rm);
    freed = finish(f, 0);
    count(&stats.dropped, (uint64)freed);
  } else if (kind != EVICT_NOT) {
    finish(f, 1);
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

// One reclaimer's work (reclaim_lock held): frames to free, frames freed,
// private pages waiting to be written in a cluster, and the pages of
// shared file mappings it will write back itself once the lock is let go
// (the reclaim lock must not be held while waiting for the file system).
struct reclaim {
  int want;
  int freed;
  int writer;   // can_write_files(): else such pages go to the daemon
  struct pending_write pending[CLUSTER];
  int npending;
  struct launder mine[CLUSTER];
  int nmine;
};

// Pages being written out count: they are freed once their write ends.
static int satisfied(struct reclaim *r)
{
  return r->freed + r->nmine + pages_in_transit >= r->want;
}

// Evicts f, claimed as kind, which the policy chose.
// Whether f is already among the pages r launders.  The search may pass a
// frame twice (two laps); held twice, its extra reference would keep the
// first launder from freeing it.
static int is_mine(struct reclaim *r, struct frame *f)
{
  for (int i = 0; i < r->nmine; i++)
    if (r->mine[i].frame == f)
      return 1;
  return 0;
}

static void take(struct reclaim *r, struct frame *f, enum evict_kind kind)
{
  if (kind == EVICT_FILE_WRITABLE && r->writer && r->nmine < CLUSTER) {
    if (!is_mine(r, f))
      r->nmine += hold_for_launder(f, &r->mine[r->nmine]);
    finish(f, 1);
    return;
  }
  r->freed += evict(f, kind, r->pending, &r->npending);
  if (r->npending == CLUSTER) {
    r->freed += start_cluster_write(r->pending, r->npending);
    r->npending = 0;
  }
}

// Writes what is pending and waits for every write under way, before the
// reclaimer lets go of reclaim_lock.
static void end_reclaim(struct reclaim *r)
{
  r->freed += start_cluster_write(r->pending, r->npending);
  r->npending = 0;
  r->freed += end_writes();
}

// ECLOCK's D: whether evicting the page needs a write.  A file page mapped
// writable by a shared mapping counts as dirty: whether a mapping wrote it
// shows only in the PTEs' D bits, which the reverse map collects as it
// unmaps the page (pmap_remove_all).
static int needs_write(enum evict_kind kind)
{
  return kind == EVICT_PRIVATE || kind == EVICT_FILE_WRITABLE || kind == EVICT_SHARED_ANON;
}

// f's R bit, f claimed: the accessed bits of its mappings are moved into
// f->referenced, where a policy that only looks (ECLOCK's clean laps)
// leaves it and one that clears it clears it.
static int harvest_referenced(struct frame *f)
{
  f->referenced |= (uint8)pmap_clear_referenced(f);
  return f->referenced;
}

// CLOCK and ECLOCK: the hand goes round every frame in physical order and
// the policy judges each page it could take.  Frames not taken count in
// the policy's laps (CLOCK: twice round, once to clear R bits and once to
// find them still clear; ECLOCK: four times), after which it gives up.
// A batch goes on from each victim in the same lap, as one search that
// takes several victims.
static void sweep_clock(struct reclaim *r, enum vm_policy policy)
{
  uint64 nframes = frame_table_size();
  struct policy_scan scan;
  policy_scan_start(&scan, policy, nframes);
  while (!satisfied(r) && !policy_scan_done(&scan)) {
    struct frame *f = &frame_table[hand];
    hand = (hand + 1) % nframes;
    enum evict_kind kind = vmo_claim(f);
    if (kind == EVICT_NOT) {
      policy_scan_skip(&scan);
      continue;
    }
    count(&stats.scanned, 1);
    enum policy_verdict v = policy_scan_frame(&scan, harvest_referenced(f), needs_write(kind));
    if (v == POLICY_EVICT) {
      take(r, f, kind);
      continue;
    }
    if (v == POLICY_SECOND_CHANCE)
      f->referenced = 0;
    finish(f, 1);
  }
}

// FIFO: the pages loaded longest ago, whatever their bits, by their load
// stamps (frame.h, oldest.h).  A sweep of the frame table finds the
// oldest above fifo_after, the stamp last tried; those that cannot go now
// (busy, shared memory, swap full) are passed over, as if moved to the
// queue's tail, and wait until the search comes round again.  One lap per
// call at most: from fifo_after up, then from the oldest page up to it.
static uint64 fifo_after;   // under reclaim_lock

static void take_oldest(struct reclaim *r)
{
  uint64 nframes = frame_table_size();
  uint64 start = fifo_after;
  int wrapped = 0;
  while (!satisfied(r)) {
    struct oldest o;
    oldest_start(&o, r->want - r->freed - r->nmine, fifo_after);
    for (uint64 i = 0; i < nframes; i++)
      if (__atomic_load_n(&frame_table[i].use, __ATOMIC_RELAXED) == FRAME_USER)
        oldest_offer(&o, i, __atomic_load_n(&frame_table[i].load_stamp, __ATOMIC_RELAXED));
    if (o.n == 0) {
      if (wrapped || start == 0)
        return;
      fifo_after = 0;
      wrapped = 1;
      continue;
    }
    for (int k = 0; k < o.n && !satisfied(r); k++) {
      if (wrapped && o.stamp[k] > start)
        return;   // round once
      fifo_after = o.stamp[k];
      struct frame *f = &frame_table[o.index[k]];
      enum evict_kind kind = vmo_claim(f);
      if (kind == EVICT_NOT)
        continue;
      count(&stats.scanned, 1);
      if (f->load_stamp == o.stamp[k])
        take(r, f, kind);
      else
        finish(f, 1);   // freed and loaded again since the sweep: young
    }
  }
}

// Frees up to want frames by the policy in force.  Pages of shared file
// mappings are written once the lock is let go, or go to the daemon's
// queue if this process cannot write them.
static int reclaim(int want)
{
  struct reclaim r = { .want = want, .writer = can_write_files() };
  acquiresleep(&reclaim_lock);
  enum vm_policy policy = policy_in_force();
  // The search counts pages under write as freed; those whose write
  // failed stay, so it looks again.  It ends: a failed slot is never
  // handed out again, and once swap has no good slot left nothing is
  // written.
  do {
    failed_writes = 0;
    if (policy == POLICY_FIFO)
      take_oldest(&r);
    else
      sweep_clock(&r, policy);
    end_reclaim(&r);
  } while (failed_writes > 0 && !satisfied(&r));
  releasesleep(&reclaim_lock);
  for (int i = 0; i < r.nmine; i++)
    r.freed += launder(&r.mine[i]);
  count(&stats.reclaimed, (uint64)r.freed);
  return r.freed;
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
  // A fault's work: pages of shared file mappings go to the daemon.
  struct reclaim r = { .writer = 0 };
  acquiresleep(&reclaim_lock);   // for pageout_wait_idle
  take(&r, f, kind);
  end_reclaim(&r);
  releasesleep(&reclaim_lock);
  count(&stats.reclaimed, (uint64)r.freed);
  return r.freed > 0 ? 0 : -1;
}

static void evict_mapped(pte_t *pte, uint64 va, void *r)
{
  (void)va;
  struct frame *f = frame_of_pa(PTE2PA(*pte));
  enum evict_kind kind = vmo_claim(f);
  if (kind != EVICT_NOT)
    take(r, f, kind);
}

int pageout_evict_all(struct vmspace *vm)
{
  // Pages of shared file mappings are queued: the daemon launders them
  // at its next tick.
  struct reclaim r = { .writer = 0 };
  acquiresleep(&reclaim_lock);
  // No pmap lock while visiting: vm is held, so its page tables stay, and
  // each eviction takes what it needs.
  pmap_foreach(&vm->pmap, 0, MAXVA, evict_mapped, &r);
  end_reclaim(&r);
  releasesleep(&reclaim_lock);
  count(&stats.reclaimed, (uint64)r.freed);
  return r.freed;
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

// After a pass that found nothing to evict (swap full or being turned
// off, every page busy or kernel), the daemon rests this many ticks: a
// fruitless pass looks at every frame twice, and at one hart, pass after
// pass would leave the processes little time to free memory themselves.
#define FRUITLESS_REST_TICKS 10

// The daemon: checks the reserve every tick; below the low watermark it
// reclaims up to the high one.
static void pageout_daemon(void)
{
  int rest = 0;
  for (;;) {
    tick_wait();
    loadctl_tick(frame_free_count(), frame_table_size(), high_water);
    allocation_tick(high_water);
    launder_queued();
    if (rest > 0) {
      rest--;
      continue;
    }
    if (frame_free_count() >= low_water)
      continue;
    count(&stats.wakeups, 1);
    // All that is missing at once, so that several cluster writes are
    // under way together.  A pass that frees less than that (swap full,
    // the clean pages it dropped taken again at once) ends the tick's
    // work: passing again and again, the daemon would hold the reclaim
    // lock nearly all the time, and a fault waiting for it to reclaim
    // itself, or to find nothing and call the out-of-memory killer, would
    // starve.
    uint64 free;
    while ((free = frame_free_count()) < high_water) {
      int want = (int)(high_water - free);
      int freed = reclaim(want) + launder_queued();
      if (freed == 0)
        rest = FRUITLESS_REST_TICKS;   // nothing evictable: faults will find out
      if (freed < want)
        break;
    }
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
  st->dropped = __atomic_load_n(&stats.dropped, __ATOMIC_RELAXED);
}
