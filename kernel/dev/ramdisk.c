// The initrd as a block device (see dev/ramdisk.h).  Its memory is in the
// direct map like the rest of RAM, and kmain keeps it out of the frame
// allocator, so a transfer is a copy.
#include "types.h"
#include "memlayout.h"
#include "platform.h"
#include "printf.h"
#include "lib/lib.h"
#include "dev/blockdev.h"
#include "dev/ramdisk.h"

static struct blockdev ram0;

static int ramdisk_transfer(struct blockdev *dev, uint64 sector, const struct disk_segment *segs,
                            int nseg, int write)
{
  if (!blockdev_in_range(dev->sectors, sector, segs, nseg))
    return -1;
  char *at = (char *)P2V(platform.initrd_start) + sector * SECTOR_SIZE;
  for (int i = 0; i < nseg; i++) {
    if (write)
      memmove(at, segs[i].data, segs[i].len);
    else
      memmove(segs[i].data, at, segs[i].len);
    at += segs[i].len;
  }
  return 0;
}

static int in_ram(uint64 start, uint64 end)
{
  for (int i = 0; i < platform.nmem; i++)
    if (start >= platform.mem[i].base && end <= platform.mem[i].base + platform.mem[i].size)
      return 1;
  return 0;
}

void ramdisk_init(void)
{
  if (platform.initrd_end <= platform.initrd_start)
    return;
  if (!in_ram(platform.initrd_start, platform.initrd_end)) {
    printf("ramdisk: the initrd at 0x%lx-0x%lx is not in RAM: ignored\n", platform.initrd_start,
           platform.initrd_end);
    return;
  }
  ram0 = (struct blockdev){
    .name = "ram0",
    .sectors = (platform.initrd_end - platform.initrd_start) / SECTOR_SIZE,
    .transfer = ramdisk_transfer,
  };
  printf("ramdisk: ram0: the boot loader's initrd at 0x%lx-0x%lx\n", platform.initrd_start,
         platform.initrd_end);
  blockdev_register(&ram0);
}
