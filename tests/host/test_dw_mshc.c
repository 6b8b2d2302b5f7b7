// sources: kernel/dev/sd.c kernel/dev/sd_proto.c kernel/dev/dw_mshc_host.c kernel/lib/string.c tests/host/dw_mshc_model.c
// The DesignWare MSHC driver (kernel/dev/dw_mshc_host.c) and the SD
// protocol (kernel/dev/sd.c) against a register-level model of the
// controller and an SD card (dw_mshc_model.c), which has its own copy of
// the register map: cards of both capacity kinds, FIFOs of both widths
// and both places, data checked byte for byte at the right offsets, and
// injected faults, each of which must give -1, the documented message and
// a bounded number of register accesses.
#include <stdio.h>
#include <stdlib.h>
#include "types.h"
#include "lib/lib.h"
#include "dev/sd.h"
#include "dev/dw_mshc_host.h"
#include "tests/host/dw_mshc_model.h"

static int failures;

static void check(int ok, const char *what)
{
  printf("%s test_dw_mshc: %s\n", ok ? "PASS" : "FAIL", what);
  if (!ok)
    failures++;
}

static void check_error(struct sd_host *h, int cmd, const char *want, const char *what)
{
  char line[256];
  int ok = h->error && strcmp(h->error, want) == 0 && h->error_cmd == cmd;
  snprintf(line, sizeof line, "%s: CMD%d \"%s\"", what, cmd, want);
  if (!ok)
    printf("  got CMD%d \"%s\"\n", h->error_cmd, h->error ? h->error : "(none)");
  check(ok, line);
}

struct rig {
  struct model *m;
  struct dw_mshc host;
  struct sd_card card;
};

static uint8 pattern(uint64 offset, int seed)
{
  return (uint8)(offset * 131 + (offset >> 9) * 7 + seed);
}

// A controller and card as U-Boot leaves them, the card's contents a
// pattern; the driver starts with the device tree's fifo-depth (0: none).
static int start(struct rig *r, struct model_config cfg, uint32 dt_fifo_depth, uint32 data_addr)
{
  r->m = model_new(cfg);
  for (uint64 i = 0; i < r->m->sectors * 512; i++)
    r->m->storage[i] = pattern(i, 0);
  struct dw_mshc_io io = {
    .read32 = model_read32, .write32 = model_write32,
    .read64 = model_read64, .write64 = model_write64,
    .now = model_now, .hz = MODEL_HZ, .ctx = r->m,
  };
  struct dw_mshc_config dt = {
    .bus_hz = cfg.ciu_hz, .fifo_depth = dt_fifo_depth, .data_addr = data_addr, .bus_width = 4,
  };
  if (dw_mshc_init(&r->host, &io, &dt) < 0)
    return -1;
  return sd_card_init(&r->card, &r->host.sd);
}

static int same_as_card(struct rig *r, uint64 sector, const uint8 *buf, uint32 count)
{
  for (uint64 i = 0; i < count * 512; i++)
    if (buf[i] != r->m->storage[sector * 512 + i])
      return 0;
  return 1;
}

static int card_holds(struct rig *r, uint64 sector, uint32 count, int seed)
{
  for (uint64 i = sector * 512; i < (sector + count) * 512; i++)
    if (r->m->storage[i] != pattern(i, seed))
      return 0;
  return 1;
}

static void fill(uint8 *buf, uint64 sector, uint32 count, int seed)
{
  for (uint64 i = 0; i < count * 512; i++)
    buf[i] = pattern(sector * 512 + i, seed);
}

static void no_violations(struct rig *r, const char *board)
{
  char what[256];
  snprintf(what, sizeof what, "%s: the driver did nothing the hardware forbids%s%s", board,
           r->m->violations ? ": " : "", r->m->violations ? r->m->first_violation : "");
  check(r->m->violations == 0, what);
}

static void stop(struct rig *r)
{
  model_free(r->m);
}

// The VisionFive 2's shape: version 2.70a (FIFO at 0x200), 32 entries
// from the device tree; here 32 bits wide.
static struct model_config sdhc_config(void)
{
  return (struct model_config){ CARD_SDHC, 0x270a, 4, 32, 50000000 };
}

