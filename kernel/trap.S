# The one trap entry (stvec), for traps from user mode and from the kernel.
#
# sscratch tells them apart: it holds the running process's trapframe while
# the hart is in user mode and 0 while it is in the kernel.  A trap from
# user mode saves the user registers into the trapframe, which sits at the
# top of the process's kernel stack, and continues on that stack.  A trap
# from the kernel pushes the caller-saved registers on the current stack.
# There is no page-table switch: the kernel is mapped in every address space.

.equ TF_EPC, 248
.equ TF_KERNEL_TP, 256

# Kernel trap frame: ra, t0-t6, a0-a7, sepc, sstatus.
.equ KF_EPC, 128
.equ KF_SSTATUS, 136
.equ KF_SIZE, 144

.macro USER_REGS op, base
  \op ra, 0(\base)
  \op gp, 16(\base)
  \op tp, 24(\base)
  \op t0, 32(\base)
  \op t1, 40(\base)
  \op t2, 48(\base)
  \op s0, 56(\base)
  \op s1, 64(\base)
  \op a1, 80(\base)
  \op a2, 88(\base)
  \op a3, 96(\base)
  \op a4, 104(\base)
  \op a5, 112(\base)
  \op a6, 120(\base)
  \op a7, 128(\base)
  \op s2, 136(\base)
  \op s3, 144(\base)
  \op s4, 152(\base)
  \op s5, 160(\base)
  \op s6, 168(\base)
  \op s7, 176(\base)
  \op s8, 184(\base)
  \op s9, 192(\base)
  \op s10, 200(\base)
  \op s11, 208(\base)
  \op t3, 216(\base)
  \op t4, 224(\base)
  \op t5, 232(\base)
  \op t6, 240(\base)
.endm

.macro KERNEL_REGS op
  \op ra, 0(sp)
  \op t0, 8(sp)
  \op t1, 16(sp)
  \op t2, 24(sp)
  \op t3, 32(sp)
  \op t4, 40(sp)
  \op t5, 48(sp)
  \op t6, 56(sp)
  \op a0, 64(sp)
  \op a1, 72(sp)
  \op a2, 80(sp)
  \op a3, 88(sp)
  \op a4, 96(sp)
  \op a5, 104(sp)
  \op a6, 112(sp)
  \op a7, 120(sp)
.endm

.section .text
.globl trap_vector
.balign 4
trap_vector:
  csrrw sp, sscratch, sp
  bnez sp, from_user

  # From the kernel: undo the swap (sscratch stays 0).
  csrrw sp, sscratch, sp
  addi sp, sp, -KF_SIZE
  KERNEL_REGS sd
  csrr t0, sepc
  sd t0, KF_EPC(sp)
  csrr t0, sstatus
  sd t0, KF_SSTATUS(sp)
  mv a0, sp
  call kernel_trap
  # kernel_trap may have switched processes and harts in between, so
  # sepc/sstatus come back from the frame.  tp is not restored: it must
  # stay the hart we are on now.
  ld t0, KF_EPC(sp)
  csrw sepc, t0
  ld t0, KF_SSTATUS(sp)
  csrw sstatus, t0
  KERNEL_REGS ld
  addi sp, sp, KF_SIZE
  sret

from_user:
  # sp = trapframe, sscratch = user sp.
  USER_REGS sd, sp
  sd a0, 72(sp)
  csrr t0, sscratch
  sd t0, 8(sp)
  csrw sscratch, zero
  csrr t0, sepc
  sd t0, TF_EPC(sp)
  ld tp, TF_KERNEL_TP(sp)
  # The kernel stack grows down from the trapframe.
  mv a0, sp
  call user_trap
  # user_trap does not return; it leaves through return_to_user.

# return_to_user(struct trapframe *tf): interrupts are off and sstatus is
# set up for user mode.
.globl return_to_user
return_to_user:
  ld t0, TF_EPC(a0)
  csrw sepc, t0
  sd tp, TF_KERNEL_TP(a0)
  csrw sscratch, a0
  USER_REGS ld, a0
  ld sp, 8(a0)
  ld a0, 72(a0)
  sret
