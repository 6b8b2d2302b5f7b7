// The virtio-mmio block device: the boot disk (dev/disk.h reads its
// partitions).
#pragma once
#include "types.h"

// One piece of a transfer's memory.
struct disk_segment {
  void *data;
  uint32 len;
};
// Segments one request may have (the queue also needs a header and a
// status descriptor per request, and room for other requests).
#define DISK_MAX_SEGMENTS 32

// Finds the first virtio block device in the platform's list and starts it.
void virtio_disk_init(void);
// The disk's size in 512-byte sectors.
uint64 virtio_disk_sectors(void);
// Reads (write=0) or writes (write=1) the segments, in order, to or from
// consecutive sectors from sector on, as one request (scatter-gather),
// sleeping until done; other processes' requests run meanwhile.  Each
// segment is a multiple of 512 bytes in the direct map, physically
// contiguous.  0, or -1 if the range is past the disk's end or the device
// reports an error.
int virtio_disk_transfer(uint64 sector, const struct disk_segment *segs, int nseg, int write);
