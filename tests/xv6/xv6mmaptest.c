// Written in the style of the xv6 mmap lab's mmaptest.c (not a copy): it
// defines MAP_FAILED itself after including kernel/fcntl.h, maps a file
// private and shared, and checks what it reads and what reaches the file.
#include "kernel/param.h"
#include "kernel/fcntl.h"
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/riscv.h"
#include "kernel/fs.h"
#include "user/user.h"

#define MAP_FAILED ((char *) -1)

char buf[BSIZE];
char *testname = "???";

void
err(char *why)
{
  printf("mmaptest: %s failed: %s, pid=%d\n", testname, why, getpid());
  exit(1);
}

// a file of 1.5 pages of 'A', then zeros.
void
makefile(const char *f)
{
  int i;
  int n = PGSIZE/BSIZE;

  unlink(f);
  int fd = open(f, O_WRONLY | O_CREATE);
  if (fd == -1)
    err("open");
  memset(buf, 'A', BSIZE);
  for (i = 0; i < n + n/2; i++) {
    if (write(fd, buf, BSIZE) != BSIZE)
      err("write 0 makefile");
  }
  if (close(fd) == -1)
    err("close");
}

void
_v1(char *p)
{
  int i;
  for (i = 0; i < PGSIZE*2; i++) {
    if (i < PGSIZE + (PGSIZE/2)) {
      if (p[i] != 'A') {
        printf("mismatch at %d, wanted 'A', got 0x%x\n", i, p[i]);
        err("v1 mismatch (1)");
      }
    } else {
      if (p[i] != 0) {
        printf("mismatch at %d, wanted zero, got 0x%x\n", i, p[i]);
        err("v1 mismatch (2)");
      }
    }
  }
}

// map len bytes of fd writable, close fd, check the contents, write 'Z'
// over the first two pages, unmap.
void
map_and_scribble(int fd, int flags, int len)
{
  char *p = mmap(0, len, PROT_READ | PROT_WRITE, flags, fd, 0);
  if (p == MAP_FAILED)
    err("mmap");
  if (close(fd) == -1)
    err("close");
  _v1(p);
  for (int i = 0; i < PGSIZE*2; i++)
    p[i] = 'Z';
  if (munmap(p, len) == -1)
    err("munmap");
}

void
mmap_test(void)
{
  int fd;
  const char * const f = "mmap.dur";

  printf("mmap_test starting\n");
  testname = "mmap f";
  makefile(f);
  if ((fd = open(f, O_RDONLY)) == -1)
    err("open");
  char *p = mmap(0, PGSIZE*2, PROT_READ, MAP_PRIVATE, fd, 0);
  if (p == MAP_FAILED)
    err("mmap (1)");
  _v1(p);
  if (munmap(p, PGSIZE*2) == -1)
    err("munmap (1)");
  printf("test mmap f: OK\n");

  testname = "mmap private";
  map_and_scribble(fd, MAP_PRIVATE, PGSIZE*2);
  printf("test mmap private: OK\n");

  testname = "mmap read-only";
  if ((fd = open(f, O_RDONLY)) == -1)
    err("open");
  p = mmap(0, PGSIZE*3, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0);
  if (p != MAP_FAILED)
    err("mmap call should have failed");
  if (close(fd) == -1)
    err("close");
  printf("test mmap read-only: OK\n");

  testname = "mmap read/write";
  if ((fd = open(f, O_RDWR)) == -1)
    err("open");
  map_and_scribble(fd, MAP_SHARED, PGSIZE*3);
  printf("test mmap read/write: OK\n");

  testname = "mmap dirty";
  if ((fd = open(f, O_RDWR)) == -1)
    err("open");
  for (int i = 0; i < PGSIZE + (PGSIZE/2); i++){
    char b;
    if (read(fd, &b, 1) != 1)
      err("read (1)");
    if (b != 'Z')
      err("file does not contain modifications");
  }
  if (close(fd) == -1)
    err("close");
  printf("test mmap dirty: OK\n");

  if (unlink(f) == -1)
    err("unlink");
  printf("mmap_test: ALL OK\n");
}

int
main(int argc, char *argv[])
{
  mmap_test();
  printf("mmaptest: all tests succeeded\n");
  exit(0);
}
