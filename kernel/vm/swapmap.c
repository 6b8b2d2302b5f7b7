#include "types.h"
#include "vm/swapmap.h"

#define COUNT_MASK 0x7fff

static uint16 *entry(const struct swapmap *m, uint64 slot)
{
  return &m->chunks[slot / SWAPMAP_SLOTS_PER_CHUNK][slot % SWAPMAP_SLOTS_PER_CHUNK];
}

uint64 swapmap_chunks(uint64 nslots)
{
  return (nslots + SWAPMAP_SLOTS_PER_CHUNK - 1) / SWAPMAP_SLOTS_PER_CHUNK;
}

void swapmap_init(struct swapmap *m, uint64 nslots)
{
  m->nslots = nslots;
  m->usable = nslots;
  m->used = 0;
  m->hand = 0;
}

void swapmap_mark_bad(struct swapmap *m, uint64 slot)
{
  uint16 *e = entry(m, slot);
  if (*e & SWAPMAP_BAD)
    return;
  *e |= SWAPMAP_BAD;
  m->usable--;
  if (*e & COUNT_MASK)
    m->used--;   // counted as bad now, not as used
}

long swapmap_alloc(struct swapmap *m)
{
  for (uint64 i = 0; i < m->nslots; i++) {
    uint64 slot = (m->hand + i) % m->nslots;
    uint16 *e = entry(m, slot);
    if (*e == 0) {
      *e = 1;
      m->used++;
      m->hand = slot + 1;
      return (long)slot;
    }
  }
  return -1;
}

int swapmap_dup(struct swapmap *m, uint64 slot)
{
  uint16 *e = entry(m, slot);
  if ((*e & COUNT_MASK) == 0 || (*e & COUNT_MASK) == COUNT_MASK)
    return -1;
  (*e)++;
  return 0;
}

int swapmap_put(struct swapmap *m, uint64 slot)
{
  // LAB swap BEGIN
  uint16 *e = entry(m, slot);
  if ((*e & COUNT_MASK) == 0)
    return -1;
  (*e)--;
  int left = *e & COUNT_MASK;
  if (left == 0 && !(*e & SWAPMAP_BAD))
    m->used--;
  return left;
  // LAB swap STUB
  // // Lab swap: drop a reference, and free the slot with the last one.
  // // Until then no slot is ever freed: swap fills up for good.
  // return (int)swapmap_count(m, slot);
  // LAB swap END
}

uint32 swapmap_count(const struct swapmap *m, uint64 slot)
{
  return *entry(m, slot) & COUNT_MASK;
}

int swapmap_is_bad(const struct swapmap *m, uint64 slot)
{
  return (*entry(m, slot) & SWAPMAP_BAD) != 0;
}
