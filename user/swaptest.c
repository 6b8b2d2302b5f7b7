// swaptest: tests for paging to swap (issue 6).  More memory than RAM
// must work, with every page keeping its data, and swapoff/swapon must
// bring pages back and give every slot back.  Meant to run with 64 MiB of
// RAM and a 256 MiB swap partition (virtio0p2), at 1 and 4 harts:
//   seq_4x [PAGES]   4x RAM (or as much as swap + RAM hold) written and
//                    checked in order, then in a random order; some pages
//                    must have gone out to swap; prints the cycles each
//                    half took.  With PAGES, that many pages instead (they
//                    need not go to swap if RAM holds them): the same work
//                    with more RAM is what make bench compares it with;
//   fork_pressure    a parent's 2x RAM shared with 3 children that each
//                    rewrite a third at once: copy-on-write of swapped
//                    pages, and shared pages swapped out and in;
//   fork_two_thirds  a child rewriting half of its parent's 2/3 of RAM
//                    (a kernel without swap kills it: out of memory);
//   shared_anon      a MAP_SHARED|MAP_ANONYMOUS mapping of 1.5x RAM written
//                    half by a parent, half by its child, each checking
//                    the other's half after it went to swap and back;
//   swapoff_on       swapoff refuses, losing nothing, when RAM cannot take
//                    the swapped pages back; succeeds and empties swap when
//                    it can; swapon restores the size and refuses devices
//                    that are not the swap partition;
//   shared_file      dirty pages of a shared file mapping, pushed out by
//                    pressure, reach the file (the pager writes them back)
//                    and come back from it; a private mapping's writes to
//                    the same file go to swap, never to the file;
//   swap_errors      failed swap writes (the kernel's fault switch) lose
//                    nothing and take slots out of use; a failed read kills
//                    only the process that needed the page;
//   out_of_swap      (only when named) a hog bigger than RAM + swap is
//                    killed, a bystander keeps its data.
// Every word of every page is checked against a value mixing page, pass,
// pid and word, so a page swapped back to the wrong place, a stale copy or
// a zero page is reported with its page, word, and expected/found values.
//
// The harness's leak check (frames_free back where it was) cannot hold
// under paging: the replacement clock evicts other processes' pages too.
// So settle() brings every page back to RAM (swapoff, then swapon) before
// and after each case, and the case must leave frames_free + cached_pages
// (+ slab_frames: which slab a long-lived process's kernel objects end up
// in varies) and swap_used as it found them.
#include "user/vt_harness.h"
#include "kernel/vmctl.h"

// The boot disk's partitions: the file system is p1, swap p2 (mkfs/mkdisk);
// -d names the disk (default virtio0; mmcblk0 on the HiFive Unleashed).
static char fs_partition[16] = "virtio0p1";
static char swap_partition[16] = "virtio0p2";
#define SWAP_PARTITION swap_partition
#define WORDS_PER_PAGE (PGSIZE / sizeof(uint64))
#define MIB(pages) ((pages) * PGSIZE / (1024 * 1024))
#define CHILDREN 3       // fork_pressure's children, a third of the pages each
#define SBRK_STEP (1 << 28)   // sbrk takes an int: grow in steps well below 2 GiB

static uint64 ram_pages;    // frames_total: all the RAM user pages could get
static uint64 seq_pages;    // seq_4x's working set, if named on the command line
static uint64 swap_pages;   // swap_total at the start, in pages

// ---- pages and their patterns ----

// Word `word` of page `page` in pass `pass` of process `pid`.  The fields
// are packed without overlap (pid < 2^16, pass < 2^8, page < 2^28,
// word < 2^12), then mixed by two invertible steps, so distinct
// (page, pass, pid, word) give distinct values and neighbouring words
// differ in many bits.
static uint64 pattern(uint64 page, uint64 pass, uint64 pid, uint64 word)
{
  uint64 x = (pid << 48) ^ (pass << 40) ^ (page << 12) ^ word;
  x *= 0x9e3779b97f4a7c15UL;   // odd: a bijection mod 2^64
  return x ^ (x >> 32);
}

