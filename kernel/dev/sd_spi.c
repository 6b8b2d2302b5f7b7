// compatible: "mmc-spi-slot" (a child of an SPI controller's node)
//
// An SD memory card in SPI mode, as the SD Physical Layer Simplified
// Specification (chapter 7) describes it: bring-up (CMD0, CMD8, ACMD41,
// CMD58, CMD16, CMD9), then single- and multi-block reads and writes.
// The protocol's arithmetic (frames, CRCs, responses) is dev/sd_proto.c;
// the bytes move through whichever SPI controller found the slot.
//
// Every transfer is polled (see dev/sifive_spi.c for why) and holds the
// card's sleeplock from its command to the card's last busy byte, since
// an SD card in SPI mode does one thing at a time.  Waits that can be long
// (a block being read from flash, a block being programmed) give the
// hart to other processes between polls.
#include "types.h"
#include "riscv.h"
#include "platform.h"
#include "printf.h"
#include "proc.h"
#include "sleeplock.h"
#include "lib/lib.h"
#include "dev/blockdev.h"
#include "dev/spi.h"
#include "dev/sd_proto.h"
#include "dev/sd_spi.h"

// The clock while the card starts up must be 100-400 kHz (7.2.1); after
// that, the slot's spi-max-frequency (25 MHz, the SPI mode maximum, if the
// device tree does not say).
#define INIT_CLOCK_HZ 400000
#define DEFAULT_CLOCK_HZ 25000000
// Time limits (4.6.2): a read within 100 ms, a block programmed within
// 250 ms (we allow 500), initialisation (ACMD41) within 1 s.
#define READ_TIMEOUT_MS 100
#define WRITE_TIMEOUT_MS 500
#define INIT_TIMEOUT_MS 1000
// A response (R1) comes 1 to 8 bytes after the command (Ncr).
#define NCR_MAX 9
// Polls between chances for other processes to run.
#define POLLS_PER_YIELD 64

#define MAX_CARDS 2

struct sd_card {
  struct blockdev dev;
  struct spi_bus *bus;
  uint32 cs;
  uint32 clock_hz;
  int block_addressing;   // SDHC/SDXC: commands take sector numbers; SDSC: byte offsets
  struct sleeplock lock;
};

static struct sd_card cards[MAX_CARDS];
static int ncards;

static int spi_bytes(struct sd_card *c, const uint8 *tx, uint8 *rx, uint32 n)
{
  return c->bus->exchange(c->bus, tx, rx, n);
}

// One byte clocked in while sending 0xff, or -1 if the controller failed.
static int spi_byte(struct sd_card *c)
{
  uint8 b;
  return spi_bytes(c, 0, &b, 1) < 0 ? -1 : b;
}

static void select_card(struct sd_card *c)
{
  c->bus->select(c->bus, c->cs, 1);
}

// The card lets go of its data-out line only on a clock edge after chip
// select is released: one more byte.
static void deselect_card(struct sd_card *c)
{
  c->bus->select(c->bus, c->cs, 0);
  spi_byte(c);
}

// Polls until a byte is 0xff (want_ff: the card is no longer busy) or is
// not (a token or response has come), for at most timeout_ms; the byte is
// left in *got.  0, or -1 on timeout.
static int wait_byte(struct sd_card *c, int want_ff, uint32 timeout_ms, uint8 *got)
{
  uint64 deadline = r_time() + platform.timebase_hz * timeout_ms / 1000;
  for (uint32 polls = 1;; polls++) {
    int b = spi_byte(c);
    if (b < 0)
      return -1;
    *got = (uint8)b;
    if ((b == 0xff) == want_ff)
      return 0;
    if (polls % POLLS_PER_YIELD == 0) {
      if (r_time() > deadline)
        return -1;
      if (myproc())
        yield();
    }
  }
}

