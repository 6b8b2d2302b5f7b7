// malloc and free over sbrk: a first-fit allocator with an address-ordered
// free list, merging neighbouring free blocks so memory does not splinter.
//
// Every block, free or allocated, starts with a header.  Sizes are counted
// in header-sized units (16 bytes, header included), which keeps every
// block, and so every pointer malloc returns, 16-byte aligned.
#include <limits.h>
#include "user/user.h"

struct header {
  uint64 units;          // size of the block in units, header included
  struct header *next;   // next free block by address (free blocks only)
};

#define UNIT sizeof(struct header)
#define MIN_GROW_UNITS (4096 / UNIT)   // ask the kernel for a page or more

static struct header *free_list;   // sorted by address

// Puts block b on the free list, merged with whichever free neighbours
// touch it.
static void release(struct header *b)
{
  struct header *prev = 0, *next = free_list;

  while (next != 0 && next < b) {
    prev = next;
    next = next->next;
  }
  b->next = next;
  if (next != 0 && b + b->units == next) {
    b->units += next->units;
    b->next = next->next;
  }
  if (prev == 0) {
    free_list = b;
  } else if (prev + prev->units == b) {
    prev->units += b->units;
    prev->next = b->next;
  } else {
    prev->next = b;
  }
}

// Adds at least `units` units of fresh memory from sbrk to the free list.
static int grow(uint64 units)
{
  if (units < MIN_GROW_UNITS)
    units = MIN_GROW_UNITS;
  char *top = sbrk(0);
  if (top == SBRK_ERROR)
    return -1;
  uint64 pad = -(uint64)top & (UNIT - 1);   // realign if someone else sbrk'ed
  if (units * UNIT + pad > INT_MAX)
    return -1;
  char *p = sbrk(units * UNIT + pad);
  if (p == SBRK_ERROR)
    return -1;
  struct header *b = (struct header *)(p + pad);
  b->units = units;
  release(b);
  return 0;
}

void *malloc(uint nbytes)
{
  uint64 units = ((uint64)nbytes + UNIT - 1) / UNIT + 1;

  for (;;) {
    for (struct header **link = &free_list; *link != 0; link = &(*link)->next) {
      struct header *b = *link;
      if (b->units < units)
        continue;
      if (b->units == units) {
        *link = b->next;
      } else {
        // Hand out the tail, so the rest stays where it is in the list.
        b->units -= units;
        b += b->units;
        b->units = units;
      }
      return b + 1;
    }
    if (grow(units) < 0)
      return 0;
  }
}

void free(void *p)
{
  if (p != 0)
    release((struct header *)p - 1);
}
