// forktest: fills the process table with children and checks that fork
// then fails cleanly, that every child can be waited for, and that the
// slots are usable again afterwards.
#include "kernel/types.h"
#include "kernel/param.h"
#include "user/user.h"

static void fail(const char *what, int value)
{
  printf("forktest: FAIL %s (%d)\n", what, value);
  exit(1);
}

int main(void)
{
  int n;

  // Children exit at once; as zombies they keep their slots until waited
  // for, so the table still fills up.  init, sh and this process hold
  // slots too, so fork must fail before NPROC successes.
  for (n = 0; n < NPROC; n++) {
    int pid = fork();
    if (pid < 0)
      break;
    if (pid == 0)
      exit(0);
  }
  if (n == NPROC)
    fail("fork never failed; successful forks", n);
  if (n == 0)
    fail("no fork succeeded; successful forks", n);

  for (int i = 0; i < n; i++) {
    int status = -1;
    int pid = wait(&status);
    if (pid < 0)
      fail("wait failed with children left; children waited for", i);
    if (status != 0)
      fail("a child's exit status was not 0; status", status);
  }
  if (wait(0) != -1)
    fail("wait found more children than were forked", n);

  int pid = fork();
  if (pid < 0)
    fail("fork fails after all children were waited for", pid);
  if (pid == 0)
    exit(0);
  if (wait(0) != pid)
    fail("the last child was not waited for", pid);

  printf("forktest: OK\n");
  return 0;
}
