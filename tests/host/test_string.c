// sources: kernel/lib/string.c
// Host tests for kernel/lib/string.c.  Bulk operations are checked against
// simple byte-at-a-time models over every small length and alignment, since
// the word-at-a-time paths are where mistakes would hide.
#include <stdio.h>
#include <stdlib.h>
#include "kernel/lib/lib.h"

static int failures;

static void check(int ok, const char *what, const char *detail)
{
  if (ok) {
    printf("PASS test_string: %s\n", what);
  } else {
    printf("FAIL test_string: %s (%s)\n", what, detail);
    failures++;
  }
}

#define BUF 96
#define MAXLEN 48
#define MAXOFF 16

static void fill_pattern(uchar *buf, int n)
{
  for (int i = 0; i < n; i++)
    buf[i] = (uchar)(i * 7 + 1);
}

static int same(const uchar *a, const uchar *b, int n)
{
  for (int i = 0; i < n; i++) {
    if (a[i] != b[i])
      return 0;
  }
  return 1;
}

static void test_memset(void)
{
  _Alignas(8) uchar buf[BUF], want[BUF];
  char detail[80] = "";
  int ok = 1;

  for (int off = 0; off < MAXOFF && ok; off++) {
    for (int n = 0; n <= MAXLEN && ok; n++) {
      fill_pattern(buf, BUF);
      fill_pattern(want, BUF);
      for (int i = 0; i < n; i++)
        want[off + i] = 0xab;
      void *r = memset(buf + off, 0x1ab, n);   // only the low byte counts
      if (r != buf + off || !same(buf, want, BUF)) {
        ok = 0;
        snprintf(detail, sizeof detail, "offset %d length %d", off, n);
      }
    }
  }
  check(ok, "memset sets exactly n bytes at every alignment", detail);
}

// Checks memmove (or memcpy, for disjoint ranges) against copying through
// a temporary buffer, for every destination/source offset pair.
static void test_move(const char *what, int overlapping)
{
  _Alignas(8) uchar buf[2 * BUF], want[2 * BUF];
  char detail[80] = "";
  int ok = 1;

  for (int dst = 0; dst < MAXOFF && ok; dst++) {
    for (int src = 0; src < MAXOFF && ok; src++) {
      for (int n = 0; n <= MAXLEN && ok; n++) {
        // Disjoint copies take the source from the second half.
        int s = overlapping ? src : BUF + src;
        uchar tmp[MAXLEN];
        fill_pattern(buf, 2 * BUF);
        fill_pattern(want, 2 * BUF);
        for (int i = 0; i < n; i++)
          tmp[i] = want[s + i];
        for (int i = 0; i < n; i++)
          want[dst + i] = tmp[i];
        void *r = overlapping ? memmove(buf + dst, buf + s, n)
                              : memcpy(buf + dst, buf + s, n);
        if (r != buf + dst || !same(buf, want, 2 * BUF)) {
          ok = 0;
          snprintf(detail, sizeof detail, "dst %d src %d length %d", dst, s, n);
        }
      }
    }
  }
  check(ok, what, detail);
}

static void test_memmove_directions(void)
{
  char fwd[] = "abcdefghij";
  memmove(fwd, fwd + 2, 6);            // destination below source
  check(strcmp(fwd, "cdefghghij") == 0, "memmove overlapping, dst < src", fwd);

  char back[] = "abcdefghij";
  memmove(back + 2, back, 6);          // destination above source
  check(strcmp(back, "ababcdefij") == 0, "memmove overlapping, dst > src", back);

  char same_place[] = "abcdef";
  memmove(same_place, same_place, 6);
  check(strcmp(same_place, "abcdef") == 0, "memmove onto itself", same_place);

  char untouched[] = "abcdef";
  memmove(untouched, "xyz", -3);
  check(strcmp(untouched, "abcdef") == 0, "memmove with negative n copies nothing", untouched);
}

static void test_memcmp(void)
{
  check(memcmp("abc", "abd", 3) < 0, "memcmp less", "");
  check(memcmp("abd", "abc", 3) > 0, "memcmp greater", "");
  check(memcmp("abc", "abd", 2) == 0, "memcmp stops at n", "");
  check(memcmp("x", "y", 0) == 0, "memcmp of zero bytes", "");
  check(memcmp("\x80", "\x01", 1) > 0, "memcmp compares bytes as unsigned", "");
}

static void test_strings(void)
{
  check(strlen("") == 0, "strlen empty", "");
  check(strlen("hello") == 5, "strlen hello", "");

  check(strcmp("abc", "abc") == 0, "strcmp equal", "");
  check(strcmp("ab", "abc") < 0, "strcmp prefix is smaller", "");
  check(strcmp("abc", "ab") > 0, "strcmp longer is greater", "");
  check(strcmp("\xff", "a") > 0, "strcmp compares chars as unsigned", "");
  check(strcmp("", "") == 0, "strcmp empty strings", "");

  check(strncmp("abcx", "abcy", 3) == 0, "strncmp stops at n", "");
  check(strncmp("abcx", "abcy", 4) < 0, "strncmp sees difference within n", "");
  check(strncmp("ab", "ab", 10) == 0, "strncmp stops at NUL", "");
  check(strncmp("a", "b", 0) == 0, "strncmp of zero chars", "");

  char buf[16];
  char *r = strcpy(buf, "copy me");
  check(r == buf && strcmp(buf, "copy me") == 0, "strcpy", buf);

  char pad[8] = "XXXXXXX";
  strncpy(pad, "ab", 5);
  check(pad[0] == 'a' && pad[1] == 'b' && pad[2] == 0 && pad[4] == 0 && pad[5] == 'X',
        "strncpy pads with NULs up to n", "");
  char full[4] = "XXX";
  strncpy(full, "abcdef", 3);
  check(full[0] == 'a' && full[2] == 'c' && full[3] == 0,
        "strncpy copies at most n chars", "");

  char safe[8];
  safestrcpy(safe, "truncated", sizeof safe);
  check(strcmp(safe, "truncat") == 0, "safestrcpy truncates and terminates", safe);
  safestrcpy(safe, "x", 1);
  check(safe[0] == '\0', "safestrcpy with n = 1 gives empty string", "");
  safe[0] = 'q';
  safestrcpy(safe, "x", 0);
  check(safe[0] == 'q', "safestrcpy with n = 0 writes nothing", "");

  const char *s = "hello";
  check(strchr(s, 'l') == s + 2, "strchr finds first match", "");
  check(strchr(s, 'z') == 0, "strchr returns 0 when absent", "");
}

int main(void)
{
  test_memset();
  test_move("memmove matches a model at every overlap and alignment", 1);
  test_move("memcpy matches a model at every alignment", 0);
  test_memmove_directions();
  test_memcmp();
  test_strings();
  return failures ? 1 : 0;
}
