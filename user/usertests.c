// usertests: the kernel's test suite, run as a user program on the kernel
// it tests.
//
//   usertests             run every test but filldisk
//   usertests -q          skip the slow tests (marked SLOW in the table)
//   usertests filldisk    fill the disk (minutes on the default 200,000-block
//                         image: run it on a small one, see docs/testing.md)
//   usertests -t          also print how many ticks each test took
//   usertests -s          skip the check that a test's frames came back,
//                         for a run beside programs that use memory too
//   usertests NAME...     run only the named tests
//
// Every test runs in a child process of its own, so a test that crashes,
// or that the kernel kills, cannot take the others with it.  A test
// reports a problem by calling fail(), which prints "FAIL name: reason"
// and ends the test process.  The runner prints "PASS name" when the test
// process exits with status 0 and all the physical frames it used are
// free again (vmstat's frames_free, plus the frames the kernel may give back
// at any time: clean pages in the page cache and slab frames, is back
// where it was before the test; see vt_frames_unheld in vt_harness.h),
// and a FAIL line itself when the test was killed, exited with another
// status, or leaked frames.  Nothing else prints a line starting with PASS
// or FAIL: test harnesses count those lines.
//
// Tests that use the file system work in a directory of their own under
// "/", removed at the end (and at the start, in case a crashed run left it).
//
// The file, in order: reporting; helpers; copying to and from user
// memory; processes; pipes; memory (sbrk, lazy allocation, the stack,
// faults); exec; the file system; odds and ends; the test table and the
// runner.  docs/testing.md lists what each test asserts.
#include <stdarg.h>
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "kernel/elf.h"
#include "kernel/memlayout.h"
#include "kernel/vmstat.h"
#include "kernel/lib/lib.h"
#include "user/user.h"

#define KiB 1024
#define MiB (1024 * 1024)

// ---------------------------------------------------------------------------
// Reporting

// What a test process exits with after printing its own FAIL line.  It
// fits in a byte, so it survives a kernel that cuts exit statuses short.
#define TEST_FAILED 125

static const char *test_name;   // the test this process is running
static int test_pid;            // the process that runs it (its children have others)

struct text {
  char buf[256];
  int len;
};

static void text_put(void *ctx, char c)
{
  struct text *t = ctx;
  if (t->len < (int)sizeof(t->buf) - 1)
    t->buf[t->len++] = c;
}

static void text_format(struct text *t, const char *fmt, va_list ap)
{
  t->len = 0;
  vformat(text_put, t, fmt, ap);
  t->buf[t->len] = 0;
}

// Prints one line with a single write, so that lines from several
// processes (or harts) do not mix.
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
  struct text t;
  va_list ap;
  va_start(ap, fmt);
  text_format(&t, fmt, ap);
  va_end(ap);
  if (t.len > 0 && t.buf[t.len - 1] != '\n')
    t.buf[t.len++] = '\n';
  write(1, t.buf, t.len);
}

// Ends the test as failed.  Called in a helper process of a test, it only
// explains why that process failed (its exit status 1 tells the test).
static void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
  struct text reason;
  va_list ap;
  va_start(ap, fmt);
  text_format(&reason, fmt, ap);
  va_end(ap);
  reason.buf[160] = 0;
  if (test_name != 0 && getpid() == test_pid) {
    say("FAIL %s: %s", test_name, reason.buf);
    exit(TEST_FAILED);
  }
  say("usertests: %s: pid %d: %s", test_name ? test_name : "runner", getpid(), reason.buf);
  exit(1);
}

// ---------------------------------------------------------------------------
// Helpers for processes

static int xfork(void)
{
  int pid = fork();
  if (pid < 0)
    fail("fork failed");
  return pid;
}

// Waits for the child pid, which must be the only one; returns its status.
static int wait_for(int pid)
{
  int status = 0;
  int got = wait(&status);
  if (got != pid)
    fail("wait returned %d, expected child %d", got, pid);
  return status;
}

// Waits for any of the n children in pids[]; returns its index, with its
// exit status in *status.
static int wait_one_of(const int *pids, int n, int *status)
{
  int pid = wait(status);
  for (int i = 0; i < n; i++)
    if (pids[i] == pid)
      return i;
  fail("wait returned %d, not one of the %d children", pid, n);
}

// Runs fn in a child process; returns the child's exit status.
static int run_child(void (*fn)(void))
{
  int pid = xfork();
  if (pid == 0) {
    fn();
    exit(0);
  }
  return wait_for(pid);
}

static void expect_killed(void (*fn)(void), const char *what)
{
  int status = run_child(fn);
  if (status != -1)
    fail("%s: the child exited with status %d, expected to be killed (-1)", what, status);
}

static void xpipe(int p[2])
{
  if (pipe(p) < 0)
    fail("pipe failed");
}

// The lowest free file descriptor (found by taking it).
static int lowest_free_fd(void)
{
  int fd = dup(0);
  if (fd < 0)
    fail("dup failed");
  close(fd);
  return fd;
}

// What the child exits with when exec returns, i.e. fails.
#define EXEC_FAILED 99

// Runs path with argv in a child whose standard output goes to out
// (NUL-terminated, at most size - 1 bytes; 0 to leave stdout alone).
// Returns the child's exit status: EXEC_FAILED if exec failed.
static int run_program(const char *path, char **argv, char *out, int size)
{
  int p[2];
  if (out)
    xpipe(p);
  int pid = xfork();
  if (pid == 0) {
    if (out) {
      close(1);
      dup(p[1]);
      close(p[0]);
      close(p[1]);
    }
    exec(path, argv);
    exit(EXEC_FAILED);
  }
  if (out) {
    close(p[1]);
    int len = 0, n;
    while (len < size - 1 && (n = read(p[0], out + len, size - 1 - len)) > 0)
      len += n;
    out[len] = 0;
    close(p[0]);
  }
  return wait_for(pid);
}

static void expect_exec_fails(const char *path, char **argv, const char *what)
{
  int status = run_program(path, argv, 0, 0);
  if (status != EXEC_FAILED)
    fail("exec with %s did not fail (child status %d)", what, status);
}

static uint64 free_frames(void)
{
  static struct vmstat st;
  // Written first, so that copy-on-write copies of st's pages (after
  // fork) are made before the count, not by the count's own copyout.
  memset(&st, 0, sizeof(st));
  if (vmstat(&st) < 0)
    fail("vmstat failed");
  return st.frames_free + st.cached_pages + st.slab_frames;
}

// ---------------------------------------------------------------------------
// Helpers for data and files

// The byte at offset off of the test stream numbered seed.  Every 4-byte
// group looks different, so a block that lands in the wrong place shows.
static uchar pattern_byte(uint seed, uint off)
{
  uint x = (off / 4) * 0x9E3779B1u + seed * 0x85EBCA77u;
  x ^= x >> 15;
  x *= 0x2C1B3C6Du;
  x ^= x >> 12;
  return (uchar)(x >> (8 * (off % 4)));
}

static void fill_pattern(char *buf, uint seed, uint off, uint n)
{
  for (uint i = 0; i < n; i++)
    buf[i] = (char)pattern_byte(seed, off + i);
}

// Fails the test unless buf holds bytes [off, off + n) of stream seed.
static void check_pattern(const char *buf, uint seed, uint off, uint n, const char *what)
{
  for (uint i = 0; i < n; i++)
    if ((uchar)buf[i] != pattern_byte(seed, off + i))
      fail("%s: wrong byte at offset %d: 0x%x, expected 0x%x", what, off + i,
           (uchar)buf[i], pattern_byte(seed, off + i));
}

static uint rand_state = 12345;

static uint rnd(void)
{
  rand_state = rand_state * 1664525u + 1013904223u;
  return rand_state >> 8;
}

static int xopen(const char *path, int mode)
{
  int fd = open(path, mode);
  if (fd < 0)
    fail("open %s failed", path);
  return fd;
}

static void xwrite(int fd, const void *buf, int n, const char *what)
{
  int r = write(fd, buf, n);
  if (r != n)
    fail("%s: write of %d bytes returned %d", what, n, r);
}

// Reads exactly n bytes (a pipe may deliver them in pieces).
static void read_fully(int fd, char *buf, int n, const char *what)
{
  for (int done = 0; done < n;) {
    int r = read(fd, buf + done, n - done);
    if (r <= 0)
      fail("%s: read returned %d after %d of %d bytes", what, r, done, n);
    done += r;
  }
}

static void write_file(const char *path, const void *data, int n)
{
  int fd = xopen(path, O_CREATE | O_TRUNC | O_WRONLY);
  xwrite(fd, data, n, path);
  close(fd);
}

// Reads all of path into buf (at most size bytes); returns the length.
static int read_file(const char *path, char *buf, int size)
{
  int fd = xopen(path, O_RDONLY);
  int len = 0, n;
  while (len < size && (n = read(fd, buf + len, size - len)) > 0)
    len += n;
  close(fd);
  return len;
}

static void xstat(const char *path, struct stat *st)
{
  if (stat(path, st) < 0)
    fail("stat %s failed", path);
}

static void xmkdir(const char *path)
{
  if (mkdir(path) < 0)
    fail("mkdir %s failed", path);
}

static void xunlink(const char *path)
{
  if (unlink(path) < 0)
    fail("unlink %s failed", path);
}

// dir/name, with name at most DIRSIZ characters and maybe not terminated.
static void join_path(char *out, const char *dir, const char *name)
{
  int n = strlen(dir);
  memmove(out, dir, n);
  out[n++] = '/';
  for (int i = 0; i < DIRSIZ && name[i]; i++)
    out[n++] = name[i];
  out[n] = 0;
}

// Formats "dir/prefix<number>" into out.
static void numbered_path(char *out, const char *dir, const char *prefix, int number)
{
  char name[DIRSIZ + 1];
  int n = strlen(prefix);
  memmove(name, prefix, n);
  char digits[12];
  int nd = 0;
  do {
    digits[nd++] = (char)('0' + number % 10);
    number /= 10;
  } while (number > 0);
  while (nd > 0)
    name[n++] = digits[--nd];
  name[n] = 0;
  join_path(out, dir, name);
}

static int is_dot_or_dotdot(const char *name)
{
  return strncmp(name, ".", DIRSIZ) == 0 || strncmp(name, "..", DIRSIZ) == 0;
}

// Removes path and, if it is a directory, everything below it.
static void remove_tree(const char *path)
{
  struct stat st;
  if (stat(path, &st) < 0)
    return;
  if (st.type == T_DIR) {
    int fd = open(path, O_RDONLY);
    struct dirent de;
    while (fd >= 0 && read(fd, &de, sizeof(de)) == sizeof(de)) {
      if (de.inum == 0 || is_dot_or_dotdot(de.name))
        continue;
      char child[MAXPATH];
      join_path(child, path, de.name);
      remove_tree(child);
    }
    close(fd);
  }
  unlink(path);
}

// An empty directory for a test; whatever an earlier, crashed run left
// there is removed first.
static void fresh_dir(const char *path)
{
  remove_tree(path);
  xmkdir(path);
}

// Removes a test's directory, which must then be gone.
static void remove_dir(const char *path)
{
  remove_tree(path);
  struct stat st;
  if (stat(path, &st) == 0)
    fail("could not remove %s", path);
}

