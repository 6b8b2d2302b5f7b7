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
}

struct blockdev *blockdev_boot(void)
{
  return ndevices > 0 ? devices[0] : 0;
}
