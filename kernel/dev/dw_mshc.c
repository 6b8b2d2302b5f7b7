// SD cards on Synopsys DesignWare Mobile Storage Host Controllers, as
// block devices.  Serves:
//   "snps,dw-mshc"          (StarFive VisionFive V1, JH7100)
//   "starfive,jh7110-mmc"   (StarFive VisionFive 2, JH7110: mmc1 is the SD slot)
// The controller logic is dev/dw_mshc_host.c and the card protocol
// dev/sd.c, both tested on the host against a model; this file gives them
// MMIO, a clock, the device tree's properties, and a lock.  Transfers are
// polled: the caller spins while the FIFO fills or drains.
//
// Not yet run on a board: QEMU models no DW MSHC (platform/visionfive2/README.md).
#include "types.h"
#include "riscv.h"
#include "memlayout.h"
#include "platform.h"
#include "printf.h"
#include "sleeplock.h"
#include "vm/pmap.h"
#include "dev/blockdev.h"
#include "dev/sd.h"
#include "dev/dw_mshc_host.h"
#include "dev/dw_mshc.h"

// The card-interface clock when the node has no clock-frequency: the
// JH7110's device tree assigns its SD clocks ("ciu") 50 MHz, which U-Boot
// has set.  Clocks themselves are the firmware's business here.
#define DEFAULT_BUS_HZ 50000000

#define MAX_SLOTS 4

struct slot {
  struct dw_mshc host;
  struct sd_card card;
  struct blockdev blockdev;
  struct sleeplock lock;   // one transfer at a time
};

static struct slot slots[MAX_SLOTS];
static int nslots;
// Nodes already probed: a node may list both compatibles.
static uint64 probed[2 * MAX_SLOTS];
static int nprobed;

static uint32 mmio_read32(void *regs, uint32 offset)
{
  return *(volatile uint32 *)((uint64)regs + offset);
}

static void mmio_write32(void *regs, uint32 offset, uint32 value)
{
  *(volatile uint32 *)((uint64)regs + offset) = value;
}

static uint64 mmio_read64(void *regs, uint32 offset)
{
  return *(volatile uint64 *)((uint64)regs + offset);
}

static void mmio_write64(void *regs, uint32 offset, uint64 value)
{
  *(volatile uint64 *)((uint64)regs + offset) = value;
}

// The time CSR runs from boot, interrupts or not.
static uint64 time_now(void *regs)
{
  (void)regs;
  return r_time();
}

static void report(const char *what, const struct slot *s, uint64 sector)
{
  const struct sd_host *h = &s->host.sd;
  printf("%s: %s sector %ld: ", s->blockdev.name, what, (long)sector);
  if (h->error_cmd >= 0)
    printf("CMD%d: ", h->error_cmd);
  printf("%s (card status 0x%x)\n", h->error, s->card.status);
}

static int dw_mshc_transfer(struct blockdev *dev, uint64 sector, const struct disk_segment *segs,
                            int nseg, int write)
{
  struct slot *s = dev->driver;
  acquiresleep(&s->lock);
  int r = sd_transfer(&s->card, sector, segs, nseg, write);
  if (r < 0)
    report(write ? "write" : "read", s, sector);
  releasesleep(&s->lock);
  return r;
}

void dw_mshc_probe(const struct dt_device *dev)
{
  for (int i = 0; i < nprobed; i++)
    if (probed[i] == dev->base)
      return;
  if (nslots == MAX_SLOTS || nprobed == 2 * MAX_SLOTS)
    return;
  probed[nprobed++] = dev->base;
  struct slot *s = &slots[nslots];
  kvm_map_device(dev->base, dev->size);
  struct dw_mshc_io io = {
    .read32 = mmio_read32, .write32 = mmio_write32,
    .read64 = mmio_read64, .write64 = mmio_write64,
    .now = time_now, .hz = platform.timebase_hz, .ctx = P2V(dev->base),
  };
  struct dw_mshc_config cfg = {
    .bus_hz = dt_cell(dev, "clock-frequency", DEFAULT_BUS_HZ),
    .fifo_depth = dt_cell(dev, "fifo-depth", 0),
    .data_addr = dt_cell(dev, "data-addr", 0),
    .bus_width = dt_cell(dev, "bus-width", 1),
  };
  struct sd_host *h = &s->host.sd;
  if (dw_mshc_init(&s->host, &io, &cfg) < 0 || sd_card_init(&s->card, h) < 0) {
    printf("dw_mshc: 0x%lx: ", (long)dev->base);
    if (h->error_cmd >= 0)
      printf("CMD%d: ", h->error_cmd);
    printf("%s: no disk here\n", h->error);
    return;
  }
  nslots++;
  s->blockdev = (struct blockdev){
    .name = "mmcblk0",
    .sectors = s->card.sectors,
    .transfer = dw_mshc_transfer,
    .driver = s,
  };
  s->blockdev.name[6] = (char)('0' + nslots - 1);
  sleeplock_init(&s->lock, s->blockdev.name);
  printf("%s: %s card \"%s\" at 0x%lx, %ld MiB, %d-bit bus, FIFO %d x %d bits, DW MSHC %x\n",
         s->blockdev.name, s->card.high_capacity ? "SDHC/SDXC" : "SDSC", s->card.product,
         (long)dev->base, (long)(s->card.sectors >> 11), s->card.bus_width,
         s->host.fifo_depth, s->host.fifo_width * 8, s->host.version);
  blockdev_register(&s->blockdev);
}
