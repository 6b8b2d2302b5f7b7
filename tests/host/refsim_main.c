// refsim-tool: the command behind tests/refsim (see docs/replacement.md).
//
//   refsim [-v] [-w] POLICY|all FRAMES PAGE...
//
// prints "POLICY FRAMES: N faults" for one policy or for each of them;
// -v first prints the frames after every reference, -w lets a page carry
// a write mark ("3w": a write to page 3); a single PAGE "-" reads the
// string from standard input.
#define _POSIX_C_SOURCE 200809L   // strcasecmp
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "refsim.h"

static void usage(void)
{
  fprintf(stderr,
          "usage: tests/refsim [-v] [-w] POLICY|all FRAMES PAGE...\n"
          "  POLICY: fifo, lru, opt, clock, eclock (any case); all: each of them\n"
          "  FRAMES: the process's fixed number of frames (1 or more)\n"
          "  PAGE:   a page number >= 0; with -w, a trailing w marks a write (3w);\n"
          "          a single - reads the pages from standard input\n"
          "  -v      print the frames after each reference\n"
          "prints one line per policy: POLICY FRAMES: N faults\n");
  exit(2);
}

// One frame's cell in the -v table: the page, then the bits the policy
// uses: (R) for CLOCK, (R,D) for ECLOCK; '>' marks the frame at the hand.
static void cell(char *buf, size_t size, enum refsim_policy pol, const struct refsim_step *st, int f)
{
  const char *hand = st->hand == f ? ">" : " ";
  if (st->resident[f] == REFSIM_NONE)
    snprintf(buf, size, "%s.", hand);
  else if (pol == REFSIM_CLOCK)
    snprintf(buf, size, "%s%ld(%d)", hand, st->resident[f], st->ref[f]);
  else if (pol == REFSIM_ECLOCK)
    snprintf(buf, size, "%s%ld(%d,%d)", hand, st->resident[f], st->ref[f], st->dirty[f]);
  else
    snprintf(buf, size, "%s%ld", hand, st->resident[f]);
}

static void table(enum refsim_policy pol, int frames, const struct refsim_step *trace, int n)
{
  // Every column is as wide as its widest cell or header, plus a space.
  char buf[64];
  int width = (int)strlen(" frame ") + snprintf(buf, sizeof buf, "%d", frames - 1);
  for (int i = 0; i < n; i++)
    for (int f = 0; f < frames; f++) {
      cell(buf, sizeof buf, pol, &trace[i], f);
      if ((int)strlen(buf) > width)
        width = (int)strlen(buf);
    }
  width++;

  printf("%s with %d frame%s", refsim_name(pol), frames, frames == 1 ? "" : "s");
  if (pol == REFSIM_CLOCK)
    printf(": page(R), > marks the hand");
  else if (pol == REFSIM_ECLOCK)
    printf(": page(R,D), > marks the hand");
  printf("\n%5s %6s ", "#", "ref");
  for (int f = 0; f < frames; f++) {
    snprintf(buf, sizeof buf, " frame %d", f);   // the space: the hand's column
    printf("%-*s", f + 1 < frames ? width : 0, buf);
  }
  printf("\n");
  for (int i = 0; i < n; i++) {
    const struct refsim_step *st = &trace[i];
    char ref[32];
    snprintf(ref, sizeof ref, "%ld%s", st->page, st->write ? "w" : "");
    printf("%5d %6s ", i + 1, ref);
    for (int f = 0; f < frames; f++) {
      cell(buf, sizeof buf, pol, st, f);
      printf("%-*s", width, buf);
    }
    if (!st->fault)
      printf("hit\n");
    else if (st->victim == REFSIM_NONE)
      printf("fault\n");
    else
      printf("fault, evicts %ld\n", st->victim);
  }
}

