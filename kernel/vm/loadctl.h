// Load control: when the running processes' working sets together do not
// fit in memory, every process faults and none gets work done (thrashing).
// The pageout daemon measures each process's page-in rate every second;
// when memory is short and the system pages in faster than a threshold
// with two or more processes faulting, it suspends one (the largest in
// memory), pushes its pages out, and resumes it when memory frees up or
// after at most MAX_SUSPEND seconds (no process waits for ever: another
// then takes its turn).  vmctl switches it off, to show the collapse.
#pragma once
#include "types.h"

// Called by the pageout daemon every tick, with the free frames and the
// reserve it keeps (its high watermark): memory is short below it.
void loadctl_tick(uint64 free_frames, uint64 reserve);
void loadctl_enable(int on);
int loadctl_enabled(void);

struct loadctl_stats {
  uint64 suspended;     // processes suspended now
  uint64 suspensions;   // since boot
  uint64 page_in_rate;  // pages per second, system-wide, last second
};
void loadctl_get_stats(struct loadctl_stats *st);
