// sources: tests/host/refsim.c
// The page-replacement oracle (refsim.c) checked three ways:
// 1. fault counts the textbooks print (../shared/DISK-FACTS.md), and traces
//    worked out by hand below, step by step;
// 2. on thousands of random reference strings (fixed seeds), properties
//    that must hold whatever the string: bounds, OPT is best, LRU and OPT
//    are stack algorithms, and every single eviction obeys its policy's
//    definition, recomputed here from the string and the frames before it
//    (not from the simulator's own bookkeeping);
// 3. families of strings on which policies provably coincide (no hits:
//    FIFO = LRU = CLOCK = ECLOCK; all writes: ECLOCK = CLOCK).
#include <stdarg.h>
#include <stdio.h>
#include "refsim.h"

static int failures;

static void check(int ok, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  printf("%s refsim: ", ok ? "PASS" : "FAIL");
  vprintf(fmt, ap);
  printf("\n");
  va_end(ap);
  if (!ok)
    failures++;
}

// host.h renames the string functions to the kernel's, which this test does
// not link with; these two are all it needs.
static int same(const char *a, const char *b)
{
  while (*a && *a == *b)
    a++, b++;
  return *a == *b;
}

static int parse(const char *s, long *pages, int *writes)   // "1 2w 3" -> n
{
  int n = 0;
  while (*s) {
    if (*s == ' ') {
      s++;
      continue;
    }
    long p = 0;
    while (*s >= '0' && *s <= '9')
      p = p * 10 + (*s++ - '0');
    writes[n] = *s == 'w';
    if (*s == 'w')
      s++;
    pages[n++] = p;
  }
  return n;
}

static long faults_of(enum refsim_policy pol, int frames, const char *string)
{
  long pages[64];
  int writes[64];
  int n = parse(string, pages, writes);
  return refsim_faults(pol, frames, pages, writes, n);
}

// ------------------------------------------------------------ 1. known facts

static void textbook_counts(void)
{
  const char *belady = "1 2 3 4 1 2 5 1 2 3 4 5";
  const char *osc = "7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1";
  long f3 = faults_of(REFSIM_FIFO, 3, belady), f4 = faults_of(REFSIM_FIFO, 4, belady);
  check(f3 == 9, "FIFO, 3 frames, %s: %ld faults (textbook: 9)", belady, f3);
  check(f4 == 10, "FIFO, 4 frames, same string: %ld faults (textbook: 10, Belady's anomaly)", f4);
  long fifo = faults_of(REFSIM_FIFO, 3, osc), lru = faults_of(REFSIM_LRU, 3, osc),
       opt = faults_of(REFSIM_OPT, 3, osc);
  check(fifo == 15, "FIFO, 3 frames, %s: %ld faults (textbook: 15)", osc, fifo);
  check(lru == 12, "LRU, 3 frames, same string: %ld faults (textbook: 12)", lru);
  check(opt == 9, "OPT, 3 frames, same string: %ld faults (textbook: 9)", opt);
}

// The frames after a step as text: ">1(1) 2(0) ." is frame 0 holding page 1
// with R set and the hand on it, frame 1 page 2 with R clear, frame 2 empty.
// bits: 0 none, 1 (R), 2 (R,D). tests/refsim -v prints the same cells.
static void show(const struct refsim_step *st, int frames, int bits, char *buf, int size)
{
  int len = 0;
  for (int f = 0; f < frames; f++) {
    const char *sep = f ? " " : "";
    const char *hand = st->hand == f ? ">" : "";
    if (st->resident[f] == REFSIM_NONE)
      len += snprintf(buf + len, size - len, "%s%s.", sep, hand);
    else if (bits == 0)
      len += snprintf(buf + len, size - len, "%s%s%ld", sep, hand, st->resident[f]);
    else if (bits == 1)
      len += snprintf(buf + len, size - len, "%s%s%ld(%d)", sep, hand, st->resident[f], st->ref[f]);
    else
      len += snprintf(buf + len, size - len, "%s%s%ld(%d,%d)", sep, hand, st->resident[f],
                      st->ref[f], st->dirty[f]);
  }
}

