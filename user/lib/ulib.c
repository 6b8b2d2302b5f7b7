// The small helpers xv6 programs expect from their C library besides
// strings (kernel/lib/string.c), printf and malloc.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "user/user.h"

int stat(const char *path, struct stat *st)
{
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return -1;
  int r = fstat(fd, st);
  close(fd);
  return r;
}

// Reads one line (up to and including '\n') from fd 0 into buf, at most
// max - 1 chars, NUL-terminated.  An empty result means end of input.
// It reads a byte at a time so that nothing past the line is consumed:
// a child process that inherits fd 0 sees the rest.
char *gets(char *buf, int max)
{
  int n = 0;

  while (n + 1 < max) {
    char c;
    if (read(0, &c, 1) != 1)
      break;
    buf[n++] = c;
    if (c == '\n' || c == '\r')
      break;
  }
  if (max > 0)
    buf[n] = '\0';
  return buf;
}

// Decimal string to int: optional leading '-', stops at the first non-digit.
int atoi(const char *s)
{
  int negative = (*s == '-');
  uint n = 0;   // unsigned, so absurdly long numbers wrap instead of being UB

  if (negative)
    s++;
  for (; *s >= '0' && *s <= '9'; s++)
    n = n * 10 + (*s - '0');
  return negative ? (int)-n : (int)n;
}
