#include "types.h"
#include "vm/frame_shares.h"

void frame_shares(enum share_rule rule, uint64 frames, uint64 min_frames, int n,
                  const uint64 *size, const uint64 *by_hand, uint64 *share)
{
  uint64 left = frames, total_size = 0;
  int sharers = 0;
  for (int i = 0; i < n; i++) {
    if (by_hand[i]) {
      left = left > by_hand[i] ? left - by_hand[i] : 0;
      continue;
    }
    sharers++;
    total_size += size[i];
  }
  if (rule == SHARE_PROPORTIONAL && total_size == 0)
    rule = SHARE_EQUAL;
  for (int i = 0; i < n; i++) {
    if (by_hand[i]) {
      share[i] = by_hand[i];
      continue;
    }
    // Rounded down, so that the shares never add up to more than m
    // (unless the minimum lifts them).
    uint64 a = rule == SHARE_EQUAL ? left / (uint64)sharers : size[i] * left / total_size;
    share[i] = a > min_frames ? a : min_frames;
  }
}
