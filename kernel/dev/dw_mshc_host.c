// The DesignWare MSHC's command path and FIFO, polled.  Register layout
// from the public descriptions in Linux (drivers/mmc/host/dw_mmc.h) and
// U-Boot (include/dwmmc.h).  One command at a time: write its argument
// and flags, set start_cmd, wait for command-done; for data, move FIFO
// entries while the card streams, until data-transfer-over.
#include "types.h"
#include "lib/lib.h"
#include "dev/dw_mshc_host.h"

enum {
  CTRL = 0x00, PWREN = 0x04, CLKDIV = 0x08, CLKSRC = 0x0c, CLKENA = 0x10, TMOUT = 0x14,
  CTYPE = 0x18, BLKSIZ = 0x1c, BYTCNT = 0x20, INTMASK = 0x24, CMDARG = 0x28, CMD = 0x2c,
  RESP0 = 0x30, RINTSTS = 0x44, STATUS = 0x48, FIFOTH = 0x4c, VERID = 0x6c, HCON = 0x70,
  BMOD = 0x80,
};

// CTRL
#define CTRL_RESET       (1u << 0)
#define CTRL_FIFO_RESET  (1u << 1)
#define CTRL_DMA_RESET   (1u << 2)
#define CTRL_INT_ENABLE  (1u << 4)
#define CTRL_DMA_ENABLE  (1u << 5)
#define CTRL_USE_IDMAC   (1u << 25)
// CLKENA
#define CLKENA_ON        (1u << 0)
// CTYPE
#define CTYPE_4BIT       (1u << 0)
// CMD
#define CMD_RESP_EXPECT  (1u << 6)
#define CMD_RESP_LONG    (1u << 7)
#define CMD_CHECK_CRC    (1u << 8)
#define CMD_DATA         (1u << 9)
#define CMD_WRITE        (1u << 10)
#define CMD_WAIT_PRVDATA (1u << 13)
#define CMD_STOP_ABORT   (1u << 14)
#define CMD_SEND_INIT    (1u << 15)
#define CMD_UPDATE_CLOCK (1u << 21)
#define CMD_USE_HOLD_REG (1u << 29)
#define CMD_START        (1u << 31)
// RINTSTS (and INTMASK)
#define INT_RE     (1u << 1)    // response error
#define INT_CD     (1u << 2)    // command done
#define INT_DTO    (1u << 3)    // data transfer over
#define INT_TXDR   (1u << 4)    // FIFO at or below the transmit watermark
#define INT_RXDR   (1u << 5)    // FIFO above the receive watermark
#define INT_RCRC   (1u << 6)
#define INT_DCRC   (1u << 7)
#define INT_RTO    (1u << 8)    // response timeout
#define INT_DRTO   (1u << 9)    // data read timeout
#define INT_HTO    (1u << 10)   // data starvation by host timeout
#define INT_FRUN   (1u << 11)   // FIFO underrun or overrun
#define INT_HLE    (1u << 12)   // hardware locked write error
#define INT_SBE    (1u << 13)   // start-bit error
#define INT_EBE    (1u << 15)   // end-bit error (read), no CRC status (write)
// STATUS
#define STATUS_DATA_BUSY (1u << 9)
#define STATUS_FIFO_COUNT(s) (((s) >> 17) & 0x1fff)
// HCON
#define HCON_DATA_WIDTH(h) (((h) >> 7) & 7)   // 0: 16 bits, 1: 32, 2: 64
// From version 2.40a on the FIFO moved from 0x100 to 0x200.
#define VERSION_FIFO_AT_200 0x240a

// Milliseconds.  The card answers a command within 64 clocks, and the
// controller reports that itself (RTO); these bound a controller that
// stops answering.  Data: no progress for a second.
#define CONTROLLER_TIMEOUT 100
#define DATA_TIMEOUT       1000
#define BUSY_TIMEOUT       1000

#define BLOCK 512

static uint32 rd(struct dw_mshc *h, uint32 offset)
{
  return h->io.read32(h->io.ctx, offset);
}

