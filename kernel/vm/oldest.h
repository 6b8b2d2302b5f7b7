// The oldest pages in memory, for global FIFO replacement: one sweep of
// the frame table offers every user frame with its load stamp (frame.h),
// and this keeps the `want` smallest stamps above a cutoff, oldest first.
// A sweep costs a read of each frame's stamp, no lock; a caller whose
// candidates could not all be evicted sweeps again with the cutoff at the
// last stamp it tried.  Pure logic, checked on the host.
#pragma once
#include "types.h"

#define OLDEST_MAX 32

struct oldest {
  int want;                    // at most OLDEST_MAX
  int n;                       // kept so far
  uint64 after;                // only stamps above this are kept
  uint64 stamp[OLDEST_MAX];    // ascending
  uint64 index[OLDEST_MAX];    // the frame each stamp belongs to
};

void oldest_start(struct oldest *o, int want, uint64 after);
void oldest_offer(struct oldest *o, uint64 index, uint64 stamp);
