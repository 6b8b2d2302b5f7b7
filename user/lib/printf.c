// printf and fprintf: vformat (kernel/lib/format.c) into a small buffer,
// written out with write() when full and at the end of each call, so one
// call's output normally reaches the file in a single write.
#include <stdarg.h>
#include "kernel/lib/lib.h"
#include "user/user.h"

struct outbuf {
  int fd;
  int len;
  char buf[128];
};

static void flush(struct outbuf *out)
{
  if (out->len > 0)
    write(out->fd, out->buf, out->len);
  out->len = 0;
}

static void put(void *ctx, char c)
{
  struct outbuf *out = ctx;

  if (out->len == sizeof(out->buf))
    flush(out);
  out->buf[out->len++] = c;
}

static void vfprintf(int fd, const char *fmt, va_list ap)
{
  struct outbuf out = { .fd = fd, .len = 0 };

  vformat(put, &out, fmt, ap);
  flush(&out);
}

void fprintf(int fd, const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  vfprintf(fd, fmt, ap);
  va_end(ap);
}

void printf(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  vfprintf(1, fmt, ap);
  va_end(ap);
}
