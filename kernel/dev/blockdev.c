// The list of block devices the drivers found (see dev/blockdev.h).
#include "types.h"
#include "printf.h"
#include "dev/blockdev.h"

static struct blockdev *devices[BLOCKDEV_MAX];
static int ndevices;

void blockdev_register(struct blockdev *dev)
{
  if (ndevices == BLOCKDEV_MAX) {
    printf("blockdev: %s ignored: already %d devices\n", dev->name, BLOCKDEV_MAX);
    return;
  }
  devices[ndevices++] = dev;
  printf("storage: %s, %ld MiB%s\n", dev->name, (long)(dev->sectors >> 11),
         ndevices == 1 ? " (the boot disk)" : "");
}

int blockdev_in_range(uint64 limit, uint64 sector, const struct disk_segment *segs, int nseg)
{
  uint64 sectors = 0;
  for (int i = 0; i < nseg; i++)
    sectors += segs[i].len / SECTOR_SIZE;
  return sector < limit && sectors <= limit - sector;
}

int blockdev_start(struct blockdev *dev, struct disk_request *r, uint64 sector,
                   const struct disk_segment *segs, int nseg, int write)
{
  if (!blockdev_in_range(dev->sectors, sector, segs, nseg))
    return -1;
  if (dev->start)
    return dev->start(dev, r, sector, segs, nseg, write);
  r->status = dev->transfer(dev, sector, segs, nseg, write);
  r->in_flight = 0;
  return 0;
}

int blockdev_wait(struct blockdev *dev, struct disk_request *r)
{
  return dev->wait ? dev->wait(dev, r) : r->status;
}

int blockdev_transfer(struct blockdev *dev, uint64 sector, const struct disk_segment *segs,
                      int nseg, int write)
{
  if (!dev->start)
    return !blockdev_in_range(dev->sectors, sector, segs, nseg) ? -1 : dev->transfer(dev, sector, segs, nseg, write);
  struct disk_request r;
  if (blockdev_start(dev, &r, sector, segs, nseg, write) < 0)
    return -1;
  return blockdev_wait(dev, &r);
}

struct blockdev *blockdev_boot(void)
{
  return ndevices > 0 ? devices[0] : 0;
}
