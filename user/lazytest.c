// lazytest: demand paging.  The heap, the stack and a program's image get
// pages only when touched; freed pages go back; a process that runs out of
// memory or off its stack dies alone.  Helper: vt_text (a program with a
// 64 KiB read-only table).
#include "user/vt_harness.h"
#include "kernel/memlayout.h"
#include "kernel/param.h"
#include "kernel/stat.h"

#define TEXT_HELPER "/vt_text"
#define TEXT_HELPER_TABLE_PAGES 16   // vt_text.c's TABLE_PAGES
#define SCRATCH "lt_program"

// ---- the heap

static void sbrk_sparse(void)
{
  const int size = 1 << 30;
  const int touched = 9;
  struct vmstat *st = vt_vmstat();
  uint64 resident0 = st->self_resident, free0 = st->frames_free;

  char *base = sbrk(size);
  if (base == SBRK_ERROR)
    fail("sbrk(1 GiB) failed");
  st = vt_vmstat();
  if (st->self_resident != resident0 || st->frames_free != free0)
    fail("sbrk(1 GiB) alone took %ld frames, %ld resident pages",
         (long)(free0 - st->frames_free), (long)(st->self_resident - resident0));

  // Eight pages spread over the gigabyte (not its first page, which
  // sbrk_shrink looks at), and its last byte.
  for (int i = 0; i < touched; i++) {
    char *p = base + size - 1;
    if (i < touched - 1)
      p = base + PGSIZE + (uint64)i * (size / (touched - 1));
    if (*p != 0)
      fail("a fresh heap page at %p does not read zero", p);
    *p = (char)(i + 1);
  }
  st = vt_vmstat();
  uint64 used = free0 - st->frames_free;
  if (st->self_resident - resident0 != touched)
    fail("touching %d pages made %ld pages resident", touched,
         (long)(st->self_resident - resident0));
  // Each touched page may need a page-table page of its own, and the
  // gigabyte may span two page directories.
  if (used < touched || used > 2 * touched + 2)
    fail("touching %d pages took %ld frames", touched, (long)used);
  if (base[size - 1] != touched)
    fail("the last byte of the heap lost its value");

  uint64 free_full = st->frames_free;
  if (sbrk(-size) != base + size)
    fail("sbrk(-1 GiB) did not return the old break");
  st = vt_vmstat();
  if (st->self_resident != resident0)
    fail("after sbrk(-1 GiB), %ld pages are still resident",
         (long)(st->self_resident - resident0));
  if (st->frames_free < free_full + touched)
    fail("sbrk(-1 GiB) gave back %ld frames, not %d", (long)(st->frames_free - free_full),
         touched);
  vt_expect_killed("reading a released heap page", vt_read_byte,
                   (uint64)base + PGSIZE + size / 2);
}

// The heap grows, lazily, until it meets the area kept for mmap (a little
// under 256 GiB up).
static void sbrk_huge(void)
{
  const int step = 1 << 30;
  char *start = sbrk(0);
  int steps = 0;
  while (sbrk(step) != SBRK_ERROR)
    if (++steps > 300)
      fail("sbrk grew the heap past 300 GiB");
  if (steps < 200)
    fail("the heap stopped growing at %d GiB", steps);
  char *end = sbrk(0);
  end[-1] = 'e';
  char *mapped = mmap(0, PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED || (mapped >= start && mapped < end))
    fail("with a %d GiB heap, mmap returned %p", steps, mapped);
  *mapped = 'm';
  if (end[-1] != 'e')
    fail("the heap's last byte changed");
  for (int i = 0; i < steps; i++)
    if (sbrk(-step) == SBRK_ERROR)
      fail("sbrk(-1 GiB) failed");
  if (sbrk(0) != start)
    fail("the heap did not shrink back to where it started");
}

