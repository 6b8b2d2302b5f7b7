# Build the kernel, the user programs and the file system image; run them.
#   make qemu [BOARD=b] [CPUS=n] [MEM=size] [SWAP=MiB]
#                                   boot to a shell (quit: Ctrl-A X); SWAP=0:
#                                   a disk with no swap partition
#   make qemu-gdb                   the same, waiting for gdb-multiarch
#   make image [BOARD=b]            the board's SD-card image, build/<b>/sdcard.img
#                                   (docs/sdcard.md; boards: platform/*)
#   make qemu-uboot                 boot that image (QEMU virt) through U-Boot
#   make test                       host unit tests + in-kernel test suite
#   make bench                      benchmarks
#   make handout LAB=x, make grade [LAB=x]   labs (docs/labs/README.md)
SHELL := /bin/bash
BOARD ?= qemu-virt
# How to run the board (a board without an emulator has none) and what
# goes on its SD card.
-include platform/$(BOARD)/board.mk
include platform/$(BOARD)/image.mk

CROSS = riscv64-unknown-elf-
CC = $(CROSS)gcc
LD = $(CROSS)ld
OBJCOPY = $(CROSS)objcopy
B = build

# COPY_ON_FORK=eager builds a kernel whose fork copies every page at once
# (for the benchmark that compares it with copy-on-write).
CFLAGS = -std=c11 -Wall -Werror -O2 -g -march=rv64imac_zicsr_zifencei -mabi=lp64 \
	-mcmodel=medany -mno-relax -ffreestanding -fno-common -nostdlib -fno-builtin \
	-fno-stack-protector -fno-pie -fno-omit-frame-pointer -I. $(EXTRA_CFLAGS)
ASFLAGS = -march=rv64imac_zicsr_zifencei -mabi=lp64 -mno-relax -I.