static void wr(struct dw_mshc *h, uint32 offset, uint32 value)
{
  h->io.write32(h->io.ctx, offset, value);
}

static uint64 now(struct dw_mshc *h)
{
  return h->io.now(h->io.ctx);
}

static uint64 after_ms(struct dw_mshc *h, uint64 ms)
{
  return now(h) + ms * h->io.hz / 1000;
}

static int fail(struct dw_mshc *h, const char *why)
{
  h->sd.error = why;
  return -1;
}

// Polls until (offset & mask) == want: 0, or -1 after ms.
static int wait_for(struct dw_mshc *h, uint32 offset, uint32 mask, uint32 want, uint64 ms)
{
  uint64 deadline = after_ms(h, ms);
  while ((rd(h, offset) & mask) != want)
    if (now(h) > deadline)
      return -1;
  return 0;
}

// The reset bits of CTRL clear themselves when done.
static int reset(struct dw_mshc *h, uint32 bits)
{
  wr(h, CTRL, rd(h, CTRL) | bits);
  if (wait_for(h, CTRL, bits, 0, CONTROLLER_TIMEOUT) < 0)
    return fail(h, "the controller does not finish its reset");
  return 0;
}

// Clock registers take effect when a command with update_clock_only set
// carries them to the card side; start_cmd clears when it has.
static int update_clock(struct dw_mshc *h)
{
  wr(h, CMD, CMD_START | CMD_UPDATE_CLOCK | CMD_WAIT_PRVDATA | CMD_USE_HOLD_REG);
  if (wait_for(h, CMD, CMD_START, 0, CONTROLLER_TIMEOUT) < 0)
    return fail(h, "the controller does not take the clock change");
  if (rd(h, RINTSTS) & INT_HLE) {
    wr(h, RINTSTS, INT_HLE);
    return fail(h, "the controller refused the clock change (hardware locked)");
  }
  return 0;
}

// The card clock is bus_hz / (2 * CLKDIV), or bus_hz when CLKDIV is 0.
static int set_clock(struct sd_host *sd, uint32 hz)
{
  struct dw_mshc *h = (struct dw_mshc *)sd;
  uint32 div = h->bus_hz <= hz ? 0 : (h->bus_hz + 2 * hz - 1) / (2 * hz);
  if (div > 0xff)
    div = 0xff;
  wr(h, CLKENA, 0);
  if (update_clock(h) < 0)
    return -1;
  wr(h, CLKSRC, 0);
  wr(h, CLKDIV, div);
  if (update_clock(h) < 0)
    return -1;
  wr(h, CLKENA, CLKENA_ON);
  return update_clock(h);
}

static int set_bus_width(struct sd_host *sd, int width)
{
  struct dw_mshc *h = (struct dw_mshc *)sd;
  wr(h, CTYPE, width == 4 ? CTYPE_4BIT : 0);
  return 0;
}

static int wait_ready(struct sd_host *sd)
{
  struct dw_mshc *h = (struct dw_mshc *)sd;
  if (wait_for(h, STATUS, STATUS_DATA_BUSY, 0, BUSY_TIMEOUT) < 0)
    return fail(h, "the card stays busy (DAT0 held low)");
  return 0;
}

static uint32 command_flags(const struct sd_command *c)
{
  uint32 flags = CMD_START | CMD_USE_HOLD_REG | (c->index & 0x3f);
  if (c->index == 0)
    flags |= CMD_SEND_INIT;   // 80 clocks first, for a card just powered
  // A stop must go out while data moves; anything else waits for it.
  flags |= c->stop ? CMD_STOP_ABORT : CMD_WAIT_PRVDATA;
  if (c->response != SD_R0)
    flags |= CMD_RESP_EXPECT;
  if (c->response == SD_R2)
    flags |= CMD_RESP_LONG;
  // R3 (the OCR) carries no CRC.
  if (c->response != SD_R0 && c->response != SD_R3)
    flags |= CMD_CHECK_CRC;
  if (c->blocks)
    flags |= CMD_DATA | (c->write ? CMD_WRITE : 0);
  return flags;
}

