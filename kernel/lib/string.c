// Freestanding memory and string functions for the kernel and user programs.
//
// Bulk copies and fills move 8 bytes at a time when the addresses allow it:
// the kernel zeroes and copies whole pages often enough for that to matter.
#include "lib.h"

// A word that may alias any other type, so copying a struct through it
// does not break the compiler's type-based alias analysis.
typedef uint64 __attribute__((may_alias)) word;

#define WORDSIZE sizeof(word)

static int aligned(const void *p)
{
  return ((uint64)p & (WORDSIZE - 1)) == 0;
}

void *memset(void *dst, int c, uint n)
{
  uchar *d = dst;
  uchar byte = (uchar)c;

  if (aligned(d)) {
    word pattern = byte * 0x0101010101010101UL;
    for (; n >= WORDSIZE; n -= WORDSIZE, d += WORDSIZE)
      *(word *)d = pattern;
  }
  for (; n > 0; n--)
    *d++ = byte;
  return dst;
}

// Copies n bytes, correctly even if the two ranges overlap.
static void copy(uchar *d, const uchar *s, uint64 n)
{
  int words_ok = aligned(d) && aligned(s);

  if (d <= s || d >= s + n) {
    // Forwards: each source byte is read before anything overwrites it.
    if (words_ok) {
      for (; n >= WORDSIZE; n -= WORDSIZE, d += WORDSIZE, s += WORDSIZE)
        *(word *)d = *(const word *)s;
    }
    for (; n > 0; n--)
      *d++ = *s++;
  } else {
    // The destination overlaps the end of the source: go backwards.
    d += n;
    s += n;
    if (words_ok) {
      // d and s share the same misalignment, so after the tail bytes
      // below, both are word-aligned again.
      for (; n > 0 && ((uint64)d & (WORDSIZE - 1)) != 0; n--)
        *--d = *--s;
      for (; n >= WORDSIZE; n -= WORDSIZE) {
        d -= WORDSIZE;
        s -= WORDSIZE;
        *(word *)d = *(const word *)s;
      }
    }
    for (; n > 0; n--)
      *--d = *--s;
  }
}

void *memmove(void *dst, const void *src, int n)
{
  if (n > 0)
    copy(dst, src, (uint64)n);
  return dst;
}

void *memcpy(void *dst, const void *src, uint n)
{
  copy(dst, src, n);
  return dst;
}

int memcmp(const void *a, const void *b, uint n)
{
  const uchar *x = a, *y = b;

  for (; n > 0; n--, x++, y++) {
    if (*x != *y)
      return *x - *y;
  }
  return 0;
}

uint strlen(const char *s)
{
  uint n = 0;

  while (s[n] != '\0')
    n++;
  return n;
}

int strncmp(const char *a, const char *b, uint n)
{
  for (; n > 0; n--, a++, b++) {
    if (*a != *b || *a == '\0')
      return (uchar)*a - (uchar)*b;
  }
  return 0;
}

int strcmp(const char *a, const char *b)
{
  return strncmp(a, b, (uint)-1);   // no limit but the NUL
}

char *strcpy(char *dst, const char *src)
{
  char *d = dst;

  while ((*d++ = *src++) != '\0')
    ;
  return dst;
}

// Copies at most n chars and, as C's strncpy does, pads with NULs up to n
// (so the result is unterminated if src is n chars or longer).
char *strncpy(char *dst, const char *src, int n)
{
  int i = 0;

  for (; i < n && src[i] != '\0'; i++)
    dst[i] = src[i];
  for (; i < n; i++)
    dst[i] = '\0';
  return dst;
}

char *safestrcpy(char *dst, const char *src, int n)
{
  if (n <= 0)
    return dst;
  int i = 0;
  for (; i < n - 1 && src[i] != '\0'; i++)
    dst[i] = src[i];
  dst[i] = '\0';
  return dst;
}

char *strchr(const char *s, char c)
{
  for (; *s != '\0'; s++) {
    if (*s == c)
      return (char *)s;
  }
  return 0;
}
