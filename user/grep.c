// grep: prints the lines of each file (or of the standard input) that
// match a pattern.  Patterns are plain characters plus
//   .   any character       *   any number of the preceding item
//   ^   start of the line   $   end of the line (at the pattern's end)
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

static char buf[1024];

static int char_matches(char pattern, char c)
{
  return pattern == '.' || pattern == c;
}

// Does pattern re match text starting exactly at text?
static int matches_here(const char *re, const char *text)
{
  for (;;) {
    if (re[0] == '\0')
      return 1;
    if (re[1] == '*') {
      // Let x* take 0, 1, 2, ... characters until the rest matches.
      for (const char *t = text;; t++) {
        if (matches_here(re + 2, t))
          return 1;
        if (*t == '\0' || !char_matches(re[0], *t))
          return 0;
      }
    }
    if (re[0] == '$' && re[1] == '\0')
      return *text == '\0';
    if (*text == '\0' || !char_matches(re[0], *text))
      return 0;
    re++;
    text++;
  }
}

static int matches(const char *re, const char *text)
{
  if (re[0] == '^')
    return matches_here(re + 1, text);
  for (;; text++) {
    if (matches_here(re, text))
      return 1;
    if (*text == '\0')
      return 0;
  }
}

// Prints the len bytes at line, plus a newline, if they match re.  The
// byte after the line must be writable: it is used for the terminator.
static void check_line(const char *re, char *line, int len)
{
  line[len] = '\0';
  if (matches(re, line)) {
    line[len] = '\n';
    write(1, line, len + 1);
  }
}

static int grep(const char *re, int fd, const char *name)
{
  int filled = 0;   // bytes in buf that are not yet checked
  int n;

  // One byte of buf stays spare for check_line's terminator.
  while ((n = read(fd, buf + filled, sizeof(buf) - 1 - filled)) > 0) {
    filled += n;
    int start = 0;
    for (int i = 0; i < filled; i++) {
      if (buf[i] == '\n') {
        check_line(re, buf + start, i - start);
        start = i + 1;
      }
    }
    if (start == 0 && filled == sizeof(buf) - 1) {
      // A line longer than buf: check this much of it as a line.
      check_line(re, buf, filled);
      start = filled;
    }
    filled -= start;
    memmove(buf, buf + start, filled);
  }
  if (n < 0) {
    fprintf(2, "grep: read error on %s\n", name);
    return -1;
  }
  if (filled > 0)
    check_line(re, buf, filled);   // the last line had no newline
  return 0;
}

int main(int argc, char *argv[])
{
  if (argc < 2) {
    fprintf(2, "usage: grep pattern [file...]\n");
    return 1;
  }
  const char *re = argv[1];
  if (argc == 2)
    return grep(re, 0, "standard input") < 0;
  for (int i = 2; i < argc; i++) {
    int fd = open(argv[i], O_RDONLY);
    if (fd < 0) {
      fprintf(2, "grep: cannot open %s\n", argv[i]);
      return 1;
    }
    int r = grep(re, fd, argv[i]);
    close(fd);
    if (r < 0)
      return 1;
  }
  return 0;
}