static void test_sdhc(void)
{
  struct rig r;
  uint8 buf[24 * 512];
  check(start(&r, sdhc_config(), 32, 0) == 0, "SDHC: the card starts");
  check(r.card.high_capacity && r.card.version2, "SDHC: high capacity, physical layer 2.00+");
  check(r.card.sectors == r.m->sectors, "SDHC: capacity from a version 2 CSD");
  check(strcmp(r.card.product, "VMSD1") == 0, "SDHC: product name from the CID");
  check(r.card.bus_width == 4 && model_card_bus_width(r.m) == 4,
        "SDHC: card and controller switched to 4 data lines");
  check(model_card_clock(r.m) == 25000000, "SDHC: 25 MHz after identification");
  check(r.host.fifo_offset == 0x200 && r.host.fifo_width == 4 && r.host.fifo_depth == 32,
        "SDHC: FIFO at 0x200 (2.70a), 32 bits wide, depth from the device tree");
  check(r.m->commands[16] == 0, "SDHC: no CMD16 (block length is fixed)");

  check(sd_rw(&r.card, 7, buf, 1, 0) == 0 && same_as_card(&r, 7, buf, 1),
        "SDHC: one sector read (CMD17) holds sector 7");
  int stops = r.m->stops;
  check(sd_rw(&r.card, 100, buf, 24, 0) == 0 && same_as_card(&r, 100, buf, 24),
        "SDHC: 24 sectors (12 KiB through a 128-byte FIFO) read with CMD18");
  check(r.m->stops == stops + 1, "SDHC: CMD12 ends the multi-block read");

  fill(buf, 9, 1, 1);
  check(sd_rw(&r.card, 9, buf, 1, 1) == 0 && card_holds(&r, 9, 1, 1),
        "SDHC: one sector written (CMD24) lands in sector 9");
  check(card_holds(&r, 8, 1, 0) && card_holds(&r, 10, 1, 0), "SDHC: sectors 8 and 10 untouched");
  fill(buf, 8187, 5, 2);
  check(sd_rw(&r.card, 8187, buf, 5, 1) == 0 && card_holds(&r, 8187, 5, 2),
        "SDHC: the last 5 sectors written with CMD25");
  check(card_holds(&r, 8186, 1, 0), "SDHC: the sector before them untouched");
  check(r.m->commands[13] >= 2, "SDHC: CMD13 checks the status after each write");

  int commands = r.m->commands[18];
  check(sd_rw(&r.card, 8190, buf, 3, 0) == -1, "SDHC: a read past the end fails");
  check_error(&r.host.sd, -1, "past the end of the card", "SDHC: past the end");
  check(r.m->commands[18] == commands, "SDHC: ...without a command to the card");

  uint8 a[512], b[3 * 512];
  struct disk_segment segs[] = { { a, sizeof a }, { b, sizeof b } };
  check(sd_transfer(&r.card, 50, segs, 2, 0) == 0 && same_as_card(&r, 50, a, 1) &&
        same_as_card(&r, 51, b, 3), "SDHC: a request of two segments reads sectors 50-53 in order");
  no_violations(&r, "SDHC");
  stop(&r);
}

// An old SDSC card (no CMD8, byte addresses, 1 KiB READ_BL_LEN) on an
// older controller: version 2.10a (FIFO at 0x100), 64-bit FIFO whose depth
// comes from FIFOTH.
static void test_sdsc(void)
{
  struct rig r;
  uint8 buf[3 * 512];
  struct model_config cfg = { CARD_SDSC_V1, 0x210a, 8, 16, 50000000 };
  check(start(&r, cfg, 0, 0) == 0, "SDSC v1: the card starts");
  check(!r.card.high_capacity && !r.card.version2, "SDSC v1: standard capacity, no CMD8");
  check(r.card.sectors == 4096, "SDSC v1: 2 MiB from a version 1 CSD with 1 KiB blocks");
  check(r.host.fifo_offset == 0x100 && r.host.fifo_width == 8 && r.host.fifo_depth == 16,
        "SDSC v1: FIFO at 0x100 (2.10a), 64 bits wide, depth 16 from FIFOTH");
  check(r.m->commands[16] == 1, "SDSC v1: CMD16 sets 512-byte blocks");
  check(sd_rw(&r.card, 3000, buf, 1, 0) == 0 && same_as_card(&r, 3000, buf, 1),
        "SDSC v1: sector 3000 read at byte address 3000*512");
  fill(buf, 4000, 3, 3);
  check(sd_rw(&r.card, 4000, buf, 3, 1) == 0 && card_holds(&r, 4000, 3, 3),
        "SDSC v1: 3 sectors written at 4000");
  check(card_holds(&r, 3999, 1, 0) && card_holds(&r, 4003, 1, 0),
        "SDSC v1: the neighbours untouched");
  check(sd_rw(&r.card, 4000, buf, 3, 0) == 0 && card_holds(&r, 4000, 3, 3) &&
        same_as_card(&r, 4000, buf, 3), "SDSC v1: and read back");
  no_violations(&r, "SDSC v1");
  stop(&r);
}

