// The console UART: one interface over every UART driver.  The device
// tree says which kind the console is (fdt.c's table of compatible
// strings); this file starts that kind's driver.
#include "types.h"
#include "platform.h"
#include "sbi.h"
#include "dev/uart.h"

static const struct uart_driver *driver;

void uart_init(void)
{
  switch (platform.uart.kind) {
  case UART_NS16550:
    driver = &ns16550_uart;
    break;
  case UART_SIFIVE:
    driver = &sifive_uart;
    break;
  case UART_NONE:
    return;   // output falls back to the firmware; no console input
  }
  driver->init();
}

void uart_putc(int c)
{
  if (driver)
    driver->putc(c);
  else
    sbi_console_putchar(c);
}
