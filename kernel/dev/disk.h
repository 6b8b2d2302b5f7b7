// The boot disk's layout: which part of it holds the file system and which
// the swap area.  The boot disk is the first block device a driver
// registered (dev/blockdev.h).  A GPT disk (mkfs/mkdisk) has a "Linux filesystem" and a
// "Linux swap" partition; a disk without a partition table is one file
// system and has no swap.
#pragma once
#include "types.h"
#include "dev/blockdev.h"

// The boot disk's name in boot lines ("virtio0"; its partitions are
// virtio0p1, ...), or "none".
const char *disk_name(void);

struct disk_area {
  uint64 start;     // first sector on the disk
  uint64 sectors;   // 0: there is no such area
  int number;       // partition number (virtio0p2 is 2), 0 for the whole disk
};

extern struct disk_area disk_root;
extern struct disk_area disk_swap;

// Reads the partition table and says in one boot line what it found.
// With no boot disk, both areas stay empty.
// Sleeps (disk I/O): called from the first process, before the file
// system starts.  Never writes to the disk.
void disk_probe(void);

// Reads or writes the segments (dev/blockdev.h) as one request, from
// sector offset of the area on.  0, or -1 for a range outside the area or
// a device error.
int disk_area_io(const struct disk_area *area, uint64 offset, const struct disk_segment *segs,
                 int nseg, int write);
// The same in two halves, as blockdev_start and blockdev_wait, so that a
// caller can keep several requests in flight.
int disk_area_start(const struct disk_area *area, struct disk_request *r, uint64 offset,
                    const struct disk_segment *segs, int nseg, int write);
int disk_area_wait(struct disk_request *r);
