// fuzz: a system-call fuzzer for this kernel, run as a user program on the
// kernel it tests.
//
//   fuzz [-n] [-x] [-v] [-w SECS] SEED[,SEED...] [CALLS] [WORKERS]
//   fuzz [-x] [-v] [-w SECS] -r ROUNDSEED [CALLS]
//
// First come the directed checks: short programs, each asserting the
// right behaviour for one class of defect that fuzzing found before
// (docs/fuzzing.md lists them).  Then, for each SEED, WORKERS processes
// (default 2) make CALLS random system calls between them (default
// 20000), with random and boundary arguments: bad, kernel, read-only,
// write-only, PROT_NONE and unterminated pointers; huge, negative and
// edge sizes; bad descriptors; unknown call numbers; garbage executables
// and argument vectors; mappings next to MAXVA and at file offsets past
// 4 GiB.  Everything is made from the seed by a deterministic generator,
// so a seed repeats a run.
//
//   -n   skip the directed checks
//   -x   leave out the calls that hang kernels with the write-only-page and
//        MAXVA cross-read defects (for working on other parts meanwhile)
//   -v   print every random call before it is made (slow: for a repro)
//   -w   seconds without progress before a process counts as stuck (20)
//   -r   run the single round with this round seed (as printed by a FAIL
//        line) in one worker, CALLS calls long (default 250)
//
// How it runs.  The parent process never makes a risky call itself: it
// only starts processes and watches them.  Random calls are made in
// rounds.  Each worker is a child of the parent that runs one round of at
// most ROUND_CALLS calls in a child of its own, the round process, so
// that the kernel killing the round process for a bad access (which is
// expected: the fuzzer does unmap its own memory now and then) ends only
// that round.  The workers run their rounds at the same time; when all
// are over (every process reaped), the parent checks that every physical
// frame came back and that its own program text is unchanged, and starts
// the next batch of rounds, each with a fresh round seed derived from
// SEED.
//
// A watchdog: every process that makes calls bumps a counter in a page
// shared with the parent (MAP_SHARED | MAP_ANONYMOUS), next to the call it
// is in and that call's arguments.  A process whose counter stands still
// for 20 s is stuck in the kernel: the parent prints the call, kills the
// process and says whether the kill ended it.
//
// Oracles: besides hangs, panics, leaks and a changed text, each random
// call's result is checked where the right answer is certain: a call
// with a kernel or null pointer must fail, a read never returns more than
// asked, write never returns 0 for a non-empty write, open returns the
// lowest free descriptor, sbrk(0) always returns the break, a mapping at
// a file offset past 4 GiB shows no file data, a valid executable runs,
// a broken one is refused, and so on.  A wrong answer ends the round
// with a finding, which the parent prints as a FAIL line with the seed.
//
// Output: "fuzz: FAIL what: detail" for each failure (the test harnesses
// count lines starting with FAIL), then "fuzz: N calls, S seeds, K rounds,
// F failed" and, only if F is 0, "fuzz: OK".  The exit status is 0 only
// then.  Lines the kernel prints about processes it kills, and
// "unknown system call", are expected.
//
// Safety: the fuzzer must not hurt the machine it runs on.  It never
// calls poweroff, kills only its own processes and pids that cannot
// exist, and changes files only under /fz_N, the directories it creates
// (and removes) for itself.  The random paths it gives to calls that
// change the file system never contain "..", are never absolute outside
// /fz_N, and come from its read-only data or are written just before the
// call into memory only this process can change.  The kernel may write
// only into memory the round process does not depend on (its mappings
// and heap), never into its stack or variables, and MAP_FIXED never
// lands on those, so that the fuzzer cannot be steered into doing
// something else.  The programs it runs with exec can only write and exit
// (copies of /echo get their other system-call stubs turned into exit).
#include <stdarg.h>
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "kernel/elf.h"
#include "kernel/memlayout.h"
#include "kernel/syscall.h"
#include "kernel/vmstat.h"
#include "kernel/lib/lib.h"
#include "user/user.h"
#include "user/mman.h"

#define KiB 1024
#define INT_MAX 0x7fffffff
#define INT_MIN (-INT_MAX - 1)

#define MAX_WORKERS 4
#define ROUND_CALLS 250          // calls in one round at most
#define DEFAULT_CALLS 20000
#define DEFAULT_WORKERS 2
#define HZ 100                   // uptime() ticks per second
#define KILL_GRACE (5 * HZ)      // how long a killed process may take to go
#define EXEC_TICKS (5 * HZ)      // how long a program run by exec may take

#define FOUND 125                // exit status: "I reported a failure"
#define EXEC_FAILED 99           // exit status: exec returned

#define KERNEL_DIRECT 0xffffffc000000000UL   // the kernel's direct map of RAM
#define KERNEL_IMAGE  0xffffffff80200000UL   // the kernel image
#define TOP_PAGE (MAXVA - PGSIZE)            // the last user page, above the stack

// ---------------------------------------------------------------------------
// Output

struct text {
  char buf[400];
  int len;
};

static void text_put(void *ctx, char c)
{
  struct text *t = ctx;
  if (t->len < (int)sizeof(t->buf) - 1)
    t->buf[t->len++] = c;
}

static void text_vformat(struct text *t, const char *fmt, va_list ap)
{
  t->len = 0;
  vformat(text_put, t, fmt, ap);
  t->buf[t->len] = 0;
}

