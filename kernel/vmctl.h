// vmctl() operations, shared by the kernel and user programs.
#pragma once

#define VMCTL_POLICY 1   // vmctl(VMCTL_POLICY, policy or -1, 0): the policy in force
#define VMCTL_LIMIT  2   // vmctl(VMCTL_LIMIT, pid or 0, frames or 0): 0 or -1
#define VMCTL_LOADCTL 4  // vmctl(VMCTL_LOADCTL, 1 on, 0 off, -1 keep, 0): the setting
#define VMCTL_SWAP_BENCH 5 // vmctl(VMCTL_SWAP_BENCH, pages, 0): raw swap writes (benchmarks)
#define VMCTL_SWAP_FAIL 3 // vmctl(VMCTL_SWAP_FAIL, writes, reads): fail the next ones (tests)

// Policies, as in kernel/vm/policy.h.
#define VMCTL_CLOCK  0
#define VMCTL_ECLOCK 1
#define VMCTL_FIFO   2
