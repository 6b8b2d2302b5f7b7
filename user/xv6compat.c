// Written the way xv6-riscv's user programs are written, against the
// same headers and names, to show they compile and behave here unchanged:
// uint/uint64, struct stat, O_ and T_ constants, KERNBASE/PHYSTOP/MAXVA/
// PGSIZE, fs.h's DIRSIZ, and exec of a program by its bare name from /.
#include "kernel/param.h"
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/fs.h"
#include "kernel/syscall.h"
#include "user/user.h"

static int failures;

static void check(int ok, char *what)
{
  printf("%s xv6compat: %s\n", ok ? "PASS" : "FAIL", what);
  if (!ok)
    failures++;
}

int
main(int argc, char *argv[])
{
  uint64 ram = PHYSTOP - KERNBASE;
  check(ram == 128*1024*1024, "PHYSTOP - KERNBASE is the default machine's 128 MiB");
  check(MAXVA == (1L << 38) && PGSIZE == 4096, "MAXVA and PGSIZE have xv6's values");
  check(DIRSIZ == 14 && SYS_fork == 1 && SYS_close == 21, "fs.h and syscall.h names");

  struct stat st;
  check(stat(".", &st) == 0 && st.type == T_DIR, "stat(\".\") is a T_DIR");
  int fd = open("xv6compat.tmp", O_CREATE|O_RDWR);
  check(fd >= 0 && write(fd, "abc", 3) == 3, "open(O_CREATE|O_RDWR) and write");
  check(fstat(fd, &st) == 0 && st.type == T_FILE && st.size == 3, "fstat gives T_FILE and size");
  close(fd);
  check(unlink("xv6compat.tmp") == 0, "unlink");

  char *p = sbrk(PGSIZE);
  p[0] = 1;
  check(p != (char*)-1 && sbrk(-PGSIZE) == p + PGSIZE, "sbrk grows and shrinks");

  int pid = fork();
  if(pid == 0){
    char *args[] = { "echo", "echo-by-bare-name", 0 };
    exec("echo", args);
    exit(1);
  }
  int status = -1;
  check(wait(&status) == pid && status == 0, "exec(\"echo\") from / runs /echo");
  exit(failures ? 1 : 0);
}
