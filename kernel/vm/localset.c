#include "types.h"
#include "riscv.h"
#include "memlayout.h"
#include "spinlock.h"
#include "vm/frame.h"
#include "vm/pmap.h"
#include "vm/vm.h"
#include "vm/pageout.h"
#include "vm/localset.h"

#define SLOTS_PER_CHUNK ((int)(PGSIZE / sizeof(uint64)))
#define LOCAL_CHUNKS (LOCAL_MAX_FRAMES / SLOTS_PER_CHUNK)

// A process's allocation.  Frame i holds the page at slot(ls, i) (0:
// none; no page of memory starts at 0, which is never mapped).  The
// addresses live in pages of their own (chunks), so that an allocation
// computed from all of RAM fits.  Frames fill lowest first; the hand is
// where the policy's next search starts.  Only the owning process touches
// it, in its own faults: no lock.
struct local_set {
  int limit;
  int used;
  int hand;
  int chunks;   // chunks allocated: room for chunks * SLOTS_PER_CHUNK frames
  uint64 *chunk[LOCAL_CHUNKS];
};
_Static_assert(sizeof(struct local_set) <= PGSIZE, "a local set fits a page");

static uint64 *slot(struct local_set *ls, int i)
{
  return &ls->chunk[i / SLOTS_PER_CHUNK][i % SLOTS_PER_CHUNK];
}

static int ask(struct vmspace *vm, int frames)
{
  if (frames != 0 && (frames < LOCAL_MIN_FRAMES || frames > LOCAL_MAX_FRAMES))
    return -1;
  __atomic_store_n(&vm->local_wanted, frames, __ATOMIC_RELEASE);
  return 0;
}

int local_request(struct vmspace *vm, int frames)
{
  if (ask(vm, frames) < 0)
    return -1;
  __atomic_store_n(&vm->local_by_hand, frames != 0, __ATOMIC_RELAXED);
  return 0;
}

void local_assign(struct vmspace *vm, int frames)
{
  if (frames > LOCAL_MAX_FRAMES)
    frames = LOCAL_MAX_FRAMES;
  if (!__atomic_load_n(&vm->local_by_hand, __ATOMIC_RELAXED))
    ask(vm, frames);
}

int local_allocation(struct vmspace *vm)
{
  return __atomic_load_n(&vm->local_wanted, __ATOMIC_RELAXED);
}

void local_free(struct vmspace *vm)
{
  struct local_set *ls = vm->local;
  if (ls) {
    for (int c = 0; c < ls->chunks; c++)
      frame_free(ls->chunk[c]);
    frame_free(ls);
    vm->local = 0;
  }
}

static pte_t pte_of(struct vmspace *vm, uint64 va)
{
  pte_t *pte = pmap_walk(vm->pmap.root, va, 0);
  return pte ? *pte : 0;
}

// Resizes the set to `wanted` frames.  Shrinking evicts the pages of the
// frames past the new limit, so that the process is held to it at once;
// one that cannot go (swap full) stays, outside the count.
static void resize(struct vmspace *vm, struct local_set *ls, int wanted)
{
  for (int i = wanted; i < ls->used; i++)
    if (pte_of(vm, *slot(ls, i)) & PTE_V)
      pageout_evict(&vm->pmap, *slot(ls, i));
  if (ls->used > wanted)
    ls->used = wanted;
  if (ls->hand >= wanted)
    ls->hand = 0;
  ls->limit = wanted;
}

// Makes vm->local what was asked for last; 0, or -1 without memory.
static int apply_request(struct vmspace *vm)
{
  int wanted = __atomic_load_n(&vm->local_wanted, __ATOMIC_ACQUIRE);
  struct local_set *ls = vm->local;
  if (wanted == (ls ? ls->limit : 0))
    return 0;
  if (wanted == 0) {
    local_free(vm);
    return 0;
  }
  if (!ls && !(ls = vm->local = frame_alloc_zeroed(FRAME_KERNEL)))
    return -1;
  while (ls->chunks * SLOTS_PER_CHUNK < wanted) {
    uint64 *chunk = frame_alloc_zeroed(FRAME_KERNEL);
    if (!chunk)
      return -1;
    ls->chunk[ls->chunks++] = chunk;
  }
  resize(vm, ls, wanted);
  return 0;
}

// Lets the policy search the frames from the hand, reading each one's R
// and D bits from its PTE as it meets it and clearing the R bits it
// clears.  The owner runs on this hart, so flushing this hart's TLB entry
// is enough for the next access to set A again (a stale entry would let a
// reference go unrecorded).
static int choose_victim(struct vmspace *vm, struct local_set *ls)
{
  struct pmap *pm = &vm->pmap;
  struct policy_scan s;
  policy_scan_start(&s, policy_in_force(), (uint64)ls->used);
  int victim = ls->hand % ls->used;
  acquire(&pm->lock);
  while (!policy_scan_done(&s)) {
    uint64 va = *slot(ls, victim);
    pte_t *pte = pmap_walk(pm->root, va, 0);
    enum policy_verdict v = policy_scan_frame(&s, (*pte & PTE_A) != 0, (*pte & PTE_D) != 0);
    if (v == POLICY_EVICT)
      break;
    if (v == POLICY_SECOND_CHANCE && (*pte & PTE_A)) {
      __atomic_fetch_and(pte, ~PTE_A, __ATOMIC_RELAXED);
      pmap_flush_local(va);
    }
    victim = (victim + 1) % ls->used;
  }
  release(&pm->lock);
  ls->hand = (victim + 1) % ls->used;
  return victim;
}

int local_make_room(struct vmspace *vm, struct region *r)
{
  if ((r->obj || (r->flags & REGION_STACK)) || apply_request(vm) < 0 || !vm->local)
    return -1;
  struct local_set *ls = vm->local;
  // Frames never used first: filling costs nothing per fault even when
  // the allocation is most of RAM.
  if (ls->used < ls->limit)
    return ls->used++;
  // A frame whose page went meanwhile (the global pager took it, or it
  // was unmapped) is free again: the lowest such first.
  for (int i = 0; i < ls->used; i++)
    if (!(pte_of(vm, *slot(ls, i)) & PTE_V))
      return i;
  int victim = choose_victim(vm, ls);
  if (pageout_evict(&vm->pmap, *slot(ls, victim)) < 0)
    return -1;
  *slot(ls, victim) = 0;
  return victim;
}

void local_loaded(struct vmspace *vm, int frame, uint64 va)
{
  if (vm->local && frame < vm->local->limit)
    *slot(vm->local, frame) = va;
}
