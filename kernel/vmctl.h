// vmctl() operations, shared by the kernel and user programs.
#pragma once

#define VMCTL_POLICY 1   // vmctl(VMCTL_POLICY, policy or -1, 0): the policy in force
#define VMCTL_LIMIT  2   // vmctl(VMCTL_LIMIT, pid or 0, frames or 0): 0 or -1
#define VMCTL_LOADCTL 4  // vmctl(VMCTL_LOADCTL, 1 on, 0 off, -1 keep, 0): the setting
#define VMCTL_SWAP_BENCH 5 // vmctl(VMCTL_SWAP_BENCH, pages, 0): raw swap writes (benchmarks)
#define VMCTL_SWAP_FAIL 3 // vmctl(VMCTL_SWAP_FAIL, writes, reads): fail the next ones (tests)
#define VMCTL_ALLOC 6    // vmctl(VMCTL_ALLOC, mode or -1, 0): the frame allocation in force

// Policies, as in kernel/vm/policy.h.
#define VMCTL_CLOCK  0
#define VMCTL_ECLOCK 1
#define VMCTL_FIFO   2

// Frame allocations, as in kernel/vm/allocation.h.
#define VMCTL_ALLOC_GLOBAL       0   // global replacement
#define VMCTL_ALLOC_EQUAL        1   // local, every process the same share
#define VMCTL_ALLOC_PROPORTIONAL 2   // local, shares in proportion to footprints
