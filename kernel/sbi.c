// SBI calls: a7 = extension id, a6 = function id, arguments in a0-a5,
// error in a0 and value in a1 on return.
#include "sbi.h"

#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_TIME   0x54494D45
#define SBI_EXT_RFENCE 0x52464E43
#define SBI_EXT_HSM    0x48534D
#define SBI_EXT_SRST   0x53525354

struct sbiret sbi_call(uint64 ext, uint64 fid, uint64 arg0, uint64 arg1,
                      uint64 arg2, uint64 arg3, uint64 arg4)
{
  register uint64 a0 __asm__("a0") = arg0;
  register uint64 a1 __asm__("a1") = arg1;
  register uint64 a2 __asm__("a2") = arg2;
  register uint64 a3 __asm__("a3") = arg3;
  register uint64 a4 __asm__("a4") = arg4;
  register uint64 a6 __asm__("a6") = fid;
  register uint64 a7 __asm__("a7") = ext;
  __asm__ volatile("ecall"
               : "+r"(a0), "+r"(a1)
               : "r"(a2), "r"(a3), "r"(a4), "r"(a6), "r"(a7)
               : "memory");
  return (struct sbiret){ .error = (long)a0, .value = (long)a1 };
}

void sbi_set_timer(uint64 stime_value)
{
  sbi_call(SBI_EXT_TIME, 0, stime_value, 0, 0, 0, 0);
}

int sbi_hart_start(uint64 hartid, uint64 start_addr, uint64 opaque)
{
  return (int)sbi_call(SBI_EXT_HSM, 0, hartid, start_addr, opaque, 0, 0).error;
}

void sbi_remote_sfence_vma(uint64 hart_mask, uint64 hart_mask_base)
{
  // start 0, size -1: the whole address space
  sbi_remote_sfence_vma_range(hart_mask, hart_mask_base, 0, (uint64)-1);
}

void sbi_remote_sfence_vma_range(uint64 hart_mask, uint64 hart_mask_base, uint64 start,
                                 uint64 size)
{
  sbi_call(SBI_EXT_RFENCE, 1, hart_mask, hart_mask_base, start, size, 0);   // fid 1
}

void sbi_shutdown(void)
{
  sbi_call(SBI_EXT_SRST, 0, 0, 0, 0, 0, 0);  // type 0: shutdown
}

void sbi_console_putchar(int c)
{
  sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (uint64)c, 0, 0, 0, 0);
}