static void sbrk_shrink(void)
{
  const int pages = 1024;
  uint64 free0 = vt_frames_free();

  char *base = sbrk(pages * PGSIZE);
  if (base == SBRK_ERROR)
    fail("sbrk(4 MiB) failed");
  for (int i = 0; i < pages; i++)
    base[i * PGSIZE] = (char)(i | 1);
  uint64 free_full = vt_frames_free();
  if (free0 - free_full < pages)
    fail("%d written pages took only %ld frames", pages, (long)(free0 - free_full));

  // Back to where the heap started: every page must go.
  if (sbrk(-pages * PGSIZE) != base + pages * PGSIZE)
    fail("sbrk(-4 MiB) did not return the old break");
  uint64 freed = vt_frames_free() - free_full;
  vt_expect_killed("writing below the old break", vt_write_byte, (uint64)base + PGSIZE);

  // Grown again, the heap must be fresh zeroes, not the old data.
  if (sbrk(pages * PGSIZE) != base)
    fail("sbrk after a shrink did not start at the old place");
  for (int i = 0; i < pages; i += 73)
    if (base[i * PGSIZE] != 0)
      fail("page %d of the heap still holds its old data after sbrk(-4 MiB) and sbrk(+4 MiB)",
           i);
  if (freed < pages)
    fail("sbrk(-4 MiB) gave back %ld frames, not %d", (long)freed, pages);
  sbrk(-pages * PGSIZE);

  if (sbrk(-(1 << 30)) != SBRK_ERROR)
    fail("shrinking the heap below its start succeeded");
}

// System calls given memory that is not there yet: the kernel makes the
// pages as it copies; memory the process could not write itself makes the
// call fail (-1) and stays unchanged.
static void syscalls_on_lazy_memory(void)
{
  char *heap = sbrk(4 * PGSIZE);
  int fds[2];
  if (heap == SBRK_ERROR || pipe(fds) < 0)
    fail("sbrk or pipe failed");
  char got[20];
  if (write(fds[1], heap + PGSIZE - 10, 20) != 20 || read(fds[0], got, 20) != 20)
    fail("write() from untouched heap pages failed");
  for (int i = 0; i < 20; i++)
    if (got[i] != 0)
      fail("write() from untouched heap pages did not send zeroes");
  const char text[] = "0123456789abcdefghi";
  if (write(fds[1], text, 20) != 20 || read(fds[0], heap + 3 * PGSIZE - 10, 20) != 20)
    fail("read() into untouched heap pages failed");
  if (memcmp(heap + 3 * PGSIZE - 10, text, 20) != 0)
    fail("read() into untouched heap pages stored the wrong bytes");

  int fd = open(TEXT_HELPER, O_RDONLY);
  if (fd < 0)
    fail("cannot open %s", TEXT_HELPER);
  uint64 code_before = *(uint64 *)syscalls_on_lazy_memory;
  struct {
    const char *what;
    uint64 addr;
  } refused[] = {
    { "the program's code", (uint64)syscalls_on_lazy_memory },
    { "past the break", (uint64)sbrk(0) + 8 * PGSIZE },
    { "below the stack limit", USER_STACK_TOP - USER_STACK_LIMIT - PGSIZE },
    { "page 0", 0 },
    { "kernel space", 0xffffffc000000000UL },
    { "the top of user space", MAXVA - 4 },
  };
  for (int i = 0; i < (int)(sizeof(refused) / sizeof(refused[0])); i++) {
    if (read(fd, (char *)refused[i].addr, 8) != -1)
      fail("read() into %s did not fail", refused[i].what);
    if (i > 0 && write(fds[1], (char *)refused[i].addr, 8) != -1)
      fail("write() from %s did not fail", refused[i].what);
  }
  close(fd);
  close(fds[0]);
  close(fds[1]);
  if (*(uint64 *)syscalls_on_lazy_memory != code_before)
    fail("a failed read() changed the program's code");
}

// ---- the stack

// Uses about 1 KiB of stack per level; returns the sum of 1..depth.
static uint64 __attribute__((noinline)) recurse(int depth)
{
  volatile char frame[1024];
  frame[0] = (char)depth;
  frame[sizeof(frame) - 1] = (char)depth;
  if (depth == 0)
    return 0;
  return (uint64)depth + recurse(depth - 1) + (uint64)(frame[0] - (char)depth);
}

static void stack_grow(void)
{
  // 6 MiB of calls: the stack grows page by page as the calls go down.
  const int depth = 6 * 1024;
  if (recurse(depth) != (uint64)depth * (depth + 1) / 2)
    fail("deep recursion computed a wrong sum");

  // Every page down to the lowest one allowed, with a mapping placed
  // where mmap puts them: as close below the stack's limit as it may.
  char *mapped = mmap(0, 16 * PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED)
    fail("mmap failed");
  memset(mapped, 'm', 16 * PGSIZE);
  uint64 lowest = USER_STACK_TOP - USER_STACK_LIMIT;
  uint64 here = PGROUNDDOWN((uint64)&lowest) - PGSIZE;
  for (uint64 va = here; va >= lowest; va -= PGSIZE)
    *(volatile uint64 *)va = va;
  for (uint64 va = here; va >= lowest; va -= PGSIZE)
    if (*(volatile uint64 *)va != va)
      fail("stack page %p lost its value", (void *)va);
  uint64 resident = vt_vmstat()->self_resident;
  if (resident < USER_STACK_LIMIT / PGSIZE)
    fail("an 8 MiB stack left only %ld pages resident", (long)resident);
  for (int i = 0; i < 16 * PGSIZE; i += 256)
    if (mapped[i] != 'm')
      fail("the stack grew over a mapping");
}

