// What vmstat() reports: the frame counters, swap and paging counters, and
// every process's resident and swapped pages.  Shared by the kernel and
// user programs.
#pragma once
#include "types.h"
#include "param.h"

struct vmstat_proc {
  int pid;
  int allocation;          // frames it is held to (local replacement), 0: none
  char name[16];
  uint64 resident;         // pages present in its page table
  uint64 swapped;          // pages of it out on swap
  uint64 faults;           // page faults that brought a page in (since exec)
  uint32 fault_rate;       // pages brought in per second, last second
  uint32 suspended;        // by load control
};

struct vmstat {
  uint64 frames_total;     // frames the allocator manages
  uint64 frames_free;
  uint64 frames_in_use;
  uint64 frames_shared;    // user frames mapped more than once
  uint64 zero_fills;       // frames handed out zeroed, since boot
  uint64 cow_copies;       // pages copied on a copy-on-write fault, since boot
  uint64 file_pages_read;  // pages read from files by page faults, since boot
  uint64 cached_pages;     // file, shared-memory and swap pages in the page cache
  uint64 self_resident;    // the caller's resident pages
  uint64 swap_total;       // swap slots (pages), 0 without swap
  uint64 swap_used;        // slots holding a page
  char swap_device[16];    // the swap partition ("virtio0p2", "mmcblk0p2"), "" if none
  uint64 swap_ins;         // pages read back from swap, since boot
  uint64 swap_outs;        // pages written to swap, since boot
  uint64 major_faults;     // faults that waited for a disk read, since boot
  uint64 minor_faults;     // faults served from memory, since boot
  uint64 pages_scanned;    // frames the replacement clock looked at
  uint64 pages_reclaimed;  // frames it freed
  uint64 pageout_wakeups;  // times the pageout daemon woke to work
  uint64 direct_reclaims;  // faults that had to free frames themselves
  uint64 file_writebacks;  // dirty shared file pages the pager wrote to their files
  uint64 self_swapped;     // the caller's pages out on swap
  uint64 slab_frames;      // frames holding kernel objects (regions, pv entries, ...)
  uint64 suspended;        // processes load control holds suspended now
  uint64 suspensions;      // since boot
  uint64 page_in_rate;     // pages brought in per second, all processes, last second
  uint64 pages_dropped;    // clean pages the pager freed without a write, since boot
  int policy;              // the replacement policy, VMCTL_CLOCK ... (vmctl.h)
  int allocation;          // VMCTL_ALLOC_GLOBAL ... (vmctl.h)
  int load_control;        // 1 if on
  int nprocs;
  struct vmstat_proc procs[NPROC];
};