// Counts the live entries of a directory, "." and ".." excluded.
static int count_entries(const char *path)
{
  int fd = xopen(path, O_RDONLY);
  struct dirent de;
  int n = 0;
  while (read(fd, &de, sizeof(de)) == sizeof(de))
    if (de.inum != 0 && !is_dot_or_dotdot(de.name))
      n++;
  close(fd);
  return n;
}

// ---------------------------------------------------------------------------
// Addresses that no system call may read or write for a user program

static const uint64 bad_addresses[] = {
  0,                       // page 0: never mapped
  USER_STACK_TOP,          // the unmapped page above the stack
  MAXVA - 1,               // the last user byte (in that page)
  MAXVA,                   // the first address past user space
  0xffffffc080000000UL,    // kernel: the direct map of RAM
  0xffffffff80000000UL,    // kernel: its own image
  0xffffffffffffffffUL,
};
#define NBAD ((int)(sizeof(bad_addresses) / sizeof(bad_addresses[0])))

// Ranges that start in mapped memory (the stack's top page) or just below
// MAXVA and run past the top of user space.
#define STRADDLE_STACK_TOP ((void *)(USER_STACK_TOP - 16))
#define STRADDLE_MAXVA ((void *)(MAXVA - 16))
#define STRADDLE_LEN 64

// Grows the heap so that the break is page-aligned and returns it: the
// bytes below it are mapped, the bytes from it on are not.
static char *heap_edge(void)
{
  uint64 top = (uint64)sbrk(0);
  uint64 edge = PGROUNDUP(top) + PGSIZE;
  if (sbrk((int)(edge - top)) == SBRK_ERROR)
    fail("sbrk failed");
  return (char *)edge;
}

static char *echo_argv[] = { "echo", "x", 0 };

// ---------------------------------------------------------------------------
// Copying from and to user memory

// System calls that read user memory fail on bad pointers, and write nothing.
static void test_copyin(void)
{
  fresh_dir("/ut_copyin");
  int fd = xopen("/ut_copyin/f", O_CREATE | O_RDWR);
  int p[2];
  xpipe(p);
  for (int i = 0; i < NBAD; i++) {
    void *a = (void *)bad_addresses[i];
    if (write(fd, a, 16) != -1)
      fail("write to a file from %p did not fail", a);
    if (write(p[1], a, 16) != -1)
      fail("write to a pipe from %p did not fail", a);
    if (open(a, O_RDONLY) != -1 || open(a, O_CREATE | O_RDWR) != -1)
      fail("open with path %p did not fail", a);
    if (mkdir(a) != -1 || chdir(a) != -1 || unlink(a) != -1 || mknod(a, 1, 0) != -1)
      fail("mkdir/chdir/unlink/mknod with path %p did not fail", a);
    if (link(a, "/ut_copyin/g") != -1 || link("/ut_copyin/f", a) != -1)
      fail("link with path %p did not fail", a);
  }
  if (write(fd, STRADDLE_STACK_TOP, STRADDLE_LEN) != -1 ||
      write(fd, STRADDLE_MAXVA, STRADDLE_LEN) != -1)
    fail("write to a file from a range past the top of user space did not fail");
  if (write(p[1], STRADDLE_STACK_TOP, STRADDLE_LEN) != -1 ||
      write(p[1], STRADDLE_MAXVA, STRADDLE_LEN) != -1)
    fail("write to a pipe from a range past the top of user space did not fail");

  // Paths without a NUL: one running into an unmapped page, one too long.
  char *edge = heap_edge();
  memset(edge - 8, 'a', 8);
  if (open(edge - 8, O_CREATE | O_RDWR) != -1 || mkdir(edge - 8) != -1)
    fail("a path running into an unmapped page was accepted");
  static char long_path[MAXPATH + 8];
  memset(long_path, 'a', sizeof(long_path) - 1);
  if (open(long_path, O_CREATE | O_RDWR) != -1)
    fail("a path longer than MAXPATH was accepted");

  struct stat st;
  if (fstat(fd, &st) < 0 || st.size != 0)
    fail("failed writes changed the file (size %d)", (int)st.size);
  close(p[1]);
  char c;
  if (read(p[0], &c, 1) != 0)
    fail("failed writes put bytes into the pipe");
  close(p[0]);
  close(fd);
  if (count_entries("/ut_copyin") != 1)
    fail("failed calls created directory entries");
  remove_dir("/ut_copyin");
}

static char first_byte(const char *path)
{
  char c;
  int fd = xopen(path, O_RDONLY);
  if (read(fd, &c, 1) != 1)
    fail("cannot read %s", path);
  close(fd);
  return c;
}

// A write whose source runs from the heap into an unmapped page fails,
// but the bytes before the fault have reached the file's block (as in
// xv6): they must be on disk as well as in the buffer cache, so the file
// reads the same after its block has left the cache.
static void test_partialwrite(void)
{
  fresh_dir("/ut_partial");
  write_file("/ut_partial/f", "A", 1);
  char *edge = heap_edge();
  edge[-1] = 'X';
  int fd = xopen("/ut_partial/f", O_RDWR);
  if (write(fd, edge - 1, 2) != -1)
    fail("a write running into an unmapped page did not fail");
  close(fd);
  char cached = first_byte("/ut_partial/f");
  // Push every block of the file out of the cache.
  static char block[BSIZE];
  fd = xopen("/ut_partial/flush", O_CREATE | O_RDWR);
  for (int i = 0; i < 2 * NBUF; i++)
    xwrite(fd, block, sizeof(block), "the flush file");
  close(fd);
  char on_disk = first_byte("/ut_partial/f");
  if (cached != 'X' || on_disk != 'X')
    fail("after a write that failed part-way the file read '%c', then '%c' once out of "
         "the cache; want 'X' both times", cached, on_disk);
  remove_tree("/ut_partial");
}

// System calls that write user memory fail on bad pointers.
static void test_copyout(void)
{
  fresh_dir("/ut_copyout");
  static char content[64];
  fill_pattern(content, 1, 0, sizeof(content));
  write_file("/ut_copyout/f", content, sizeof(content));
  int fd = xopen("/ut_copyout/f", O_RDONLY);
  for (int i = 0; i < NBAD; i++) {
    void *a = (void *)bad_addresses[i];
    if (read(fd, a, 16) != -1)
      fail("read from a file into %p did not fail", a);
    int p[2];
    xpipe(p);
    xwrite(p[1], content, 16, "pipe");
    if (read(p[0], a, 16) != -1)
      fail("read from a pipe into %p did not fail", a);
    close(p[0]);
    close(p[1]);
    int lowest = lowest_free_fd();
    if (pipe(a) != -1)
      fail("pipe(%p) did not fail", a);
    if (lowest_free_fd() != lowest)
      fail("a failed pipe(%p) left descriptors open", a);
    if (fstat(fd, a) != -1)
      fail("fstat into %p did not fail", a);
    if (vmstat(a) != -1)
      fail("vmstat into %p did not fail", a);
    if (a == 0)
      continue;   // wait(0) means "no status wanted"
    int pid = xfork();
    if (pid == 0)
      exit(7);
    if (wait(a) != -1)
      fail("wait with status pointer %p did not fail", a);
    // The failed wait may or may not have reaped the child (xv6 keeps it,
    // Linux does not), but it must not be left half-reaped.
    int status = 0;
    int got = wait(&status);
    if (got != -1 && (got != pid || status != 7))
      fail("after a failed wait(%p), wait returned %d with status %d", a, got, status);
  }
  if (read(fd, STRADDLE_STACK_TOP, STRADDLE_LEN) != -1 ||
      read(fd, STRADDLE_MAXVA, STRADDLE_LEN) != -1)
    fail("read into a range past the top of user space did not fail");

  // Text is read-only: reading into it fails and leaves it alone.
  char *text = (char *)(uint64)test_copyout;
  char before[16];
  memmove(before, text, sizeof(before));
  if (read(fd, text, sizeof(before)) != -1)
    fail("read into program text did not fail");
  if (memcmp(before, text, sizeof(before)) != 0)
    fail("read into program text changed it");

  // Failed reads did not move the offset.
  char buf[sizeof(content)];
  if (read(fd, buf, sizeof(buf)) != sizeof(buf))
    fail("the file could not be read after the failed reads");
  check_pattern(buf, 1, 0, sizeof(buf), "file after failed reads");
  close(fd);
  remove_dir("/ut_copyout");
}

// Copies into memory that is not there yet: lazily allocated heap, and
// pages shared copy-on-write after fork, which a copy into must unshare.
static char cow_buffer[2 * PGSIZE];

static void test_copylazy(void)
{
  fresh_dir("/ut_copylazy");
  static char data[64 * KiB];
  fill_pattern(data, 2, 0, sizeof(data));
  write_file("/ut_copylazy/f", data, sizeof(data));

  char *fresh = sbrk(sizeof(data));
  if (fresh == SBRK_ERROR)
    fail("sbrk failed");
  int fd = xopen("/ut_copylazy/f", O_RDONLY);
  if (read(fd, fresh, sizeof(data)) != sizeof(data))
    fail("read into untouched heap memory failed");
  close(fd);
  check_pattern(fresh, 2, 0, sizeof(data), "read into untouched heap");

  // Writing untouched memory out writes zeros.
  char *zeros = sbrk(8 * KiB);
  write_file("/ut_copylazy/z", zeros, 8 * KiB);
  if (read_file("/ut_copylazy/z", data, sizeof(data)) != 8 * KiB)
    fail("the file written from untouched memory has the wrong size");
  for (int i = 0; i < 8 * KiB; i++)
    if (data[i] != 0)
      fail("untouched heap memory did not read as zeros");

  // A read() by the child into a page it shares with its parent.
  memset(cow_buffer, 'P', sizeof(cow_buffer));
  int p[2];
  xpipe(p);
  int pid = xfork();
  if (pid == 0) {
    close(p[1]);
    read_fully(p[0], cow_buffer + 100, PGSIZE, "read into a copy-on-write page");
    for (int i = 0; i < PGSIZE; i++)
      if (cow_buffer[100 + i] != 'C')
        fail("read into a copy-on-write page delivered wrong bytes");
    exit(0);
  }
  close(p[0]);
  static char cs[PGSIZE];
  memset(cs, 'C', sizeof(cs));
  xwrite(p[1], cs, sizeof(cs), "pipe");
  close(p[1]);
  if (wait_for(pid) != 0)
    fail("the child's read into a copy-on-write page failed");
  for (uint i = 0; i < sizeof(cow_buffer); i++)
    if (cow_buffer[i] != 'P')
      fail("the child's read() changed its parent's copy-on-write page");

  // And the parent's read() from a file while the child still shares the page.
  int go[2];
  xpipe(go);
  pid = xfork();
  if (pid == 0) {
    char c;
    close(go[1]);
    read(go[0], &c, 1);   // returns at EOF, once the parent has read
    for (uint i = 0; i < sizeof(cow_buffer); i++)
      if (cow_buffer[i] != 'P')
        fail("the parent's read() changed its child's copy-on-write page");
    exit(0);
  }
  close(go[0]);
  fd = xopen("/ut_copylazy/f", O_RDONLY);
  if (read(fd, cow_buffer, PGSIZE) != PGSIZE)
    fail("read from a file into a shared copy-on-write page failed");
  close(fd);
  check_pattern(cow_buffer, 2, 0, PGSIZE, "read into a shared copy-on-write page");
  close(go[1]);
  if (wait_for(pid) != 0)
    fail("the child saw its page change");
  remove_dir("/ut_copylazy");
}

