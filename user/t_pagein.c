// t_pagein: a helper of usertests' pagein test.  It hands system calls
// user memory that is backed by this program's file but not yet read in,
// so the kernel has to read the page from the disk in the middle of the
// call, possibly while it holds locks of its own.
//
//   t_pagein pipe        write() to a pipe from an unread text page
//   t_pagein file PATH   write() to a new file PATH from an unread text page
//   t_pagein console     write() to the console from an unread text page
//   t_pagein readself    read() this program's own file into an unread data page
//
// Exits 0 if the call worked and the bytes are right, 1 if not.  Nothing
// touches the arrays below except those calls, and a program's pages are
// read on first touch, so their middle pages are still on the disk when
// the call starts (usertests runs each case in a fresh exec).
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "kernel/riscv.h"
#include "user/user.h"

#define SPAN (3 * PGSIZE)

// Newlines, so that the console case prints only an empty line.
static const char text_pages[SPAN] __attribute__((aligned(PGSIZE))) = { [0 ... SPAN - 1] = '\n' };
static char data_pages[SPAN] __attribute__((aligned(PGSIZE))) = { [0 ... SPAN - 1] = 'd' };

#define UNREAD_TEXT (text_pages + PGSIZE)
#define UNREAD_DATA (data_pages + PGSIZE)

static void check(int ok, const char *what)
{
  if (!ok) {
    printf("t_pagein: %s\n", what);
    exit(1);
  }
}

static int all_newlines(const char *buf, int n)
{
  for (int i = 0; i < n; i++)
    if (buf[i] != '\n')
      return 0;
  return 1;
}

static void through_pipe(void)
{
  int p[2];
  char buf[512];
  check(pipe(p) == 0, "pipe failed");
  check(write(p[1], UNREAD_TEXT, sizeof(buf)) == sizeof(buf), "write to the pipe failed");
  check(read(p[0], buf, sizeof(buf)) == sizeof(buf), "read from the pipe failed");
  check(all_newlines(buf, sizeof(buf)), "the pipe delivered wrong bytes");
}

static void through_file(const char *path)
{
  static char buf[PGSIZE];
  int fd = open(path, O_CREATE | O_TRUNC | O_RDWR);
  check(fd >= 0, "cannot create the file");
  check(write(fd, UNREAD_TEXT, PGSIZE) == PGSIZE, "write to the file failed");
  close(fd);
  fd = open(path, O_RDONLY);
  check(fd >= 0, "cannot reopen the file");
  check(read(fd, buf, PGSIZE) == PGSIZE, "read back from the file failed");
  close(fd);
  unlink(path);
  check(all_newlines(buf, PGSIZE), "the file holds wrong bytes");
}

static void to_console(void)
{
  check(write(1, UNREAD_TEXT, 1) == 1, "write to the console failed");
}

static void read_self(const char *self)
{
  char header[64];
  int fd = open(self, O_RDONLY);
  check(fd >= 0, "cannot open my own file");
  check(read(fd, UNREAD_DATA, sizeof(header)) == sizeof(header), "read into a data page failed");
  close(fd);
  fd = open(self, O_RDONLY);
  check(fd >= 0, "cannot reopen my own file");
  check(read(fd, header, sizeof(header)) == sizeof(header), "read into the stack failed");
  close(fd);
  check(memcmp(header, UNREAD_DATA, sizeof(header)) == 0, "the data page got wrong bytes");
}

int main(int argc, char *argv[])
{
  if (argc == 2 && strcmp(argv[1], "pipe") == 0)
    through_pipe();
  else if (argc == 3 && strcmp(argv[1], "file") == 0)
    through_file(argv[2]);
  else if (argc == 2 && strcmp(argv[1], "console") == 0)
    to_console();
  else if (argc == 2 && strcmp(argv[1], "readself") == 0)
    read_self(argv[0]);
  else
    check(0, "usage: t_pagein pipe | file PATH | console | readself");
  return 0;
}