// Sends a command with the card selected and reads its R1 into *r1.
// 0, or -1 if no response came.
// Except for CMD12, which interrupts a read, a command waits until the
// card is ready for one: its data-out line high for a whole byte, which
// also ends the previous response (a card may send more after R1).
static int command(struct sd_card *c, uint8 cmd, uint32 arg, uint8 *r1)
{
  uint8 frame[SD_COMMAND_LEN], ready;
  sd_command_frame(frame, cmd, arg);
  if (cmd != SD_STOP_TRANSMISSION && wait_byte(c, 1, WRITE_TIMEOUT_MS, &ready) < 0)
    return -1;
  if (spi_bytes(c, frame, 0, sizeof frame) < 0)
    return -1;
  // CMD12 is sent while a block streams in: the byte after it is junk.
  if (cmd == SD_STOP_TRANSMISSION && spi_byte(c) < 0)
    return -1;
  for (int i = 0; i < NCR_MAX; i++) {
    int b = spi_byte(c);
    if (b < 0)
      return -1;
    if (!(b & 0x80)) {
      *r1 = (uint8)b;
      return 0;
    }
  }
  return -1;
}

// An application command (ACMDn): CMD55, then the command.
static int app_command(struct sd_card *c, uint8 cmd, uint32 arg, uint8 *r1)
{
  if (command(c, SD_APP_CMD, 0, r1) < 0 || (*r1 & ~SD_R1_IDLE))
    return -1;
  return command(c, cmd, arg, r1);
}

// The 4 bytes after R1 in an R3 or R7 response, big-endian.
static int response_word(struct sd_card *c, uint32 *word)
{
  uint8 b[4];
  if (spi_bytes(c, 0, b, 4) < 0)
    return -1;
  *word = (uint32)b[0] << 24 | (uint32)b[1] << 16 | (uint32)b[2] << 8 | b[3];
  return 0;
}

// Reads one data block of n bytes (start token, data, CRC16) into buf.
// 0, or the reason it failed.
static const char *read_block(struct sd_card *c, uint8 *buf, uint32 n)
{
  uint8 token, crc[2];
  if (wait_byte(c, 0, READ_TIMEOUT_MS, &token) < 0)
    return "no data token from the card";
  if (token != SD_TOKEN_START) {
    const char *why = sd_read_error_token(token);
    return why ? why : "bad data token from the card";
  }
  if (spi_bytes(c, 0, buf, n) < 0 || spi_bytes(c, 0, crc, 2) < 0)
    return "SPI controller stopped answering";
  if (sd_crc16(buf, n) != (uint16)(crc[0] << 8 | crc[1]))
    return "data CRC mismatch";
  return 0;
}

// Sends one data block of SECTOR_SIZE bytes after token, then waits until
// the card has programmed it.  0, or the reason it failed.
static const char *write_block(struct sd_card *c, uint8 token, const uint8 *buf)
{
  uint16 crc = sd_crc16(buf, SECTOR_SIZE);
  uint8 crc_bytes[2] = { (uint8)(crc >> 8), (uint8)crc };
  uint8 response, busy;
  if (spi_bytes(c, &token, 0, 1) < 0 || spi_bytes(c, buf, 0, SECTOR_SIZE) < 0 ||
      spi_bytes(c, crc_bytes, 0, 2) < 0 || wait_byte(c, 0, READ_TIMEOUT_MS, &response) < 0)
    return "no data response from the card";
  const char *why = sd_data_response_error(response);
  if (why)
    return why;
  if (wait_byte(c, 1, WRITE_TIMEOUT_MS, &busy) < 0)
    return "card busy for too long after a write";
  return 0;
}

// Walks the sectors of a request: the i-th 512 bytes of its segments.
static uint8 *sector_buffer(const struct disk_segment *segs, uint32 i)
{
  uint64 offset = (uint64)i * SECTOR_SIZE;
  while (offset >= segs->len) {
    offset -= segs->len;
    segs++;
  }
  return (uint8 *)segs->data + offset;
}