// ---------------------------------------------------------------------------
// Processes: fork, exit, wait, kill

static void test_exitstatus(void)
{
  static const int statuses[] = { 0, 1, 42, 255, 256, -1, -2, 0x7fffffff, -0x7fffffff - 1 };
  int n = sizeof(statuses) / sizeof(statuses[0]);
  int pids[sizeof(statuses) / sizeof(statuses[0])];
  for (int i = 0; i < n; i++) {
    pids[i] = xfork();
    if (pids[i] == 0) {
      pause(i % 3);   // exit in an order unlike the forks'
      exit(statuses[i]);
    }
  }
  for (int reaped = 0; reaped < n; reaped++) {
    int status;
    int i = wait_one_of(pids, n, &status);
    if (status != statuses[i])
      fail("a child exited with %d but wait reported %d", statuses[i], status);
    pids[i] = 0;
  }
  // A null status pointer is allowed.
  int pid = xfork();
  if (pid == 0)
    exit(3);
  if (wait(0) != pid)
    fail("wait(0) did not return the child");
}

static void test_waitnochild(void)
{
  if (wait(0) != -1)
    fail("wait without children did not return -1");
  int pid = xfork();
  if (pid == 0)
    exit(0);
  wait_for(pid);
  int status = 1234;
  if (wait(&status) != -1 || wait(0) != -1)
    fail("wait after the only child was reaped did not return -1");
  if (status != 1234)
    fail("a failed wait wrote the status");
}

// Forks, retrying for up to two seconds while the process table is full.
static int fork_patiently(void)
{
  for (int tries = 0; tries < 200; tries++) {
    int pid = fork();
    if (pid >= 0)
      return pid;
    pause(1);
  }
  fail("fork kept failing: orphans are not reaped, or slots leak");
}

// Orphans are reparented to init, which reaps them: if it did not, these
// would fill the process table.
static void test_orphans(void)
{
  for (int i = 0; i < 2 * NPROC; i++) {
    int pid = fork_patiently();
    if (pid == 0) {
      if (fork_patiently() == 0) {
        pause(i % 2);
        exit(0);
      }
      exit(0);
    }
    if (wait_for(pid) != 0)
      fail("a child failed");
  }
  if (wait(0) != -1)
    fail("an orphan was given to its grandparent, not to init");

  // An orphan goes on running after its parent has gone.
  int p[2];
  xpipe(p);
  int pid = xfork();
  if (pid == 0) {
    if (fork_patiently() == 0) {
      pause(5);
      write(p[1], "alive", 5);
      exit(0);
    }
    exit(0);
  }
  close(p[1]);
  wait_for(pid);
  char buf[8];
  if (read(p[0], buf, sizeof(buf)) != 5 || memcmp(buf, "alive", 5) != 0)
    fail("an orphan did not run on after its parent exited");
  close(p[0]);
  // Let init reap the last orphans before the runner counts frames.
  pause(5);
}

// Fork until the process table is full: fork fails cleanly, and every
// slot comes back.
static void test_forkfull(void)
{
  int p[2];
  xpipe(p);
  int n = 0;
  for (;;) {
    int pid = fork();
    if (pid < 0)
      break;
    if (pid == 0) {
      char c;
      close(p[1]);
      read(p[0], &c, 1);   // wait until the table is full
      exit(0);
    }
    if (++n > NPROC)
      fail("more than NPROC (%d) forks succeeded", NPROC);
  }
  if (n == 0)
    fail("no fork succeeded");
  close(p[1]);
  for (int i = 0; i < n; i++) {
    int status;
    if (wait(&status) < 0 || status != 0)
      fail("child %d of %d: wait failed or status %d", i, n, status);
  }
  if (wait(0) != -1)
    fail("more children than forks");
  close(p[0]);
  int pid = xfork();
  if (pid == 0)
    exit(0);
  wait_for(pid);
}

static void kill_and_expect_death(int pid, const char *what)
{
  if (kill(pid) != 0)
    fail("kill of a %s failed", what);
  int start = uptime();
  int status = wait_for(pid);
  if (status != -1)
    fail("a killed %s exited with status %d, not -1", what, status);
  if (uptime() - start > 300)
    fail("a killed %s took %d ticks to die", what, uptime() - start);
}

static void test_killspin(void)
{
  int p[2];
  xpipe(p);
  int pid = xfork();
  if (pid == 0) {
    write(p[1], "r", 1);
    for (volatile int i = 0;; i++)
      ;
  }
  char c;
  if (read(p[0], &c, 1) != 1)
    fail("the child did not start");
  pause(2);   // let it spin through a few timer ticks
  kill_and_expect_death(pid, "spinning child");
  close(p[0]);
  close(p[1]);
}

// Children blocked in the kernel in different ways are killed.
static void test_killblocked(void)
{
  int p[2];
  xpipe(p);

  int pid = xfork();
  if (pid == 0) {
    char c;
    read(p[0], &c, 1);   // nobody writes
    exit(0);
  }
  pause(3);
  kill_and_expect_death(pid, "child blocked in pipe read");

  pid = xfork();
  if (pid == 0) {
    static char block[4 * KiB];
    for (;;)
      write(p[1], block, sizeof(block));   // nobody reads: fills, then blocks
  }
  pause(3);
  kill_and_expect_death(pid, "child blocked in pipe write");
  close(p[0]);
  close(p[1]);

  pid = xfork();
  if (pid == 0) {
    pause(10000);
    exit(0);
  }
  pause(3);
  kill_and_expect_death(pid, "child in pause");

  // A child waiting for a grandchild that blocks on a pipe.
  xpipe(p);
  pid = xfork();
  if (pid == 0) {
    if (xfork() == 0) {
      char c;
      close(p[1]);
      read(p[0], &c, 1);
      exit(0);
    }
    wait(0);
    exit(0);
  }
  pause(3);
  kill_and_expect_death(pid, "child in wait");
  close(p[0]);
  close(p[1]);   // the orphaned grandchild sees EOF and exits
  pause(5);
}

static void test_killbad(void)
{
  if (kill(-1) != -1 || kill(0) != -1 || kill(1000000) != -1)
    fail("kill of a pid that never existed did not fail");
  int pid = xfork();
  if (pid == 0)
    exit(0);
  wait_for(pid);
  if (kill(pid) != -1)
    fail("kill of a reaped child did not fail");
  // A process that kills itself dies at its next trap.
  pid = xfork();
  if (pid == 0) {
    kill(getpid());
    for (;;)
      getpid();
  }
  if (wait_for(pid) != -1)
    fail("a process that killed itself did not exit with -1");
}

// fork shares private memory copy-on-write: it costs no copies up front,
// and each side sees only its own writes afterwards.
#define COW_PAGES 64
static char cow_data[4 * PGSIZE] = { 1 };

static void check_cow(char *heap, char *stack, uint seed, const char *who)
{
  check_pattern(heap, seed, 0, COW_PAGES * PGSIZE, who);
  check_pattern(cow_data, seed + 1, 0, sizeof(cow_data), who);
  check_pattern(stack, seed + 2, 0, 2 * KiB, who);
}

static void fill_cow(char *heap, char *stack, uint seed)
{
  fill_pattern(heap, seed, 0, COW_PAGES * PGSIZE);
  fill_pattern(cow_data, seed + 1, 0, sizeof(cow_data));
  fill_pattern(stack, seed + 2, 0, 2 * KiB);
}

static void test_cow(void)
{
  static struct vmstat st;
  char stack[2 * KiB];
  char *heap = sbrk(COW_PAGES * PGSIZE);
  if (heap == SBRK_ERROR)
    fail("sbrk failed");
  fill_cow(heap, stack, 10);
  int to_child[2], to_parent[2];
  xpipe(to_child);
  xpipe(to_parent);
  vmstat(&st);
  uint64 free_before = st.frames_free;
  uint64 copies_before = st.cow_copies;

  int pid = xfork();
  if (pid == 0) {
    char c;
    check_cow(heap, stack, 10, "child before writing");
    // Not before the parent has counted the frames fork took: on another
    // hart, our copies would land in its count.
    if (read(to_child[0], &c, 1) != 1)
      exit(1);
    fill_cow(heap, stack, 20);
    check_cow(heap, stack, 20, "child after writing");
    write(to_parent[1], "w", 1);
    read(to_child[0], &c, 1);
    check_cow(heap, stack, 20, "child after the parent wrote");
    exit(0);
  }
  vmstat(&st);
  if (free_before - st.frames_free >= COW_PAGES / 2)
    fail("fork used %d frames: it copied the memory", (int)(free_before - st.frames_free));
  if (st.frames_shared < COW_PAGES)
    fail("after fork only %d frames are shared", (int)st.frames_shared);
  write(to_child[1], "g", 1);
  char c;
  if (read(to_parent[0], &c, 1) != 1)
    fail("the child died");
  check_cow(heap, stack, 10, "parent after the child wrote");
  vmstat(&st);
  if (st.cow_copies - copies_before < COW_PAGES)
    fail("the child wrote %d shared pages but cow_copies grew by %d", COW_PAGES,
         (int)(st.cow_copies - copies_before));
  fill_cow(heap, stack, 30);
  write(to_child[1], "g", 1);
  if (wait_for(pid) != 0)
    fail("the child saw its parent's writes");
  check_cow(heap, stack, 30, "parent at the end");
}

// Many processes on all harts at once, forking and computing; each result
// is checked against the same computation done here.
#define SMP_WORKERS 8
#define SMP_HELPERS 3
#define SMP_PAGES 8

// A computation over fresh heap memory whose result depends on every step.
static int smp_work(uint id)
{
  uint *a = (uint *)sbrk(SMP_PAGES * PGSIZE);
  int n = SMP_PAGES * PGSIZE / sizeof(uint);
  if ((char *)a == SBRK_ERROR)
    fail("sbrk failed");
  uint x = id * 2654435761u + 1;
  for (int i = 0; i < n; i++) {
    x = x * 1103515245u + 12345u;
    a[i] = x;
  }
  for (int pass = 0; pass < 3; pass++)
    for (int i = 1; i < n; i++)
      a[i] += a[i - 1] ^ (a[(i * 7) % n] >> 3);
  uint sum = 0;
  for (int i = 0; i < n; i++)
    sum = sum * 31 + a[i];
  sbrk(-SMP_PAGES * PGSIZE);
  // Well clear of the statuses of a failure (1) or a killed process (-1).
  return (int)((sum & 0x3fffffff) | 0x10000);
}

static void smp_worker(int w)
{
  int pids[SMP_HELPERS];
  for (int h = 0; h < SMP_HELPERS; h++) {
    pids[h] = xfork();
    if (pids[h] == 0)
      exit(smp_work(w * (SMP_HELPERS + 1) + h + 1));
  }
  int mine = smp_work(w * (SMP_HELPERS + 1));
  for (int reaped = 0; reaped < SMP_HELPERS; reaped++) {
    int status;
    int h = wait_one_of(pids, SMP_HELPERS, &status);
    if (status != smp_work(w * (SMP_HELPERS + 1) + h + 1))
      fail("helper %d of worker %d: wrong result (status %d)", h, w, status);
  }
  exit(mine);
}

