// thrash: N processes, each with the same working set, touching random
// pages of it: the workload of the thrashing curve and of load control's
// test.
//   thrash on|off N PAGES SECONDS   measure: once every worker has written
//                                   its PAGES pages, all start together and
//                                   count their touches for SECONDS; print
//                                   the total per second
//   thrash -f on|off N PAGES PASSES finish: each worker makes PASSES
//                                   passes of PAGES random touches and
//                                   exits; print when each finished
// on|off sets load control (vmctl) first.  Every touch checks the page's
// stamp (its number and the worker's pid), so paging must lose nothing.
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "kernel/vmctl.h"
#include "kernel/vmstat.h"
#include "user/user.h"

#define TICKS_PER_SECOND 100

static struct vmstat st;

static uint64 suspensions(void)
{
  if (vmstat(&st) < 0)
    return 0;
  return st.suspensions;
}

static uint64 xorshift(uint64 *s)
{
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

static uint64 stamp(uint64 page, int pid)
{
  return (page << 20) ^ (uint64)pid ^ 0x5a5a000000000000UL;
}

// Touches one random page: checks its stamp, writes it back.  Exits with
// a FAIL line if the page lost its data.
static void touch(uint64 *base, uint64 pages, uint64 *rng, int pid)
{
  uint64 p = xorshift(rng) % pages;
  volatile uint64 *w = base + p * (PGSIZE / sizeof(uint64));
  if (*w != stamp(p, pid)) {
    printf("thrash: FAILED: worker %d: page %lu holds %lx, not %lx\n", pid, p, *w, stamp(p, pid));
    exit(1);
  }
  *w = stamp(p, pid);
}

static uint64 *fill(uint64 pages, int pid)
{
  char *mem = sbrk((int)(pages * PGSIZE));
  if (mem == (char *)-1) {
    printf("thrash: FAILED: sbrk of %lu pages failed\n", pages);
    exit(1);
  }
  uint64 *base = (uint64 *)mem;
  for (uint64 p = 0; p < pages; p++)
    base[p * (PGSIZE / sizeof(uint64))] = stamp(p, pid);
  return base;
}

// Measuring worker: writes its pages, says so on `ready`, waits for the
// start on `go`, then touches for `seconds`, counting, and reports the
// count on `out`.
static void measure_worker(uint64 pages, int seconds, int ready, int go, int out)
{
  int pid = getpid();
  uint64 *base = fill(pages, pid);
  char c = 0;
  write(ready, &c, 1);
  if (read(go, &c, 1) != 1)
    exit(1);
  uint64 rng = (uint64)pid * 7919 + 1, count = 0;
  int to = uptime() + seconds * TICKS_PER_SECOND;
  while (uptime() < to)
    for (int i = 0; i < 64; i++, count++)
      touch(base, pages, &rng, pid);
  write(out, &count, sizeof(count));
  exit(0);
}

static void finish_worker(uint64 pages, int passes)
{
  int pid = getpid();
  uint64 *base = fill(pages, pid);
  uint64 rng = (uint64)pid * 7919 + 1;
  for (uint64 i = 0; i < (uint64)passes * pages; i++)
    touch(base, pages, &rng, pid);
  exit(0);
}

int main(int argc, char *argv[])
{
  int finish = argc > 1 && strcmp(argv[1], "-f") == 0;
  char **a = argv + finish;
  if (argc - finish != 5 || (strcmp(a[1], "on") != 0 && strcmp(a[1], "off") != 0)) {
    fprintf(2, "usage: thrash [-f] on|off N PAGES SECONDS|PASSES\n");
    return 2;
  }
  int n = atoi(a[2]), amount = atoi(a[4]);
  uint64 pages = (uint64)atoi(a[3]);
  if (n < 1 || n > 32 || pages < 1 || amount < 1) {
    fprintf(2, "thrash: N 1..32, PAGES and SECONDS|PASSES at least 1\n");
    return 2;
  }
  vmctl(VMCTL_LOADCTL, strcmp(a[1], "on") == 0, 0);
  vmstat(&st);
  uint64 ram = st.frames_total;
  uint64 suspended0 = suspensions();
  int pipefd[2], ready[2], go[2];
  if (pipe(pipefd) < 0 || pipe(ready) < 0 || pipe(go) < 0)
    return 1;
  int t0 = uptime();
  for (int i = 0; i < n; i++) {
    int pid = fork();
    if (pid < 0) {
      printf("thrash: FAILED: fork failed\n");
      return 1;
    }
    if (pid == 0) {
      if (finish)
        finish_worker(pages, amount);
      measure_worker(pages, amount, ready[1], go[0], pipefd[1]);
    }
  }
  close(pipefd[1]);
  close(ready[1]);
  close(go[0]);
  if (!finish) {
    // Everyone's pages written: start them all at once.
    char c;
    for (int i = 0; i < n; i++)
      if (read(ready[0], &c, 1) != 1)
        break;
    for (int i = 0; i < n; i++)
      write(go[1], "g", 1);
  }
  close(go[1]);
  int failed = 0;
  for (int i = 0; i < n; i++) {
    int status = -2, pid = wait(&status);
    if (status != 0)
      failed = 1;
    if (finish)
      printf("thrash: worker %d finished after %d ticks (status %d)\n", pid, uptime() - t0,
             status);
  }
  uint64 total = 0, count;
  while (!finish && read(pipefd[0], &count, sizeof(count)) == sizeof(count))
    total += count;
  // Overcommit in hundredths: N working sets against all of RAM.
  uint64 load = (uint64)n * pages * 100 / ram;
  if (finish)
    printf("thrash: %d workers x %lu pages (%lu.%02lux RAM), load control %s: all finished in "
           "%d ticks, %lu suspensions\n", n, pages, load / 100, load % 100, a[1], uptime() - t0,
           suspensions() - suspended0);
  else
    printf("thrash: %d workers x %lu pages (%lu.%02lux RAM), load control %s: %lu touches/s, "
           "%lu suspensions\n", n, pages, load / 100, load % 100, a[1], total / (uint64)amount,
           suspensions() - suspended0);
  if (failed)
    printf("thrash: FAILED: a worker did not exit with status 0\n");
  return failed;
}