// "3" is a read of page 3; "3w" a write, allowed with -w. Says why not.
static int parse_page(const char *tok, int writes_allowed, long *page, int *write)
{
  char *end = 0;
  errno = 0;
  *page = isdigit((unsigned char)tok[0]) ? strtol(tok, &end, 10) : -1;
  *write = 0;
  if (*page < 0 || errno || (*end != '\0' && strcmp(end, "w") != 0 && strcmp(end, "W") != 0)) {
    fprintf(stderr, "refsim: '%s' is not a page number\n", tok);
    return 0;
  }
  if (*end != '\0' && !writes_allowed) {
    fprintf(stderr, "refsim: '%s': a write mark needs -w\n", tok);
    return 0;
  }
  *write = *end != '\0';
  return 1;
}

int main(int argc, char **argv)
{
  int verbose = 0, writes_allowed = 0;
  int a = 1;
  for (; a < argc && argv[a][0] == '-' && argv[a][1] != '\0'; a++) {
    if (strcmp(argv[a], "-v") == 0)
      verbose = 1;
    else if (strcmp(argv[a], "-w") == 0)
      writes_allowed = 1;
    else if (strcmp(argv[a], "-vw") == 0 || strcmp(argv[a], "-wv") == 0)
      verbose = writes_allowed = 1;
    else
      usage();
  }
  if (argc - a < 2)
    usage();

  // Which policies: one, or all of them in enum order.
  int first = -1, last = -1;
  if (strcasecmp(argv[a], "all") == 0) {
    first = 0;
    last = REFSIM_NPOLICY - 1;
  } else {
    for (int p = 0; p < REFSIM_NPOLICY; p++)
      if (strcasecmp(argv[a], refsim_name(p)) == 0)
        first = last = p;
  }
  if (first < 0) {
    fprintf(stderr, "refsim: unknown policy '%s'\n", argv[a]);
    usage();
  }

  char *end;
  errno = 0;
  long frames = strtol(argv[a + 1], &end, 10);
  if (*end != '\0' || end == argv[a + 1] || errno || frames < 1 || frames > 1000000) {
    fprintf(stderr, "refsim: FRAMES must be a number from 1 up, not '%s'\n", argv[a + 1]);
    usage();
  }
  if (verbose && frames > REFSIM_TRACE_FRAMES) {
    fprintf(stderr, "refsim: -v shows at most %d frames\n", REFSIM_TRACE_FRAMES);
    exit(2);
  }

  // The reference string: the arguments, or standard input when the only
  // PAGE is "-" (strings too long for a command line).
  int n = 0, cap = 64;
  long *pages = malloc(sizeof(long) * cap);
  int *writes = malloc(sizeof(int) * cap);
  char word[64];
  int from_stdin = argc - a == 3 && strcmp(argv[a + 2], "-") == 0;
  for (int i = a + 2;; i++) {
    const char *tok;
    if (from_stdin) {
      if (scanf("%63s", word) != 1)
        break;
      tok = word;
    } else {
      if (i >= argc)
        break;
      tok = argv[i];
    }
    if (n == cap) {
      cap *= 2;
      pages = realloc(pages, sizeof(long) * cap);
      writes = realloc(writes, sizeof(int) * cap);
    }
    if (!pages || !writes) {
      fprintf(stderr, "refsim: out of memory\n");
      exit(1);
    }
    if (!parse_page(tok, writes_allowed, &pages[n], &writes[n]))
      exit(2);
    n++;
  }

  struct refsim_step *trace = 0;
  if (verbose && !(trace = malloc(sizeof(*trace) * (n > 0 ? n : 1)))) {
    fprintf(stderr, "refsim: out of memory\n");
    exit(1);
  }
  for (int p = first; p <= last; p++) {
    long faults = refsim_run(p, (int)frames, pages, writes, n, trace);
    if (faults < 0) {
      fprintf(stderr, "refsim: %s failed (out of memory?)\n", refsim_name(p));
      exit(1);
    }
    if (verbose) {
      if (p != first)
        printf("\n");
      table(p, (int)frames, trace, n);
    }
    printf("%s %ld: %ld faults\n", refsim_name(p), frames, faults);
  }
  free(trace);
  free(pages);
  free(writes);
  return 0;
}