static void test_smp(void)
{
  int pids[SMP_WORKERS];
  for (int w = 0; w < SMP_WORKERS; w++) {
    pids[w] = xfork();
    if (pids[w] == 0)
      smp_worker(w);
  }
  for (int reaped = 0; reaped < SMP_WORKERS; reaped++) {
    int status;
    int w = wait_one_of(pids, SMP_WORKERS, &status);
    if (status != smp_work(w * (SMP_HELPERS + 1)))
      fail("worker %d: wrong result or a failure (status %d)", w, status);
  }
}

// Several processes exec the same program at once, again and again.
#define EXEC_PROCS 12

static void test_execmany(void)
{
  int pids[EXEC_PROCS];
  for (int i = 0; i < EXEC_PROCS; i++) {
    pids[i] = xfork();
    if (pids[i] == 0) {
      char word[4] = { 'w', (char)('a' + i), 0 };
      char expected[8] = { 'w', (char)('a' + i), ' ', 'w', (char)('a' + i), '\n', 0 };
      char *argv[] = { "echo", word, word, 0 };
      for (int round = 0; round < 3; round++) {
        char out[32];
        int status = run_program("/echo", argv, out, sizeof(out));
        if (status != 0 || strcmp(out, expected) != 0)
          fail("echo %s %s: status %d, output '%s'", word, word, status, out);
      }
      exit(0);
    }
  }
  for (int reaped = 0; reaped < EXEC_PROCS; reaped++) {
    int status;
    int i = wait_one_of(pids, EXEC_PROCS, &status);
    if (status != 0)
      fail("exec child %d failed (status %d)", i, status);
  }
}

// ---------------------------------------------------------------------------
// Pipes

#define PIPE_BYTES (1 * MiB)

static void test_pipebig(void)
{
  static char buf[5000];
  int p[2];
  xpipe(p);
  int pid = xfork();
  if (pid == 0) {
    close(p[0]);
    rand_state = 1;
    for (uint off = 0; off < PIPE_BYTES;) {
      uint n = 1 + rnd() % 4096;
      if (n > PIPE_BYTES - off)
        n = PIPE_BYTES - off;
      fill_pattern(buf, 3, off, n);
      xwrite(p[1], buf, n, "pipe writer");
      off += n;
    }
    exit(0);
  }
  close(p[1]);
  rand_state = 2;
  uint off = 0;
  int n;
  while ((n = read(p[0], buf, 1 + rnd() % sizeof(buf))) > 0) {
    if (off + n > PIPE_BYTES)
      fail("the pipe delivered more bytes than were written");
    check_pattern(buf, 3, off, n, "pipe data");
    off += n;
  }
  if (n < 0)
    fail("read from the pipe failed after %d bytes", off);
  if (off != PIPE_BYTES)
    fail("the pipe delivered %d bytes of %d", off, PIPE_BYTES);
  close(p[0]);
  if (wait_for(pid) != 0)
    fail("the writer failed");
}

static void test_pipeeof(void)
{
  int p[2];
  char buf[16];
  xpipe(p);
  xwrite(p[1], "hello", 5, "pipe");
  close(p[1]);
  if (read(p[0], buf, sizeof(buf)) != 5 || memcmp(buf, "hello", 5) != 0)
    fail("data written before the close was lost");
  if (read(p[0], buf, sizeof(buf)) != 0 || read(p[0], buf, sizeof(buf)) != 0)
    fail("no end of file after the only writer closed");
  close(p[0]);

  // The reader blocks until the last writer, a child, writes and exits.
  xpipe(p);
  int pid = xfork();
  if (pid == 0) {
    close(p[0]);
    pause(3);
    write(p[1], "bye", 3);
    exit(0);   // closes the write end
  }
  close(p[1]);
  int len = 0, n;
  while ((n = read(p[0], buf + len, sizeof(buf) - len)) > 0)
    len += n;
  if (n != 0 || len != 3 || memcmp(buf, "bye", 3) != 0)
    fail("reading until EOF from a child's pipe got %d bytes, last read %d", len, n);
  close(p[0]);
  wait_for(pid);

  // A dup of the write end keeps the pipe open.
  xpipe(p);
  int w2 = dup(p[1]);
  close(p[1]);
  xwrite(w2, "x", 1, "dup of the write end");
  close(w2);
  if (read(p[0], buf, sizeof(buf)) != 1 || read(p[0], buf, sizeof(buf)) != 0)
    fail("a dup of the write end did not work like the original");
  close(p[0]);
}

static void test_pipenoreader(void)
{
  int p[2];
  xpipe(p);
  close(p[0]);
  if (write(p[1], "x", 1) != -1)
    fail("write to a pipe without readers did not fail");
  close(p[1]);

  // A writer blocked on a full pipe fails when the last reader goes.
  xpipe(p);
  int pid = xfork();
  if (pid == 0) {
    static char block[64 * KiB];   // more than any pipe buffers
    close(p[0]);
    exit(write(p[1], block, sizeof(block)) == sizeof(block) ? 1 : 0);
  }
  close(p[1]);
  pause(3);
  close(p[0]);
  if (wait_for(pid) != 0)
    fail("a write blocked on a full pipe completed after the reader closed");
}

// pipe() fails cleanly when the descriptor table fills up.
static void test_pipefds(void)
{
  int fds[NOFILE];
  int n = 0, p[2];
  while (pipe(p) == 0) {
    if (n + 2 > NOFILE)
      fail("more pipes than descriptors");
    fds[n++] = p[0];
    fds[n++] = p[1];
  }
  if (n / 2 != (NOFILE - 3) / 2)
    fail("%d pipes fit in the descriptor table, expected %d", n / 2, (NOFILE - 3) / 2);
  // The failed pipe() gave back the descriptor it got before failing.
  if ((NOFILE - 3) % 2 == 1) {
    int fd = dup(0);
    if (fd < 0)
      fail("a failed pipe() kept a descriptor");
    close(fd);
  }
  for (int i = 0; i < n; i++)
    close(fds[i]);
  xpipe(p);
  close(p[0]);
  close(p[1]);
}

// ---------------------------------------------------------------------------
// Memory: sbrk, lazy allocation, stack, faults

#define GROW_BYTES (8 * MiB)

static void test_sbrkgrow(void)
{
  char *old = sbrk(0);
  uint64 free0 = free_frames();
  char *p = sbrk(GROW_BYTES);
  if (p != old)
    fail("sbrk returned %p, expected the old break %p", p, old);
  if (sbrk(0) != old + GROW_BYTES)
    fail("sbrk(0) is %p after growing, expected %p", sbrk(0), old + GROW_BYTES);
  uint64 free1 = free_frames();
  if (free0 - free1 > 4)
    fail("sbrk used %d frames before any page was touched", (int)(free0 - free1));
  for (int off = 0; off < GROW_BYTES; off += PGSIZE) {
    if (p[off] != 0 || p[off + PGSIZE - 1] != 0)
      fail("new heap memory at offset %d is not zero", off);
    p[off] = (char)(off >> 12);
    p[off + PGSIZE - 1] = (char)(off >> 20);
  }
  uint64 free2 = free_frames();
  if (free1 - free2 < GROW_BYTES / PGSIZE)
    fail("touching %d pages used only %d frames", GROW_BYTES / PGSIZE, (int)(free1 - free2));
  for (int off = 0; off < GROW_BYTES; off += PGSIZE)
    if (p[off] != (char)(off >> 12) || p[off + PGSIZE - 1] != (char)(off >> 20))
      fail("heap memory at offset %d lost its contents", off);

  // The break moves byte by byte.
  char *b = sbrk(1);
  if (sbrk(0) != b + 1 || sbrk(4095) != b + 1 || sbrk(0) != b + 4096)
    fail("odd-sized sbrk calls did not move the break exactly");
  b[4095] = 1;
}

static void touch_after_shrink(void)
{
  char *edge = heap_edge() + PGSIZE;
  sbrk(PGSIZE);
  edge[-1] = 1;
  sbrk(-PGSIZE);
  *(volatile char *)(edge - 1) = 2;
}

static void test_sbrkshrink(void)
{
  int size = 4 * MiB;
  char *p = sbrk(size);
  for (int off = 0; off < size; off += PGSIZE)
    p[off] = 1;
  uint64 free_touched = free_frames();
  if (sbrk(-size) != p + size)
    fail("sbrk(-n) did not return the old break");
  if (sbrk(0) != p)
    fail("sbrk(-n) did not move the break back");
  uint64 free_shrunk = free_frames();
  if (free_shrunk - free_touched < (uint64)size / PGSIZE)
    fail("giving back %d pages freed only %d frames", size / PGSIZE,
         (int)(free_shrunk - free_touched));

  // Memory grown again is zero, not what was there before.
  if (sbrk(size) != p)
    fail("sbrk did not grow from the same break");
  for (int off = 0; off < size; off += sizeof(uint64))
    if (*(uint64 *)(p + off) != 0)
      fail("heap memory grown again holds old data at offset %d", off);
  sbrk(-size);

  expect_killed(touch_after_shrink, "touching heap memory given back by sbrk");

  // The break cannot go below the start of the heap (programs start at 0x1000).
  char *brk = sbrk(0);
  if (sbrk(-(int)((uint64)brk - 0x1000)) != SBRK_ERROR ||
      sbrk(-(int)(uint64)brk - PGSIZE) != SBRK_ERROR || sbrk(-0x7fffffff - 1) != SBRK_ERROR)
    fail("sbrk moved the break below the start of the heap");
  if (sbrk(0) != brk)
    fail("a failed sbrk moved the break");
}

// The heap can grow up to the stack's lowest limit, and not into it.
static void test_sbrklimit(void)
{
  char *start = sbrk(0);
  int steps = 0;
  while (sbrk(0x40000000) != SBRK_ERROR)
    if (++steps > 300)
      fail("the heap grew past %d GiB", steps);
  char *top = sbrk(0);
  if ((uint64)top > USER_STACK_TOP - USER_STACK_LIMIT)
    fail("the break %p is inside the stack's range", top);
  if (steps < 200)
    fail("the heap could grow by only %d GiB", steps);
  top[-1] = 1;   // the highest heap page works
  volatile char stack_pages[2 * PGSIZE];   // and so does the stack
  stack_pages[0] = 1;
  if (stack_pages[0] != 1)
    fail("the stack does not work with the heap at its limit");
  while (sbrk(0) - start >= 0x40000000)
    if (sbrk(-0x40000000) == SBRK_ERROR)
      fail("the heap could not shrink");
  sbrk(-(int)(sbrk(0) - start));
  if (sbrk(0) != start)
    fail("the break did not come back to %p", start);
}

static void touch_pages(char *base, int count, uint64 stride)
{
  for (int i = 0; i < count; i++)
    base[i * stride] = 1;
}

