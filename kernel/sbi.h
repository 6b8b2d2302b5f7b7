// Calls into the SBI firmware (OpenSBI) below us.
// Extension and function ids from the RISC-V SBI specification.
#pragma once
#include "types.h"

struct sbiret {
  long error;   // 0 on success, negative SBI error code
  long value;
};

struct sbiret sbi_call(uint64 ext, uint64 fid, uint64 a0, uint64 a1,
                      uint64 a2, uint64 a3, uint64 a4);

void sbi_set_timer(uint64 stime_value);
int sbi_hart_start(uint64 hartid, uint64 start_addr, uint64 opaque);
void sbi_remote_sfence_vma(uint64 hart_mask, uint64 hart_mask_base);
void sbi_remote_sfence_vma_range(uint64 hart_mask, uint64 hart_mask_base, uint64 start,
                                 uint64 size);
// Returns only if the firmware cannot power off (no device for it).
void sbi_shutdown(void);
void sbi_console_putchar(int c);
