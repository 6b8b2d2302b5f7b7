// replay: runs a reference string on the kernel's pager and counts the page
// faults, to compare with the textbook (tests/refsim prints the same line).
//   replay POLICY FRAMES PAGE...    PAGE is a page number, or 2w for a write
//   replay POLICY FRAMES WORKLOAD SEED LENGTH PAGES
//                                   a string of LENGTH references to pages
//                                   0..PAGES-1 (a quarter of them writes),
//                                   made from SEED by one of the workloads
//                                   below; printed first ("refs: ..."),
//                                   since exec takes at most MAXARG
//                                   arguments and the caller needs the
//                                   string to simulate it
// WORKLOAD is
//   random   some locality: each reference stays on the page (4 in 10),
//            moves on to the next (3 in 10) or jumps anywhere (3 in 10)
//   loop     pages 0, 1, ..., PAGES-1 over and over: with PAGES a little
//            above FRAMES, the worst case of LRU, CLOCK and FIFO
//   phases   shifting locality: phases of 1/16 to 1/8 of LENGTH, each
//            confined (9 in 10 references) to a window of PAGES/8 pages
//            at a random place; the rest jump anywhere
// It sets the replacement policy, holds itself to FRAMES frames (local
// replacement, fixed allocation), and touches page p of a heap area for
// each reference.  Its code, data and stack are outside the allocation, so
// the count is that of the string's pages alone.  Prints
// "POLICY FRAMES: N faults".  Needs swap: evicted pages go there.
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "kernel/vmctl.h"
#include "kernel/vmstat.h"
#include "user/user.h"

#define MAX_REFS 4096
#define MAX_PAGE 4095

static long page_of[MAX_REFS];
static char is_write[MAX_REFS];
static struct vmstat st;

static uint64 my_faults(void)
{
  int me = getpid();
  if (vmstat(&st) < 0) {
    fprintf(2, "replay: vmstat failed\n");
    exit(1);
  }
  for (int i = 0; i < st.nprocs; i++)
    if (st.procs[i].pid == me)
      return st.procs[i].faults;
  return 0;
}

static int parse_ref(const char *s, long *page, char *write)
{
  long n = 0;
  const char *d = s;
  for (; *d >= '0' && *d <= '9' && n <= MAX_PAGE; d++)
    n = n * 10 + (*d - '0');
  *write = *d == 'w';
  if (d == s || n > MAX_PAGE || (*d && !(*d == 'w' && d[1] == 0)))
    return -1;
  *page = n;
  return 0;
}

static uint64 rng_state;