// sbrk of 1 GiB costs nothing until pages are touched, and then only
// the pages touched.
static void test_lazy(void)
{
  static struct vmstat st;
  int size = 1 << 30;
  char *base = sbrk(size);
  if (base == SBRK_ERROR)
    fail("sbrk of 1 GiB failed");
  uint64 resident_start = 0;
  // Round 0 faults in any code and tables the measuring needs; round 1
  // touches 4 new pages in the same 2 MiB blocks and must cost 4 frames.
  for (int round = 0; round < 2; round++) {
    vmstat(&st);
    uint64 resident0 = st.self_resident, free0 = st.frames_free;
    if (round == 0)
      resident_start = resident0;
    touch_pages(base + round * PGSIZE, 4, 256 * MiB);
    vmstat(&st);
    if (round == 1 && st.self_resident - resident0 != 4)
      fail("touching 4 pages made %d pages resident", (int)(st.self_resident - resident0));
    if (round == 1 && free0 - st.frames_free != 4)
      fail("touching 4 pages used %d frames", (int)(free0 - st.frames_free));
  }
  uint64 free_touched = st.frames_free;
  if (sbrk(-size) != base + size)
    fail("sbrk(-1 GiB) failed");
  vmstat(&st);
  if (st.self_resident != resident_start)
    fail("after giving the 1 GiB back %d pages are resident, expected %d",
         (int)st.self_resident, (int)resident_start);
  if (st.frames_free - free_touched < 8)
    fail("giving back 8 touched pages freed %d frames", (int)(st.frames_free - free_touched));
}

static void exhaust_memory(void)
{
  for (uint64 total = 0; total < (4UL << 30); total += 16 * MiB) {
    char *p = sbrk(16 * MiB);
    if (p == SBRK_ERROR)
      exit(2);
    for (int off = 0; off < 16 * MiB; off += PGSIZE)
      p[off] = 1;
  }
  exit(3);
}

// A process that touches more memory than the machine has is killed,
// and everything it had comes back.
static void test_oom(void)
{
  int status = run_child(exhaust_memory);
  if (status != -1)
    fail("a process touching more memory than exists exited with %d, expected to be killed", status);
  int pid = xfork();
  if (pid == 0) {
    char *p = sbrk(4 * MiB);
    memset(p, 1, 4 * MiB);
    exit(0);
  }
  if (wait_for(pid) != 0)
    fail("memory did not work again after running out");
}

