// vmstat: shows what the kernel's memory is doing: the frame counters and,
// for every process, how many of its pages are in memory.
#include "kernel/types.h"
#include "kernel/vmstat.h"
#include "user/user.h"

int main(void)
{
  static struct vmstat st;
  if (vmstat(&st) < 0) {
    fprintf(2, "vmstat: the vmstat system call failed\n");
    return 1;
  }
  printf("frames: %lu total, %lu free, %lu in use, %lu shared, %lu in the page cache\n",
         st.frames_total, st.frames_free, st.frames_in_use, st.frames_shared, st.cached_pages);
  printf("since boot: %lu zero fills, %lu COW copies, %lu file pages read\n", st.zero_fills,
         st.cow_copies, st.file_pages_read);
  printf("%5s  %-16s %8s\n", "PID", "NAME", "RESIDENT");
  for (int i = 0; i < st.nprocs; i++)
    printf("%5d  %-16s %8lu\n", st.procs[i].pid, st.procs[i].name, st.procs[i].resident);
  return 0;
}
