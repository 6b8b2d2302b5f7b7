// The first user program.  It opens the console as fds 0, 1 and 2, which
// every later process inherits, then keeps a shell running on it forever.
// Being process 1, it also collects orphaned children as they exit.
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define CONSOLE_MAJOR 1   // the kernel's device number for the console

static char *sh_argv[] = { "sh", 0 };

static void open_console(void)
{
  if (open("console", O_RDWR) < 0) {
    mknod("console", CONSOLE_MAJOR, 0);
    if (open("console", O_RDWR) < 0)
      exit(1);   // nowhere to say anything; the kernel reports init's exit
  }
  dup(0);   // stdout
  dup(0);   // stderr
}

int main(void)
{
  open_console();
  for (;;) {
    printf("init: starting sh\n");
    int pid = fork();
    if (pid < 0) {
      printf("init: fork failed\n");
      sleep(100);
      continue;
    }
    if (pid == 0) {
      exec("sh", sh_argv);
      printf("init: exec sh failed\n");
      exit(1);
    }
    int status = 0;
    int w;
    while ((w = wait(&status)) != pid && w >= 0)
      ;   // an orphan we inherited: nothing more to do for it
    if (status != 0) {
      // Pause before retrying, so a shell that cannot start does not
      // flood the console.
      printf("init: sh exited with status %d\n", status);
      sleep(100);
    }
  }
}
