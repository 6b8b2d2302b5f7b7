// The console: a line discipline over the UART, device CONSOLE for files.
#pragma once

void console_init(void);
void console_intr(int c);   // a character arrived from the UART
void console_putc(int c);   // kernel output (printf)
