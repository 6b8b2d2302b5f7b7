// The SD card protocol in native (SD bus) mode, over any host controller
// that can send a command and move its data: a host driver (dev/dw_mshc_host.c)
// fills a struct sd_host; sd.c starts the card and reads and writes its
// blocks.  From the SD Physical Layer Simplified Specification, version 9:
// the initialisation flow (4.2), the commands (4.7), R1 card status
// (4.10.1) and the CSD register (5.3).
#pragma once
#include "types.h"
#include "dev/blockdev.h"

#define SD_BLOCK 512

// What a command answers (4.9).  R1b is R1 followed by busy on DAT0.
enum sd_response { SD_R0, SD_R1, SD_R1B, SD_R2, SD_R3, SD_R6, SD_R7 };

struct sd_command {
  uint32 index;                 // 0..63
  uint32 arg;
  enum sd_response response;
  // R2: resp[i] holds bits 32i+31..32i of the 128-bit CID or CSD (resp[3]
  // has bits 127..96).  Other responses: resp[0] holds the 32 bits of the
  // card's answer between the command index and the CRC.
  uint32 resp[4];
  // Data phase: blocks of SD_BLOCK bytes to or from buf (none if 0).
  void *buf;
  uint32 blocks;
  int write;
  int stop;                     // CMD12: ends a multi-block transfer
};

struct sd_host {
  // Sends cmd and, if cmd->blocks, moves its data.  0, or -1 with error set.
  int (*command)(struct sd_host *host, struct sd_command *cmd);
  // The card clock (at most hz) and the data bus width (1 or 4).  0 or -1.
  int (*set_clock)(struct sd_host *host, uint32 hz);
  int (*set_bus_width)(struct sd_host *host, int width);
  // Waits until the card releases DAT0 (done programming).  0 or -1.
  int (*wait_ready)(struct sd_host *host);
  // A clock for the protocol's own timeouts: now() counts, hz a second.
  uint64 (*now)(struct sd_host *host);
  uint64 hz;
  int max_bus_width;            // from the device tree's bus-width
  // Why the last call failed, and during which command (-1: none).
  const char *error;
  int error_cmd;
};

struct sd_card {
  struct sd_host *host;
  uint16 rca;                   // relative card address, from CMD3
  int high_capacity;            // SDHC/SDXC: block addresses; SDSC: byte addresses
  int version2;                 // answered CMD8 (physical layer 2.00 or later)
  uint64 sectors;               // capacity in 512-byte sectors, from the CSD
  int bus_width;                // 1 or 4 data lines
  uint32 status;                // the last card status (R1) it sent
  char product[6];              // the CID's product name
};

// Identifies the card on host and leaves it selected, in 4-bit mode if both
// sides can, ready for transfers.  0, or -1 with host->error set.
int sd_card_init(struct sd_card *card, struct sd_host *host);
// Reads or writes count sectors from sector on to or from buf.  0 or -1
// (past the end, or the host's error).
int sd_rw(struct sd_card *card, uint64 sector, void *buf, uint32 count, int write);
// The same for a blockdev request: the segments, in order, to or from
// consecutive sectors.
int sd_transfer(struct sd_card *card, uint64 sector, const struct disk_segment *segs, int nseg,
                int write);
