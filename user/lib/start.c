// Program entry.  The kernel's exec starts a program here with a0 = argc,
// a1 = argv and sp at the top of the user stack, so a plain C function can
// receive them as arguments.  Returning from main exits with its value.
#include "user/user.h"

int main(int argc, char *argv[]);

void _start(int argc, char *argv[])
{
  exit(main(argc, argv));
}
