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

// A request under way, from blockdev_start to blockdev_wait: the caller's.
struct disk_request {
  int in_flight;   // cleared when the device is done with it
  int status;      // then 0, or -1 if the device reported an error
};

// A driver gives either transfer (one request at a time, done when it
// returns) or start and wait (several requests in flight).
struct blockdev {
  char name[16];          // in boot lines, e.g. "virtio0"; its partitions are NAMEp1, ...
  uint64 sectors;         // size in 512-byte sectors
  // As blockdev_transfer.
  int (*transfer)(struct blockdev *dev, uint64 sector, const struct disk_segment *segs, int nseg,
                  int write);
  // As blockdev_start and blockdev_wait.
  int (*start)(struct blockdev *dev, struct disk_request *r, uint64 sector,
               const struct disk_segment *segs, int nseg, int write);
  int (*wait)(struct blockdev *dev, struct disk_request *r);
  void *driver;           // the driver's own state
};

// Reads (write=0) or writes (write=1) the segments, in order, to or from
// consecutive sectors from sector on, as one request, sleeping until
// done.  Each segment is a multiple of 512 bytes in the direct map,
// physically contiguous.  0, or -1 if the range is past the end or the
// device reports an error.
int blockdev_transfer(struct blockdev *dev, uint64 sector, const struct disk_segment *segs,
                      int nseg, int write);
// The same in two halves, so that a caller can keep several requests in
// flight: start sends the request (sleeping only while the device's queue
// is full; segs may go once it returns), wait sleeps until the device is
// done with it.  Start returns -1, with nothing to wait for, if the range
// is past the end; wait returns 0, or -1 on a device error.  On a device
// without start, start does the whole transfer.
int blockdev_start(struct blockdev *dev, struct disk_request *r, uint64 sector,
                   const struct disk_segment *segs, int nseg, int write);
int blockdev_wait(struct blockdev *dev, struct disk_request *r);

#define BLOCKDEV_MAX 8

// Called by a driver's init, at boot, on the boot hart.  The order of the
// init calls in kmain is the order of preference for the boot disk.
void blockdev_register(struct blockdev *dev);
// Whether a transfer of the segments starting at sector lies within the
// first limit sectors (of a device or a partition).
int blockdev_in_range(uint64 limit, uint64 sector, const struct disk_segment *segs, int nseg);
// The disk to boot from, or 0 if no driver found one.
struct blockdev *blockdev_boot(void);
