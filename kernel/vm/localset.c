#include "types.h"
#include "riscv.h"
#include "memlayout.h"
#include "spinlock.h"
#include "vm/frame.h"
#include "vm/pmap.h"
#include "vm/vm.h"
#include "vm/pageout.h"
#include "vm/localset.h"

// A process's allocation.  Frame i holds the page at page[i] (0: none; no
// page of memory starts at 0, which is never mapped).  Frames fill lowest
// first; the hand is where the policy's next search starts.  Only the
// owning process touches it, in its own faults: no lock.
struct local_set {
  int limit;
  int used;
  int hand;
  uint64 *page;
};

static int policy = POLICY_CLOCK;

enum vm_policy local_policy(void)
{
  return __atomic_load_n(&policy, __ATOMIC_RELAXED);
}

void local_set_policy(enum vm_policy p)
{
  __atomic_store_n(&policy, p, __ATOMIC_RELAXED);
}

int local_request(struct vmspace *vm, int frames)
{
  if (frames != 0 && (frames < LOCAL_MIN_FRAMES || frames > LOCAL_MAX_FRAMES))
    return -1;
  __atomic_store_n(&vm->local_wanted, frames, __ATOMIC_RELEASE);
  return 0;
}

void local_free(struct vmspace *vm)
{
  if (vm->local) {
    frame_free(vm->local->page);
    frame_free(vm->local);
    vm->local = 0;
  }
}

// Makes vm->local what was asked for last; 0, or -1 without memory.
static int apply_request(struct vmspace *vm)
{
  int wanted = __atomic_load_n(&vm->local_wanted, __ATOMIC_ACQUIRE);
  if (wanted == (vm->local ? vm->local->limit : 0))
    return 0;
  local_free(vm);
  if (wanted == 0)
    return 0;
  struct local_set *ls = frame_alloc_zeroed(FRAME_KERNEL);
  uint64 *page = frame_alloc_zeroed(FRAME_KERNEL);
  if (!ls || !page) {
    if (ls)
      frame_free(ls);
    if (page)
      frame_free(page);
    return -1;
  }
  ls->limit = wanted;
  ls->page = page;
  vm->local = ls;
  return 0;
}

static pte_t pte_of(struct vmspace *vm, uint64 va)
{
  pte_t *pte = pmap_walk(vm->pmap.root, va, 0);
  return pte ? *pte : 0;
}

// Reads every frame's R and D bits, lets the policy choose, and clears in
// the PTEs the R bits the policy cleared.  The owner runs on this hart, so
// flushing this hart's TLB entry is enough for the next access to set A
// again (a stale entry would let a reference go unrecorded).
static int choose_victim(struct vmspace *vm, struct local_set *ls)
{
  struct policy_frame bits[LOCAL_MAX_FRAMES];
  struct pmap *pm = &vm->pmap;
  acquire(&pm->lock);
  for (int i = 0; i < ls->used; i++) {
    pte_t pte = pte_of(vm, ls->page[i]);
    bits[i].referenced = (pte & PTE_A) != 0;
    bits[i].dirty = (pte & PTE_D) != 0;
  }
  int victim = policy_victim(local_policy(), bits, ls->used, &ls->hand);
  for (int i = 0; i < ls->used; i++) {
    pte_t *pte = pmap_walk(pm->root, ls->page[i], 0);
    if (!bits[i].referenced && (*pte & PTE_A)) {
      __atomic_fetch_and(pte, ~PTE_A, __ATOMIC_RELAXED);
      pmap_flush_local(ls->page[i]);
    }
  }
  release(&pm->lock);
  return victim;
}

int local_make_room(struct vmspace *vm, struct region *r)
{
  if ((r->obj || (r->flags & REGION_STACK)) || apply_request(vm) < 0 || !vm->local)
    return -1;
  struct local_set *ls = vm->local;
  // A frame whose page went meanwhile (the global pager took it, or it
  // was unmapped) is free again: the lowest such first.
  for (int i = 0; i < ls->used; i++)
    if (!(pte_of(vm, ls->page[i]) & PTE_V))
      return i;
  if (ls->used < ls->limit)
    return ls->used++;
  int victim = choose_victim(vm, ls);
  if (pageout_evict(&vm->pmap, ls->page[victim]) < 0)
    return -1;
  ls->page[victim] = 0;
  return victim;
}

void local_loaded(struct vmspace *vm, int frame, uint64 va)
{
  if (vm->local && frame < vm->local->limit)
    vm->local->page[frame] = va;
}