// While another process takes memory as fast as it can, until the
// out-of-memory killer stops it, system calls that need memory of the
// kernel's own (pipe, fork, exec: page tables, an address space, the
// argument pages) keep working: user pages never take the kernel's last
// frames.  (They used to: exec failed beside a program paging hard.)
static void test_oomsyscalls(void)
{
  // The worker stops when told, not by kill: its echo would be left to
  // init, which would then page itself back in, and the frame count
  // after the test would be off by init's pages.
  struct squeeze {
    uint64 rounds;
    int stop;
  };
  volatile struct squeeze *sq = mmap(0, PGSIZE, PROT_READ | PROT_WRITE,
                                     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (sq == (struct squeeze *)-1)
    fail("mmap of a shared page failed");
  int pids[2];
  pids[0] = xfork();
  if (pids[0] == 0)
    exhaust_memory();
  pids[1] = xfork();
  if (pids[1] == 0) {
    char *argv[] = { "echo", "squeezed", 0 };
    while (!sq->stop) {
      char out[32];
      int status = run_program("/echo", argv, out, sizeof(out));
      if (status != 0 || strcmp(out, "squeezed\n") != 0)
        fail("echo beside a process taking all memory: status %d, output '%s'", status, out);
      sq->rounds++;
    }
    exit(0);
  }
  int status;
  int first = wait_one_of(pids, 2, &status);
  if (first == 1) {
    kill(pids[0]);
    wait_for(pids[0]);
    fail("pipe, fork and exec failed beside a process taking all memory (exit status %d)",
         status);
  }
  if (status != -1)
    fail("the process taking all memory exited with %d, expected to be killed", status);
  uint64 done = sq->rounds;
  sq->stop = 1;
  if ((status = wait_for(pids[1])) != 0)
    fail("pipe, fork and exec failed just after a process took all memory (exit status %d)",
         status);
  if (done == 0)
    fail("no echo ran while the other process took memory");
  munmap((void *)sq, PGSIZE);
}

static int recurse(int depth)
{
  volatile char frame[KiB];
  frame[0] = (char)depth;
  frame[KiB - 1] = (char)~depth;
  int below = depth > 0 ? recurse(depth - 1) : 0;
  if (frame[0] != (char)depth || frame[KiB - 1] != (char)~depth)
    return -1000000;
  return below + 1;
}

static volatile uint64 fault_target;   // an address the compiler cannot see

static void read_target(void)
{
  (void)*(volatile char *)fault_target;
}

static void write_target(void)
{
  *(volatile char *)fault_target = 1;
}

static void jump_target(void)
{
  ((void (*)(void))fault_target)();
}

static void test_stack(void)
{
  int depth = MiB / KiB;
  int r = recurse(depth);
  if (r != depth + 1)
    fail("a recursion %d deep returned %d: its stack frames were corrupted", depth, r);
  // Any address down to the limit grows the stack.
  volatile char *lowest = (char *)(USER_STACK_TOP - USER_STACK_LIMIT);
  lowest[0] = 42;
  if (lowest[0] != 42)
    fail("the lowest stack page does not keep data");
  fault_target = USER_STACK_TOP - USER_STACK_LIMIT - 1;
  expect_killed(write_target, "touching just below the stack limit");
  fault_target = USER_STACK_TOP - 9 * MiB;
  expect_killed(write_target, "touching 9 MiB below the stack top");
}

#define RET_INSTRUCTION 0x00008067   // jalr x0, 0(ra)
static uint32 code_in_data[2] = { RET_INSTRUCTION, RET_INSTRUCTION };

static void run_code_on_stack(void)
{
  volatile uint32 code[2] = { RET_INSTRUCTION, RET_INSTRUCTION };
  ((void (*)(void))(uint64)code)();
}

static void run_code_on_heap(void)
{
  uint32 *code = (uint32 *)sbrk(PGSIZE);
  code[0] = RET_INSTRUCTION;
  ((void (*)(void))(uint64)code)();
}

static void illegal_instruction(void)
{
  __asm__ volatile(".4byte 0");
}

static void read_supervisor_csr(void)
{
  __asm__ volatile("csrr t0, sstatus" ::: "t0");
}

static void breakpoint(void)
{
  __asm__ volatile("ebreak");
}

// Each of these is a kill with exit status -1 (the kernel prints why).
static void test_faults(void)
{
  uint64 past_heap = PGROUNDUP((uint64)sbrk(0)) + PGSIZE;
  struct {
    const char *what;
    void (*fn)(void);
    uint64 target;
  } faults[] = {
    { "reading address 0", read_target, 0 },
    { "writing address 0", write_target, 0 },
    { "jumping to address 0", jump_target, 0 },
    { "writing program text", write_target, (uint64)test_faults },
    { "running code in the data segment", jump_target, (uint64)code_in_data },
    { "running code on the stack", run_code_on_stack, 0 },
    { "running code on the heap", run_code_on_heap, 0 },
    { "reading past the heap", read_target, past_heap },
    { "reading above the stack", read_target, USER_STACK_TOP },
    { "reading at MAXVA", read_target, MAXVA },
    { "reading a non-canonical address", read_target, 0x8000000000000000UL },
    { "reading kernel memory", read_target, 0xffffffc080000000UL },
    { "writing kernel memory", write_target, 0xffffffc080000000UL },
    { "jumping into the kernel", jump_target, 0xffffffff80200000UL },
    { "an illegal instruction", illegal_instruction, 0 },
    { "reading a supervisor CSR", read_supervisor_csr, 0 },
    { "a breakpoint", breakpoint, 0 },
  };
  for (uint i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
    fault_target = faults[i].target;
    expect_killed(faults[i].fn, faults[i].what);
  }
}

// ---------------------------------------------------------------------------
// exec

static void test_exec(void)
{
  static struct vmstat st;
  char out[256];
  vmstat(&st);
  uint64 read_before = st.file_pages_read;
  char *argv[] = { "echo", "hello", "exec", 0 };
  int status = run_program("/echo", argv, out, sizeof(out));
  if (status != 0 || strcmp(out, "hello exec\n") != 0)
    fail("echo hello exec: status %d, output '%s'", status, out);
  vmstat(&st);
  if (st.file_pages_read == read_before)
    fail("running a program read no page of its file");

  // The most arguments exec takes: MAXARG - 1 and the terminating 0.
  static char words[MAXARG][4];
  static char expected[MAXARG * 4];
  char *many[MAXARG];
  many[0] = "echo";
  int len = 0;
  for (int i = 1; i < MAXARG - 1; i++) {
    words[i][0] = 'a' + i / 10;
    words[i][1] = '0' + i % 10;
    many[i] = words[i];
    expected[len++] = words[i][0];
    expected[len++] = words[i][1];
    expected[len++] = i + 1 < MAXARG - 1 ? ' ' : '\n';
  }
  many[MAXARG - 1] = 0;
  status = run_program("/echo", many, out, sizeof(out));
  if (status != 0 || strcmp(out, expected) != 0)
    fail("echo with %d arguments: status %d, output '%s'", MAXARG - 1, status, out);
}

// exec fails, and the calling program goes on, on bad arguments.
static void test_execargs(void)
{
  fresh_dir("/ut_execargs");
  for (int i = 0; i < NBAD; i++) {
    char *a = (char *)bad_addresses[i];
    char *bad_string[] = { "echo", a, 0 };
    int status;
    if ((status = run_program(a, echo_argv, 0, 0)) != EXEC_FAILED)
      fail("exec with path %p did not fail (status %d)", a, status);
    if ((status = run_program("/echo", (char **)a, 0, 0)) != EXEC_FAILED)
      fail("exec with argv %p did not fail (status %d)", a, status);
    // (A null argument pointer just ends argv.)
    if (a != 0 && (status = run_program("/echo", bad_string, 0, 0)) != EXEC_FAILED)
      fail("exec with argument pointer %p did not fail (status %d)", a, status);
  }
  // An argv array, an argument and a path that run into unmapped memory.
  char *edge = heap_edge();
  char **unterminated = (char **)edge - 2;
  unterminated[0] = "echo";
  unterminated[1] = "x";
  expect_exec_fails("/echo", unterminated, "an argv without its terminating 0");
  memset(edge - 8, 'a', 8);
  char *unterminated_arg[] = { "echo", edge - 8, 0 };
  expect_exec_fails("/echo", unterminated_arg, "an argument without its NUL");
  expect_exec_fails(edge - 8, echo_argv, "a path without its NUL");

  static char *too_many[MAXARG + 2];
  for (int i = 0; i < MAXARG + 1; i++)
    too_many[i] = "x";
  expect_exec_fails("/echo", too_many, "MAXARG + 1 arguments");
  expect_exec_fails("/ut_execargs/nonexistent", echo_argv, "a nonexistent file");
  expect_exec_fails("/", echo_argv, "the root directory");
  expect_exec_fails("/ut_execargs", echo_argv, "a directory");
  expect_exec_fails("", echo_argv, "an empty path");
  remove_dir("/ut_execargs");
}

// exec rejects corrupt ELF files, built here from a copy of /echo.
#define ELF_MAX (256 * KiB)
static char elf_good[ELF_MAX] __attribute__((aligned(8)));
static char elf_bad[ELF_MAX] __attribute__((aligned(8)));

static struct proghdr *find_segment(char *img, uint32 flag)
{
  struct elfhdr *eh = (struct elfhdr *)img;
  struct proghdr *ph = (struct proghdr *)(img + eh->phoff);
  for (int i = 0; i < eh->phnum; i++)
    if (ph[i].type == PT_LOAD && (ph[i].flags & flag))
      return &ph[i];
  fail("/echo has no loadable segment with flag %d", flag);
}

// The length of the start of the ELF file img that holds its headers
// and every loadable segment's bytes.
static int loadable_size(char *img, int size)
{
  struct elfhdr *eh = (struct elfhdr *)img;
  struct proghdr *ph = (struct proghdr *)(img + eh->phoff);
  uint64 end = eh->phoff + eh->phnum * sizeof(struct proghdr);
  for (int i = 0; i < eh->phnum; i++)
    if (ph[i].type == PT_LOAD && ph[i].off + ph[i].filesz > end)
      end = ph[i].off + ph[i].filesz;
  return end < (uint64)size ? (int)end : size;
}

// Damages img (size bytes) in the way numbered which; returns what the
// damage is, or 0 when there are no more.
static const char *corrupt_elf(int which, char *img, int *size)
{
  struct elfhdr *eh = (struct elfhdr *)img;
  struct proghdr *text = find_segment(img, PF_X);
  struct proghdr *data = find_segment(img, PF_W);
  switch (which) {
  case 0: img[0] = 0x7e; return "a wrong magic number";
  case 1: img[4] = 1; return "a 32-bit ELF class";
  case 2: img[5] = 2; return "big-endian data";
  case 3: eh->machine = 62; return "an x86-64 machine";
  case 4: eh->type = 1; return "a relocatable file";
  case 5: eh->phentsize = 32; return "a wrong program header size";
  case 6: eh->phnum = 0; return "no program headers";
  case 7: eh->phnum = 0xffff; return "65535 program headers";
  case 8: eh->phoff = *size + PGSIZE; return "program headers past the end of the file";
  case 9: eh->phoff = ~0UL - 8; return "a program header offset that overflows";
  case 10: *size = 40; return "a file cut inside the ELF header";
  case 11: *size = eh->phoff + sizeof(struct proghdr) + 10; return "a file cut inside the program headers";
  case 12: {
    struct proghdr *last = text->off > data->off ? text : data;
    *size = last->off + last->filesz - 1;
    return "a file cut one byte short of its last segment";
  }
  case 13: text->memsz = text->filesz - 16; return "a segment with filesz > memsz";
  case 14: text->off += PGROUNDUP(*size); return "a segment whose data lies past the end of the file";
  case 15: text->filesz = *size * 2; text->memsz = text->filesz; return "a segment larger than the file";
  case 16:
    text->vaddr = 0xffffffc000000000UL + text->vaddr % PGSIZE;
    eh->entry = text->vaddr;
    return "a segment in kernel space";
  case 17: data->memsz = -data->vaddr + PGSIZE; return "a segment that wraps around the address space";
  case 18:
    data->vaddr = USER_STACK_TOP - PGSIZE + data->vaddr % PGSIZE;
    return "a segment on the stack";
  case 19:
    data->vaddr = PGROUNDDOWN(text->vaddr) + data->vaddr % PGSIZE;
    return "two overlapping segments";
  case 20: text->vaddr += 1; eh->entry += 1; return "a segment misaligned with its file offset";
  case 21: eh->entry = data->vaddr; return "an entry point in the data segment";
  case 22: eh->entry = 0; return "an entry point at 0";
  case 23: *size = 0; return "an empty file";
  }
  return 0;
}

static void test_badelf(void)
{
  fresh_dir("/ut_badelf");
  int size = read_file("/echo", elf_good, ELF_MAX);
  if (size == ELF_MAX)
    fail("/echo is larger than %d bytes", ELF_MAX);
  // Keep only what exec reads (the debugging sections make the copies slow).
  size = loadable_size(elf_good, size);
  const char *path = "/ut_badelf/prog";
  char *argv[] = { "prog", "runs", 0 };
  char out[64];
  write_file(path, elf_good, size);
  int status = run_program(path, argv, out, sizeof(out));
  if (status != 0 || strcmp(out, "runs\n") != 0)
    fail("an intact copy of /echo does not run: status %d, output '%s'", status, out);
  for (int which = 0;; which++) {
    int n = size;
    memmove(elf_bad, elf_good, size);
    const char *what = corrupt_elf(which, elf_bad, &n);
    if (what == 0)
      break;
    write_file(path, elf_bad, n);
    status = run_program(path, argv, out, sizeof(out));
    if (status != EXEC_FAILED)
      fail("exec accepted %s (status %d)", what, status);
  }
  remove_dir("/ut_badelf");
}

// ---------------------------------------------------------------------------
// File system

static void test_files(void)
{
  static char buf[4 * KiB];
  struct stat st;
  fresh_dir("/ut_files");
  const char *f = "/ut_files/f";
  if (open(f, O_RDONLY) != -1)
    fail("opened a file that does not exist");
  int fd = xopen(f, O_CREATE | O_RDWR);
  if (fstat(fd, &st) < 0 || st.type != T_FILE || st.size != 0 || st.nlink != 1)
    fail("a new file has type %d, size %d, nlink %d", st.type, (int)st.size, st.nlink);
  fill_pattern(buf, 4, 0, 3000);
  xwrite(fd, buf, 1000, f);
  xwrite(fd, buf + 1000, 2000, f);
  if (fstat(fd, &st) < 0 || st.size != 3000)
    fail("after writing 3000 bytes the size is %d", (int)st.size);
  close(fd);

  fd = xopen(f, O_RDONLY);
  int off = 0, n;
  while ((n = read(fd, buf + off, 7)) > 0)
    off += n;
  if (n != 0 || off != 3000)
    fail("reading 7 bytes at a time got %d bytes, last read %d", off, n);
  check_pattern(buf, 4, 0, 3000, "file read back");
  if (write(fd, "x", 1) != -1)
    fail("write to a read-only descriptor did not fail");
  if (read(fd, buf, -1) != -1 || read(fd, buf, 0) != 0)
    fail("read with a negative or zero count misbehaved");
  close(fd);

  fd = xopen(f, O_WRONLY);
  if (read(fd, buf, 1) != -1)
    fail("read from a write-only descriptor did not fail");
  xwrite(fd, "0123456789", 10, f);
  close(fd);
  if (read_file(f, buf, sizeof(buf)) != 3000 || memcmp(buf, "0123456789", 10) != 0)
    fail("overwriting the start of a file went wrong");
  fd = xopen(f, O_CREATE | O_RDWR);
  if (fstat(fd, &st) < 0 || st.size != 3000)
    fail("O_CREATE of an existing file changed its size to %d", (int)st.size);
  close(fd);
  fd = xopen(f, O_RDWR | O_TRUNC);
  if (fstat(fd, &st) < 0 || st.size != 0)
    fail("O_TRUNC left the size at %d", (int)st.size);
  close(fd);
  xunlink(f);
  if (open(f, O_RDONLY) != -1 || unlink(f) != -1)
    fail("an unlinked file is still there");

  // dup and fork share the file offset.
  fd = xopen(f, O_CREATE | O_RDWR);
  int fd2 = dup(fd);
  xwrite(fd, "ab", 2, f);
  xwrite(fd2, "cd", 2, f);
  int pid = xfork();
  if (pid == 0) {
    xwrite(fd, "ef", 2, f);
    exit(0);
  }
  wait_for(pid);
  xwrite(fd2, "gh", 2, f);
  close(fd);
  close(fd2);
  n = read_file(f, buf, sizeof(buf));
  if (n != 8 || memcmp(buf, "abcdefgh", 8) != 0)
    fail("writes through dup'ed and inherited descriptors did not share the offset");
  remove_dir("/ut_files");
}

#define MANY_FILES 130   // three directory blocks

static void test_manyfiles(void)
{
  char path[MAXPATH], buf[MAXPATH];
  fresh_dir("/ut_many");
  for (int i = 0; i < MANY_FILES; i++) {
    numbered_path(path, "/ut_many", "file", i);
    write_file(path, path, strlen(path));
  }
  if (count_entries("/ut_many") != MANY_FILES)
    fail("the directory lists %d files, expected %d", count_entries("/ut_many"), MANY_FILES);
  for (int i = 0; i < MANY_FILES; i++) {
    numbered_path(path, "/ut_many", "file", i);
    int n = read_file(path, buf, sizeof(buf));
    if (n != (int)strlen(path) || memcmp(buf, path, n) != 0)
      fail("%s has the wrong contents", path);
  }
  for (int i = 0; i < MANY_FILES; i++) {
    numbered_path(path, "/ut_many", "file", i);
    xunlink(path);
  }
  if (count_entries("/ut_many") != 0)
    fail("files are left after unlinking them all");
  xunlink("/ut_many");
}

// A file big enough to need the double-indirect block, byte-exact.
#define BIG_BYTES (3 * MiB)

static void test_bigfile(void)
{
  static char buf[8 * KiB];
  struct stat st;
  _Static_assert(BIG_BYTES / BSIZE > NDIRECT + NINDIRECT, "the big file must reach the double-indirect block");
  fresh_dir("/ut_big");
  int fd = xopen("/ut_big/f", O_CREATE | O_WRONLY);
  for (uint off = 0; off < BIG_BYTES; off += sizeof(buf)) {
    fill_pattern(buf, 5, off, sizeof(buf));
    xwrite(fd, buf, sizeof(buf), "big file");
  }
  if (fstat(fd, &st) < 0 || st.size != BIG_BYTES)
    fail("the big file's size is %d, expected %d", (int)st.size, BIG_BYTES);
  close(fd);
  fd = xopen("/ut_big/f", O_RDONLY);
  uint off = 0;
  int n;
  while ((n = read(fd, buf, 3000)) > 0) {
    check_pattern(buf, 5, off, n, "big file");
    off += n;
  }
  if (n != 0 || off != BIG_BYTES)
    fail("read back %d bytes of %d, last read %d", off, BIG_BYTES, n);
  close(fd);
  remove_dir("/ut_big");
}

#define CONC_PROCS 4
#define CONC_FILES 25
#define CONC_RACERS 6

// Runs CONC_RACERS children at once, each calling race(k); returns the
// sum of their exit statuses.
static int race(int (*fn)(void))
{
  int pids[CONC_RACERS];
  for (int k = 0; k < CONC_RACERS; k++) {
    pids[k] = xfork();
    if (pids[k] == 0)
      exit(fn());
  }
  int sum = 0;
  for (int k = 0; k < CONC_RACERS; k++) {
    int status;
    wait_one_of(pids, CONC_RACERS, &status);
    if (status < 0)
      fail("a racing child was killed");
    sum += status;
  }
  return sum;
}

// Each racer returns the inode number it got.
static int race_create(void)
{
  struct stat st;
  int fd = open("/ut_conc/same", O_CREATE | O_RDWR);
  if (fd < 0 || fstat(fd, &st) < 0)
    return 0;
  return st.ino;
}

static int race_mkdir(void)
{
  return mkdir("/ut_conc/dir") == 0;
}

static int race_unlink(void)
{
  return unlink("/ut_conc/same") == 0;
}

static void test_concreate(void)
{
  char path[MAXPATH], buf[MAXPATH];
  struct stat st;
  fresh_dir("/ut_conc");
  int pids[CONC_PROCS];
  for (int p = 0; p < CONC_PROCS; p++) {
    pids[p] = xfork();
    if (pids[p] == 0) {
      for (int j = 0; j < CONC_FILES; j++) {
        numbered_path(path, "/ut_conc", "c", p * 100 + j);
        write_file(path, path, strlen(path));
      }
      exit(0);
    }
  }
  for (int p = 0; p < CONC_PROCS; p++) {
    int status;
    wait_one_of(pids, CONC_PROCS, &status);
    if (status != 0)
      fail("a creating child failed (status %d)", status);
  }
  if (count_entries("/ut_conc") != CONC_PROCS * CONC_FILES)
    fail("%d files after concurrent creates, expected %d", count_entries("/ut_conc"),
         CONC_PROCS * CONC_FILES);
  for (int p = 0; p < CONC_PROCS; p++) {
    for (int j = 0; j < CONC_FILES; j++) {
      numbered_path(path, "/ut_conc", "c", p * 100 + j);
      int n = read_file(path, buf, sizeof(buf));
      if (n != (int)strlen(path) || memcmp(buf, path, n) != 0)
        fail("%s has the wrong contents", path);
    }
  }
  // Everyone creating the same name gets the same file.
  int inodes = race(race_create);
  xstat("/ut_conc/same", &st);
  if (inodes != CONC_RACERS * (int)st.ino)
    fail("racing creates of one name got different inodes");
  if (race(race_mkdir) != 1)
    fail("racing mkdirs of one name: not exactly one succeeded");
  if (race(race_unlink) != 1)
    fail("racing unlinks of one name: not exactly one succeeded");
  xstat("/ut_conc/dir", &st);
  if (st.type != T_DIR)
    fail("the raced directory is not a directory");
  // Concurrent unlinks of different files.
  for (int p = 0; p < CONC_PROCS; p++) {
    pids[p] = xfork();
    if (pids[p] == 0) {
      for (int j = 0; j < CONC_FILES; j++) {
        numbered_path(path, "/ut_conc", "c", p * 100 + j);
        xunlink(path);
      }
      exit(0);
    }
  }
  for (int p = 0; p < CONC_PROCS; p++) {
    int status;
    wait_one_of(pids, CONC_PROCS, &status);
    if (status != 0)
      fail("an unlinking child failed (status %d)", status);
  }
  if (count_entries("/ut_conc") != 1)
    fail("%d entries left after concurrent unlinks, expected 1", count_entries("/ut_conc"));
  remove_dir("/ut_conc");
}

// Writes to path until the disk is full; returns the bytes written.
static uint fill_file(const char *path)
{
  static char block[8 * KiB];
  int fd = xopen(path, O_CREATE | O_WRONLY);
  uint total = 0;
  for (;;) {
    int r = write(fd, block, sizeof(block));
    if (r > 0)
      total += r;
    if (r != sizeof(block))
      break;
    if (total > FSSIZE * BSIZE)
      fail("wrote more than the whole disk holds");
  }
  if (write(fd, block, 1) > 0)
    fail("a write succeeded on a full disk");
  close(fd);
  return total;
}

// Uses up any blocks fill_file left (a kernel may keep a block back when
// a write fails halfway through allocating); returns how many files.
static int fill_leftovers(const char *dir)
{
  char path[MAXPATH];
  int n;
  for (n = 0; n < 20; n++) {
    numbered_path(path, dir, "s", n);
    int fd = open(path, O_CREATE | O_WRONLY);
    if (fd < 0)
      break;
    int r = write(fd, "x", 1);
    close(fd);
    if (r != 1)
      return n + 1;
  }
  if (n == 20)
    fail("20 more blocks were free after the disk was full");
  return n;
}

static void test_filldisk(void)
{
  char path[MAXPATH];
  struct stat st;
  fresh_dir("/ut_fill");
  uint first = fill_file("/ut_fill/a");
  if (first < 4 * MiB)
    fail("the disk was full after only %d bytes", first);
  xstat("/ut_fill/a", &st);
  if (st.size != first)
    fail("the file's size is %d, but %d bytes were written", (int)st.size, first);
  int leftovers = fill_leftovers("/ut_fill");
  if (mkdir("/ut_fill/d") != -1)
    fail("mkdir succeeded on a full disk");
  xunlink("/ut_fill/a");
  for (int i = 0; i < leftovers; i++) {
    numbered_path(path, "/ut_fill", "s", i);
    xunlink(path);
  }
  uint second = fill_file("/ut_fill/b");
  if (second < first)
    fail("%d bytes fit, but after unlinking them only %d: blocks leaked", first, second);
  xunlink("/ut_fill/b");
  xmkdir("/ut_fill/d");
  remove_dir("/ut_fill");
}

// Creates files in dir until the disk runs out of inodes; returns how many.
static int create_until_full(const char *dir)
{
  char path[MAXPATH];
  for (int n = 0;; n++) {
    if (n > 5000)
      fail("created 5000 files without running out of inodes");
    numbered_path(path, dir, "i", n);
    int fd = open(path, O_CREATE | O_RDWR);
    if (fd < 0)
      return n;
    close(fd);
  }
}

static void remove_numbered(const char *dir, int n)
{
  char path[MAXPATH];
  for (int i = 0; i < n; i++) {
    numbered_path(path, dir, "i", i);
    xunlink(path);
  }
}

static void test_inodes(void)
{
  fresh_dir("/ut_inodes");
  int first = create_until_full("/ut_inodes");
  if (first == 0)
    fail("not a single file could be created");
  if (mkdir("/ut_inodes/d") != -1)
    fail("mkdir succeeded with no free inode");
  remove_numbered("/ut_inodes", first);
  int second = create_until_full("/ut_inodes");
  if (second < first)
    fail("%d files fit, but after unlinking them only %d: inodes leaked", first, second);
  remove_numbered("/ut_inodes", second);
  remove_dir("/ut_inodes");
}

static void test_links(void)
{
  char buf[16];
  struct stat sa, sb;
  const char *a = "/ut_links/a", *b = "/ut_links/b";
  fresh_dir("/ut_links");
  write_file(a, "hello", 5);
  if (link(a, b) != 0)
    fail("link failed");
  xstat(a, &sa);
  xstat(b, &sb);
  if (sa.ino != sb.ino || sa.nlink != 2 || sb.nlink != 2)
    fail("after link: inodes %d and %d, nlink %d", sa.ino, sb.ino, sa.nlink);
  int fd = xopen(b, O_WRONLY);
  xwrite(fd, "HE", 2, b);
  close(fd);
  if (read_file(a, buf, sizeof(buf)) != 5 || memcmp(buf, "HEllo", 5) != 0)
    fail("a write through one link is not seen through the other");
  if (link(a, b) != -1)
    fail("link onto an existing name succeeded");
  if (link("/ut_links/none", "/ut_links/c") != -1)
    fail("link of a nonexistent file succeeded");
  if (link("/ut_links", "/ut_links/c") != -1)
    fail("link of a directory succeeded");
  if (link(a, "/ut_links/none/c") != -1)
    fail("link into a nonexistent directory succeeded");
  xunlink(a);
  if (stat(a, &sa) != -1)
    fail("an unlinked name is still there");
  xstat(b, &sb);
  if (sb.nlink != 1 || read_file(b, buf, sizeof(buf)) != 5 || memcmp(buf, "HEllo", 5) != 0)
    fail("the other link lost its data or count (nlink %d)", sb.nlink);
  xmkdir("/ut_links/sub");
  if (link(b, "/ut_links/sub/c") != 0)
    fail("link into a subdirectory failed");
  xunlink(b);
  if (read_file("/ut_links/sub/c", buf, sizeof(buf)) != 5)
    fail("the link in the subdirectory lost the data");
  xunlink("/ut_links/sub/c");
  remove_dir("/ut_links");
}

static void xchdir(const char *path)
{
  if (chdir(path) < 0)
    fail("chdir %s failed", path);
}

static void test_dirs(void)
{
  char buf[8], path[MAXPATH];
  struct stat st, st2;
  fresh_dir("/ut_dirs");
  xmkdir("/ut_dirs/d");
  if (mkdir("/ut_dirs/d") != -1)
    fail("mkdir of an existing name succeeded");
  if (open("/ut_dirs/d", O_RDWR) != -1 || open("/ut_dirs/d", O_WRONLY) != -1)
    fail("a directory was opened for writing");
  int fd = xopen("/ut_dirs/d", O_RDONLY);
  if (fstat(fd, &st) < 0 || st.type != T_DIR)
    fail("a directory does not stat as one");
  if (write(fd, "x", 1) != -1)
    fail("write to a directory succeeded");
  close(fd);
  write_file("/ut_dirs/d/f", "f", 1);
  if (unlink("/ut_dirs/d") != -1)
    fail("unlink of a non-empty directory succeeded");
  if (unlink("/ut_dirs/d/.") != -1 || unlink("/ut_dirs/d/..") != -1)
    fail("unlink of . or .. succeeded");

  // Relative paths start at the current directory.
  xchdir("/ut_dirs/d");
  if (read_file("f", buf, sizeof(buf)) != 1)
    fail("a relative path after chdir did not find the file");
  xchdir("..");
  if (read_file("d/f", buf, sizeof(buf)) != 1 || read_file("d/../d/./f", buf, sizeof(buf)) != 1)
    fail("paths through . and .. did not find the file");
  if (chdir("/ut_dirs/d/f") != -1 || chdir("/ut_dirs/none") != -1)
    fail("chdir to a file or a nonexistent name succeeded");
  if (mkdir("/ut_dirs/none/x") != -1 || mkdir("/ut_dirs/d/f/x") != -1 ||
      open("/ut_dirs/d/f/x", O_CREATE | O_RDWR) != -1)
    fail("created something under a nonexistent name or a file");
  xstat("/..", &st);
  if (st.ino != ROOTINO)
    fail("/.. is not the root");

  // A directory's ".." links to its parent.
  xstat("/ut_dirs/d", &st);
  xmkdir("/ut_dirs/d/e");
  xstat("/ut_dirs/d", &st2);
  if (st2.nlink != st.nlink + 1)
    fail("a new subdirectory changed its parent's nlink from %d to %d", st.nlink, st2.nlink);
  xunlink("/ut_dirs/d/e");
  xstat("/ut_dirs/d", &st2);
  if (st2.nlink != st.nlink)
    fail("removing the subdirectory left its parent's nlink at %d", st2.nlink);
  xunlink("/ut_dirs/d/f");
  xunlink("/ut_dirs/d");

  // Ten levels down, and back up with "..".
  strcpy(path, "/ut_dirs");
  for (int i = 0; i < 10; i++) {
    strcpy(path + strlen(path), "/n");
    xmkdir(path);
  }
  xchdir(path);
  xchdir("../../../../../../../../../..");
  xstat(".", &st);
  xstat("/ut_dirs", &st2);
  if (st.ino != st2.ino)
    fail("ten levels down and ten up is not where it started");
  xchdir("/");
  remove_dir("/ut_dirs");
}

static void test_unlinkopen(void)
{
  static char buf[20 * KiB];
  struct stat st;
  const char *f = "/ut_unlinkopen/f";
  fresh_dir("/ut_unlinkopen");
  int w = xopen(f, O_CREATE | O_RDWR);
  int r = xopen(f, O_RDONLY);
  fill_pattern(buf, 6, 0, sizeof(buf));
  xwrite(w, buf, sizeof(buf), f);
  xunlink(f);
  if (open(f, O_RDONLY) != -1)
    fail("an unlinked file could be opened by name");
  if (fstat(r, &st) < 0 || st.nlink != 0)
    fail("an unlinked open file has nlink %d", st.nlink);
  if (read(r, buf, sizeof(buf)) != sizeof(buf))
    fail("an unlinked open file could not be read");
  check_pattern(buf, 6, 0, sizeof(buf), "unlinked open file");
  // It can still grow, seen by another process.
  fill_pattern(buf, 6, sizeof(buf), sizeof(buf));
  xwrite(w, buf, sizeof(buf), "unlinked open file");
  int pid = xfork();
  if (pid == 0) {
    if (read(r, buf, sizeof(buf)) != sizeof(buf))
      fail("the child could not read the unlinked file");
    check_pattern(buf, 6, sizeof(buf), sizeof(buf), "unlinked open file in the child");
    exit(0);
  }
  if (wait_for(pid) != 0)
    fail("the child could not use the unlinked file");
  close(w);
  close(r);
  if (count_entries("/ut_unlinkopen") != 0)
    fail("the unlinked file is still listed");
  write_file(f, "new", 3);
  xstat(f, &st);
  if (st.size != 3)
    fail("a new file under the old name has size %d", (int)st.size);
  remove_dir("/ut_unlinkopen");
}

static void test_fdlimit(void)
{
  int fds[NOFILE];
  int n = 0;
  struct stat st;
  for (;;) {
    int fd = dup(0);
    if (fd < 0)
      break;
    if (n == NOFILE)
      fail("more than NOFILE descriptors");
    fds[n++] = fd;
  }
  if (n != NOFILE - 3)
    fail("%d descriptors besides 0-2 could be opened, expected %d", n, NOFILE - 3);
  int p[2];
  if (open("/", O_RDONLY) != -1 || pipe(p) != -1)
    fail("open or pipe succeeded with every descriptor in use");
  for (int i = 0; i < n; i++)
    close(fds[i]);
  char c;
  if (close(-1) != -1 || close(NOFILE) != -1 || close(fds[0]) != -1)
    fail("close of a bad descriptor succeeded");
  if (read(-1, &c, 1) != -1 || read(NOFILE, &c, 1) != -1 || read(fds[0], &c, 1) != -1 ||
      write(-1, &c, 1) != -1 || write(1000, &c, 1) != -1 ||
      fstat(-5, &st) != -1 || fstat(fds[0], &st) != -1 || dup(-1) != -1 || dup(NOFILE) != -1)
    fail("a call with a bad descriptor succeeded");
}

// The system-wide open file table fills up and empties again.
#define FT_PROCS 10

static int open_until_full_in_children(void)
{
  int counts[2], go[2];
  int pids[FT_PROCS];
  xpipe(counts);
  xpipe(go);
  for (int i = 0; i < FT_PROCS; i++) {
    pids[i] = xfork();
    if (pids[i] == 0) {
      char n = 0, c;
      close(counts[0]);
      close(go[1]);
      while (open("/", O_RDONLY) >= 0)
        n++;
      write(counts[1], &n, 1);
      read(go[0], &c, 1);   // hold them until everyone has counted
      exit(0);
    }
  }
  close(counts[1]);
  close(go[0]);
  int total = 0;
  for (int i = 0; i < FT_PROCS; i++) {
    char n;
    if (read(counts[0], &n, 1) != 1)
      fail("a child died");
    total += n;
  }
  close(counts[0]);
  close(go[1]);
  for (int i = 0; i < FT_PROCS; i++) {
    int status;
    wait_one_of(pids, FT_PROCS, &status);
  }
  return total;
}

static void test_filetable(void)
{
  int first = open_until_full_in_children();
  if (first >= FT_PROCS * (NOFILE - 5))
    fail("%d files opened: the file table never filled", first);
  if (first < NFILE - 20)
    fail("only %d files could be opened, NFILE is %d", first, NFILE);
  int second = open_until_full_in_children();
  if (second != first)
    fail("%d files could be opened, then %d: file table entries leaked", first, second);
}

// ---------------------------------------------------------------------------
// Odds and ends

static long raw_syscall(long number)
{
  register long a0 __asm__("a0") = 0;
  register long a7 __asm__("a7") = number;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
  return a0;
}

static void test_syscalls(void)
{
  static const long unknown[] = { 0, 1000, -1, 1L << 40 };
  for (uint i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
    if (raw_syscall(unknown[i]) != -1)
      fail("system call number %ld did not return -1", unknown[i]);
  int t0 = uptime();
  if (pause(0) != 0 || sleep(-5) != 0 || pause(2) != 0)
    fail("pause/sleep with short or negative times failed");
  if (uptime() - t0 < 2)
    fail("pause(2) returned before two ticks passed");
  int parent = getpid();
  int pid = xfork();
  if (pid == 0)
    exit(getpid() == parent ? 1 : 0);
  if (pid == parent || wait_for(pid) != 0)
    fail("a child has its parent's pid");
}

// System calls copying from or to program pages not yet read from the
// disk: the kernel reads them in the middle of the call (t_pagein.c).
static void test_pagein(void)
{
  static char *cases[][4] = {
    { "/t_pagein", "pipe", 0 },
    { "/t_pagein", "file", "/ut_pagein/f", 0 },
    { "/t_pagein", "console", 0 },
    { "/t_pagein", "readself", 0 },
  };
  fresh_dir("/ut_pagein");
  for (uint i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    int status = run_program(cases[i][0], cases[i], 0, 0);
    if (status != 0)
      fail("t_pagein %s: status %d", cases[i][1], status);
  }
  remove_dir("/ut_pagein");
}

// ---------------------------------------------------------------------------
// The runner

struct test {
  const char *name;
  void (*run)(void);
  int flags;
};
#define SLOW 1     // takes seconds under QEMU; skipped by -q
#define NAMED 2    // runs only when named

// Quick checks of the basics first; the file system after processes and
// memory; last the tests that reach deepest into the kernel.
static const struct test tests[] = {
  { "exitstatus", test_exitstatus, 0 },
  { "waitnochild", test_waitnochild, 0 },
  { "syscalls", test_syscalls, 0 },
  { "killspin", test_killspin, 0 },
  { "killblocked", test_killblocked, 0 },
  { "killbad", test_killbad, 0 },
  { "orphans", test_orphans, 0 },
  { "forkfull", test_forkfull, 0 },
  { "pipeeof", test_pipeeof, 0 },
  { "pipenoreader", test_pipenoreader, 0 },
  { "pipefds", test_pipefds, 0 },
  { "pipebig", test_pipebig, 0 },
  { "sbrkgrow", test_sbrkgrow, 0 },
  { "sbrkshrink", test_sbrkshrink, 0 },
  { "sbrklimit", test_sbrklimit, 0 },
  { "lazy", test_lazy, 0 },
  { "cow", test_cow, 0 },
  { "stack", test_stack, 0 },
  { "faults", test_faults, 0 },
  { "copyin", test_copyin, 0 },
  { "copyout", test_copyout, 0 },
  { "partialwrite", test_partialwrite, 0 },
  { "copylazy", test_copylazy, 0 },
  { "exec", test_exec, 0 },
  { "execargs", test_execargs, 0 },
  { "badelf", test_badelf, 0 },
  { "files", test_files, 0 },
  { "fdlimit", test_fdlimit, 0 },
  { "filetable", test_filetable, 0 },
  { "links", test_links, 0 },
  { "dirs", test_dirs, 0 },
  { "unlinkopen", test_unlinkopen, 0 },
  { "manyfiles", test_manyfiles, 0 },
  { "concreate", test_concreate, 0 },
  { "smp", test_smp, 0 },
  { "execmany", test_execmany, 0 },
  { "bigfile", test_bigfile, SLOW },
  { "inodes", test_inodes, SLOW },
  { "filldisk", test_filldisk, SLOW | NAMED },
  { "oom", test_oom, SLOW },
  { "oomsyscalls", test_oomsyscalls, SLOW | NAMED },
  { "pagein", test_pagein, 0 },
};
#define NTESTS ((int)(sizeof(tests) / sizeof(tests[0])))

// Frames not yet free again compared with before; orphans a test left
// may still be exiting, so they get a moment.
static uint64 frames_missing(uint64 before)
{
  for (int tries = 0; tries < 50; tries++) {
    if (free_frames() >= before)
      return 0;
    pause(2);
  }
  return before - free_frames();
}

// Whether each test's frames must come back (not with usertests -s).
static int count_frames = 1;

// Runs one test in a child; prints its PASS or FAIL line; returns 1 if it passed.
static int run_test(const struct test *t, int show_time)
{
  uint64 before = free_frames();
  int start = uptime();
  int pid = fork();
  if (pid < 0) {
    say("FAIL %s: the runner could not fork", t->name);
    return 0;
  }
  if (pid == 0) {
    test_name = t->name;
    test_pid = getpid();
    t->run();
    exit(0);
  }
  int status = 0;
  int got = wait(&status);
  int ticks = uptime() - start;
  int passed = 0;
  if (got != pid)
    say("FAIL %s: the runner's wait returned %d", t->name, got);
  else if (status == TEST_FAILED)
    ;   // the test printed its FAIL line
  else if (status == -1)
    say("FAIL %s: the test process was killed", t->name);
  else if (status != 0)
    say("FAIL %s: the test process exited with status %d", t->name, status);
  else {
    uint64 missing = count_frames ? frames_missing(before) : 0;
    if (missing != 0)
      say("FAIL %s: %d frames were not freed", t->name, (int)missing);
    else
      passed = 1;
  }
  if (passed)
    say("PASS %s", t->name);
  if (show_time)
    say("time %s: %d ticks", t->name, ticks);
  return passed;
}

// The kernel keeps this program's file pages in its page cache while it
// runs.  Reading each page now means a test's first touch of one cannot
// look like a leaked frame.  Programs are linked at 0x1000 (user.ld) and
// the heap starts right after their data.
static void load_own_pages(void)
{
  char *end = sbrk(0);
  for (char *p = (char *)0x1000; p < end; p += PGSIZE)
    (void)*(volatile char *)p;
}

static const struct test *find_test(const char *name)
{
  for (int i = 0; i < NTESTS; i++)
    if (strcmp(tests[i].name, name) == 0)
      return &tests[i];
  return 0;
}

int main(int argc, char *argv[])
{
  int quick = 0, show_time = 0, named = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-q") == 0)
      quick = 1;
    else if (strcmp(argv[i], "-t") == 0)
      show_time = 1;
    else if (strcmp(argv[i], "-s") == 0)
      count_frames = 0;
    else
      named++;
  }
  load_own_pages();
  free_frames();

  int passed = 0, failed = 0;
  if (named > 0) {
    for (int i = 1; i < argc; i++) {
      if (argv[i][0] == '-')
        continue;
      const struct test *t = find_test(argv[i]);
      if (t == 0) {
        say("FAIL %s: no such test", argv[i]);
        failed++;
      } else if (run_test(t, show_time)) {
        passed++;
      } else {
        failed++;
      }
    }
  } else {
    for (int i = 0; i < NTESTS; i++) {
      if ((quick && (tests[i].flags & SLOW)) || (tests[i].flags & NAMED))
        continue;
      if (run_test(&tests[i], show_time))
        passed++;
      else
        failed++;
    }
  }
  say("usertests: %d passed, %d failed", passed, failed);
  say(failed == 0 ? "ALL TESTS PASSED" : "SOME TESTS FAILED");
  return failed == 0 ? 0 : 1;
}
