// How many frames each process gets under local replacement with
// computed allocations (Silberschatz, "Allocation of Frames"): m pageable
// frames shared by n processes equally, a_i = m / n, or in proportion to
// their sizes, a_i = s_i / S * m.  A process whose allocation was set by
// hand keeps it, and it comes out of m first; every process gets at least
// the minimum.  Pure logic, checked on the host.
#pragma once
#include "types.h"

enum share_rule { SHARE_EQUAL, SHARE_PROPORTIONAL };

// For each of the n processes: its size s_i (proportional) and the frames
// set by hand (0: none); fills share[i].  With every size 0 the
// proportional rule shares equally.
void frame_shares(enum share_rule rule, uint64 frames, uint64 min_frames, int n,
                  const uint64 *size, const uint64 *by_hand, uint64 *share);
