// Micro-benchmarks, run by `make bench` (tests/bench/run).  Each prints
// "bench NAME: VALUE UNIT (method)" lines that the runner collects.
//   bench syscall   cycles per getpid() (null system call)
//   bench fork MIB  cycles per fork+exit+wait of a process with MIB MiB resident
//   bench faults    cycles per demand-zero fault and per copy-on-write fault
// Cycles come from the cycle CSR read in the kernel (cycles()); under QEMU
// TCG that counter follows the host's time-stamp counter.
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define SYSCALL_ROUNDS 20000
#define FORK_ROUNDS 20
#define FAULT_PAGES 4096   // 16 MiB

static void bench_syscall(void)
{
  uint64 start = cycles();
  for (int i = 0; i < SYSCALL_ROUNDS; i++)
    getpid();
  uint64 total = cycles() - start;
  printf("bench syscall: %ld cycles per getpid (%d calls, cycle CSR before and after)\n",
         (long)(total / SYSCALL_ROUNDS), SYSCALL_ROUNDS);
}

static char *touch_pages(int npages)
{
  char *p = sbrk(npages * PGSIZE);
  if (p == (char *)-1) {
    printf("bench: sbrk failed\n");
    exit(1);
  }
  for (int i = 0; i < npages; i++)
    p[i * PGSIZE] = (char)i;
  return p;
}

static void bench_fork(int mib)
{
  touch_pages(mib * 256);
  uint64 start = cycles();
  for (int i = 0; i < FORK_ROUNDS; i++) {
    int pid = fork();
    if (pid < 0) {
      printf("bench: fork failed\n");
      exit(1);
    }
    if (pid == 0)
      exit(0);
    wait(0);
  }
  uint64 total = cycles() - start;
  printf("bench fork: %ld cycles per fork+exit+wait with %d MiB resident (%d rounds)\n",
         (long)(total / FORK_ROUNDS), mib, FORK_ROUNDS);
}

static void bench_faults(void)
{
  char *p = sbrk(FAULT_PAGES * PGSIZE);
  uint64 start = cycles();
  for (int i = 0; i < FAULT_PAGES; i++)
    p[i * PGSIZE] = 1;
  uint64 zero = cycles() - start;
  printf("bench zero-fault: %ld cycles per demand-zero fault (%d pages, first write to each)\n",
         (long)(zero / FAULT_PAGES), FAULT_PAGES);

  int pid = fork();
  if (pid == 0) {
    // Every page is shared with the parent now: each write copies.
    uint64 t = cycles();
    for (int i = 0; i < FAULT_PAGES; i++)
      p[i * PGSIZE] = 2;
    uint64 cow = cycles() - t;
    printf("bench cow-fault: %ld cycles per copy-on-write fault (%d pages, write after fork)\n",
           (long)(cow / FAULT_PAGES), FAULT_PAGES);
    exit(0);
  }
  wait(0);
}

// Writes kib KiB to a new file in 4 KiB writes, then reads it back: the
// file system's log and the disk driver set the pace.
static void bench_file(int kib)
{
  static char chunk[4096];
  memset(chunk, 'f', sizeof(chunk));
  unlink("bench.tmp");
  int fd = open("bench.tmp", O_CREATE | O_WRONLY);
  uint64 t0 = cycles();
  for (int i = 0; i < kib / 4; i++)
    if (write(fd, chunk, sizeof(chunk)) != sizeof(chunk)) {
      printf("bench: write failed\n");
      exit(1);
    }
  close(fd);
  uint64 t1 = cycles();
  fd = open("bench.tmp", O_RDONLY);
  while (read(fd, chunk, sizeof(chunk)) > 0)
    ;
  close(fd);
  uint64 t2 = cycles();
  unlink("bench.tmp");
  printf("bench file: %ld cycles to write %d KiB, %ld to read it back (4 KiB calls)\n",
         (long)(t1 - t0), kib, (long)(t2 - t1));
}

int main(int argc, char *argv[])
{
  if (argc >= 2 && strcmp(argv[1], "syscall") == 0)
    bench_syscall();
  else if (argc >= 3 && strcmp(argv[1], "fork") == 0)
    bench_fork(atoi(argv[2]));
  else if (argc >= 3 && strcmp(argv[1], "file") == 0)
    bench_file(atoi(argv[2]));
  else if (argc >= 2 && strcmp(argv[1], "faults") == 0)
    bench_faults();
  else {
    fprintf(2, "usage: bench syscall | bench fork MIB | bench faults | bench file KIB\n");
    exit(1);
  }
  exit(0);
}