static void hand_trace(enum refsim_policy pol, int frames, int bits, const char *string,
                       const char *const *want, long want_faults)
{
  long pages[64];
  int writes[64];
  struct refsim_step tr[64];
  int n = parse(string, pages, writes);
  long faults = refsim_run(pol, frames, pages, writes, n, tr);
  int bad = -1;
  char got[200];
  for (int i = 0; i < n && bad < 0; i++) {
    show(&tr[i], frames, bits, got, sizeof got);
    if (!same(got, want[i]))
      bad = i;
  }
  if (bad >= 0)
    check(0, "%s, %d frames, %s: after reference %d the frames are %s, by hand %s",
          refsim_name(pol), frames, string, bad + 1, got, want[bad]);
  else
    check(faults == want_faults, "%s, %d frames, %s: frames as worked by hand after each "
          "reference, %ld faults (by hand: %ld)", refsim_name(pol), frames, string, faults, want_faults);
}

// OPT on Belady's string, 3 frames. "next" is where each resident page is
// used next (references numbered from 1); OPT evicts the farthest.
//   1 2 3    3 faults, frames 1 2 3
//   4        fault: next 1@5, 2@6, 3@10: evict 3           -> 1 2 4
//   1 2      hits
//   5        fault: next 1@8, 2@9, 4@11: evict 4           -> 1 2 5
//   1 2      hits
//   3        fault: 1 and 2 never again, 5@12: a tie; the
//            lower frame goes: frame 0, page 1             -> 3 2 5
//   4        fault: 3 and 2 never again: frame 0 again     -> 4 2 5
//   5        hit.  7 faults.
static const char *const opt_belady[] = {
  "1 . .", "1 2 .", "1 2 3", "1 2 4", "1 2 4", "1 2 4",
  "1 2 5", "1 2 5", "1 2 5", "3 2 5", "4 2 5", "4 2 5",
};

// CLOCK, 3 frames, "1 2 3 4 2 5 2 3". Conventions: a page comes in with R
// set; while frames are free they fill 0, 1, 2 and the hand stays at 0; on
// a fault the hand clears set bits until it finds a clear one, the new
// page goes there and the hand moves one past it.
//   1, 2, 3  faults fill the frames: >1(1) 2(1) 3(1)
//   4  fault: the hand clears 1, 2, 3, comes round to frame 0, now clear:
//      evict 1; 4 goes in frame 0, hand to 1     4(1) >2(0) 3(0)
//   2  hit: R set                                 4(1) >2(1) 3(0)
//   5  fault: frame 1 has R set: clear it, move on; frame 2 is clear:
//      evict 3 (FIFO would evict 2), hand to 0   >4(1) 2(0) 5(1)
//   2  hit (under FIFO a fault)                  >4(1) 2(1) 5(1)
//   3  fault: all set: the hand clears all three, comes back to frame 0:
//      evict 4, hand to 1                         3(1) >2(0) 5(0)
// 6 faults; FIFO makes 7 on this string.
static const char *const clock_by_hand[] = {
  ">1(1) . .", ">1(1) 2(1) .", ">1(1) 2(1) 3(1)", "4(1) >2(0) 3(0)",
  "4(1) >2(1) 3(0)", ">4(1) 2(0) 5(1)", ">4(1) 2(1) 5(1)", "3(1) >2(0) 5(0)",
};

