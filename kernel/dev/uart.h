// The console UART (an ns16550-compatible one, as the device tree says).
#pragma once

void uart_init(void);
void uart_putc(int c);   // waits until the transmitter has room
