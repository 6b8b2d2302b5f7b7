// The SiFive SPI controller ("sifive,spi0").
#pragma once
#include "platform.h"

// From dev/drivers.c's table: starts the controller if an SD card slot
// ("mmc-spi-slot") is on its bus, and hands the slot to dev/sd_spi.c.
void sifive_spi_probe(const struct dt_device *dev);
