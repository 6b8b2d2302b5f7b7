// Kernel console output.
#pragma once

void printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void printf_init(void);

#define assert(cond) \
  do { if (!(cond)) panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__); } while (0)
