// Swap: the swap partition of the boot disk (a Linux swap area, made by
// util-linux mkswap) and its slots.  Page 0 of the partition is the
// header; slot s is page s, so slot 0 and the pages the header lists as
// bad are never handed out.  Each slot has a reference count (swapmap.c):
// the swap entries naming it plus the pager's short holds.
#include "types.h"
#include "riscv.h"
#include "memlayout.h"
#include "spinlock.h"
#include "param.h"
#include "proc.h"
#include "printf.h"
#include "vm/frame.h"
#include "vm/swap_header.h"
#include "vm/swapmap.h"
#include "vm/swap.h"
#include "vm/vmobject.h"
#include "dev/disk.h"
#include "lib/lib.h"

#define SECTORS_PER_SLOT (SWAP_PAGE / 512)

// swap_lock guards the map and on; the I/O needs no lock.
static struct spinlock swap_lock;
static struct swapmap map;
static int on;
static uint64 ins, outs;
static int failing_writes;   // injected: the next ones fail (swap_fail_next)

static void release_map(void)
{
  for (uint64 i = 0; i < swapmap_chunks(map.nslots); i++) {
    frame_free(map.chunks[i]);
    map.chunks[i] = 0;
  }
  map.nslots = map.usable = map.used = 0;
}

// Reads and checks the header, then builds a fresh map.  0, or -1 with
// *why saying what is wrong.
static int activate(const char **why)
{
  uint64 partition_pages = disk_swap.sectors / SECTORS_PER_SLOT;
  void *header = frame_alloc(FRAME_KERNEL);
  struct swap_header_info info;
  struct disk_segment seg = { header, SWAP_PAGE };
  *why = "no memory to read its header";
  if (!header)
    return -1;
  int ok = 0;
  if (disk_area_io(&disk_swap, 0, &seg, 1, 0) < 0)
    *why = "cannot read its header";
  else if (swap_header_check(header, partition_pages, &info, why) < 0)
    ;   // *why says what is wrong
  else if (info.pages <= info.bad_pages)
    *why = "no usable page";
  else
    ok = 1;

  uint64 nslots = ok ? info.pages + 1 : 0;
  struct swapmap fresh = { .nslots = 0 };
  for (uint64 i = 0; ok && i < swapmap_chunks(nslots); i++)
    if (!(fresh.chunks[i] = frame_alloc_zeroed(FRAME_KERNEL))) {
      *why = "no memory for its slot map";
      ok = 0;
    }
  if (ok) {
    swapmap_init(&fresh, nslots);
    swapmap_mark_bad(&fresh, 0);
    for (uint64 s = 1; s < nslots; s++)
      if (swap_header_page_is_bad(header, s))
        swapmap_mark_bad(&fresh, s);
  } else {
    for (uint64 i = 0; i < SWAPMAP_MAX_CHUNKS && fresh.chunks[i]; i++)
      frame_free(fresh.chunks[i]);
  }
  frame_free(header);
  if (!ok)
    return -1;
  acquire(&swap_lock);
  map = fresh;
  on = 1;
  release(&swap_lock);
  return 0;
}

void swap_probe(void)
{
  spin_init(&swap_lock, "swap");
  if (disk_swap.sectors == 0) {
    printf("swap: none (no swap partition)\n");
    return;
  }
  const char *why;
  if (activate(&why) < 0) {
    printf("swap: none: %sp%d is not usable swap (%s)\n", disk_name(), disk_swap.number, why);
    return;
  }
  // Rounded: the header page makes a 256 MiB partition hold 255.996 MiB.
  printf("swap: %lu MiB on %sp%d\n", (map.usable * SWAP_PAGE + (1 << 19)) >> 20, disk_name(),
         disk_swap.number);
}

int swap_is_device(const char *name)
{
  const char *disk = disk_name();
  int n = strlen(disk), number = 0;
  if (disk_swap.sectors == 0 || strncmp(name, disk, n) != 0 || name[n] != 'p')
    return 0;
  const char *d = name + n + 1;
  for (; *d >= '0' && *d <= '9' && number < 1000; d++)
    number = number * 10 + (*d - '0');
  return *d == 0 && d > name + n + 1 && number == disk_swap.number;
}