static void run_away(uint64 unused)
{
  (void)unused;
  for (int depth = 1;; depth *= 2)
    recurse(depth);
}

static void stack_limit(void)
{
  uint64 lowest = USER_STACK_TOP - USER_STACK_LIMIT;
  vt_expect_killed("writing just below the stack limit", vt_write_byte, lowest - 1);
  vt_expect_killed("reading a page below the stack limit", vt_read_byte, lowest - PGSIZE);
  vt_expect_killed("unbounded recursion", run_away, 0);
}

// ---- the program image

static void text_readonly(void)
{
  vt_expect_killed("writing to the program's code", vt_write_byte, (uint64)text_readonly);
  static const char constant[] = "read-only data";
  vt_expect_killed("writing to read-only data", vt_write_byte, (uint64)constant);
  vt_expect_killed("reading page 0", vt_read_byte, 0);
}

// A running copy of a program whose fd 0 and fd 1 are pipes to us (see
// vt_text.c for its side).
struct helper {
  int pid;
  int to, from;
};

static void helper_start(struct helper *h, const char *path, const char *arg)
{
  int in[2], out[2];
  if (pipe(in) < 0 || pipe(out) < 0)
    fail("pipe failed");
  h->pid = fork();
  if (h->pid < 0)
    fail("fork failed");
  if (h->pid == 0) {
    close(0);
    dup(in[0]);
    close(1);
    dup(out[1]);
    // Nothing else: another helper's pipe held open here would never
    // see its end.
    for (int fd = 3; fd < NOFILE; fd++)
      close(fd);
    char *argv[] = { (char *)path, (char *)arg, 0 };
    exec(path, argv);
    exit(2);
  }
  close(in[0]);
  close(out[1]);
  h->to = in[1];
  h->from = out[0];
  char started = 0;
  if (read(h->from, &started, 1) != 1 || started != 's')
    fail("%s %s did not start", path, arg);
}

// Lets the helper touch its table; returns 1 if it found what vt_text.c
// put there, 0 if not.
static int helper_go(struct helper *h)
{
  char answer = 0;
  write(h->to, "g", 1);
  if (read(h->from, &answer, 1) != 1)
    fail("the helper died before answering");
  return answer == 'y';
}

static void helper_go_ok(struct helper *h)
{
  if (!helper_go(h))
    fail("the helper found its table corrupted");
}

static void helper_finish(struct helper *h, int expected_status)
{
  close(h->to);
  close(h->from);
  int status = -2;
  if (wait(&status) < 0 || status != expected_status)
    fail("a helper exited with status %d", status);
}

// The size of a program's image in pages, from its program headers.
static uint64 image_pages(const char *path)
{
  struct elfhdr eh;
  uint64 pages = 0;
  int fd = open(path, O_RDONLY);
  if (fd < 0 || read(fd, &eh, sizeof(eh)) != sizeof(eh) || eh.phoff != sizeof(eh))
    fail("cannot read the program headers of %s", path);
  for (int i = 0; i < eh.phnum; i++) {
    struct proghdr ph;
    if (read(fd, &ph, sizeof(ph)) != sizeof(ph))
      fail("cannot read the program headers of %s", path);
    if (ph.type == PT_LOAD)
      pages += (PGROUNDUP(ph.vaddr + ph.memsz) - PGROUNDDOWN(ph.vaddr)) / PGSIZE;
  }
  close(fd);
  return pages;
}

