// Local replacement with a fixed allocation: a process held to a number of
// frames for its private anonymous memory (heap, anonymous mmaps).  When
// it faults with all of them in use, one of its own pages goes, chosen by
// the replacement policy (policy.h) from the PTEs' accessed and dirty
// bits: the textbook's model, so that fault counts on a reference string
// equal tests/refsim's.  Its text, data, stack and file mappings are not in
// the allocation (they stay under the global pager, pageout.c).
#pragma once
#include "types.h"
#include "vm/policy.h"

// The smallest allocation: one RISC-V instruction's data access may
// straddle two pages (a misaligned load or store across a page boundary);
// the instruction fetch and the page tables are outside the allocation.
// With fewer, such an instruction could never complete.
#define LOCAL_MIN_FRAMES 2
// The largest: the frame list's pages are listed in one page (512 MiB of
// RAM, more than any allocation computed on the machines we run on).
#define LOCAL_MAX_FRAMES (256 * 512)

struct vmspace;
struct region;

// Asks for vm to be held to frames frames by hand (vmctl limit; 0: no
// limit, back to global replacement or a computed allocation).  Applied
// by its own process at its next fault; pages already resident stay
// outside the count; a smaller limit evicts the pages past it.  -1 if
// frames is out of range.
int local_request(struct vmspace *vm, int frames);
// The same for an allocation computed by allocation.c (0: none), which a
// limit set by hand overrides; capped at LOCAL_MAX_FRAMES.
void local_assign(struct vmspace *vm, int frames);
// The allocation asked for last (0: none).
int local_allocation(struct vmspace *vm);
// For vm_fault, in the faulting process, before it loads a page of r:
// makes room (evicting one of the process's pages if its frames are all in
// use) and returns the frame va goes to, or -1 if va is not under a limit
// or no room could be made (swap full or off: the limit is then exceeded).
// The page is then either loaded (local_loaded) or not; a frame left
// without a page is taken again next time.
int local_make_room(struct vmspace *vm, struct region *r);
// After the load: frame holds va.
void local_loaded(struct vmspace *vm, int frame, uint64 va);
// The allocation itself, freed with vm.
void local_free(struct vmspace *vm);
