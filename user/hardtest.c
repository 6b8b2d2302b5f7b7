// hardtest: regression tests for the defects a system-call fuzzer found
// (issue 8), one case per defect, each written so that it failed on the
// kernel before the fix:
//   write_only_*     a write-only page must work, not fault forever;
//   crosswise_*      two processes reading/writing one file into a mapping
//                    of the other's file, near MAXVA, must not deadlock;
//   mmap_offset_4g   a file offset at or past 4 GiB never wraps to 0;
//   bad_buffer_*     a bad buffer with nothing copied is -1, every device;
//   pipe_*           a failed copy out of a pipe loses no bytes;
//   sbrk_*           sbrk after munmap cut a hole in the heap;
//   exec_entry_zero  a program may start at address 0.
// A case that would hang on a broken kernel runs under a deadline
// (run_with_deadline), so that it fails with a reason instead.
#include "user/vt_harness.h"

#define TICKS_PER_SECOND 100
#define BAD_KERNEL ((char *)0xffffffc000000000UL)
#define TOP_PAGE (MAXVA - PGSIZE)   // above the stack, below MAXVA

static char exec_only_counter[16];

// ---- running a body with a deadline ----

// Runs fn(arg) in a worker process; a watchdog kills it after seconds.
// Returns the worker's exit status; fails the case if the watchdog fired,
// saying whether kill ended the worker.
static int run_with_deadline(void (*fn)(uint64), uint64 arg, int seconds)
{
  int worker = fork();
  if (worker < 0)
    fail("fork failed");
  if (worker == 0) {
    fn(arg);
    exit(0);
  }
  int started = uptime();
  int dog = fork();
  if (dog < 0)
    fail("fork failed");
  if (dog == 0) {
    sleep(seconds * TICKS_PER_SECOND);
    kill(worker);
    exit(2);
  }
  int status = -2;
  int first = wait(&status);
  int timed_out = uptime() - started >= seconds * TICKS_PER_SECOND;
  if (first != worker) {
    // The watchdog is done.  If kill cannot end the worker, this wait hangs
    // and the harness's timeout reports it.
    wait(&status);
  } else {
    kill(dog);
    wait(0);
  }
  if (timed_out)
    fail("no progress in %d s (the worker was stuck; kill ended it)", seconds);
  return status;
}

static void expect_status(const char *what, int status, int want)
{
  if (status != want)
    fail("%s: exit status %d, expected %d", what, status, want);
}

static int open_or_fail(const char *path, int mode)
{
  int fd = open(path, mode);
  if (fd < 0)
    fail("cannot open %s", path);
  return fd;
}

// ---- 1. write-only pages ----