// Formats into dst (size bytes, always terminated).
static void format(char *dst, int size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void format(char *dst, int size, const char *fmt, ...)
{
  struct text t;
  va_list ap;
  va_start(ap, fmt);
  text_vformat(&t, fmt, ap);
  va_end(ap);
  safestrcpy(dst, t.buf, size);
}

// Prints one line to fd with one write, so that lines from several
// processes (or harts) do not mix.
static void vsay(int fd, const char *fmt, va_list ap)
{
  struct text t;
  text_vformat(&t, fmt, ap);
  t.buf[t.len++] = '\n';
  write(fd, t.buf, t.len);
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsay(1, fmt, ap);
  va_end(ap);
}

static int failures;   // FAIL lines the parent printed

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void report(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsay(1, fmt, ap);
  va_end(ap);
  failures++;
}

// ---------------------------------------------------------------------------
// Random numbers: xorshift64*, seeded through splitmix64 so that nearby
// seeds give unrelated streams.

static uint64 rng;

static uint64 mix64(uint64 z)
{
  z += 0x9e3779b97f4a7c15UL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
  return z ^ (z >> 31);
}

static void seed_rng(uint64 seed)
{
  rng = mix64(seed);
  if (rng == 0)
    rng = 1;   // xorshift stays at 0 forever
}

static uint64 rnd(void)
{
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 0x2545f4914f6cdd1dUL;
}

static uint64 below(uint64 n)
{
  return n ? rnd() % n : 0;
}

static int chance(int percent)
{
  return (int)below(100) < percent;
}

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define PICK(a) ((a)[below(NELEM(a))])

// The seed of round `worker` in batch `batch` of a run with this seed.
static uint64 round_seed(uint64 seed, int batch, int worker)
{
  return mix64(seed ^ mix64(((uint64)batch << 8) | (uint64)worker));
}

// ---------------------------------------------------------------------------
// Any system call by number, with all six argument registers set: for
// unknown numbers, and to put garbage in the upper half of int arguments.

static long syscall6(long num, uint64 a0, uint64 a1, uint64 a2, uint64 a3, uint64 a4, uint64 a5)
{
  register uint64 r0 __asm__("a0") = a0;
  register uint64 r1 __asm__("a1") = a1;
  register uint64 r2 __asm__("a2") = a2;
  register uint64 r3 __asm__("a3") = a3;
  register uint64 r4 __asm__("a4") = a4;
  register uint64 r5 __asm__("a5") = a5;
  register long r7 __asm__("a7") = num;
  __asm__ volatile("ecall"
                   : "+r"(r0)
                   : "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r7)
                   : "memory");
  return (long)r0;
}

// ---------------------------------------------------------------------------
// The page shared by the parent and everything it starts.  Each process
// that should make progress has a slot: the parent's watchdog reads it;
// a round's findings come back through it.

#define NSLOTS 8

struct slot {
  volatile int pid;             // the process watched (0: none)
  volatile int watch;           // 1 while it should make progress
  volatile uint64 progress;     // bumped after every call or step
  volatile int op;              // the call it is in: index into ops[], or -1
  volatile int phase;           // before, in or after that call
  volatile long num;            // its number (unknown calls)
  volatile uint64 arg[6];       // its arguments
  char step[80];                // more about it (a directed check's step)
  volatile uint64 round_seed;
  volatile int calls;           // calls the round made
  volatile int status;          // the round process's exit status
  volatile int finished;        // the parent's child is exiting
  volatile int found;           // the round found something
  char finding[240];
};
_Static_assert(NSLOTS * sizeof(struct slot) <= PGSIZE, "the slots fit in a page");

static struct slot *slots;      // the shared page
static struct slot *me;         // this process's slot

// Marks progress in a directed check, saying what comes next.
static void step(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void step(const char *fmt, ...)
{
  struct text t;
  va_list ap;
  va_start(ap, fmt);
  text_vformat(&t, fmt, ap);
  va_end(ap);
  me->op = -1;
  safestrcpy(me->step, t.buf, sizeof(me->step));
  __sync_synchronize();
  me->progress++;
}

// Starts watching the calling process in slot s.
static void watch_me(int s)
{
  me = &slots[s];
  me->op = -1;
  me->step[0] = 0;
  me->pid = getpid();
  me->progress++;
  __sync_synchronize();
  me->watch = 1;
}

static void unwatch_me(void)
{
  me->watch = 0;
  __sync_synchronize();
}

// ---------------------------------------------------------------------------
// The calls the fuzzer makes, for the watchdog's and the findings' reports.
// args: one letter per argument, d for an int, x for an address or size.

enum {
  OP_READ, OP_WRITE, OP_OPEN, OP_CLOSE, OP_DUP, OP_PIPE, OP_FSTAT, OP_CHDIR,
  OP_MKDIR, OP_MKNOD, OP_UNLINK, OP_LINK, OP_SBRK, OP_SBRKLAZY, OP_MMAP,
  OP_MUNMAP, OP_MSYNC, OP_VMSTAT, OP_WAIT, OP_KILL, OP_GETPID, OP_UPTIME,
  OP_CYCLES, OP_SLEEP, OP_PAUSE, OP_FORK, OP_EXEC, OP_KILLBLOCKED, OP_UNKNOWN,
  OP_COHERENCE, NOPS
};

struct opinfo {
  const char *name;
  int num;
  const char *args;
  int weight;   // how often the random mix makes it
};

static const struct opinfo ops[NOPS] = {
  [OP_READ] = { "read", SYS_read, "dxd", 13 },
  [OP_WRITE] = { "write", SYS_write, "dxd", 12 },
  [OP_OPEN] = { "open", SYS_open, "xd", 7 },
  [OP_CLOSE] = { "close", SYS_close, "d", 4 },
  [OP_DUP] = { "dup", SYS_dup, "d", 3 },
  [OP_PIPE] = { "pipe", SYS_pipe, "x", 3 },
  [OP_FSTAT] = { "fstat", SYS_fstat, "dx", 4 },
  [OP_CHDIR] = { "chdir", SYS_chdir, "x", 2 },
  [OP_MKDIR] = { "mkdir", SYS_mkdir, "x", 3 },
  [OP_MKNOD] = { "mknod", SYS_mknod, "xdd", 2 },
  [OP_UNLINK] = { "unlink", SYS_unlink, "x", 4 },
  [OP_LINK] = { "link", SYS_link, "xx", 3 },
  [OP_SBRK] = { "sbrk", SYS_sbrk, "d", 3 },
  [OP_SBRKLAZY] = { "sbrklazy", SYS_sbrklazy, "d", 1 },
  [OP_MMAP] = { "mmap", SYS_mmap, "xxddxx", 9 },
  [OP_MUNMAP] = { "munmap", SYS_munmap, "xx", 5 },
  [OP_MSYNC] = { "msync", SYS_msync, "xx", 3 },
  [OP_VMSTAT] = { "vmstat", SYS_vmstat, "x", 2 },
  [OP_WAIT] = { "wait", SYS_wait, "x", 2 },
  [OP_KILL] = { "kill", SYS_kill, "d", 2 },
  [OP_GETPID] = { "getpid", SYS_getpid, "", 1 },
  [OP_UPTIME] = { "uptime", SYS_uptime, "", 1 },
  [OP_CYCLES] = { "cycles", SYS_cycles, "", 1 },
  [OP_SLEEP] = { "sleep", SYS_sleep, "d", 1 },
  [OP_PAUSE] = { "pause", SYS_pause, "d", 1 },
  [OP_FORK] = { "fork", SYS_fork, "", 3 },
  [OP_EXEC] = { "exec", SYS_exec, "xx", 4 },
  [OP_KILLBLOCKED] = { "kill", SYS_kill, "d", 1 },
  [OP_UNKNOWN] = { "syscall", -1, "xxxxxx", 3 },
  [OP_COHERENCE] = { "write", SYS_write, "dxd", 2 },   // op_coherence's first call
};

enum { PH_BEFORE, PH_IN, PH_AFTER };   // slot.phase

// An int argument as the kernel sees it: usually sign-extended, as the C
// calling convention passes it, sometimes with garbage in the upper half
// (the kernel must look at the low 32 bits only).
static int garbage_upper;

static uint64 iarg(int v)
{
  uint64 x = (uint64)(long)v;
  if (garbage_upper && chance(10))
    x = (x & 0xffffffffUL) | (rnd() << 32);
  return x;
}

// "read(3, 0x3ffffff000, 2147483647)" for the call in slot s.
static void describe(struct slot *s, char *out, int size)
{
  int op = s->op;
  if (op < 0 || op >= NOPS) {
    format(out, size, "%s", s->step);
    return;
  }
  const struct opinfo *o = &ops[op];
  char head[24];
  if (o->num < 0)
    format(head, sizeof(head), "syscall %ld", s->num);
  else
    format(head, sizeof(head), "%s", o->name);
  char args[6][24];
  int n = strlen(o->args);
  for (int i = 0; i < n; i++) {
    uint64 v = s->arg[i];
    if (o->args[i] == 'd' && (long)v == (long)(int)v)
      format(args[i], sizeof(args[i]), "%d", (int)v);
    else
      format(args[i], sizeof(args[i]), "0x%lx", v);
  }
  char all[160];
  all[0] = 0;
  for (int i = 0; i < n; i++) {
    int len = strlen(all);
    format(all + len, sizeof(all) - len, "%s%s", i ? ", " : "", args[i]);
  }
  const char *when = s->phase == PH_BEFORE ? " (making its arguments)" :
                     s->phase == PH_AFTER ? " (checking what it returned)" : "";
  if (s->step[0])
    format(out, size, "%s(%s) [%s]%s", head, all, s->step, when);
  else
    format(out, size, "%s(%s)%s", head, all, when);
}

// ---------------------------------------------------------------------------
// The program itself: its text, and the pages the parent must own before
// it starts counting frames.

static uint64 text_start, text_end;   // the read+execute segment
static uint64 text_sum;

static uint64 checksum(uint64 start, uint64 end)
{
  uint64 h = 0xcbf29ce484222325UL;
  for (const uint64 *p = (const uint64 *)start; (uint64)p + 8 <= end; p++)
    h = (h ^ *p) * 0x100000001b3UL;
  return h;
}

// The program headers of an ELF file read into buf (its first len bytes);
// 0 if they are not all there.
static struct proghdr *program_headers(const char *buf, int len, int *phnum)
{
  const struct elfhdr *eh = (const struct elfhdr *)buf;
  if (len < (int)sizeof(*eh) || eh->magic != ELF_MAGIC || eh->phoff > (uint64)len ||
      eh->phnum * sizeof(struct proghdr) > len - eh->phoff)
    return 0;
  *phnum = eh->phnum;
  return (struct proghdr *)(buf + eh->phoff);
}

// Reads up to size bytes of path into buf; returns how many, or -1.
static int read_file(const char *path, char *buf, int size)
{
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return -1;
  int len = 0, n;
  while (len < size && (n = read(fd, buf + len, size - len)) > 0)
    len += n;
  close(fd);
  return len;
}

static char filebuf[16 * KiB];   // the start of an executable

// Finds our own text segment from the program headers of our executable.
static int find_text(const char *argv0)
{
  char path[MAXPATH];
  int len = read_file(argv0, filebuf, sizeof(filebuf));
  if (len < 0 && argv0[0] != '/' && strlen(argv0) < MAXPATH - 2) {
    // Run from another directory, the shell found us in "/".
    path[0] = '/';
    strcpy(path + 1, argv0);
    len = read_file(path, filebuf, sizeof(filebuf));
  }
  int phnum;
  struct proghdr *ph = program_headers(filebuf, len, &phnum);
  for (int i = 0; ph && i < phnum; i++) {
    if (ph[i].type == PT_LOAD && (ph[i].flags & PF_X)) {
      text_start = ph[i].vaddr;
      text_end = ph[i].vaddr + ph[i].memsz;
      return 0;
    }
  }
  return -1;
}

// The kernel's page cache keeps this program's file pages while it runs:
// reading each page now means that the first touch of one by a round
// cannot look like a leaked frame.  The heap starts right after the data.
static void load_own_pages(void)
{
  char *end = sbrk(0);
  for (char *p = (char *)0x1000; p < end; p += PGSIZE)
    (void)*(volatile char *)p;
}

// Grows the stack now to deeper than the parent ever goes, for the same
// reason.
static void __attribute__((noinline)) grow_stack(void)
{
  volatile char deep[24 * KiB];
  for (int i = 0; i < (int)sizeof(deep); i += PGSIZE)
    deep[i] = 0;
}

static struct vmstat vmstat_buf;   // too big for the stack

// Free frames, plus those the kernel gives back at will: clean pages in
// the page cache (the pager drops them) and slab frames (which slab an
// object lands in varies).  A leak still shows.  The buffer is written
// first, so that its copy-on-write copy is not made by the count itself.
static uint64 free_frames(void)
{
  memset(&vmstat_buf, 0, sizeof(vmstat_buf));
  if (vmstat(&vmstat_buf) < 0)
    return 0;
  return vmstat_buf.frames_free + vmstat_buf.cached_pages + vmstat_buf.slab_frames;
}

// Whether pid still has an address space: exit frees it before the
// process becomes a zombie, so this is "has not exited yet".
static int alive(int pid)
{
  if (vmstat(&vmstat_buf) < 0)
    return 1;
  for (int i = 0; i < vmstat_buf.nprocs; i++)
    if (vmstat_buf.procs[i].pid == pid)
      return 1;
  return 0;
}

// ---------------------------------------------------------------------------
// Files and directories

static void fill_pattern(char *buf, int n, int seed)
{
  for (int i = 0; i < n; i++)
    buf[i] = (char)('A' + (i * 7 + seed * 13 + i / 64) % 26);
}

static char patbuf[8 * KiB];

// Creates path with n bytes of pattern seed; 0 or -1.
static int make_file(const char *path, int n, int seed)
{
  int fd = open(path, O_CREATE | O_TRUNC | O_WRONLY);
  if (fd < 0)
    return -1;
  int ok = 0;
  while (ok == 0 && n > 0) {
    int m = n < (int)sizeof(patbuf) ? n : (int)sizeof(patbuf);
    fill_pattern(patbuf, m, seed);
    ok = write(fd, patbuf, m) == m ? 0 : -1;
    n -= m;
  }
  close(fd);
  return ok;
}

static int is_dot(const char *name)
{
  return strncmp(name, ".", DIRSIZ) == 0 || strncmp(name, "..", DIRSIZ) == 0;
}

// Removes everything under the directory path, and the directory too if
// self is set.
static void remove_tree(const char *path, int self)
{
  struct stat st;
  if (stat(path, &st) < 0)
    return;
  if (st.type == T_DIR) {
    int fd = open(path, O_RDONLY);
    struct dirent de;
    while (fd >= 0 && read(fd, &de, sizeof(de)) == sizeof(de)) {
      if (de.inum == 0 || is_dot(de.name))
        continue;
      char child[MAXPATH];
      int n = strlen(path);
      if (n + 1 + DIRSIZ >= MAXPATH)
        continue;
      memmove(child, path, n);
      child[n] = '/';
      memmove(child + n + 1, de.name, DIRSIZ);
      child[n + 1 + DIRSIZ] = 0;
      remove_tree(child, 1);
    }
    if (fd >= 0)
      close(fd);
  }
  if (self)
    unlink(path);
}

// The lowest free descriptor (found by taking it).
static int lowest_free_fd(void)
{
  int fd = dup(0);
  if (fd >= 0)
    close(fd);
  return fd;
}

// ---------------------------------------------------------------------------
// Tiny executables, made in memory: a valid one, variations of it that
// exec must refuse, and the two kinds of program the directed checks
// need.  Their code can only exit: whatever a broken header makes the
// kernel run, it cannot make any other system call.

#define TINY_BASE 0x10000UL   // text
#define TINY_DATA 0x20000UL   // data
#define TINY_CODE 0x100       // file offset of the code, after the headers

__asm__(
  ".pushsection .rodata\n"
  ".balign 4\n"
  // exit(7)
  "tiny_exit7:\n"
  "  li a0, 7\n"
  "  li a7, 2\n"
  "  ecall\n"
  "  unimp\n"
  "tiny_exit7_end:\n"
  // exit(42)
  ".balign 4\n"
  "tiny_exit42:\n"
  "  li a0, 42\n"
  "  li a7, 2\n"
  "  ecall\n"
  "  unimp\n"
  "tiny_exit42_end:\n"
  // Reads the word at TINY_DATA, which must equal the word at tiny_rw_want,
  // writes a new value and reads it back; exits 0 if all went right.
  ".balign 4\n"
  "tiny_rw:\n"
  "  li t0, 0x20000\n"
  "  lw t1, 0(t0)\n"
  "  lw t4, tiny_rw_want\n"   // pc-relative: the copy keeps the distance
  "  sub t1, t1, t4\n"
  "  li t2, 0x5a5a\n"
  "  sw t2, 0(t0)\n"
  "  lw t3, 0(t0)\n"
  "  sub a0, t3, t2\n"
  "  or a0, a0, t1\n"
  "  li a7, 2\n"
  "  ecall\n"
  "  unimp\n"
  ".balign 4\n"
  "tiny_rw_want:\n"
  "  .word 0\n"
  "tiny_rw_end:\n"
  ".popsection\n");
extern const char tiny_exit7[], tiny_exit7_end[], tiny_exit42[], tiny_exit42_end[];
extern const char tiny_rw[], tiny_rw_want[], tiny_rw_end[];

struct tiny {
  struct elfhdr eh;
  struct proghdr ph[2];
};

// A valid executable: text (the headers and the code) at TINY_BASE, one
// page of data at TINY_DATA.  Returns its length.
static int make_tiny(char *buf, const char *code, const char *code_end)
{
  int len = TINY_CODE + (int)(code_end - code);
  memset(buf, 0, TINY_CODE);
  memmove(buf + TINY_CODE, code, (int)(code_end - code));
  struct tiny *t = (struct tiny *)buf;
  t->eh.magic = ELF_MAGIC;
  t->eh.class = ELFCLASS64;
  t->eh.data = ELFDATA2LSB;
  t->eh.version = 1;
  t->eh.type = ET_EXEC;
  t->eh.machine = EM_RISCV;
  t->eh.elf_version = 1;
  t->eh.entry = TINY_BASE + TINY_CODE;
  t->eh.phoff = sizeof(struct elfhdr);
  t->eh.ehsize = sizeof(struct elfhdr);
  t->eh.phentsize = sizeof(struct proghdr);
  t->eh.phnum = 2;
  t->ph[0] = (struct proghdr){ PT_LOAD, PF_R | PF_X, 0, TINY_BASE, TINY_BASE, len, len, PGSIZE };
  t->ph[1] = (struct proghdr){ PT_LOAD, PF_R | PF_W, 0, TINY_DATA, TINY_DATA, 0, PGSIZE, PGSIZE };
  return len;
}

// A program whose only segment is at address 0, entered at 0: the
// segment's page is file page 1, so that address 0 holds code.
static int make_tiny_at_zero(char *buf)
{
  int len = make_tiny(buf, tiny_exit42, tiny_exit42_end);
  int code_len = (int)(tiny_exit42_end - tiny_exit42);
  memset(buf + TINY_CODE, 0, PGSIZE - TINY_CODE);
  memmove(buf + PGSIZE, tiny_exit42, code_len);
  len = PGSIZE + code_len;
  struct tiny *t = (struct tiny *)buf;
  t->eh.entry = 0;
  t->eh.phnum = 1;
  t->ph[0] = (struct proghdr){ PT_LOAD, PF_R | PF_X, PGSIZE, 0, 0, code_len, PGSIZE, PGSIZE };
  return len;
}

// The tiny_rw program with a data segment of flags dflags: zero-filled,
// or (from_file) mapped from the file's first page, whose first word is
// the ELF magic.
static int make_tiny_rw(char *buf, int dflags, int from_file)
{
  int len = make_tiny(buf, tiny_rw, tiny_rw_end);
  struct tiny *t = (struct tiny *)buf;
  t->ph[1].flags = dflags;
  if (from_file)
    t->ph[1].filesz = len;
  uint32 want = from_file ? ELF_MAGIC : 0;
  memmove(buf + TINY_CODE + (tiny_rw_want - tiny_rw), &want, sizeof(want));
  return len;
}

enum { EXPECT_ANY = -1000, EXPECT_REFUSED = -1001 };

// Variation v of the tiny program in buf: returns its length, and what
// exec of it must do (an exit status, EXPECT_REFUSED or EXPECT_ANY).
static int tiny_variant(char *buf, int v, int *expect, const char **name)
{
  int len = make_tiny(buf, tiny_exit7, tiny_exit7_end);
  struct tiny *t = (struct tiny *)buf;
  struct proghdr *text = &t->ph[0], *data = &t->ph[1];
  *expect = EXPECT_REFUSED;
  switch (v) {
  case 0: *name = "valid"; *expect = 7; break;
  case 1: *name = "entry 0 in a segment at 0"; *expect = 42; len = make_tiny_at_zero(buf); break;
  case 2: *name = "write-only data"; *expect = 0; len = make_tiny_rw(buf, PF_W, 0); break;
  case 3: *name = "execute-only text"; *expect = EXPECT_ANY; text->flags = PF_X; break;
  case 4: *name = "writable text"; *expect = 7; text->flags = PF_R | PF_W | PF_X; break;
  case 5: *name = "bad magic"; t->eh.magic ^= 0x100; break;
  case 6: *name = "32-bit class"; t->eh.class = 1; break;
  case 7: *name = "big-endian"; t->eh.data = 2; break;
  case 8: *name = "x86-64"; t->eh.machine = 62; break;
  case 9: *name = "relocatable"; t->eh.type = 1; break;
  case 10: *name = "phentsize 55"; t->eh.phentsize = 55; break;
  case 11: *name = "no program headers"; t->eh.phnum = 0; break;
  case 12: *name = "65535 program headers"; t->eh.phnum = 65535; break;
  case 13: *name = "phoff past the end"; t->eh.phoff = 1 << 20; break;
  case 14: *name = "phoff overflows"; t->eh.phoff = ~0UL - 8; break;
  case 15: *name = "cut in the ELF header"; len = 40; break;
  case 16: *name = "cut in the program headers"; len = 100; break;
  case 17: *name = "cut in the text"; len -= 4; break;
  case 18: *name = "filesz > memsz"; text->memsz = text->filesz - 8; break;
  case 19: *name = "segment in the kernel"; data->vaddr = KERNEL_DIRECT; break;
  case 20: *name = "segment wraps around"; data->vaddr = ~0UL - PGSIZE + 1; data->memsz = 2 * PGSIZE; break;
  case 21: *name = "segment in the top page"; data->vaddr = TOP_PAGE; break;
  case 22: *name = "segment on the stack"; data->vaddr = USER_STACK_TOP - 2 * PGSIZE; break;
  case 23: *name = "memsz 1 TiB"; data->memsz = 1UL << 40; break;
  case 24: *name = "overlapping segments"; data->vaddr = TINY_BASE; break;
  case 25: *name = "vaddr not congruent with offset"; data->vaddr = TINY_DATA + 8; data->off = 0; data->filesz = 8; break;
  case 26: *name = "entry in the data"; t->eh.entry = TINY_DATA; break;
  case 27: *name = "entry unmapped"; t->eh.entry = 0x40000; break;
  case 28: *name = "entry 0, nothing there"; t->eh.entry = 0; break;
  case 29: *name = "offset past the end"; data->off = 1 << 20; break;
  case 30: *name = "memsz 0"; *expect = EXPECT_ANY; data->memsz = 0; break;
  case 31: *name = "a note header"; *expect = 7; data->type = 4; break;
  case 32: *name = "empty file"; len = 0; break;
  case 33: *name = "filesz 0 text"; *expect = EXPECT_ANY; text->filesz = 0; break;
  case 34: *name = "offset overflows"; data->off = ~0UL - PGSIZE + 1; data->filesz = 2 * PGSIZE; break;
  case 35: *name = "filesz overflows"; data->filesz = ~0UL; data->memsz = ~0UL; break;
  default: *name = "odd alignment"; *expect = 7; text->align = 3; data->align = 0; break;
  }
  return len;
}
#define TINY_VARIANTS 37

// /echo's loadable part, to mutate.  Its system call stubs are defanged
// (below), so that a mutant whose broken headers make it run code from
// the wrong place can still only write and exit.
static char echo_image[12 * KiB];
static int echo_len;
static int echo_hdr_len;   // the ELF and program headers: what mutants change

// Turns every "li a7, N; ecall" in code whose N is neither write nor exit
// into "li a7, exit".
static void defang(char *code, int len)
{
  for (int i = 0; i + 6 <= len; i += 2) {
    uint16 h;
    uint32 next;
    memmove(&h, code + i, 2);
    memmove(&next, code + i + 2, 4);
    if (next != 0x00000073)   // ecall
      continue;
    if ((h & 0xef83) == 0x4881) {   // c.li a7, imm
      int imm = ((h >> 2) & 0x1f) | ((h >> 7) & 0x20);
      if (imm != SYS_write && imm != SYS_exit) {
        h = (uint16)((h & ~0x107c) | (SYS_exit << 2));
        memmove(code + i, &h, 2);
      }
    }
    if (i >= 2) {   // addi a7, x0, imm (4 bytes before the ecall)
      uint32 w;
      memmove(&w, code + i - 2, 4);
      if ((w & 0x000fffff) == 0x00000893 && (w >> 20) != SYS_write && (w >> 20) != SYS_exit) {
        w = 0x00000893 | (SYS_exit << 20);
        memmove(code + i - 2, &w, 4);
      }
    }
  }
}

static void load_echo(void)
{
  int len = read_file("/echo", filebuf, sizeof(filebuf));
  int phnum;
  struct proghdr *ph = program_headers(filebuf, len, &phnum);
  if (!ph)
    return;
  uint64 need = 0;
  for (int i = 0; i < phnum; i++)
    if (ph[i].type == PT_LOAD && ph[i].off + ph[i].filesz > need)
      need = ph[i].off + ph[i].filesz;
  if (need > sizeof(echo_image) || need > (uint64)len)
    return;
  echo_len = (int)need;
  echo_hdr_len = (int)(((struct elfhdr *)filebuf)->phoff + phnum * sizeof(struct proghdr));
  memmove(echo_image, filebuf, echo_len);
  defang(echo_image + echo_hdr_len, echo_len - echo_hdr_len);
}

// ---------------------------------------------------------------------------
// Options and the run's totals (the parent's)

static int verbose, exclude_hangs, no_checks;
static int stuck_ticks = 20 * HZ;
static int wedged;          // a process could not be ended: stop
static int log_fd = -1;     // -v: the console, in round processes
static int nworkers = DEFAULT_WORKERS;
static int worker_id;       // in a worker and its round process
static uint64 current_seed;
static long total_calls;
static int total_rounds, total_seeds, killed_rounds;
static uint64 baseline;     // free_frames() when everything is idle

#define CROSS_DIR "/fz_x"   // files a and b, which the workers share
#define CHECK_DIR "/fz_d"   // the directed checks' directory

// ---------------------------------------------------------------------------
// The round process's world, as far as it knows it (its model).  The
// oracles compare what calls return with it.

enum { A_RW, A_RO, A_NONE, A_WONLY, A_XONLY, A_TOP };   // what a mapping allows

struct area {
  uint64 addr, len;
  int kind;
  int slot;     // the arena slot it was placed in at the start, or -1
  int shared;   // MAP_SHARED: fork children's stores show here
};

#define MAXAREAS 24
#define ARENA_SIZE (1024 * KiB)
#define ARENA_STRIDE (64 * KiB)
#define HEAP_MAX (64 * KiB)       // the heap is shrunk back past this
#define MAXKIDS 6

static struct area areas[MAXAREAS];
static int nareas;
static uint64 arena;              // the fuzzer's own mappings live here
static char *strpage;             // strings are built here; PROT_NONE follows
static uint64 brk0, brk_now;      // the heap: [brk0, brk_now); brk0 0 if unusable
static uint64 brk_start;          // where the break was when the round began
static char fd_open[NOFILE];
static char fd_kind[NOFILE];      // what each descriptor is, if known: K_ bits
static uint64 f2_ino;   // the file mapped MAP_SHARED at arena slot 2
// An open with O_TRUNC, maybe of f2, happened: truncation detaches the
// mapping's pages from the file, as docs/vm.md says, so from then on the
// mapping and the file may differ.
static int truncated;
static int kids[MAXKIDS], nkids;
static int my_pid;
static int ncalls, budget;
static uint64 last_uptime;
static char workdir[16];          // "/fz_0"
static char abspath[MAXPATH];     // a file of the workdir, by absolute path
static char execpath[MAXPATH];    // where exec's programs are written
static uint64 low_end;            // text, data and bss are below this
static uint64 stack_low;          // the stack may grow down to this

// Read-only memory for the kernel to fail to write into: in .rodata, so
// in the text segment.  A kernel that wrongly writes here changes the
// text checksum, not code.
static const char ro_target[8 * KiB] = { 1 };

static char scratch[4 * KiB];     // globals, as a source of data
static char execbuf[16 * KiB];    // an executable being made

static void add_area(uint64 addr, uint64 len, int kind, int shared)
{
  if (nareas < MAXAREAS)
    areas[nareas++] = (struct area){ addr, len, kind, -1, shared };
}

static int overlaps(uint64 a, uint64 alen, uint64 b, uint64 blen)
{
  return a < b + blen && b < a + alen;
}

// Forgets what is known about [addr, addr + len): it was unmapped or
// mapped anew.
static void forget(uint64 addr, uint64 len)
{
  if (addr >= MAXVA)
    return;
  uint64 end = len > MAXVA - addr ? MAXVA : addr + len;
  addr = PGROUNDDOWN(addr);
  len = PGROUNDUP(end) - addr;
  for (int i = 0; i < nareas;) {
    if (overlaps(areas[i].addr, areas[i].len, addr, len))
      areas[i] = areas[--nareas];
    else
      i++;
  }
  if (strpage && overlaps((uint64)strpage, 2 * PGSIZE, addr, len))
    strpage = 0;
  if (overlaps(brk0, HEAP_MAX + PGSIZE, addr, len))
    brk0 = 0;   // the heap has holes now: no more heap pointers
}

static struct area *pick_area(int kind)
{
  int n = 0;
  for (int i = 0; i < nareas; i++)
    n += areas[i].kind == kind;
  if (n == 0)
    return 0;
  int k = (int)below(n);
  for (int i = 0; i < nareas; i++)
    if (areas[i].kind == kind && k-- == 0)
      return &areas[i];
  return 0;
}

// What a pointer generator knows about the pointer it made.
enum { P_MAYBE, P_BAD, P_READONLY };

// Addresses no user access can reach: page 0, at or past MAXVA, the kernel.
static uint64 bad_pointer(void)
{
  static const uint64 bad[] = {
    0, 1, 8, 0xff8, KERNEL_DIRECT, KERNEL_IMAGE, KERNEL_DIRECT + 0x80000000UL,
    MAXVA, MAXVA + 8, 1UL << 39, 0x0000800000000000UL, 1UL << 63,
    0xfffffffffffff000UL, ~0UL,
  };
  return PICK(bad);
}

// Somewhere nothing is mapped: between 1 and 128 GiB, far below the
// fuzzer's mappings and far above its heap.
static uint64 unmapped_pointer(void)
{
  return (1UL << 30) + below(127UL << 30);
}

static uint64 in_area(struct area *a)
{
  if (!a)
    return unmapped_pointer();
  uint64 off = below(a->len);
  if (chance(30))
    off = PGROUNDDOWN(off);
  return a->addr + off;
}

static uint64 heap_pointer(void)
{
  if (!brk0 || brk_now <= brk0)
    return unmapped_pointer();
  uint64 len = brk_now - brk0 < HEAP_MAX ? brk_now - brk0 : HEAP_MAX;
  return brk0 + below(len);
}

// A pointer for the kernel to write to.  It never points into memory the
// round process itself uses (stack, variables), so that no kernel write
// can change what the fuzzer does next.
static uint64 gen_dst(int *what)
{
  *what = P_MAYBE;
  int c = (int)below(100);
  if (c < 14) {
    *what = P_BAD;
    return bad_pointer();
  }
  if (c < 20) {
    *what = P_READONLY;
    return (uint64)ro_target + below(sizeof(ro_target));
  }
  if (c < 24) {
    struct area *a = pick_area(A_RO);
    *what = a ? P_READONLY : P_MAYBE;
    return in_area(a);
  }
  if (c < 31) {
    struct area *a = pick_area(A_NONE);
    *what = a ? P_BAD : P_MAYBE;
    return in_area(a);
  }
  if (c < 37 && !exclude_hangs)
    return in_area(pick_area(A_WONLY));
  if (c < 40)
    return in_area(pick_area(A_XONLY));
  if (c < 47) {   // just before the end of a mapping
    struct area *a = pick_area(A_RW);
    return a ? a->addr + a->len - 1 - below(16) : unmapped_pointer();
  }
  if (c < 53 && !exclude_hangs)
    return in_area(pick_area(A_TOP));
  if (c < 60)
    return unmapped_pointer();
  if (c < 68)
    return heap_pointer();
  uint64 p = in_area(pick_area(A_RW));
  return chance(20) ? p | 1 : p;
}

// A pointer for the kernel to read from: anything gen_dst makes, or the
// fuzzer's own stack, variables and code.
static uint64 gen_src(int *what, uint64 stack)
{
  int c = (int)below(100);
  *what = P_MAYBE;
  if (c < 5)
    return stack + below(64);
  if (c < 9)
    return (uint64)scratch + below(sizeof(scratch));
  if (c < 12)
    return text_start + below(text_end - text_start);
  int w;
  uint64 p = gen_dst(&w);
  if (w == P_BAD)
    *what = P_BAD;
  return p;
}

static int gen_count(void)
{
  static const int edge[] = { 0, 1, 5, 10, 100, 4095, 4096, 4097, 8192, INT_MAX, -1, INT_MIN };
  return chance(60) ? PICK(edge) : (int)below(20000);
}

// A descriptor: mostly one the model says is open.
static int gen_fd(void)
{
  if (chance(75)) {
    int n = 0, open_fds[NOFILE];
    for (int fd = 0; fd < NOFILE; fd++)
      if (fd_open[fd] == 1)
        open_fds[n++] = fd;
    if (n > 0)
      return open_fds[below(n)];
  }
  static const int odd[] = { -1, NOFILE, NOFILE + 1, 100, INT_MAX, INT_MIN, NOFILE - 2, NOFILE - 1 };
  int fd = PICK(odd);
  return fd == log_fd ? -1 : fd;
}

// fd_kind[fd] bits.  Without K_KNOWN nothing is checked about fd.
enum { K_KNOWN = 1, K_READ = 2, K_WRITE = 4, K_FILE = 8, K_PIPE = 16 };

// Whether the model knows that fd does not allow what (K_READ, ...).
static int known_not(int fd, int what)
{
  return fd >= 0 && fd < NOFILE && fd_open[fd] == 1 && (fd_kind[fd] & K_KNOWN) &&
         !(fd_kind[fd] & what);
}

static int known_is(int fd, int what)
{
  return fd >= 0 && fd < NOFILE && fd_open[fd] == 1 && (fd_kind[fd] & K_KNOWN) &&
         (fd_kind[fd] & what);
}

// fd_open[fd]: 0 closed, 1 open, 2 the console of -v (open, never used).
static int model_open(int fd)
{
  return fd >= 0 && fd < NOFILE && fd_open[fd] != 0;
}

static int model_lowest_free(void)
{
  for (int fd = 0; fd < NOFILE; fd++)
    if (!fd_open[fd])
      return fd;
  return -1;
}

// Paths.  Those for calls that change the file system stay inside the
// workdir: no "..", no absolute path but the workdir's own.
static const char *const names[] = {
  "f0", "f1", "f2", "f3", "d", "d/f", "d/e", "d/e/g", "x", "nd", "nope", "dd/x",
  "abcdefghijklmn", "abcdefghijklmno", "", ".", "./f1", "d/", "f1/", "d//f",
};
static const char *const ro_names[] = { "..", "/", CROSS_DIR, "/fz_x/a", "../fz_x/b" };

// Copies s (n bytes and a NUL) to p, in memory that only this process
// can change, just before the call that uses it.
static uint64 put_string(uint64 p, const char *s, int n)
{
  memmove((char *)p, s, n);
  ((char *)p)[n] = 0;
  return p;
}

// A path for a call; readonly allows paths outside the workdir.
static uint64 gen_path(int readonly, int *what)
{
  *what = P_MAYBE;
  const char *name = readonly && chance(25) ? PICK(ro_names) : PICK(names);
  int n = strlen(name);
  int c = (int)below(100);
  if (c < 45 || (!strpage && c < 80))
    return (uint64)name;   // in .rodata: read-only, but readable
  if (c < 60)
    return put_string((uint64)strpage + below(2048), name, n);
  if (c < 65 && !exclude_hangs) {
    // In write-only memory, which the kernel must be able to read: the
    // private anonymous area (no other process can change the string).
    for (int i = 0; i < nareas; i++)
      if (areas[i].slot == 5)
        return put_string(areas[i].addr + below(PGSIZE), name, n);
  }
  if (c < 70)
    return (uint64)abspath;
  if (c < 75) {
    // A string that runs into PROT_NONE memory before its NUL.
    int k = 1 + (int)below(20);
    memset(strpage + PGSIZE - 20, 'a', 20);
    return (uint64)strpage + PGSIZE - k;
  }
  if (c < 80) {
    // MAXPATH - 1 characters, or MAXPATH, one too many.
    int len = MAXPATH - 1 + (int)below(2);
    char *p = strpage + 2048;
    memset(p, chance(50) ? 'a' : '/', len);
    p[len] = 0;
    return (uint64)p;
  }
  if (c < 92) {
    *what = P_BAD;
    return bad_pointer();
  }
  struct area *a = pick_area(A_NONE);
  *what = a ? P_BAD : P_MAYBE;
  return in_area(a);
}

// ---------------------------------------------------------------------------
// Making a call in a round, and checking its result

static void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void log_line(const char *fmt, ...)
{
  if (log_fd < 0)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsay(log_fd, fmt, ap);
  va_end(ap);
}

static long call(int op, long num, uint64 a0, uint64 a1, uint64 a2, uint64 a3, uint64 a4,
                 uint64 a5)
{
  struct slot *s = me;
  s->op = op;
  s->num = num;
  s->arg[0] = a0;
  s->arg[1] = a1;
  s->arg[2] = a2;
  s->arg[3] = a3;
  s->arg[4] = a4;
  s->arg[5] = a5;
  s->phase = PH_IN;
  if (log_fd >= 0) {
    char d[200];
    describe(s, d, sizeof(d));
    log_line("fuzz: w%d #%d %s", worker_id, ncalls, d);
  }
  __sync_synchronize();
  long r = syscall6(num, a0, a1, a2, a3, a4, a5);
  s->phase = PH_AFTER;
  ncalls++;
  s->calls = ncalls;
  s->progress++;
  log_line("fuzz: w%d #%d = %ld", worker_id, ncalls - 1, r);
  return r;
}

#define CALL0(op) call(op, ops[op].num, 0, 0, 0, 0, 0, 0)
#define CALL1(op, a) call(op, ops[op].num, (uint64)(a), 0, 0, 0, 0, 0)
#define CALL2(op, a, b) call(op, ops[op].num, (uint64)(a), (uint64)(b), 0, 0, 0, 0)
#define CALL3(op, a, b, c) call(op, ops[op].num, (uint64)(a), (uint64)(b), (uint64)(c), 0, 0, 0)

// Reports the call just made as a finding and ends the round.
static void found(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void found(const char *fmt, ...)
{
  struct text t;
  va_list ap;
  va_start(ap, fmt);
  text_vformat(&t, fmt, ap);
  va_end(ap);
  char d[160];
  me->phase = PH_IN;
  describe(me, d, sizeof(d));
  format(me->finding, sizeof(me->finding), "%s: %s", d, t.buf);
  __sync_synchronize();
  me->found = 1;
  exit(FOUND);
}

// ---------------------------------------------------------------------------
// The random calls

static void op_read(void)
{
  int fd = gen_fd(), what;
  uint64 p = gen_dst(&what);
  int n = gen_count();
  long r = CALL3(OP_READ, iarg(fd), p, iarg(n));
  if (n < 0 && r != -1)
    found("returned %ld for a negative count", r);
  if (!model_open(fd) && r != -1)
    found("returned %ld on a descriptor that is not open", r);
  if (n >= 0 && r > n)
    found("returned %ld, more than asked", r);
  if (n > 0 && what != P_MAYBE && r > 0)
    found("returned %ld into memory the kernel cannot write", r);
  if (known_not(fd, K_READ) && r != -1)
    found("returned %ld on a descriptor not open for reading", r);
}

static void op_write(void)
{
  char frame[64];   // a source on the stack
  memmove(frame, scratch, sizeof(frame));
  int fd = gen_fd(), what;
  uint64 p = gen_src(&what, (uint64)frame);
  int n = gen_count();
  long r = CALL3(OP_WRITE, iarg(fd), p, iarg(n));
  if (n < 0 && r != -1)
    found("returned %ld for a negative count", r);
  if (!model_open(fd) && r != -1)
    found("returned %ld on a descriptor that is not open", r);
  if (n >= 0 && r > n)
    found("returned %ld, more than asked", r);
  if (n > 0 && r == 0)
    found("returned 0 for a write of %d bytes", n);
  if (n > 0 && what == P_BAD && r != -1)
    found("returned %ld from memory the kernel cannot read", r);
  if (known_not(fd, K_WRITE) && r != -1)
    found("returned %ld on a descriptor not open for writing", r);
}

// A new descriptor r that a call returned: it must be the lowest free one.
static void new_fd(long r, const char *how, int kind)
{
  int want = model_lowest_free();
  if (r < 0)
    return;
  if (r != want)
    found("%s returned descriptor %ld, but the lowest free one is %d", how, r, want);
  fd_open[r] = 1;
  fd_kind[r] = (char)kind;
}

static void op_open(void)
{
  static const int modes[] = {
    O_RDONLY, O_WRONLY, O_RDWR, O_CREATE | O_RDWR, O_CREATE | O_WRONLY, O_TRUNC | O_RDWR,
    O_CREATE | O_TRUNC | O_WRONLY, O_WRONLY | O_RDWR, -1, 0x7ff, INT_MIN,
  };
  int mode = PICK(modes);
  int what;
  uint64 path = gen_path(mode == O_RDONLY, &what);
  long r = CALL2(OP_OPEN, path, iarg(mode));
  if (what == P_BAD && r != -1)
    found("returned %ld for a path the kernel cannot read", r);
  struct stat st;
  int kind = 0;
  if (r >= 0 && (mode & O_TRUNC))
    truncated = 1;
  if (r >= 0 && r < NOFILE && fstat((int)r, &st) == 0) {
    // As sys_open decides: readable unless O_WRONLY, writable with
    // O_WRONLY or O_RDWR.
    kind = K_KNOWN | (st.type == T_FILE ? K_FILE : 0) | (mode & O_WRONLY ? 0 : K_READ) |
           (mode & (O_WRONLY | O_RDWR) ? K_WRITE : 0);
  }
  new_fd(r, "open", kind);
}

static void op_close(void)
{
  int fd = gen_fd();
  long r = CALL1(OP_CLOSE, iarg(fd));
  if (r != (model_open(fd) ? 0 : -1))
    found("returned %ld, but the descriptor was %s", r, model_open(fd) ? "open" : "closed");
  if (r == 0)
    fd_open[fd] = 0;
}

static void op_dup(void)
{
  int fd = gen_fd();
  long r = CALL1(OP_DUP, iarg(fd));
  if (!model_open(fd) && r != -1)
    found("returned %ld for a descriptor that is not open", r);
  if (model_open(fd) && r == -1 && model_lowest_free() >= 0)
    found("failed, with descriptor %d free", model_lowest_free());
  new_fd(r, "dup", model_open(fd) ? fd_kind[fd] : 0);
}

static void op_pipe(void)
{
  int what;
  uint64 p = gen_dst(&what);
  int lo = model_lowest_free();
  long r = CALL1(OP_PIPE, p);
  if (r == 0 && what != P_MAYBE)
    found("succeeded with memory the kernel cannot write");
  if (r != 0)
    return;
  // The two lowest free descriptors; read back when the memory allows.
  if (lo < 0)
    found("succeeded with no descriptor free");
  fd_open[lo] = 1;
  fd_kind[lo] = K_KNOWN | K_PIPE | K_READ;
  int hi = model_lowest_free();
  if (hi < 0)
    found("succeeded with only descriptor %d free", lo);
  fd_open[hi] = 1;
  fd_kind[hi] = K_KNOWN | K_PIPE | K_WRITE;
  for (int i = 0; i < nareas; i++) {
    struct area *a = &areas[i];
    if (a->kind == A_RW && !a->shared && p >= a->addr && p + 8 <= a->addr + a->len && !(p & 3) &&
        (((int *)p)[0] != lo || ((int *)p)[1] != hi))
      found("stored descriptors %d and %d, expected %d and %d", ((int *)p)[0], ((int *)p)[1], lo, hi);
  }
  // Close one end at once: then no read on it can wait for ever, and no
  // write can fill it for ever.
  int end = chance(50) ? lo : hi;
  close(end);
  fd_open[end] = 0;
}

static void op_fstat(void)
{
  int fd = gen_fd(), what;
  uint64 p = gen_dst(&what);
  long r = CALL2(OP_FSTAT, iarg(fd), p);
  if (!model_open(fd) && r != -1)
    found("returned %ld for a descriptor that is not open", r);
  if (known_is(fd, K_PIPE) && r != -1)
    found("returned %ld for a pipe", r);
  if (what != P_MAYBE && r != -1)
    found("returned %ld into memory the kernel cannot write", r);
}

static void op_path(int op)
{
  int what;
  uint64 path = gen_path(0, &what);
  long r = CALL1(op, path);
  if (what == P_BAD && r != -1)
    found("returned %ld for a path the kernel cannot read", r);
}

static void op_mknod(void)
{
  // Never the console's major, 1: a read from it would wait for typed
  // input (0x10001 is out of range, whatever its low half).
  static const int majors[] = { 0, 2, 3, 9, NDEV, -1, 0x7fff, INT_MIN, 0x10001 };
  static const int minors[] = { 0, 1, 0x7fff, 0x8000, -1, INT_MAX };
  int major = PICK(majors), minor = PICK(minors), what;
  uint64 path = gen_path(0, &what);
  long r = CALL3(OP_MKNOD, path, iarg(major), iarg(minor));
  if (what == P_BAD && r != -1)
    found("returned %ld for a path the kernel cannot read", r);
  if ((major < 0 || major >= NDEV || minor < 0 || minor > 0x7fff) && r != -1)
    found("returned %ld for a device number out of range", r);
}

static void op_link(void)
{
  int w1, w2;
  uint64 old = gen_path(0, &w1);
  uint64 new = gen_path(0, &w2);
  if (strpage && old >= (uint64)strpage && old < (uint64)strpage + PGSIZE && new != old && chance(50)) {
    const char *name = PICK(names);   // both paths in the same page
    new = put_string((uint64)strpage + 3072, name, strlen(name));
    w2 = P_MAYBE;
  }
  long r = CALL2(OP_LINK, old, new);
  if ((w1 == P_BAD || w2 == P_BAD) && r != -1)
    found("returned %ld for a path the kernel cannot read", r);
}

// Keeps the heap small, so that no pointer into memory before it (the
// program's variables) covers much memory.
static void trim_heap(void)
{
  while (brk_now > brk_start + HEAP_MAX) {
    uint64 d = brk_now - (brk_start + 16 * KiB);
    if (d > INT_MAX)
      d = INT_MAX;
    if (sbrk(-(int)d) == SBRK_ERROR) {
      brk0 = 0;   // no more pointers into a heap we cannot shrink
      return;
    }
    brk_now -= d;
  }
}

static void op_sbrk(int op)
{
  static const int sizes[] = {
    0, 0, 1, -1, 4095, 4096, -4096, 3 * 4096, 65536, -65536, INT_MAX, INT_MIN, -INT_MAX,
  };
  int n = chance(70) ? PICK(sizes) : (int)below(32 * KiB) - 16 * KiB;
  long r = CALL1(op, iarg(n));
  if (n == 0 && (uint64)r != brk_now)
    found("returned 0x%lx, but the break is 0x%lx", (uint64)r, brk_now);
  if (r != -1 && (uint64)r != brk_now)
    found("returned 0x%lx, but the old break was 0x%lx", (uint64)r, brk_now);
  if (r != -1)
    brk_now += (long)n;
  if (brk_now < brk0)
    brk0 = 0;   // below where it started: other memory is gone
  trim_heap();
}

// A range for a mapping call (start, length) that, if mapping or
// unmapping it could harm the round process itself, is moved away.
static int harmless_fixed(uint64 addr, uint64 len)
{
  if (addr >= MAXVA || len > MAXVA - addr)
    return 0;
  len = PGROUNDUP(addr + len) - PGROUNDDOWN(addr);
  addr = PGROUNDDOWN(addr);
  if (addr < low_end)   // text, data, bss (the heap is fair game)
    return 0;
  if (overlaps(addr, len, stack_low, USER_STACK_TOP - stack_low))
    return 0;
  if (overlaps(addr, len, (uint64)slots, PGSIZE))
    return 0;
  return 1;
}

static uint64 gen_map_addr(void)
{
  int c = (int)below(100);
  if (c < 10)
    return 0;
  if (c < 40)
    return arena + (10 + below(6)) * ARENA_STRIDE + below(8) * PGSIZE;
  if (c < 55) {
    struct area *a = nareas ? &areas[below(nareas)] : 0;
    return a ? a->addr : arena;
  }
  if (c < 62)
    return TOP_PAGE;
  if (c < 64)
    return MAXVA - 2 * PGSIZE;
  if (c < 66)   // at or just above the break: sbrk must not grow into it
    return PGROUNDUP(brk_now) + below(3) * PGSIZE;
  if (c < 72)
    return PGROUNDDOWN(unmapped_pointer());
  if (c < 78)
    return arena + below(ARENA_SIZE);   // unaligned
  return bad_pointer();
}

static uint64 gen_map_len(void)
{
  static const uint64 lens[] = {
    0, 1, PGSIZE, PGSIZE + 1, 2 * PGSIZE, 16 * KiB, 1UL << 32, 1UL << 37, MAXVA, MAXVA + 1,
    ~0UL, ~0UL - PGSIZE + 2, 0x7fffffff,
  };
  return chance(60) ? PICK(lens) : 1 + below(64 * KiB);
}

static void op_mmap(void)
{
  static const int prots[] = {
    PROT_READ, PROT_READ | PROT_WRITE, PROT_WRITE, PROT_NONE, PROT_EXEC,
    PROT_READ | PROT_EXEC, PROT_READ | PROT_WRITE | PROT_EXEC, 8, -1,
  };
  static const int shares[] = { MAP_PRIVATE, MAP_SHARED, MAP_PRIVATE, MAP_SHARED, 0, 3 };
  static const uint64 offs[] = {
    0, 0, PGSIZE, 2 * PGSIZE, 1UL << 32, (1UL << 32) + PGSIZE, 1UL << 33, 1UL << 40,
    MAXVA - PGSIZE, MAXVA, 1, ~0UL - PGSIZE + 1,
  };
  uint64 addr = gen_map_addr(), len = gen_map_len();
  int prot = PICK(prots);
  if (exclude_hangs && prot == PROT_WRITE)
    prot = PROT_READ | PROT_WRITE;
  int flags = PICK(shares);
  if (chance(50))
    flags |= MAP_FIXED;
  if (chance(40))
    flags |= MAP_ANONYMOUS;
  if (chance(3))
    flags |= 0x40 << below(8);   // an unknown flag
  int fd = gen_fd();
  uint64 off = PICK(offs);
  int fixed = (flags & MAP_FIXED) != 0;
  if (fixed && addr < MAXVA && !harmless_fixed(addr, len)) {
    // Mapping over the fuzzer's own memory could make it run anything:
    // move the range into the arena, keeping what makes it odd.  Only a
    // length that must make mmap fail stays as it is.
    addr = arena + 12 * ARENA_STRIDE + addr % PGSIZE;
    if (len <= MAXVA - addr && !harmless_fixed(addr, len))
      len = PGSIZE;
  }
  long r = call(OP_MMAP, SYS_mmap, addr, len, iarg(prot), iarg(flags), iarg(fd), off);
  int sharing = flags & (MAP_SHARED | MAP_PRIVATE);
  int bad = len == 0 || len > MAXVA || (prot & ~7) || (flags & ~0x33) ||
            (sharing != MAP_SHARED && sharing != MAP_PRIVATE) ||
            (!(flags & MAP_ANONYMOUS) && (off % PGSIZE || !model_open(fd) || off >= MAXVA ||
                                          known_not(fd, K_FILE) || known_not(fd, K_READ) ||
                                          (sharing == MAP_SHARED && (prot & PROT_WRITE) &&
                                           known_not(fd, K_WRITE)))) ||
            (fixed && (addr == 0 || addr % PGSIZE || addr >= MAXVA || PGROUNDUP(len) > MAXVA - addr));
  if (bad && r != -1)
    found("returned 0x%lx for arguments it must refuse", (uint64)r);
  if (r == -1)
    return;
  uint64 a = (uint64)r, mlen = PGROUNDUP(len);
  if (a % PGSIZE || a == 0 || a >= MAXVA || mlen > MAXVA - a)
    found("returned 0x%lx, not a page-aligned user range", a);
  if (fixed && a != addr)
    found("returned 0x%lx for a MAP_FIXED mapping at 0x%lx", a, addr);
  forget(a, mlen);
  // Past 4 GiB of a file there is no data (our files are small): the
  // mapping must show zeros, never the file's first bytes.
  if (!(flags & MAP_ANONYMOUS) && off >= (1UL << 32) && (prot & PROT_READ)) {
    for (int i = 0; i < 64; i++)
      if (((volatile char *)a)[i] != 0)
        found("mapping at file offset 0x%lx shows data (byte %d is 0x%x)", off, i,
              ((volatile uchar *)a)[i]);
  }
  if (mlen > 64 * KiB || !harmless_fixed(a, mlen)) {
    munmap((void *)a, mlen);   // big mappings would make big pointer ranges
    return;
  }
  int kind = A_NONE;
  if (prot == PROT_WRITE)
    kind = A_WONLY;
  else if (prot == PROT_EXEC)
    kind = A_XONLY;
  else if ((prot & PROT_READ) && (prot & PROT_WRITE))
    kind = A_RW;
  else if (prot & PROT_READ)
    kind = A_RO;
  if (a == TOP_PAGE && kind == A_RW)
    kind = A_TOP;
  add_area(a, mlen, kind, sharing == MAP_SHARED);
}

static uint64 gen_unmap_addr(void)
{
  int c = (int)below(100);
  if (c < 60 && nareas)
    return areas[below(nareas)].addr + (chance(10) ? below(PGSIZE) : 0);
  if (c < 70 && brk0)
    return PGROUNDUP(brk0) + below(4) * PGSIZE;
  return gen_map_addr();
}

static void op_unmap(int op)
{
  uint64 addr = gen_unmap_addr(), len = gen_map_len();
  if (below(300) == 0)
    addr = text_start, len = PGSIZE;   // ends the round
  else if (!harmless_fixed(addr, len) && addr < MAXVA && len <= MAXVA - addr && !(addr % PGSIZE) && len)
    len = PGSIZE;
  if (overlaps(addr, len, (uint64)slots, PGSIZE) && addr < MAXVA && len <= MAXVA)
    return;   // the watchdog's page
  long r = CALL2(op, addr, len);
  int bad = addr % PGSIZE || len == 0 || addr >= MAXVA || len > MAXVA - addr;
  if (bad && r != -1)
    found("returned %ld for a range it must refuse", r);
  if (op == OP_MSYNC && !bad && r != 0)
    found("returned %ld for a valid range", r);
  if (op == OP_MUNMAP && r == 0)
    forget(addr, len);
}

static void op_vmstat(void)
{
  int what;
  uint64 p = gen_dst(&what);
  long r = CALL1(OP_VMSTAT, p);
  if (what != P_MAYBE && r != -1)
    found("returned %ld into memory the kernel cannot write", r);
}

static void forget_kid(int pid)
{
  for (int i = 0; i < nkids; i++)
    if (kids[i] == pid) {
      kids[i] = kids[--nkids];
      return;
    }
}

static void op_wait(void)
{
  int what = P_MAYBE;
  uint64 p = chance(30) ? 0 : gen_dst(&what);
  if (p == 0)
    what = P_MAYBE;
  int had = nkids;
  long r = CALL1(OP_WAIT, p);
  if (had == 0 && r != -1)
    found("returned %ld with no child", r);
  if (r > 0) {
    int ours = 0;
    for (int i = 0; i < nkids; i++)
      ours |= kids[i] == r;
    if (!ours)
      found("returned %ld, not a child", r);
    if (what != P_MAYBE)
      found("returned child %ld, with a status address the kernel cannot write", r);
    forget_kid((int)r);
  } else if (p == 0) {
    nkids = 0;   // none left
  }
}

static void op_kill(void)
{
  static const int nobody[] = { 100000, 1000000, -1, INT_MIN, INT_MAX, 0, -100000 };
  int pid;
  int c = (int)below(100);
  if (c < 50 && nkids)
    pid = kids[below(nkids)];
  else if (c == 50)
    pid = my_pid;   // ends the round
  else
    pid = PICK(nobody);
  long r = CALL1(OP_KILL, iarg(pid));
  int kid = 0;
  for (int i = 0; i < nkids; i++)
    kid |= kids[i] == pid;
  if (!kid && pid != my_pid && r != -1)
    found("returned %ld for a pid that does not exist", r);
}

static void op_simple(int op)
{
  long r = CALL0(op);
  if (op == OP_GETPID && r != my_pid)
    found("returned %ld, but this is pid %d", r, my_pid);
  if (op == OP_UPTIME) {
    if ((uint64)r < last_uptime)
      found("went back from %ld to %ld", (long)last_uptime, r);
    last_uptime = (uint64)r;
  }
}

static void op_sleep(int op)
{
  static const int ticks[] = { 0, 1, 2, -1, INT_MIN, -1000 };
  int n = PICK(ticks);
  long r = CALL1(op, iarg(n));
  if (r != 0)
    found("returned %ld", r);
}

// A fork child: touches some of the mappings it inherited (copy-on-write,
// shared, file-backed, forbidden: the kernel may kill it), then exits.
static void child_touch(void)
{
  for (int i = 0; i < 3 && nareas; i++) {
    struct area *a = chance(80) ? pick_area(A_RW) : &areas[below(nareas)];
    if (!a)
      break;
    volatile char *p = (volatile char *)(a->addr + below(a->len));
    if (chance(50))
      *p = (char)i;
    else
      (void)*p;
  }
}

// A fork child: reads and writes on the descriptors it shares with the
// round process (the same pipes and file offsets), at the same time as it.
static void child_io(void)
{
  for (int i = 0; i < 3; i++) {
    int what, fd = gen_fd(), n = gen_count();
    if (chance(50))
      syscall6(SYS_read, (uint64)fd, gen_dst(&what), (uint64)n, 0, 0, 0);
    else
      syscall6(SYS_write, (uint64)fd, gen_src(&what, (uint64)&what), (uint64)n, 0, 0, 0);
  }
}

static void reap_kids_down_to(int n)
{
  while (nkids > n) {
    int pid = wait(0);
    if (pid < 0) {
      nkids = 0;
      break;
    }
    forget_kid(pid);
  }
}

static struct slot private_slot;   // a fork child's: the round's slot is not its own

static void op_fork(void)
{
  reap_kids_down_to(MAXKIDS - 1);
  me->phase = PH_IN;
  log_line("fuzz: w%d #%d fork()", worker_id, ncalls);
  long r = syscall6(SYS_fork, 0, 0, 0, 0, 0, 0);
  if (r == 0)
    me = &private_slot;
  me->phase = PH_AFTER;
  me->calls = ++ncalls;
  me->progress++;
  if (r == 0) {
    static const int statuses[] = { 0, 1, 255, 256, -1, INT_MIN };
    int c = (int)below(3);
    if (c == 1)
      child_touch();
    if (c == 2)
      child_io();
    exit(PICK(statuses));
  }
  if (r > 0)
    kids[nkids++] = (int)r;
}

// Waits for child pid; returns its status.  Other children it reaps on
// the way are forgotten.
static int wait_kid(int pid)
{
  for (;;) {
    int status = 0;
    int got = wait(&status);
    if (got < 0)
      return -2;
    forget_kid(got);
    if (got == pid)
      return status;
  }
}

static char kpath[MAXPATH];   // a valid program, for killing in the middle of exec
static int kpath_made;

// A child that waits for ever (for a very long sleep, or in a read of a
// pipe it holds both ends of) must die when it is killed; one killed at
// some point of running a program must end by the kill or by the program.
static void op_killblocked(void)
{
  reap_kids_down_to(MAXKIDS - 1);
  int how = (int)below(3);
  if (how == 2 && !kpath_made) {
    int fd = open(kpath, O_CREATE | O_TRUNC | O_WRONLY);
    int n = make_tiny(execbuf, tiny_exit7, tiny_exit7_end);
    kpath_made = fd >= 0 && write(fd, execbuf, n) == n;
    close(fd);
    if (!kpath_made)
      how = 0;
  }
  int pid = fork();
  if (pid < 0)
    return;
  if (pid == 0) {
    // With the round's descriptors closed, pipe cannot fail for lack of one.
    for (int fd = 0; fd < NOFILE; fd++)
      close(fd);
    int p[2];
    char c;
    char *argv[] = { kpath, 0 };
    if (how == 2) {
      exec(kpath, argv);
      exit(EXEC_FAILED);
    }
    if (how == 1 && pipe(p) == 0)
      read(p[0], &c, 1);
    else
      sleep(INT_MAX);
    exit(0);   // only if the blocking call returned by itself
  }
  kids[nkids++] = pid;
  sleep((int)below(3));
  static const char *const hows[] = { "child blocked in sleep", "child blocked in a pipe read",
                                      "child running a program" };
  format(me->step, sizeof(me->step), "%s", hows[how]);
  long r = CALL1(OP_KILLBLOCKED, pid);
  int status = wait_kid(pid);
  if (how < 2 && r != 0)
    found("returned %ld for a child that was alive", r);
  if (status != -1 && !(how == 2 && status == 7))
    found("the killed child ended with status %d, not -1", status);
  me->step[0] = 0;
}


// write() and a MAP_SHARED mapping of the same file see the same bytes:
// what write() puts in the file shows in the mapping at once, and what is
// stored into the mapping is in the file after msync.
static void op_coherence(void)
{
  struct area *a = 0;
  for (int i = 0; i < nareas; i++)
    if (areas[i].slot == 2)
      a = &areas[i];
  int fd = a && !truncated ? open("f2", O_RDWR) : -1;
  struct stat st;
  if (fd < 0 || fstat(fd, &st) < 0 || st.ino != f2_ino) {
    close(fd);   // f2 is not the mapped file any more
    op_simple(OP_GETPID);
    return;
  }
  reap_kids_down_to(0);   // fork children store into shared mappings
  char bytes[192], back[192];
  for (int i = 0; i < (int)sizeof(bytes); i++)
    bytes[i] = (char)(rnd() | 1);
  format(me->step, sizeof(me->step), "f2, mapped MAP_SHARED at 0x%lx", a->addr);
  long r = CALL3(OP_WRITE, fd, bytes, 64);
  if (r == 64 && memcmp((void *)a->addr, bytes, 64) != 0)
    found("the file's MAP_SHARED mapping does not show what write() put at offset 0 (0x%x.., not 0x%x..)",
          *(uchar *)a->addr, (uchar)bytes[0]);
  close(fd);
  memmove((char *)a->addr + 128, bytes + 128, 64);
  format(me->step, sizeof(me->step), "after storing 64 bytes at 0x%lx", a->addr + 128);
  CALL2(OP_MSYNC, a->addr, a->len);
  fd = open("f2", O_RDONLY);
  if (fd >= 0 && fstat(fd, &st) == 0 && st.ino == f2_ino && st.size >= 192 &&
      read(fd, back, 192) == 192 && memcmp(back + 128, bytes + 128, 64) != 0)
    found("after msync, read() does not show what was stored into the MAP_SHARED mapping at offset 128");
  close(fd);
  me->step[0] = 0;
}

static void op_unknown(void)
{
  static const long nums[] = {
    0, 30, 31, 64, 100, 1000, -1, 1L << 32, 1L << 40, INT_MAX, INT_MIN, (1L << 32) | SYS_getpid,
  };
  long num = PICK(nums);
  uint64 a[6];
  for (int i = 0; i < 6; i++) {
    int what;
    a[i] = chance(50) ? (uint64)(long)gen_count() : gen_dst(&what);
  }
  long r = call(OP_UNKNOWN, num, a[0], a[1], a[2], a[3], a[4], a[5]);
  if (r != -1)
    found("returned %ld for an unknown system call", r);
}

// ---------------------------------------------------------------------------
// exec: a program is written to execpath and run in a child; a second
// child, a timer, makes sure a program that runs for ever is killed.

// Runs exec(path, argv) in a child; returns its exit status, or
// EXPECT_ANY if it had to be killed after EXEC_TICKS.
static int run_exec(uint64 path, uint64 argv)
{
  int timer = fork();
  if (timer == 0) {
    sleep(EXEC_TICKS);
    exit(0);
  }
  if (timer < 0)
    return EXPECT_ANY;
  kids[nkids++] = timer;
  int pid = fork();
  if (pid == 0) {
    long r = call(OP_EXEC, SYS_exec, path, argv, 0, 0, 0, 0);
    exit(r == -1 ? EXEC_FAILED : EXEC_FAILED + 1);   // exec fails with -1
  }
  if (pid < 0) {
    kill(timer);
    wait_kid(timer);
    return EXPECT_ANY;
  }
  kids[nkids++] = pid;
  int status = 0, timed_out = 0;
  for (;;) {
    int got = wait(&status);
    if (got < 0)
      break;
    forget_kid(got);
    if (got == pid)
      break;
    if (got == timer) {
      timed_out = 1;
      kill(pid);
    }
  }
  if (!timed_out) {
    kill(timer);
    wait_kid(timer);
  }
  // The exec, made in the child, counts as a call of the round.
  ncalls++;
  me->calls = ncalls;
  me->progress++;
  return timed_out ? EXPECT_ANY : status;
}

// Writes n bytes of buf to execpath; 0 or -1.
static int write_program(const char *buf, int n)
{
  int fd = open(execpath, O_CREATE | O_TRUNC | O_WRONLY);
  if (fd < 0)
    return -1;
  int r = n > 0 ? write(fd, buf, n) : 0;
  close(fd);
  return r == n ? 0 : -1;
}

// An argument vector; returns its address and sets *refused if exec must
// refuse it.
static uint64 gen_argv(int *refused, const char **name)
{
  static char *normal[] = { "x", "hello", 0 };
  static char *argvbuf[MAXARG + 2];
  static char longarg[5001];
  *refused = 0;
  int c = (int)below(100);
  if (c < 70 || !strpage) {
    *name = "argv ok";
    return (uint64)normal;
  }
  *refused = 1;
  if (c < 73) {
    *name = "argv NULL";
    return 0;
  }
  if (c < 76) {
    *name = "argv in the kernel";
    return KERNEL_DIRECT;
  }
  if (c < 79) {
    *name = "argv[1] in the kernel";
    argvbuf[0] = "x";
    argvbuf[1] = (char *)KERNEL_IMAGE;
    argvbuf[2] = 0;
    return (uint64)argvbuf;
  }
  if (c < 82) {
    *name = "argv runs into PROT_NONE";
    char **v = (char **)(strpage + PGSIZE - 4 * sizeof(char *));
    for (int i = 0; i < 4; i++)
      v[i] = "x";
    return (uint64)v;
  }
  if (c < 85) {
    *name = "argv[1] runs into PROT_NONE";
    memset(strpage + PGSIZE - 20, 'a', 20);
    argvbuf[0] = "x";
    argvbuf[1] = strpage + PGSIZE - 10;
    argvbuf[2] = 0;
    return (uint64)argvbuf;
  }
  if (c < 90) {
    int n = MAXARG - 1 + (int)below(3);
    *refused = n >= MAXARG;
    *name = *refused ? "too many arguments" : "MAXARG - 1 arguments";
    for (int i = 0; i < n; i++)
      argvbuf[i] = "arg";
    argvbuf[n] = 0;
    return (uint64)argvbuf;
  }
  if (c < 95) {
    int n = chance(50) ? 3000 : 5000;
    *refused = n > 4000;   // the arguments must fit in the stack's page
    *name = *refused ? "a 5000-byte argument" : "a 3000-byte argument";
    memset(longarg, 'a', n);
    longarg[n] = 0;
    argvbuf[0] = "x";
    argvbuf[1] = longarg;
    argvbuf[2] = 0;
    return (uint64)argvbuf;
  }
  *refused = 0;
  *name = "empty argv";
  argvbuf[0] = 0;
  return (uint64)argvbuf;
}

static void op_exec(void)
{
  const char *what;
  int expect, len;
  int c = (int)below(100);
  if (c < 10) {
    what = "random bytes";
    len = (int)below(2048);
    for (int i = 0; i < len; i++)
      execbuf[i] = (char)rnd();
    if (len > 0)
      execbuf[0] = 0x7e;   // never the ELF magic
    expect = EXPECT_REFUSED;
  } else if (c < 55) {
    int v = (int)below(TINY_VARIANTS);
    if (exclude_hangs && v == 2)
      v = 0;
    len = tiny_variant(execbuf, v, &expect, &what);
  } else if (c < 70) {
    len = tiny_variant(execbuf, 0, &expect, &what);
    int n = 1 + (int)below(4);
    for (int i = 0; i < n; i++)
      execbuf[below(TINY_CODE)] = (char)rnd();   // headers only: code stays exit
    what = "tiny with random header bytes";
    expect = EXPECT_ANY;
  } else if (echo_len > 0 && c < 80) {
    memmove(execbuf, echo_image, echo_len);
    len = echo_len;
    what = "echo";
    expect = 0;
  } else if (echo_len > 0 && c < 95) {
    memmove(execbuf, echo_image, echo_len);
    len = echo_len;
    int n = 1 + (int)below(3);
    for (int i = 0; i < n; i++) {
      int at = (int)below(echo_hdr_len);
      execbuf[at] = chance(50) ? (char)rnd() : execbuf[at] ^ (char)(1 << below(8));
    }
    what = "echo with random header bytes";
    expect = EXPECT_ANY;
  } else if (echo_len > 0) {
    len = (int)below(echo_len);
    memmove(execbuf, echo_image, len);
    what = "cut echo";
    expect = EXPECT_ANY;
  } else {
    len = tiny_variant(execbuf, 0, &expect, &what);
  }
  if (write_program(execbuf, len) < 0)
    return;

  uint64 path = (uint64)execpath;
  int refused;
  const char *argv_name;
  uint64 argv = gen_argv(&refused, &argv_name);
  if (chance(10)) {
    static const char *const no_program[] = { ".", "", "nope", "/", "d", "nd", CROSS_DIR, "d/" };
    int c = (int)below(10);
    if (c < 6)
      path = (uint64)PICK(no_program);
    else if (c < 8 || !strpage)
      path = bad_pointer();
    else
      path = (uint64)memset(strpage + PGSIZE - 20, 'a', 20) + 20 - 1 - below(19);
    argv_name = "a path that is no program";
    refused = 1;
  }
  format(me->step, sizeof(me->step), "%s, %s", what, argv_name);
  int status = run_exec(path, argv);
  if (refused || expect == EXPECT_REFUSED) {
    if (status != EXEC_FAILED && status != EXPECT_ANY)
      found("exec did not fail: the child ended with status %d", status);
  } else if (expect != EXPECT_ANY && status != EXPECT_ANY && status != expect) {
    if (status == EXEC_FAILED)
      found("exec refused a valid program");
    found("the program ended with status %d, expected %d", status, expect);
  }
  me->step[0] = 0;
}

// ---------------------------------------------------------------------------
// A round

static int pick_op(void)
{
  static int total;
  if (total == 0)
    for (int i = 0; i < NOPS; i++)
      total += ops[i].weight;
  int k = (int)below(total);
  for (int i = 0; i < NOPS; i++) {
    if (k < ops[i].weight)
      return i;
    k -= ops[i].weight;
  }
  return OP_GETPID;
}

static void one_call(void)
{
  int op = pick_op();
  me->op = op;
  me->phase = PH_BEFORE;
  me->step[0] = 0;
  for (int i = 0; i < 6; i++)
    me->arg[i] = 0;
  switch (op) {
  case OP_READ: op_read(); break;
  case OP_WRITE: op_write(); break;
  case OP_OPEN: op_open(); break;
  case OP_CLOSE: op_close(); break;
  case OP_DUP: op_dup(); break;
  case OP_PIPE: op_pipe(); break;
  case OP_FSTAT: op_fstat(); break;
  case OP_CHDIR: case OP_MKDIR: case OP_UNLINK: op_path(op); break;
  case OP_MKNOD: op_mknod(); break;
  case OP_LINK: op_link(); break;
  case OP_SBRK: case OP_SBRKLAZY: op_sbrk(op); break;
  case OP_MMAP: op_mmap(); break;
  case OP_MUNMAP: case OP_MSYNC: op_unmap(op); break;
  case OP_VMSTAT: op_vmstat(); break;
  case OP_WAIT: op_wait(); break;
  case OP_KILL: op_kill(); break;
  case OP_SLEEP: case OP_PAUSE: op_sleep(op); break;
  case OP_FORK: op_fork(); break;
  case OP_EXEC: op_exec(); break;
  case OP_KILLBLOCKED: op_killblocked(); break;
  case OP_UNKNOWN: op_unknown(); break;
  case OP_COHERENCE: op_coherence(); break;
  default: op_simple(op); break;
  }
}

// mmap with MAP_FIXED in the arena; records the area.
static int place(int k, uint64 len, int prot, int flags, int fd, uint64 off, int kind)
{
  uint64 a = arena + (uint64)k * ARENA_STRIDE;
  if (mmap((void *)a, len, prot, flags | MAP_FIXED, fd, off) != (void *)a)
    return -1;
  add_area(a, len, kind, (flags & MAP_SHARED) != 0);
  areas[nareas - 1].slot = k;
  return 0;
}

// Whether fd is open (pipes included, which fstat does not know).
static int fd_is_open(int fd)
{
  int copy = dup(fd);
  if (copy < 0)
    return 0;
  close(copy);
  return 1;
}

// The round process: sets up its world, then makes its calls.
static void round_main(int cross_fd)
{
  my_pid = getpid();
  watch_me(worker_id);
  seed_rng(me->round_seed);
  garbage_upper = 1;
  last_uptime = uptime();

  // The fuzzer's mappings, each with unmapped or PROT_NONE room after it.
  arena = (uint64)mmap(0, ARENA_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  int f2 = open("f2", O_RDWR), f3 = open("f3", O_RDWR), f1 = open("f1", O_RDONLY);
  struct stat st;
  f2_ino = fstat(f2, &st) == 0 ? st.ino : 0;
  if (arena != (uint64)-1) {
    place(0, 16 * KiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, A_RW);
    place(1, 8 * KiB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0, A_RW);
    place(2, 8 * KiB, PROT_READ | PROT_WRITE, MAP_SHARED, f2, 0, A_RW);
    place(3, 8 * KiB, PROT_READ | PROT_WRITE, MAP_PRIVATE, f3, 0, A_RW);
    place(4, 4 * KiB, PROT_READ, MAP_PRIVATE, f1, 0, A_RO);
    if (!exclude_hangs) {
      place(5, 8 * KiB, PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, A_WONLY);
      place(6, 4 * KiB, PROT_WRITE, MAP_SHARED, f2, 0, A_WONLY);
    }
    place(7, 4 * KiB, PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, A_XONLY);
    if (place(8, 4 * KiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, A_RW) == 0)
      strpage = (char *)(arena + 8 * ARENA_STRIDE);
    add_area(arena + 9 * ARENA_STRIDE, PGSIZE, A_NONE, 0);   // arena itself: PROT_NONE
  }
  close(f1);
  close(f2);
  close(f3);
  // The other worker's cross file at the top page: a read of our cross
  // file into it, crosswise with the other worker, is the deadlock of
  // defect 2.
  if (cross_fd >= 0) {
    if (mmap((void *)TOP_PAGE, PGSIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, cross_fd, 0) ==
        (void *)TOP_PAGE)
      add_area(TOP_PAGE, PGSIZE, A_TOP, 1);
    close(cross_fd);
  }
  brk0 = brk_start = (uint64)sbrk(0);
  if (sbrk(16 * KiB) == SBRK_ERROR)
    brk0 = 0;
  brk_now = brk0 ? brk0 + 16 * KiB : 0;
  if (!brk0)
    brk_now = (uint64)sbrk(0);
  low_end = PGROUNDUP(brk_start);
  stack_low = USER_STACK_TOP - USER_STACK_LIMIT - 32 * PGSIZE;
  for (int i = 0; i < (int)sizeof(scratch); i++)
    scratch[i] = (char)rnd();
  format(abspath, sizeof(abspath), "%s/f%d", workdir, (int)below(4));

  for (int fd = 0; fd < NOFILE; fd++) {
    fd_open[fd] = fd == log_fd ? 2 : fd_is_open(fd);
    fd_kind[fd] = 0;
  }
  // As the worker made them: f0, out, out, the feeder's pipe, the
  // drainer's pipe, our cross file.
  static const char made[] = {
    K_KNOWN | K_FILE | K_READ, K_KNOWN | K_FILE | K_WRITE, K_KNOWN | K_FILE | K_WRITE,
    K_KNOWN | K_PIPE | K_READ, K_KNOWN | K_PIPE | K_WRITE, K_KNOWN | K_FILE | K_READ | K_WRITE,
  };
  for (int fd = 0; fd < NELEM(made); fd++)
    if (fd_open[fd] == 1)
      fd_kind[fd] = made[fd];
  while (ncalls < budget)
    one_call();
  unwatch_me();
  reap_kids_down_to(0);
  exit(0);
}

// The pipe helpers: the feeder keeps a pipe full for the round to read,
// the drainer empties one it writes, so that neither blocks for ever.
// Each ends when the round's side of its pipe is closed by every process.
static void pipe_helper(int keep, int feeder)
{
  for (int fd = 0; fd < NOFILE; fd++)
    if (fd != keep)
      close(fd);
  static char buf[512];
  if (feeder) {
    fill_pattern(buf, sizeof(buf), 3);
    while (write(keep, buf, sizeof(buf)) > 0)
      ;
  } else {
    while (read(keep, buf, sizeof(buf)) > 0)
      ;
  }
  exit(0);
}

// Work files of a round, in the worker's directory.
static int make_fixtures(void)
{
  remove_tree(".", 0);
  if (make_file("f0", 100, 0) < 0 || make_file("f1", 5000, 1) < 0 ||
      make_file("f2", 8192, 2) < 0 || make_file("f3", 3000, 3) < 0 || mkdir("d") < 0 ||
      mknod("nd", 2, 0) < 0)
    return -1;
  return 0;
}

// Descriptors 0-4 of a round: f0, out, out, the feeder's pipe, the
// drainer's pipe.  Returns the number of helpers started.
static int start_helpers(void)
{
  for (int fd = 0; fd < NOFILE; fd++)
    if (fd != log_fd)
      close(fd);
  if (open("f0", O_RDONLY) != 0 || open("out", O_CREATE | O_TRUNC | O_WRONLY) != 1 || dup(1) != 2)
    return -1;
  int p[2], q[2];
  if (pipe(p) < 0 || pipe(q) < 0)   // p = 3, 4; q = 5, 6
    return -1;
  int helpers = 0;
  if (fork() == 0)
    pipe_helper(4, 1);
  helpers++;
  if (fork() == 0)
    pipe_helper(5, 0);
  helpers++;
  // The round gets 3 (reads the feeder) and 4 (writes to the drainer).
  close(4);
  close(5);
  if (dup(6) != 4)
    return -1;
  close(6);
  return helpers;
}

// A worker: runs one round in a child and reports how it ended.
static void worker_main(int w, int calls)
{
  worker_id = w;
  me = &slots[w];
  format(workdir, sizeof(workdir), "/fz_%d", w);
  format(execpath, sizeof(execpath), "%s/prog", workdir);   // no random path reaches it
  format(kpath, sizeof(kpath), "%s/kprog", workdir);
  budget = calls;
  ncalls = 0;
  watch_me(w);
  step("making the round's files");
  if (chdir(workdir) < 0 || make_fixtures() < 0) {
    format(me->finding, sizeof(me->finding), "worker %d: cannot make its files in %s", w, workdir);
    me->found = 1;
    unwatch_me();
    me->finished = 1;
    exit(0);
  }
  int helpers = start_helpers();
  int cross_fd = -1;
  if (helpers >= 0) {
    // Worker 0 reads a and maps b, worker 1 the other way round, ...
    char path[32];
    format(path, sizeof(path), "%s/%c", CROSS_DIR, w % 2 ? 'b' : 'a');
    int own = open(path, O_RDWR);
    format(path, sizeof(path), "%s/%c", CROSS_DIR, w % 2 ? 'a' : 'b');
    cross_fd = open(path, O_RDWR);
    struct stat st;
    if (own >= 0 && fstat(own, &st) == 0 && st.size > 64 * KiB) {
      close(own);
      format(path, sizeof(path), "%s/%c", CROSS_DIR, w % 2 ? 'b' : 'a');
      own = open(path, O_RDWR | O_TRUNC);
    }
    (void)own;   // the round's descriptor 5 (or so): reads a into b's page
  }
  int pid = helpers < 0 ? -1 : fork();
  if (pid == 0)
    round_main(cross_fd);
  // Only the round and the helpers may hold the pipes now.
  for (int fd = 0; fd < NOFILE; fd++)
    if (fd != log_fd)
      close(fd);
  int status = -2;
  if (pid > 0) {
    while (1) {
      int got = wait(&status);
      if (got == pid || got < 0)
        break;
    }
  } else {
    format(me->finding, sizeof(me->finding), "worker %d: cannot start its round", w);
    me->found = 1;
  }
  me->status = status;
  me->pid = getpid();
  me->watch = 1;
  step("waiting for its pipe helpers to end");
  while (wait(0) >= 0)
    ;
  unwatch_me();
  me->finished = 1;
  exit(0);
}

// ---------------------------------------------------------------------------
// The parent: starting processes and watching them

static const char *who_name;   // "check NAME" while a directed check runs

static void slot_who(int s, char *out, int size)
{
  if (who_name)
    format(out, size, "check %s", who_name);
  else
    format(out, size, "worker %d", s);
}

// A watched process made no progress for too long: report it, kill it,
// and see whether that ended it.
static void stuck(int s)
{
  struct slot *sl = &slots[s];
  char who[40], what[200];
  slot_who(s, who, sizeof(who));
  describe(sl, what, sizeof(what));
  char where[80] = "";
  if (!who_name)
    format(where, sizeof(where), ", seed %lu (round 0x%lx, call %d)", current_seed, sl->round_seed,
           sl->calls);
  report("fuzz: FAIL %s stuck in %s%s", who, what, where);
  int pid = sl->pid;
  kill(pid);
  int ended = 0;
  for (int t0 = uptime(); uptime() - t0 < KILL_GRACE;) {
    if (!alive(pid)) {
      ended = 1;
      break;
    }
    pause(10);
  }
  say("fuzz: %s stuck in %s%s, and kill %s", who, what, where, ended ? "ended it" : "did NOT end it");
  sl->watch = 0;
  if (!ended)
    wedged = 1;
}

// Waits until the n children in pids[] (which set slots[tops[i]].finished
// before they exit) are reaped, reporting watched processes that get
// stuck.  Fills status[]; returns 0, or -1 if the system is wedged.
static int watch_children(int *pids, int *tops, int *status, int n)
{
  uint64 seen[NSLOTS];
  int since[NSLOTS];
  int reaped[MAX_WORKERS + 1] = { 0 };
  int left = n;
  for (int s = 0; s < NSLOTS; s++) {
    seen[s] = slots[s].progress;
    since[s] = uptime();
  }
  for (int polls = 1; left > 0; polls++) {
    pause(10);
    int now = uptime();
    for (int s = 0; s < NSLOTS; s++) {
      struct slot *sl = &slots[s];
      if (!sl->watch || sl->progress != seen[s]) {
        seen[s] = sl->progress;
        since[s] = now;
      } else if (now - since[s] > stuck_ticks) {
        stuck(s);
        if (wedged)
          return -1;
        since[s] = uptime();
      }
    }
    // Reap those that said they are done, and (now and then) those that
    // died without a word.
    for (int i = 0; i < n; i++) {
      if (reaped[i] || !(slots[tops[i]].finished || (polls % 10 == 0 && !alive(pids[i]))))
        continue;
      int st = 0;
      int got = wait(&st);
      for (int j = 0; j < n; j++) {
        if (got == pids[j] && !reaped[j]) {
          reaped[j] = 1;
          status[j] = st;
          left--;
        }
      }
      if (got < 0)
        return 0;
    }
  }
  return 0;
}

static void reset_slot(int s)
{
  memset(&slots[s], 0, sizeof(slots[s]));
}

// Frames not yet free again compared with the baseline; orphans a round
// left may still be exiting, and init has to reap them, so they get a
// moment.
static uint64 frames_missing(void)
{
  for (int tries = 0; tries < 100; tries++) {
    if (free_frames() >= baseline)
      return 0;
    pause(2);
  }
  uint64 now = free_frames();
  return now >= baseline ? 0 : baseline - now;
}

// After a batch or a check: every frame back, and our text unchanged.
static void check_idle(const char *after)
{
  uint64 missing = frames_missing();
  if (missing) {
    report("fuzz: FAIL frames: %d frames were not freed after %s", (int)missing, after);
    baseline = free_frames();   // report each leak once
  }
  if (checksum(text_start, text_end) != text_sum) {
    report("fuzz: FAIL text: the program's text changed after %s", after);
    wedged = 1;   // we may not even run right any more
  }
}

// One batch: each worker runs one round of up to per_worker calls.
// Returns the calls made.
static int run_batch(uint64 seed, int batch, int per_worker, uint64 single_round)
{
  int pids[MAX_WORKERS], tops[MAX_WORKERS], status[MAX_WORKERS];
  int n = 0;
  for (int w = 0; w < nworkers; w++) {
    reset_slot(w);
    slots[w].round_seed = single_round ? single_round : round_seed(seed, batch, w);
    int pid = fork();
    if (pid == 0)
      worker_main(w, per_worker);
    if (pid < 0) {
      report("fuzz: FAIL fork: cannot start worker %d, seed %lu", w, seed);
      continue;
    }
    pids[n] = pid;
    tops[n] = w;
    status[n] = -2;
    n++;
  }
  watch_children(pids, tops, status, n);
  int calls = 0;
  for (int w = 0; w < nworkers; w++) {
    struct slot *sl = &slots[w];
    calls += sl->calls;
    total_rounds++;
    if (sl->found) {
      report("fuzz: FAIL %s; seed %lu, round 0x%lx, call %d, worker %d", sl->finding, seed,
             sl->round_seed, sl->calls, w);
    } else if (sl->status == -1) {
      killed_rounds++;   // expected: the round touched what it must not
    } else if (sl->status != 0) {
      report("fuzz: FAIL worker %d: the round process ended with status %d; seed %lu, round 0x%lx",
             w, sl->status, seed, sl->round_seed);
    }
  }
  if (wedged)
    return calls;
  char after[80];
  format(after, sizeof(after), "batch %d of seed %lu (rounds 0x%lx, 0x%lx...)", batch, seed,
         slots[0].round_seed, nworkers > 1 ? slots[1].round_seed : 0UL);
  check_idle(after);
  return calls;
}

static void fuzz_seed(uint64 seed, int calls)
{
  current_seed = seed;
  total_seeds++;
  int done = 0, batches = 0, rounds0 = total_rounds, killed0 = killed_rounds;
  int t0 = uptime();
  for (int batch = 0; done < calls && !wedged; batch++) {
    int per = (calls - done + nworkers - 1) / nworkers;
    if (per > ROUND_CALLS)
      per = ROUND_CALLS;
    int made = run_batch(seed, batch, per, 0);
    total_calls += made;
    done += made > 0 ? made : 1;
    batches++;
  }
  say("fuzz: seed %lu: %d calls in %d rounds (%d ended by a kill), %d s", seed, done,
      total_rounds - rounds0, killed_rounds - killed0, (uptime() - t0) / HZ);
}

// ---------------------------------------------------------------------------
// Directed checks: one for each kind of defect the fuzzer found, plus
// their neighbours.  Each runs in a child; check_fail prints the FAIL line.

static const char *check_name;
static int check_pid;   // the check's main process

static void check_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void check_fail(const char *fmt, ...)
{
  struct text t;
  va_list ap;
  va_start(ap, fmt);
  text_vformat(&t, fmt, ap);
  va_end(ap);
  say("fuzz: FAIL %s: %s", check_name, t.buf);
  unwatch_me();
  if (getpid() == check_pid)
    slots[0].finished = 1;
  exit(FOUND);
}

static uint64 xmap(uint64 addr, uint64 len, int prot, int flags, int fd, uint64 off)
{
  step("mmap(0x%lx, %ld, %d, 0x%x, %d, 0x%lx)", addr, (long)len, prot, flags, fd, off);
  void *p = mmap((void *)addr, len, prot, flags, fd, off);
  if (p == MAP_FAILED)
    check_fail("mmap(0x%lx, %ld, %d, 0x%x, %d, 0x%lx) failed", addr, (long)len, prot, flags, fd, off);
  return (uint64)p;
}

static int xopen(const char *path, int mode)
{
  int fd = open(path, mode);
  if (fd < 0)
    check_fail("cannot open %s", path);
  return fd;
}

static void xpipe(int p[2])
{
  if (pipe(p) < 0)
    check_fail("pipe failed");
}

// A page that can be read and written, then one of PROT_NONE: edge is
// the boundary between them.
static uint64 rw_then_none(void)
{
  uint64 a = xmap(0, 2 * PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  uint64 b = xmap(a + PGSIZE, PGSIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  if (b != a + PGSIZE)
    check_fail("MAP_FIXED at 0x%lx returned 0x%lx", a + PGSIZE, b);
  return a + PGSIZE;
}

// Runs fn(arg) in a watched child (slot s); returns its exit status, or
// fails the check if the child reported a failure of its own.
static int run_watched(int s, void (*fn)(uint64), uint64 arg)
{
  int pid = fork();
  if (pid < 0)
    check_fail("fork failed");
  if (pid == 0) {
    watch_me(s);
    fn(arg);
    unwatch_me();
    exit(0);
  }
  struct slot *parent = me;
  unwatch_me();
  int status = 0;
  while (wait(&status) != pid)
    ;
  me = parent;
  watch_me((int)(me - slots));
  if (status == FOUND) {
    if (getpid() == check_pid)
      slots[0].finished = 1;
    exit(FOUND);
  }
  return status;
}

// Runs path with argv in a watched child; returns its exit status
// (EXEC_FAILED if exec failed).
static void exec_child(uint64 arg)
{
  char **v = (char **)arg;
  step("exec %s", v[0]);
  exec(v[0], v);
  exit(EXEC_FAILED);
}

static void write_check_file(const char *path, const char *buf, int n)
{
  int fd = xopen(path, O_CREATE | O_TRUNC | O_WRONLY);
  if (write(fd, buf, n) != n)
    check_fail("cannot write %s", path);
  close(fd);
}

static int file_size(const char *path)
{
  struct stat st;
  if (stat(path, &st) < 0)
    check_fail("cannot stat %s", path);
  return (int)st.size;
}

// Unknown call numbers fail, and the upper half of the number counts.
static void check_unknown_calls(void)
{
  static const long nums[] = { 0, 30, 31, 1000, -1, 1L << 40, INT_MIN, (1L << 32) | SYS_getpid };
  for (int i = 0; i < NELEM(nums); i++) {
    step("system call %ld", nums[i]);
    long r = syscall6(nums[i], 0, 0, 0, 0, 0, 0);
    if (r != -1)
      check_fail("system call %ld returned %ld, not -1", nums[i], r);
  }
}

static uint64 none_page;   // a PROT_NONE page of the check

static const uint64 *bad_sources(int *n)
{
  static uint64 bad[8];
  bad[0] = 0;
  bad[1] = KERNEL_DIRECT;
  bad[2] = KERNEL_IMAGE;
  bad[3] = MAXVA;
  bad[4] = MAXVA - 5;   // the top page is not mapped here
  bad[5] = none_page;
  bad[6] = ~0UL - 4;
  *n = 7;
  return bad;
}

// Defect 4: writes from memory the kernel cannot read fail, on the
// console, a pipe and a file, and write nothing.
static void check_write_bad(void)
{
  uint64 edge = rw_then_none();
  none_page = edge;
  int p[2];
  xpipe(p);
  char path[] = CHECK_DIR "/w";
  int f = xopen(path, O_CREATE | O_TRUNC | O_RDWR);
  int n;
  const uint64 *bad = bad_sources(&n);
  for (int i = 0; i < n; i++) {
    int fds[] = { 1, p[1], f };
    const char *names[] = { "the console", "a pipe", "a file" };
    for (int j = 0; j < 3; j++) {
      step("write(%s, 0x%lx, 10)", names[j], bad[i]);
      int r = write(fds[j], (void *)bad[i], 10);
      if (r != -1)
        check_fail("write(%s, 0x%lx, 10) returned %d, not -1", names[j], bad[i], r);
    }
  }
  close(p[1]);
  char buf[16];
  step("read the pipe");
  int r = read(p[0], buf, sizeof(buf));
  if (r != 0)
    check_fail("failed writes put %d bytes into the pipe", r);
  close(p[0]);
  if (file_size(path) != 0)
    check_fail("failed writes put %d bytes into the file", file_size(path));

  // 3 good bytes, then PROT_NONE: all-or-nothing, or exactly the 3.
  char *q = (char *)edge - 3;
  memmove(q, "   ", 3);   // spaces: harmless if they reach the console
  xpipe(p);
  step("write(a pipe, 3 bytes before PROT_NONE, 10)");
  r = write(p[1], q, 10);
  close(p[1]);
  int got = read(p[0], buf, sizeof(buf));
  if ((r != -1 && r != 3) || got != (r > 0 ? r : 0))
    check_fail("write(a pipe, 3 bytes before PROT_NONE, 10) returned %d, and the pipe got %d bytes", r, got);
  close(p[0]);
  step("write(a file, 3 bytes before PROT_NONE, 10)");
  r = write(f, q, 10);
  if ((r != -1 && r != 3) || file_size(path) != (r > 0 ? r : 0))
    check_fail("write(a file, 3 bytes before PROT_NONE, 10) returned %d, and the file has %d bytes", r,
               file_size(path));
  step("write(the console, 3 bytes before PROT_NONE, 10)");
  r = write(1, q, 10);
  if (r != -1 && r != 3)
    check_fail("write(the console, 3 bytes before PROT_NONE, 10) returned %d", r);
  if (r == 3)
    write(1, "\n", 1);
  close(f);
  unlink(path);
}

// Defect 5: a pipe read into memory the kernel cannot write loses no
// bytes: either it fails and the next read gets them all, or it says
// how many it delivered.
static void check_pipe_read_bad(void)
{
  uint64 edge = rw_then_none();
  none_page = edge;
  uint64 bad[] = { KERNEL_DIRECT, 0, (uint64)ro_target, edge, MAXVA - 2, KERNEL_IMAGE, edge - 3 };
  for (int i = 0; i < NELEM(bad); i++) {
    int p[2];
    xpipe(p);
    if (write(p[1], "0123456789", 10) != 10)
      check_fail("write to a pipe failed");
    step("read(p[0], 0x%lx, 5)", bad[i]);
    int r = read(p[0], (void *)bad[i], 5);
    close(p[1]);
    char buf[16];
    int got = 0, n;
    while ((n = read(p[0], buf + got, sizeof(buf) - got)) > 0)
      got += n;
    close(p[0]);
    int partial = bad[i] == edge - 3;   // 3 bytes could be delivered
    if (r != -1 && !(partial && r == 3))
      check_fail("read(p[0], 0x%lx, 5) returned %d", bad[i], r);
    int delivered = r > 0 ? r : 0;
    if (delivered + got != 10 || memcmp(buf, "0123456789" + delivered, got) != 0)
      check_fail("read(p[0], 0x%lx, 5) returned %d, then the next reads got %d of the 10 bytes: %d lost",
                 bad[i], r, got, 10 - delivered - got);
  }
}

// Other calls that copy out: into memory the kernel cannot write, they
// fail and do no harm.
static void check_copyout_bad(void)
{
  uint64 edge = rw_then_none();
  uint64 bad[] = { KERNEL_DIRECT, KERNEL_IMAGE, 0, (uint64)ro_target, edge, MAXVA };
  char path[] = CHECK_DIR "/c";
  write_check_file(path, "0123456789", 10);
  int f = xopen(path, O_RDONLY);
  for (int i = 0; i < NELEM(bad); i++) {
    step("fstat(f, 0x%lx)", bad[i]);
    if (fstat(f, (struct stat *)bad[i]) != -1)
      check_fail("fstat into 0x%lx did not fail", bad[i]);
    step("vmstat(0x%lx)", bad[i]);
    if (vmstat((struct vmstat *)bad[i]) != -1)
      check_fail("vmstat into 0x%lx did not fail", bad[i]);
    int lo = lowest_free_fd();
    step("pipe(0x%lx)", bad[i]);
    if (pipe((int *)bad[i]) != -1)
      check_fail("pipe into 0x%lx did not fail", bad[i]);
    if (lowest_free_fd() != lo)
      check_fail("a failed pipe(0x%lx) left descriptor %d open", bad[i], lo);
    step("read(f, 0x%lx, 10)", bad[i]);
    if (read(f, (void *)bad[i], 10) != -1)
      check_fail("read of a file into 0x%lx did not fail", bad[i]);
    if (bad[i] == 0)
      continue;   // wait(0) is allowed
    int pid = fork();
    if (pid == 0)
      exit(3);
    step("wait(0x%lx)", bad[i]);
    int r = wait((int *)bad[i]);
    if (r != -1)
      check_fail("wait(0x%lx) returned %d, not -1", bad[i], r);
    int status = 0;
    r = wait(&status);
    if (r != -1 && (r != pid || status != 3))
      check_fail("after wait(0x%lx) failed, wait returned %d with status %d", bad[i], r, status);
    if (wait(0) != -1)
      check_fail("a child was reported twice after wait(0x%lx)", bad[i]);
  }
  char buf[10];
  step("read(f, buf, 10) after the failed reads");
  if (read(f, buf, 10) != 10 || memcmp(buf, "0123456789", 10) != 0)
    check_fail("failed reads moved the file offset");
  close(f);
  unlink(path);
}

// Mappings next to MAXVA, and the arguments mmap, munmap and msync must
// refuse.
static void check_mmap_edges(void)
{
  uint64 a = xmap(TOP_PAGE, PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  if (a != TOP_PAGE)
    check_fail("MAP_FIXED at the top page returned 0x%lx", a);
  step("touch the top page");
  ((volatile char *)a)[PGSIZE - 1] = 7;
  if (((volatile char *)a)[PGSIZE - 1] != 7)
    check_fail("the top page does not keep what is written");
  struct { uint64 addr, len; int prot, flags; uint64 off; const char *why; } bad[] = {
    { MAXVA, PGSIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0, "at MAXVA" },
    { TOP_PAGE, 2 * PGSIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0, "across MAXVA" },
    { KERNEL_DIRECT, PGSIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0, "in the kernel" },
    { 0, PGSIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0, "MAP_FIXED at 0" },
    { TOP_PAGE + 8, PGSIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0, "unaligned" },
    { 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, 0, "length 0" },
    { 0, ~0UL, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, 0, "length ~0" },
    { 0, MAXVA + 1, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, 0, "length MAXVA + 1" },
    { 0, PGSIZE, 8, MAP_PRIVATE | MAP_ANONYMOUS, 0, "an unknown PROT bit" },
    { 0, PGSIZE, PROT_READ, MAP_ANONYMOUS, 0, "neither shared nor private" },
    { 0, PGSIZE, PROT_READ, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS, 0, "shared and private" },
    { 0, PGSIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | 0x1000, 0, "an unknown flag" },
  };
  for (int i = 0; i < NELEM(bad); i++) {
    step("mmap %s", bad[i].why);
    void *p = mmap((void *)bad[i].addr, bad[i].len, bad[i].prot, bad[i].flags, -1, bad[i].off);
    if (p != MAP_FAILED)
      check_fail("mmap %s returned %p, not MAP_FAILED", bad[i].why, p);
  }
  struct { uint64 addr, len; const char *why; } range[] = {
    { TOP_PAGE, 2 * PGSIZE, "across MAXVA" }, { MAXVA, PGSIZE, "at MAXVA" },
    { TOP_PAGE + 1, PGSIZE, "unaligned" }, { TOP_PAGE, 0, "length 0" },
    { KERNEL_DIRECT, PGSIZE, "in the kernel" }, { PGSIZE, ~0UL, "length ~0" },
  };
  for (int i = 0; i < NELEM(range); i++) {
    step("munmap %s", range[i].why);
    if (munmap((void *)range[i].addr, range[i].len) != -1)
      check_fail("munmap %s did not fail", range[i].why);
    step("msync %s", range[i].why);
    if (msync((void *)range[i].addr, range[i].len) != -1)
      check_fail("msync %s did not fail", range[i].why);
  }
  step("msync and munmap the top page");
  if (msync((void *)TOP_PAGE, PGSIZE) != 0 || munmap((void *)TOP_PAGE, PGSIZE) != 0)
    check_fail("msync or munmap of the top page failed");
}

// Reads a mapping at a file offset past 4 GiB; exits 0 if it is all
// zeros, 1 if it shows the file's data, 2 for other bytes.
static void read_far_mapping(uint64 p)
{
  step("read the mapping at 0x%lx", p);
  const volatile char *m = (const volatile char *)p;
  char want[PGSIZE];
  fill_pattern(want, PGSIZE, 4);
  int zero = 1, file = 1;
  for (int i = 0; i < PGSIZE; i++) {
    zero &= m[i] == 0;
    file &= m[i] == want[i];
  }
  exit(zero ? 0 : file ? 1 : 2);
}

// Defect 3: a file mapping at an offset of 4 GiB or more shows no file
// data: mmap fails, or the pages read as zeros.
static void check_mmap_4g(void)
{
  char path[] = CHECK_DIR "/g";
  if (make_file(path, 2 * PGSIZE, 4) < 0)
    check_fail("cannot make %s", path);
  int fd = xopen(path, O_RDWR);
  uint64 offs[] = { 1UL << 32, (1UL << 32) + PGSIZE, 1UL << 33, 1UL << 36 };
  int shares[] = { MAP_PRIVATE, MAP_SHARED };
  for (int i = 0; i < NELEM(offs); i++) {
    for (int j = 0; j < 2; j++) {
      const char *how = shares[j] == MAP_SHARED ? "MAP_SHARED" : "MAP_PRIVATE";
      step("mmap(0, 4096, PROT_READ, %s, fd, 0x%lx)", how, offs[i]);
      void *p = mmap(0, PGSIZE, PROT_READ, shares[j], fd, offs[i]);
      if (p == MAP_FAILED)
        continue;
      int status = run_watched(1, read_far_mapping, (uint64)p);
      if (status == 1)
        check_fail("mmap %s at file offset 0x%lx shows the file's data from offset 0", how, offs[i]);
      if (status != 0)
        check_fail("mmap %s at file offset 0x%lx: reading it %s", how, offs[i],
                   status == -1 ? "killed the process" : "showed bytes that are not zero");
      munmap(p, PGSIZE);
    }
  }
  close(fd);
  unlink(path);
}

// Defect 6: a hole in the heap does not break sbrk.
static void check_sbrk_hole(void)
{
  uint64 b = (uint64)sbrk(0);
  sbrk((int)(PGROUNDUP(b) - b));   // so that h is page-aligned
  char *h = sbrk(3 * PGSIZE);
  if (h == SBRK_ERROR)
    check_fail("sbrk(3 pages) failed");
  char *end = h + 3 * PGSIZE;
  h[0] = 1;
  h[2 * PGSIZE] = 2;
  step("munmap(h + 4096, 4096)");
  if (munmap(h + PGSIZE, PGSIZE) != 0)
    check_fail("munmap of a heap page failed");
  step("sbrk(0)");
  char *r = sbrk(0);
  if (r != end)
    check_fail("after munmap(h + 4096, 4096): sbrk(0) returned %p, the break is %p", r, end);
  step("sbrk(-4096)");
  r = sbrk(-PGSIZE);
  if (r != end || sbrk(0) != end - PGSIZE)
    check_fail("after a hole in the heap: sbrk(-4096) returned %p (break %p), then sbrk(0) %p", r, end,
               sbrk(0));
  step("sbrk(4096)");
  r = sbrk(PGSIZE);
  if (r != end - PGSIZE || sbrk(0) != end)
    check_fail("after a hole in the heap: growing with sbrk(4096) returned %p (break %p)", r, end - PGSIZE);
  step("touch the regrown page");
  h[2 * PGSIZE] = 3;
  if (h[0] != 1 || h[2 * PGSIZE] != 3)
    check_fail("the heap around the hole lost its contents");
  step("sbrk(-3 pages) past the hole");
  r = sbrk(-3 * PGSIZE);
  if (r != end || sbrk(0) != h)
    check_fail("shrinking the heap over the hole: sbrk returned %p, then sbrk(0) %p (expected %p, %p)", r,
               sbrk(0), end, h);
  step("sbrk(INT_MIN)");
  if (sbrk(INT_MIN) != SBRK_ERROR || sbrk(0) != h)
    check_fail("sbrk(INT_MIN) did not fail, or moved the break");
}

// Runs a program made in memory; returns its exit status.
static int run_made_program(const char *name, const char *buf, int n)
{
  char path[32];
  format(path, sizeof(path), "%s/%s", CHECK_DIR, name);
  write_check_file(path, buf, n);
  static char pathcopy[32];
  strcpy(pathcopy, path);
  char *argv[] = { pathcopy, 0 };
  int status = run_watched(1, exec_child, (uint64)argv);
  unlink(path);
  return status;
}

// Defect 6 (exec): an executable whose segment is at 0 and whose entry
// point is 0 runs.
static void check_exec_entry0(void)
{
  int n = make_tiny_at_zero(execbuf);
  int status = run_made_program("e0", execbuf, n);
  if (status == EXEC_FAILED)
    check_fail("exec refused an executable with entry point 0 (in its text segment at 0)");
  if (status != 42)
    check_fail("the executable with entry point 0 ended with status %d, not 42", status);
  n = make_tiny(execbuf, tiny_exit7, tiny_exit7_end);
  status = run_made_program("e7", execbuf, n);
  if (status != 7)
    check_fail("a valid tiny executable ended with status %d, not 7", status);
}

// Bad arguments to exec: it fails, and the caller goes on.
static void check_exec_args(void)
{
  int n = make_tiny(execbuf, tiny_exit7, tiny_exit7_end);
  char path[] = CHECK_DIR "/t";
  write_check_file(path, execbuf, n);
  char **unterminated = (char **)(rw_then_none() - 2 * sizeof(char *));
  unterminated[0] = path;
  unterminated[1] = path;
  char *strend = (char *)rw_then_none() - 4;
  memmove(strend, "abcd", 4);
  char *kernel_arg[] = { path, (char *)KERNEL_DIRECT, 0 };
  char *open_arg[] = { path, strend, 0 };
  char *ok_argv[] = { path, 0 };
  static char *many[MAXARG + 1];
  for (int i = 0; i < MAXARG; i++)
    many[i] = path;
  struct { uint64 path, argv; const char *why; } bad[] = {
    { (uint64)path, 0, "argv NULL" },
    { (uint64)path, KERNEL_DIRECT, "argv in the kernel" },
    { (uint64)path, (uint64)kernel_arg, "an argument in the kernel" },
    { (uint64)path, (uint64)unterminated, "argv running into PROT_NONE" },
    { (uint64)path, (uint64)open_arg, "an argument running into PROT_NONE" },
    { (uint64)path, (uint64)many, "MAXARG arguments" },
    { 0, (uint64)ok_argv, "path NULL" },
    { KERNEL_IMAGE, (uint64)ok_argv, "path in the kernel" },
    { (uint64)strend, (uint64)ok_argv, "path running into PROT_NONE" },
    { (uint64)CHECK_DIR, (uint64)ok_argv, "a directory" },
    { (uint64)"", (uint64)ok_argv, "the empty path" },
  };
  for (int i = 0; i < NELEM(bad); i++) {
    step("exec with %s", bad[i].why);
    int pid = fork();
    if (pid == 0) {
      exec((char *)bad[i].path, (char **)bad[i].argv);
      exit(EXEC_FAILED);
    }
    int status = 0;
    wait(&status);
    if (status != EXEC_FAILED)
      check_fail("exec with %s did not fail (the child ended with status %d)", bad[i].why, status);
  }
  many[MAXARG - 1] = 0;
  step("exec with MAXARG - 1 arguments");
  int status = run_watched(1, exec_child, (uint64)many);
  if (status != 7)
    check_fail("exec with MAXARG - 1 arguments: status %d, not 7", status);
  unlink(path);
}

// kill of pids that cannot exist fails.
static void check_kill_bad(void)
{
  int pids[] = { 100000, 1000000, -1, INT_MIN, INT_MAX, 0 };
  for (int i = 0; i < NELEM(pids); i++) {
    step("kill(%d)", pids[i]);
    if (kill(pids[i]) != -1)
      check_fail("kill(%d) did not fail", pids[i]);
  }
}

// Defect 1 (ELF): a PF_W-only data segment is readable and writable.
static void check_elf_wonly(void)
{
  int n = make_tiny_rw(execbuf, PF_W, 0);
  int status = run_made_program("ew", execbuf, n);
  if (status != 0)
    check_fail("a program with a PF_W-only data segment %s (status %d)",
               status == -1 ? "was killed reading or writing it" :
               status == EXEC_FAILED ? "was refused" : "read wrong values from it", status);
  n = make_tiny_rw(execbuf, PF_W, 1);
  status = run_made_program("ef", execbuf, n);
  if (status != 0)
    check_fail("a program with a PF_W-only data segment from its file %s (status %d)",
               status == -1 ? "was killed reading or writing it" :
               status == EXEC_FAILED ? "was refused" : "read wrong values from it", status);
}

static void touch_wonly(uint64 p)
{
  step("write and read a PROT_WRITE page");
  volatile char *c = (volatile char *)p;
  c[0] = 'w';
  c[PGSIZE - 1] = 'z';
  if (c[0] != 'w' || c[PGSIZE - 1] != 'z')
    exit(1);
}

static void read_into_wonly(uint64 p)
{
  char path[] = CHECK_DIR "/r";
  int fd = xopen(path, O_RDONLY);
  step("read(fd, PROT_WRITE page, 10)");
  int r = read(fd, (void *)p, 10);
  close(fd);
  if (r != 10)
    check_fail("read(fd, PROT_WRITE page, 10) returned %d", r);
  step("check what the read put there");
  if (memcmp((void *)p, "0123456789", 10) != 0)
    check_fail("read(fd, PROT_WRITE page, 10) did not put the file's bytes there");
  int q[2];
  xpipe(q);
  step("write(pipe, PROT_WRITE page, 10)");
  r = write(q[1], (void *)p, 10);
  char buf[10];
  if (r != 10 || read(q[0], buf, 10) != 10 || memcmp(buf, "0123456789", 10) != 0)
    check_fail("write(pipe, PROT_WRITE page, 10) returned %d or wrote the wrong bytes", r);
  close(q[0]);
  close(q[1]);
  step("open(path in a PROT_WRITE page)");
  strcpy((char *)p + 100, path);
  fd = open((char *)p + 100, O_RDONLY);
  if (fd < 0)
    check_fail("open of a path in a PROT_WRITE page failed");
  close(fd);
}

// Defect 1: write-only mappings can be read and written, by the program
// and by the kernel.
static void check_wonly(void)
{
  char path[] = CHECK_DIR "/r";
  write_check_file(path, "0123456789", 10);
  uint64 p = xmap(0, PGSIZE, PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  int status = run_watched(1, touch_wonly, p);
  if (status != 0)
    check_fail("a PROT_WRITE anonymous page cannot be written and read back (status %d)", status);
  status = run_watched(1, read_into_wonly, p);
  if (status != 0)
    check_fail("system calls on a PROT_WRITE page: status %d", status);
  uint64 s = xmap(0, PGSIZE, PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  status = run_watched(1, touch_wonly, s);
  if (status != 0)
    check_fail("a PROT_WRITE shared page cannot be written and read back (status %d)", status);
  int fd = xopen(path, O_RDWR);
  uint64 f = xmap(0, PGSIZE, PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  step("read and write a PROT_WRITE file page");
  status = run_watched(1, touch_wonly, f);
  if (status != 0)
    check_fail("a PROT_WRITE file page cannot be written and read back (status %d)", status);
  step("munmap the PROT_WRITE file page");
  munmap((void *)f, PGSIZE);
  char buf[10];
  int r = read_file(path, buf, sizeof(buf));
  if (r != 10 || buf[0] != 'w' || buf[1] != '1')
    check_fail("a write to a PROT_WRITE shared file page did not reach the file");
  unlink(path);
}

// Defect 2: reading (or writing) file a into (from) a mapping of file b
// at the top page, while another process does the same the other way
// round, must not deadlock.
#define CROSS_READS 3000
#define CROSS_WRITES 1000

static int cross_write;   // 0: read(a, b's page); 1: write(a, b's page)

static void crosswise(uint64 which)
{
  char own[32], other[32];
  format(own, sizeof(own), "%s/%c", CHECK_DIR, which ? 'b' : 'a');
  format(other, sizeof(other), "%s/%c", CHECK_DIR, which ? 'a' : 'b');
  int iterations = cross_write ? CROSS_WRITES : CROSS_READS;
  for (int i = 0; i < iterations; i++) {
    int fo = xopen(other, O_RDWR);
    // Mostly private: a shared page made dirty costs a disk write at
    // munmap, and both kinds take the same path into the deadlock.
    int share = i % 8 ? MAP_PRIVATE : MAP_SHARED;
    uint64 p = (uint64)mmap((void *)TOP_PAGE, PGSIZE, PROT_READ | PROT_WRITE, share | MAP_FIXED, fo, 0);
    close(fo);
    if (p != TOP_PAGE)
      check_fail("mmap of %s at the top page failed", other);
    int fa = xopen(own, cross_write ? O_WRONLY : O_RDONLY);
    long r;
    if (cross_write) {
      format(me->step, sizeof(me->step), "write(%s, its mapping of %s at 0x%lx, 0x7fffffff), iteration %d",
             own, other, TOP_PAGE + PGSIZE - 64, i);
      r = write(fa, (void *)(TOP_PAGE + PGSIZE - 64), INT_MAX);
    } else {
      format(me->step, sizeof(me->step), "read(%s, its mapping of %s at 0x%lx, 0x7fffffff), iteration %d",
             own, other, TOP_PAGE, i);
      r = read(fa, (void *)TOP_PAGE, INT_MAX);
    }
    if (r != 64 && r != -1)
      check_fail("%s with a count of 0x7fffffff returned %ld, not 64 or -1", cross_write ? "write" : "read", r);
    close(fa);
    munmap((void *)TOP_PAGE, PGSIZE);
    me->progress++;
  }
}

static void run_crosswise(int writes)
{
  cross_write = writes;
  char path[32];
  for (int i = 0; i < 2; i++) {
    format(path, sizeof(path), "%s/%c", CHECK_DIR, 'a' + i);
    if (make_file(path, 64, i) < 0)
      check_fail("cannot make %s", path);
  }
  int pids[2];
  for (int i = 0; i < 2; i++) {
    pids[i] = fork();
    if (pids[i] == 0) {
      watch_me(1 + i);
      crosswise(i);
      unwatch_me();
      exit(0);
    }
  }
  unwatch_me();
  for (int i = 0; i < 2; i++) {
    int status = 0;
    int pid = wait(&status);
    if (pid < 0)
      check_fail("lost a child");
    if (status == FOUND) {
      slots[0].finished = 1;
      exit(FOUND);
    }
    if (status != 0)
      check_fail("a process doing crosswise %ss ended with status %d", writes ? "write" : "read", status);
  }
  for (int i = 0; i < 2; i++) {
    format(path, sizeof(path), "%s/%c", CHECK_DIR, 'a' + i);
    unlink(path);
  }
}

static void check_cross_read(void)
{
  run_crosswise(0);
}

static void check_cross_write(void)
{
  run_crosswise(1);
}

struct check {
  const char *name;
  void (*fn)(void);
  int hangs;   // hangs a kernel with defect 1 or 2 (left out by -x)
};

// The ones that can hang an unfixed kernel come last.
static const struct check checks[] = {
  { "unknown-calls", check_unknown_calls, 0 },
  { "write-bad-pointer", check_write_bad, 0 },
  { "pipe-read-bad-pointer", check_pipe_read_bad, 0 },
  { "copyout-bad-pointer", check_copyout_bad, 0 },
  { "mmap-edges", check_mmap_edges, 0 },
  { "mmap-offset-4g", check_mmap_4g, 0 },
  { "sbrk-hole", check_sbrk_hole, 0 },
  { "exec-args", check_exec_args, 0 },
  { "exec-entry-0", check_exec_entry0, 0 },
  { "kill-bad-pid", check_kill_bad, 0 },
  { "elf-write-only", check_elf_wonly, 1 },
  { "mmap-write-only", check_wonly, 1 },
  { "cross-read", check_cross_read, 1 },
  { "cross-write", check_cross_write, 1 },
};

static void run_checks(void)
{
  int passed = 0, failed0 = failures;
  remove_tree(CHECK_DIR, 1);
  if (mkdir(CHECK_DIR) < 0) {
    report("fuzz: FAIL checks: cannot make %s", CHECK_DIR);
    return;
  }
  for (int i = 0; i < NELEM(checks) && !wedged; i++) {
    const struct check *c = &checks[i];
    if (exclude_hangs && c->hangs)
      continue;
    for (int s = 0; s < NSLOTS; s++)
      reset_slot(s);
    who_name = c->name;
    int t0 = uptime();
    int pid = fork();
    if (pid == 0) {
      check_name = c->name;
      check_pid = getpid();
      watch_me(0);
      c->fn();
      unwatch_me();
      slots[0].finished = 1;
      exit(0);
    }
    if (pid < 0) {
      report("fuzz: FAIL %s: fork failed", c->name);
      continue;
    }
    int top = 0, status = -2;
    if (watch_children(&pid, &top, &status, 1) < 0)
      break;
    if (status == 0)
      passed++;
    else if (status == FOUND)
      failures++;   // it printed its FAIL line
    else
      report("fuzz: FAIL %s: the check's process ended with status %d", c->name, status);
    if (verbose)
      say("fuzz: check %s: %d ticks", c->name, uptime() - t0);
    char after[48];
    format(after, sizeof(after), "check %s", c->name);
    who_name = 0;
    check_idle(after);
  }
  who_name = 0;
  if (!wedged)
    remove_tree(CHECK_DIR, 1);
  say("fuzz: directed checks: %d passed, %d failed", passed, failures - failed0);
}

// ---------------------------------------------------------------------------
// main

static uint64 parse_number(const char *s, int *ok)
{
  uint64 v = 0;
  int base = 10, digits = 0;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s += 2;
  }
  for (; *s; s++, digits++) {
    int d;
    if (*s >= '0' && *s <= '9')
      d = *s - '0';
    else if (base == 16 && *s >= 'a' && *s <= 'f')
      d = *s - 'a' + 10;
    else if (base == 16 && *s >= 'A' && *s <= 'F')
      d = *s - 'A' + 10;
    else
      break;
    v = v * base + d;
  }
  *ok = digits > 0 && *s == 0;
  return v;
}

static void usage(void)
{
  say("usage: fuzz [-n] [-x] [-v] [-w SECS] SEED[,SEED...] [CALLS] [WORKERS]");
  say("       fuzz [-x] [-v] [-w SECS] -r ROUNDSEED [CALLS]");
  exit(2);
}

static int setup(const char *argv0)
{
  if (find_text(argv0) < 0) {
    report("fuzz: FAIL setup: cannot read my own executable %s", argv0);
    return -1;
  }
  load_echo();
  slots = mmap(0, PGSIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (slots == MAP_FAILED) {
    report("fuzz: FAIL setup: cannot map the shared page");
    return -1;
  }
  memset(slots, 0, PGSIZE);
  remove_tree(CROSS_DIR, 1);
  if (mkdir(CROSS_DIR) < 0 || make_file(CROSS_DIR "/a", PGSIZE, 5) < 0 ||
      make_file(CROSS_DIR "/b", PGSIZE, 6) < 0) {
    report("fuzz: FAIL setup: cannot make %s", CROSS_DIR);
    return -1;
  }
  for (int w = 0; w < MAX_WORKERS; w++) {
    char dir[16];
    format(dir, sizeof(dir), "/fz_%d", w);
    remove_tree(dir, 1);
    if (w < nworkers && mkdir(dir) < 0) {
      report("fuzz: FAIL setup: cannot make %s", dir);
      return -1;
    }
  }
  if (verbose) {
    // The round processes print through descriptor NOFILE - 1, which the
    // random calls leave alone.
    int fds[NOFILE], n = 0, fd;
    while ((fd = dup(1)) >= 0 && fd < NOFILE - 1)
      fds[n++] = fd;
    log_fd = fd == NOFILE - 1 ? fd : -1;
    while (n > 0)
      close(fds[--n]);
  }
  load_own_pages();
  grow_stack();
  text_sum = checksum(text_start, text_end);
  baseline = free_frames();
  return 0;
}

static void cleanup(void)
{
  if (wedged)
    return;   // stuck processes may hold these files' locks
  for (int w = 0; w < MAX_WORKERS; w++) {
    char dir[16];
    format(dir, sizeof(dir), "/fz_%d", w);
    remove_tree(dir, 1);
  }
  remove_tree(CROSS_DIR, 1);
}

int main(int argc, char *argv[])
{
  uint64 single_round = 0;
  int i = 1, ok;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != 0; i++) {
    if (strcmp(argv[i], "-n") == 0) {
      no_checks = 1;
    } else if (strcmp(argv[i], "-x") == 0) {
      exclude_hangs = 1;
    } else if (strcmp(argv[i], "-v") == 0) {
      verbose = 1;
    } else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc) {
      stuck_ticks = (int)parse_number(argv[++i], &ok) * HZ;
      if (!ok || stuck_ticks <= 0)
        usage();
    } else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) {
      single_round = parse_number(argv[++i], &ok);
      if (!ok)
        usage();
      no_checks = 1;
      nworkers = 1;
    } else {
      usage();
    }
  }
  // SEED[,SEED...], unless -r gave a round seed.
  uint64 seeds[16];
  int nseeds = 0;
  if (!single_round) {
    if (i >= argc)
      usage();
    for (char *s = argv[i++]; *s;) {
      char *comma = strchr(s, ',');
      if (comma)
        *comma = 0;
      if (nseeds == NELEM(seeds))
        usage();
      seeds[nseeds++] = parse_number(s, &ok);
      if (!ok)
        usage();
      s = comma ? comma + 1 : s + strlen(s);
    }
  }
  int calls = single_round ? ROUND_CALLS : DEFAULT_CALLS;
  if (i < argc) {
    calls = (int)parse_number(argv[i++], &ok);
    if (!ok || calls <= 0)
      usage();
  }
  if (i < argc && !single_round) {
    nworkers = (int)parse_number(argv[i++], &ok);
    if (!ok || nworkers < 1 || nworkers > MAX_WORKERS)
      usage();
  }
  if (i < argc || (nseeds == 0 && !single_round))
    usage();

  const char *x = exclude_hangs ? " (-x: without the calls that hang unfixed kernels)" : "";
  if (single_round) {
    say("fuzz: round seed 0x%lx, %d calls%s", single_round, calls, x);
  } else {
    char list[160] = "";
    for (int k = 0; k < nseeds; k++) {
      int len = strlen(list);
      format(list + len, sizeof(list) - len, "%s%lu", k ? "," : "", seeds[k]);
    }
    say("fuzz: seed %s, %d calls, %d workers%s", list, calls, nworkers, x);
  }
  if (setup(argv[0]) == 0) {
    if (!no_checks)
      run_checks();
    if (single_round) {
      total_seeds = 1;
      total_calls += run_batch(0, 0, calls, single_round);
    }
    for (int k = 0; k < nseeds && !wedged; k++)
      fuzz_seed(seeds[k], calls);
    cleanup();
  }
  say("fuzz: %ld calls, %d seeds, %d rounds, %d failed", total_calls, total_seeds, total_rounds,
      failures);
  if (failures == 0)
    say("fuzz: OK");
  return failures == 0 ? 0 : 1;
}
