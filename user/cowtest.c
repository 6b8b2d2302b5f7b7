// cowtest: copy-on-write fork.  fork shares every private page read-only;
// a write copies the page, or takes it over when no one else has it any
// more; the frame reference counts stay right however many processes
// share a page, and every frame comes back.
#include "user/vt_harness.h"

#define FILE_NAME "ct_file"

// Writes a value that names its owner and its page at the start of each
// page; checks them.
static void stamp(char *mem, uint64 pages, uint64 owner)
{
  for (uint64 i = 0; i < pages; i++)
    *(uint64 *)(mem + i * PGSIZE) = owner << 32 | i;
}

// Fails unless every step'th page from first holds owner's stamp.
static void check_stamps(const char *who, char *mem, uint64 first, uint64 pages, uint64 step,
                         uint64 owner)
{
  for (uint64 i = first; i < pages; i += step) {
    uint64 found = *(uint64 *)(mem + i * PGSIZE);
    if (found != (owner << 32 | i))
      fail("%s: page %ld holds the stamp of owner %ld page %ld, not of owner %ld", who, (long)i,
           (long)(found >> 32), (long)(found & 0xffffffff), (long)owner);
  }
}

static char *grow(uint64 pages)
{
  char *mem = sbrk((int)(pages * PGSIZE));
  if (mem == SBRK_ERROR)
    fail("sbrk of %ld pages failed", (long)pages);
  return mem;
}

// Two thirds of free memory, forked: without copy-on-write the fork
// itself would need more memory than there is.
static void fork_two_thirds(void)
{
  uint64 pages = vt_frames_free() / 3 * 2;
  char *mem = grow(pages);
  stamp(mem, pages, 1);
  uint64 copies0 = vt_vmstat()->cow_copies;

  int pid = fork();
  if (pid < 0)
    fail("fork of a process with %ld MiB failed", (long)(pages * PGSIZE >> 20));
  if (pid == 0) {
    check_stamps("the child, before writing", mem, 0, pages, 1, 1);
    // A quarter of the pages: copies of all of them would not fit.
    for (uint64 i = 0; i < pages; i += 4)
      *(uint64 *)(mem + i * PGSIZE) = 2UL << 32 | i;
    check_stamps("the child, its writes", mem, 0, pages, 4, 2);
    check_stamps("the child, pages it did not write", mem, 1, pages, 2, 1);
    exit(0);
  }
  vt_reap("the child");
  uint64 copies1 = vt_vmstat()->cow_copies;
  uint64 child_writes = (pages + 3) / 4;
  // The child's writes, plus a few stack and data pages of either side.
  if (copies1 - copies0 < child_writes || copies1 - copies0 > child_writes + 16)
    fail("the child wrote %ld shared pages and %ld pages were copied", (long)child_writes,
         (long)(copies1 - copies0));
  check_stamps("the parent, after the child", mem, 0, pages, 1, 1);

  // The child is gone: every page is the parent's alone, so writing it
  // needs no copy.
  stamp(mem, pages, 3);
  uint64 copies2 = vt_vmstat()->cow_copies;
  if (copies2 != copies1)
    fail("the sole owner's writes copied %ld pages", (long)(copies2 - copies1));
  check_stamps("the parent, its writes", mem, 0, pages, 1, 3);
}

// A parent, a child and a grandchild all write the same pages at once.
static void three_generations(void)
{
  uint64 pages = vt_frames_free() / 6;
  char *mem = grow(pages);
  stamp(mem, pages, 1);
  uint64 copies0 = vt_vmstat()->cow_copies;

  int pid = fork();
  if (pid < 0)
    fail("fork failed");
  if (pid == 0) {
    int grandchild = fork();
    if (grandchild < 0)
      fail("fork in the child failed");
    if (grandchild == 0) {
      check_stamps("the grandchild, before writing", mem, 0, pages, 1, 1);
      stamp(mem, pages, 3);
      check_stamps("the grandchild, its writes", mem, 0, pages, 1, 3);
      exit(0);
    }
    stamp(mem, pages, 2);
    vt_reap("the grandchild");
    check_stamps("the child, its writes", mem, 0, pages, 1, 2);
    exit(0);
  }
  stamp(mem, pages, 4);
  vt_reap("the child");
  check_stamps("the parent, its writes", mem, 0, pages, 1, 4);
  // Three sharers per page: the first two writers copy, the last one
  // finds itself alone and takes the page over.  (On several harts, two or
  // three writers may see the page shared at the same moment and all copy.)
  uint64 copies = vt_vmstat()->cow_copies - copies0;
  if (copies < 2 * pages || copies > 3 * pages + 32)
    fail("three processes wrote %ld shared pages and %ld pages were copied", (long)pages,
         (long)copies);
}

// The kernel writes into a page that is shared copy-on-write: read() into
// it must copy it like a user write would.
static void read_into_cow(void)
{
  static char file_data[2 * PGSIZE];
  for (int i = 0; i < (int)sizeof(file_data); i++)
    file_data[i] = (char)('a' + i % 23);
  vt_write_file(FILE_NAME, file_data, sizeof(file_data));

  char *buf = grow(3);
  memset(buf, 'P', 3 * PGSIZE);
  int to_child[2];
  if (pipe(to_child) < 0)
    fail("pipe failed");

  // The child reads a file and a pipe into pages it shares with us.
  int pid = fork();
  if (pid < 0)
    fail("fork failed");
  if (pid == 0) {
    int fd = open(FILE_NAME, O_RDONLY);
    const int n = PGSIZE + 200;   // across a page boundary
    if (fd < 0 || read(fd, buf + PGSIZE - 100, n) != n)
      fail("the child cannot read %s", FILE_NAME);
    if (memcmp(buf + PGSIZE - 100, file_data, n) != 0)
      fail("read() into copy-on-write pages did not store the file's data");
    char *tail = buf + 3 * PGSIZE - 8;
    if (read(to_child[0], tail, 8) != 8 || memcmp(tail, "pipe ok", 8) != 0)
      fail("read() from a pipe into a copy-on-write page did not store the data");
    exit(0);
  }
  write(to_child[1], "pipe ok", 8);
  vt_reap("the child");
  for (int i = 0; i < 3 * PGSIZE; i++)
    if (buf[i] != 'P')
      fail("the child's read() changed the parent's byte %d", i);

  // The other way round: we read while the child holds the pages.
  pid = fork();
  if (pid < 0)
    fail("fork failed");
  if (pid == 0) {
    close(to_child[1]);
    char go;
    read(to_child[0], &go, 1);
    for (int i = 0; i < 3 * PGSIZE; i++)
      if (buf[i] != 'P')
        fail("the parent's read() changed the child's byte %d", i);
    exit(0);
  }
  int fd = open(FILE_NAME, O_RDONLY);
  if (fd < 0 || read(fd, buf, 2 * PGSIZE) != 2 * PGSIZE || memcmp(buf, file_data, 2 * PGSIZE))
    fail("read() into the parent's copy-on-write pages did not store the file's data");
  close(fd);
  write(to_child[1], "g", 1);
  vt_reap("the child");
  unlink(FILE_NAME);
}

// As many processes as fork allows (or 60), all alive at once, sharing
// pages; each writes one.
static void fork_bomb(void)
{
  const int pages = 16, most = 60;
  char *mem = grow(pages);
  stamp(mem, pages, 1);
  int hold[2];
  if (pipe(hold) < 0)
    fail("pipe failed");

  int n;
  for (n = 0; n < most; n++) {
    int pid = fork();
    if (pid < 0)
      break;
    if (pid == 0) {
      close(hold[1]);
      int mine = n % pages;
      *(uint64 *)(mem + mine * PGSIZE) = (uint64)(100 + n) << 32 | mine;
      char c;
      read(hold[0], &c, 1);   // until everyone has been forked
      check_stamps("a bomb child, its page", mem, mine, mine + 1, 1, 100 + n);
      for (int i = 0; i < pages; i++)
        if (i != mine)
          check_stamps("a bomb child, the others", mem, i, i + 1, 1, 1);
      exit(0);
    }
  }
  if (n < 2)
    fail("only %d forks succeeded", n);
  uint64 shared = vt_vmstat()->frames_shared;
  close(hold[1]);
  for (int i = 0; i < n; i++)
    vt_reap("a bomb child");
  if (shared < pages)
    fail("with %d children alive only %ld frames were shared", n, (long)shared);
  check_stamps("the parent", mem, 0, pages, 1, 1);
}

