// policytest: the global pager's policies and the computed frame
// allocations (issue 6).  Meant for 64 MiB of RAM with a swap partition;
// every measurement is made against a control run in the same boot, so
// that a kernel that ignored the switch would fail:
//   eclock_clean_first  clean file pages interleaved in memory with dirty
//                       private pages, then memory pushed full: ECLOCK
//                       drops clean pages and writes (almost) nothing to
//                       swap; CLOCK, on the same ground, writes many;
//   fifo_oldest_first   a hot set loaded first and read again all the
//                       time while new pages push memory full: CLOCK keeps
//                       most of it (its pages are always referenced), FIFO
//                       evicts all of it (its pages are the oldest) and it
//                       comes back from swap;
//   equal_allocation    vmctl alloc equal: two processes each writing more
//                       pages than their share stay within it (vmstat's
//                       RESIDENT against ALLOC), the share is the pageable
//                       frames divided among the processes, their data
//                       survives, and vmctl alloc global takes it away;
//   proportional_allocation  vmctl alloc proportional: a process with a
//                       footprint a hundred times another's gets many
//                       times its allocation, and at least its footprint
//                       while memory is not overcommitted.
// Prints PASS/FAIL per case, the numbers measured, and
// "policytest: N passed, M failed".
#include "user/vt_harness.h"
#include "kernel/vmctl.h"

#define CLEAN_PAGES 1500      // the file's pages (6 MiB): clean in memory
#define PUSH_BEYOND 700       // pages written past the free memory: the
                              // pager frees these plus its reserve,
                              // fewer than CLEAN_PAGES
// More than the pages CLOCK's first reclaims may take from it (up to the
// daemon's reserve) before it is read again: see fifo_oldest_first.
#define HOT_PAGES 3000
#define HOT_EVERY 64          // new pages between two reads of the hot set
#define OVER_SHARE 400        // pages each process writes past its share
// Pages of a process outside its allocation: text, data, bss, stack (the
// local set holds only heap and anonymous mappings).
#define OUTSIDE_ALLOCATION 64
#define FILE_NAME "policytest.data"

// What one measurement run saw, sent to the case through a pipe.
struct counts {
  uint64 dropped, swap_outs, swap_ins;
};

static struct counts counts_now(void)
{
  struct vmstat *st = vt_vmstat();
  return (struct counts){ st->pages_dropped, st->swap_outs, st->swap_ins };
}

static struct counts since(struct counts before)
{
  struct counts now = counts_now();
  return (struct counts){ now.dropped - before.dropped, now.swap_outs - before.swap_outs,
                          now.swap_ins - before.swap_ins };
}

static void set_policy(int policy)
{
  if (vmctl(VMCTL_POLICY, policy, 0) != policy)
    fail("vmctl policy %d refused", policy);
}

// Writes one word in each of n new heap pages (private, dirty).
static char *dirty_pages(uint64 n)
{
  char *p = sbrk((int)(n * PGSIZE));
  if (p == SBRK_ERROR)
    fail("sbrk of %lu pages failed", n);
  for (uint64 i = 0; i < n; i++)
    p[i * PGSIZE] = 1;
  return p;
}

// Runs measure(policy) in a child, which has memory of its own to fill and
// gives it all back by exiting, and returns what it counted.
static struct counts measured(struct counts (*measure)(int), int policy)
{
  int fds[2];
  if (pipe(fds) < 0)
    fail("pipe failed");
  int pid = fork();
  if (pid < 0)
    fail("fork failed");
  if (pid == 0) {
    close(fds[0]);
    struct counts c = measure(policy);
    write(fds[1], &c, sizeof(c));
    exit(0);
  }
  close(fds[1]);
  struct counts c;
  int got = read(fds[0], &c, sizeof(c));
  close(fds[0]);
  vt_reap_all(1, "the measuring process");
  if (got != sizeof(c))
    fail("the measuring process sent nothing");
  return c;
}

static struct counts clean_and_dirty_pushed(int policy)
{
  set_policy(policy);
  int fd = open(FILE_NAME, O_RDONLY);
  char *file = mmap(0, CLEAN_PAGES * PGSIZE, PROT_READ, MAP_PRIVATE, fd, 0);
  if (fd < 0 || file == MAP_FAILED)
    fail("cannot map %s", FILE_NAME);
  // One clean page, one dirty page, ...: neighbours in physical memory,
  // so that a clock that ignores D meets both kinds alike.
  char *dirty = sbrk(CLEAN_PAGES * PGSIZE);
  if (dirty == SBRK_ERROR)
    fail("sbrk failed");
  volatile char sum = 0;
  for (int i = 0; i < CLEAN_PAGES; i++) {
    sum += file[i * PGSIZE];
    dirty[i * PGSIZE] = 1;
  }
  struct counts before = counts_now();
  dirty_pages(vt_vmstat()->frames_free + PUSH_BEYOND);
  return since(before);
}

