// What the device tree says about the machine: filled once at boot by
// fdt_parse() and read by everything that touches hardware.
#pragma once
#include "types.h"

#define PLATFORM_MAX_MEM     8
#define PLATFORM_MAX_RSV    16
#define PLATFORM_MAX_HARTS  16

struct mem_range {
  uint64 base;
  uint64 size;
};

struct hart_info {
  uint32 hartid;        // the cpu node's reg
  int usable;           // status okay (or absent) and has an mmu-type
  const char *unusable_why;  // for the boot log when not usable, else 0
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

  uint64 test_base, test_size;    // "sifive,test" power-off device, or 0

  char bootargs[256];             // /chosen bootargs: the kernel command line
  uint64 initrd_start, initrd_end; // /chosen linux,initrd-*: a ramdisk, or 0, 0

  const void *dtb;                // the blob, for drivers' dt_* lookups
};

// A device node as a driver sees it (dev/drivers.c).  The blob stays
// mapped and reserved while the kernel runs, so drivers may look up any
// property of their node, when they start or later.
struct dt_device {
  const void *dtb;
  uint64 node;          // the node's offset in the structure block
  uint64 base, size;    // its first reg entry, or 0, 0
  uint32 irq;           // the first cell of its interrupts, or 0
};

// Fills out[] with up to max enabled nodes compatible with compatible, in
// document order, and returns how many it filled.
int dt_find_compatible(const void *dtb, const char *compatible, struct dt_device *out, int max);
// The first enabled child of d compatible with compatible: 0, or -1 if none.
int dt_child(const struct dt_device *d, const char *compatible, struct dt_device *child);
// d's property prop as one cell (the first cell of a list), or dflt.
uint32 dt_cell(const struct dt_device *d, const char *prop, uint32 dflt);

// Parses the flattened device tree at dtb.  Returns 0, or -1 if the blob
// is not a valid FDT (bad magic, version, or offsets past totalsize).
int fdt_parse(const void *dtb, struct platform *out);
// The blob's total size from its header (0 if the magic is wrong).
uint64 fdt_totalsize(const void *dtb);

extern struct platform platform;
