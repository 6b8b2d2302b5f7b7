// The swap partition: a Linux swap area (made by util-linux mkswap), page 0
// its header, pages 1 .. last_page the slots pages go to.
#include "types.h"
#include "riscv.h"
#include "printf.h"
#include "vm/frame.h"
#include "vm/swap_header.h"
#include "vm/swapdev.h"
#include "dev/disk.h"

static uint64 total_pages;

void swap_probe(void)
{
  if (disk_swap.sectors == 0) {
    printf("swap: none (no swap partition)\n");
    return;
  }
  uint64 partition_pages = disk_swap.sectors / (SWAP_PAGE / 512);
  void *header = frame_alloc(FRAME_KERNEL);
  const char *why = "no memory to read its header";
  struct swap_header_info info;
  struct disk_segment seg = { header, SWAP_PAGE };
  if (header && disk_area_io(&disk_swap, 0, &seg, 1, 0) < 0)
    why = "cannot read its header";
  else if (header && swap_header_check(header, partition_pages, &info, &why) == 0)
    total_pages = info.pages - info.bad_pages;
  if (header)
    frame_free(header);
  if (total_pages == 0) {
    printf("swap: none: %sp%d is not usable swap (%s)\n", DISK_NAME, disk_swap.number, why);
    return;
  }
  // Rounded: the header page makes a 256 MiB partition hold 255.996 MiB.
  printf("swap: %lu MiB on %sp%d\n", (total_pages * SWAP_PAGE + (1 << 19)) >> 20, DISK_NAME,
         disk_swap.number);
}

uint64 swap_total_pages(void)
{
  return total_pages;
}
