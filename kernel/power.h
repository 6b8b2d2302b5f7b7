// Turning the machine off.
#pragma once

// Powers off; under QEMU, status becomes QEMU's exit status when the
// machine has a sifive,test device (SBI shutdown can only report 0).
// Where nothing can power off, prints "vmkernel: halted (status N): ..."
// and stops this hart.
void power_off(int status) __attribute__((noreturn));
