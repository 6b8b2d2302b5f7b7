// The platform-level interrupt controller (RISC-V PLIC specification):
// one priority per source, and per context (a hart's S mode) enable bits,
// a threshold, and a claim/complete register.  Which context belongs to
// which hart comes from the device tree (2h+1 on QEMU virt, 2h on the
// VisionFive 2).
#include "types.h"
#include "memlayout.h"
#include "platform.h"
#include "proc.h"
#include "printf.h"
#include "dev/irq.h"

#define PRIORITY(irq)      (0x0 + 4 * (irq))
#define ENABLE(ctx)        (0x2000 + 0x80 * (ctx))
#define THRESHOLD(ctx)     (0x200000 + 0x1000 * (ctx))
#define CLAIM(ctx)         (0x200004 + 0x1000 * (ctx))
#define MAX_HANDLERS 16

static struct {
  uint32 irq;
  void (*handler)(void *arg);
  void *arg;
} handlers[MAX_HANDLERS];
static int nhandlers;

static volatile uint32 *reg(uint64 offset)
{
  return (volatile uint32 *)((char *)P2V(platform.plic_base) + offset);
}

// Called at boot, before other harts start.
void irq_register(uint32 irq, void (*handler)(void *arg), void *arg)
{
  if (nhandlers == MAX_HANDLERS || irq == 0 || irq > platform.plic_ndev)
    panic("irq_register: cannot register irq %d", irq);
  handlers[nhandlers].irq = irq;
  handlers[nhandlers].handler = handler;
  handlers[nhandlers].arg = arg;
  nhandlers++;
  *reg(PRIORITY(irq)) = 1;
}

void plic_init(void)
{
  if (!platform.plic_base)
    panic("plic_init: the device tree has no PLIC");
}

void plic_init_hart(void)
{
  int ctx = mycpu()->plic_context;
  if (ctx < 0)
    return;
  // Firmware may leave enable bits set: clear all, then enable ours.
  for (uint32 word = 0; word <= platform.plic_ndev / 32; word++)
    *reg(ENABLE(ctx) + 4 * word) = 0;
  for (int i = 0; i < nhandlers; i++)
    *reg(ENABLE(ctx) + 4 * (handlers[i].irq / 32)) |= 1u << (handlers[i].irq % 32);
  *reg(THRESHOLD(ctx)) = 0;
}

void plic_dispatch(void)
{
  int ctx = mycpu()->plic_context;
  uint32 irq;
  while ((irq = *reg(CLAIM(ctx))) != 0) {
    int handled = 0;
    for (int i = 0; i < nhandlers; i++) {
      if (handlers[i].irq == irq) {
        handlers[i].handler(handlers[i].arg);
        handled = 1;
      }
    }
    if (!handled)
      printf("plic: unexpected interrupt %d\n", irq);
    *reg(CLAIM(ctx)) = irq;
  }
}
