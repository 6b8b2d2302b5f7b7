// The table of swapped-out shared anonymous pages (see anon_slots.h).
#include "types.h"
#include "vm/anon_slots.h"

static struct anon_slot **bucket(struct anon_slots *t, const void *obj, uint64 pgidx)
{
  uint64 h = ((uint64)obj >> 4) * 31 + pgidx;
  return &t->bucket[h % ANON_SLOT_BUCKETS];
}

void anon_slots_add(struct anon_slots *t, struct anon_slot *e)
{
  struct anon_slot **b = bucket(t, e->obj, e->pgidx);
  e->next = *b;
  *b = e;
  t->count++;
}

// Unlinks the entry *pp points at.
static struct anon_slot *unlink(struct anon_slots *t, struct anon_slot **pp)
{
  struct anon_slot *e = *pp;
  *pp = e->next;
  e->next = 0;
  t->count--;
  return e;
}

struct anon_slot *anon_slots_take(struct anon_slots *t, const void *obj, uint64 pgidx)
{
  for (struct anon_slot **pp = bucket(t, obj, pgidx); *pp; pp = &(*pp)->next)
    if ((*pp)->obj == obj && (*pp)->pgidx == pgidx)
      return unlink(t, pp);
  return 0;
}

struct anon_slot *anon_slots_take_any(struct anon_slots *t, const void *obj)
{
  for (int b = 0; b < ANON_SLOT_BUCKETS; b++)
    for (struct anon_slot **pp = &t->bucket[b]; *pp; pp = &(*pp)->next)
      if (!obj || (*pp)->obj == obj)
        return unlink(t, pp);
  return 0;
}

const struct anon_slot *anon_slots_any(const struct anon_slots *t)
{
  for (int b = 0; b < ANON_SLOT_BUCKETS; b++)
    if (t->bucket[b])
      return t->bucket[b];
  return 0;
}
