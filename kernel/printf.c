// Kernel printf and panic, over the shared vformat engine.
#include <stdarg.h>
#include "types.h"
#include "spinlock.h"
#include "console.h"
#include "power.h"
#include "printf.h"
#include "lib/lib.h"

static struct spinlock printf_lock;
static volatile int panicking;   // once set, print without the lock

static void put_console(void *ctx, char c)
{
  (void)ctx;
  console_putc(c);
}

void printf_init(void)
{
  spin_init(&printf_lock, "printf");
}

void printf(const char *fmt, ...)
{
  va_list ap;
  int locking = !panicking;
  if (locking)
    acquire(&printf_lock);
  va_start(ap, fmt);
  vformat(put_console, 0, fmt, ap);
  va_end(ap);
  if (locking)
    release(&printf_lock);
}

void panic(const char *fmt, ...)
{
  va_list ap;
  panicking = 1;
  printf("panic: ");
  va_start(ap, fmt);
  vformat(put_console, 0, fmt, ap);
  va_end(ap);
  printf("\n");
  power_off(1);
}