static void fill_page(char *heap, uint64 page, int pass, int pid)
{
  uint64 *w = (uint64 *)(heap + page * PGSIZE);
  for (uint64 i = 0; i < WORDS_PER_PAGE; i++)
    w[i] = pattern(page, pass, pid, i);
}

// Fails the case at the first word that is not what pass `pass` of
// process `pid` wrote; `who` says which process of the case looked.
static void check_page(char *heap, uint64 page, int pass, int pid, const char *who)
{
  uint64 *w = (uint64 *)(heap + page * PGSIZE);
  for (uint64 i = 0; i < WORDS_PER_PAGE; i++) {
    uint64 want = pattern(page, pass, pid, i);
    if (w[i] != want)
      fail("%s: page %lu word %lu: expected 0x%lx, found 0x%lx", who, page, i, want, w[i]);
  }
}

static void fill_range(char *heap, uint64 from, uint64 to, int pass, int pid)
{
  for (uint64 p = from; p < to; p++)
    fill_page(heap, p, pass, pid);
}

static void check_range(char *heap, uint64 from, uint64 to, int pass, int pid, const char *who)
{
  for (uint64 p = from; p < to; p++)
    check_page(heap, p, pass, pid, who);
}

// Grows the heap by npages and returns the first of them, page-aligned.
static char *grow(uint64 npages)
{
  uint64 start = (uint64)sbrk(0);
  uint64 left = PGROUNDUP(start) - start + npages * PGSIZE;
  while (left > 0) {
    int step = left > SBRK_STEP ? SBRK_STEP : (int)left;
    if (sbrk(step) == SBRK_ERROR)
      fail("sbrk could not grow the heap to %lu MiB", MIB(npages));
    left -= step;
  }
  return (char *)PGROUNDUP(start);
}

// The pages a case may use in all: swap plus RAM, less an eighth for the
// kernel, the other processes and the page tables.
static uint64 room(void)
{
  return (swap_pages + ram_pages) * 7 / 8;
}

static void need(uint64 npages, const char *what)
{
  if (npages > room())
    fail("%s needs %lu MiB; swap and RAM hold %lu MiB", what, MIB(npages), MIB(room()));
}

// The pages vmstat says process pid has out on swap.
static uint64 swapped_of(int pid)
{
  struct vmstat *st = vt_vmstat();
  for (int i = 0; i < st->nprocs; i++)
    if (st->procs[i].pid == pid)
      return st->procs[i].swapped;
  return 0;
}

// ---- a random order: Fisher-Yates with xorshift64, fixed seed ----

static uint64 rng = 0x2545f4914f6cdd1dUL;   // fixed: a failure can be rerun

static uint64 xorshift64(void)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