// ECLOCK, 3 frames, "1 2w 3 4 2 5 1w 6 7 3" (2w: a write to page 2). Bits
// are (R,D); the best victim class is (0,0), then (0,1), (1,0), (1,1). Each
// pass starts at the hand. Pass 1: first (0,0), changing nothing. Pass 2:
// first (0,1), clearing R of every frame passed over. Then again.
//   1 2w 3  fill                          >1(1,0) 2(1,1) 3(1,0)
//   4   pass 1: no (0,0). pass 2: no (0,1); clears every R, giving
//       (0,0) (0,1) (0,0). pass 1 again: frame 0 is (0,0): evict 1
//                                          4(1,0) >2(0,1) 3(0,0)
//   2   hit: R set                         4(1,0) >2(1,1) 3(0,0)
//   5   pass 1 from frame 1: (1,1) no, frame 2 (0,0) yes: evict 3. No
//       bit changed (CLOCK would have cleared frame 1's R)
//                                         >4(1,0) 2(1,1) 5(1,0)
//   1w  pass 1: none. pass 2 clears all: (0,0) (0,1) (0,0); pass 1:
//       frame 0: evict 4; 1 written: (1,1) 1(1,1) >2(0,1) 5(0,0)
//   6   pass 1 from frame 1: (0,1) no, frame 2 (0,0): evict 5
//                                         >1(1,1) 2(0,1) 6(1,0)
//   7   pass 1 from frame 0: no (0,0). pass 2: frame 0 (1,1) is passed
//       over, R cleared: (0,1); frame 1 is (0,1): evict 2, a dirty page
//                                          1(0,1) 7(1,0) >6(1,0)
//   3   pass 1 from frame 2: (1,0) (0,1) (1,0): none. pass 2: frame 2
//       passed over, now (0,0); frame 0 is (0,1): evict 1. Pass 2 takes
//       the dirty page although frame 2 just became (0,0): it looks only
//       for (0,1)                          3(1,0) >7(1,0) 6(0,0)
// 9 faults.
static const char *const eclock_by_hand[] = {
  ">1(1,0) . .", ">1(1,0) 2(1,1) .", ">1(1,0) 2(1,1) 3(1,0)", "4(1,0) >2(0,1) 3(0,0)",
  "4(1,0) >2(1,1) 3(0,0)", ">4(1,0) 2(1,1) 5(1,0)", "1(1,1) >2(0,1) 5(0,0)",
  ">1(1,1) 2(0,1) 6(1,0)", "1(0,1) 7(1,0) >6(1,0)", "3(1,0) >7(1,0) 6(0,0)",
};

static void hand_worked(void)
{
  hand_trace(REFSIM_OPT, 3, 0, "1 2 3 4 1 2 5 1 2 3 4 5", opt_belady, 7);
  hand_trace(REFSIM_CLOCK, 3, 1, "1 2 3 4 2 5 2 3", clock_by_hand, 6);
  long fifo = faults_of(REFSIM_FIFO, 3, "1 2 3 4 2 5 2 3");
  check(fifo == 7, "FIFO, 3 frames, 1 2 3 4 2 5 2 3: %ld faults (by hand: 7; CLOCK's second "
        "chance saves one)", fifo);
  hand_trace(REFSIM_ECLOCK, 3, 2, "1 2w 3 4 2 5 1w 6 7 3", eclock_by_hand, 9);
}

static void edge_cases(void)
{
  long pages[] = { 1, 2, -3 };
  static struct refsim_step tr[3];
  check(refsim_faults(REFSIM_LRU, 0, pages, 0, 2) == -1, "0 frames: refused");
  check(refsim_faults(REFSIM_LRU, 3, pages, 0, 3) == -1, "a negative page: refused");
  check(refsim_faults(REFSIM_NPOLICY, 3, pages, 0, 2) == -1, "an unknown policy: refused");
  check(refsim_run(REFSIM_LRU, REFSIM_TRACE_FRAMES + 1, pages, 0, 2, tr) == -1 &&
        refsim_run(REFSIM_LRU, REFSIM_TRACE_FRAMES + 1, pages, 0, 2, 0) == 2,
        "a trace of more than %d frames: refused; counting alone: fine", REFSIM_TRACE_FRAMES);
  int ok = 1;
  for (int p = 0; p < REFSIM_NPOLICY; p++)
    ok &= refsim_faults(p, 3, 0, 0, 0) == 0 && refsim_faults(p, 100000, pages, 0, 2) == 2;
  check(ok, "every policy: an empty string makes 0 faults; 100000 frames work");
}

