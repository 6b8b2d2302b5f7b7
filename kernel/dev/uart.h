// The console UART: the one the device tree's /chosen stdout-path names.
// uart.c picks the driver for its kind (fdt.c maps compatible strings to
// kinds); with no driver, output goes through the firmware (SBI) and there
// is no console input.
#pragma once

void uart_init(void);
void uart_putc(int c);   // waits until the transmitter has room

// What each UART driver provides, for uart.c.  init sets the device up
// and registers its receive interrupt, which feeds console_intr().
struct uart_driver {
  void (*init)(void);
  void (*putc)(int c);
};
extern const struct uart_driver ns16550_uart;   // dev/ns16550.c
extern const struct uart_driver sifive_uart;    // dev/sifive_uart.c