static void lazy_text(void)
{
  uint64 pages = image_pages(TEXT_HELPER);
  uint64 read0 = vt_vmstat()->file_pages_read;
  struct helper h;
  helper_start(&h, TEXT_HELPER, "1");
  helper_go_ok(&h);
  uint64 resident = vt_resident_of(h.pid);
  helper_finish(&h, 0);
  uint64 read = vt_vmstat()->file_pages_read - read0;
  // Its code, one page of the table, and perhaps a page of data.
  if (read == 0 || read > 6 || read >= pages)
    fail("running %s (%ld pages) read %ld pages of it", TEXT_HELPER, (long)pages, (long)read);
  if (resident == 0 || resident > 8)
    fail("%s touching one page of its table has %ld pages resident", TEXT_HELPER,
         (long)resident);
}

static void shared_text(void)
{
  struct helper first, second;
  uint64 free0 = vt_frames_free();
  helper_start(&first, TEXT_HELPER, "16");
  helper_go_ok(&first);
  uint64 free1 = vt_frames_free();
  helper_start(&second, TEXT_HELPER, "16");
  helper_go_ok(&second);
  uint64 free2 = vt_frames_free();
  uint64 resident1 = vt_resident_of(first.pid), resident2 = vt_resident_of(second.pid);
  helper_finish(&first, 0);
  helper_finish(&second, 0);

  uint64 cost1 = free0 - free1, cost2 = free1 - free2;
  if (resident1 < TEXT_HELPER_TABLE_PAGES || resident2 < TEXT_HELPER_TABLE_PAGES)
    fail("the helpers have only %ld and %ld pages resident", (long)resident1, (long)resident2);
  if (cost2 + TEXT_HELPER_TABLE_PAGES > cost1)
    fail("the first copy took %ld frames, the second %ld: its %d table pages are not shared",
         (long)cost1, (long)cost2, TEXT_HELPER_TABLE_PAGES);
}

// Reads a whole file into memory from the heap; returns its size.
static int slurp(const char *path, char **data)
{
  struct stat st;
  int fd = open(path, O_RDONLY);
  if (fd < 0 || fstat(fd, &st) < 0)
    fail("cannot open %s", path);
  *data = malloc((uint)st.size);
  if (!*data || read(fd, *data, (int)st.size) != (int)st.size)
    fail("cannot read %s", path);
  close(fd);
  return (int)st.size;
}

// Exit status of a child that execs path: 7 if exec failed.
static int exec_status(const char *path)
{
  int pid = fork();
  if (pid < 0)
    fail("fork failed");
  if (pid == 0) {
    char *argv[] = { (char *)path, 0 };
    exec(path, argv);
    exit(7);
  }
  int status = -2;
  wait(&status);
  return status;
}

enum { EMPTY, SHORT_HEADER, HEADERS_CUT, SEGMENT_CUT, BAD_MAGIC, WRONG_MACHINE, ELF32,
       NO_PHDRS, MANY_PHDRS, BAD_PHENTSIZE, MEMSZ_SMALL, KERNEL_VADDR, STACK_VADDR, HUGE_MEMSZ,
       MISALIGNED, ENTRY_UNMAPPED, ENTRY_NOT_EXEC, OVERLAP, NVARIANTS };

static const char *variant_names[NVARIANTS] = {
  "an empty file", "a short ELF header", "cut program headers", "a cut segment",
  "a bad magic number", "another machine", "a 32-bit ELF", "no program headers",
  "too many program headers", "a wrong program header size", "memsz < filesz",
  "a segment in kernel space", "a segment in the stack's place",
  "a segment whose end wraps around",
  "a segment whose address and offset disagree", "an entry point in no segment",
  "an entry point in a non-executable segment", "overlapping segments",
};