// ------------------------------------------------------------ random strings

enum { MAXN = 300, MAXF = 8, MAXPAGES = 12, NSTRINGS = 2000 };

static unsigned long long rng;

static int rnd(int bound)   // 0..bound-1, the same on every host
{
  rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
  return (int)((rng >> 33) % (unsigned)bound);
}

// A property, counted over many cases; the first counterexample is printed.
struct prop {
  const char *what;
  long cases, bad;
};

static void holds(struct prop *p, int ok, const char *why, enum refsim_policy pol, int frames,
                  const long *pages, const int *writes, int n)
{
  p->cases++;
  if (ok || p->bad++)
    return;
  printf("  counterexample to \"%s\": %s; %s, %d frames, string:", p->what, why,
         refsim_name(pol), frames);
  for (int i = 0; i < n; i++)
    printf(" %ld%s", pages[i], writes && writes[i] ? "w" : "");
  printf("\n");
}

static void verdict(const struct prop *p)
{
  check(p->bad == 0 && p->cases > 0, "%s (%ld cases, %ld fail)", p->what, p->cases, p->bad);
}

static int where(const struct refsim_step *st, int frames, long page)
{
  for (int f = 0; f < frames; f++)
    if (st->resident[f] == page)
      return f;
  return -1;
}

// The frames before step i: the previous step, or all empty for step 0.
static const struct refsim_step *before(const struct refsim_step *tr, int i)
{
  static struct refsim_step empty;
  if (i > 0)
    return &tr[i - 1];
  for (int f = 0; f < REFSIM_TRACE_FRAMES; f++)
    empty.resident[f] = REFSIM_NONE;
  empty.hand = -1;
  return &empty;
}

// What every trace must look like, whatever the policy. Returns why not.
// first_use[i]: reference i is the first to its page.
static const char *sane(enum refsim_policy pol, int frames, const long *pages, const int *writes,
                        const int *first_use, int n, const struct refsim_step *tr, long faults)
{
  int clocked = pol == REFSIM_CLOCK || pol == REFSIM_ECLOCK;
  long counted = 0;
  int distinct = 0;
  for (int i = 0; i < n; i++) {
    const struct refsim_step *st = &tr[i], *prev = before(tr, i);
    int w = writes && writes[i];
    distinct += first_use[i];
    int used = 0, prev_used = 0;
    for (int f = 0; f < frames; f++) {
      used += st->resident[f] != REFSIM_NONE;
      prev_used += prev->resident[f] != REFSIM_NONE;
    }
    int was = where(prev, frames, pages[i]);

    if (st->page != pages[i] || st->write != w)
      return "a step does not name its reference";
    if (st->frame < 0 || st->frame >= frames)
      return "a frame number out of range";
    if (st->fault != (was < 0))
      return "fault flag is not 'the page was not resident'";
    counted += st->fault;
    if (st->resident[st->frame] != pages[i])
      return "the referenced page is not in its frame";
    if (used != (distinct < frames ? distinct : frames))
      return "frames in use is not min(frames, distinct pages so far)";
    for (int f = 0; f < frames; f++) {
      if ((st->resident[f] == REFSIM_NONE) != (f >= used))
        return "free frames are not the highest ones";
      if (f != st->frame && st->resident[f] != prev->resident[f])
        return "a frame other than the referenced one changed its page";
      if (f != st->frame && st->dirty[f] != prev->dirty[f])
        return "a D bit changed on a frame not referenced";
      if ((!clocked || st->victim == REFSIM_NONE) && f != st->frame && st->ref[f] != prev->ref[f])
        return "an R bit changed with no hand sweeping";
      for (int g = 0; g < f; g++)
        if (st->resident[f] != REFSIM_NONE && st->resident[f] == st->resident[g])
          return "a page is in two frames";
    }
    if (!st->fault && (st->frame != was || st->victim != REFSIM_NONE))
      return "a hit moved the page or evicted one";
    if (st->fault && st->victim != prev->resident[st->frame])
      return "the victim is not what the frame held";
    if (st->fault && (st->victim == REFSIM_NONE) != (prev_used < frames))
      return "evicted with a frame free, or not evicted with none";
    if (!st->ref[st->frame])
      return "R is clear right after a reference";
    if (st->dirty[st->frame] != (w || (!st->fault && prev->dirty[st->frame])))
      return "D is not 'written since loaded'";
    if (!clocked && st->hand != -1)
      return "a hand where there is no clock";
    if (clocked && st->victim == REFSIM_NONE && st->hand != (i == 0 ? 0 : prev->hand))
      return "the hand moved without a replacement";
    if (clocked && st->victim != REFSIM_NONE && st->hand != (st->frame + 1) % frames)
      return "the hand is not one past the new page";
  }
  return counted == faults ? 0 : "the trace's faults are not the count returned";
}

