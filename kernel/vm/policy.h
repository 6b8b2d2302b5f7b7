// Replacement policies: which page to evict, decided from each frame's
// referenced (R) and dirty (D) bits as a clock hand meets the frames.
// Pure logic, apart from the mechanisms that read the bits, write cleared
// R bits back, and evict: local replacement over a process's own frames
// (localset.c) and the global pager over every frame (pageout.c).  The
// interface a course asks students to implement.  The conventions are the
// textbook ones of tests/refsim (docs/replacement.md), and a host test
// checks that these functions make exactly the faults the simulator makes.
#pragma once
#include "types.h"

// Numbered as kernel/vmctl.h numbers them for user programs.
enum vm_policy {
  POLICY_CLOCK,    // second chance: R set means pass over (clearing R)
  POLICY_ECLOCK,   // enhanced second chance: classes (R,D), lowest first
  POLICY_FIFO,     // the page loaded longest ago, whatever its bits
  NPOLICY
};

// The search for one victim, or several in a row, one frame at a time in
// the order the hand meets them.  Every sweep is one lap of the circle
// from where the search began: CLOCK clears R in its first sweep and finds
// a victim in the second at the latest; ECLOCK seeks (0,0) without
// changing bits, then (0,1) clearing R on the way, then both again; FIFO
// takes the first frame it meets (the caller meets them in load order).
struct policy_scan {
  enum vm_policy policy;
  int sweep;         // laps begun, from 0
  uint64 frames;     // frames in the circle: one lap
  uint64 seen;       // frames met in this lap
};

enum policy_verdict {
  POLICY_PASS,            // leave the frame and its R bit as they are
  POLICY_SECOND_CHANCE,   // clear its R bit and go on
  POLICY_EVICT,           // the victim
};

void policy_scan_start(struct policy_scan *s, enum vm_policy policy, uint64 frames);
// The verdict on the next frame the hand meets.
enum policy_verdict policy_scan_frame(struct policy_scan *s, int referenced, int dirty);
// The hand passes a frame no policy may take (kernel memory, a busy page):
// it counts in the lap all the same.
void policy_scan_skip(struct policy_scan *s);
// Every lap the policy makes is done: over frames whose bits nobody else
// changes, a victim has been found before this.
int policy_scan_done(const struct policy_scan *s);

struct policy_frame {
  uint8 referenced;   // R: used since the hand last passed (the PTE's A)
  uint8 dirty;        // D: written since loaded (the PTE's D)
};

// All n frames hold a page.  Returns the victim's index, starting the
// search at *hand, and leaves *hand one past it (where the new page goes,
// the search resumes next time).  May clear referenced bits in frames[];
// the caller copies those back to the pages.
int policy_victim(enum vm_policy policy, struct policy_frame *frames, int n, int *hand);

// The policy in force, for local sets and the global pager alike (vmctl
// policy, or vm.policy= at boot); clock until set.
enum vm_policy policy_in_force(void);
void policy_set(enum vm_policy policy);

// "clock", "eclock", "fifo"; 0 for anything else.
const char *policy_name(enum vm_policy policy);
// The policy with that name, or -1.
int policy_by_name(const char *name);

#define POLICY_BOOTARG_ABSENT (-1)
#define POLICY_BOOTARG_UNKNOWN (-2)
// The policy a kernel command line (the device tree's /chosen bootargs,
// words separated by spaces) asks for with vm.policy=NAME; the last such
// word counts.  POLICY_BOOTARG_ABSENT or POLICY_BOOTARG_UNKNOWN otherwise.
int policy_from_bootargs(const char *bootargs);
