# The only code that touches user memory.  It runs with sstatus.SUM set; a
# page fault here goes to kernel_trap, which lets the VM resolve it (demand
# paging, copy-on-write) and retries, or else resumes at user_copy_fault,
# which makes the copy return -1.  The callers (uaccess.c) check ranges.

#include "kernel/riscv.h"

.section .text
.globl user_copy_begin
user_copy_begin:

# int user_copy(void *dst, const void *src, uint64 n): 0 or -1
.globl user_copy
user_copy:
  li t0, SSTATUS_SUM
  csrs sstatus, t0
  # Copy words when both pointers share 8-byte alignment.
  or t1, a0, a1
  andi t1, t1, 7
  bnez t1, 2f
1:
  li t1, 8
  bltu a2, t1, 2f
  ld t2, 0(a1)
  sd t2, 0(a0)
  addi a0, a0, 8
  addi a1, a1, 8
  addi a2, a2, -8
  j 1b
2:
  beqz a2, 3f
  lbu t2, 0(a1)
  sb t2, 0(a0)
  addi a0, a0, 1
  addi a1, a1, 1
  addi a2, a2, -1
  j 2b
3:
  csrc sstatus, t0
  li a0, 0
  ret

# int user_copy_str(char *dst, const char *src, uint64 max):
# 0 when the NUL was copied, 1 when max bytes held none, -1 on a fault.
.globl user_copy_str
user_copy_str:
  li t0, SSTATUS_SUM
  csrs sstatus, t0
1:
  beqz a2, 2f
  lbu t2, 0(a1)
  sb t2, 0(a0)
  beqz t2, 3f
  addi a0, a0, 1
  addi a1, a1, 1
  addi a2, a2, -1
  j 1b
2:
  csrc sstatus, t0
  li a0, 1
  ret
3:
  csrc sstatus, t0
  li a0, 0
  ret

.globl user_copy_fault
user_copy_fault:
  li t0, SSTATUS_SUM
  csrc sstatus, t0
  li a0, -1
  ret

.globl user_copy_end
user_copy_end:
