// mmaptest: mmap, munmap and msync.  File mappings are filled lazily from
// the file; MAP_SHARED writes reach the file (at munmap, msync, exit and
// exec) and every process mapping it; MAP_PRIVATE writes stay private; fork
// keeps shared mappings shared and private ones copy-on-write; protections
// hold for user code and system calls alike; bad arguments are refused.
// Helper: vt_text (exec'd, to throw an address space away).
#include "user/vt_harness.h"
#include "kernel/param.h"

#define FILE_NAME "mt_file"
// Three and a quarter pages: the last page is partly past the end.
#define FILE_BYTES (3 * PGSIZE + 1000)
#define MAP_PAGES 4
#define MAP_BYTES (MAP_PAGES * PGSIZE)

static char file_buf[MAP_BYTES];

static char file_byte(int i)
{
  return (char)(i * 7 + i / PGSIZE + 1);
}

static void make_file(void)
{
  for (int i = 0; i < FILE_BYTES; i++)
    file_buf[i] = file_byte(i);
  vt_write_file(FILE_NAME, file_buf, FILE_BYTES);
}

// Reads the file into file_buf with read(); fails unless it is still
// FILE_BYTES long.
static void read_file(void)
{
  int fd = open(FILE_NAME, O_RDONLY);
  if (fd < 0)
    fail("cannot open %s", FILE_NAME);
  int n = read(fd, file_buf, sizeof(file_buf));
  close(fd);
  if (n != FILE_BYTES)
    fail("%s is %d bytes long, not %d", FILE_NAME, n, FILE_BYTES);
}

static int open_file(int mode)
{
  int fd = open(FILE_NAME, mode);
  if (fd < 0)
    fail("cannot open %s", FILE_NAME);
  return fd;
}

static char *map(uint64 len, int prot, int flags, int fd, uint64 off)
{
  char *p = mmap(0, len, prot, flags, fd, off);
  if (p == MAP_FAILED)
    fail("mmap(len %ld, prot %d, flags 0x%x, off %ld) failed", (long)len, prot, flags, (long)off);
  if ((uint64)p % PGSIZE != 0)
    fail("mmap returned %p, not page-aligned", p);
  return p;
}

static void unmap(char *p, uint64 len)
{
  if (munmap(p, len) != 0)
    fail("munmap(%p, %ld) failed", p, (long)len);
}

// Fails unless p holds the file's bytes [from, to) (zeroes past its end).
static void check_file_bytes(const char *what, const char *p, int from, int to)
{
  for (int i = from; i < to; i++) {
    char want = i < FILE_BYTES ? file_byte(i) : 0;
    if (p[i - from] != want)
      fail("%s: byte %d is %d, not %d", what, i, p[i - from], want);
  }
}

static void private_mapping(void)
{
  make_file();
  int fd = open_file(O_RDONLY);
  struct vmstat *st = vt_vmstat();
  uint64 read0 = st->file_pages_read, resident0 = st->self_resident;
  // Writable although the file is not: the writes stay private.
  char *p = map(MAP_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  close(fd);   // the mapping keeps the file
  st = vt_vmstat();
  if (st->file_pages_read != read0 || st->self_resident != resident0)
    fail("mmap itself read %ld pages and made %ld resident", (long)(st->file_pages_read - read0),
         (long)(st->self_resident - resident0));
  check_file_bytes("page 2", p + 2 * PGSIZE, 2 * PGSIZE, 3 * PGSIZE);
  if (vt_vmstat()->file_pages_read - read0 != 1)
    fail("reading one page of the mapping read %ld pages of the file",
         (long)(vt_stat.file_pages_read - read0));

  check_file_bytes("the mapping", p, 0, MAP_BYTES);   // zeroes past the end
  for (int i = 0; i < MAP_BYTES; i++)
    p[i] = (char)~p[i];
  for (int i = 0; i < MAP_BYTES; i++)
    if (p[i] != (char)~(i < FILE_BYTES ? file_byte(i) : 0))
      fail("byte %d of a private mapping did not keep what was written", i);
  // Neither the file nor its cached pages (what a new mapping sees) changed.
  fd = open_file(O_RDONLY);
  char *again = map(MAP_BYTES, PROT_READ, MAP_SHARED, fd, 0);
  close(fd);
  check_file_bytes("a new mapping after private writes", again, 0, MAP_BYTES);
  unmap(again, MAP_BYTES);
  unmap(p, MAP_BYTES);
  read_file();
  check_file_bytes("the file after private writes", file_buf, 0, FILE_BYTES);

  // At an offset into the file.
  fd = open_file(O_RDONLY);
  p = map(PGSIZE, PROT_READ, MAP_PRIVATE, fd, PGSIZE);
  close(fd);
  check_file_bytes("a mapping at offset 4096", p, PGSIZE, 2 * PGSIZE);
  unmap(p, PGSIZE);

  // Mapped, then unlinked: the mapping still reads the file.
  fd = open_file(O_RDONLY);
  p = map(MAP_BYTES, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  unlink(FILE_NAME);
  check_file_bytes("a mapping of an unlinked file", p, 0, MAP_BYTES);
  unmap(p, MAP_BYTES);
}

// Changes every page of a shared mapping, and the bytes past the file's
// end in the last page (which must not reach the file).
static void scribble(char *p, char mark)
{
  for (int page = 0; page < MAP_PAGES; page++)
    memset(p + page * PGSIZE + 100, mark + page, 50);
  memset(p + FILE_BYTES, mark, MAP_BYTES - FILE_BYTES);
}

// Fails unless file_buf holds the file with scribble(mark)'s changes.
static void check_scribbled(const char *what, char mark)
{
  for (int i = 0; i < FILE_BYTES; i++) {
    int off = i % PGSIZE;
    char want = off >= 100 && off < 150 ? mark + i / PGSIZE : file_byte(i);
    if (file_buf[i] != want)
      fail("%s: byte %d of the file is %d, not %d", what, i, file_buf[i], want);
  }
}

static void shared_writeback(void)
{
  // At munmap.
  make_file();
  int fd = open_file(O_RDWR);
  char *p = map(MAP_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  scribble(p, 'a');
  unmap(p, MAP_BYTES);
  read_file();
  check_scribbled("after munmap", 'a');

  // At msync, while still mapped; and again for writes after the msync.
  fd = open_file(O_RDWR);
  p = map(MAP_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  scribble(p, 'k');
  if (msync(p, MAP_BYTES) != 0)
    fail("msync failed");
  read_file();
  check_scribbled("after msync", 'k');
  // Writes right after an msync (which marked the pages clean) must be
  // written back again.
  scribble(p, 'q');
  if (msync(p, MAP_BYTES) != 0)
    fail("msync failed");
  scribble(p, 'u');
  if (msync(p, MAP_BYTES) != 0)
    fail("msync failed");
  read_file();
  check_scribbled("after writing right after an msync, and msync again", 'u');
  scribble(p, 'w');
  unmap(p, MAP_BYTES);
  read_file();
  check_scribbled("after writing again and munmap", 'w');

  // At exit, without munmap.
  int pid = fork();
  if (pid < 0)
    fail("fork failed");
  if (pid == 0) {
    fd = open_file(O_RDWR);
    p = map(MAP_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    scribble(p, 'A');
    exit(0);
  }
  vt_reap("the child");
  read_file();
  check_scribbled("after the writer exited", 'A');

  // At exec, which throws the old address space away.
  pid = fork();
  if (pid < 0)
    fail("fork failed");
  if (pid == 0) {
    fd = open_file(O_RDWR);
    p = map(MAP_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    scribble(p, 'E');
    char *argv[] = { "/vt_text", 0 };
    exec(argv[0], argv);
    fail("cannot exec %s", argv[0]);
  }
  vt_reap("the child");
  read_file();
  check_scribbled("after the writer called exec", 'E');
  unlink(FILE_NAME);
}

static void protections(void)
{
  make_file();
  int fd = open_file(O_RDONLY);
  if (mmap(0, MAP_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) != MAP_FAILED)
    fail("a writable shared mapping of a read-only fd succeeded");
  char *shared = map(MAP_BYTES, PROT_READ, MAP_SHARED, fd, 0);
  char *private = map(MAP_BYTES, PROT_READ, MAP_PRIVATE, fd, 0);
  char *none = map(MAP_BYTES, PROT_NONE, MAP_PRIVATE, fd, 0);
  close(fd);
  check_file_bytes("a read-only shared mapping", shared, 0, MAP_BYTES);
  check_file_bytes("a read-only private mapping", private, 0, MAP_BYTES);
  vt_expect_killed("writing to a PROT_READ shared mapping", vt_write_byte, (uint64)shared + 10);
  vt_expect_killed("writing to a PROT_READ private mapping", vt_write_byte,
                   (uint64)private + PGSIZE);
  vt_expect_killed("reading a PROT_NONE mapping", vt_read_byte, (uint64)none);
  vt_expect_killed("writing to a PROT_NONE mapping", vt_write_byte, (uint64)none + PGSIZE);
  unmap(shared, MAP_BYTES);
  unmap(private, MAP_BYTES);
  unmap(none, MAP_BYTES);
  unlink(FILE_NAME);
}

static void call(uint64 code)
{
  ((void (*)(void))code)();
}

// Code written into anonymous memory runs only if the mapping allows it.
static void exec_permission(void)
{
  const uint16 c_ret = 0x8082;   // the compressed "ret" instruction
  uint16 *code = (uint16 *)map(PGSIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  *code = c_ret;
  __asm__ volatile("fence.i");
  call((uint64)code);   // returns at once
  uint16 *data = (uint16 *)map(PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                               -1, 0);
  *data = c_ret;
  __asm__ volatile("fence.i");
  vt_expect_killed("calling code in a mapping without PROT_EXEC", call, (uint64)data);
  unmap((char *)code, PGSIZE);
  unmap((char *)data, PGSIZE);
}

static void partial_munmap(void)
{
  make_file();
  int fd = open_file(O_RDWR);
  char *p = map(MAP_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  check_file_bytes("page 1 before the split", p + PGSIZE, PGSIZE, 2 * PGSIZE);

  unmap(p + PGSIZE, PGSIZE);   // a hole in the middle
  vt_expect_killed("reading the unmapped middle page", vt_read_byte, (uint64)p + PGSIZE);
  check_file_bytes("page 0 after the split", p, 0, PGSIZE);
  check_file_bytes("pages 2-3 after the split", p + 2 * PGSIZE, 2 * PGSIZE, MAP_BYTES);
  p[0] = 'X';
  p[3 * PGSIZE] = 'Y';
  unmap(p, PGSIZE);
  read_file();
  if (file_buf[0] != 'X')
    fail("a write to the first part of a split mapping did not reach the file at its munmap");
  unmap(p + 2 * PGSIZE, 2 * PGSIZE);
  read_file();
  if (file_buf[3 * PGSIZE] != 'Y')
    fail("a write to the last part of a split mapping did not reach the file at its munmap");
  if (file_buf[PGSIZE] != file_byte(PGSIZE))
    fail("the unmapped middle page changed the file");
  unlink(FILE_NAME);

  // Anonymous memory: cut out pages 2-5 of 8; the rest keeps its data.
  const int pages = 8;
  char *anon = map(pages * PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  for (int i = 0; i < pages; i++)
    anon[i * PGSIZE] = (char)(i + 1);
  uint64 resident = vt_vmstat()->self_resident;
  unmap(anon + 2 * PGSIZE, 4 * PGSIZE);
  if (resident - vt_vmstat()->self_resident != 4)
    fail("unmapping 4 touched pages released %ld", (long)(resident - vt_stat.self_resident));
  for (int i = 0; i < pages; i++)
    if ((i < 2 || i >= 6) && anon[i * PGSIZE] != (char)(i + 1))
      fail("page %d of an anonymous mapping lost its data when others were unmapped", i);
  vt_expect_killed("writing an unmapped anonymous page", vt_write_byte, (uint64)anon + 5 * PGSIZE);
  unmap(anon, pages * PGSIZE);   // the remaining pieces, and the hole
}

static void after_munmap(void)
{
  make_file();
  int fd = open_file(O_RDWR);
  char *file = map(MAP_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  char *anon = map(MAP_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  file[0] = anon[0] = 1;
  unmap(file, MAP_BYTES);
  unmap(anon, MAP_BYTES);
  vt_expect_killed("reading an unmapped file page", vt_read_byte, (uint64)file);
  vt_expect_killed("writing an unmapped file page", vt_write_byte, (uint64)file + PGSIZE);
  vt_expect_killed("reading unmapped anonymous memory", vt_read_byte, (uint64)anon);
  vt_expect_killed("writing unmapped anonymous memory", vt_write_byte, (uint64)anon + PGSIZE);
  unlink(FILE_NAME);

  // One munmap over two mappings and the hole between them.
  char *first = (char *)0x50000000, *second = first + 3 * PGSIZE;
  const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
  if (mmap(first, 2 * PGSIZE, PROT_READ | PROT_WRITE, flags, -1, 0) != first ||
      mmap(second, 2 * PGSIZE, PROT_READ | PROT_WRITE, flags, -1, 0) != second)
    fail("MAP_FIXED mappings at %p and %p failed", first, second);
  first[0] = second[PGSIZE] = 1;
  unmap(first, 5 * PGSIZE);
  vt_expect_killed("reading the first of two unmapped mappings", vt_read_byte, (uint64)first);
  vt_expect_killed("reading the second of two unmapped mappings", vt_read_byte,
                   (uint64)second + PGSIZE);
}

// A one-byte message through a pipe, to order two processes' steps.
static void signal_to(int fd)
{
  if (write(fd, "!", 1) != 1)
    fail("pipe write failed");
}

// If the other process went away instead, it failed: a parent reports how
// (unless the child did); a process without children stops quietly, since
// whoever waits for it reports.
static void wait_on(int fd)
{
  char c;
  if (read(fd, &c, 1) == 1)
    return;
  int status = -2;
  if (wait(&status) < 0 || status == 1)
    exit(1);
  fail("the other process died (exit status %d)", status);
}

static void fork_mappings(void)
{
  make_file();
  int fd = open_file(O_RDWR);
  char *shared = map(MAP_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  char *private = map(MAP_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  close(fd);
  shared[0] = 'p';    // touched before the fork
  private[0] = 'q';
  int to_child[2], to_parent[2];
  if (pipe(to_child) < 0 || pipe(to_parent) < 0)
    fail("pipe failed");

  int pid = fork();
  if (pid < 0)
    fail("fork failed");
  if (pid == 0) {
    close(to_child[1]);
    if (shared[0] != 'p' || private[0] != 'q')
      fail("the child does not see the parent's writes from before the fork");
    shared[0] = 'c';
    shared[2 * PGSIZE] = 'C';   // first touched by anyone after the fork
    private[0] = 'x';
    private[PGSIZE] = 'y';
    signal_to(to_parent[1]);
    wait_on(to_child[0]);
    if (shared[3 * PGSIZE] != 'P')
      fail("the child does not see the parent's shared write");
    // (Byte 0 of page 3 is the parent's shared write: an untouched
    // private page shows the file as it is now.)
    if (private[3 * PGSIZE + 1] != file_byte(3 * PGSIZE + 1) || private[PGSIZE] != 'y' ||
        private[0] != 'x')
      fail("the child's private mapping changed under it");
    exit(0);
  }
  close(to_parent[1]);   // so that wait_on sees the end if the child dies
  wait_on(to_parent[0]);
  if (shared[0] != 'c' || shared[2 * PGSIZE] != 'C')
    fail("the parent does not see the child's shared writes");
  if (private[0] != 'q' || private[PGSIZE] != file_byte(PGSIZE))
    fail("the child's private writes reached the parent");
  shared[3 * PGSIZE] = 'P';
  private[3 * PGSIZE + 1] = 'w';
  signal_to(to_child[1]);
  vt_reap("the child");
  unmap(shared, MAP_BYTES);
  unmap(private, MAP_BYTES);
  read_file();
  if (file_buf[0] != 'c' || file_buf[2 * PGSIZE] != 'C' || file_buf[3 * PGSIZE] != 'P')
    fail("the shared writes did not all reach the file");
  if (file_buf[PGSIZE] != file_byte(PGSIZE))
    fail("a private write reached the file");
  unlink(FILE_NAME);
}

// Two processes that are not parent and child map the file each on its
// own: their mappings still meet in the same pages.
static void unrelated_sharing(void)
{
  make_file();
  int a_to_b[2], b_to_a[2];
  if (pipe(a_to_b) < 0 || pipe(b_to_a) < 0)
    fail("pipe failed");
  for (int who = 0; who < 2; who++) {
    int pid = fork();
    if (pid < 0)
      fail("fork failed");
    if (pid != 0)
      continue;
    // Only the pipe ends this process uses stay open, so that a read
    // sees the end if the other process dies.
    close(who == 0 ? a_to_b[0] : a_to_b[1]);
    close(who == 0 ? b_to_a[1] : b_to_a[0]);
    int fd = open_file(O_RDWR);
    char *p = map(MAP_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (who == 0) {
      strcpy(p + PGSIZE + 100, "from A");
      signal_to(a_to_b[1]);
      wait_on(b_to_a[0]);
      if (strcmp(p + 2 * PGSIZE + 7, "from B") != 0)
        fail("process A does not see B's write");
    } else {
      wait_on(a_to_b[0]);
      if (strcmp(p + PGSIZE + 100, "from A") != 0)
        fail("process B does not see A's write");
      strcpy(p + 2 * PGSIZE + 7, "from B");
      signal_to(b_to_a[1]);
    }
    exit(0);
  }
  close(a_to_b[0]);
  close(a_to_b[1]);
  close(b_to_a[0]);
  close(b_to_a[1]);
  vt_reap_all(2, "process A or B");
  read_file();
  if (strcmp(file_buf + PGSIZE + 100, "from A") != 0 ||
      strcmp(file_buf + 2 * PGSIZE + 7, "from B") != 0)
    fail("the two processes' writes did not both reach the file");
  unlink(FILE_NAME);
}

static void anonymous_memory(void)
{
  const int pages = 8;
  char *shared = map(pages * PGSIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  char *private = map(pages * PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  for (int i = 0; i < pages * PGSIZE; i += 512)
    if (shared[i] != 0 || private[i] != 0)
      fail("fresh anonymous memory is not zero at byte %d", i);
  shared[0] = 1;   // touched before the fork; the others after
  private[0] = 'a';

  int pid = fork();
  if (pid < 0)
    fail("fork failed");
  if (pid == 0) {
    for (int i = 0; i < pages; i++)
      shared[i * PGSIZE + 1] = (char)(i + 10);
    private[0] = 'b';
    exit(0);
  }
  vt_reap("the child");
  for (int i = 0; i < pages; i++)
    if (shared[i * PGSIZE + 1] != (char)(i + 10))
      fail("the child's write to shared anonymous page %d is not seen by the parent", i);
  if (private[0] != 'a')
    fail("the child's write to private anonymous memory reached the parent");

  // And the other way, to a grandchild's view: it was forked before we write.
  int to_child[2];
  if (pipe(to_child) < 0)
    fail("pipe failed");
  pid = fork();
  if (pid < 0)
    fail("fork failed");
  if (pid == 0) {
    close(to_child[1]);
    wait_on(to_child[0]);
    if (shared[5 * PGSIZE + 2] != 'z')
      fail("the parent's write to shared anonymous memory is not seen by the child");
    exit(0);
  }
  shared[5 * PGSIZE + 2] = 'z';
  signal_to(to_child[1]);
  vt_reap("the child");
  unmap(shared, pages * PGSIZE);
  unmap(private, pages * PGSIZE);
}

static void fixed_mapping(void)
{
  make_file();
  int fd = open_file(O_RDONLY);
  char *want = (char *)0x40000000;
  char *p = mmap(want, MAP_BYTES, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
  if (p != want)
    fail("mmap with MAP_FIXED at %p returned %p", want, p);
  check_file_bytes("a MAP_FIXED mapping", p, 0, MAP_BYTES);

  // MAP_FIXED over the middle of anonymous memory replaces just that part.
  char *anon = map(4 * PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memset(anon, 'm', 4 * PGSIZE);
  if (mmap(anon + PGSIZE, 2 * PGSIZE, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, PGSIZE) !=
      anon + PGSIZE)
    fail("MAP_FIXED over anonymous memory failed");
  close(fd);
  if (anon[0] != 'm' || anon[4 * PGSIZE - 1] != 'm')
    fail("MAP_FIXED changed the pages around it");
  check_file_bytes("MAP_FIXED over anonymous memory", anon + PGSIZE, PGSIZE, 3 * PGSIZE);
  unmap(p, MAP_BYTES);
  unmap(anon, 4 * PGSIZE);
  unlink(FILE_NAME);

  // The heap cannot grow over a mapping.
  char *brk = sbrk(0);
  char *above = (char *)PGROUNDUP((uint64)brk) + 16 * PGSIZE;
  if (mmap(above, PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
           0) != above)
    fail("MAP_FIXED just above the heap failed");
  *above = 'h';
  if (sbrk(32 * PGSIZE) != SBRK_ERROR)
    fail("sbrk grew the heap over a mapping");
  if (sbrk(8 * PGSIZE) != brk)
    fail("sbrk below a mapping failed");
  brk[8 * PGSIZE - 1] = 1;
  if (*above != 'h')
    fail("the mapping above the heap changed");
  sbrk(-8 * PGSIZE);
  unmap(above, PGSIZE);
}

// write() to a mapped file: the mapping shows the new bytes.
static void sees_file_writes(void)
{
  make_file();
  int fd = open_file(O_RDWR);
  char *p = map(MAP_BYTES, PROT_READ, MAP_SHARED, fd, 0);
  check_file_bytes("before write()", p, 0, MAP_BYTES);   // now cached
  const char news[] = "written with write()";
  if (write(fd, news, sizeof(news)) != sizeof(news))
    fail("write to the mapped file failed");
  close(fd);
  if (memcmp(p, news, sizeof(news)) != 0)
    fail("a shared mapping does not show bytes written to its file with write()");
  unmap(p, MAP_BYTES);
  unlink(FILE_NAME);
}

// System calls reading and writing mapped memory fault it in as user
// code would, and respect its protection.
static void syscalls_on_mappings(void)
{
  make_file();
  char other[100];
  memset(other, 'Z', sizeof(other));
  vt_write_file("mt_other", other, sizeof(other));
  int fd = open_file(O_RDWR);
  char *shared = map(MAP_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  char *private = map(MAP_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  char *readonly = map(MAP_BYTES, PROT_READ, MAP_SHARED, fd, 0);
  close(fd);

  // write() from pages nobody has touched yet.
  fd = open("mt_copy", O_CREATE | O_TRUNC | O_RDWR);
  if (fd < 0 || write(fd, shared, FILE_BYTES) != FILE_BYTES)
    fail("write() from an untouched shared mapping failed");
  close(fd);
  fd = open("mt_copy", O_RDONLY);
  if (read(fd, file_buf, FILE_BYTES) != FILE_BYTES)
    fail("cannot read mt_copy");
  close(fd);
  check_file_bytes("a copy written from the mapping", file_buf, 0, FILE_BYTES);
  unlink("mt_copy");

  // read() into a private page that is still the file's page: the kernel
  // must copy it, not write into the file's page.
  if (private[10] != file_byte(10))
    fail("the private mapping does not show the file");
  fd = open("mt_other", O_RDONLY);
  if (read(fd, private + 10, 100) != 100 || memcmp(private + 10, other, 100) != 0)
    fail("read() into a private mapping did not store the data");
  close(fd);
  check_file_bytes("a shared mapping after read() into a private one", shared, 0, PGSIZE);
  // read() into an untouched shared page: the data reaches the file.
  fd = open("mt_other", O_RDONLY);
  if (read(fd, shared + 2 * PGSIZE + 5, 100) != 100)
    fail("read() into a shared mapping failed");
  close(fd);
  // read() into a read-only mapping fails.
  fd = open("mt_other", O_RDONLY);
  if (read(fd, readonly + PGSIZE, 100) != -1)
    fail("read() into a PROT_READ mapping succeeded");
  close(fd);
  check_file_bytes("a read-only mapping after a refused read()", readonly + PGSIZE, PGSIZE,
                   2 * PGSIZE);
  unmap(shared, MAP_BYTES);
  unmap(private, MAP_BYTES);
  unmap(readonly, MAP_BYTES);
  read_file();
  if (memcmp(file_buf + 2 * PGSIZE + 5, other, 100) != 0)
    fail("read() into a shared mapping did not reach the file");
  check_file_bytes("the file after read() into a private mapping", file_buf, 0, 2 * PGSIZE);
  unlink("mt_other");
  unlink(FILE_NAME);
}

// Maps one-page mappings until mmap refuses (the kernel's tables are
// full) or `most` exist; returns how many.  They sit at base, base + 2
// pages, ...
static int map_until_full(char *base, int flags, int most)
{
  int n;
  for (n = 0; n < most; n++) {
    char *want = base + (uint64)n * 2 * PGSIZE;
    char *p = mmap(want, PGSIZE, PROT_READ | PROT_WRITE, flags | MAP_FIXED, -1, 0);
    if (p == MAP_FAILED)
      break;
    if (p != want)
      fail("MAP_FIXED at %p returned %p", want, p);
    *p = (char)n;
  }
  for (int i = 0; i < n; i++)
    if (base[(uint64)i * 2 * PGSIZE] != (char)i)
      fail("mapping %d of %d lost its data", i, n);
  return n;
}

// Running out of the kernel's region and memory-object tables: mmap fails
// cleanly; what needs a region to split a mapping fails, or works, but does
// not half-happen.
static void many_mappings(void)
{
  const int most = 4000, flags = MAP_PRIVATE | MAP_ANONYMOUS;
  char *base = (char *)0x100000000;
  make_file();
  char *cut = map(3 * PGSIZE, PROT_READ | PROT_WRITE, flags, -1, 0);
  char *cover = map(3 * PGSIZE, PROT_READ | PROT_WRITE, flags, -1, 0);
  memset(cut, 't', 3 * PGSIZE);
  memset(cover, 't', 3 * PGSIZE);

  int n = map_until_full(base, flags, most);
  if (n < 100)
    fail("only %d one-page mappings could be made", n);
  if (n < most) {
    if (mmap(cover + PGSIZE, PGSIZE, PROT_READ, flags | MAP_FIXED, -1, 0) == MAP_FAILED &&
        cover[PGSIZE] != 't')
      fail("a MAP_FIXED mmap that failed (no free region) destroyed the data under it");
    int unmapped = munmap(cut + PGSIZE, PGSIZE) == 0;
    int fd = open_file(O_RDONLY);
    int still_mapped = read(fd, cut + PGSIZE, 1) == 1;
    close(fd);
    if (unmapped && still_mapped)
      fail("munmap of a mapping's middle page (no free region) returned 0, "
           "but the page is still mapped");
  }
  if (munmap(base, (uint64)n * 2 * PGSIZE) != 0)
    fail("munmap of %d mappings failed", n);
  unmap(cut, 3 * PGSIZE);
  unmap(cover, 3 * PGSIZE);

  n = map_until_full(base, MAP_SHARED | MAP_ANONYMOUS, most);
  if (n < 20)
    fail("only %d shared anonymous mappings could be made", n);
  if (munmap(base, (uint64)n * 2 * PGSIZE) != 0)
    fail("munmap of %d shared mappings failed", n);
  vt_expect_killed("reading an unmapped page", vt_read_byte, (uint64)base);
  unlink(FILE_NAME);
}

static void bad_arguments(void)
{
  make_file();
  int rdonly = open_file(O_RDONLY), wronly = open_file(O_WRONLY), rdwr = open_file(O_RDWR);
  int dir = open(".", O_RDONLY), console = open("/console", O_RDWR), pipes[2];
  if (dir < 0 || console < 0 || pipe(pipes) < 0)
    fail("cannot open the test files");
  const int rw = PROT_READ | PROT_WRITE;
  struct {
    const char *what;
    void *addr;
    uint64 len;
    int prot, flags, fd;
    uint64 off;
  } bad[] = {
    { "fd -1", 0, PGSIZE, PROT_READ, MAP_PRIVATE, -1, 0 },
    { "an unopened fd", 0, PGSIZE, PROT_READ, MAP_PRIVATE, NOFILE - 1, 0 },
    { "fd 1000", 0, PGSIZE, PROT_READ, MAP_PRIVATE, 1000, 0 },
    { "a write-shared read-only fd", 0, PGSIZE, rw, MAP_SHARED, rdonly, 0 },
    { "a write-only fd", 0, PGSIZE, PROT_READ, MAP_PRIVATE, wronly, 0 },
    { "a directory", 0, PGSIZE, PROT_READ, MAP_PRIVATE, dir, 0 },
    { "a device", 0, PGSIZE, PROT_READ, MAP_SHARED, console, 0 },
    { "a pipe", 0, PGSIZE, PROT_READ, MAP_PRIVATE, pipes[0], 0 },
    { "an unaligned offset", 0, PGSIZE, PROT_READ, MAP_PRIVATE, rdwr, 100 },
    { "length 0", 0, 0, PROT_READ, MAP_PRIVATE, rdwr, 0 },
    { "length 2^40", 0, 1UL << 40, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0 },
    { "length -4096", 0, -(uint64)PGSIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0 },
    { "MAP_FIXED into kernel space", (void *)0x3ffffff000, 2 * PGSIZE, rw,
      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0 },
    { "MAP_FIXED far above user space", (void *)0xffffffc000000000, PGSIZE, rw,
      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0 },
    { "MAP_FIXED at 0", 0, PGSIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0 },
    { "MAP_FIXED unaligned", (void *)0x40000010, PGSIZE, rw,
      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0 },
    { "an unknown flag", 0, PGSIZE, PROT_READ, MAP_PRIVATE | 0x1000, rdwr, 0 },
    { "neither shared nor private", 0, PGSIZE, PROT_READ, 0, rdwr, 0 },
    { "both shared and private", 0, PGSIZE, PROT_READ, MAP_SHARED | MAP_PRIVATE, rdwr, 0 },
    { "an unknown protection bit", 0, PGSIZE, PROT_READ | 0x10, MAP_PRIVATE, rdwr, 0 },
  };
  uint64 resident = vt_vmstat()->self_resident;
  for (int i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++)
    if (mmap(bad[i].addr, bad[i].len, bad[i].prot, bad[i].flags, bad[i].fd, bad[i].off) !=
        MAP_FAILED)
      fail("mmap with %s succeeded", bad[i].what);
  if (vt_vmstat()->self_resident != resident)
    fail("failed mmaps changed the resident pages");

  char *p = map(PGSIZE, rw, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (munmap(p + 1, PGSIZE) != -1 || munmap(p, 0) != -1 || msync(p + 8, PGSIZE) != -1 ||
      msync(p, 0) != -1)
    fail("munmap or msync took an unaligned address or length 0");
  if (munmap((char *)0x3ffffff000, 2 * PGSIZE) != -1)
    fail("munmap of a range reaching into kernel space succeeded");
  unmap(p, PGSIZE);
  if (munmap(p, PGSIZE) != 0)
    fail("munmap of a range with nothing mapped failed");
  unlink(FILE_NAME);
}

int main(int argc, char *argv[])
{
  vt_start("mmaptest", argv[0]);
  vt_run("private_mapping", private_mapping);
  vt_run("shared_writeback", shared_writeback);
  vt_run("protections", protections);
  vt_run("exec_permission", exec_permission);
  vt_run("partial_munmap", partial_munmap);
  vt_run("after_munmap", after_munmap);
  vt_run("fork_mappings", fork_mappings);
  vt_run("unrelated_sharing", unrelated_sharing);
  vt_run("anonymous_memory", anonymous_memory);
  vt_run("fixed_mapping", fixed_mapping);
  vt_run("sees_file_writes", sees_file_writes);
  vt_run("syscalls_on_mappings", syscalls_on_mappings);
  vt_run("many_mappings", many_mappings);
  vt_run("bad_arguments", bad_arguments);
  return vt_finish();
}
