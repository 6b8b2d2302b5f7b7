// Where the swapped-out pages of shared anonymous memory are.  Such a page
// belongs to its memory object (vmobject.h, VMO_ANON): while resident it
// is in the page cache under (object, page index); when the pager writes
// it to swap it leaves the cache and its slot is kept here under the same
// key, until a fault reads it back or the object goes away.  Private pages
// need no such table: their slot is in the PTE (a swap entry).
//
// Pure bookkeeping, no locks and no allocation: the caller (vmobject.c,
// under the page cache's lock) supplies the entries.
#pragma once
#include "types.h"

#define ANON_SLOT_BUCKETS 256

struct anon_slot {
  const void *obj;
  uint64 pgidx;
  uint64 slot;          // the entry holds one reference to it
  struct anon_slot *next;
};

struct anon_slots {
  struct anon_slot *bucket[ANON_SLOT_BUCKETS];
  uint64 count;
};

// Records e (obj, pgidx and slot filled in); the key must not be present.
void anon_slots_add(struct anon_slots *t, struct anon_slot *e);
// Unlinks and returns the entry for (obj, pgidx), or 0.
struct anon_slot *anon_slots_take(struct anon_slots *t, const void *obj, uint64 pgidx);
// Unlinks and returns some entry of obj (of any object if obj is 0), or 0
// when there is none left.
struct anon_slot *anon_slots_take_any(struct anon_slots *t, const void *obj);
// Some entry of any object, left in place, or 0.
const struct anon_slot *anon_slots_any(const struct anon_slots *t);
