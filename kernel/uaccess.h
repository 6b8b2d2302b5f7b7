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