static void make_file(void)
{
  static char page[PGSIZE];
  int fd = open(FILE_NAME, O_CREATE | O_WRONLY);
  if (fd < 0)
    fail("cannot create %s", FILE_NAME);
  for (int i = 0; i < CLEAN_PAGES; i++) {
    page[0] = (char)i;
    if (write(fd, page, PGSIZE) != PGSIZE)
      fail("cannot write %s (file system full?)", FILE_NAME);
  }
  close(fd);
}

static void eclock_clean_first(void)
{
  make_file();
  struct counts clock = measured(clean_and_dirty_pushed, VMCTL_CLOCK);
  struct counts eclock = measured(clean_and_dirty_pushed, VMCTL_ECLOCK);
  set_policy(VMCTL_CLOCK);
  unlink(FILE_NAME);
  printf("eclock_clean_first: clock dropped %lu clean pages and wrote %lu to swap; "
         "eclock dropped %lu and wrote %lu\n",
         clock.dropped, clock.swap_outs, eclock.dropped, eclock.swap_outs);
  if (eclock.dropped < PUSH_BEYOND)
    fail("eclock dropped %lu clean pages, fewer than the %d pushed out", eclock.dropped,
         PUSH_BEYOND);
  if (eclock.swap_outs * 10 > eclock.dropped)
    fail("eclock wrote %lu pages to swap while clean pages could go (%lu dropped)",
         eclock.swap_outs, eclock.dropped);
  if (clock.swap_outs < 4 * eclock.swap_outs + PUSH_BEYOND / 4)
    fail("the control does not tell: clock wrote only %lu pages to swap", clock.swap_outs);
}

static struct counts hot_set_pushed(int policy)
{
  set_policy(policy);
  char *hot = dirty_pages(HOT_PAGES);
  uint64 push = vt_vmstat()->frames_free + 2 * HOT_PAGES;
  struct counts before = counts_now();
  volatile char sum = 0;
  // The heap grows as it is written, so that the references are the same
  // on a kernel whose sbrk allocates (the lazy lab's handout).
  for (uint64 i = 0; i < push; i += HOT_EVERY) {
    dirty_pages(HOT_EVERY);
    for (int h = 0; h < HOT_PAGES; h++)
      sum += hot[h * PGSIZE];
  }
  return since(before);
}

static void fifo_oldest_first(void)
{
  struct counts clock = measured(hot_set_pushed, VMCTL_CLOCK);
  struct counts fifo = measured(hot_set_pushed, VMCTL_FIFO);
  set_policy(VMCTL_CLOCK);
  printf("fifo_oldest_first: the hot set's %d pages; pages read back from swap: "
         "clock %lu, fifo %lu\n", HOT_PAGES, clock.swap_ins, fifo.swap_ins);
  // CLOCK loses some of the hot set all the same: the first reclaim finds
  // every page referenced, clears them all in one lap and evicts what
  // the hand meets next, before the hot set is read again.
  if (fifo.swap_ins * 2 < HOT_PAGES)
    fail("fifo read back only %lu pages: it did not evict the oldest pages", fifo.swap_ins);
  if (clock.swap_ins * 2 > fifo.swap_ins)
    fail("clock read back %lu pages, fifo %lu: clock did not keep the referenced hot set",
         clock.swap_ins, fifo.swap_ins);
}

static int allocation_of(int pid)
{
  struct vmstat *st = vt_vmstat();
  for (int i = 0; i < st->nprocs; i++)
    if (st->procs[i].pid == pid)
      return st->procs[i].allocation;
  return -1;
}

// The allocation of this process once the daemon has computed one that
// is (nonzero) or is not (zero), within 3 seconds; -1 if it never did.
static int allocation_once(int nonzero)
{
  for (int t = 0; t < 300; t += 5) {
    int a = allocation_of(getpid());
    if ((a > 0) == nonzero)
      return a;
    sleep(5);
  }
  return -1;
}

