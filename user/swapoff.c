// swapoff DEVICE: brings every page out on DEVICE back into memory and
// stops paging to it.  Fails, leaving swap on and every page safe, if
// memory cannot hold them all.
#include "kernel/types.h"
#include "user/user.h"

int main(int argc, char *argv[])
{
  if (argc != 2) {
    fprintf(2, "usage: swapoff DEVICE\n");
    return 1;
  }
  if (swapoff(argv[1]) < 0) {
    fprintf(2, "swapoff: %s: cannot turn swap off (not on, or not enough memory)\n", argv[1]);
    return 1;
  }
  return 0;
}
