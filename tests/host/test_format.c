// sources: kernel/lib/format.c kernel/lib/string.c
// Host tests for vformat, the printf engine of the kernel and user space.
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include "kernel/lib/lib.h"

static int failures;

struct sink {
  char buf[256];
  int len;
};

static void put_char(void *ctx, char c)
{
  struct sink *s = ctx;
  if (s->len < (int)sizeof(s->buf) - 1)
    s->buf[s->len++] = c;
}

// Prints s with newlines shown as \n, so each result stays on one line.
static void print_escaped(const char *s)
{
  for (; *s != '\0'; s++) {
    if (*s == '\n')
      fputs("\\n", stdout);
    else
      putchar(*s);
  }
}

// Formats with vformat and checks both the text and the returned count.
// (No format attribute: some cases feed deliberately bad formats.)
static void expect(const char *want, const char *fmt, ...)
{
  struct sink s = { .len = 0 };
  va_list ap;

  va_start(ap, fmt);
  int count = vformat(put_char, &s, fmt, ap);
  va_end(ap);
  s.buf[s.len] = '\0';

  int ok = strcmp(s.buf, want) == 0 && count == (int)strlen(want);
  printf("%s test_format: \"", ok ? "PASS" : "FAIL");
  print_escaped(fmt);
  fputs("\" gives \"", stdout);
  print_escaped(want);
  if (ok) {
    fputs("\"\n", stdout);
  } else {
    fputs("\" (got \"", stdout);
    print_escaped(s.buf);
    printf("\", count %d)\n", count);
    failures++;
  }
}

int main(void)
{
  // Plain text and %%.
  expect("", "");
  expect("hello, world\n", "hello, world\n");
  expect("100%", "100%%");

  // Signed decimal, including the values whose negation overflows.
  expect("0", "%d", 0);
  expect("42", "%d", 42);
  expect("-42", "%d", -42);
  expect("2147483647", "%d", INT_MAX);
  expect("-2147483648", "%d", INT_MIN);
  expect("9223372036854775807", "%ld", LONG_MAX);
  expect("-9223372036854775808", "%ld", LONG_MIN);
  expect("-1", "%ld", -1L);

  // Unsigned decimal and hex: 32-bit unless 'l'.
  expect("0", "%u", 0u);
  expect("4294967295", "%u", UINT_MAX);
  expect("18446744073709551615", "%lu", ULONG_MAX);
  expect("0", "%x", 0u);
  expect("deadbeef", "%x", 0xdeadbeefu);
  expect("ffffffff", "%x", -1);
  expect("123456789abcdef0", "%lx", 0x123456789abcdef0UL);

  // Pointers: always 0x and 16 digits.
  expect("0x0000000000000000", "%p", (void *)0);
  expect("0x0000000080001234", "%p", (void *)0x80001234UL);
  expect("0xffffffc000000000", "%p", (void *)0xffffffc000000000UL);

  // Strings and characters.
  expect("hi", "%s", "hi");
  expect("", "%s", "");
  expect("(null)", "%s", (char *)0);
  expect("x", "%c", 'x');
  expect("a-b", "%c-%c", 'a', 'b');

  // Field widths and flags.
  expect("   42", "%5d", 42);
  expect("42   |", "%-5d|", 42);
  expect("00042", "%05d", 42);
  expect("-0042", "%05d", -42);
  expect("  -42", "%5d", -42);
  expect("42   |", "%-05d|", 42);      // '-' wins over '0'
  expect("12345", "%2d", 12345);       // a width never truncates
  expect("0000beef", "%08x", 0xbeefu);
  expect("  ff", "%4lx", 255UL);
  expect("  0x0000000000001234", "%20p", (void *)0x1234UL);
  expect("   hi", "%5s", "hi");
  expect("hi   |", "%-5s|", "hi");
  expect("   hi", "%05s", "hi");        // zeros pad only numbers
  expect("  x", "%3c", 'x');
  expect("(null)  |", "%-8s|", (char *)0);

  // Mixed.
  expect("pid 7: init at 0x0000000000001000\n", "pid %d: %s at %p\n",
         7, "init", (void *)0x1000UL);
  expect("-5 5 fffffffb", "%d %u %x", -5, 5u, -5);

  // Bad formats are echoed, not swallowed.
  expect("%q", "%q");
  expect("%5q", "%5q");
  expect("abc%", "abc%");
  expect("abc%l", "abc%l");

  return failures ? 1 : 0;
}