#define DATA_ERRORS (INT_DCRC | INT_DRTO | INT_HTO | INT_FRUN | INT_SBE | INT_EBE)

static int data_error(struct dw_mshc *h, uint32 status)
{
  reset(h, CTRL_FIFO_RESET);
  if (status & INT_DCRC)
    return fail(h, "data CRC error");
  if (status & INT_DRTO)
    return fail(h, "data timeout (the card sent no data)");
  if (status & INT_EBE)
    return fail(h, "end-bit error, or the card did not acknowledge written data");
  if (status & INT_SBE)
    return fail(h, "start-bit error");
  if (status & INT_HTO)
    return fail(h, "the FIFO was not served in time");
  return fail(h, "FIFO underrun or overrun");
}

static void fifo_get(struct dw_mshc *h, uint8 *p)
{
  if (h->fifo_width == 8) {
    uint64 v = h->io.read64(h->io.ctx, h->fifo_offset);
    memmove(p, &v, 8);
  } else {
    uint32 v = rd(h, h->fifo_offset);
    memmove(p, &v, 4);
  }
}

static void fifo_put(struct dw_mshc *h, const uint8 *p)
{
  if (h->fifo_width == 8) {
    uint64 v;
    memmove(&v, p, 8);
    h->io.write64(h->io.ctx, h->fifo_offset, v);
  } else {
    uint32 v;
    memmove(&v, p, 4);
    wr(h, h->fifo_offset, v);
  }
}

// Empties the FIFO as the card fills it, until data-transfer-over and an
// empty FIFO.  The deadline moves with every entry that arrives.
static int read_data(struct dw_mshc *h, uint8 *p, uint32 bytes)
{
  uint64 deadline = after_ms(h, DATA_TIMEOUT);
  for (;;) {
    uint32 status = rd(h, RINTSTS);
    if (status & DATA_ERRORS)
      return data_error(h, status);
    uint32 n = STATUS_FIFO_COUNT(rd(h, STATUS));
    if (n > bytes / h->fifo_width)
      return data_error(h, INT_FRUN);   // more than we asked for
    if (n > 0) {
      for (uint32 i = 0; i < n; i++, p += h->fifo_width)
        fifo_get(h, p);
      bytes -= n * h->fifo_width;
      wr(h, RINTSTS, INT_RXDR);
      deadline = after_ms(h, DATA_TIMEOUT);
    } else if (status & INT_DTO) {
      break;
    } else if (now(h) > deadline) {
      return fail(h, "data timeout (the card sent no data)");
    }
  }
  if (bytes)
    return fail(h, "the transfer ended early");
  return 0;
}

// Fills the FIFO as the card drains it, then waits for data-transfer-over.
static int write_data(struct dw_mshc *h, const uint8 *p, uint32 bytes)
{
  uint64 deadline = after_ms(h, DATA_TIMEOUT);
  for (;;) {
    uint32 status = rd(h, RINTSTS);
    if (status & DATA_ERRORS)
      return data_error(h, status);
    uint32 room = h->fifo_depth - STATUS_FIFO_COUNT(rd(h, STATUS));
    if (bytes > 0 && room > 0) {
      uint32 n = bytes / h->fifo_width < room ? bytes / h->fifo_width : room;
      for (uint32 i = 0; i < n; i++, p += h->fifo_width)
        fifo_put(h, p);
      bytes -= n * h->fifo_width;
      wr(h, RINTSTS, INT_TXDR);
      deadline = after_ms(h, DATA_TIMEOUT);
    } else if (bytes == 0 && (status & INT_DTO)) {
      return 0;
    } else if (now(h) > deadline) {
      return fail(h, bytes ? "data timeout (the card takes no data)"
                           : "data timeout (the write never finished)");
    }
  }
}

