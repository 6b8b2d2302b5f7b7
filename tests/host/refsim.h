// refsim: the textbook page-replacement algorithms, simulated on a reference
// string, as an oracle for the kernel's pager and for teaching.
//
// It shares no code with the kernel on purpose: the kernel's fault counts
// are checked against it, so it must be right on its own. Every convention
// (where a page goes, when bits are set and cleared, how the clock hand
// moves) is stated in refsim.c and docs/replacement.md; the kernel's
// policies follow the same ones, so that counts can be compared exactly.
#ifndef REFSIM_H
#define REFSIM_H

enum refsim_policy {
  REFSIM_FIFO,    // evict the page loaded longest ago
  REFSIM_LRU,     // evict the page used longest ago
  REFSIM_OPT,     // Belady's MIN: evict the page whose next use is farthest
  REFSIM_CLOCK,   // second chance: a hand sweeps the frames, clearing R bits
  REFSIM_ECLOCK,  // enhanced second chance: classes (R,D), lowest first
  REFSIM_NPOLICY
};

// An empty frame, or "no page" (page numbers are >= 0).
#define REFSIM_NONE (-1L)

// refsim_run records frame contents for at most this many frames.
#define REFSIM_TRACE_FRAMES 32

// What one reference did, and the frames just after it. Only the first
// `frames` entries of the arrays are filled.
struct refsim_step {
  long page;        // the page referenced
  int write;        // 1 if it was a write
  int fault;        // 1 if the page was not resident
  int frame;        // the frame holding the page after the reference
  long victim;      // the page evicted to make room, or REFSIM_NONE
  int hand;         // CLOCK and ECLOCK: the hand afterwards; others: -1
  long resident[REFSIM_TRACE_FRAMES];         // page in each frame, or REFSIM_NONE
  unsigned char ref[REFSIM_TRACE_FRAMES];     // R (referenced) bit of each frame
  unsigned char dirty[REFSIM_TRACE_FRAMES];   // D (dirty) bit of each frame
};

// Page faults of `policy` with `frames` frames on the reference string
// pages[0..n-1]; writes[i] != 0 makes reference i a write (writes may be
// NULL: all reads; only ECLOCK looks at writes). Returns -1 on bad input:
// frames < 1, n < 0, a negative page, an unknown policy.
long refsim_faults(enum refsim_policy policy, int frames, const long *pages,
                   const int *writes, int n);

// The same, and when trace is not NULL it also fills trace[0..n-1], one
// step per reference (then frames must be <= REFSIM_TRACE_FRAMES).
long refsim_run(enum refsim_policy policy, int frames, const long *pages,
                const int *writes, int n, struct refsim_step *trace);

// "FIFO", "LRU", "OPT", "CLOCK", "ECLOCK"; "?" for anything else.
const char *refsim_name(enum refsim_policy policy);

#endif