// Makes image (len bytes of a good program) into variant v; returns its
// new length.
static int spoil(char *image, int len, int v)
{
  struct elfhdr *eh = (struct elfhdr *)image;
  struct proghdr *ph = (struct proghdr *)(image + eh->phoff);
  struct proghdr *text = 0, *data = 0;
  for (int i = 0; i < eh->phnum; i++) {
    if (ph[i].type == PT_LOAD && (ph[i].flags & PF_X))
      text = &ph[i];
    else if (ph[i].type == PT_LOAD)
      data = &ph[i];
  }
  if (!text || !data)
    fail("%s does not have a text and a data segment", TEXT_HELPER);
  switch (v) {
  case EMPTY: return 0;
  case SHORT_HEADER: return sizeof(*eh) - 8;
  case HEADERS_CUT: return (int)eh->phoff + (int)sizeof(*ph) + 20;
  case SEGMENT_CUT: return (int)(text->off + text->filesz) - PGSIZE;
  case BAD_MAGIC: image[1] = 'F'; break;
  case WRONG_MACHINE: eh->machine = 62; break;
  case ELF32: eh->class = 1; break;
  case NO_PHDRS: eh->phnum = 0; break;
  case MANY_PHDRS: eh->phnum = 0xffff; break;
  case BAD_PHENTSIZE: eh->phentsize = 32; break;
  case MEMSZ_SMALL: text->memsz = text->filesz - 1; break;
  case KERNEL_VADDR: text->vaddr += 0xffffffc000000000UL; eh->entry += 0xffffffc000000000UL; break;
  case STACK_VADDR: text->vaddr = USER_STACK_TOP - PGSIZE + text->vaddr % PGSIZE; break;
  case HUGE_MEMSZ: text->memsz = -(uint64)PGSIZE; break;
  case MISALIGNED: text->vaddr += 8; break;
  case ENTRY_UNMAPPED: eh->entry = 0x40000000; break;
  case ENTRY_NOT_EXEC: eh->entry = data->vaddr; break;
  case OVERLAP: data->vaddr = text->vaddr; data->off = text->off; break;
  }
  return len;
}

static void bad_elf(void)
{
  char *program;
  slurp(TEXT_HELPER, &program);
  // The loadable part only: the debugging sections after it are not needed.
  struct elfhdr *eh = (struct elfhdr *)program;
  struct proghdr *ph = (struct proghdr *)(program + eh->phoff);
  int len = 0;
  for (int i = 0; i < eh->phnum; i++)
    if (ph[i].type == PT_LOAD && (int)(ph[i].off + ph[i].filesz) > len)
      len = (int)(ph[i].off + ph[i].filesz);
  char *copy = malloc((uint)len);

  // Control: the good image runs.
  vt_write_file(SCRATCH, program, len);
  int status = exec_status(SCRATCH);
  if (status != 0)
    fail("the unchanged program did not run (exit status %d)", status);

  for (int v = 0; v < NVARIANTS; v++) {
    memmove(copy, program, len);
    vt_write_file(SCRATCH, copy, spoil(copy, len, v));
    status = exec_status(SCRATCH);
    if (status != 7)
      fail("exec of a program with %s did not fail (exit status %d)", variant_names[v], status);
  }
  unlink(SCRATCH);
  if (exec_status(".") != 7)
    fail("exec of a directory did not fail");
  if (exec_status("/console") != 7)
    fail("exec of a device did not fail");
  free(copy);
  free(program);
}

// The program's file is unlinked while it runs, before it touches its
// table: its pages must still come from the (now nameless) file.
static void unlinked_program(void)
{
  char *program;
  int len = slurp(TEXT_HELPER, &program);
  vt_write_file(SCRATCH, program, len);
  free(program);
  struct helper h;
  helper_start(&h, SCRATCH, "16");
  if (unlink(SCRATCH) < 0)
    fail("cannot unlink %s", SCRATCH);
  helper_go_ok(&h);
  helper_finish(&h, 0);
}

// The program's file is rewritten while a copy of it runs (and so keeps
// its pages cached): a program started afterwards must run the new
// contents, not the cached old ones.
static void rewritten_program(void)
{
  char *program;
  int len = slurp(TEXT_HELPER, &program);
  vt_write_file(SCRATCH, program, len);
  struct helper old, new;
  helper_start(&old, SCRATCH, "1");
  helper_go_ok(&old);   // page 0 of its table is now cached

  // The new version: the first byte of the table's page 0 changed.
  struct elfhdr *eh = (struct elfhdr *)program;
  struct proghdr *ph = (struct proghdr *)(program + eh->phoff);
  int i = 0;
  while (i < eh->phnum && !(ph[i].type == PT_LOAD && (ph[i].flags & PF_X)))
    i++;
  if (i == eh->phnum)
    fail("%s has no text segment", TEXT_HELPER);
  // Find vt_text's table in the file: a page-aligned run of pages that
  // starts 1 ... 0x5a, 2 ...
  int table = -1;
  for (int off = (int)ph[i].off; off + TEXT_HELPER_TABLE_PAGES * PGSIZE <= len; off += PGSIZE)
    if (program[off] == 1 && program[off + PGSIZE - 1] == 0x5a &&
        program[off + PGSIZE] == 2) {
      table = off;
      break;
    }
  if (table < 0)
    fail("cannot find the table in %s", TEXT_HELPER);
  program[table] = 9;
  vt_write_file(SCRATCH, program, len);
  free(program);

  helper_start(&new, SCRATCH, "1");
  if (helper_go(&new))
    fail("a program started after its file was rewritten ran the old contents");
  helper_finish(&new, 1);
  helper_finish(&old, 0);
  unlink(SCRATCH);
}

