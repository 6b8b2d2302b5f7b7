// The one table of drivers the boot code walks: which compatible string
// each driver serves.  A driver's probe gets its node (platform.h: address,
// interrupt, and lookups of any other property) and, for a disk, registers
// a block device; the table's order is the order of preference for the
// boot disk (dev/blockdev.h).  The console UART and the PLIC start earlier
// than this, from kmain, because everything else prints and takes
// interrupts through them.
#include "types.h"
#include "platform.h"
#include "dev/drivers.h"
#include "dev/virtio_disk.h"
#include "dev/dw_mshc.h"
#include "dev/ramdisk.h"
#include "dev/sifive_spi.h"

#define MAX_NODES_PER_DRIVER 16

static const struct driver {
  const char *compatible;
  void (*probe)(const struct dt_device *dev);
} drivers[] = {
  { "virtio,mmio", virtio_disk_probe },
  { "starfive,jh7110-mmc", dw_mshc_probe },
  { "snps,dw-mshc", dw_mshc_probe },
  { "sifive,spi0", sifive_spi_probe },   // SD cards in SPI mode (dev/sd_spi.c)
};

// Device trees list nodes in any order (QEMU's virt lists virtio slots
// from the highest address down); probing in address order makes names
// like virtio0 the same on every boot.
static void sort_by_address(struct dt_device *devs, int n)
{
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && devs[j - 1].base > devs[j].base; j--) {
      struct dt_device t = devs[j];
      devs[j] = devs[j - 1];
      devs[j - 1] = t;
    }
}

void drivers_probe(void)
{
  // An initrd from the boot loader comes before every disk: it is the root
  // a board falls back on when its storage driver does not work yet.
  ramdisk_init();
  struct dt_device devs[MAX_NODES_PER_DRIVER];
  for (uint i = 0; i < sizeof drivers / sizeof drivers[0]; i++) {
    int n = dt_find_compatible(platform.dtb, drivers[i].compatible, devs, MAX_NODES_PER_DRIVER);
    sort_by_address(devs, n);
    for (int k = 0; k < n; k++)
      drivers[i].probe(&devs[k]);
  }
}