static void write_over_share(void)
{
  int share = allocation_once(1);
  if (share < 0)
    fail("no allocation within 3 seconds");
  struct vmstat *st = vt_vmstat();
  uint64 sharers = (uint64)st->nprocs;
  if ((uint64)share > st->frames_total / sharers || share < 2)
    fail("allocation %d frames: not a share of %lu frames among %lu processes", share,
         st->frames_total, sharers);
  uint64 n = (uint64)share + OVER_SHARE;
  uint64 *p = (uint64 *)dirty_pages(n);
  for (uint64 i = 0; i < n; i++)
    p[i * (PGSIZE / 8)] = i;
  uint64 resident = vt_resident_of(getpid());
  printf("equal_allocation: pid %d: allocation %d frames (%lu processes), wrote %lu pages, "
         "%lu resident\n", getpid(), share, sharers, n, resident);
  if (resident > (uint64)share + OUTSIDE_ALLOCATION)
    fail("pid %d: %lu pages resident, its allocation is %d", getpid(), resident, share);
  for (uint64 i = 0; i < n; i++)
    if (p[i * (PGSIZE / 8)] != i)
      fail("page %lu holds %lu after eviction", i, p[i * (PGSIZE / 8)]);
}

static void equal_allocation(void)
{
  if (vmctl(VMCTL_ALLOC, VMCTL_ALLOC_EQUAL, 0) != VMCTL_ALLOC_EQUAL)
    fail("vmctl alloc equal refused");
  for (int i = 0; i < 2; i++) {
    int pid = fork();
    if (pid < 0)
      fail("fork failed");
    if (pid == 0) {
      write_over_share();
      exit(0);
    }
  }
  vt_reap_all(2, "a process under its allocation");
  if (vmctl(VMCTL_ALLOC, VMCTL_ALLOC_GLOBAL, 0) != VMCTL_ALLOC_GLOBAL)
    fail("vmctl alloc global refused");
  if (allocation_once(0) != 0)
    fail("still under an allocation 3 seconds after vmctl alloc global");
}

#define BIG_PAGES 2000
#define SMALL_PAGES 20

static void proportional_allocation(void)
{
  if (vmctl(VMCTL_ALLOC, VMCTL_ALLOC_PROPORTIONAL, 0) != VMCTL_ALLOC_PROPORTIONAL)
    fail("vmctl alloc proportional refused");
  int pid[2];
  uint64 pages[2] = { BIG_PAGES, SMALL_PAGES };
  for (int i = 0; i < 2; i++) {
    if ((pid[i] = fork()) < 0)
      fail("fork failed");
    if (pid[i] == 0) {
      dirty_pages(pages[i]);
      sleep(400);
      exit(0);
    }
  }
  sleep(250);   // both have written their pages, and the daemon has looked
  int big = allocation_of(pid[0]), small = allocation_of(pid[1]);
  vt_reap_all(2, "a process under a proportional allocation");
  vmctl(VMCTL_ALLOC, VMCTL_ALLOC_GLOBAL, 0);
  printf("proportional_allocation: %d pages get %d frames, %d pages get %d\n", BIG_PAGES, big,
         SMALL_PAGES, small);
  if (big < BIG_PAGES || small < 2 || big < 10 * small)
    fail("allocations %d and %d do not follow footprints of %d and %d pages", big, small,
         BIG_PAGES, SMALL_PAGES);
}

// vt_run without its frame count: under paging the pager evicts other
// processes' pages too, so free frames are not back where they were.
static void run(const char *name, void (*body)(void))
{
  int pid = vt_spawn(name, body);
  if (pid < 0)
    return;   // reported
  int status = -2;
  if (wait(&status) != pid || status != 0) {
    if (status != 1)
      printf("FAIL %s: the case's process died (exit status %d)\n", name, status);
    vt_failed++;
    return;
  }
  printf("PASS %s\n", name);
  vt_passed++;
}

int main(int argc, char *argv[])
{
  vt_program = "policytest";
  vt_self_path = argv[0];
  struct {
    const char *name;
    void (*body)(void);
  } cases[] = {
    { "eclock_clean_first", eclock_clean_first },
    { "fifo_oldest_first", fifo_oldest_first },
    { "equal_allocation", equal_allocation },
    { "proportional_allocation", proportional_allocation },
  };
  for (int i = 0; i < (int)(sizeof(cases) / sizeof(cases[0])); i++) {
    int named = argc == 1;
    for (int a = 1; a < argc; a++)
      named |= strcmp(argv[a], cases[i].name) == 0;
    if (named)
      run(cases[i].name, cases[i].body);
  }
  printf("policytest: %d passed, %d failed\n", vt_passed, vt_failed);
  return vt_failed == 0 ? 0 : 1;
}
