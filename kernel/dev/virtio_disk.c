// Driver for a virtio block device on the MMIO transport, modern (virtio
// 1.x, register layout version 2) interface.
//
// A request is a chain of three descriptors: a header saying what to do and
// where, the buffer's data, and one status byte the device writes back.  The
// caller puts the chain's head in the available ring and tells the device;
// the device's interrupt finds the head in the used ring, frees the chain
// and wakes whoever waits for the request.  Requests are in flight at once
// as long as descriptors last: a caller may start several before it waits.
#include "types.h"
#include "param.h"
#include "riscv.h"
#include "memlayout.h"
#include "platform.h"
#include "vm/frame.h"
#include "vm/pmap.h"
#include "dev/irq.h"
#include "spinlock.h"
#include "proc.h"
#include "printf.h"
#include "dev/virtio.h"
#include "dev/blockdev.h"
#include "dev/virtio_disk.h"

// Everything the device reaches by DMA except the data itself, in two
// pages from the frame allocator because DMA needs physical addresses,
// and only direct-map addresses can be turned into them (V2P).
struct virtq_memory {
  struct virtq_desc desc[VIRTQ_NUM];   // first: the page start is aligned
  struct virtq_avail avail;
  struct virtq_used used;
};
// Per request, indexed by the head descriptor of its chain.
struct request_memory {
  struct virtio_blk_req_header header[VIRTQ_NUM];
  uint8 status[VIRTQ_NUM];
};
_Static_assert(sizeof(struct virtq_memory) <= PGSIZE, "virtqueue must fit in a page");
_Static_assert(sizeof(struct request_memory) <= PGSIZE, "request headers must fit in a page");


static struct {
  struct spinlock lock;
  uint64 regs;                       // virtual address of the registers
  uint64 capacity;                   // disk size in 512-byte sectors
  struct virtq_memory *q;
  struct request_memory *rq;
  int desc_free[VIRTQ_NUM];
  uint16 used_seen;                  // used-ring entries handled so far
  struct disk_request *request[VIRTQ_NUM];   // chain with this head: its caller's request
  struct blockdev blockdev;
} disk;

static uint32 mmio_read(uint64 regs, uint32 offset)
{
  return *(volatile uint32 *)(regs + offset);
}

static void reg_write(uint32 offset, uint32 value)
{
  *(volatile uint32 *)(disk.regs + offset) = value;
}

static uint32 reg_read(uint32 offset)
{
  return mmio_read(disk.regs, offset);
}

static void reg_write_addr(uint32 low_offset, uint32 high_offset, uint64 pa)
{
  reg_write(low_offset, (uint32)pa);
  reg_write(high_offset, (uint32)(pa >> 32));
}

// Orders our memory accesses, including device (I/O) ones: the device must
// see a ring entry before the index that publishes it, and we must read an
// index before the entries it covers.
static void dma_fence(void)
{
  __asm__ volatile("fence iorw, iorw" ::: "memory");
}