// ---- running out of memory

static void eat_everything(uint64 pages)
{
  char *p = sbrk((int)(pages * PGSIZE));
  if (p == SBRK_ERROR)
    exit(3);
  for (uint64 i = 0; i < pages; i++)
    p[i * PGSIZE] = 1;
  exit(4);   // should not get here: there is not that much memory
}

static void out_of_memory(void)
{
  const int mine = 64;
  char *data = sbrk(mine * PGSIZE);
  for (int i = 0; i < mine; i++)
    memset(data + i * PGSIZE, i + 1, PGSIZE);
  uint64 free0 = vt_frames_unheld();

  // More pages than are free, plus some.
  int status = vt_status_of(eat_everything, vt_frames_free() + 2048);
  if (status != -1)
    fail("a process using more memory than there is was not killed (exit status %d)", status);
  for (int i = 0; i < mine; i++)
    for (int j = 0; j < PGSIZE; j += 511)
      if (data[i * PGSIZE + j] != (char)(i + 1))
        fail("the parent's page %d changed while a child ran out of memory", i);
  // (Free, cached and slab frames: the pager drops clean file pages.)
  uint64 free1 = vt_frames_unheld();
  if (free1 != free0)
    fail("free + cached + slab frames were %ld before the child ran out of memory and %ld after",
         (long)free0, (long)free1);
  // Memory is usable again.
  char *more = sbrk(256 * PGSIZE);
  for (int i = 0; i < 256; i++)
    more[i * PGSIZE] = 1;
}

// Frames go from one process to the next: a process must never see what
// another left in them.  One child fills memory with a pattern and exits;
// the next takes as much fresh memory (heap, an anonymous mapping) and
// finds every byte zero.  (Stack pages are filled by the same zero-fill
// path, but this program's stack already holds its own data.)
#define LEAK_PAGES 2048   // 8 MiB
#define LEAK_PATTERN 0x5a

static void dirty_and_exit(uint64 unused)
{
  (void)unused;
  char *p = sbrk(LEAK_PAGES * PGSIZE);
  if (p == SBRK_ERROR)
    exit(2);
  memset(p, LEAK_PATTERN, LEAK_PAGES * PGSIZE);
  exit(0);
}

static void check_zero(const char *what, const char *p, int pages)
{
  for (int i = 0; i < pages * PGSIZE; i++)
    if (p[i] != 0)
      fail("%s: byte %d of fresh memory is 0x%x, not 0", what, i, p[i] & 0xff);
}

static void fresh_frames_are_zero(void)
{
  if (vt_status_of(dirty_and_exit, 0) != 0)
    fail("the child that dirties memory failed");
  char *heap = sbrk(LEAK_PAGES * PGSIZE / 2);
  if (heap == SBRK_ERROR)
    fail("sbrk failed");
  check_zero("the heap", heap, LEAK_PAGES / 2);
  char *anon = mmap(0, LEAK_PAGES * PGSIZE / 2, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (anon == MAP_FAILED)
    fail("mmap failed");
  check_zero("an anonymous mapping", anon, LEAK_PAGES / 2);
  munmap(anon, LEAK_PAGES * PGSIZE / 2);
  sbrk(-(LEAK_PAGES * PGSIZE / 2));
}

int main(int argc, char *argv[])
{
  vt_start("lazytest", argv[0]);
  vt_run("sbrk_sparse", sbrk_sparse);
  vt_run("sbrk_huge", sbrk_huge);
  vt_run("sbrk_shrink", sbrk_shrink);
  vt_run("syscalls_on_lazy_memory", syscalls_on_lazy_memory);
  vt_run("stack_grow", stack_grow);
  vt_run("stack_limit", stack_limit);
  vt_run("text_readonly", text_readonly);
  vt_run("lazy_text", lazy_text);
  vt_run("shared_text", shared_text);
  vt_run("bad_elf", bad_elf);
  vt_run("unlinked_program", unlinked_program);
  vt_run("rewritten_program", rewritten_program);
  vt_run("out_of_memory", out_of_memory);
  vt_run("fresh_frames_are_zero", fresh_frames_are_zero);
  return vt_finish();
}
