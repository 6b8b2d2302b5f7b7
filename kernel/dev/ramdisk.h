// A ramdisk: the initrd the boot loader left in RAM (/chosen
// linux,initrd-start/end), holding our file system or a whole GPT disk
// image.  It lets a board whose storage driver does not work yet boot to a
// shell.
#pragma once

// Registers the initrd as block device "ram0" if the device tree names
// one; does nothing otherwise.  Called before the other storage drivers'
// init, so the ramdisk is the boot disk when there is one.
void ramdisk_init(void);
