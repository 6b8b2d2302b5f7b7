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

struct pageout_stats {
  uint64 scanned, reclaimed, wakeups, direct;
};
void pageout_get_stats(struct pageout_stats *st);
