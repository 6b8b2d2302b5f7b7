// Load control: when the running processes' working sets together do not
// fit in memory, every process faults and none gets work done (thrashing).
// The pageout daemon measures each process's page-in rate every second;
// when memory is short and the system pages in faster than a threshold
// with two or more processes faulting, it suspends the largest ones (and
// pushes their pages out) until the footprints of those left running fit
// in memory.  A suspended process is resumed when its pages fit in memory,
// or after at most MAX_SUSPEND seconds, when the largest running process
// takes its place (no process waits for ever).  vmctl switches it off, to
// show the collapse.
#pragma once
#include "types.h"

// Called by the pageout daemon every tick, with the free frames, all
// frames, and the reserve it keeps (its high watermark): memory is short
// below it.
void loadctl_tick(uint64 free_frames, uint64 total_frames, uint64 reserve);
void loadctl_enable(int on);
// On every return to user mode: a suspended process waits here, where it
// holds no lock, buffer or disk request, until it is resumed or killed.
struct proc;
void loadctl_wait_if_suspended(struct proc *p);
int loadctl_enabled(void);

struct loadctl_stats {
  uint64 suspended;     // processes suspended now
  uint64 suspensions;   // since boot
  uint64 page_in_rate;  // pages per second, system-wide, last second
};
void loadctl_get_stats(struct loadctl_stats *st);
