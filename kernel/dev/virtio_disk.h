// The virtio-mmio block device: registers the first one the device tree
// lists as a block device (dev/blockdev.h).
#pragma once

// Finds the first virtio block device in the platform's list and starts
// it; does nothing if there is none.
void virtio_disk_init(void);
