// Virtio 1.x over MMIO (the "modern" interface, register layout version 2)
// and the virtio block device: the numbers the OASIS virtio 1.1 spec fixes.
// Sections: 4.2.2 (MMIO registers), 2.1 (status), 2.7 (split virtqueue),
// 5.2 (block device).
#pragma once
#include "types.h"

// MMIO registers, as byte offsets from the device's base address.
// All are 32 bits wide.
#define VIRTIO_MMIO_MAGIC_VALUE         0x000  // reads 0x74726976 ("virt")
#define VIRTIO_MMIO_VERSION             0x004  // 2 for the modern interface
#define VIRTIO_MMIO_DEVICE_ID           0x008  // 0 = no device here
#define VIRTIO_MMIO_VENDOR_ID           0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010  // the 32 bits chosen by ..._SEL
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL           0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034
#define VIRTIO_MMIO_QUEUE_NUM           0x038
#define VIRTIO_MMIO_QUEUE_READY         0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050  // write the queue index
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064
#define VIRTIO_MMIO_STATUS              0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080  // physical address of the
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084  //   descriptor table,
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW    0x090  //   the available ring
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH   0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW    0x0a0  //   and the used ring
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH   0x0a4
#define VIRTIO_MMIO_CONFIG              0x100  // device-specific configuration

#define VIRTIO_MAGIC        0x74726976
#define VIRTIO_DEVICE_BLOCK 2

// Device status bits, set by the driver in this order during start-up.
#define VIRTIO_STATUS_ACKNOWLEDGE 1   // the driver saw the device
#define VIRTIO_STATUS_DRIVER      2   // and knows how to drive it
#define VIRTIO_STATUS_DRIVER_OK   4   // ready: the device may start work
#define VIRTIO_STATUS_FEATURES_OK 8   // feature negotiation done
#define VIRTIO_STATUS_FAILED      128 // the driver gave up

// Feature bit 32 (bit 0 of feature word 1): the device follows virtio 1.x.
// A modern driver must accept it.
#define VIRTIO_F_VERSION_1_WORD 1
#define VIRTIO_F_VERSION_1_BIT  (1u << 0)

// Split virtqueue.  The descriptor table must be 16-byte aligned, the
// available ring 2-byte aligned and the used ring 4-byte aligned.
struct virtq_desc {
  uint64 addr;   // physical address of the buffer
  uint32 len;
  uint16 flags;
  uint16 next;   // the following descriptor when VIRTQ_DESC_F_NEXT
};
#define VIRTQ_DESC_F_NEXT  1  // the chain continues at next
#define VIRTQ_DESC_F_WRITE 2  // the device writes this buffer (else reads)

// Queue size used by our driver: a request takes a descriptor for its
// header, one per data segment and one for its status byte, so 128 hold
// three requests of 32 segments with room to spare.
#define VIRTQ_NUM 128

struct virtq_avail {            // driver -> device
  uint16 flags;
  uint16 idx;                   // where the driver puts the next entry
  uint16 ring[VIRTQ_NUM];       // heads of descriptor chains
  uint16 used_event;
};

struct virtq_used_elem {
  uint32 id;                    // head of the finished descriptor chain
  uint32 len;                   // bytes the device wrote
};

struct virtq_used {             // device -> driver
  uint16 flags;
  uint16 idx;                   // where the device puts the next entry
  struct virtq_used_elem ring[VIRTQ_NUM];
  uint16 avail_event;
};

// Block device: each request is a header, the data, and a status byte
// that the device fills in.
#define VIRTIO_BLK_T_IN  0   // read from the disk
#define VIRTIO_BLK_T_OUT 1   // write to the disk
#define VIRTIO_BLK_S_OK  0
#define VIRTIO_BLK_SECTOR_SIZE 512

struct virtio_blk_req_header {
  uint32 type;
  uint32 reserved;
  uint64 sector;   // in 512-byte sectors, whatever the block size
};

// Offset of the disk's size (uint64, in 512-byte sectors) in the config space.
#define VIRTIO_BLK_CONFIG_CAPACITY 0