// 1000 children come and go; each shares the page while it lives.  The
// page's count must come back to one: our write then copies nothing.
static void thousand_forks(void)
{
  char *page = grow(1);
  stamp(page, 1, 7);
  for (int i = 0; i < 1000; i++) {
    int pid = fork();
    if (pid < 0)
      fail("fork %d failed", i);
    if (pid == 0)
      exit(0);
    vt_reap("a child");
  }
  check_stamps("the parent", page, 0, 1, 1, 7);
  uint64 copies0 = vt_vmstat()->cow_copies;
  stamp(page, 1, 8);
  uint64 copies1 = vt_vmstat()->cow_copies;
  if (copies1 != copies0)
    fail("after 1000 forks, writing a page no one else has copied it");
  check_stamps("the parent", page, 0, 1, 1, 8);
}

// fork copies no page: with 64 MiB resident, a fork and the child's exit
// (without writing anything) leave cow_copies where it was.
static void fork_copies_nothing(void)
{
  const uint64 pages = (64 << 20) / PGSIZE;
  char *mem = grow(pages);
  stamp(mem, pages, 1);
  struct vmstat *st = vt_vmstat();
  uint64 copies0 = st->cow_copies;

  // Neither side may write to memory until the child is gone: the child
  // exits at once, the parent only waits.
  int pid = fork();
  if (pid == 0)
    exit(0);
  if (pid < 0 || wait(0) != pid)
    fail("fork or wait failed");

  st = vt_vmstat();
  if (st->cow_copies != copies0)
    fail("a fork of %ld resident pages copied %ld of them", (long)pages,
         (long)(st->cow_copies - copies0));
  if (st->self_resident < pages)
    fail("only %ld pages resident after the fork", (long)st->self_resident);
  stamp(mem, pages, 2);
  if (vt_vmstat()->cow_copies != copies0)
    fail("after the child's exit, our writes still copied pages");
  check_stamps("the parent", mem, 0, pages, 1, 2);
}

// With memory nearly gone, fork cannot build the child's page tables: it
// must fail cleanly (taking nothing), and work again once memory is back.
static void fork_without_memory(void)
{
  uint64 free = vt_frames_free();
  // Our own page tables take a frame per 512 pages, and the reverse map
  // 24 bytes per mapped page (a frame per 170): leave room for both.
  uint64 stamped = free - free / 64 - 64, pages = stamped;
  char *mem = grow(stamped);
  stamp(mem, stamped, 1);
  // Not down to nothing: below its reserve the pager drops clean file
  // pages, our own text among them, which must have frames to come back
  // into.  64 free frames are still far from what fork needs: a page-table
  // frame per 512 pages and a reverse-map entry (24 bytes) per page.
  while (vt_frames_free() > 64) {
    char *more = grow(1);
    *more = 1;
    pages++;
  }
  uint64 left = vt_frames_free(), unheld = vt_frames_unheld();
  int pid = fork();
  if (pid == 0)
    exit(0);
  if (pid > 0)
    fail("fork of %ld resident pages succeeded with only %ld frames free", (long)pages,
         (long)left);
  if (vt_frames_unheld() != unheld)
    fail("the failed fork changed free + cached + slab frames from %ld to %ld", (long)unheld,
         (long)vt_frames_unheld());
  check_stamps("the parent, after the failed fork", mem, 0, stamped, 1, 1);
  sbrk(-(int)(pages * PGSIZE));
  pid = fork();
  if (pid < 0)
    fail("fork failed after memory was given back");
  if (pid == 0)
    exit(0);
  vt_reap("the child");
}

int main(int argc, char *argv[])
{
  vt_start("cowtest", argv[0]);
  vt_run("fork_two_thirds", fork_two_thirds);
  vt_run("three_generations", three_generations);
  vt_run("read_into_cow", read_into_cow);
  vt_run("fork_bomb", fork_bomb);
  vt_run("thousand_forks", thousand_forks);
  vt_run("fork_copies_nothing", fork_copies_nothing);
  vt_run("fork_without_memory", fork_without_memory);
  return vt_finish();
}
