# HiFive Unleashed: what goes on its SD card (make image
# BOARD=hifive-unleashed).  Layout and boot flow: IMAGE.md here.
# The board's U-Boot (from its own firmware partitions or SPI flash, not
# this image) passes its device tree, so the image carries none.
IMAGE_DTBS =
IMAGE_FDTDIR =
IMAGE_APPEND =