void swap_device_name(char *out, int size)
{
  const char *disk = disk_name();
  int n = strlen(disk);
  out[0] = 0;
  if (disk_swap.sectors == 0 || n + 5 > size)   // "p" and up to 3 digits
    return;
  memmove(out, disk, n);
  out[n++] = 'p';
  char digits[3];
  int k = 0;
  for (int number = disk_swap.number; k < 3 && (k == 0 || number > 0); number /= 10)
    digits[k++] = (char)('0' + number % 10);
  while (k > 0)
    out[n++] = digits[--k];
  out[n] = 0;
}

int swap_on(const char *name)
{
  const char *why;
  if (!swap_is_device(name) || on || activate(&why) < 0)
    return -1;
  return 0;
}

int swap_stop(void)
{
  acquire(&swap_lock);
  int was_on = on;
  on = 0;
  release(&swap_lock);
  return was_on ? 0 : -1;
}

int swap_is_on(void)
{
  return __atomic_load_n(&on, __ATOMIC_RELAXED);
}

void swap_restart(void)
{
  acquire(&swap_lock);
  on = 1;
  release(&swap_lock);
}

int swap_finish_off(void)
{
  acquire(&swap_lock);
  int empty = map.used == 0;
  if (empty)
    release_map();
  else
    on = 1;
  release(&swap_lock);
  return empty ? 0 : -1;
}

long swap_alloc_cached(struct frame *f)
{
  // Under swap_lock, so that read-ahead (swap_hold_if_used) never finds
  // the slot in use before its page is in the swap cache.
  acquire(&swap_lock);
  long slot = on ? swapmap_alloc(&map) : -1;
  if (slot >= 0)
    vmo_swap_add(f, (uint64)slot);
  release(&swap_lock);
  return slot;
}

long swap_alloc(void)
{
  acquire(&swap_lock);
  long slot = on ? swapmap_alloc(&map) : -1;
  release(&swap_lock);
  return slot;
}

void swap_dup(uint64 slot)
{
  acquire(&swap_lock);
  if (swapmap_dup(&map, slot) < 0)
    panic("swap_dup: slot %ld has no reference", (long)slot);
  release(&swap_lock);
}

void swap_put(uint64 slot)
{
  acquire(&swap_lock);
  int left = swapmap_put(&map, slot);
  if (left < 0)
    panic("swap_put: slot %ld is free", (long)slot);
  // Under the lock, so that the slot cannot be handed out again before
  // its old page has left the swap cache.
  if (left == 0)
    vmo_swap_forget(slot);
  release(&swap_lock);
}

int swap_hold_if_used(uint64 slot)
{
  acquire(&swap_lock);
  int used = on && slot < map.nslots && swapmap_count(&map, slot) > 0 &&
             !swapmap_is_bad(&map, slot) && swapmap_dup(&map, slot) == 0;
  release(&swap_lock);
  return used;
}

uint32 swap_count(uint64 slot)
{
  acquire(&swap_lock);
  uint32 n = swapmap_count(&map, slot);
  release(&swap_lock);
  return n;
}

int swap_slot_ok(uint64 slot)
{
  acquire(&swap_lock);
  int ok = slot < map.nslots && !swapmap_is_bad(&map, slot);
  release(&swap_lock);
  return ok;
}

void swap_mark_bad(uint64 slot)
{
  acquire(&swap_lock);
  swapmap_mark_bad(&map, slot);
  release(&swap_lock);
}

void swap_fail_next(int writes, int reads)
{
  __atomic_store_n(&failing_writes, writes, __ATOMIC_RELAXED);
  myproc()->failing_swap_reads = reads;
}

