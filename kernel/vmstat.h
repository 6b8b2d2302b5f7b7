// What vmstat() reports: the frame counters and every process's resident
// pages.  Shared by the kernel and user programs.
#pragma once
#include "types.h"
#include "param.h"

struct vmstat_proc {
  int pid;
  char name[16];
  uint64 resident;         // pages present in its page table
};

struct vmstat {
  uint64 frames_total;     // frames the allocator manages
  uint64 frames_free;
  uint64 frames_in_use;
  uint64 frames_shared;    // user frames mapped more than once
  uint64 zero_fills;       // frames handed out zeroed, since boot
  uint64 cow_copies;       // pages copied on a copy-on-write fault, since boot
  uint64 file_pages_read;  // pages read from files by page faults, since boot
  uint64 cached_pages;     // file and shared-memory pages in the page cache
  uint64 self_resident;    // the caller's resident pages
  int nprocs;
  struct vmstat_proc procs[NPROC];
};
