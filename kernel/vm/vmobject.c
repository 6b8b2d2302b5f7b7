#include "types.h"
#include "riscv.h"
#include "param.h"
#include "memlayout.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "vm/frame.h"
#include "fs.h"
#include "log.h"
#include "printf.h"
#include "vm/vm.h"
#include "vm/vmobject.h"
#include "vm/objcache.h"
#include "vm/anon_slots.h"
#include "vm/swap.h"
#include "dev/blockdev.h"
#include "lib/lib.h"

#define NBUCKET 1024

// cache_lock guards the list of file objects, every object's refs, the
// hash table of pages, and the table of swapped-out shared anonymous pages:
// a page of such an object is either cached, or busy being filled, or in
// that table, and moves between them under this lock.
static struct spinlock cache_lock;
static struct objcache objects;
static struct objcache slot_entries;     // struct anon_slot
static struct anon_slots swapped_anon;
static struct vm_object *file_objects;   // objects in use of kind VMO_FILE
static struct frame *buckets[NBUCKET];
static uint64 ncached;
static uint64 file_pages_read;

struct vm_object swap_object = { .kind = VMO_SWAP, .refs = 1 };

void vmo_init(void)
{
  spin_init(&cache_lock, "page cache");
  objcache_init(&objects, "vm objects", sizeof(struct vm_object));
  objcache_init(&slot_entries, "anon slots", sizeof(struct anon_slot));
}

static struct frame **bucket(struct vm_object *o, uint64 pgidx)
{
  uint64 h = ((uint64)o >> 4) * 31 + pgidx;
  return &buckets[h % NBUCKET];
}

// cache_lock held.
static struct frame *lookup(struct vm_object *o, uint64 pgidx)
{
  for (struct frame *f = *bucket(o, pgidx); f; f = f->next)
    if (f->owner == o && f->offset == pgidx)
      return f;
  return 0;
}

// cache_lock held.
static void unhash(struct frame *f)
{
  struct frame **pp = bucket(f->owner, f->offset);
  while (*pp != f)
    pp = &(*pp)->next;
  *pp = f->next;
  f->next = 0;
  f->owner = 0;
  f->flags &= ~(FRAME_SHARED_WRITE | FRAME_DIRTY);   // no file to be newer than
  ncached--;
}

// cache_lock held.  The cache's own reference is the caller's to give.
static void hash(struct frame *f, struct vm_object *o, uint64 pgidx)
{
  f->owner = o;
  f->offset = pgidx;
  struct frame **b = bucket(o, pgidx);
  f->next = *b;
  *b = f;
  ncached++;
}

static struct vm_object *object_alloc(enum vmo_kind kind, struct inode *ip)
{
  struct vm_object *o = objcache_alloc(&objects);
  if (!o)
    return 0;
  o->kind = kind;
  o->refs = 1;
  o->ip = ip;
  o->next = 0;
  return o;
}

static struct vm_object *object_of_inode(struct inode *ip)
{
  for (struct vm_object *o = file_objects; o; o = o->next)
    if (o->ip == ip)
      return o;
  return 0;
}

struct vm_object *vmo_of_file(struct inode *ip)
{
  acquire(&cache_lock);
  struct vm_object *o = object_of_inode(ip);
  if (o) {
    o->refs++;
    release(&cache_lock);
    return o;
  }
  o = object_alloc(VMO_FILE, ip);
  if (o) {
    idup(ip);   // an inode in use keeps its table slot, so o->ip stays ip
    o->next = file_objects;
    file_objects = o;
  }
  release(&cache_lock);
  return o;
}

struct vm_object *vmo_new_anon(void)
{
  acquire(&cache_lock);
  struct vm_object *o = object_alloc(VMO_ANON, 0);
  release(&cache_lock);
  return o;
}

void vmo_ref(struct vm_object *o)
{
  acquire(&cache_lock);
  o->refs++;
  release(&cache_lock);
}