// Ticks the driver may spend on a fault: its own timeouts are 1 s.
#define BOUND (3 * MODEL_HZ)

static void test_absent(void)
{
  struct rig r;
  struct model_config cfg = sdhc_config();
  cfg.card = CARD_ABSENT;
  check(start(&r, cfg, 32, 0) == -1, "no card: init fails");
  check_error(&r.host.sd, 55, "no card answers (is there one in the slot?)", "no card");
  check(r.m->ticks < MODEL_HZ, "no card: told within a modelled second");
  stop(&r);
}

static void test_no_response(void)
{
  struct rig r;
  uint8 buf[512];
  start(&r, sdhc_config(), 32, 0);
  r.m->faults.no_response_cmd = 17;
  check(sd_rw(&r.card, 5, buf, 1, 0) == -1, "response timeout: the read fails");
  check_error(&r.host.sd, 17, "no response (timeout)", "response timeout");
  r.m->faults.no_response_cmd = -1;
  check(sd_rw(&r.card, 5, buf, 1, 0) == 0 && same_as_card(&r, 5, buf, 1),
        "response timeout: the next read works");
  no_violations(&r, "response timeout");
  stop(&r);
}

static void test_data_crc(void)
{
  struct rig r;
  uint8 buf[4 * 512];
  start(&r, sdhc_config(), 32, 0);
  r.m->faults.data_crc_reads = 1;
  int stops = r.m->stops;
  check(sd_rw(&r.card, 20, buf, 4, 0) == -1, "data CRC error: the read fails");
  check_error(&r.host.sd, 18, "data CRC error", "data CRC error");
  check(r.m->stops == stops + 1, "data CRC error: CMD12 stops the card");
  check(sd_rw(&r.card, 20, buf, 4, 0) == 0 && same_as_card(&r, 20, buf, 4),
        "data CRC error: the next read works");
  no_violations(&r, "data CRC error");
  stop(&r);
}

static void test_stuck_busy(void)
{
  struct rig r;
  uint8 buf[512];
  start(&r, sdhc_config(), 32, 0);
  r.m->faults.stuck_busy = 1;
  fill(buf, 30, 1, 4);
  uint64 t0 = r.m->ticks;
  check(sd_rw(&r.card, 30, buf, 1, 1) == -1, "card stuck busy: the write fails");
  check_error(&r.host.sd, 24, "the card stays busy (DAT0 held low)", "card stuck busy");
  check(r.m->ticks - t0 >= MODEL_HZ && r.m->ticks - t0 < BOUND,
        "card stuck busy: gives up after about a second");
  stop(&r);
}

static void test_silent_read(void)
{
  struct rig r;
  uint8 buf[512];
  start(&r, sdhc_config(), 32, 0);
  r.m->faults.silent_reads = 1;
  uint64 t0 = r.m->ticks;
  check(sd_rw(&r.card, 3, buf, 1, 0) == -1, "no data: the read fails");
  check_error(&r.host.sd, 17, "data timeout (the card sent no data)", "no data");
  check(r.m->ticks - t0 < BOUND, "no data: gives up after about a second");
  stop(&r);
}

// The model catches a driver that reads the FIFO at the wrong offset: a
// device tree's data-addr of 0x100 on a controller whose FIFO is at 0x200.
static void test_model_catches_wrong_fifo(void)
{
  struct rig r;
  uint8 buf[512];
  start(&r, sdhc_config(), 32, 0x100);
  int ok = sd_rw(&r.card, 1, buf, 1, 0);
  check(ok == -1 || !same_as_card(&r, 1, buf, 1), "wrong FIFO offset: the read does not succeed");
  check(r.m->violations > 0, "wrong FIFO offset: the model reports the stray access");
  stop(&r);
}

int main(void)
{
  test_sdhc();
  test_sdsc();
  test_absent();
  test_no_response();
  test_data_crc();
  test_stuck_busy();
  test_silent_read();
  test_model_catches_wrong_fifo();
  return failures ? 1 : 0;
}