static int command(struct sd_host *sd, struct sd_command *c)
{
  struct dw_mshc *h = (struct dw_mshc *)sd;
  if (wait_for(h, CMD, CMD_START, 0, CONTROLLER_TIMEOUT) < 0)
    return fail(h, "the controller is stuck on the previous command");
  if (c->blocks) {
    if (wait_ready(sd) < 0 || reset(h, CTRL_FIFO_RESET) < 0)
      return -1;
    wr(h, BLKSIZ, BLOCK);
    wr(h, BYTCNT, c->blocks * BLOCK);
  }
  wr(h, RINTSTS, ~0u);
  wr(h, CMDARG, c->arg);
  wr(h, CMD, command_flags(c));

  uint32 status;
  uint64 deadline = after_ms(h, CONTROLLER_TIMEOUT);
  while (!((status = rd(h, RINTSTS)) & (INT_CD | INT_HLE)))
    if (now(h) > deadline)
      return fail(h, "the controller never finished the command");
  wr(h, RINTSTS, INT_CD);
  if (status & INT_HLE)
    return fail(h, "the controller refused the command (hardware locked)");
  if (status & INT_RTO)
    return fail(h, "no response (timeout)");
  if (status & INT_RCRC)
    return fail(h, "response CRC error");
  if (status & INT_RE)
    return fail(h, "response error");

  c->resp[0] = rd(h, RESP0);
  if (c->response == SD_R2)
    for (int i = 1; i < 4; i++)
      c->resp[i] = rd(h, RESP0 + 4 * i);
  if (!c->blocks)
    return 0;
  uint32 bytes = c->blocks * BLOCK;
  return c->write ? write_data(h, c->buf, bytes) : read_data(h, c->buf, bytes);
}

static uint64 host_now(struct sd_host *sd)
{
  return now((struct dw_mshc *)sd);
}

int dw_mshc_init(struct dw_mshc *h, const struct dw_mshc_io *io, const struct dw_mshc_config *cfg)
{
  *h = (struct dw_mshc){
    .sd = {
      .command = command, .set_clock = set_clock, .set_bus_width = set_bus_width,
      .wait_ready = wait_ready, .now = host_now, .hz = io->hz,
      .max_bus_width = cfg->bus_width ? cfg->bus_width : 1, .error_cmd = -1,
    },
    .io = *io,
    .bus_hz = cfg->bus_hz,
  };
  h->version = rd(h, VERID) & 0xffff;
  switch (HCON_DATA_WIDTH(rd(h, HCON))) {
  case 1: h->fifo_width = 4; break;
  case 2: h->fifo_width = 8; break;
  default: return fail(h, "a FIFO neither 32 nor 64 bits wide is not supported");
  }
  h->fifo_offset = cfg->data_addr ? cfg->data_addr
                   : h->version >= VERSION_FIFO_AT_200 ? 0x200 : 0x100;
  // FIFOTH's receive watermark resets to depth - 1; the firmware may
  // have changed it since, so the device tree's word comes first.
  h->fifo_depth = cfg->fifo_depth ? cfg->fifo_depth : ((rd(h, FIFOTH) >> 16) & 0xfff) + 1;
  if (h->fifo_depth < 2)
    return fail(h, "FIFO depth unknown");

  if (reset(h, CTRL_RESET | CTRL_FIFO_RESET | CTRL_DMA_RESET) < 0)
    return -1;
  wr(h, CTRL, rd(h, CTRL) & ~(CTRL_INT_ENABLE | CTRL_DMA_ENABLE | CTRL_USE_IDMAC));
  wr(h, BMOD, 0);
  wr(h, INTMASK, 0);
  wr(h, RINTSTS, ~0u);
  wr(h, TMOUT, ~0u);   // longest response and data timeouts
  // Transmit requests when half empty, receive requests when half full.
  wr(h, FIFOTH, ((h->fifo_depth / 2 - 1) << 16) | (h->fifo_depth / 2));
  wr(h, PWREN, 1);
  return 0;
}