// Runs one read or write of count sectors, the card selected.
static const char *transfer_selected(struct sd_card *c, uint64 sector, uint32 count,
                                     const struct disk_segment *segs, int write)
{
  uint32 address = (uint32)(c->block_addressing ? sector : sector * SECTOR_SIZE);
  uint8 r1, busy;
  uint8 cmd = write ? (count == 1 ? SD_WRITE_BLOCK : SD_WRITE_MULTIPLE_BLOCK)
                    : (count == 1 ? SD_READ_SINGLE_BLOCK : SD_READ_MULTIPLE_BLOCK);
  const char *why = 0;

  if (command(c, cmd, address, &r1) < 0)
    return "no response to the command (or the card stays busy)";
  if ((why = sd_r1_error(r1)) != 0 || r1 != 0)
    return why ? why : "card not ready";

  if (!write) {
    for (uint32 i = 0; i < count && !why; i++)
      why = read_block(c, sector_buffer(segs, i), SECTOR_SIZE);
    if (count > 1 && (command(c, SD_STOP_TRANSMISSION, 0, &r1) < 0 ||
                      wait_byte(c, 1, WRITE_TIMEOUT_MS, &busy) < 0) && !why)
      why = "no response to STOP_TRANSMISSION";
    return why;
  }
  // A byte's gap between the command's response and the first token.
  if (spi_byte(c) < 0)
    return "SPI controller stopped answering";
  uint8 token = count == 1 ? SD_TOKEN_START : SD_TOKEN_START_MULTI;
  for (uint32 i = 0; i < count && !why; i++)
    why = write_block(c, token, sector_buffer(segs, i));
  if (count > 1) {
    uint8 stop = SD_TOKEN_STOP_MULTI;
    if ((spi_bytes(c, &stop, 0, 1) < 0 || spi_byte(c) < 0 ||
         wait_byte(c, 1, WRITE_TIMEOUT_MS, &busy) < 0) && !why)
      why = "card busy for too long after the stop token";
  }
  return why;
}

static int sd_transfer(struct blockdev *dev, uint64 sector, const struct disk_segment *segs,
                       int nseg, int write)
{
  struct sd_card *c = dev->driver;
  uint64 bytes = 0;
  for (int i = 0; i < nseg; i++)
    bytes += segs[i].len;
  uint32 count = (uint32)(bytes / SECTOR_SIZE);
  if (count == 0 || sector + count > dev->sectors)
    return -1;

  acquiresleep(&c->lock);
  select_card(c);
  const char *why = transfer_selected(c, sector, count, segs, write);
  deselect_card(c);
  releasesleep(&c->lock);
  if (why) {
    printf("sd: %s: %s of %d sectors at %ld failed: %s\n", dev->name, write ? "write" : "read",
           (int)count, (long)sector, why);
    return -1;
  }
  return 0;
}

