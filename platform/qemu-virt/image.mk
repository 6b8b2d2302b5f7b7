# QEMU virt: its SD-card image (make image) and how Debian's U-Boot boots
# it (make qemu-uboot).  Layout and boot flow: platform/qemu-virt/IMAGE.md.
# U-Boot passes its own device tree (QEMU's), so the image carries none.
IMAGE_DTBS =
IMAGE_FDTDIR =
IMAGE_APPEND =

# Debian's u-boot-qemu, S-mode U-Boot under OpenSBI's fw_jump: it loads the
# Image at kernel_addr_r 0x84000000 and moves it to 0x80200000 (booti).
UBOOT = /usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
# U-Boot reads extlinux.conf to scriptaddr 0x8c100000: 256 MiB at least.
UBOOT_MEM = 256M
QEMU_UBOOT_OPTS = -machine virt -bios $(OPENSBI) -kernel $(UBOOT) \
	-m $(UBOOT_MEM) -smp $(CPUS) -nographic \
	-global virtio-mmio.force-legacy=false \
	-drive file=build/qemu-virt/sdcard.img,if=none,format=raw,id=x0 \
	-device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0
