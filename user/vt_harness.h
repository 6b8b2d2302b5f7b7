// The little test harness shared by the virtual-memory tests (cowtest,
// lazytest, mmaptest).  Each test case runs in a child process, so a case
// that crashes only fails itself; the harness prints one line per case:
//   PASS name
//   FAIL name: why
// and checks that the case gave back every frame it took: the frames not
// held by anyone (vt_frames_unheld) after the child has been waited for
// must be as many as before fork.
//
// For that count to mean something, the test program itself must not take
// frames while the cases run.  vt_start() therefore touches, once, every
// page the program will ever use (its image, a deep enough stack, the
// harness's own variables): afterwards the parent only writes pages it
// already owns.  Each case's process does the same first, so that its
// own measurements are not disturbed by copies of pages it still shares
// with the parent.
#pragma once
#include <stdarg.h>
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "kernel/fcntl.h"
#include "kernel/elf.h"
#include "kernel/vmstat.h"
#include "kernel/lib/lib.h"
#include "user/user.h"
#include "user/mman.h"

// Deeper than any test program's parent ever gets.
#define VT_STACK_RESERVE (32 * 1024)

static const char *vt_program;   // "cowtest": prefixes the summary line
static const char *vt_self_path; // argv[0], to find our own executable
static uint64 vt_free_at_start;
static const char *vt_case;      // the case running in this process
static int vt_passed, vt_failed;
static struct vmstat vt_stat;    // a global: too big for comfort on the stack

static inline struct vmstat *vt_vmstat(void)
{
  if (vmstat(&vt_stat) < 0) {
    printf("FAIL %s: vmstat failed\n", vt_case ? vt_case : vt_program);
    exit(1);
  }
  return &vt_stat;
}

static inline uint64 vt_frames_free(void)
{
  return vt_vmstat()->frames_free;
}

// Free frames, plus those the kernel may give back at any time: file pages
// in the page cache (the pager drops clean ones under pressure, ours
// included) and slab frames (which slab a long-lived object sits in
// varies).  What a case takes and does not give back shows here.
static inline uint64 vt_frames_unheld(void)
{
  struct vmstat *st = vt_vmstat();
  return st->frames_free + st->cached_pages + st->slab_frames;
}

// The resident pages vmstat reports for process pid (0 if it has none).
static inline uint64 vt_resident_of(int pid)
{
  struct vmstat *st = vt_vmstat();
  for (int i = 0; i < st->nprocs; i++)
    if (st->procs[i].pid == pid)
      return st->procs[i].resident;
  return 0;
}

struct vt_line {
  char text[160];
  int len;
};

static inline void vt_put(void *ctx, char c)
{
  struct vt_line *line = ctx;
  if (line->len < (int)sizeof(line->text) - 1)
    line->text[line->len++] = c;
}

// Reports the running case as failed, with a printf-style reason, and ends
// the case's process.  One printf call, so the line is one write.
static inline void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static inline void fail(const char *fmt, ...)
{
  struct vt_line why = { .len = 0 };
  va_list ap;
  va_start(ap, fmt);
  vformat(vt_put, &why, fmt, ap);
  va_end(ap);
  why.text[why.len] = 0;
  printf("FAIL %s: %s\n", vt_case, why.text);
  exit(1);
}

// Touches every page of the program's loadable segments (writing the
// writable ones, so they become private copies now rather than later).
static inline void vt_touch_image(const char *path)
{
  struct elfhdr eh;
  int fd = open(path, O_RDONLY);
  if (fd < 0 && path[0] != '/' && strlen(path) < 60) {
    // Run from another directory, the shell found us in the root.
    char rooted[64] = "/";
    strcpy(rooted + 1, path);
    fd = open(rooted, O_RDONLY);
  }
  if (fd < 0 || read(fd, &eh, sizeof(eh)) != sizeof(eh) || eh.phoff < sizeof(eh)) {
    printf("FAIL %s: cannot read my own executable %s\n", vt_program, path);
    exit(1);
  }
  // No lseek: skip to the program headers by reading.
  for (uint64 skip = eh.phoff - sizeof(eh); skip > 0; skip--) {
    char c;
    read(fd, &c, 1);
  }
  for (int i = 0; i < eh.phnum; i++) {
    struct proghdr ph;
    if (read(fd, &ph, sizeof(ph)) != sizeof(ph))
      break;
    if (ph.type != PT_LOAD)
      continue;
    for (uint64 va = PGROUNDDOWN(ph.vaddr); va < ph.vaddr + ph.memsz; va += PGSIZE) {
      volatile char *p = (volatile char *)va;
      char c = *p;
      if (ph.flags & PF_W)
        *p = c;
    }
  }
  close(fd);
}

