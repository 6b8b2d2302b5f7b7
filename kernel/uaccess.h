// Safe access to the current process's user memory.  Each checks that the
// range lies below MAXVA, opens user access (sstatus.SUM) only for the copy,
// and turns a fault into a -1 return: a bad pointer never panics the kernel.
#pragma once
#include "types.h"

int copyin(void *dst, uint64 srcva, uint64 len);
int copyout(uint64 dstva, const void *src, uint64 len);
// Copies a NUL-terminated string of at most max bytes (including the NUL).
// Returns 0, or -1 on a fault or when no NUL is found within max.
int copyinstr(char *dst, uint64 srcva, uint64 max);

// A copy made while holding an inode lock fails, rather than wait, when
// its page must first be read from a file: that read needs an inode lock
// too, and two processes doing this crosswise would deadlock.  The
// caller, after dropping its locks, calls copy_fault_retry(): it resolves
// the fault that was put off and returns 1 if the copy should be tried
// again, or 0 if there was none, it cannot be resolved, or the process
// was killed.
int copy_fault_retry(void);
// kernel_trap: the fault at va was put off for copy_fault_retry().
void copy_fault_put_off(uint64 va, int access);