// Shuffles order[0..n) in place: any permutation in, a random one out, so
// every page is still visited exactly once.
static void shuffle(uint32 *order, uint64 n)
{
  for (uint64 i = n - 1; i > 0; i--) {
    uint64 j = xorshift64() % (i + 1);
    uint32 t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}

// ---- 1. four times RAM, in order and at random ----

static void seq_4x_case(void)
{
  uint64 n = 4 * ram_pages;
  if (seq_pages) {
    n = seq_pages;
    need(n, "seq_4x's working set");
  } else if (n > room()) {
    n = room();
    printf("swaptest: seq_4x: 4x RAM does not fit in swap + RAM; using %lu MiB\n", MIB(n));
  }
  int me = getpid();
  struct vmstat *st = vt_vmstat();
  uint64 outs = st->swap_outs, ins = st->swap_ins;

  uint64 t0 = cycles();
  char *heap = grow(n);
  fill_range(heap, 0, n, 1, me);
  check_range(heap, 0, n, 1, me, "in order");
  uint64 t1 = cycles();

  // The order array takes memory too (a page per 1024 pages): it is part
  // of the working set, paged like the rest.
  uint32 *order = (uint32 *)grow((n * sizeof(uint32) + PGSIZE - 1) / PGSIZE);
  for (uint64 i = 0; i < n; i++)
    order[i] = i;
  shuffle(order, n);
  for (uint64 i = 0; i < n; i++)
    fill_page(heap, order[i], 2, me);
  shuffle(order, n);   // check in another order than we wrote
  for (uint64 i = 0; i < n; i++)
    check_page(heap, order[i], 2, me, "at random");
  uint64 t2 = cycles();

  st = vt_vmstat();
  printf("swaptest: seq_4x used %lu MiB: %lu pages swapped out, %lu in\n", MIB(n),
         st->swap_outs - outs, st->swap_ins - ins);
  printf("swaptest: seq_4x: %lu pages, %lu cycles in order, %lu at random, %lu in all "
         "(%lu pages of RAM)\n", n, t1 - t0, t2 - t1, t2 - t0, ram_pages);
  if (n > ram_pages && st->swap_outs == outs)
    fail("no page went out to swap: the case did not exercise swap");
}

// ---- 2. three children rewriting a third each of 2x RAM ----

// Child c rewrites its third with its own pattern, then checks all: its
// third is its own, the rest still the parent's (pass 1).
static void rewrite_third(char *heap, uint64 n, int c, int parent)
{
  char who[] = "child 0";
  who[6] += c;
  int me = getpid();
  uint64 from = n * c / CHILDREN, to = n * (c + 1) / CHILDREN;
  fill_range(heap, from, to, 10 + c, me);
  check_range(heap, 0, from, 1, parent, who);
  check_range(heap, from, to, 10 + c, me, who);
  check_range(heap, to, n, 1, parent, who);
}

static void fork_pressure_case(void)
{
  uint64 n = 2 * ram_pages;
  need(2 * n, "2x RAM plus the children's copies");
  int parent = getpid();
  char *heap = grow(n);
  fill_range(heap, 0, n, 1, parent);
  for (int c = 0; c < CHILDREN; c++) {
    int pid = fork();
    if (pid < 0)
      fail("fork failed");
    if (pid == 0) {
      rewrite_third(heap, n, c, parent);
      exit(0);
    }
  }
  vt_reap_all(CHILDREN, "a child");
  check_range(heap, 0, n, 1, parent, "the parent, after its children");
}

// ---- 3. a child rewriting half of two thirds of RAM ----

static void fork_two_thirds_case(void)
{
  uint64 n = ram_pages * 2 / 3, half = n / 2;
  int parent = getpid();
  char *heap = grow(n);
  fill_range(heap, 0, n, 1, parent);
  int pid = fork();
  if (pid < 0)
    fail("fork failed");
  if (pid == 0) {
    int me = getpid();
    fill_range(heap, 0, half, 2, me);
    check_range(heap, 0, half, 2, me, "the child");
    check_range(heap, half, n, 1, parent, "the child");
    exit(0);
  }
  vt_reap("the child");
  check_range(heap, 0, n, 1, parent, "the parent, after its child");
}

// ---- 3b. shared anonymous memory larger than RAM ----

// A MAP_SHARED|MAP_ANONYMOUS mapping of 1.5x RAM, written half by the
// parent and half by a child: its pages can only fit by going to swap
// (each to a slot of its own, kept by the mapping's object) and coming
// back on the next touch, and each process must see the other's writes.
static void shared_anon_case(void)
{
  uint64 n = ram_pages * 3 / 2, half = n / 2;
  need(n, "1.5x RAM of shared memory");
  char *shared = mmap(0, n * PGSIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == (char *)MAP_FAILED)
    fail("mmap of %lu MiB of shared anonymous memory failed", MIB(n));
  int parent = getpid();
  fill_range(shared, 0, half, 1, parent);
  int pid = fork();
  if (pid < 0)
    fail("fork failed");
  if (pid == 0) {
    check_range(shared, 0, half, 1, parent, "the child");
    fill_range(shared, half, n, 2, getpid());
    exit(0);
  }
  vt_reap("the child");
  uint64 used = vt_vmstat()->swap_used;
  if (used < n - ram_pages)
    fail("%lu pages of shared memory beyond RAM, but only %lu swap slots used", n - ram_pages,
         used);
  check_range(shared, 0, half, 1, parent, "the parent");
  check_range(shared, half, n, 2, pid, "the parent, the child's half");
  if (munmap(shared, n * PGSIZE) != 0)
    fail("munmap failed");
}

// ---- 4. swapoff and swapon ----

// A process that writes npages of its own, then sleeps until released
// (by a byte on `go`), checks every page and exits.
struct holder {
  int pid;
  int go;   // write end: one byte releases it
};

static struct holder start_holder(uint64 npages, const char *who)
{
  int ready[2], go[2];
  if (pipe(ready) < 0 || pipe(go) < 0)
    fail("pipe failed");
  int pid = fork();
  if (pid < 0)
    fail("fork failed");
  char c = 0;
  if (pid == 0) {
    close(ready[0]);
    close(go[1]);   // so that read sees end of file if the case's process dies
    int me = getpid();
    char *heap = grow(npages);
    fill_range(heap, 0, npages, 1, me);
    write(ready[1], "r", 1);
    if (read(go[0], &c, 1) != 1)
      exit(1);   // the case failed and went away: nothing to report
    check_range(heap, 0, npages, 1, me, who);
    exit(0);
  }
  close(ready[1]);
  close(go[0]);
  if (read(ready[0], &c, 1) != 1) {
    int status = -2;
    wait(&status);
    if (status == 1)
      exit(1);   // it printed its FAIL line
    fail("%s died writing its %lu MiB (exit status %d)", who, MIB(npages), status);
  }
  close(ready[0]);
  return (struct holder){ .pid = pid, .go = go[1] };
}

static void release_holder(struct holder h, const char *who)
{
  write(h.go, "g", 1);
  close(h.go);
  vt_reap(who);
}

// Writes npages in a process of its own, which then exits: pressure that
// pushes idle pages out to swap.  Returns the hog's exit status.
static int hog_status(uint64 npages)
{
  int pid = fork();
  if (pid < 0)
    fail("fork failed");
  if (pid == 0) {
    fill_range(grow(npages), 0, npages, 3, getpid());
    exit(0);
  }
  int status = -2, waited = wait(&status);
  if (waited != pid)
    fail("wait returned process %d, not the hog (exit status %d)", waited, status);
  return status;
}

// A hog that must end well: pressure on the holder's pages.
static void run_hog(uint64 npages)
{
  int status = hog_status(npages);
  if (status == 1)
    exit(1);
  if (status != 0)
    fail("the hog of %lu MiB died (exit status %d)", MIB(npages), status);
}

static void swapoff_on_case(void)
{
  // More on swap than RAM can take back: swapoff must refuse, and lose
  // nothing on the way.
  const char *big = "the 1.5x RAM holder";
  struct holder a = start_holder(ram_pages * 3 / 2, big);
  struct vmstat *st = vt_vmstat();
  if (st->swap_used == 0)
    fail("%s is written and swap_used is 0", big);
  int rc = swapoff(SWAP_PARTITION);
  if (rc != -1)
    fail("swapoff returned %d with 1.5x RAM in use, not -1", rc);
  st = vt_vmstat();
  if (st->swap_used == 0 || st->swap_total != swap_pages)
    fail("after the refused swapoff swap_used is %lu, swap_total %lu (was %lu)", st->swap_used,
         st->swap_total, swap_pages);
  release_holder(a, big);   // it checks every page

  // A smaller process, partly pushed out by a hog: swapoff must bring it
  // all back.  The hog grows until some of the holder's pages are out.
  const char *small = "the 0.6x RAM holder";
  struct holder b = start_holder(ram_pages * 6 / 10, small);
  uint64 hog = ram_pages * 8 / 10;
  run_hog(hog);
  while (swapped_of(b.pid) == 0) {
    if (hog >= 2 * ram_pages)
      fail("a hog of %lu MiB left all of %s resident", MIB(hog), small);
    hog += ram_pages * 4 / 10;
    printf("swaptest: swapoff_on: nothing of %s on swap; a hog of %lu MiB next\n", small,
           MIB(hog));
    run_hog(hog);
  }
  rc = swapoff(SWAP_PARTITION);
  if (rc != 0)
    fail("swapoff returned %d with only %s using swap", rc, small);
  st = vt_vmstat();
  if (st->swap_used != 0 || swapped_of(b.pid) != 0)
    fail("after swapoff swap_used is %lu and %s has %lu pages swapped", st->swap_used, small,
         swapped_of(b.pid));
  release_holder(b, small);

  // Refused while swap is off, so that -1 means "not a swap partition",
  // not "swap is on already".  A wrong success is undone at once: the
  // first is the file system.
  const char *not_swap[] = { fs_partition, "nosuch" };
  for (int i = 0; i < 2; i++) {
    rc = swapon(not_swap[i]);
    if (rc != -1) {
      swapoff(not_swap[i]);
      fail("swapon(\"%s\") returned %d, not -1", not_swap[i], rc);
    }
  }
  rc = swapon(SWAP_PARTITION);
  if (rc != 0)
    fail("swapon(\"%s\") returned %d", SWAP_PARTITION, rc);
  st = vt_vmstat();
  if (st->swap_total != swap_pages)
    fail("after swapon swap_total is %lu, was %lu", st->swap_total, swap_pages);
}

// ---- 5. disk errors on swap ----

// With the kernel's fault switch (vmctl VMCTL_SWAP_FAIL): failed writes
// leave their pages in RAM and take their slots out of use, losing
// nothing; a failed read kills the process that needed the page, with the
// kernel's line "pid N (swaptest): killed: swap read error at address
// 0x...", and nobody else.
// The next page of fd's file, read with read(): from the disk, not from
// the mappings.
static uint64 file_words[WORDS_PER_PAGE];

static void read_file_page(int fd, uint64 page)
{
  if (read(fd, file_words, PGSIZE) != PGSIZE)
    fail("reading page %lu of the file failed", page);
}

// Whether the page read last is page `page` as pass `pass` of pid wrote it.
static int file_page_is(uint64 page, int pass, int pid)
{
  for (uint64 i = 0; i < WORDS_PER_PAGE; i++)
    if (file_words[i] != pattern(page, (uint64)pass, (uint64)pid, i))
      return 0;
  return 1;
}

// fd closed and path opened again, to read it from the start.
static int reopen(int fd, const char *path)
{
  close(fd);
  if ((fd = open(path, O_RDONLY)) < 0)
    fail("cannot open %s again", path);
  return fd;
}

static void shared_file_case(void)
{
  const char *path = "swaptest.shared";
  uint64 npages = 1024;
  int me = getpid();
  unlink(path);
  int fd = open(path, O_CREATE | O_RDWR);
  if (fd < 0)
    fail("cannot create %s", path);
  for (uint64 p = 0; p < npages; p++) {
    for (uint64 i = 0; i < WORDS_PER_PAGE; i++)
      file_words[i] = pattern(p, 1, (uint64)me, i);
    if (write(fd, file_words, PGSIZE) != PGSIZE)
      fail("writing page %lu of %s failed (disk full?)", p, path);
  }
  uint64 len = npages * PGSIZE;
  char *shared = mmap(0, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  char *private = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  if (shared == MAP_FAILED || private == MAP_FAILED)
    fail("mmap of %s failed", path);
  fill_range(shared, 0, npages, 2, me);
  fill_range(private, 0, npages, 3, me);

  // Pressure until the pager has written back half of the pages: each hog
  // of twice RAM makes the clock's hand pass the idle shared pages at
  // least twice, once to clear their accessed bits and once to take them;
  // how many it takes on a pass depends on who runs the hand.
  uint64 before = vt_vmstat()->file_writebacks, written = 0;
  for (int hog = 0; hog < 3 && written < npages / 2; hog++) {
    run_hog(ram_pages * 2);
    written = vt_vmstat()->file_writebacks - before;
  }
  if (written < npages / 2)
    fail("under pressure the pager wrote back %lu of %lu dirty shared pages", written, npages);

  // Before any msync or munmap, the file holds what the pager wrote: the
  // shared mapping's data or the original, never the private mapping's.
  uint64 on_file = 0;
  fd = reopen(fd, path);
  for (uint64 p = 0; p < npages; p++) {
    read_file_page(fd, p);
    int shared_data = file_page_is(p, 2, me);
    if (!shared_data && !file_page_is(p, 1, me))
      fail("page %lu of the file is neither the original nor the shared mapping's", p);
    on_file += shared_data;
  }
  if (on_file < written)
    fail("the pager wrote back %lu pages, the file has %lu of them", written, on_file);

  // Evicted pages come back from the file, private ones from swap.
  check_range(shared, 0, npages, 2, me, "the shared mapping");
  check_range(private, 0, npages, 3, me, "the private mapping");
  if (munmap(shared, len) < 0 || munmap(private, len) < 0)
    fail("munmap failed");
  fd = reopen(fd, path);
  for (uint64 p = 0; p < npages; p++) {
    read_file_page(fd, p);
    if (!file_page_is(p, 2, me))
      fail("after munmap, page %lu of the file is not the shared mapping's", p);
  }
  close(fd);
  unlink(path);
}

static void swap_errors_case(void)
{
  const char *writer = "the 1.5x RAM writer";
  uint64 usable = vt_vmstat()->swap_total;
  if (vmctl(VMCTL_SWAP_FAIL, 64, 0) < 0)
    fail("vmctl(VMCTL_SWAP_FAIL) refused");
  struct holder a = start_holder(ram_pages * 3 / 2, writer);
  release_holder(a, writer);   // it checks every page
  vmctl(VMCTL_SWAP_FAIL, 0, 0);
  uint64 now = vt_vmstat()->swap_total;
  if (now >= usable)
    fail("after 64 failed swap writes swap_total is %lu, was %lu: no slot marked bad", now,
         usable);

  const char *bystander = "the 0.4x RAM bystander";
  struct holder b = start_holder(ram_pages * 4 / 10, bystander);
  int pid = fork();
  if (pid < 0)
    fail("fork failed");
  if (pid == 0) {
    uint64 npages = ram_pages * 3 / 2;
    char *heap = grow(npages);
    fill_range(heap, 0, npages, 6, getpid());
    vmctl(VMCTL_SWAP_FAIL, 0, 1);
    check_range(heap, 0, npages, 6, getpid(), "the reader");
    exit(0);   // not killed: no page came from swap
  }
  int status = -2;
  if (wait(&status) != pid)
    fail("wait did not return the reader");
  if (status != -1)
    fail("a process whose swap read failed was not killed (exit status %d)", status);
  release_holder(b, bystander);   // it checks every page
}

// ---- 6. out of memory and swap ----

// A hog bigger than RAM and swap together, and a bystander that wrote its
// pages first: the hog (the largest process) must be killed, with the
// kernel's line "pid N (swaptest): killed: out of memory and swap", and
// the bystander must find every page intact.  Runs only when named: it
// fills swap, which takes minutes with a big partition (the suite runs it
// on a disk with 32 MiB of swap).
static void out_of_swap_case(void)
{
  const char *bystander = "the 0.4x RAM bystander";
  struct holder a = start_holder(ram_pages * 4 / 10, bystander);
  uint64 hog_pages = ram_pages + swap_pages + ram_pages / 2;
  int status = hog_status(hog_pages);
  if (status != -1)
    fail("the hog of %lu MiB (RAM and swap are %lu MiB) was not killed: exit status %d",
         MIB(hog_pages), MIB(ram_pages + swap_pages), status);
  release_holder(a, bystander);   // it checks every page
}

// ---- running the cases, and what they leave behind ----

struct counts {
  const char *failed;       // the call that failed, or 0
  int swap_was_off;         // settle() found swap off and turned it on
  uint64 swap_used;         // right after swapoff: slots nothing can bring back
  uint64 free_and_cached;   // frames_free + cached_pages + slab_frames, everything in RAM
};

// Brings the system to a state that can be compared: our own pages
// resident (as vt_start makes them), every swapped page of every process
// back in RAM (swapoff), and swap on again, empty.
static void settle(struct counts *c)
{
  *c = (struct counts){ 0 };
  c->swap_was_off = vt_vmstat()->swap_total == 0;
  if (c->swap_was_off && swapon(SWAP_PARTITION) != 0) {
    c->failed = "swapon";
    return;
  }
  vt_own_pages();
  if (swapoff(SWAP_PARTITION) != 0) {
    c->failed = "swapoff";
    return;
  }
  c->swap_used = vt_vmstat()->swap_used;
  if (swapon(SWAP_PARTITION) != 0) {
    c->failed = "swapon";
    return;
  }
  c->free_and_cached = vt_frames_unheld();
}

// Like vt_run, but with settle() around the case instead of a plain
// frames_free comparison.
static void run_case(const char *name, void (*body)(void))
{
  if (swap_pages == 0) {
    printf("FAIL %s: no swap\n", name);
    vt_failed++;
    return;
  }
  struct counts before, after;
  settle(&before);
  if (before.failed || before.swap_used != 0) {
    if (before.failed)
      printf("FAIL %s: before the case, %s(\"%s\") failed\n", name, before.failed,
             SWAP_PARTITION);
    else
      printf("FAIL %s: before the case, swap_used was %lu after swapoff\n", name,
             before.swap_used);
    vt_failed++;
    return;
  }
  int pid = vt_spawn(name, body);
  if (pid < 0)
    return;
  int status = -2;
  int waited = wait(&status);
  settle(&after);   // even after a failure: the next case needs swap on
  long frames = (long)before.free_and_cached - (long)after.free_and_cached;
  int passed = 0;
  if (waited != pid)
    printf("FAIL %s: wait did not return the case's process\n", name);
  else if (status == 1)
    ;   // the case printed its FAIL line
  else if (status != 0)
    printf("FAIL %s: the test process died (exit status %d)\n", name, status);
  else if (after.failed)
    printf("FAIL %s: after the case, %s(\"%s\") failed\n", name, after.failed, SWAP_PARTITION);
  else if (after.swap_was_off)
    printf("FAIL %s: the case left swap off\n", name);
  else if (after.swap_used != 0)
    printf("FAIL %s: leaked %lu swap slots (swap_used after swapoff)\n", name, after.swap_used);
  else if (frames != 0)
    printf("FAIL %s: leaked %ld frames: frames_free + cached_pages + slab_frames was %lu "
           "before, %lu after\n",
           name, frames, before.free_and_cached, after.free_and_cached);
  else {
    printf("PASS %s\n", name);
    passed = 1;
  }
  if (passed)
    vt_passed++;
  else
    vt_failed++;
}

static const struct {
  const char *name;
  void (*body)(void);
  int named_only;   // not part of "every case"
} cases[] = {
  { "seq_4x", seq_4x_case, 0 },
  { "fork_pressure", fork_pressure_case, 0 },
  { "fork_two_thirds", fork_two_thirds_case, 0 },
  { "shared_anon", shared_anon_case, 0 },
  { "swapoff_on", swapoff_on_case, 0 },
  { "shared_file", shared_file_case, 0 },
  { "swap_errors", swap_errors_case, 0 },
  { "out_of_swap", out_of_swap_case, 1 },
};

// swaptest [-d DISK] [CASE ...]: every case but out_of_swap, or only the
// named ones; a number after seq_4x is its working set in pages.
int main(int argc, char *argv[])
{
  vt_start("swaptest", argv[0]);
  if (argc >= 3 && strcmp(argv[1], "-d") == 0 && strlen(argv[2]) + 3 <= sizeof fs_partition) {
    strcpy(fs_partition, argv[2]);
    strcpy(fs_partition + strlen(argv[2]), "p1");
    strcpy(swap_partition, argv[2]);
    strcpy(swap_partition + strlen(argv[2]), "p2");
    argc -= 2;
    argv += 2;
  }
  struct vmstat *st = vt_vmstat();
  ram_pages = st->frames_total;
  swap_pages = st->swap_total;
  for (int a = 1; a + 1 < argc; a++)
    if (strcmp(argv[a], "seq_4x") == 0 && argv[a + 1][0] >= '1' && argv[a + 1][0] <= '9')
      seq_pages = (uint64)atoi(argv[a + 1]);
  for (int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    int wanted = argc == 1 && !cases[i].named_only;
    for (int a = 1; a < argc; a++)
      wanted |= strcmp(argv[a], cases[i].name) == 0;
    if (wanted)
      run_case(cases[i].name, cases[i].body);
  }
  printf("swaptest: %d passed, %d failed\n", vt_passed, vt_failed);
  return vt_failed == 0 ? 0 : 1;
}
