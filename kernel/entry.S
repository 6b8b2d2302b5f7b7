# Where the firmware enters the kernel: S-mode, MMU off, a0 = hart id,
# a1 = device tree (boot hart) or our cpu number (harts started with HSM).
#
# The image starts with a RISC-V Linux Image header so U-Boot's booti can
# load it.  It runs wherever it was loaded, at any 2 MiB boundary (as a
# Linux Image must be), whatever physical address RAM starts at.  The code
# runs first at its physical address, so it uses only pc-relative
# addressing until it has turned on a boot page table that maps
#   - the 1 GiB holding the image at its own physical address (identity), so
#     the instructions right after the satp write still fetch,
#   - the image at KERNEL_VBASE + KERNEL_TEXT_OFFSET, where it is linked, in
#     2 MiB pages up to the end of that gigabyte,
#   - all of the first 128 GiB of physical space in the direct map, so the
#     device tree can be read wherever the firmware put it.
# kvm_init() replaces it with the real kernel page table.

#include "kernel/riscv.h"
#include "kernel/memlayout.h"
#include "kernel/param.h"

#define BOOT_STACK_SIZE 16384
#define GIGA_SHIFT 30
#define MEGA_SHIFT 21
#define SBI_LEGACY_PUTCHAR 1
#define SBI_EXT_HSM 0x48534D
#define SBI_HSM_HART_STOP 1
#define LEAF_RWX_AD (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_G)

.option norvc
.section .text.entry
.globl _start
_start:
  j boot_hart_entry               # code0
  .word 0                         # code1
  .dword KERNEL_TEXT_OFFSET       # text_offset
  .dword kernel_image_size        # image_size, including bss
  .dword 0                        # flags: little-endian
  .word 2                         # version 0.2
  .word 0                         # res1
  .dword 0                        # res2
  .ascii "RISCV\0\0\0"            # magic (deprecated)
  .ascii "RSC\x05"                # magic2
  .word 0                         # res3
.option rvc

boot_hart_entry:
  csrw sie, zero
  csrw sip, zero
  mv s0, a0
  mv s1, a1

  # One hart boots.  Another that comes here all the same (firmware that
  # sends every hart to the kernel, or OpenSBI 1.1's hart_start race, in
  # which the hart sees the start before its new address and jumps to the
  # boot one) must not run the boot again over the running kernel: it
  # stops itself, and the boot hart starts it again (start_other_harts).
  lla t0, boot_lottery
  li t1, 1
  amoadd.w t1, t1, (t0)
  bnez t1, lost_lottery

  # 2 MiB pages map the image: anywhere else it would run at a wrong offset.
  la t0, _start
  li t1, (1 << MEGA_SHIFT) - 1
  and t1, t0, t1
  bnez t1, misaligned

  # Zero bss (at its physical address).
  la t0, _bss_start
  la t1, _bss_end
1:
  bgeu t0, t1, 2f
  sd zero, 0(t0)
  addi t0, t0, 8
  j 1b
2:
  la t0, _start
  la t1, kernel_pa
  sd t0, 0(t1)
  call build_boot_pagetable
  call enable_boot_paging
  # Now running at KERNEL_VBASE.
  la sp, boot_stacks + BOOT_STACK_SIZE
  mv a0, s0
  mv a1, s1
  call kmain
  j .

# Harts other than the boot hart start here (SBI HSM hart_start).
.globl secondary_hart_entry
secondary_hart_entry:
  csrw sie, zero
  csrw sip, zero
  mv s0, a0
  mv s1, a1
  call enable_boot_paging
  # sp = boot_stacks + (cpu + 1) * BOOT_STACK_SIZE
  addi t0, s1, 1
  li t1, BOOT_STACK_SIZE
  mul t0, t0, t1
  la sp, boot_stacks
  add sp, sp, t0
  mv a0, s0
  mv a1, s1
  call secondary_main
  j .

