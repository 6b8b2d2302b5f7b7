// vmstat: shows what the kernel's memory is doing: frames, swap, paging
// counters and, for every process, its pages in memory and on swap.
//   vmstat      one report
//   vmstat N    one line every N seconds, like Linux's vmstat N, until killed
#include "kernel/types.h"
#include "kernel/vmstat.h"
#include "kernel/vmctl.h"
#include "user/user.h"

#define TICKS_PER_SECOND 100

static struct vmstat st, last;
static const char *const policy_names[] = { [VMCTL_CLOCK] = "clock", [VMCTL_ECLOCK] = "eclock",
                                            [VMCTL_FIFO] = "fifo" };
static const char *const allocation_names[] = { [VMCTL_ALLOC_GLOBAL] = "global",
                                                [VMCTL_ALLOC_EQUAL] = "equal",
                                                [VMCTL_ALLOC_PROPORTIONAL] = "proportional" };

static void get(struct vmstat *s)
{
  if (vmstat(s) < 0) {
    fprintf(2, "vmstat: the vmstat system call failed\n");
    exit(1);
  }
}

static void report(void)
{
  printf("frames: %lu total, %lu free, %lu in use, %lu shared, %lu in the page cache\n",
         st.frames_total, st.frames_free, st.frames_in_use, st.frames_shared, st.cached_pages);
  printf("swap: %lu pages total, %lu used; %lu pages in, %lu out since boot\n", st.swap_total,
         st.swap_used, st.swap_ins, st.swap_outs);
  printf("since boot: %lu zero fills, %lu COW copies, %lu file pages read, "
         "%lu shared file pages written back\n",
         st.zero_fills, st.cow_copies, st.file_pages_read, st.file_writebacks);
  printf("policy %s, allocation %s; %lu clean pages dropped since boot\n",
         policy_names[st.policy], allocation_names[st.allocation], st.pages_dropped);
  printf("faults: %lu major, %lu minor; clock: %lu scanned, %lu reclaimed; "
         "daemon woke %lu times; %lu direct reclaims\n",
         st.major_faults, st.minor_faults, st.pages_scanned, st.pages_reclaimed,
         st.pageout_wakeups, st.direct_reclaims);
  printf("load control %s: %lu suspended now, %lu suspensions; %lu pages in/s\n",
         st.load_control ? "on" : "off", st.suspended, st.suspensions, st.page_in_rate);
  printf("%5s  %-16s %8s %8s %8s %8s %8s\n", "PID", "NAME", "RESIDENT", "SWAPPED", "ALLOC",
         "FAULTS", "FAULTS/S");
  for (int i = 0; i < st.nprocs; i++)
    printf("%5d  %-16s %8lu %8lu %8d %8lu %8u%s\n", st.procs[i].pid, st.procs[i].name,
           st.procs[i].resident, st.procs[i].swapped, st.procs[i].allocation,
           st.procs[i].faults, st.procs[i].fault_rate,
           st.procs[i].suspended ? "  suspended" : "");
}

// One line of rates over the last interval, in pages per second.
static void line(int seconds)
{
  printf("%8lu %8lu %6lu %6lu %7lu %7lu %7lu %4lu\n", st.frames_free, st.swap_used,
         (st.swap_ins - last.swap_ins) / seconds, (st.swap_outs - last.swap_outs) / seconds,
         (st.major_faults - last.major_faults) / seconds,
         (st.minor_faults - last.minor_faults) / seconds,
         (st.pages_scanned - last.pages_scanned) / seconds, st.suspended);
}

int main(int argc, char *argv[])
{
  if (argc == 1) {
    get(&st);
    report();
    return 0;
  }
  int seconds = atoi(argv[1]);
  if (argc != 2 || seconds <= 0) {
    fprintf(2, "usage: vmstat [SECONDS]\n");
    return 1;
  }
  printf("%8s %8s %6s %6s %7s %7s %7s %4s\n", "free", "swpd", "si", "so", "major", "minor",
         "scan", "susp");
  get(&last);
  for (;;) {
    sleep(seconds * TICKS_PER_SECOND);
    get(&st);
    line(seconds);
    last = st;
  }
}