// Each replacement obeys the policy's definition, worked out here from the
// string and from the frames before the fault. Returns why not.
static const char *victim_ok(enum refsim_policy pol, int frames, const long *pages, int n,
                             const struct refsim_step *tr, int i)
{
  const struct refsim_step *st = &tr[i], *prev = &tr[i - 1];
  int v = st->frame;
  long key[REFSIM_TRACE_FRAMES];   // FIFO: loaded; LRU: last used; OPT: next use
  for (int f = 0; f < frames; f++) {
    long p = prev->resident[f];
    key[f] = -1;
    if (pol == REFSIM_FIFO)        // the latest reference that faulted p in
      for (int j = i - 1; j >= 0 && key[f] < 0; j--)
        key[f] = pages[j] == p && tr[j].fault ? j : -1;
    if (pol == REFSIM_LRU)         // the latest reference to p
      for (int j = i - 1; j >= 0 && key[f] < 0; j--)
        key[f] = pages[j] == p ? j : -1;
    if (pol == REFSIM_OPT)         // the next reference to p; n if none
      for (int j = i + 1; j <= n && key[f] < 0; j++)
        key[f] = j == n || pages[j] == p ? j : -1;
  }
  switch (pol) {
  case REFSIM_FIFO:
  case REFSIM_LRU:
    for (int f = 0; f < frames; f++)
      if (key[f] < key[v])
        return pol == REFSIM_FIFO ? "a page loaded earlier stayed" : "a page used earlier stayed";
    return 0;
  case REFSIM_OPT:
    for (int f = 0; f < frames; f++)
      if (key[f] > key[v] || (key[f] == key[v] && f < v))
        return "not the farthest next use, lowest frame on a tie";
    return 0;
  case REFSIM_CLOCK:
  case REFSIM_ECLOCK: {
    // Class of a frame before the fault: CLOCK R; ECLOCK 2R + D.
    // Silberschatz: the victim is the first frame from the hand in the
    // lowest nonempty class. Then which R bits the hand cleared: CLOCK
    // (lowest class 0) and ECLOCK's pass 2 (class 1) clear the frames from
    // the hand up to the victim; a fruitless full round clears them all;
    // ECLOCK's pass 1 (class 0) clears none.
    int cls[REFSIM_TRACE_FRAMES], lowest = 4;
    for (int f = 0; f < frames; f++) {
      cls[f] = pol == REFSIM_CLOCK ? prev->ref[f] : 2 * prev->ref[f] + prev->dirty[f];
      if (cls[f] < lowest)
        lowest = cls[f];
    }
    int h = prev->hand, want = h;
    while (cls[want] != lowest)
      want = (want + 1) % frames;
    if (v != want)
      return "not the first frame from the hand in the lowest class";
    int full_round = pol == REFSIM_CLOCK ? lowest == 1 : lowest >= 2;  // all R cleared
    int pass1 = pol == REFSIM_ECLOCK && lowest == 0;                     // none cleared
    for (int f = h; f != v; f = (f + 1) % frames)                   // the frames passed over
      if (st->ref[f] != (pass1 ? prev->ref[f] : 0))
        return "an R bit the hand passed over is wrong";
    for (int f = (v + 1) % frames; f != h; f = (f + 1) % frames)   // the frames not reached
      if (st->ref[f] != (full_round ? 0 : prev->ref[f]))
        return "an R bit the hand did not reach is wrong";
    return 0;
  }
  default:
    return "unknown policy";
  }
}