// An injected failure, as if the disk had reported an error: for a write,
// the next of the failing_writes; for a read, the next of the reading
// process's own (so that a test fails reads in one process only).
static int injected_failure(int write)
{
  if (write) {
    int n = __atomic_load_n(&failing_writes, __ATOMIC_RELAXED);
    while (n > 0)
      if (__atomic_compare_exchange_n(&failing_writes, &n, n - 1, 0, __ATOMIC_RELAXED,
                                      __ATOMIC_RELAXED))
        return 1;
    return 0;
  }
  struct proc *p = myproc();
  if (p && p->failing_swap_reads > 0) {
    p->failing_swap_reads--;
    return 1;
  }
  return 0;
}

void swap_io_start(struct swap_request *r, uint64 first_slot, const struct disk_segment *segs,
                   int nseg, int write)
{
  r->nseg = nseg;
  r->write = write;
  r->failed = injected_failure(write) ||
              disk_area_start(&disk_swap, &r->disk, first_slot * SECTORS_PER_SLOT, segs, nseg,
                              write) < 0;
}

int swap_io_wait(struct swap_request *r)
{
  if (r->failed || disk_area_wait(&r->disk) < 0)
    return -1;
  __atomic_fetch_add(r->write ? &outs : &ins, (uint64)r->nseg, __ATOMIC_RELAXED);
  return 0;
}

int swap_io(uint64 first_slot, const struct disk_segment *segs, int nseg, int write)
{
  struct swap_request r;
  swap_io_start(&r, first_slot, segs, nseg, write);
  return swap_io_wait(&r);
}

// One request of the raw benchmark: a run of neighbouring slots.
struct bench_write {
  struct disk_request req;
  long first;
  int n;
  int started;
};

// Waits for w and frees its slots; -1 if it failed.
static int bench_end(struct bench_write *w)
{
  int r = w->started && disk_area_wait(&w->req) == 0 ? 0 : -1;
  for (int i = 0; i < w->n; i++)
    swap_put((uint64)(w->first + i));
  return r;
}

int swap_bench_write(int pages)
{
  enum { RUN = 32 };   // as many pages per request as the pager writes
  struct disk_segment segs[RUN];
  struct bench_write inflight[SWAP_WRITES_IN_FLIGHT];   // a ring, as the pager's
  int oldest = 0, ninflight = 0, err = 0;
  for (int i = 0; i < RUN; i++) {
    segs[i] = (struct disk_segment){ frame_alloc_zeroed(FRAME_KERNEL), PGSIZE };
    if (!segs[i].data)
      err = -1;
  }
  for (int done = 0; err == 0 && done < pages;) {
    // A run of free slots, as the pager would take them: nothing in use
    // is written.
    long first = swap_alloc();
    if (first < 0) {
      err = -1;   // swap full or off
      break;
    }
    int n = 1;
    for (long next; n < RUN && done + n < pages && (next = swap_alloc()) >= 0; n++)
      if (next != first + n) {
        swap_put((uint64)next);
        break;
      }
    if (ninflight == SWAP_WRITES_IN_FLIGHT) {
      err |= bench_end(&inflight[oldest]);
      oldest = (oldest + 1) % SWAP_WRITES_IN_FLIGHT;
      ninflight--;
    }
    struct bench_write *w = &inflight[(oldest + ninflight++) % SWAP_WRITES_IN_FLIGHT];
    w->first = first;
    w->n = n;
    w->started = disk_area_start(&disk_swap, &w->req, (uint64)first * SECTORS_PER_SLOT, segs, n,
                                 1) == 0;
    done += n;
  }
  for (; ninflight > 0; ninflight--) {
    err |= bench_end(&inflight[oldest]);
    oldest = (oldest + 1) % SWAP_WRITES_IN_FLIGHT;
  }
  for (int i = 0; i < RUN; i++)
    if (segs[i].data)
      frame_free(segs[i].data);
  return err;
}

void swap_get_stats(struct swap_stats *st)
{
  acquire(&swap_lock);
  st->total = on || map.nslots ? map.usable : 0;
  st->used = map.used;
  release(&swap_lock);
  st->ins = __atomic_load_n(&ins, __ATOMIC_RELAXED);
  st->outs = __atomic_load_n(&outs, __ATOMIC_RELAXED);
}
