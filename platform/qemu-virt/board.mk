# QEMU `virt`: how to run the kernel on it.  The kernel learns everything
# else (RAM, harts, UART, PLIC, virtio) from the device tree QEMU passes.
# tests/qemu-run reads the same command (`make qemu-cmd`), with KERNEL,
# DISK and DRIVE_OPTS (e.g. ,snapshot=on) or NO_DISK set.
QEMU = qemu-system-riscv64
OPENSBI ?= /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
CPUS ?= 1
MEM ?= 128M
KERNEL ?= build/Image
DISK ?= build/disk.img
# fw_jump enters the kernel at RAM base + 0x200000 (the Image text_offset).
QEMUOPTS = -machine virt -bios $(OPENSBI) -kernel $(KERNEL) \
	-m $(MEM) -smp $(CPUS) -nographic \
	-global virtio-mmio.force-legacy=false \
	$(if $(NO_DISK),,$(QEMU_DISK))
# NO_DISK=1 leaves the disk out (a ramdisk boot).
QEMU_DISK = -drive file=$(DISK),if=none,format=raw,id=x0$(DRIVE_OPTS) \
	-device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0