static int is_modern_block_device(uint64 regs)
{
  if (mmio_read(regs, VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MAGIC ||
      mmio_read(regs, VIRTIO_MMIO_DEVICE_ID) != VIRTIO_DEVICE_BLOCK)
    return 0;
  if (mmio_read(regs, VIRTIO_MMIO_VERSION) != 2) {
    printf("virtio_disk: skipping a legacy device; run QEMU with "
           "-global virtio-mmio.force-legacy=false\n");
    return 0;
  }
  return 1;
}

static void __attribute__((noreturn)) give_up(const char *why)
{
  reg_write(VIRTIO_MMIO_STATUS, reg_read(VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_FAILED);
  panic("virtio_disk: %s", why);
}

static void virtio_disk_intr(void *arg);
static int virtio_disk_start(struct blockdev *dev, struct disk_request *r, uint64 sector,
                             const struct disk_segment *segs, int nseg, int write);
static int virtio_disk_wait(struct blockdev *dev, struct disk_request *r);

// The start-up sequence of virtio 1.1 section 3.1.1.  The first virtio
// block device becomes virtio0; QEMU lists a virtio-mmio node for every
// slot, most of them empty.
void virtio_disk_probe(const struct dt_device *dev)
{
  if (disk.regs)
    return;
  kvm_map_device(dev->base, dev->size);
  if (!is_modern_block_device((uint64)P2V(dev->base)))
    return;
  spin_init(&disk.lock, "virtio_disk");
  disk.regs = (uint64)P2V(dev->base);

  uint32 status = 0;
  reg_write(VIRTIO_MMIO_STATUS, status);   // reset
  status |= VIRTIO_STATUS_ACKNOWLEDGE;
  reg_write(VIRTIO_MMIO_STATUS, status);
  status |= VIRTIO_STATUS_DRIVER;
  reg_write(VIRTIO_MMIO_STATUS, status);

  // We need none of the optional block features, only the modern layout.
  reg_write(VIRTIO_MMIO_DEVICE_FEATURES_SEL, VIRTIO_F_VERSION_1_WORD);
  if (!(reg_read(VIRTIO_MMIO_DEVICE_FEATURES) & VIRTIO_F_VERSION_1_BIT))
    give_up("device does not offer VERSION_1");
  reg_write(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
  reg_write(VIRTIO_MMIO_DRIVER_FEATURES, 0);
  reg_write(VIRTIO_MMIO_DRIVER_FEATURES_SEL, VIRTIO_F_VERSION_1_WORD);
  reg_write(VIRTIO_MMIO_DRIVER_FEATURES, VIRTIO_F_VERSION_1_BIT);
  status |= VIRTIO_STATUS_FEATURES_OK;
  reg_write(VIRTIO_MMIO_STATUS, status);
  if (!(reg_read(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
    give_up("device refused our features");

  reg_write(VIRTIO_MMIO_QUEUE_SEL, 0);
  if (reg_read(VIRTIO_MMIO_QUEUE_READY))
    give_up("queue 0 already in use");
  if (reg_read(VIRTIO_MMIO_QUEUE_NUM_MAX) < VIRTQ_NUM)
    give_up("queue 0 too short");
  disk.q = frame_alloc_zeroed(FRAME_KERNEL);
  disk.rq = frame_alloc_zeroed(FRAME_KERNEL);
  if (disk.q == 0 || disk.rq == 0)
    give_up("no memory for the queue");
  reg_write(VIRTIO_MMIO_QUEUE_NUM, VIRTQ_NUM);
  reg_write_addr(VIRTIO_MMIO_QUEUE_DESC_LOW, VIRTIO_MMIO_QUEUE_DESC_HIGH,
                 V2P(disk.q->desc));
  reg_write_addr(VIRTIO_MMIO_QUEUE_DRIVER_LOW, VIRTIO_MMIO_QUEUE_DRIVER_HIGH,
                 V2P(&disk.q->avail));
  reg_write_addr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, VIRTIO_MMIO_QUEUE_DEVICE_HIGH,
                 V2P(&disk.q->used));
  reg_write(VIRTIO_MMIO_QUEUE_READY, 1);
  for (int i = 0; i < VIRTQ_NUM; i++)
    disk.desc_free[i] = 1;

  // 64-bit config fields are read as two aligned 32-bit halves (4.2.2.2).
  uint32 cap_low = reg_read(VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CONFIG_CAPACITY);
  uint32 cap_high = reg_read(VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CONFIG_CAPACITY + 4);
  disk.capacity = ((uint64)cap_high << 32) | cap_low;

  irq_register(dev->irq, virtio_disk_intr, 0);
  status |= VIRTIO_STATUS_DRIVER_OK;
  reg_write(VIRTIO_MMIO_STATUS, status);
  disk.blockdev = (struct blockdev){
    .name = "virtio0",
    .sectors = disk.capacity,
    .start = virtio_disk_start,
    .wait = virtio_disk_wait,
  };
  blockdev_register(&disk.blockdev);
}

// Takes want free descriptors, or none if there are not that many.
static int alloc_descs(int *idx, int want)
{
  int n = 0;
  for (int i = 0; i < VIRTQ_NUM && n < want; i++)
    if (disk.desc_free[i])
      idx[n++] = i;
  if (n < want)
    return -1;
  for (int i = 0; i < n; i++)
    disk.desc_free[idx[i]] = 0;
  return 0;
}

static void free_chain(int head)
{
  int i = head;
  for (;;) {
    struct virtq_desc *d = &disk.q->desc[i];
    int more = d->flags & VIRTQ_DESC_F_NEXT;
    int next = d->next;
    *d = (struct virtq_desc){0};
    disk.desc_free[i] = 1;
    if (!more)
      break;
    i = next;
  }
  wakeup(&disk.desc_free);
}

static int virtio_disk_start(struct blockdev *dev, struct disk_request *r, uint64 sector,
                             const struct disk_segment *segs, int nseg, int write)
{
  (void)dev;   // there is one virtio disk; blockdev_start checked the range
  assert(nseg > 0 && nseg <= DISK_MAX_SEGMENTS);
  for (int i = 0; i < nseg; i++) {
    uint64 data = (uint64)segs[i].data;
    assert(data >= DIRECT_MAP_BASE && data < DIRECT_MAP_BASE + DIRECT_MAP_SIZE);
    assert(segs[i].len > 0 && segs[i].len % VIRTIO_BLK_SECTOR_SIZE == 0);
  }

  acquire(&disk.lock);
  int d[DISK_MAX_SEGMENTS + 2];
  int ndesc = nseg + 2;
  while (alloc_descs(d, ndesc) < 0)
    sleep(&disk.desc_free, &disk.lock);

  // The chain: header, the data segments in order, the status byte.
  struct virtq_memory *q = disk.q;
  struct request_memory *rq = disk.rq;
  int head = d[0];
  rq->header[head] = (struct virtio_blk_req_header){
    .type = write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN,
    .sector = sector,
  };
  rq->status[head] = 0xff;   // the device overwrites it with its verdict
  q->desc[d[0]] = (struct virtq_desc){
    .addr = V2P(&rq->header[head]),
    .len = sizeof(struct virtio_blk_req_header),
    .flags = VIRTQ_DESC_F_NEXT,
    .next = d[1],
  };
  for (int i = 0; i < nseg; i++)
    q->desc[d[1 + i]] = (struct virtq_desc){
      .addr = V2P(segs[i].data),
      .len = segs[i].len,
      .flags = (write ? 0 : VIRTQ_DESC_F_WRITE) | VIRTQ_DESC_F_NEXT,
      .next = d[2 + i],
    };
  q->desc[d[ndesc - 1]] = (struct virtq_desc){
    .addr = V2P(&rq->status[head]),
    .len = 1,
    .flags = VIRTQ_DESC_F_WRITE,
  };

  r->in_flight = 1;
  disk.request[head] = r;
  q->avail.ring[q->avail.idx % VIRTQ_NUM] = head;
  dma_fence();
  q->avail.idx++;
  dma_fence();
  reg_write(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
  release(&disk.lock);
  return 0;
}

static int virtio_disk_wait(struct blockdev *dev, struct disk_request *r)
{
  (void)dev;
  acquire(&disk.lock);
  while (r->in_flight)
    sleep(r, &disk.lock);
  release(&disk.lock);
  return r->status;
}

static void virtio_disk_intr(void *arg)
{
  (void)arg;
  acquire(&disk.lock);
  // Acknowledge before looking at the ring: a completion that arrives
  // after this raises a new interrupt instead of being missed.
  reg_write(VIRTIO_MMIO_INTERRUPT_ACK, reg_read(VIRTIO_MMIO_INTERRUPT_STATUS));
  dma_fence();
  while (disk.used_seen != disk.q->used.idx) {
    dma_fence();
    uint32 head = disk.q->used.ring[disk.used_seen % VIRTQ_NUM].id;
    if (head >= VIRTQ_NUM || disk.request[head] == 0)
      panic("virtio_disk: device completed unknown request %u", head);
    // The chain is freed here, not by the waiter: a caller with several
    // requests in flight may be asleep waiting for descriptors.
    struct disk_request *r = disk.request[head];
    r->status = disk.rq->status[head] == VIRTIO_BLK_S_OK ? 0 : -1;
    disk.request[head] = 0;
    free_chain((int)head);
    r->in_flight = 0;
    wakeup(r);
    disk.used_seen++;
  }
  release(&disk.lock);
}