// cache_lock held: unhashes every page of o and collects them on *list.
static void take_pages(struct vm_object *o, struct frame **list)
{
  for (int b = 0; b < NBUCKET; b++) {
    struct frame *f = buckets[b];
    while (f) {
      struct frame *next = f->next;
      if (f->owner == o) {
        unhash(f);
        f->next = *list;
        *list = f;
      }
      f = next;
    }
  }
}

static void free_page_list(struct frame *list)
{
  while (list) {
    struct frame *next = list->next;
    list->next = 0;
    frame_free(frame_page(list));
    list = next;
  }
}

void vmo_put(struct vm_object *o)
{
  struct frame *pages = 0;
  struct anon_slot *swapped = 0, *e;
  acquire(&cache_lock);
  if (--o->refs > 0) {
    release(&cache_lock);
    return;
  }
  take_pages(o, &pages);
  while ((e = anon_slots_take_any(&swapped_anon, o)) != 0) {
    e->next = swapped;
    swapped = e;
  }
  if (o->kind == VMO_FILE) {
    struct vm_object **pp = &file_objects;
    while (*pp != o)
      pp = &(*pp)->next;
    *pp = o->next;
  }
  struct inode *ip = o->ip;
  release(&cache_lock);
  objcache_free(&objects, o);

  free_page_list(pages);
  for (; swapped; swapped = e) {
    e = swapped->next;
    swap_put(swapped->slot);
    objcache_free(&slot_entries, swapped);
  }
  if (ip) {
    begin_op();
    iput(ip);
    end_op();
  }
}

// cache_lock held.  Wakes the waiters, if any: a wakeup looks at every
// process, and the pager unbusies thousands of frames nobody waits for.
static void unbusy(struct frame *f)
{
  if (f->flags & FRAME_WANTED)
    wakeup(f);
  f->flags &= ~(FRAME_BUSY | FRAME_WANTED);
}

// 0, or VM_ERR_IO.  The page is busy in the cache meanwhile.
static int fill_from_file(struct vm_object *o, uint64 pgidx, void *page)
{
  memset(page, 0, PGSIZE);
  ilock(o->ip);
  // Offsets are 64-bit here and 32-bit in the file system: a page past
  // the end of the file (wherever it is) reads as zeros.
  uint64 off = pgidx * PGSIZE;
  int n = off < o->ip->size ? readi(o->ip, 0, (uint64)page, (uint)off, PGSIZE) : 0;
  iunlock(o->ip);
  __atomic_fetch_add(&file_pages_read, 1, __ATOMIC_RELAXED);
  return n < 0 ? VM_ERR_IO : 0;
}

// A page in for the swap cache reads the pages of the following slots too,
// while they are in use and not cached, in the same request: a process
// that pages in sequentially then finds them there.  Cheap, since a disk
// request costs about the same for one page as for eight; but only when
// the process's previous page-in was a neighbour, since for random
// page-ins the extra pages would only push useful ones out.
#define SWAP_READ_AHEAD 8

// 0, or VM_ERR_SWAP_IO.  page (slot's, busy in the cache) is read with up
// to SWAP_READ_AHEAD - 1 neighbours, each in a fresh frame that waits busy
// in the cache holding a reference to its slot (so that the slot cannot be
// freed, and handed out again, while its old page comes in).
static int fill_from_swap(uint64 slot, void *page)
{
  struct disk_segment segs[SWAP_READ_AHEAD] = { { page, PGSIZE } };
  struct frame *ahead[SWAP_READ_AHEAD];
  struct proc *p = myproc();
  int sequential = slot > p->last_swap_in - SWAP_READ_AHEAD &&
                   slot <= p->last_swap_in + SWAP_READ_AHEAD;
  p->last_swap_in = slot;
  int n = 1;
  for (; sequential && n < SWAP_READ_AHEAD && swap_hold_if_used(slot + n); n++) {
    void *extra = frame_alloc(FRAME_USER);   // no reclaim: it is only a guess
    acquire(&cache_lock);
    if (!extra || lookup(&swap_object, slot + n)) {
      release(&cache_lock);
      if (extra)
        frame_free(extra);
      swap_put(slot + n);
      break;
    }
    ahead[n] = frame_of(extra);
    hash(ahead[n], &swap_object, slot + n);   // our reference becomes the cache's
    ahead[n]->flags |= FRAME_BUSY;
    release(&cache_lock);
    segs[n] = (struct disk_segment){ extra, PGSIZE };
  }
  int failed = swap_io(slot, segs, n, 0) < 0;
  acquire(&cache_lock);
  for (int i = 1; i < n; i++) {
    unbusy(ahead[i]);
    if (failed)
      unhash(ahead[i]);
  }
  release(&cache_lock);
  for (int i = 1; i < n; i++) {
    if (failed)
      frame_free(segs[i].data);
    swap_put(slot + i);   // the last reference forgets the page again
  }
  return failed ? VM_ERR_SWAP_IO : 0;
}