static struct refsim_step tr[REFSIM_NPOLICY][MAXF + 2][MAXN];
static long nfaults[REFSIM_NPOLICY][MAXF + 2];

// A random string: n in 0..MAXN, pages from 0..k-1 with k in 1..MAXPAGES, a third
// of the references writes. Half are uniform, half have locality (a window
// of pages that now and then jumps), which gives hits and second chances.
static int random_string(long *pages, int *writes)
{
  int n = rnd(MAXN + 1), k = 1 + rnd(MAXPAGES), local = rnd(2);
  int base = 0, width = 1 + rnd(4);
  for (int i = 0; i < n; i++) {
    if (local && rnd(10) == 0)
      base = rnd(k);
    pages[i] = local ? (base + rnd(width)) % k : rnd(k);
    writes[i] = rnd(3) == 0;
  }
  return n;
}

static void random_properties(void)
{
  struct prop bounds = { "every policy: distinct pages <= faults <= references" };
  struct prop roomy = { "every policy with frames >= distinct pages: faults = distinct pages" };
  struct prop one = { "every policy with 1 frame: faults = references that differ from the one before" };
  struct prop best = { "OPT never faults more than FIFO, LRU, CLOCK or ECLOCK" };
  struct prop mono = { "LRU and OPT never fault more with one frame more" };
  struct prop lru_inc = { "LRU: the pages held with F frames are held with F+1, after every reference" };
  struct prop opt_inc = { "OPT: the pages still to be used held with F frames are held with F+1" };
  struct prop traces = { "every trace: faults, frames, victims, R/D bits and hand consistent" };
  struct prop victims = { "every eviction obeys its policy, recomputed from string and frames" };
  struct prop allw = { "ECLOCK with every reference a write makes CLOCK's evictions exactly" };
  static long pages[MAXN];
  static int writes[MAXN], allwrites[MAXN];
  static struct refsim_step clk[MAXN], ecl[MAXN];

  static int first_use[MAXN];
  int last_ref[MAXPAGES];          // each page's last reference

  rng = 1;
  for (int s = 0; s < NSTRINGS; s++) {
    int n = random_string(pages, writes);
    int distinct = 0, runs = 0;
    for (int q = 0; q < MAXPAGES; q++)
      last_ref[q] = -1;
    for (int i = 0; i < n; i++) {
      first_use[i] = last_ref[pages[i]] < 0;
      distinct += first_use[i];
      last_ref[pages[i]] = i;
      runs += i == 0 || pages[i] != pages[i - 1];
    }
    for (int p = 0; p < REFSIM_NPOLICY; p++)
      for (int F = 1; F <= MAXF + 1; F++)
        nfaults[p][F] = refsim_run(p, F, pages, writes, n, tr[p][F]);

    for (int p = 0; p < REFSIM_NPOLICY; p++)
      for (int F = 1; F <= MAXF; F++) {
        long x = nfaults[p][F];
        holds(&bounds, distinct <= x && x <= n, "out of bounds", p, F, pages, writes, n);
        if (F >= distinct)
          holds(&roomy, x == distinct, "not distinct", p, F, pages, writes, n);
        if (F == 1)
          holds(&one, x == runs, "not the runs", p, F, pages, writes, n);
        holds(&best, nfaults[REFSIM_OPT][F] <= x, "beats OPT", p, F, pages, writes, n);
        const char *why = sane(p, F, pages, writes, first_use, n, tr[p][F], x);
        holds(&traces, !why, why, p, F, pages, writes, n);
        for (int i = 0; i < n; i++)
          if (tr[p][F][i].victim != REFSIM_NONE) {
            why = victim_ok(p, F, pages, n, tr[p][F], i);
            holds(&victims, !why, why, p, F, pages, writes, n);
          }
      }

    for (int F = 1; F <= MAXF; F++) {
      holds(&mono, nfaults[REFSIM_LRU][F + 1] <= nfaults[REFSIM_LRU][F], "more faults", REFSIM_LRU,
            F, pages, writes, n);
      holds(&mono, nfaults[REFSIM_OPT][F + 1] <= nfaults[REFSIM_OPT][F], "more faults", REFSIM_OPT,
            F, pages, writes, n);
      // Inclusion, the stack property (Mattson et al.). For OPT only the
      // pages used again count: which dead page goes is a free choice (the
      // tie rule), and it may differ between F and F+1 frames.
      int lru_ok = 1, opt_ok = 1;
      for (int i = 0; i < n; i++)
        for (int f = 0; f < F; f++) {
          long q = tr[REFSIM_LRU][F][i].resident[f];
          if (q != REFSIM_NONE && where(&tr[REFSIM_LRU][F + 1][i], F + 1, q) < 0)
            lru_ok = 0;
          q = tr[REFSIM_OPT][F][i].resident[f];
          if (q != REFSIM_NONE && last_ref[q] > i && where(&tr[REFSIM_OPT][F + 1][i], F + 1, q) < 0)
            opt_ok = 0;
        }
      holds(&lru_inc, lru_ok, "a page held with F frames but not with F+1", REFSIM_LRU, F, pages, writes, n);
      holds(&opt_inc, opt_ok, "a page held with F frames but not with F+1", REFSIM_OPT, F, pages, writes, n);

      // All writes: every frame's D is set, so ECLOCK's pass 1 never finds
      // (0,0) and its pass 2 is CLOCK's sweep; a fruitless round clears all
      // R, and the next pass 2 takes the hand's frame, as CLOCK does.
      for (int i = 0; i < n; i++)
        allwrites[i] = 1;
      refsim_run(REFSIM_CLOCK, F, pages, allwrites, n, clk);
      refsim_run(REFSIM_ECLOCK, F, pages, allwrites, n, ecl);
      int eq = 1;
      for (int i = 0; i < n; i++) {
        eq &= clk[i].victim == ecl[i].victim && clk[i].frame == ecl[i].frame && clk[i].hand == ecl[i].hand;
        for (int f = 0; f < F; f++)
          eq &= clk[i].resident[f] == ecl[i].resident[f] && clk[i].ref[f] == ecl[i].ref[f];
      }
      holds(&allw, eq, "traces differ", REFSIM_ECLOCK, F, pages, allwrites, n);
    }
  }
  verdict(&bounds);
  verdict(&roomy);
  verdict(&one);
  verdict(&best);
  verdict(&mono);
  verdict(&lru_inc);
  verdict(&opt_inc);
  verdict(&traces);
  verdict(&victims);
  verdict(&allw);
}

