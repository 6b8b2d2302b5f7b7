// The virtio-mmio block device (dev/drivers.c calls its probe for every
// "virtio,mmio" node, in address order).
#pragma once
#include "platform.h"

// Starts the device and registers it as virtio0 (dev/blockdev.h) if it is
// the first virtio block device; ignores other virtio devices and slots.
void virtio_disk_probe(const struct dt_device *dev);
