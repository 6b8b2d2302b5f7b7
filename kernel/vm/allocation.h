// Frame allocation: global replacement (every process takes frames from
// all of memory, the default), or local replacement with each process
// held to an allocation computed from the pageable frames, equally or in
// proportion to its size (frame_shares.h).  vmctl alloc switches it.
// Computed allocations are local sets (localset.h): they cover a
// process's private anonymous memory; a limit set by hand (vmctl limit)
// overrides them.  The pageout daemon recomputes them every second, and
// at its next tick after a process comes or goes.
#pragma once
#include "types.h"

// Numbered as kernel/vmctl.h numbers them for user programs.
enum alloc_mode { ALLOC_GLOBAL, ALLOC_EQUAL, ALLOC_PROPORTIONAL, NALLOC };

enum alloc_mode allocation_mode(void);
// Switches the mode; allocations follow at the daemon's next tick.
void allocation_set_mode(enum alloc_mode mode);
// A process came or went (an address space was made or destroyed).
void allocation_changed(void);
// The pageout daemon's tick, with the frames it keeps free (its high
// watermark), which no allocation may count on.
void allocation_tick(uint64 reserve);
