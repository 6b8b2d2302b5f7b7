// System call numbers: the one list that the kernel's dispatch table and
// the user-space stubs (user/usys.S, generated from this file) both use.
// 1-21 are xv6's numbers.
#pragma once

#define SYS_fork    1
#define SYS_exit    2
#define SYS_wait    3
#define SYS_pipe    4
#define SYS_read    5
#define SYS_kill    6
#define SYS_exec    7
#define SYS_fstat   8
#define SYS_chdir   9
#define SYS_dup    10
#define SYS_getpid 11
#define SYS_sbrk   12
#define SYS_sleep  13
#define SYS_uptime 14
#define SYS_open   15
#define SYS_write  16
#define SYS_mknod  17
#define SYS_unlink 18
#define SYS_link   19
#define SYS_mkdir  20
#define SYS_close  21
#define SYS_pause     22  // newer xv6 labs' name for sleep
#define SYS_sbrklazy  23  // newer xv6 labs' name for sbrk (ours is always lazy)
#define SYS_poweroff  24  // power the machine off with an exit status
#define SYS_mmap      25
#define SYS_munmap    26
#define SYS_msync     27
#define SYS_vmstat    28  // frame counters and per-process resident pages
#define SYS_cycles    29  // read the cycle counter (benchmarks)
#define SYS_swapon    30  // start paging to a swap partition ("virtio0p2")
#define SYS_swapoff   31  // bring every page back and stop
#define SYS_vmctl     32  // replacement policy, fixed allocations (kernel/vmctl.h)
