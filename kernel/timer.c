// Timer interrupts come from stimecmp where the hart has the Sstc
// extension and from the firmware (SBI set_timer) elsewhere, as on the
// VisionFive 2's U74 cores.
#include "types.h"
#include "riscv.h"
#include "platform.h"
#include "proc.h"
#include "sbi.h"
#include "printf.h"
#include "timer.h"

#define CSR_STIMECMP 0x14d

uint64 ticks;
struct spinlock tickslock;
static uint64 interval;   // timebase ticks per timer tick

static void set_next_timer(void)
{
  uint64 next = r_time() + interval;
  if (mycpu()->has_sstc)
    __asm__ volatile("csrw %0, %1" : : "i"(CSR_STIMECMP), "r"(next));
  else
    sbi_set_timer(next);
}

void timer_init(void)
{
  spin_init(&tickslock, "time");
  if (platform.timebase_hz == 0)
    panic("timer_init: the device tree gives no timebase-frequency");
  interval = platform.timebase_hz / TICK_HZ;
}

void timer_init_hart(void)
{
  set_next_timer();
}

void timer_interrupt(void)
{
  if (cpuid() == 0) {
    acquire(&tickslock);
    ticks++;
    wakeup(&ticks);
    release(&tickslock);
  }
  set_next_timer();
}

void tick_wait(void)
{
  acquire(&tickslock);
  sleep(&ticks, &tickslock);
  release(&tickslock);
}