// A shared anonymous page comes back from its own slot, alone: the slots
// of one object's pages are seldom neighbours.
static int fill_from_anon_slot(const struct anon_slot *e, void *page)
{
  struct disk_segment seg = { page, PGSIZE };
  return swap_io(e->slot, &seg, 1, 0) < 0 ? VM_ERR_SWAP_IO : 0;
}

// Fills page pgidx of o (busy in the cache), from swapped if the page was
// swapped out of a shared anonymous object.
static int fill(struct vm_object *o, uint64 pgidx, void *page, const struct anon_slot *swapped)
{
  myproc()->page_reads++;   // makes the fault a major one
  if (swapped)
    return fill_from_anon_slot(swapped, page);
  if (o->kind == VMO_FILE)
    return fill_from_file(o, pgidx, page);
  return fill_from_swap(pgidx, page);
}

// cache_lock held: the page's frame, waiting while it is busy; 0 if absent.
static struct frame *lookup_ready(struct vm_object *o, uint64 pgidx)
{
  struct frame *f;
  while ((f = lookup(o, pgidx)) && (f->flags & FRAME_BUSY)) {
    f->flags |= FRAME_WANTED;
    sleep(f, &cache_lock);
  }
  return f;
}

void *vmo_get_page(struct vm_object *o, uint64 pgidx, int *err)
{
  for (;;) {
    acquire(&cache_lock);
    struct frame *f = lookup_ready(o, pgidx);
    if (f) {
      void *page = frame_page(f);
      frame_ref(page);
      release(&cache_lock);
      return page;
    }
    release(&cache_lock);

    // A fault in a copy made under an inode lock (this file's or another's)
    // must not wait for a second one: see copy_fault_retry() in uaccess.h.
    if (o->kind == VMO_FILE && myproc()->inode_locks > 0) {
      *err = VM_ERR_PUT_OFF;
      return 0;
    }
    void *page = o->kind == VMO_ANON ? frame_alloc_zeroed(FRAME_USER) : frame_alloc(FRAME_USER);
    if (!page) {
      *err = VM_ERR_NO_MEMORY;
      return 0;
    }
    acquire(&cache_lock);
    if (lookup(o, pgidx)) {
      // Someone else cached it while we allocated: use theirs.
      release(&cache_lock);
      frame_free(page);
      continue;
    }
    f = frame_of(page);
    hash(f, o, pgidx);
    frame_ref(page);   // the cache's own reference
    // The entry, and its hold on the slot, are ours until the read ends.
    struct anon_slot *swapped = o->kind == VMO_ANON ? anon_slots_take(&swapped_anon, o, pgidx) : 0;
    if (o->kind == VMO_ANON && !swapped) {
      release(&cache_lock);
      return page;   // a new page: zeros
    }
    f->flags |= FRAME_BUSY;
    release(&cache_lock);

    int e = fill(o, pgidx, page, swapped);
    acquire(&cache_lock);
    unbusy(f);
    if (e < 0)
      unhash(f);
    if (e < 0 && swapped)
      anon_slots_add(&swapped_anon, swapped);   // the page is still out there
    release(&cache_lock);
    if (e == 0 && swapped) {
      swap_put(swapped->slot);
      objcache_free(&slot_entries, swapped);
    }
    if (e < 0) {
      frame_free(page);   // the cache's reference
      frame_free(page);   // ours
      *err = e;
      return 0;
    }
    return page;
  }
}

