// Freestanding string and formatting helpers, compiled into both the kernel
// and the user library (xv6's signatures, so user.h declares the same ones).
#pragma once
#include <stdarg.h>
#include "../types.h"

void *memset(void *dst, int c, uint n);
void *memmove(void *dst, const void *src, int n);
void *memcpy(void *dst, const void *src, uint n);
int memcmp(const void *a, const void *b, uint n);
uint strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, uint n);
char *strcpy(char *dst, const char *src);
char *strncpy(char *dst, const char *src, int n);
// Like strncpy but always NUL-terminates (n > 0).
char *safestrcpy(char *dst, const char *src, int n);
char *strchr(const char *s, char c);

// The IEEE CRC-32 of GPT, zlib and Ethernet.  Chains like zlib's: pass 0 to
// start, or a previous result to continue over more bytes.
uint32 crc32(uint32 crc, const void *buf, uint64 len);

// The one printf engine: formats fmt/ap, handing each character to put.
// Supports %d %u %x %p %s %c %l (as a length prefix: %ld %lu %lx) and %%,
// with an optional field width and '0' or '-' flag.  Returns chars written.
int vformat(void (*put)(void *ctx, char c), void *ctx, const char *fmt, va_list ap);
