// A register-level model of a Synopsys DesignWare MSHC with an SD card in
// its slot, for tests/host/test_dw_mshc.c.  Written from the register
// description (Linux drivers/mmc/host/dw_mmc.h, U-Boot include/dwmmc.h)
// and the SD Physical Layer Simplified Specification, with its own copy of
// every offset and bit: it shares nothing with the driver, so a wrong
// offset or flag in the driver shows up as a failure here.
//
// Time is register accesses: every access (and every clock reading) is
// one tick, and the card moves data in bursts of several entries.  Anything
// the driver does that the real hardware would not accept is counted as a
// violation, with the first one's description kept.
#pragma once
#include <stdint.h>

enum model_card { CARD_SDHC, CARD_SDSC_V1, CARD_ABSENT };

struct model_config {
  enum model_card card;
  uint32_t version;        // VERID's low 16 bits
  int fifo_width;          // bytes per entry: 4 or 8
  int fifo_depth;          // entries
  uint32_t ciu_hz;         // the clock CLKDIV divides
};

// Injected faults.
struct model_faults {
  int no_response_cmd;     // this command index never gets a response (-1: none)
  int data_crc_reads;      // this many coming reads end with a data CRC error
  int stuck_busy;          // after a write the card never releases DAT0
  int silent_reads;        // reads start but no data ever comes
};

struct model {
  struct model_config cfg;
  struct model_faults faults;
  uint8_t *storage;        // the card's contents
  uint64_t sectors;
  uint64_t ticks;          // register accesses and clock readings so far
  int violations;
  char first_violation[160];
  int stops;               // CMD12s the card received
  int commands[64];        // how many of each command the card received
  void *priv;              // the model's state
};

struct model *model_new(struct model_config cfg);
void model_free(struct model *m);
// The register interface the driver gets (dev/dw_mshc_host.h's struct
// dw_mshc_io takes these, with m as ctx).
uint32_t model_read32(void *m, uint32_t offset);
void model_write32(void *m, uint32_t offset, uint32_t value);
uint64_t model_read64(void *m, uint32_t offset);
void model_write64(void *m, uint32_t offset, uint64_t value);
uint64_t model_now(void *m);
// Ticks per modelled second.
#define MODEL_HZ 100000
// A driver still polling after this many ticks loops forever: the model
// stops the test.
#define MODEL_TICK_LIMIT 50000000ull
// The card's bus width (1 or 4) and clock as the card sees them.
int model_card_bus_width(struct model *m);
uint32_t model_card_clock(struct model *m);