// Atomically takes a reference to f unless its count is already 0 (it is
// being freed, or free).
static int frame_tryget(struct frame *f)
{
  uint32 n = __atomic_load_n(&f->refcount, __ATOMIC_ACQUIRE);
  while (n > 0)
    if (__atomic_compare_exchange_n(&f->refcount, &n, n + 1, 0, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE))
      return 1;
  return 0;
}

enum evict_kind vmo_claim(struct frame *f)
{
  if (__atomic_load_n(&f->use, __ATOMIC_RELAXED) != FRAME_USER || !frame_tryget(f))
    return EVICT_NOT;
  enum evict_kind kind = EVICT_NOT;
  acquire(&cache_lock);
  if (f->use == FRAME_USER && !(f->flags & FRAME_BUSY)) {
    struct vm_object *o = f->owner;
    if (!o && f->pv)
      kind = EVICT_PRIVATE;   // (no pv: a fault is still setting it up)
    else if (o == &swap_object)
      kind = EVICT_SWAPPED;   // if its slot is good: checked below
    else if (o && o->kind == VMO_FILE)
      kind = f->flags & FRAME_SHARED_WRITE ? EVICT_FILE_WRITABLE : EVICT_FILE;
    else if (o && o->kind == VMO_ANON)
      kind = EVICT_SHARED_ANON;
  }
  if (kind != EVICT_NOT)
    f->flags |= FRAME_BUSY;
  release(&cache_lock);
  if (kind == EVICT_NOT) {
    frame_unref(f);
  } else if (kind == EVICT_SWAPPED && !swap_slot_ok(f->offset)) {
    // Its write failed: this copy is the only one.  (Checked without
    // cache_lock: swap_lock comes first, see docs/locking.md.)
    vmo_finish_claim(f, 1);
    frame_unref(f);
    kind = EVICT_NOT;
  }
  return kind;
}

void vmo_swap_add(struct frame *f, uint64 slot)
{
  acquire(&cache_lock);
  hash(f, &swap_object, slot);
  frame_ref(frame_page(f));   // the cache's reference
  release(&cache_lock);
}

int vmo_finish_claim(struct frame *f, int keep)
{
  acquire(&cache_lock);
  // Our reference and the cache's are the only ones left: nothing maps it.
  int drop = !keep && f->owner && __atomic_load_n(&f->refcount, __ATOMIC_ACQUIRE) == 2;
  if (drop)
    unhash(f);
  unbusy(f);
  release(&cache_lock);
  if (drop)
    frame_unref(f);   // the cache's; ours keeps it
  return drop;
}

int vmo_anon_swapped_out(struct frame *f, uint64 slot)
{
  struct anon_slot *e = objcache_alloc(&slot_entries);
  acquire(&cache_lock);
  int drop = e && f->owner && __atomic_load_n(&f->refcount, __ATOMIC_ACQUIRE) == 2;
  if (drop) {
    *e = (struct anon_slot){ .obj = f->owner, .pgidx = f->offset, .slot = slot };
    anon_slots_add(&swapped_anon, e);
    unhash(f);
  }
  unbusy(f);
  release(&cache_lock);
  if (drop)
    frame_unref(f);   // the cache's; the claimer's keeps it
  else if (e)
    objcache_free(&slot_entries, e);
  return drop;
}

int vmo_anon_swap_in_all(void)
{
  for (;;) {
    acquire(&cache_lock);
    const struct anon_slot *e = anon_slots_any(&swapped_anon);
    // The object outlives the entry while we hold a reference.
    struct vm_object *o = e ? (struct vm_object *)e->obj : 0;
    uint64 pgidx = e ? e->pgidx : 0;
    if (o)
      o->refs++;
    release(&cache_lock);
    if (!o)
      return 0;
    int err = 0;
    void *page = vmo_get_page(o, pgidx, &err);
    if (page)
      frame_free(page);   // the cache keeps it
    vmo_put(o);
    if (!page)
      return err;
  }
}

