// The Synopsys DesignWare Mobile Storage Host Controller as an SD host
// (dev/sd.h): commands, and data through its FIFO by programmed I/O.
// Registers reach it through struct dw_mshc_io, so the same code drives
// the real controller (dev/dw_mshc.c, MMIO) and the register-level model
// of the host tests (tests/host/dw_mshc_model.c).
#pragma once
#include "types.h"
#include "dev/sd.h"

struct dw_mshc_io {
  uint32 (*read32)(void *ctx, uint32 offset);
  void (*write32)(void *ctx, uint32 offset, uint32 value);
  // For a FIFO 64 bits wide (HCON says which).
  uint64 (*read64)(void *ctx, uint32 offset);
  void (*write64)(void *ctx, uint32 offset, uint64 value);
  // The clock the timeouts are measured in: hz counts make a second.
  uint64 (*now)(void *ctx);
  uint64 hz;
  void *ctx;
};

// What the device tree says; 0 means "not given".
struct dw_mshc_config {
  uint32 bus_hz;         // the card-interface clock (ciu) the divider divides
  uint32 fifo_depth;     // FIFO entries
  uint32 data_addr;      // the FIFO's offset, if it breaks the VERID rule
  uint32 bus_width;      // data lines wired to the slot
};

struct dw_mshc {
  struct sd_host sd;     // first: the SD layer's view of this controller
  struct dw_mshc_io io;
  uint32 bus_hz;
  uint32 version;        // VERID's low 16 bits, e.g. 0x270a for 2.70a
  uint32 fifo_offset;
  uint32 fifo_depth;     // entries
  uint32 fifo_width;     // bytes per entry: 4 or 8
};

// Resets the controller's state machines and FIFO, turns its DMA and
// interrupts off (we poll), and fills h->sd.  Power and clocks are the
// firmware's: U-Boot leaves them on.  0, or -1 with h->sd.error set.
int dw_mshc_init(struct dw_mshc *h, const struct dw_mshc_io *io, const struct dw_mshc_config *cfg);
