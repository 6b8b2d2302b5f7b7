// poweroff: turns the machine off; the optional argument is the exit
// status QEMU reports (tests use it to signal failure).
#include "user/user.h"

int main(int argc, char *argv[])
{
  poweroff(argc > 1 ? atoi(argv[1]) : 0);
  fprintf(2, "poweroff: failed\n");
  return 1;
}
