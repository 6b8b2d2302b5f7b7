// Block devices: the disks a driver found in the device tree (a virtio
// disk, an SD card, a ramdisk the boot loader handed over).  Each driver
// registers one struct blockdev; dev/disk.c boots from the first one
// registered and reads its partitions.  Nothing above this layer knows
// which driver serves the disk.
#pragma once
#include "types.h"

#define SECTOR_SIZE 512

// One piece of a transfer's memory.
struct disk_segment {
  void *data;
  uint32 len;
};
// Segments one request may have.
#define DISK_MAX_SEGMENTS 32

struct blockdev {
  char name[16];          // in boot lines, e.g. "virtio0"; its partitions are NAMEp1, ...
  uint64 sectors;         // size in 512-byte sectors
  // Reads (write=0) or writes (write=1) the segments, in order, to or from
  // consecutive sectors from sector on, as one request, sleeping until
  // done.  Each segment is a multiple of 512 bytes in the direct map,
  // physically contiguous.  0, or -1 if the range is past the end or the
  // device reports an error.
  int (*transfer)(struct blockdev *dev, uint64 sector, const struct disk_segment *segs, int nseg,
                  int write);
  void *driver;           // the driver's own state
};

#define BLOCKDEV_MAX 8

// Called by a driver's init, at boot, on the boot hart.  The order of the
// init calls in kmain is the order of preference for the boot disk.
void blockdev_register(struct blockdev *dev);
// Whether a transfer of the segments starting at sector lies within the
// first limit sectors (of a device or a partition).
int blockdev_in_range(uint64 limit, uint64 sector, const struct disk_segment *segs, int nseg);
// The disk to boot from, or 0 if no driver found one.
struct blockdev *blockdev_boot(void);
