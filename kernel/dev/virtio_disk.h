// The virtio-mmio block device: the boot disk (dev/disk.h reads its
// partitions).
#pragma once
#include "types.h"

// Finds the first virtio block device in the platform's list and starts it.
void virtio_disk_init(void);
// The disk's size in 512-byte sectors.
uint64 virtio_disk_sectors(void);
// Reads (write=0) or writes (write=1) len bytes (a multiple of 512) between
// buf (in the direct map, physically contiguous) and the disk from sector
// on, sleeping until done.  0, or -1 if the range is past the disk's end
// or the device reports an error.
int virtio_disk_transfer(uint64 sector, void *buf, uint32 len, int write);
