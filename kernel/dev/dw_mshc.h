// The Synopsys DesignWare MSHC with an SD card (dev/drivers.c calls its
// probe for every "snps,dw-mshc" and "starfive,jh7110-mmc" node).
#pragma once
#include "platform.h"

// Starts the controller, identifies the card in its slot and registers it
// as mmcblkN (dev/blockdev.h); one boot line either way.
void dw_mshc_probe(const struct dt_device *dev);
