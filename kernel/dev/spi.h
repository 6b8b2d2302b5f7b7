// An SPI controller as the drivers of the devices on its bus see it: a
// controller driver (dev/sifive_spi.c) fills one struct spi_bus and hands
// it to the driver of each child node it serves (dev/sd_spi.c for an
// "mmc-spi-slot").  Everything is polled, on the caller's hart.
#pragma once
#include "types.h"

struct spi_bus {
  uint64 base;         // the controller's registers' physical address, for messages
  // Sets the clock to the fastest rate not above hz.
  void (*set_clock)(struct spi_bus *bus, uint32 hz);
  // Asserts (on=1) or releases (on=0) chip select cs.
  void (*select)(struct spi_bus *bus, uint32 cs, int on);
  // Clocks n bytes out and n bytes in, at once: out from tx (0xff each
  // if tx is 0), in to rx (dropped if rx is 0).  0, or -1 if the
  // controller stopped answering.
  int (*exchange)(struct spi_bus *bus, const uint8 *tx, uint8 *rx, uint32 n);
  void *regs;          // the controller driver's own
};
