// Micro-benchmarks, run by `make bench` (tests/bench/run).  Each prints
// "bench NAME: VALUE UNIT (method)" lines that the runner collects.
//   bench syscall   cycles per getpid() (null system call)
//   bench fork MIB  cycles per fork+exit+wait of a process with MIB MiB resident
//   bench faults    cycles per demand-zero fault and per copy-on-write fault
//   bench swap      swap-out throughput under memory pressure against the
//                   raw write speed of the swap partition; sequential
//                   page-in throughput; random 4 KiB page-in latency
// Cycles come from the cycle CSR read in the kernel (cycles()); under QEMU
// TCG that counter follows the host's time-stamp counter.
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "kernel/fcntl.h"
#include "kernel/vmctl.h"
#include "kernel/vmstat.h"
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
  int tick0 = uptime();
  uint64 t0 = cycles();
  for (int i = 0; i < kib / 4; i++)
    if (write(fd, chunk, sizeof(chunk)) != sizeof(chunk)) {
      printf("bench: write failed\n");
      exit(1);
    }
  close(fd);
  uint64 t1 = cycles();
  int tick1 = uptime();
  fd = open("bench.tmp", O_RDONLY);
  while (read(fd, chunk, sizeof(chunk)) > 0)
    ;
  close(fd);
  uint64 t2 = cycles();
  int tick2 = uptime();
  unlink("bench.tmp");
  printf("bench file: %ld cycles to write %d KiB, %ld to read it back (4 KiB calls)\n",
         (long)(t1 - t0), kib, (long)(t2 - t1));
  // Timer ticks are 10 ms of wall-clock time, also under QEMU (the cycle
  // counter is not): throughput a user can compare across boards.
  printf("bench file time: %d ms to write, %d ms to read back\n", (tick1 - tick0) * 10,
         (tick2 - tick1) * 10);
}

static struct vmstat vs;

static struct vmstat *stat_now(void)
{
  if (vmstat(&vs) < 0) {
    printf("bench: vmstat failed\n");
    exit(1);
  }
  return &vs;
}

// Run with little RAM (make bench: 64 MiB).  The raw speed first, then a
// process that fills RAM once (so that memory is full) and writes as much
// again: the pages the pager writes out meanwhile, per cycle, against the
// raw pages per cycle.  Then it reads its first pages back in order (they
// are on swap), and then random ones, one fault each.
static void bench_swap(void)
{
  uint64 ram = stat_now()->frames_total;
  uint64 raw_pages = ram;
  uint64 t0 = cycles();
  if (vmctl(VMCTL_SWAP_BENCH, (int)raw_pages, 0) < 0) {
    printf("bench: raw swap writes failed (no swap?)\n");
    exit(1);
  }
  uint64 raw = cycles() - t0;

  char *p = touch_pages((int)ram);           // memory is full after this
  uint64 outs0 = stat_now()->swap_outs;
  t0 = cycles();
  char *q = touch_pages((int)ram);
  uint64 under = cycles() - t0;
  uint64 outs = stat_now()->swap_outs - outs0;
  printf("bench swap raw: %ld cycles per page written (%ld pages, 32-page requests)\n",
         (long)(raw / raw_pages), (long)raw_pages);
  printf("bench swap out: %ld cycles per page swapped out while writing %ld new pages "
         "(%ld swapped out)\n", (long)(outs ? under / outs : 0), (long)ram, (long)outs);
  if (outs)
    printf("bench swap out/raw: %ld%% of the raw write throughput\n",
           (long)(100 * (raw / raw_pages) / (under / outs)));

  uint64 ins0 = stat_now()->swap_ins;
  int seq = (int)(ram / 4);
  t0 = cycles();
  for (int i = 0; i < seq; i++)
    (void)*(volatile char *)(p + (uint64)i * PGSIZE);
  uint64 seq_cycles = cycles() - t0;
  uint64 ins = stat_now()->swap_ins - ins0;
  printf("bench swap in sequential: %ld cycles per page touched (%d touched, %ld pages read "
         "with read-ahead)\n", (long)(seq_cycles / seq), seq, (long)ins);

  ins0 = stat_now()->swap_ins;
  uint64 major0 = vs.major_faults;
  uint64 rng = 88172645463325252UL, random_cycles = 0;
  int tries = 2000;
  for (int i = 0; i < tries; i++) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    char *page = q + (rng % (ram / 2)) * PGSIZE;   // the older half: mostly on swap
    t0 = cycles();
    (void)*(volatile char *)page;
    random_cycles += cycles() - t0;
  }
  ins = stat_now()->swap_ins - ins0;
  uint64 majors = vs.major_faults - major0;
  printf("bench swap in random: %ld cycles per fault that read swap (%d touches, %ld such "
         "faults, %ld pages read with read-ahead)\n",
         (long)(majors ? random_cycles / majors : 0), tries, (long)majors, (long)ins);
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
  else if (argc >= 2 && strcmp(argv[1], "swap") == 0)
    bench_swap();
  else {
    fprintf(2, "usage: bench syscall | bench fork MIB | bench faults | bench file KIB | "
               "bench swap\n");
    exit(1);
  }
  exit(0);
}