static uint64 next_random(void)
{
  // xorshift64: the same string for the same seed, on any kernel.
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

// The workloads' next page.  Each takes the previous page, the index and
// the string's length and pages, and draws from next_random() only, so the
// same seed gives the same string on any kernel.
static long random_next(long page, int i, int length, int pages)
{
  uint64 r = next_random() % 10;
  if (r < 3)
    return (long)(next_random() % (uint64)pages);
  if (r < 6)
    return (page + 1) % pages;
  return page;
}

static long loop_next(long page, int i, int length, int pages)
{
  return i % pages;
}

// The current phase: its window's first page and the index it ends at.
static long phase_base;
static int phase_end;

static long phases_next(long page, int i, int length, int pages)
{
  int window = pages / 8 > 0 ? pages / 8 : 1;
  if (i == 0 || i >= phase_end) {
    int shortest = length / 16 > 0 ? length / 16 : 1;
    phase_end = i + shortest + (int)(next_random() % (uint64)(shortest + 1));
    phase_base = (long)(next_random() % (uint64)pages);
  }
  if (next_random() % 10 == 0)
    return (long)(next_random() % (uint64)pages);
  // The window wraps around, so that every base is as likely.
  return (phase_base + (long)(next_random() % (uint64)window)) % pages;
}

static const struct workload {
  const char *name;
  long (*next)(long page, int i, int length, int pages);
} workloads[] = {
  { "random", random_next },
  { "loop", loop_next },
  { "phases", phases_next },
};

// Fills page_of and is_write with LENGTH references of workload w and
// prints them.  The write draw follows each page's: random strings stay
// what they were before there were other workloads.
static void generate(const struct workload *w, uint64 seed, int length, int pages)
{
  rng_state = seed * 2654435761UL + 1;
  long page = 0;
  for (int i = 0; i < length; i++) {
    page = w->next(page, i, length, pages);
    page_of[i] = page;
    is_write[i] = next_random() % 4 == 0;
  }
  printf("refs:");
  for (int i = 0; i < length; i++)
    printf(" %ld%s", page_of[i], is_write[i] ? "w" : "");
  printf("\n");
}

int main(int argc, char *argv[])
{
  static const char *upper[] = { [VMCTL_CLOCK] = "CLOCK", [VMCTL_ECLOCK] = "ECLOCK",
                                 [VMCTL_FIFO] = "FIFO" };
  static const char *lower[] = { [VMCTL_CLOCK] = "clock", [VMCTL_ECLOCK] = "eclock",
                                 [VMCTL_FIFO] = "fifo" };
  int policy = -1;
  for (int p = 0; argc >= 2 && p < 3; p++)
    if (strcmp(argv[1], lower[p]) == 0)
      policy = p;
  int frames = argc >= 3 ? atoi(argv[2]) : 0;
  int n = argc - 3;
  const struct workload *workload = 0;
  for (int w = 0; argc == 7 && w < sizeof(workloads) / sizeof(workloads[0]); w++)
    if (strcmp(argv[3], workloads[w].name) == 0)
      workload = &workloads[w];
  int generated = workload != 0;
  if (generated) {
    n = atoi(argv[5]);
    int distinct = atoi(argv[6]);
    if (n < 1 || n > MAX_REFS || distinct < 1 || distinct > MAX_PAGE + 1) {
      fprintf(2, "replay: LENGTH 1..%d, PAGES 1..%d\n", MAX_REFS, MAX_PAGE + 1);
      return 2;
    }
    generate(workload, (uint64)atoi(argv[4]), n, distinct);
  }
  if (policy < 0 || n < 1 || n > MAX_REFS) {
    fprintf(2, "usage: replay clock|eclock|fifo FRAMES PAGE... (PAGE: n, or nw for a write)\n"
               "       replay clock|eclock|fifo FRAMES random|loop|phases SEED LENGTH PAGES\n");
    return 2;
  }
  long pages = 0;
  for (int i = 0; i < n; i++) {
    if (!generated && parse_ref(argv[3 + i], &page_of[i], &is_write[i]) < 0) {
      fprintf(2, "replay: bad page '%s'\n", argv[3 + i]);
      return 2;
    }
    if (page_of[i] + 1 > pages)
      pages = page_of[i] + 1;
  }
  if (vmctl(VMCTL_POLICY, policy, 0) != policy || vmctl(VMCTL_LIMIT, 0, frames) < 0) {
    fprintf(2, "replay: vmctl refused policy %s with %d frames\n", lower[policy], frames);
    return 1;
  }
  // The string's pages: whole pages of heap, none shared with data.
  char *brk = sbrk(0);
  uint64 pad = PGROUNDUP((uint64)brk) - (uint64)brk;
  char *base = sbrk((int)(pad + pages * PGSIZE));
  if (base == (char *)-1) {
    fprintf(2, "replay: sbrk failed\n");
    return 1;
  }
  volatile char *area = (volatile char *)(base + pad);

  uint64 before = my_faults();
  for (int i = 0; i < n; i++) {
    if (is_write[i])
      area[page_of[i] * PGSIZE] = 1;
    else
      (void)area[page_of[i] * PGSIZE];
  }
  uint64 faults = my_faults() - before;
  printf("%s %d: %lu faults\n", upper[policy], frames, faults);
  return 0;
}
