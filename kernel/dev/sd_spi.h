// SD memory cards on an SPI bus (an "mmc-spi-slot" device-tree node).
#pragma once
#include "platform.h"
#include "dev/spi.h"

// Called by the SPI controller's probe, at boot: brings the card in the
// slot up in SPI mode and registers it as block device mmcblkN.  A slot
// with no card, or a card that does not answer, gets one line and no
// block device.
void sd_spi_attach(struct spi_bus *bus, const struct dt_device *slot);
