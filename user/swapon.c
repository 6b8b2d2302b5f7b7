// swapon: turns swap on, or lists it.
//   swapon DEVICE     start paging to DEVICE (the swap partition: virtio0p2,
//                     or mmcblk0p2 on an SD card)
//   swapon -s         list the swap device with its size and use, as Linux's
//                     swapon -s does (sizes in KiB)
#include "kernel/types.h"
#include "kernel/vmstat.h"
#include "user/user.h"

int main(int argc, char *argv[])
{
  if (argc == 2 && strcmp(argv[1], "-s") == 0) {
    static struct vmstat st;
    if (vmstat(&st) < 0) {
      fprintf(2, "swapon: vmstat failed\n");
      return 1;
    }
    printf("Filename\tType\t\tSize\tUsed\tPriority\n");
    if (st.swap_total > 0)
      printf("%s\tpartition\t%lu\t%lu\t-2\n", st.swap_device, st.swap_total * 4,
             st.swap_used * 4);
    return 0;
  }
  if (argc != 2) {
    fprintf(2, "usage: swapon DEVICE | swapon -s\n");
    return 1;
  }
  if (swapon(argv[1]) < 0) {
    fprintf(2, "swapon: %s: cannot turn swap on (not the swap partition, or already on)\n",
            argv[1]);
    return 1;
  }
  return 0;
}