// Brings the card up (7.2.1, figure 7-2).  0, or the reason it failed.
static const char *start_card(struct sd_card *c, const char **kind)
{
  uint8 r1, csd[SD_CSD_LEN];
  uint32 word;
  const char *why;

  // 74 or more clocks with chip select high put the card in native mode,
  // ready for CMD0; with chip select low, CMD0 switches it to SPI mode.
  c->bus->set_clock(c->bus, INIT_CLOCK_HZ);
  uint8 ones[10];
  memset(ones, 0xff, sizeof ones);
  c->bus->select(c->bus, c->cs, 0);
  if (spi_bytes(c, ones, 0, sizeof ones) < 0)
    return "the SPI controller does not answer";
  select_card(c);
  if (command(c, SD_GO_IDLE_STATE, 0, &r1) < 0 || r1 != SD_R1_IDLE)
    return "no card answers GO_IDLE_STATE (CMD0): is a card in the slot?";

  // CMD8: a version 2.00 card echoes the voltage and check pattern; an
  // older one calls the command illegal and cannot be high capacity.
  // QEMU 7.2's card sends R1 alone: with nothing after it the line stays
  // high, and the card is taken as version 2.00.
  if (command(c, SD_SEND_IF_COND, SD_IF_COND_ARG, &r1) < 0)
    return "no response to SEND_IF_COND (CMD8)";
  int v2 = !(r1 & SD_R1_ILLEGAL_COMMAND);
  if (v2 && (response_word(c, &word) < 0 ||
             (word != 0xffffffff && (word & 0xfff) != SD_IF_COND_ARG)))
    return "the card does not accept 2.7-3.6 V (CMD8)";

  uint64 deadline = r_time() + platform.timebase_hz * INIT_TIMEOUT_MS / 1000;
  do {
    if (app_command(c, SD_APP_SEND_OP_COND, v2 ? SD_OCR_HCS : 0, &r1) < 0)
      return "no response to SD_SEND_OP_COND (ACMD41)";
    if ((why = sd_r1_error(r1)) != 0)
      return why;
    if (r1 != 0 && r_time() > deadline)
      return "the card stays idle after 1 s of SD_SEND_OP_COND (ACMD41)";
  } while (r1 != 0);

  c->block_addressing = 0;
  if (v2) {
    // QEMU's card sets the idle bit in this R1 even after start-up.
    if (command(c, SD_READ_OCR, 0, &r1) < 0 || sd_r1_error(r1) || response_word(c, &word) < 0)
      return "no response to READ_OCR (CMD58)";
    c->block_addressing = (word & SD_OCR_POWER_UP) && (word & SD_OCR_CCS);
  }
  *kind = c->block_addressing ? "SDHC/SDXC" : v2 ? "SDSC" : "SDSC version 1";
  // Byte-addressed cards may start with another block length.
  if (!c->block_addressing &&
      (command(c, SD_SET_BLOCKLEN, SECTOR_SIZE, &r1) < 0 || r1 != 0))
    return "the card refuses 512-byte blocks (CMD16)";

  if (command(c, SD_SEND_CSD, 0, &r1) < 0 || r1 != 0)
    return "no response to SEND_CSD (CMD9)";
  if ((why = read_block(c, csd, sizeof csd)) != 0)
    return why;
  c->dev.sectors = sd_csd_sectors(csd);
  if (c->dev.sectors == 0)
    return "the card's CSD register has an unknown version";
  return 0;
}

void sd_spi_attach(struct spi_bus *bus, const struct dt_device *slot)
{
  if (ncards == MAX_CARDS) {
    printf("sd: card slot on the SPI controller at %p ignored\n", (void *)bus->base);
    return;
  }
  struct sd_card *c = &cards[ncards];
  c->bus = bus;
  c->cs = dt_cell(slot, "reg", 0);
  c->clock_hz = dt_cell(slot, "spi-max-frequency", DEFAULT_CLOCK_HZ);
  safestrcpy(c->dev.name, "mmcblk0", sizeof c->dev.name);
  c->dev.name[6] = (char)('0' + ncards);

  const char *kind = 0;
  const char *why = start_card(c, &kind);
  deselect_card(c);
  if (why) {
    printf("sd: %s: no SD card on the SPI controller at %p (chip select %d): %s\n", c->dev.name,
           (void *)bus->base, (int)c->cs, why);
    return;
  }
  bus->set_clock(bus, c->clock_hz);
  sleeplock_init(&c->lock, "sd card");
  c->dev.transfer = sd_transfer;
  c->dev.driver = c;
  ncards++;
  printf("sd: %s: %s card, %ld MiB, over SPI at %p (chip select %d, %d kHz)\n", c->dev.name,
         kind, (long)(c->dev.sectors >> 11), (void *)bus->base, (int)c->cs,
         (int)(c->clock_hz / 1000));
  blockdev_register(&c->dev);
}
