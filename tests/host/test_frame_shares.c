// sources: kernel/vm/frame_shares.c
// Frame allocation shares: the textbook's examples (62 frames, processes
// of 10 and 127 pages: 4 and 57 proportionally, 31 each equally), hand-set
// allocations kept and taken out first, the minimum, and on random cases
// the invariants: shares never add up to more than the frames (when the
// minimum does not lift them), equal shares differ by nothing, and
// proportional shares follow the sizes' order.
#include <stdio.h>
#include <stdlib.h>
#include "types.h"
#include "vm/frame_shares.h"

static int failures;

static void check(int ok, const char *what)
{
  printf("%s frame_shares: %s\n", ok ? "PASS" : "FAIL", what);
  if (!ok)
    failures++;
}

int main(void)
{
  uint64 size[64], hand[64] = { 0 }, share[64];
  size[0] = 10;
  size[1] = 127;
  frame_shares(SHARE_PROPORTIONAL, 62, 2, 2, size, hand, share);
  check(share[0] == 4 && share[1] == 57, "proportional: 62 frames, sizes 10 and 127 give 4 and 57");
  frame_shares(SHARE_EQUAL, 62, 2, 2, size, hand, share);
  check(share[0] == 31 && share[1] == 31, "equal: 62 frames, 2 processes give 31 each");
  size[2] = 500;
  hand[2] = 20;
  frame_shares(SHARE_EQUAL, 62, 2, 3, size, hand, share);
  check(share[2] == 20 && share[0] == 21 && share[1] == 21,
        "a hand-set allocation is kept and the others share what is left");
  frame_shares(SHARE_PROPORTIONAL, 10, 2, 2, size, (uint64[]){ 0, 0 }, share);
  check(share[0] == 2 && share[1] == 9, "nobody below the minimum");
  size[0] = size[1] = 0;
  frame_shares(SHARE_PROPORTIONAL, 62, 2, 2, size, (uint64[]){ 0, 0 }, share);
  check(share[0] == 31 && share[1] == 31, "proportional with no sizes shares equally");

  srand(5);
  int over = 0, unequal = 0, disorder = 0;
  for (int t = 0; t < 20000; t++) {
    int n = 1 + rand() % 64;
    uint64 frames = (uint64)(rand() % 70000), given = 0;
    for (int i = 0; i < n; i++) {
      size[i] = (uint64)(rand() % 100000);
      hand[i] = rand() % 8 == 0 ? 2 + (uint64)(rand() % 100) : 0;
    }
    for (int rule = SHARE_EQUAL; rule <= SHARE_PROPORTIONAL; rule++) {
      frame_shares(rule, frames, 2, n, size, hand, share);
      uint64 sum = 0, lifted = 0;
      for (int i = 0; i < n; i++) {
        sum += share[i];
        lifted |= !hand[i] && share[i] == 2;
        given += hand[i] && share[i] != hand[i];
        for (int j = 0; j < n; j++) {
          if (hand[i] || hand[j])
            continue;
          if (rule == SHARE_EQUAL && share[i] != share[j])
            unequal++;
          if (rule == SHARE_PROPORTIONAL && size[i] < size[j] && share[i] > share[j])
            disorder++;
        }
      }
      over += !lifted && sum > frames;
    }
    over += given != 0;
  }
  check(over == 0, "shares never add up to more than the frames, hand-set ones kept (20000 cases)");
  check(unequal == 0, "equal shares are equal");
  check(disorder == 0, "a larger process never gets fewer frames proportionally");
  printf("%s frame_shares\n", failures ? "FAIL" : "PASS");
  return failures ? 1 : 0;
}
