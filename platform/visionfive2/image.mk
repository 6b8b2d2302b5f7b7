# StarFive VisionFive 2: what goes on its SD card (make image
# BOARD=visionfive2).  Layout and boot flow: IMAGE.md here.
# StarFive's U-Boot loads /dtbs/$fdtfile from the boot partition and fixes
# its memory size before running extlinux.conf; upstream U-Boot's fdtdir
# looks for its own fdtfile name.  Both names get the v1.3b tree
# (Linux's arch/riscv/boot/dts/starfive, the copy the host tests use).
VF2_DTB = tests/host/fixtures/dtb/visionfive2-v1.3b.dtb
IMAGE_DTBS = $(VF2_DTB):dtbs/starfive/jh7110-visionfive-v2.dtb \
	$(VF2_DTB):dtbs/starfive/jh7110-starfive-visionfive-2-v1.3b.dtb
IMAGE_FDTDIR = /dtbs
IMAGE_APPEND =