// ------------------------------------------------------------ no-hit families

// Strings on which FIFO, LRU, CLOCK and ECLOCK (all reads) must evict the
// same pages, frame 0, 1, ..., F-1, 0, ... round and round:
//
// Each burst is one page referenced 1 to 3 times in a row, and a burst's
// page is none of the pages of the F bursts before it. By induction, under
// FIFO and LRU the frames hold exactly the last F bursts' pages, so each
// burst starts with a fault and evicts the page of the burst F back: the
// oldest loaded and the least recently used. Under CLOCK: after the frames
// fill, all R are set; the next fault clears them all and takes frame 0,
// the one after takes frame 1 (its R is clear), and so on round: a
// page's R stays set from its load until the hand passes, so the repeats
// inside a burst (on a page just loaded) change nothing. ECLOCK with no
// writes does the same: pass 1 takes a (0,0) frame at the hand if there is
// one, or else pass 2 clears every R and the next pass 1 takes the hand's.
// With bursts of length 1 these are the strings where no page comes back
// within F references; a cyclic string 0 1 ... k-1 0 1 ... with k > F is
// one of them, every reference a fault (LRU's worst case).
static void no_hit_families(void)
{
  struct prop agree = { "bursts of one page, none among the last F bursts': FIFO, LRU, CLOCK, ECLOCK evict the same, round robin, one fault a burst" };
  struct prop cyclic = { "cyclic strings of k > F pages: FIFO, LRU, CLOCK, ECLOCK fault on every reference" };
  static long pages[MAXN + 4];
  static int writes[MAXN + 4];
  static struct refsim_step t[4][MAXN + 4];
  const enum refsim_policy pols[4] = { REFSIM_FIFO, REFSIM_LRU, REFSIM_CLOCK, REFSIM_ECLOCK };

  rng = 2;
  for (int s = 0; s < NSTRINGS; s++) {
    int F = 1 + rnd(MAXF), k = F + 1 + rnd(6), bursts = 0, n = 0;
    int maxlen = rnd(2) ? 1 : 3;
    long last[MAXN];                 // each burst's page
    while (n < MAXN - 3 && rnd(60) != 0) {
      long p;
      int fresh;
      do {                           // a page not among the last F bursts'
        p = rnd(k);
        fresh = 1;
        for (int b = bursts - 1; b >= 0 && b >= bursts - F; b--)
          fresh &= last[b] != p;
      } while (!fresh);
      last[bursts++] = p;
      for (int r = 1 + rnd(maxlen); r > 0; r--)
        writes[n] = 0, pages[n++] = p;
    }
    long f[4];
    for (int q = 0; q < 4; q++)
      f[q] = refsim_run(pols[q], F, pages, writes, n, t[q]);
    int ok = 1, evictions = 0;
    for (int i = 0; i < n; i++) {
      for (int q = 1; q < 4; q++)
        ok &= t[q][i].victim == t[0][i].victim && t[q][i].frame == t[0][i].frame;
      if (t[0][i].fault)
        ok &= t[0][i].frame == (evictions++ % F);   // loads go round robin
    }
    for (int q = 0; q < 4; q++)
      ok &= f[q] == bursts;
    holds(&agree, ok, "differ", REFSIM_CLOCK, F, pages, writes, n);
  }

  for (int F = 1; F <= MAXF; F++)
    for (int k = F + 1; k <= F + 4; k++)
      for (int reps = 1; reps <= 5; reps++) {
        int n = 0;
        for (int r = 0; r < reps; r++)
          for (int p = 0; p < k; p++)
            writes[n] = 0, pages[n++] = p;
        for (int q = 0; q < 4; q++)
          holds(&cyclic, refsim_faults(pols[q], F, pages, writes, n) == n, "a hit", pols[q], F,
                pages, writes, n);
      }
  verdict(&agree);
  verdict(&cyclic);
}

int main(void)
{
  setvbuf(stdout, 0, _IOLBF, 0);   // lines already printed survive a crash
  textbook_counts();
  hand_worked();
  edge_cases();
  random_properties();
  no_hit_families();
  return failures ? 1 : 0;
}
