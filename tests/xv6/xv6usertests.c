// Written in the style of xv6-riscv's user/usertests.c (not a copy): the
// same headers, a table of tests each run in a child by run(), "test NAME:
// OK" or "test NAME: FAILED", countfree() before and after, and xv6's
// habits: %d for pointers and uint64, a %s without its argument.
#include "kernel/param.h"
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"
#include "kernel/fs.h"
#include "kernel/fcntl.h"
#include "kernel/syscall.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"

#define BUFSZ  ((MAXOPBLOCKS+2)*BSIZE)

char buf[BUFSZ];

// read README, the file xv6 programs expect in /.
void
readme(char *s)
{
  int fd = open("README", O_RDONLY);
  if(fd < 0){
    printf("%s: open README failed\n", s);
    exit(1);
  }
  int n = read(fd, buf, sizeof(buf));
  if(n <= 0){
    printf("%s: read README returned %d\n", s, n);
    exit(1);
  }
  printf("%s: README at %d\n", s, buf);   // sloppy: a pointer through %d
  close(fd);
}

// write a file, read it back.
void
writetest(char *s)
{
  int fd, i;
  enum { N=100, SZ=10 };

  fd = open("small", O_CREATE|O_RDWR);
  if(fd < 0){
    printf("%s: error: creat small failed!\n", s);
    exit(1);
  }
  for(i = 0; i < N; i++){
    if(write(fd, "aaaaaaaaaa", SZ) != SZ){
      printf("%s: error: write aa %d new file failed\n", s, i);
      exit(1);
    }
  }
  close(fd);
  fd = open("small", O_RDONLY);
  i = read(fd, buf, N*SZ);
  if(i != N*SZ){
    printf("%s: read failed\n", s);
    exit(1);
  }
  close(fd);
  if(unlink("small") < 0){
    printf("%s: unlink small failed\n", s);
    exit(1);
  }
}

// exit status reaches wait.
void
exitwait(char *s)
{
  int i, pid;

  for(i = 0; i < 50; i++){
    pid = fork();
    if(pid < 0){
      printf("%s: fork failed\n", s);
      exit(1);
    }
    if(pid){
      int xstate;
      if(wait(&xstate) != pid){
        printf("%s: wait wrong pid\n", s);
        exit(1);
      }
      if(i != xstate) {
        printf("%s: wait wrong exit status\n", s);
        exit(1);
      }
    } else {
      exit(i);
    }
  }
}

// a pipe between parent and child.
void
pipe1(char *s)
{
  int fds[2], pid, xstatus;
  int seq, i, n, cc, total;
  enum { N=5, SZ=1033 };

  if(pipe(fds) != 0){
    printf("%s: pipe() failed\n", s);
    exit(1);
  }
  pid = fork();
  seq = 0;
  if(pid == 0){
    close(fds[0]);
    for(n = 0; n < N; n++){
      for(i = 0; i < SZ; i++)
        buf[i] = seq++;
      if(write(fds[1], buf, SZ) != SZ){
        printf("%s: pipe1 oops 1\n", s);
        exit(1);
      }
    }
    exit(0);
  } else if(pid > 0){
    close(fds[1]);
    total = 0;
    cc = 1;
    while((n = read(fds[0], buf, cc)) > 0){
      for(i = 0; i < n; i++){
        if((buf[i] & 0xff) != (seq++ & 0xff)){
          printf("%s: pipe1 oops 2\n", s);
          return;
        }
      }
      total += n;
      cc = cc * 2;
      if(cc > sizeof(buf))
        cc = sizeof(buf);
    }
    if(total != N * SZ){
      printf("%s: pipe1 oops 3 total %d\n", s, total);
      exit(1);
    }
    close(fds[0]);
    wait(&xstatus);
    exit(xstatus);
  } else {
    printf("%s: fork() failed\n", s);
    exit(1);
  }
}

