// The virtio-mmio block device: the disk the file system lives on.
#pragma once

struct buf;

// Finds the first virtio block device in the platform's list and starts it.
void virtio_disk_init(void);
// Reads (write=0) or writes (write=1) b->blockno, sleeping until done.
void virtio_disk_rw(struct buf *b, int write);
