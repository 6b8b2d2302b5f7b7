// compatible: "ns16550a", "ns16550", "snps,dw-apb-uart" (fdt.c: UART_NS16550)
//
// The ns16550-compatible console UART: QEMU virt's ns16550a and the
// VisionFive 2's Synopsys DesignWare APB UART (registers 4 bytes apart,
// 32-bit accesses).  Output is polled; input arrives by interrupt.  The
// baud rate is left as the firmware set it.
#include "types.h"
#include "memlayout.h"
#include "platform.h"
#include "dev/irq.h"
#include "dev/uart.h"
#include "console.h"

#define RBR 0   // receive buffer (read)
#define THR 0   // transmit holding (write)
#define IER 1   // interrupt enable
#define FCR 2   // FIFO control (write)
#define LSR 5   // line status
#define IER_RX_READY  0x01
#define FCR_ENABLE_AND_CLEAR 0x07
#define LSR_RX_READY  0x01
#define LSR_TX_IDLE   0x20

static volatile uint8 *uart_base;

static uint32 reg_read(int reg)
{
  volatile uint8 *addr = uart_base + (reg << platform.uart.reg_shift);
  if (platform.uart.reg_io_width == 4)
    return *(volatile uint32 *)addr;
  return *addr;
}

static void reg_write(int reg, uint32 value)
{
  volatile uint8 *addr = uart_base + (reg << platform.uart.reg_shift);
  if (platform.uart.reg_io_width == 4)
    *(volatile uint32 *)addr = value;
  else
    *addr = (uint8)value;
}

static void uart_intr(void *unused)
{
  (void)unused;
  while (reg_read(LSR) & LSR_RX_READY)
    console_intr((int)(reg_read(RBR) & 0xff));
}

static void ns16550_init(void)
{
  uart_base = P2V(platform.uart.base);
  reg_write(FCR, FCR_ENABLE_AND_CLEAR);
  reg_write(IER, IER_RX_READY);
  if (platform.uart.irq)
    irq_register(platform.uart.irq, uart_intr, 0);
}

static void ns16550_putc(int c)
{
  while (!(reg_read(LSR) & LSR_TX_IDLE))
    ;
  reg_write(THR, (uint32)c);
}

const struct uart_driver ns16550_uart = { ns16550_init, ns16550_putc };
