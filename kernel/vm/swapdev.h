// The swap device: the swap partition of the boot disk, checked at boot.
#pragma once
#include "types.h"

// Reads and checks the swap partition's Linux swap header (never writing
// it) and says in one boot line what it found: "swap: 256 MiB on
// virtio0p2", or why there is no swap.  After disk_probe().
void swap_probe(void);
// Usable swap pages (0: no swap).
uint64 swap_total_pages(void);
