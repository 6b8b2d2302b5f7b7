// The SD card protocol over any host (dev/sd.h): identification, then
// block reads and writes.  Section numbers are those of the SD Physical
// Layer Simplified Specification.
#include "types.h"
#include "dev/sd.h"
#include "dev/sd_proto.h"

// Commands (4.7.4); ACMDs follow a CMD55.
enum {
  GO_IDLE_STATE = 0, ALL_SEND_CID = 2, SEND_RELATIVE_ADDR = 3, SET_BUS_WIDTH = 6,
  SELECT_CARD = 7, SEND_IF_COND = 8, SEND_CSD = 9, STOP_TRANSMISSION = 12, SEND_STATUS = 13,
  SET_BLOCKLEN = 16, READ_SINGLE_BLOCK = 17, READ_MULTIPLE_BLOCK = 18, WRITE_BLOCK = 24,
  WRITE_MULTIPLE_BLOCK = 25, SD_SEND_OP_COND = 41, APP_CMD = 55,
};

// CMD8's argument: 2.7-3.6 V, and a check pattern the card echoes (4.3.13).
#define IF_COND_CHECK 0x1aa
// The OCR (5.1): the voltage window we offer, the card's "power-up done"
// bit, and host/card capacity support (HCS in the argument, CCS in the answer).
#define OCR_VOLTAGES  0x00ff8000
#define OCR_CAPACITY  (1u << 30)
#define OCR_READY     (1u << 31)
// Card status bits of R1 that report an error (4.10.1, table 4-42).
#define R1_ERRORS     0xfdf98008u
#define R1_READY_FOR_DATA (1u << 8)
#define R1_STATE(s)   (((s) >> 9) & 0xf)
#define STATE_TRAN    4

// Both powering up (ACMD41, 4.2.3) and programming are bounded by 1 s.
#define CARD_TIMEOUT_SECONDS 1

#define IDENTIFICATION_HZ 400000
#define DEFAULT_SPEED_HZ  25000000

static int fail(struct sd_host *host, int cmd, const char *why)
{
  host->error = why;
  host->error_cmd = cmd;
  return -1;
}

// Sends one command, checks the card status an R1 carries, and waits out
// an R1b's busy signal.
static int run(struct sd_card *card, struct sd_command *c)
{
  struct sd_host *host = card->host;
  if (host->command(host, c) < 0)
    return fail(host, c->index, host->error);
  // After the last block of the card, CMD12's status may say OUT_OF_RANGE
  // for reads the card had started ahead: only the data commands count.
  if ((c->response == SD_R1 || c->response == SD_R1B) && !c->stop) {
    card->status = c->resp[0];
    if (c->resp[0] & R1_ERRORS)
      return fail(host, c->index, "the card's status reports an error");
  }
  if (c->response == SD_R1B && host->wait_ready(host) < 0)
    return fail(host, c->index, host->error);
  return 0;
}

static int command(struct sd_card *card, struct sd_command *c, uint32 index, uint32 arg,
                   enum sd_response response)
{
  *c = (struct sd_command){ .index = index, .arg = arg, .response = response };
  return run(card, c);
}

static int app_command(struct sd_card *card, struct sd_command *c, uint32 index, uint32 arg,
                       enum sd_response response)
{
  if (command(card, c, APP_CMD, (uint32)card->rca << 16, SD_R1) < 0)
    return -1;
  return command(card, c, index, arg, response);
}

// Bits hi..lo (at most 32 of them) of a 128-bit register in resp[].
static uint32 field(const uint32 *resp, int hi, int lo)
{
  uint32 v = 0;
  for (int bit = hi; bit >= lo; bit--)
    v = (v << 1) | ((resp[bit / 32] >> (bit % 32)) & 1);
  return v;
}

// Capacity from the CSD (5.3), decoded by sd_proto.c as for SPI cards:
// the R2 words hold the register with bit 127 on top, the byte order the
// card sends it in.
static int read_capacity(struct sd_card *card, const uint32 *csd)
{
  uint8 bytes[SD_CSD_LEN];
  for (int i = 0; i < SD_CSD_LEN; i++)
    bytes[i] = (uint8)field(csd, 127 - 8 * i, 120 - 8 * i);
  card->sectors = sd_csd_sectors(bytes);
  if (card->sectors == 0)
    return fail(card->host, SEND_CSD, "unsupported CSD version (SDUC card?)");
  return 0;
}

