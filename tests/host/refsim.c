// refsim: FIFO, LRU, OPT, CLOCK and ECLOCK on a reference string.
//
// The model is the textbook's: one process, a fixed number of frames that
// only it uses (local replacement, fixed allocation), and a reference string
// of page numbers, some of them writes. A reference to a page that is not in
// a frame is a page fault; the page is then loaded into a frame, evicting
// another page if no frame is free.
//
// Conventions shared by every policy (the kernel follows the same ones):
// - Free frames are used lowest first: the first distinct pages go to
//   frames 0, 1, 2, ... Nothing is evicted while a frame is free.
// - Every reference, the faulting one included, sets the page's R
//   (referenced) bit, and a write also sets its D (dirty) bit. So a page
//   just faulted in has R set, and D set only if the fault was a write.
//   This is what the MMU does: the access retried after the fault sets A
//   (and D for a store), and the kernel maps a faulted page that way.
// - Only the clock hand clears R (no timer clears it), and D is cleared
//   only when its page leaves the frame (no background write-back).
// - A page's load time is the reference that faulted it in; a hit does not
//   change it.
//
// Policy by policy, see choose_victim() and the functions it calls.
#include <stdlib.h>
#include "refsim.h"

// One frame of the simulated process.
struct frame {
  long page;          // the page in it, or REFSIM_NONE
  int loaded;         // FIFO: the reference that loaded the page
  int last_use;       // LRU: the page's latest reference
  int next_use;       // OPT: the page's next reference; n if there is none
  unsigned char ref;  // R bit
  unsigned char dirty;// D bit
};

struct sim {
  int nframes;
  int used;           // frames 0..used-1 hold pages, the rest are free
  int hand;           // CLOCK, ECLOCK: where the next search starts
  struct frame *fr;
};

const char *refsim_name(enum refsim_policy policy)
{
  switch (policy) {
  case REFSIM_FIFO:   return "FIFO";
  case REFSIM_LRU:    return "LRU";
  case REFSIM_OPT:    return "OPT";
  case REFSIM_CLOCK:  return "CLOCK";
  case REFSIM_ECLOCK: return "ECLOCK";
  default:            return "?";
  }
}

// ---------------------------------------------------------------- OPT help

struct occurrence {
  long page;
  int pos;
};

static int by_page_then_pos(const void *a, const void *b)
{
  const struct occurrence *x = a, *y = b;
  if (x->page != y->page)
    return x->page < y->page ? -1 : 1;
  return x->pos < y->pos ? -1 : x->pos > y->pos;
}

// next[i] = the position of the next reference to pages[i] after i, or n
// if the page is never referenced again ("n" sorts after every real
// position, so "farthest next use" needs no special case for "never").
// Sorting the positions by (page, position) puts each reference right
// before the page's next one, which keeps this O(n log n) for long strings.
static int *next_uses(const long *pages, int n)
{
  int *next = malloc(sizeof(int) * (n > 0 ? n : 1));
  struct occurrence *occ = malloc(sizeof(*occ) * (n > 0 ? n : 1));
  if (!next || !occ) {
    free(next);
    free(occ);
    return 0;
  }
  for (int i = 0; i < n; i++)
    occ[i] = (struct occurrence){ pages[i], i };
  qsort(occ, n, sizeof(*occ), by_page_then_pos);
  for (int k = 0; k < n; k++) {
    int same = k + 1 < n && occ[k + 1].page == occ[k].page;
    next[occ[k].pos] = same ? occ[k + 1].pos : n;
  }
  free(occ);
  return next;
}

// ---------------------------------------------------------------- victims

// FIFO: the page loaded longest ago. Load times are distinct (one load per
// reference at most), so there is never a tie.
static int fifo_victim(struct sim *s)
{
  int v = 0;
  for (int f = 1; f < s->nframes; f++)
    if (s->fr[f].loaded < s->fr[v].loaded)
      v = f;
  return v;
}

// LRU: the page whose latest reference is oldest. Also never a tie.
static int lru_victim(struct sim *s)
{
  int v = 0;
  for (int f = 1; f < s->nframes; f++)
    if (s->fr[f].last_use < s->fr[v].last_use)
      v = f;
  return v;
}

// OPT (Belady's MIN): the page whose next reference is farthest away.
// Two resident pages never share a next-use position, so the only ties are
// among pages never used again (next use n); the strict ">" gives the
// lowest-numbered frame among them. Which dead page goes cannot change any
// later fault, so the fault count does not depend on this rule; the trace
// (which frame is emptied) does.
static int opt_victim(struct sim *s)
{
  int v = 0;
  for (int f = 1; f < s->nframes; f++)
    if (s->fr[f].next_use > s->fr[v].next_use)
      v = f;
  return v;
}

// CLOCK (second chance; Silberschatz's circular queue, Tanenbaum's clock).
// From the hand: a frame with R set gets a second chance (R cleared, the
// hand moves on); the first frame with R clear is the victim. If every R
// was set, the hand goes once round clearing them all and comes back to
// the frame it started at, which then has R clear: FIFO order.
static int clock_victim(struct sim *s)
{
  while (s->fr[s->hand].ref) {
    s->fr[s->hand].ref = 0;
    s->hand = (s->hand + 1) % s->nframes;
  }
  return s->hand;
}

