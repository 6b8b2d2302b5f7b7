// Replacement policies: which page of a full set of frames to evict,
// decided from each frame's referenced (R) and dirty (D) bits and a clock
// hand.  Pure logic, apart from the mechanism that reads the bits from the
// PTEs, writes cleared R bits back, and evicts (localset.c): the interface
// a course asks students to implement.  The conventions are the textbook
// ones of tests/refsim (docs/replacement.md), and a host test checks that
// these functions make exactly the faults the simulator makes.
#pragma once
#include "types.h"

// Numbered as kernel/vmctl.h numbers them for user programs.
enum vm_policy {
  POLICY_CLOCK,    // second chance: R set means pass over (clearing R)
  POLICY_ECLOCK,   // enhanced second chance: classes (R,D), lowest first
  POLICY_FIFO,     // the page loaded longest ago, whatever its bits
  NPOLICY
};

struct policy_frame {
  uint8 referenced;   // R: used since the hand last passed (the PTE's A)
  uint8 dirty;        // D: written since loaded (the PTE's D)
};

// All n frames hold a page.  Returns the victim's index, starting the
// search at *hand, and leaves *hand one past it (where the new page goes,
// the search resumes next time).  May clear referenced bits in frames[];
// the caller copies those back to the pages.
int policy_victim(enum vm_policy policy, struct policy_frame *frames, int n, int *hand);

// "clock", "eclock", "fifo"; 0 for anything else.
const char *policy_name(enum vm_policy policy);
// The policy with that name, or -1.
int policy_by_name(const char *name);