// grow and shrink the heap; a child writes its own copy.
void
sbrkbasic(char *s)
{
  char *a, *b;
  uint64 amt = 1024*PGSIZE;

  a = sbrk(amt);
  if(a == SBRK_ERROR){
    printf("%s: sbrk(%d) failed\n", s, amt);   // sloppy: uint64 through %d
    exit(1);
  }
  for(b = a; b < a + amt; b += PGSIZE)
    *b = 1;
  int pid = fork();
  if(pid == 0){
    a[0] = 2;
    exit(a[0] == 2 ? 0 : 1);
  }
  int xstatus;
  wait(&xstatus);
  if(xstatus != 0 || a[0] != 1){
    printf("%s: fork copy of the heap broken\n", s);
    exit(1);
  }
  if(sbrk(-amt) != a + amt){
    printf("%s: sbrk could not deallocate\n");   // sloppy: %s without its argument
    exit(1);
  }
}

// exec echo by its bare name, as xv6's shell does.
void
exectest(char *s)
{
  char *echoargv[] = { "echo", "OK", 0 };
  int pid = fork();
  if(pid == 0){
    exec("echo", echoargv);
    printf("%s: exec echo failed\n", s);
    exit(1);
  }
  int xstatus;
  wait(&xstatus);
  if(xstatus != 0)
    exit(xstatus);
}

// the kernel's memory is not readable from user space.
void
kernmem(char *s)
{
  char *a;
  int pid;

  for(a = (char*)(KERNBASE); a < (char*) (KERNBASE+2000000); a += 50000){
    pid = fork();
    if(pid < 0){
      printf("%s: fork failed\n", s);
      exit(1);
    }
    if(pid == 0){
      printf("%s: oops could read %x = %x\n", s, a, *a);
      exit(1);
    }
    int xstatus;
    wait(&xstatus);
    if(xstatus != -1)  // did kernel kill child?
      exit(1);
  }
}

struct test {
  void (*f)(char *);
  char *s;
} tests[] = {
  {readme, "readme"},
  {writetest, "writetest"},
  {exitwait, "exitwait"},
  {pipe1, "pipe1"},
  {sbrkbasic, "sbrkbasic"},
  {exectest, "exectest"},
  {kernmem, "kernmem"},
  { 0, 0},
};

int
run(void f(char *), char *s) {
  int pid;
  int xstatus;

  printf("test %s: ", s);
  if((pid = fork()) < 0) {
    printf("runtest: fork error\n");
    exit(1);
  }
  if(pid == 0) {
    f(s);
    exit(0);
  } else {
    wait(&xstatus);
    if(xstatus != 0)
      printf("FAILED\n");
    else
      printf("OK\n");
    return xstatus == 0;
  }
}

// count free pages: a child sbrk()s and touches page after page until it
// fails or the kernel kills it, and reports each page through a pipe.
int
countfree()
{
  int fds[2];

  if(pipe(fds) < 0){
    printf("pipe() failed in countfree()\n");
    exit(1);
  }
  int pid = fork();
  if(pid < 0){
    printf("fork failed in countfree()\n");
    exit(1);
  }
  if(pid == 0){
    close(fds[0]);
    while(1){
      uint64 a = (uint64) sbrk(PGSIZE);
      if(a == 0xffffffffffffffff)
        break;
      *(char *)(a + PGSIZE - 1) = 1;
      if(write(fds[1], "x", 1) != 1){
        printf("write() failed in countfree()\n");
        exit(1);
      }
    }
    exit(0);
  }
  close(fds[1]);
  int n = 0;
  while(1){
    char c;
    int cc = read(fds[0], &c, 1);
    if(cc < 0){
      printf("read() failed in countfree()\n");
      exit(1);
    }
    if(cc == 0)
      break;
    n += 1;
  }
  close(fds[0]);
  wait((int*)0);
  return n;
}

int
main(int argc, char *argv[])
{
  char *justone = 0;
  if(argc == 2)
    justone = argv[1];

  printf("usertests starting\n");
  int free0 = countfree();
  int fail = 0;
  for (struct test *t = tests; t->s != 0; t++) {
    if((justone == 0) || strcmp(t->s, justone) == 0) {
      if(!run(t->f, t->s))
        fail = 1;
    }
  }
  int free1 = countfree();
  printf("free pages: %d before, %d after\n", free0, free1);
  if(free1 < free0){
    printf("FAILED -- lost some free pages %d (out of %d)\n", free1, free0);
    fail = 1;
  }
  if(fail){
    printf("SOME TESTS FAILED\n");
    exit(1);
  }
  printf("ALL TESTS PASSED\n");
  exit(0);
}