// ECLOCK (enhanced second chance). Classes by (R,D), best victim first:
// (0,0) not used lately, clean; (0,1) not used lately, dirty; (1,0); (1,1).
// The standard multi-pass scan (Stallings; Silberschatz's "first page in
// the lowest nonempty class"), every pass starting at the hand:
//   pass 1: the first (0,0) frame; nothing is changed;
//   pass 2: the first (0,1) frame, clearing R of each frame passed over;
//   if both fail, every R is now clear: repeat pass 1, then pass 2.
// The repeat always succeeds, since every frame is then (0,0) or (0,1).
static int eclock_victim(struct sim *s)
{
  for (int round = 0; round < 2; round++) {
    for (int k = 0; k < s->nframes; k++) {            // pass 1
      int f = (s->hand + k) % s->nframes;
      if (!s->fr[f].ref && !s->fr[f].dirty)
        return f;
    }
    for (int k = 0; k < s->nframes; k++) {            // pass 2
      int f = (s->hand + k) % s->nframes;
      if (!s->fr[f].ref && s->fr[f].dirty)
        return f;
      s->fr[f].ref = 0;
    }
  }
  abort();  // unreachable: see above
}

// All frames are full: pick the frame whose page goes. For CLOCK and ECLOCK
// the new page then takes the victim's place and the hand moves one past
// it (the caller does that); while frames are still free the hand is not
// touched and stays at frame 0, the first page loaded, so the first search
// starts there, at the head of the FIFO queue.
static int choose_victim(struct sim *s, enum refsim_policy policy)
{
  switch (policy) {
  case REFSIM_FIFO:   return fifo_victim(s);
  case REFSIM_LRU:    return lru_victim(s);
  case REFSIM_OPT:    return opt_victim(s);
  case REFSIM_CLOCK:  return clock_victim(s);
  case REFSIM_ECLOCK: return eclock_victim(s);
  default:            abort();
  }
}

// ---------------------------------------------------------------- the run

// Fills one trace step: the reference, and the frames just after it
// (entries from s->nframes on are left alone: there are no such frames).
static void record(const struct sim *s, enum refsim_policy policy, long page, int write,
                   int fault, int frame, long victim, struct refsim_step *st)
{
  int clocked = policy == REFSIM_CLOCK || policy == REFSIM_ECLOCK;
  st->page = page;
  st->write = write;
  st->fault = fault;
  st->frame = frame;
  st->victim = victim;
  st->hand = clocked ? s->hand : -1;
  for (int f = 0; f < s->nframes; f++) {
    st->resident[f] = s->fr[f].page;
    st->ref[f] = s->fr[f].ref;
    st->dirty[f] = s->fr[f].dirty;
  }
}

long refsim_run(enum refsim_policy policy, int frames, const long *pages,
                const int *writes, int n, struct refsim_step *trace)
{
  if (policy < 0 || policy >= REFSIM_NPOLICY || frames < 1 || n < 0 || (n > 0 && !pages))
    return -1;
  if (trace && frames > REFSIM_TRACE_FRAMES)
    return -1;
  for (int i = 0; i < n; i++)
    if (pages[i] < 0)
      return -1;

  struct sim s = { .nframes = frames, .used = 0, .hand = 0 };
  s.fr = calloc(frames, sizeof(struct frame));
  int *next = next_uses(pages, n);
  if (!s.fr || !next) {
    free(s.fr);
    free(next);
    return -1;
  }
  for (int f = 0; f < frames; f++)
    s.fr[f].page = REFSIM_NONE;

  long faults = 0;
  for (int i = 0; i < n; i++) {
    long p = pages[i];
    int w = writes && writes[i];
    long victim = REFSIM_NONE;

    int f = 0;
    while (f < s.used && s.fr[f].page != p)
      f++;
    int fault = f == s.used;                 // not resident: a page fault
    if (fault) {
      faults++;
      if (s.used < frames) {
        f = s.used++;                        // the lowest free frame
      } else {
        f = choose_victim(&s, policy);
        victim = s.fr[f].page;
        if (policy == REFSIM_CLOCK || policy == REFSIM_ECLOCK)
          s.hand = (f + 1) % frames;         // one past the new page
      }
      s.fr[f].page = p;
      s.fr[f].loaded = i;
      s.fr[f].dirty = 0;                     // a loaded page is clean...
    }
    s.fr[f].last_use = i;                    // ...and then referenced,
    s.fr[f].next_use = next[i];
    s.fr[f].ref = 1;                         // so R is set, fault or hit,
    if (w)
      s.fr[f].dirty = 1;                     // and D too if it is a write

    if (trace)
      record(&s, policy, p, w, fault, f, victim, &trace[i]);
  }
  free(s.fr);
  free(next);
  return faults;
}

long refsim_faults(enum refsim_policy policy, int frames, const long *pages,
                   const int *writes, int n)
{
  return refsim_run(policy, frames, pages, writes, n, 0);
}