# A folder per subsystem (maps: docs/vm.md, docs/dev.md); kernel files include each
# other as "vm/vm.h", "dev/uart.h", or plain "types.h" for kernel/ itself.
KERNEL_SRCS = $(wildcard kernel/*.c kernel/*.S kernel/lib/*.c kernel/vm/*.c kernel/dev/*.c)
KERNEL_OBJS = $(patsubst %,$(B)/%.o,$(KERNEL_SRCS))
$(KERNEL_OBJS): CFLAGS += -Ikernel
# xv6's own programs and lab tests pass %d for pointers and uint64: in user
# code a printf format mistake warns instead of failing the build, so that
# they build unchanged when copied into user/.  `make format-check` (part of
# `make test`) holds our own user code, the files git tracks, to -Werror.
$(B)/user/%.c.o: CFLAGS += -Wno-error=format
ULIB_SRCS = $(wildcard user/lib/*.c kernel/lib/*.c)
ULIB_OBJS = $(patsubst %,$(B)/%.o,$(ULIB_SRCS)) $(B)/user/usys.S.o
# Every user/*.c is a program.
UPROGS = $(patsubst user/%.c,$(B)/user/bin/%,$(wildcard user/*.c))

# Keep intermediate objects (and so keep make quiet after the test summary).
.SECONDARY:
.PHONY: FORCE all qemu qemu-cmd qemu-gdb qemu-uboot image test bench clean setup host-test kernel-test stress format-check
all: $(B)/.setup $(B)/Image $(B)/fs.img $(B)/disk.img

# Installs missing tools (Debian packages) before the first build.
$(B)/.setup: tests/setup-host
	@mkdir -p $(B)
	@tests/setup-host
	@touch $@
setup:
	@tests/setup-host

# `make V=1` shows the full commands.
Q = $(if $(V),,@)

$(B)/%.c.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(B)/%.S.o: %.S
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(ASFLAGS) -MMD -MP -c $< -o $@

$(B)/kernel.elf: $(KERNEL_OBJS) kernel.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) -T kernel.ld -o $@ $(KERNEL_OBJS)

# A RISC-V Linux Image: the header is the first bytes of entry.S.
$(B)/Image: $(B)/kernel.elf
	$(OBJCOPY) -O binary $< $@

$(B)/user/usys.S: user/usys.sh kernel/syscall.h
	@mkdir -p $(dir $@)
	sh user/usys.sh kernel/syscall.h > $@

$(B)/user/usys.S.o: $(B)/user/usys.S
	$(CC) $(ASFLAGS) -c $< -o $@

$(B)/user/bin/%: $(B)/user/%.c.o $(ULIB_OBJS) user/user.ld
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) -T user/user.ld -o $@ $< $(ULIB_OBJS)

# bigprog: a program whose file is larger than the test machines' RAM
# (user/bigprog.c); its data is generated on the host (user/bigprog/).
BIGPROG_MIB = 60
$(B)/bigprog/gen-data: user/bigprog/gen-data.c user/bigprog/pattern.h
	@mkdir -p $(dir $@)
	gcc -std=c11 -Wall -Werror -O2 -o $@ $<
$(B)/bigprog/data.bin: $(B)/bigprog/gen-data
	$< $(BIGPROG_MIB) $@
$(B)/user/bigprog.c.o: $(B)/bigprog/data.bin
BIGPROG_CFLAGS = -DBIGPROG_DATA='"$(B)/bigprog/data.bin"'
$(B)/user/bigprog.c.o: CFLAGS += $(BIGPROG_CFLAGS)

$(B)/mkfs: $(wildcard mkfs/*.c mkfs/*.h) kernel/fs.h kernel/param.h
	@mkdir -p $(dir $@)
	gcc -std=c11 -Wall -Werror -O2 -I. -o $@ $(filter %.c,$^)

# README.md goes in as /README, the file xv6's programs and lab tests open.
$(B)/README: README.md
	cp $< $@

$(B)/fs.img: $(B)/mkfs $(UPROGS) $(B)/README
	$(B)/mkfs $@ $(B)/README $(UPROGS)

# The boot disk: GPT with the file system and a swap partition of SWAP MiB.
SWAP ?= 256
# Rebuilt when SWAP changes.
$(B)/swap-size: FORCE
	@mkdir -p $(B)
	@echo $(SWAP) | cmp -s - $@ || echo $(SWAP) > $@

$(B)/disk.img: $(B)/fs.img mkfs/mkdisk $(B)/swap-size
	mkfs/mkdisk $@ $(B)/fs.img $(SWAP)

# The SD-card image (docs/sdcard.md): mkdisk's disk with a FAT boot
# partition (number 3, first on the disk) holding the Image, the board's
# device trees (IMAGE_DTBS, SRC:PATH pairs) and extlinux/extlinux.conf.
IMG = $(B)/$(BOARD)
image: $(B)/.setup $(IMG)/sdcard.img
$(IMG)/sdcard.img: $(B)/Image $(B)/fs.img mkfs/mkdisk $(B)/swap-size platform/$(BOARD)/image.mk \
		$(foreach d,$(IMAGE_DTBS),$(firstword $(subst :, ,$(d))))
	@rm -rf $(IMG)/boot
	@mkdir -p $(IMG)/boot/extlinux
	cp $(B)/Image $(IMG)/boot/Image
	$(foreach d,$(IMAGE_DTBS),install -D -m 644 $(firstword $(subst :, ,$(d))) \
		$(IMG)/boot/$(lastword $(subst :, ,$(d))) && ) true
	printf '%s\n' '# vmkernel for $(BOARD): U-Boot boots this label (docs/sdcard.md)' \
		'default vmkernel' 'label vmkernel' '	kernel /Image' \
		$(if $(IMAGE_FDTDIR),'	fdtdir $(IMAGE_FDTDIR)') \
		$(if $(IMAGE_APPEND),'	append $(IMAGE_APPEND)') > $(IMG)/boot/extlinux/extlinux.conf
	mkfs/mkdisk --boot $(IMG)/boot $@ $(B)/fs.img $(SWAP)

# The same kernel built with CONFIG_EAGER_FORK, for the fork benchmark.
$(B)/eager/Image: $(KERNEL_SRCS) kernel.ld
	$(MAKE) B=$(B)/eager EXTRA_CFLAGS=-DCONFIG_EAGER_FORK $(B)/eager/Image

qemu: all $(DISK)
	$(if $(QEMU),,$(error BOARD=$(BOARD) has no emulator: see platform/$(BOARD)))
	$(QEMU) $(QEMUOPTS)

# The board's QEMU command, for tests/qemu-run: one source with `make qemu`.
qemu-cmd: $(DISK)
	$(if $(QEMU),,$(error BOARD=$(BOARD) has no emulator: see platform/$(BOARD)))
	@echo $(QEMU) $(QEMUOPTS)

# Firmware, U-Boot, extlinux.conf, Image: the way a board boots its card.
qemu-uboot: image
	$(if $(QEMU_UBOOT_OPTS),,$(error BOARD=$(BOARD) has no U-Boot under QEMU: see platform/$(BOARD)))
	$(QEMU) $(QEMU_UBOOT_OPTS)

qemu-gdb: all $(DISK)
	@echo "Now run: gdb-multiarch -ex 'target remote :1234' $(B)/kernel.elf"
	$(QEMU) $(QEMUOPTS) -S -gdb tcp::1234

host-test: $(B)/.setup $(B)/Image
	tests/host/run

kernel-test: all image
	tests/harness/run-suite

format-check:
	@if $(CC) $(CFLAGS) $(BIGPROG_CFLAGS) -fsyntax-only $$(git ls-files ':(glob)user/*.c'); then \
	  echo "PASS format-check"; else echo "FAIL format-check: see the errors above"; exit 1; fi

# Every stage prints PASS/FAIL lines; the last line counts them all.
test: all image
	@set -o pipefail; { $(MAKE) -s format-check; tests/host/run; tests/harness/selftest; tests/harness/run-suite; } 2>&1 | tee $(B)/test.log; \
	tests/labs/check --log $(B)/test.log 2>&1 | tee -a $(B)/test.log || \
	  echo "FAIL labs:check: tests/labs/check exited with status $$?" | tee -a $(B)/test.log; \
	tests/summarize $(B)/test.log

bench: all
	tests/bench/run

# The system-call fuzzer with fresh seeds at 1, 2 and 4 harts, for an hour
# or DURATION seconds (docs/fuzzing.md); then the paging soak (10 minutes at
# 2x overcommit, 4 harts); then the runs too long for make test
# (tests/kernel/long-suite.txt: the full suites on the HiFive Unleashed).
stress: all
	tests/harness/stress $(if $(DURATION),--duration $(DURATION))
	tests/harness/paging-soak
	tests/harness/run-suite --suite tests/kernel/long-suite.txt

# Labs (docs/labs/README.md).  `make handout LAB=cow` writes the student tree
# build/handout/cow/ (no LAB, or an unknown one: the list of labs);
# `make grade [LAB=cow]` grades this tree: "Score: N/M", non-zero exit unless full.
.PHONY: handout grade
handout:
	@tests/labs/handout $(LAB)

grade: all
	@tests/labs/grade $(LAB)

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
-include $(shell find $(B) -name '*.d' 2>/dev/null)

