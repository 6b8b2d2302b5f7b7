// Finding the file system and the swap area on the boot disk (GPT), and
// I/O confined to one of them.
#include "types.h"
#include "riscv.h"
#include "printf.h"
#include "vm/frame.h"
#include "lib/lib.h"
#include "dev/gpt.h"
#include "dev/blockdev.h"
#include "dev/disk.h"

#define SECTOR SECTOR_SIZE

struct disk_area disk_root;
struct disk_area disk_swap;
static struct blockdev *boot_disk;

const char *disk_name(void)
{
  return boot_disk ? boot_disk->name : "none";
}

// ctx: a page in the direct map for the device to DMA into (buf, on the
// parser's stack, is not).
static int read_sector(void *ctx, uint64 lba, void *buf)
{
  struct disk_segment seg = { ctx, SECTOR };
  if (blockdev_transfer(boot_disk, lba, &seg, 1, 0) < 0)
    return -1;
  memmove(buf, ctx, SECTOR);
  return 0;
}

static uint64 mib(uint64 sectors)
{
  return sectors / (1024 * 1024 / SECTOR);
}

static void use_partition(struct disk_area *area, const struct gpt_partition *p)
{
  area->start = p->first_lba;
  area->sectors = p->sectors;
  area->number = p->number;
}

void disk_probe(void)
{
  boot_disk = blockdev_boot();
  if (!boot_disk) {
    printf("disk: no block device found: no file system, no swap\n");
    return;
  }
  uint64 disk_sectors = boot_disk->sectors;
  struct gpt_partition parts[GPT_MAX_PARTITIONS];
  const char *why = 0;
  // The sector reader DMAs into its buffer, which must be in the direct map.
  void *sector = frame_alloc(FRAME_KERNEL);
  int n = sector ? gpt_read(read_sector, sector, disk_sectors, parts, GPT_MAX_PARTITIONS, &why)
                 : GPT_INVALID;
  if (!sector)
    why = "no memory to read it";
  else
    frame_free(sector);

  printf("disk: %s: %lu MiB, ", disk_name(), mib(disk_sectors));
  if (n == GPT_NO_TABLE) {
    // A bare file-system image: all of it is the file system.
    disk_root = (struct disk_area){ 0, disk_sectors, 0 };
    disk_swap = (struct disk_area){ 0, 0, 0 };
    printf("no partition table: the whole disk is the file system, no swap\n");
    return;
  }
  if (n == GPT_INVALID) {
    disk_root = disk_swap = (struct disk_area){ 0, 0, 0 };
    printf("bad GPT (%s): no file system, no swap\n", why);
    return;
  }
  const struct gpt_partition *root = gpt_find(parts, n, GPT_TYPE_LINUX_FS);
  const struct gpt_partition *swap = gpt_find(parts, n, GPT_TYPE_LINUX_SWAP);
  disk_root = disk_swap = (struct disk_area){ 0, 0, 0 };
  if (root)
    use_partition(&disk_root, root);
  if (swap)
    use_partition(&disk_swap, swap);
  printf("GPT with %d partition%s", n, n == 1 ? "" : "s");
  if (why)
    printf(" (%s)", why);
  if (root)
    printf(", root on %sp%d (%lu MiB)", disk_name(), root->number, mib(root->sectors));
  else
    printf(", no Linux filesystem partition for the root");
  if (swap)
    printf(", swap partition %sp%d (%lu MiB)", disk_name(), swap->number, mib(swap->sectors));
  printf("\n");
}

int disk_area_start(const struct disk_area *area, struct disk_request *r, uint64 offset,
                    const struct disk_segment *segs, int nseg, int write)
{
  if (!blockdev_in_range(area->sectors, offset, segs, nseg))
    return -1;
  return blockdev_start(boot_disk, r, area->start + offset, segs, nseg, write);
}

int disk_area_wait(struct disk_request *r)
{
  return blockdev_wait(boot_disk, r);
}

int disk_area_io(const struct disk_area *area, uint64 offset, const struct disk_segment *segs,
                 int nseg, int write)
{
  if (!blockdev_in_range(area->sectors, offset, segs, nseg))
    return -1;
  return blockdev_transfer(boot_disk, area->start + offset, segs, nseg, write);
}
