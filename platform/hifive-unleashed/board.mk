# HiFive Unleashed (SiFive FU540-C000), emulated by QEMU's `sifive_u`:
# how to run the kernel on it (README.md here for the real board).  The
# kernel learns everything else from the device tree.  tests/qemu-run
# reads the same command (`make qemu-cmd BOARD=hifive-unleashed`).
QEMU = qemu-system-riscv64
OPENSBI ?= /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
# CPUS counts the U54 harts the kernel runs on (1-4); QEMU's -smp also
# counts hart 0, the E51 monitor core (no MMU), which the kernel leaves
# stopped.
CPUS ?= 4
MEM ?= 128M
KERNEL ?= build/Image
# The SD card: QEMU takes only a power-of-two size.
DISK ?= build/hifive-unleashed/sd.img
# sifive_u starts the -bios at RAM base 0x80000000 and loads -kernel at
# the next 2 MiB boundary after it, 0x80200000: where Debian's generic
# fw_jump jumps (FW_JUMP_ADDR), with the device tree moved to 0x82200000.
QEMUOPTS = -machine sifive_u -bios $(OPENSBI) -kernel $(KERNEL) \
	-m $(MEM) -smp $$(($(CPUS) + 1)) -nographic \
	$(if $(NO_DISK),,-drive if=sd,file=$(DISK),format=raw$(DRIVE_OPTS))

# The bare file system (no swap: tests/qemu-run --fs) grown to the next
# power of two; the file system keeps its own size in its superblock.
build/hifive-unleashed/fs.img: build/fs.img
	@mkdir -p $(dir $@)
	cp --sparse=always $< $@.tmp
	size=1048576; while [ $$size -lt $$(stat -c %s $<) ]; do size=$$((size * 2)); done; \
	truncate -s $$size $@.tmp
	mv $@.tmp $@

# build/disk.img (GPT: file system and swap) grown to the next power of
# two, the backup GPT moved to the new end.
build/hifive-unleashed/sd.img: build/disk.img
	@mkdir -p $(dir $@)
	cp --sparse=always $< $@.tmp
	size=1048576; while [ $$size -lt $$(stat -c %s $<) ]; do size=$$((size * 2)); done; \
	truncate -s $$size $@.tmp
	PATH="$$PATH:/usr/sbin:/sbin" sfdisk -q --relocate gpt-bak-std $@.tmp 2>/dev/null
	mv $@.tmp $@
