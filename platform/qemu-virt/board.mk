# QEMU `virt`: how to run the kernel on it.  The kernel learns everything
# else (RAM, harts, UART, PLIC, virtio) from the device tree QEMU passes.
QEMU = qemu-system-riscv64
OPENSBI = /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
CPUS ?= 1
MEM ?= 128M
# fw_jump enters the kernel at RAM base + 0x200000 (the Image text_offset).
QEMUOPTS = -machine virt -bios $(OPENSBI) -kernel build/Image \
	-m $(MEM) -smp $(CPUS) -nographic \
	-global virtio-mmio.force-legacy=false \
	-drive file=build/disk.img,if=none,format=raw,id=x0 \
	-device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0