static int power_up(struct sd_card *card)
{
  struct sd_host *host = card->host;
  struct sd_command c;
  if (command(card, &c, GO_IDLE_STATE, 0, SD_R0) < 0)
    return -1;
  // Cards of physical layer 2.00 and later echo CMD8; older ones ignore it.
  if (command(card, &c, SEND_IF_COND, IF_COND_CHECK, SD_R7) == 0) {
    if ((c.resp[0] & 0xfff) != IF_COND_CHECK)
      return fail(host, SEND_IF_COND, "the card refuses 2.7-3.6 V");
    card->version2 = 1;
  }
  uint32 arg = OCR_VOLTAGES | (card->version2 ? OCR_CAPACITY : 0);
  uint64 deadline = host->now(host) + CARD_TIMEOUT_SECONDS * host->hz;
  for (;;) {
    if (app_command(card, &c, SD_SEND_OP_COND, arg, SD_R3) < 0) {
      if (!card->version2 && host->error_cmd == APP_CMD)
        return fail(host, APP_CMD, "no card answers (is there one in the slot?)");
      return -1;
    }
    if (c.resp[0] & OCR_READY)
      break;
    if (host->now(host) > deadline)
      return fail(host, SD_SEND_OP_COND, "the card stays busy powering up");
  }
  card->high_capacity = (c.resp[0] & OCR_CAPACITY) != 0;
  return 0;
}

int sd_card_init(struct sd_card *card, struct sd_host *host)
{
  *card = (struct sd_card){ .host = host };
  host->error = 0;
  host->error_cmd = -1;
  struct sd_command c;
  if (host->set_bus_width(host, 1) < 0 || host->set_clock(host, IDENTIFICATION_HZ) < 0 ||
      power_up(card) < 0)
    return -1;

  if (command(card, &c, ALL_SEND_CID, 0, SD_R2) < 0)
    return -1;
  for (int i = 0; i < 5; i++)   // PNM, CID bits 103..64
    card->product[i] = (char)field(c.resp, 103 - 8 * i, 96 - 8 * i);
  card->product[5] = 0;
  if (command(card, &c, SEND_RELATIVE_ADDR, 0, SD_R6) < 0)
    return -1;
  card->rca = c.resp[0] >> 16;
  if (command(card, &c, SEND_CSD, (uint32)card->rca << 16, SD_R2) < 0 ||
      read_capacity(card, c.resp) < 0)
    return -1;
  if (command(card, &c, SELECT_CARD, (uint32)card->rca << 16, SD_R1B) < 0)
    return -1;
  // SDSC cards take a block length; SDHC and SDXC always use 512 bytes.
  if (!card->high_capacity && command(card, &c, SET_BLOCKLEN, SD_BLOCK, SD_R1) < 0)
    return -1;
  if (host->max_bus_width >= 4) {
    if (app_command(card, &c, SET_BUS_WIDTH, 2, SD_R1) < 0 || host->set_bus_width(host, 4) < 0)
      return -1;
    card->bus_width = 4;
  } else {
    card->bus_width = 1;
  }
  return host->set_clock(host, DEFAULT_SPEED_HZ);
}

// After a write: the card programs its flash, then returns to the transfer
// state, where its status tells whether the write worked.
static int wait_programmed(struct sd_card *card, uint32 write_command)
{
  struct sd_host *host = card->host;
  struct sd_command c;
  if (host->wait_ready(host) < 0)
    return fail(host, write_command, host->error);
  uint64 deadline = host->now(host) + CARD_TIMEOUT_SECONDS * host->hz;
  for (;;) {
    if (command(card, &c, SEND_STATUS, (uint32)card->rca << 16, SD_R1) < 0)
      return -1;
    if (R1_STATE(c.resp[0]) == STATE_TRAN && (c.resp[0] & R1_READY_FOR_DATA))
      return 0;
    if (host->now(host) > deadline)
      return fail(host, SEND_STATUS, "the card stays busy after a write");
  }
}

int sd_rw(struct sd_card *card, uint64 sector, void *buf, uint32 count, int write)
{
  struct sd_host *host = card->host;
  host->error = 0;
  host->error_cmd = -1;
  if (sector >= card->sectors || count > card->sectors - sector)
    return fail(host, -1, "past the end of the card");
  if (count == 0)
    return 0;
  int multiple = count > 1;
  struct sd_command c = {
    .index = write ? (multiple ? WRITE_MULTIPLE_BLOCK : WRITE_BLOCK)
                   : (multiple ? READ_MULTIPLE_BLOCK : READ_SINGLE_BLOCK),
    .arg = (uint32)(card->high_capacity ? sector : sector * SD_BLOCK),
    .response = SD_R1,
    .buf = buf,
    .blocks = count,
    .write = write,
  };
  int r = run(card, &c);
  if (multiple) {
    // Sent after a failure too: it returns the card to the transfer state.
    const char *error = host->error;
    int error_cmd = host->error_cmd;
    struct sd_command stop = { .index = STOP_TRANSMISSION, .response = SD_R1B, .stop = 1 };
    int stopped = run(card, &stop);
    if (r < 0)
      fail(host, error_cmd, error);   // the first error is the one to report
    else
      r = stopped;
  }
  if (r == 0 && write)
    r = wait_programmed(card, c.index);
  return r;
}

int sd_transfer(struct sd_card *card, uint64 sector, const struct disk_segment *segs, int nseg,
                int write)
{
  for (int i = 0; i < nseg; i++) {
    uint32 count = segs[i].len / SD_BLOCK;
    if (sd_rw(card, sector, segs[i].data, count, write) < 0)
      return -1;
    sector += count;
  }
  return 0;
}
