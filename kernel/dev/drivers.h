// Starting the drivers of the devices the device tree lists.
#pragma once

// Calls each driver's probe for every enabled node compatible with it, at
// boot, on the boot hart, after the PLIC and the frame allocator are up.
void drivers_probe(void);
