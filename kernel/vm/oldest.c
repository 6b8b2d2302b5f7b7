#include "types.h"
#include "vm/oldest.h"

void oldest_start(struct oldest *o, int want, uint64 after)
{
  o->want = want < OLDEST_MAX ? want : OLDEST_MAX;
  o->n = 0;
  o->after = after;
}

void oldest_offer(struct oldest *o, uint64 index, uint64 stamp)
{
  if (stamp <= o->after || (o->n == o->want && stamp >= o->stamp[o->n - 1]))
    return;
  int i = o->n < o->want ? o->n++ : o->n - 1;   // full: the newest drops out
  for (; i > 0 && o->stamp[i - 1] > stamp; i--) {
    o->stamp[i] = o->stamp[i - 1];
    o->index[i] = o->index[i - 1];
  }
  o->stamp[i] = stamp;
  o->index[i] = index;
}