static void __attribute__((noinline)) vt_touch_stack(void)
{
  volatile char deep[VT_STACK_RESERVE];
  for (int i = 0; i < VT_STACK_RESERVE; i += PGSIZE)
    deep[i] = deep[i];
}

// Makes the process the only owner of every page it will use (vmstat's
// buffer too), so that neither frame counts nor cow_copies move later
// because of a page it shares with its parent.
static inline void vt_own_pages(void)
{
  vt_touch_image(vt_self_path);
  vt_touch_stack();
  vt_vmstat();
}

static inline void vt_start(const char *program, const char *self_path)
{
  vt_program = program;
  vt_self_path = self_path;
  vt_own_pages();
  vt_free_at_start = vt_frames_unheld();
}

// Starts body in a child process as the case called name; returns its
// pid, or -1 after reporting the case failed.
static inline int vt_spawn(const char *name, void (*body)(void))
{
  int pid = fork();
  if (pid < 0) {
    printf("FAIL %s: fork failed\n", name);
    vt_failed++;
    return -1;
  }
  if (pid == 0) {
    vt_case = name;
    vt_own_pages();
    body();
    exit(0);
  }
  return pid;
}

// Runs body in a child process as the case called name, and reports it.
static inline void vt_run(const char *name, void (*body)(void))
{
  uint64 before = vt_frames_unheld();
  int pid = vt_spawn(name, body);
  if (pid < 0)
    return;
  int status = -2;
  if (wait(&status) != pid) {
    printf("FAIL %s: wait did not return the case's process\n", name);
    vt_failed++;
    return;
  }
  uint64 after = vt_frames_unheld();
  if (status == 1) {
    vt_failed++;   // the case printed its FAIL line
  } else if (status != 0) {
    printf("FAIL %s: the test process died (exit status %d)\n", name, status);
    vt_failed++;
  } else if (after != before) {
    printf("FAIL %s: free + cached + slab frames were %ld before and %ld after: %ld frames %s\n", name,
           (long)before, (long)after, (long)(before > after ? before - after : after - before),
           before > after ? "leaked" : "too many freed");
    vt_failed++;
  } else {
    printf("PASS %s\n", name);
    vt_passed++;
  }
}

// Checks that all the cases together gave back every frame, prints the
// summary line, and returns the program's exit status.
static inline int vt_finish(void)
{
  uint64 free_now = vt_frames_unheld();
  if (free_now == vt_free_at_start) {
    printf("PASS frames_returned\n");
    vt_passed++;
  } else {
    printf("FAIL frames_returned: free + cached + slab frames were %ld at the start and %ld at the end\n",
           (long)vt_free_at_start, (long)free_now);
    vt_failed++;
  }
  printf("%s: %d passed, %d failed\n", vt_program, vt_passed, vt_failed);
  return vt_failed == 0 ? 0 : 1;
}

// Runs fn(arg) in a child and returns its exit status: -1 means the kernel
// killed it (a fault it could not resolve).  The child exits 0 if fn
// returns.
static inline int vt_status_of(void (*fn)(uint64), uint64 arg)
{
  int pid = fork();
  if (pid < 0)
    fail("fork failed");
  if (pid == 0) {
    fn(arg);
    exit(0);
  }
  int status = -2;
  if (wait(&status) != pid)
    fail("wait did not return the child");
  return status;
}

// Waits for n children of the case; fails the case unless they all exited
// 0.  A child that exits 1 has printed its own FAIL line (it called
// fail()), or gave up because another process failed; a child that died
// any other way is reported here.
static inline void vt_reap_all(int n, const char *who)
{
  int reported = 0;
  for (int i = 0; i < n; i++) {
    int status = -2;
    if (wait(&status) < 0)
      fail("%s: no child to wait for", who);
    if (status != 0 && status != 1)
      fail("%s died (exit status %d)", who, status);
    reported |= status == 1;
  }
  if (reported)
    exit(1);
}

static inline void vt_reap(const char *who)
{
  vt_reap_all(1, who);
}

// Fails the case unless fn(arg) gets its process killed.
static inline void vt_expect_killed(const char *what, void (*fn)(uint64), uint64 arg)
{
  int status = vt_status_of(fn, arg);
  if (status != -1)
    fail("%s: the process was not killed (exit status %d)", what, status);
}

// Small accessors for vt_expect_killed.
static inline void vt_read_byte(uint64 addr)
{
  (void)*(volatile char *)addr;
}

static inline void vt_write_byte(uint64 addr)
{
  *(volatile char *)addr = 1;
}

// Creates (or truncates) path with exactly the n bytes at data.
static inline void vt_write_file(const char *path, const void *data, int n)
{
  int fd = open(path, O_CREATE | O_TRUNC | O_WRONLY);
  if (fd < 0)
    fail("cannot create %s", path);
  if (write(fd, data, n) != n)
    fail("cannot write %d bytes to %s", n, path);
  close(fd);
}