# Fill boot_pagetable and boot_kernel_table (runs with the MMU off;
# clobbers t0-t6).
build_boot_pagetable:
  la t0, boot_pagetable
  la t1, _start                   # t1 = physical address of the image
  # identity entry: the gigabyte holding the image, index (t1 >> 30) & 511
  srli t2, t1, GIGA_SHIFT
  andi t3, t2, 511
  slli t3, t3, 3
  add t3, t3, t0
  slli t2, t2, GIGA_SHIFT - 12 + 10   # leaf PTE for the gigabyte's base
  ori t2, t2, LEAF_RWX_AD
  sd t2, 0(t3)
  # kernel entry: KERNEL_VBASE's gigabyte points to boot_kernel_table
  la t2, boot_kernel_table
  srli t2, t2, 12
  slli t2, t2, 10
  ori t2, t2, PTE_V
  li t3, ((KERNEL_VBASE >> GIGA_SHIFT) & 511) * 8
  add t3, t3, t0
  sd t2, 0(t3)
  # boot_kernel_table: from the image's 2 MiB slot on, t1, t1 + 2 MiB, ...
  la t3, boot_kernel_table
  addi t3, t3, (((KERNEL_VBASE + KERNEL_TEXT_OFFSET) >> MEGA_SHIFT) & 511) * 8
  li t4, 512 - (((KERNEL_VBASE + KERNEL_TEXT_OFFSET) >> MEGA_SHIFT) & 511)
  srli t5, t1, 12
  slli t5, t5, 10
  ori t5, t5, LEAF_RWX_AD
  li t6, (1 << (MEGA_SHIFT - 2))  # PTE increment for 2 MiB
3:
  sd t5, 0(t3)
  add t5, t5, t6
  addi t3, t3, 8
  addi t4, t4, -1
  bnez t4, 3b
  # direct map: entries DIRECT_MAP_BASE.. map physical 0, 1 GiB, 2 GiB, ...
  li t3, ((DIRECT_MAP_BASE >> GIGA_SHIFT) & 511) * 8
  add t3, t3, t0
  li t4, (DIRECT_MAP_SIZE >> GIGA_SHIFT)
  li t5, LEAF_RWX_AD              # PTE for physical 0
  li t6, (1 << (GIGA_SHIFT - 2))  # PTE increment for 1 GiB
4:
  sd t5, 0(t3)
  add t5, t5, t6
  addi t3, t3, 8
  addi t4, t4, -1
  bnez t4, 4b
  ret

# Loaded off a 2 MiB boundary: say so on the firmware's console and stop.
misaligned:
  la s2, misaligned_message
5:
  lbu a0, 0(s2)
  beqz a0, 6f
  li a7, SBI_LEGACY_PUTCHAR
  ecall
  addi s2, s2, 1
  j 5b
6:
  wfi
  j 6b

# Back to the firmware (HSM hart_stop), which starts the hart again when
# the boot hart asks; with no HSM, the hart stays here.
lost_lottery:
  li a7, SBI_EXT_HSM
  li a6, SBI_HSM_HART_STOP
  ecall
7:
  wfi
  j 7b

# Turn on boot_pagetable and continue at the caller's return address
# moved up to the kernel's virtual address.
enable_boot_paging:
  la t0, boot_pagetable
  srli t0, t0, 12
  li t1, SATP_SV39
  or t0, t0, t1
  sfence.vma
  csrw satp, t0
  sfence.vma
  # ra is a physical address in our image; move it to KERNEL_VBASE.
  la t0, _start                   # physical address of _start
  lla t1, kernel_start_va
  ld t1, 0(t1)                    # virtual address of _start
  sub t1, t1, t0
  add ra, ra, t1
  ret

.section .rodata
.balign 8
kernel_start_va:
  .dword _start
misaligned_message:
  .asciz "vmkernel: loaded at a physical address that is not a multiple of 2 MiB; stopping\n"

# The image's physical address (kvm.c: kernel_image_pa()).
.section .data
.balign 8
.globl kernel_pa
kernel_pa:
  .dword 0
# Harts that have come to boot_hart_entry (in .data: the boot zeroes bss).
boot_lottery:
  .word 0

.section .bss
.balign 4096
.globl boot_pagetable
boot_pagetable:
  .space 4096
boot_kernel_table:
  .space 4096
.globl boot_stacks
boot_stacks:
  .space BOOT_STACK_SIZE * NCPU
