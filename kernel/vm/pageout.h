// The pager: frees frames by evicting pages that were not used lately.
// A kernel thread (the pageout daemon) keeps free frames between a low and
// a high watermark, so that most faults never wait for a write; a fault
// that finds no free frame all the same reclaims directly.
#pragma once
#include "types.h"

void pageout_init(void);
// Starts the daemon (from the first process, once swap is probed).
void pageout_start(void);
// For a fault that found no free frame: frees some frames, sleeping for
// disk writes.  Returns how many (0: nothing left to evict).
int pageout_reclaim_direct(void);
// The same for a given number of frames (fork, before it retries).
int pageout_reclaim(int frames);

struct pmap;
// Evicts the page mapped at va in pm now, whatever its bits (local
// replacement has chosen it).  0 if it is gone (or was not there), -1 if it
// could not go (swap full or off, or the page busy or not evictable).
int pageout_evict(struct pmap *pm, uint64 va);

// Waits until no eviction is under way: every slot the pager took has been
// written (or given back) and its hold dropped (swapoff).
void pageout_wait_idle(void);

struct vmspace;
// Evicts every page of vm that can go (load control, for a suspended
// process; vm held).  Returns the frames freed.
int pageout_evict_all(struct vmspace *vm);

struct pageout_stats {
  uint64 scanned, reclaimed, wakeups, direct;
  uint64 file_writes;   // dirty shared file pages written back by the daemon
  uint64 dropped;       // clean pages freed without a write (file, swap cache)
};
void pageout_get_stats(struct pageout_stats *st);