uint64 vmo_anon_swapped_pages(void)
{
  acquire(&cache_lock);
  uint64 n = swapped_anon.count;
  release(&cache_lock);
  return n;
}

int vmo_swap_take(void *page, uint64 slot)
{
  struct frame *f = frame_of(page);
  acquire(&cache_lock);
  int take = f->owner == &swap_object && f->offset == slot && !(f->flags & FRAME_BUSY) &&
             __atomic_load_n(&f->refcount, __ATOMIC_ACQUIRE) == 2;
  if (take)
    unhash(f);
  release(&cache_lock);
  if (take)
    frame_free(page);   // the cache's reference
  return take;
}

void vmo_swap_forget(uint64 slot)
{
  acquire(&cache_lock);
  struct frame *f = lookup(&swap_object, slot);
  if (f)
    unhash(f);
  release(&cache_lock);
  if (f)
    frame_unref(f);
}

void vmo_mark_shared_write(void *page)
{
  acquire(&cache_lock);
  frame_of(page)->flags |= FRAME_SHARED_WRITE;
  release(&cache_lock);
}

int vmo_is_dirty(struct frame *f)
{
  acquire(&cache_lock);
  int dirty = (f->flags & FRAME_DIRTY) != 0;
  release(&cache_lock);
  return dirty;
}

void vmo_mark_written(struct frame *f, int written)
{
  acquire(&cache_lock);
  if (written)
    f->flags &= ~(FRAME_SHARED_WRITE | FRAME_DIRTY);
  else if (f->owner)
    f->flags |= FRAME_DIRTY;
  release(&cache_lock);
}

struct vm_object *vmo_hold_owner(struct frame *f, uint64 *pgidx)
{
  acquire(&cache_lock);
  // Still cached, so o's last reference has not gone: vmo_put takes the
  // pages out under this lock when it does.
  struct vm_object *o = f->owner;
  if (o)
    o->refs++;
  *pgidx = f->offset;
  release(&cache_lock);
  return o;
}

int vmo_write_page(struct vm_object *o, uint64 pgidx, void *page)
{
  uint64 off = pgidx * PGSIZE;
  if (off >= o->ip->size)
    return 0;
  uint n = (uint)(o->ip->size - off < PGSIZE ? o->ip->size - off : PGSIZE);
  return writei(o->ip, 0, (uint64)page, (uint)off, n) == (int)n ? 0 : -1;
}

void vmo_file_written(struct inode *ip, uint off, uint n)
{
  for (uint64 idx = off / PGSIZE; idx * PGSIZE < (uint64)off + n; idx++) {
    // Our frame reference keeps the page alive while we read into it
    // without the lock, even if its object goes away meanwhile.
    acquire(&cache_lock);
    struct vm_object *o = object_of_inode(ip);
    struct frame *f = o ? lookup(o, idx) : 0;
    void *page = f ? frame_page(f) : 0;
    if (page)
      frame_ref(page);
    release(&cache_lock);
    if (!page)
      continue;
    uint64 start = idx * PGSIZE > off ? idx * PGSIZE : off;
    uint64 end = (idx + 1) * PGSIZE < (uint64)off + n ? (idx + 1) * PGSIZE : (uint64)off + n;
    readi(ip, 0, (uint64)page + (start - idx * PGSIZE), (uint)start, (uint)(end - start));
    frame_free(page);
  }
}

void vmo_file_truncated(struct inode *ip)
{
  struct frame *pages = 0;
  acquire(&cache_lock);
  struct vm_object *o = object_of_inode(ip);
  if (o)
    take_pages(o, &pages);
  release(&cache_lock);
  free_page_list(pages);
}

uint64 vmo_file_pages_read(void)
{
  return __atomic_load_n(&file_pages_read, __ATOMIC_RELAXED);
}

uint64 vmo_cached_pages(void)
{
  return __atomic_load_n(&ncached, __ATOMIC_RELAXED);
}
