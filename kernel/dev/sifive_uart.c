// compatible: "sifive,uart0" (fdt.c: UART_SIFIVE)
//
// The SiFive UART of the FU540 (HiFive Unleashed) and QEMU's sifive_u
// (FU540-C000 manual, chapter "Universal Asynchronous Receiver/Transmitter"):
// an 8-entry FIFO each way, reached through two 32-bit registers whose top
// bit says "full" (txdata) or "empty" (rxdata).  Output is polled; input
// arrives by the receive-watermark interrupt.  The baud rate divisor is
// left as the firmware set it.
#include "types.h"
#include "memlayout.h"
#include "platform.h"
#include "dev/irq.h"
#include "dev/uart.h"
#include "console.h"

#define TXDATA 0x00   // write a byte; reads bit 31 set while the FIFO is full
#define RXDATA 0x04   // read: a byte, or bit 31 set if the FIFO was empty
#define TXCTRL 0x08
#define RXCTRL 0x0c
#define IE     0x10
#define TXDATA_FULL  (1u << 31)
#define RXDATA_EMPTY (1u << 31)
#define TXCTRL_ENABLE 1u
#define RXCTRL_ENABLE 1u     // the watermark (bits 18:16) stays 0:
#define IE_RXWM (1u << 1)    // interrupt while more than 0 bytes wait

static volatile uint32 *regs;

static volatile uint32 *reg(int offset)
{
  return regs + offset / 4;
}

// Reading rxdata takes the byte out of the FIFO, so each read is used.
static void sifive_uart_intr(void *unused)
{
  (void)unused;
  uint32 data;
  while (!((data = *reg(RXDATA)) & RXDATA_EMPTY))
    console_intr((int)(data & 0xff));
}

static void sifive_uart_init(void)
{
  regs = P2V(platform.uart.base);
  *reg(TXCTRL) |= TXCTRL_ENABLE;
  *reg(RXCTRL) = RXCTRL_ENABLE;
  *reg(IE) = IE_RXWM;
  if (platform.uart.irq)
    irq_register(platform.uart.irq, sifive_uart_intr, 0);
}

static void sifive_uart_putc(int c)
{
  while (*reg(TXDATA) & TXDATA_FULL)
    ;
  *reg(TXDATA) = (uint32)c & 0xff;
}

const struct uart_driver sifive_uart = { sifive_uart_init, sifive_uart_putc };
