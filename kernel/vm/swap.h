// Swap: the swap partition of the boot disk, checked at boot, and its
// slots, one page each, reference-counted.
#pragma once
#include "types.h"
#include "dev/blockdev.h"

// Reads and checks the swap partition's Linux swap header (never writing
// it), turns swap on, and says in one boot line what it found: "swap: 256
// MiB on virtio0p2", or why there is no swap.  After disk_probe().
void swap_probe(void);

// swapon and swapoff.  name is the partition's name ("virtio0p2").
int swap_is_device(const char *name);
// The swap partition's name into out (size bytes), "" if the disk has none.
void swap_device_name(char *out, int size);
int swap_on(const char *name);   // 0, or -1 (not the swap partition, already on, bad header)
// swapoff in three steps: stop handing out slots (-1 if swap is off), then
// the caller brings every page back (vm_swapoff), then finish: 0 if no
// slot is left in use (the map is freed), else swap goes back on and -1.
int swap_stop(void);
int swap_finish_off(void);
void swap_restart(void);        // undoes swap_stop
int swap_is_on(void);

// A free slot with one reference, next to the last one handed out; -1 if
// swap is full or off.
long swap_alloc(void);
// The same, putting f (busy) into the swap cache as the slot's page at once.
struct frame;
long swap_alloc_cached(struct frame *f);
void swap_dup(uint64 slot);
// The last reference frees the slot and forgets its page in the swap cache.
void swap_put(uint64 slot);
uint32 swap_count(uint64 slot);
// One more reference to slot if it holds a page (read-ahead); 1 if taken.
int swap_hold_if_used(uint64 slot);
// Whether slot holds what was written to it (not marked bad).
int swap_slot_ok(uint64 slot);
// A slot that failed a write: never handed out again.
void swap_mark_bad(uint64 slot);
// Reads or writes nseg pages at slots first_slot, first_slot+1, ... in one
// request.  0, or -1 on a device error.
int swap_io(uint64 first_slot, const struct disk_segment *segs, int nseg, int write);
// The same in two halves, so that several requests can be in flight:
// start sends the request (the segments may go once it returns), wait
// sleeps until it is done and returns 0, or -1 if it failed (on the
// device, or before it reached it).
struct swap_request {
  struct disk_request disk;
  int failed;   // before it reached the disk
  int nseg, write;
};
void swap_io_start(struct swap_request *r, uint64 first_slot, const struct disk_segment *segs,
                   int nseg, int write);
int swap_io_wait(struct swap_request *r);
// How many write requests the pager (and the raw benchmark) keeps in
// flight: the disk works on some while the pager prepares the next.
#define SWAP_WRITES_IN_FLIGHT 4

// The fault switch for tests: the next `writes` swap writes fail, and the
// next `reads` swap reads made by the calling process.
void swap_fail_next(int writes, int reads);

// The raw speed of the swap partition for the benchmarks: writes pages
// pages of zeros to free slots, as the pager would (32 pages a request
// for neighbouring slots, SWAP_WRITES_IN_FLIGHT requests in flight), and
// frees them.  0, or -1.
int swap_bench_write(int pages);

struct swap_stats {
  uint64 total, used;   // slots
  uint64 ins, outs;     // pages read and written since boot
};
void swap_get_stats(struct swap_stats *st);