static void write_only_store(uint64 unused)
{
  (void)unused;
  char *p = mmap(0, PGSIZE, PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    fail("mmap PROT_WRITE failed");
  p[0] = 7;
  if (p[0] != 7)
    fail("read back %d, wrote 7", p[0]);
}

static void write_only_store_case(void)
{
  expect_status("p[0] = 7 in a write-only page", run_with_deadline(write_only_store, 0, 20), 0);
}

// read() into a write-only page: the kernel's copy, holding the file's
// inode lock, used to spin there unkillably.
static void write_only_read(uint64 unused)
{
  (void)unused;
  vt_write_file("ht_wo", "hello", 5);
  char *p = mmap(0, PGSIZE, PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    fail("mmap PROT_WRITE failed");
  int fd = open_or_fail("ht_wo", O_RDONLY);
  int n = read(fd, p, 10);
  close(fd);
  if (n != 5 || memcmp(p, "hello", 5) != 0)
    fail("read into a write-only page returned %d", n);
}

static void write_only_read_case(void)
{
  expect_status("read(fd, write-only page, 10)", run_with_deadline(write_only_read, 0, 20), 0);
  // And the file is not left locked: another reader gets through.
  char buf[8];
  int fd = open_or_fail("ht_wo", O_RDONLY);
  int n = read(fd, buf, sizeof(buf));
  close(fd);
  unlink("ht_wo");
  if (n != 5)
    fail("the next read of the file returned %d", n);
}

// The same program with PF_R cleared on its writable segment; run with
// "-w", it reads a file into its data and counts in it.
static void exec_write_only_segment(uint64 self)
{
  char *argv[] = { "ht_wseg", "-w", 0 };
  exec("ht_wseg", argv);
  printf("hardtest: exec of %s with a write-only segment failed\n", (char *)self);
  exit(3);
}

static int write_only_segment_body(void)
{
  vt_write_file("ht_wo", "hello", 5);
  int fd = open("ht_wo", O_RDONLY);
  int n = fd < 0 ? -1 : read(fd, exec_only_counter, 5);
  unlink("ht_wo");
  exec_only_counter[5]++;
  return n == 5 && memcmp(exec_only_counter, "hello", 5) == 0 && exec_only_counter[5] == 1 ? 0 : 4;
}

static void write_only_segment_case(void)
{
  // Copy our own executable a page at a time, patching the program
  // headers in the first page.
  int in = open_or_fail(vt_self_path, O_RDONLY);
  int out = open_or_fail("ht_wseg", O_CREATE | O_TRUNC | O_WRONLY);
  static char page[PGSIZE];
  struct elfhdr *eh = (struct elfhdr *)page;
  int patched = 0, n;
  for (int first = 1; (n = read(in, page, PGSIZE)) > 0; first = 0) {
    for (int i = 0; first && i < eh->phnum; i++) {
      struct proghdr *ph = (struct proghdr *)(page + eh->phoff + i * sizeof(*ph));
      if (eh->phoff + (i + 1) * sizeof(*ph) <= PGSIZE && ph->type == PT_LOAD &&
          (ph->flags & PF_W)) {
        ph->flags &= ~PF_R;
        patched++;
      }
    }
    if (write(out, page, n) != n)
      fail("cannot write the patched program");
  }
  close(in);
  close(out);
  if (patched == 0)
    fail("my own executable has no writable segment to patch");
  int status = run_with_deadline(exec_write_only_segment, (uint64)vt_self_path, 20);
  unlink("ht_wseg");
  expect_status("a program whose data segment is PF_W only", status, 0);
}

// ---- 2. crosswise file copies into a mapping of the other file ----

#define CROSS_ROUNDS 3000

// Fills path with PGSIZE copies of c.
static void fill_file(const char *path, char c)
{
  static char page[PGSIZE];
  memset(page, c, PGSIZE);
  vt_write_file(path, page, PGSIZE);
}

// Each round maps `mapped` afresh at the top page (so the page must be
// read from the file, under the other file's lock) and reads `read_from`
// into it with a huge length (the copy runs into MAXVA and stops there),
// or, writing, copies the mapping into `written`.
static void cross_rounds(const char *mapped, const char *read_from, const char *written,
                         char expect)
{
  for (int i = 0; i < CROSS_ROUNDS; i++) {
    int mfd = open_or_fail(mapped, O_RDONLY);
    char *top = mmap((void *)TOP_PAGE, PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED,
                     mfd, 0);
    close(mfd);
    if (top != (char *)TOP_PAGE)
      fail("mmap at MAXVA - 4096 failed");
    if (written) {
      int fd = open_or_fail(written, O_WRONLY);
      int n = write(fd, top, 0x7fffffff);
      close(fd);
      if (n != PGSIZE)
        fail("round %d: write from the mapping returned %d", i, n);
    } else {
      int fd = open_or_fail(read_from, O_RDONLY);
      int n = read(fd, top, 0x7fffffff);
      close(fd);
      if (n != PGSIZE || top[0] != expect || top[PGSIZE - 1] != expect)
        fail("round %d: read into the mapping returned %d, byte %c", i, n, top[0]);
    }
    munmap(top, PGSIZE);
  }
}

static void cross_read_a(uint64 u) { (void)u; cross_rounds("ht_b", "ht_a", 0, 'a'); }
static void cross_read_b(uint64 u) { (void)u; cross_rounds("ht_a", "ht_b", 0, 'b'); }
static void cross_write_a(uint64 u) { (void)u; cross_rounds("ht_b", 0, "ht_a2", 0); }
static void cross_write_b(uint64 u) { (void)u; cross_rounds("ht_a", 0, "ht_b2", 0); }

// Runs two bodies at once, each in a process of its own under the deadline.
static void crosswise(void (*one)(uint64), void (*other)(uint64))
{
  fill_file("ht_a", 'a');
  fill_file("ht_b", 'b');
  fill_file("ht_a2", 'x');
  fill_file("ht_b2", 'x');
  void (*bodies[])(uint64) = { one, other };
  for (int i = 0; i < 2; i++) {
    int pid = fork();
    if (pid < 0)
      fail("fork failed");
    if (pid == 0) {
      expect_status("a crosswise process", run_with_deadline(bodies[i], 0, 120), 0);
      exit(0);
    }
  }
  vt_reap_all(2, "a crosswise process");
}

static void crosswise_read_case(void)
{
  crosswise(cross_read_a, cross_read_b);
}

static void crosswise_write_case(void)
{
  crosswise(cross_write_a, cross_write_b);
  // Each written file now holds the other's bytes.
  char buf[2];
  int fd = open_or_fail("ht_a2", O_RDONLY);
  read(fd, buf, 1);
  close(fd);
  fd = open_or_fail("ht_b2", O_RDONLY);
  read(fd, buf + 1, 1);
  close(fd);
  if (buf[0] != 'b' || buf[1] != 'a')
    fail("the written files begin with %c and %c, not b and a", buf[0], buf[1]);
  unlink("ht_a");
  unlink("ht_b");
  unlink("ht_a2");
  unlink("ht_b2");
}

// ---- 3. mmap offsets at or past 4 GiB ----

static void mmap_offset_4g_case(void)
{
  fill_file("ht_big", 'z');
  int fd = open_or_fail("ht_big", O_RDWR);
  int flags[] = { MAP_PRIVATE, MAP_SHARED };
  uint64 offsets[] = { 1UL << 32, (1UL << 32) + PGSIZE, 1UL << 40 };
  for (int f = 0; f < 2; f++) {
    for (int o = 0; o < 3; o++) {
      char *p = mmap(0, PGSIZE, PROT_READ, flags[f], fd, offsets[o]);
      if (p == MAP_FAILED)
        continue;   // refusing is right too
      for (int i = 0; i < PGSIZE; i++)
        if (p[i] != 0)
          fail("%s mapping at offset %p shows byte %d = %c of the file",
               flags[f] == MAP_SHARED ? "shared" : "private", (void *)offsets[o], i, p[i]);
      munmap(p, PGSIZE);
    }
  }
  close(fd);
  unlink("ht_big");
}

// ---- 4. a bad buffer with nothing copied is -1 ----

static void bad_buffer_write_case(void)
{
  char *bad[] = { 0, BAD_KERNEL, (char *)TOP_PAGE };
  int p[2];
  if (pipe(p) < 0)
    fail("pipe failed");
  int file = open_or_fail("ht_bad", O_CREATE | O_RDWR);
  int fds[] = { 1, p[1], file };
  const char *names[] = { "the console", "a pipe", "a file" };
  for (int f = 0; f < 3; f++)
    for (int b = 0; b < 3; b++) {
      int n = write(fds[f], bad[b], 10);
      if (n != -1)
        fail("write(%s, %p, 10) returned %d", names[f], bad[b], n);
    }
  for (int b = 0; b < 3; b++) {
    int n = read(file, bad[b], 10);
    if (n != -1 && n != 0)
      fail("read(a file, %p, 10) returned %d", bad[b], n);
  }
  close(file);
  close(p[0]);
  close(p[1]);
  unlink("ht_bad");
}

// ---- 5. a failed copy out of a pipe keeps the bytes ----

static void pipe_bad_read_case(void)
{
  int p[2];
  char buf[16];
  if (pipe(p) < 0)
    fail("pipe failed");
  write(p[1], "0123456789", 10);
  close(p[1]);   // an empty pipe reads as end of file, not a wait
  int n = read(p[0], BAD_KERNEL, 5);
  if (n != -1)
    fail("read into a kernel address returned %d", n);
  n = read(p[0], 0, 5);
  if (n != -1)
    fail("read into NULL returned %d", n);
  n = read(p[0], buf, sizeof(buf));
  if (n != 10 || memcmp(buf, "0123456789", 10) != 0)
    fail("the next good read got %d bytes, not all 10", n);
  close(p[0]);
}

// A buffer whose second half is unmapped: the read reports what it
// delivered, and the rest stays in the pipe.
static void pipe_half_bad_read_case(void)
{
  int p[2];
  char buf[16];
  char *two = mmap(0, 2 * PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (pipe(p) < 0 || two == MAP_FAILED || munmap(two + PGSIZE, PGSIZE) < 0)
    fail("setup failed");
  write(p[1], "0123456789", 10);
  close(p[1]);
  char *edge = two + PGSIZE - 4;
  int n = read(p[0], edge, 10);
  int delivered = n < 0 ? 0 : n;
  int rest = read(p[0], buf, sizeof(buf));
  if (n < -1 || n > 4 || memcmp(edge, "0123", delivered) != 0 || rest != 10 - delivered ||
      memcmp(buf, "0123456789" + delivered, rest) != 0)
    fail("read across the end of the mapping returned %d, then %d", n, rest);
  close(p[0]);
}

// ---- 6. sbrk after a hole in the heap; exec at entry 0 ----

static void sbrk_hole_case(void)
{
  char *h = sbrk(3 * PGSIZE);
  if (h == SBRK_ERROR)
    fail("sbrk(3 pages) failed");
  h[0] = 1;
  h[2 * PGSIZE] = 3;
  if (munmap(h + PGSIZE, PGSIZE) < 0)
    fail("munmap of the heap's middle page failed");
  char *brk = h + 3 * PGSIZE;
  if (sbrk(0) != brk)
    fail("sbrk(0) returned %p, not the break %p", sbrk(0), brk);
  if (sbrk(PGSIZE) != brk)
    fail("growing by a page failed");
  brk[PGSIZE - 1] = 4;
  if (h[0] != 1 || h[2 * PGSIZE] != 3)
    fail("the heap's pages lost their data");
  vt_expect_killed("a touch of the hole", vt_read_byte, (uint64)(h + PGSIZE));
  if (sbrk(-2 * PGSIZE) != brk + PGSIZE || sbrk(0) != h + 2 * PGSIZE)
    fail("shrinking by two pages failed");
  vt_expect_killed("a touch above the shrunk break", vt_read_byte, (uint64)(h + 2 * PGSIZE));
  if (sbrk(-2 * PGSIZE) != h + 2 * PGSIZE || sbrk(0) != h)
    fail("shrinking across the hole failed");
  if (sbrk(3 * PGSIZE) != h || h[0] != 0 || h[PGSIZE] != 0 || h[2 * PGSIZE] != 0)
    fail("growing again did not give zeroed pages");
}

// A minimal program placed at address 0, entry point 0: exit(7).
static void exec_entry_zero_case(void)
{
  static char elf[PGSIZE + 12];
  struct elfhdr *eh = (struct elfhdr *)elf;
  struct proghdr *ph = (struct proghdr *)(elf + sizeof(*eh));
  eh->magic = ELF_MAGIC;
  eh->class = ELFCLASS64;
  eh->data = ELFDATA2LSB;
  eh->version = 1;
  eh->type = ET_EXEC;
  eh->machine = EM_RISCV;
  eh->elf_version = 1;
  eh->entry = 0;
  eh->phoff = sizeof(*eh);
  eh->ehsize = sizeof(*eh);
  eh->phentsize = sizeof(*ph);
  eh->phnum = 1;
  ph->type = PT_LOAD;
  ph->flags = PF_R | PF_X;
  ph->off = PGSIZE;
  ph->vaddr = 0;
  ph->filesz = ph->memsz = 12;
  ph->align = PGSIZE;
  uint32 code[] = {
    0x00700513,   // li a0, 7
    0x00200893,   // li a7, SYS_exit
    0x00000073,   // ecall
  };
  memmove(elf + PGSIZE, code, sizeof(code));
  vt_write_file("ht_zero", elf, sizeof(elf));
  int pid = fork();
  if (pid < 0)
    fail("fork failed");
  if (pid == 0) {
    char *argv[] = { "ht_zero", 0 };
    exec("ht_zero", argv);
    exit(3);
  }
  int status = -2;
  wait(&status);
  unlink("ht_zero");
  if (status != 7)
    fail("the program at entry 0 exited with %d (3: exec failed), not 7", status);
}

static const struct {
  const char *name;
  void (*body)(void);
} cases[] = {
  { "write_only_store", write_only_store_case },
  { "write_only_read", write_only_read_case },
  { "write_only_segment", write_only_segment_case },
  { "crosswise_read", crosswise_read_case },
  { "crosswise_write", crosswise_write_case },
  { "mmap_offset_4g", mmap_offset_4g_case },
  { "bad_buffer_write", bad_buffer_write_case },
  { "pipe_bad_read", pipe_bad_read_case },
  { "pipe_half_bad_read", pipe_half_bad_read_case },
  { "sbrk_hole", sbrk_hole_case },
  { "exec_entry_zero", exec_entry_zero_case },
};

// hardtest [NAME ...]: every case, or only the named ones.
int main(int argc, char *argv[])
{
  if (argc == 2 && strcmp(argv[1], "-w") == 0)
    return write_only_segment_body();
  vt_start("hardtest", argv[0]);
  for (int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    int wanted = argc == 1;
    for (int a = 1; a < argc; a++)
      wanted |= strcmp(argv[a], cases[i].name) == 0;
    if (wanted)
      vt_run(cases[i].name, cases[i].body);
  }
  return vt_finish();
}
