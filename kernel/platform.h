// What the device tree says about the machine: filled once at boot by
// fdt_parse() and read by everything that touches hardware.
#pragma once
#include "types.h"

#define PLATFORM_MAX_MEM     8
#define PLATFORM_MAX_RSV    16
#define PLATFORM_MAX_HARTS  16
#define PLATFORM_MAX_VIRTIO  8

struct mem_range {
  uint64 base;
  uint64 size;
};

struct hart_info {
  uint32 hartid;        // the cpu node's reg
  int usable;           // status okay (or absent) and has an mmu-type
  int has_sstc;         // "sstc" in riscv,isa or riscv,isa-extensions
  int plic_s_context;   // this hart's S-mode PLIC context, or -1
};

enum uart_kind { UART_NONE, UART_NS16550, UART_SIFIVE };

struct uart_info {
  enum uart_kind kind;
  uint64 base;
  uint64 size;
  uint32 reg_shift;     // register n is at base + (n << reg_shift)
  uint32 reg_io_width;  // 1 or 4 bytes per access
  uint32 irq;           // PLIC source, 0 if none
  uint32 clock_hz;      // 0 if not given (then the firmware's setting stays)
};

struct virtio_info {
  uint64 base;
  uint64 size;
  uint32 irq;
};

struct platform {
  char model[64];
  uint64 timebase_hz;

  // RAM from /memory nodes, and what must not be used from it:
  // /reserved-memory children and /memreserve/ entries.  The DTB blob
  // itself is added by the kernel, which knows where it sits.
  int nmem;
  struct mem_range mem[PLATFORM_MAX_MEM];
  int nrsv;
  struct mem_range rsv[PLATFORM_MAX_RSV];

  int nharts;
  struct hart_info harts[PLATFORM_MAX_HARTS];

  struct uart_info uart;          // the /chosen stdout-path console

  uint64 plic_base, plic_size;    // 0 if no PLIC
  uint32 plic_ndev;

  int nvirtio;                    // virtio,mmio nodes, in address order
  struct virtio_info virtio[PLATFORM_MAX_VIRTIO];

  uint64 test_base, test_size;    // "sifive,test" power-off device, or 0

  char bootargs[256];             // /chosen bootargs: the kernel command line
};

// Parses the flattened device tree at dtb.  Returns 0, or -1 if the blob
// is not a valid FDT (bad magic, version, or offsets past totalsize).
int fdt_parse(const void *dtb, struct platform *out);
// The blob's total size from its header (0 if the magic is wrong).
uint64 fdt_totalsize(const void *dtb);

extern struct platform platform;
