// The virtual address layout (Sv39).
//
//   0                 .. MAXVA              user half: belongs to the process
//   DIRECT_MAP_BASE   .. + 128 GiB          every page of RAM and every device
//                                           register, at DIRECT_MAP_BASE + pa
//   KERNEL_VBASE      .. + image size       the kernel image, wherever the
//                                           firmware loaded it
//
// The upper half is identical in every page table, global, and never
// user-accessible, so a trap or a system call needs no page-table switch.
// The hardware (RAM size, device addresses) comes from the device tree,
// never from constants here.
#pragma once
#include "riscv.h"

#define DIRECT_MAP_BASE _L(0xffffffc000000000)
#define DIRECT_MAP_SIZE (_L(128) << 30)
#define KERNEL_VBASE    _L(0xffffffff80000000)
// The image starts this far into its 1 GiB-aligned region (Linux Image
// text_offset): 0x80200000 on QEMU virt, 0x40200000 on the VisionFive 2.
#define KERNEL_TEXT_OFFSET _L(0x200000)

#define P2V(pa) ((void *)((uint64)(pa) + DIRECT_MAP_BASE))
#define V2P(va) ((uint64)(va) - DIRECT_MAP_BASE)

// The top two pages of the user half are never mapped.  xv6 keeps its
// trampoline and trap frame there, out of the user's reach, and its tests
// check that user accesses and system calls at those addresses fail; the
// names are here for them.
#define TRAMPOLINE (MAXVA - PGSIZE)
#define TRAPFRAME  (TRAMPOLINE - PGSIZE)

// Where a new program's stack starts (it grows down from here) and how far
// it may grow.  The gap below the stack limit stays unmapped as a guard.
#define USER_STACK_TOP   TRAPFRAME
#define USER_STACK_LIMIT (_L(8) << 20)

// For xv6 programs only: xv6's lab tests size their allocations from
// PHYSTOP - KERNBASE, the RAM of the default `make qemu` machine (128 MiB).
// The kernel itself never uses these.
#define KERNBASE 0x80000000L
#define PHYSTOP  (KERNBASE + 128*1024*1024)
