// The DW MSHC and SD card model (dw_mshc_model.h).
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "dw_mshc_model.h"

// Registers, from the DesignWare MSHC register map.
enum {
  R_CTRL = 0x00, R_PWREN = 0x04, R_CLKDIV = 0x08, R_CLKSRC = 0x0c, R_CLKENA = 0x10,
  R_TMOUT = 0x14, R_CTYPE = 0x18, R_BLKSIZ = 0x1c, R_BYTCNT = 0x20, R_INTMASK = 0x24,
  R_CMDARG = 0x28, R_CMD = 0x2c, R_RESP0 = 0x30, R_RESP1 = 0x34, R_RESP2 = 0x38,
  R_RESP3 = 0x3c, R_MINTSTS = 0x40, R_RINTSTS = 0x44, R_STATUS = 0x48, R_FIFOTH = 0x4c,
  R_CDETECT = 0x50, R_USRID = 0x68, R_VERID = 0x6c, R_HCON = 0x70, R_BMOD = 0x80,
};
// CTRL
#define C_RESET (1u << 0)
#define C_FIFO_RESET (1u << 1)
#define C_DMA_RESET (1u << 2)
#define C_DMA_ENABLE (1u << 5)
#define C_USE_IDMAC (1u << 25)
// CMD
#define K_RESP_EXP (1u << 6)
#define K_RESP_LONG (1u << 7)
#define K_CHECK_CRC (1u << 8)
#define K_DATA_EXP (1u << 9)
#define K_WRITE (1u << 10)
#define K_STOP_ABORT (1u << 14)
#define K_UPDATE_CLOCK (1u << 21)
#define K_USE_HOLD_REG (1u << 29)
#define K_START (1u << 31)
// RINTSTS
#define I_CMD_DONE (1u << 2)
#define I_DTO (1u << 3)
#define I_TXDR (1u << 4)
#define I_RXDR (1u << 5)
#define I_RCRC (1u << 6)
#define I_DCRC (1u << 7)
#define I_RTO (1u << 8)
#define I_FRUN (1u << 11)

// Card states (SD spec 4.3, table 4-42's CURRENT_STATE numbers).
enum state { IDLE, READY, IDENT, STBY, TRAN, DATA, RCV, PRG };
static const char *state_names[] = { "idle", "ready", "ident", "stby", "tran", "data", "rcv", "prg" };

// What a command gets back on the CMD line.
enum answer { NONE, SHORT, SHORT_NO_CRC, LONG };

#define BUSY_TICKS 40   // how long the card programs after a write
// The card bus moves data in bursts, up to BURST entries every 2 * BURST
// ticks: slower than the driver, so a driver that overfills the FIFO
// overflows it, and a burst can end a read with the FIFO still holding data.
#define BURST 8
#define POWERUP_POLLS 3 // ACMD41s answered "still busy"
#define RCA 0xb368

struct priv {
  uint32_t ctrl, pwren, clkdiv, clksrc, clkena, tmout, ctype, blksiz, bytcnt, intmask;
  uint32_t cmdarg, cmd, resp[4], rintsts, fifoth, bmod;
  uint32_t card_clock;        // Hz, as last carried over by an update-clock command
  uint64_t fifo[4096];
  int head, count;
  // The data transfer under way.
  int active, writing, multi, crc_error;
  uint64_t pos;               // byte offset in storage
  uint32_t left;              // bytes still to cross the card bus
  // The card.
  enum state state;
  uint32_t rca, blocklen;
  int app, bus4, powerup_polls;
  long busy;                  // ticks of DAT0 busy left; -1: for ever
  uint32_t cid[4], csd[4];
};

static void violation(struct model *m, const char *fmt, ...)
{
  if (m->violations++ == 0) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->first_violation, sizeof m->first_violation, fmt, ap);
    va_end(ap);
  }
}

static void set_bits(uint32_t *reg, int hi, int lo, uint32_t v)
{
  for (int bit = lo; bit <= hi; bit++, v >>= 1)
    if (v & 1)
      reg[bit / 32] |= 1u << (bit % 32);
}

struct model *model_new(struct model_config cfg)
{
  struct model *m = calloc(1, sizeof *m);
  struct priv *s = calloc(1, sizeof *s);
  m->cfg = cfg;
  m->priv = s;
  m->faults.no_response_cmd = -1;
  m->sectors = cfg.card == CARD_SDSC_V1 ? 4096 : 8192;
  m->storage = calloc(m->sectors, 512);
  // As U-Boot leaves it: powered, 25 MHz, 4-bit, the card selected.
  s->pwren = 1;
  s->clkena = 1;
  s->clkdiv = cfg.ciu_hz / 50000000 ? cfg.ciu_hz / 50000000 : 1;
  s->card_clock = cfg.ciu_hz / (2 * s->clkdiv);
  s->ctype = 1;
  s->fifoth = (uint32_t)(cfg.fifo_depth - 1) << 16;
  s->state = TRAN;
  s->rca = RCA;
  s->bus4 = 1;
  s->blocklen = 512;
  // CID: product name "VMSD1" in bits 103..64.
  const char *name = "VMSD1";
  for (int i = 0; i < 5; i++)
    set_bits(s->cid, 103 - 8 * i, 96 - 8 * i, (uint8_t)name[i]);
  set_bits(s->cid, 0, 0, 1);
  if (cfg.card == CARD_SDSC_V1) {
    // (C_SIZE + 1) << (C_SIZE_MULT + 2) blocks of 2^READ_BL_LEN bytes:
    // 512 << 2 blocks of 1 KiB.
    set_bits(s->csd, 83, 80, 10);
    set_bits(s->csd, 73, 62, 511);
    set_bits(s->csd, 49, 47, 0);
  } else {
    set_bits(s->csd, 127, 126, 1);
    set_bits(s->csd, 69, 48, (uint32_t)(m->sectors / 1024 - 1));   // 512 KiB units
  }
  set_bits(s->csd, 0, 0, 1);
  return m;
}

void model_free(struct model *m)
{
  free(m->storage);
  free(m->priv);
  free(m);
}

static uint32_t fifo_offset(struct model *m)
{
  return m->cfg.version >= 0x240a ? 0x200 : 0x100;
}

static void fifo_push(struct model *m, uint64_t v)
{
  struct priv *s = m->priv;
  if (s->count == m->cfg.fifo_depth) {
    s->rintsts |= I_FRUN;
    violation(m, "write to a full FIFO");
    return;
  }
  s->fifo[(s->head + s->count++) % m->cfg.fifo_depth] = v;
}

static uint64_t fifo_pop(struct model *m)
{
  struct priv *s = m->priv;
  if (s->count == 0) {
    s->rintsts |= I_FRUN;
    violation(m, "read from an empty FIFO");
    return 0;
  }
  uint64_t v = s->fifo[s->head];
  s->head = (s->head + 1) % m->cfg.fifo_depth;
  s->count--;
  return v;
}

static void start_busy(struct model *m)
{
  struct priv *s = m->priv;
  s->busy = m->faults.stuck_busy ? -1 : BUSY_TICKS;
  s->state = PRG;
}

// The card side moves one FIFO entry, if the FIFO lets it, and finishes
// the transfer after the last one.
static void move_entry(struct model *m)
{
  struct priv *s = m->priv;
  int w = m->cfg.fifo_width;
  if (!s->writing && s->count < m->cfg.fifo_depth) {
    uint64_t v = 0;
    for (int i = 0; i < w; i++)
      v |= (uint64_t)m->storage[s->pos + i] << (8 * i);
    fifo_push(m, v);
  } else if (s->writing && s->count > 0) {
    uint64_t v = fifo_pop(m);
    for (int i = 0; i < w; i++)
      m->storage[s->pos + i] = (uint8_t)(v >> (8 * i));
  } else {
    return;
  }
  s->pos += w;
  s->left -= w;
  if (s->left > 0)
    return;
  s->active = 0;
  s->rintsts |= I_DTO | (s->crc_error ? I_DCRC : 0);
  if (s->writing)
    start_busy(m);
  if (!s->multi)
    s->state = s->writing ? PRG : TRAN;
  else
    s->state = s->writing ? RCV : DATA;   // until CMD12
}

// One tick: the card finishes programming, moves data, and the watermark
// requests follow the FIFO's level.
static void tick(struct model *m)
{
  struct priv *s = m->priv;
  if (++m->ticks > MODEL_TICK_LIMIT) {
    printf("FAIL test_dw_mshc: still polling after %llu ticks: the driver loops forever\n",
           (unsigned long long)MODEL_TICK_LIMIT);
    exit(1);
  }
  if (s->busy > 0 && --s->busy == 0 && s->state == PRG)
    s->state = TRAN;
  if (m->ticks % (2 * BURST) == 0)
    for (int i = 0; i < BURST && s->active; i++)
      move_entry(m);
  uint32_t rx_mark = (s->fifoth >> 16) & 0xfff, tx_mark = s->fifoth & 0xfff;
  if (s->active && !s->writing && (uint32_t)s->count > rx_mark)
    s->rintsts |= I_RXDR;
  if (s->active && s->writing && (uint32_t)s->count <= tx_mark)
    s->rintsts |= I_TXDR;
}

uint64_t model_now(void *mv)
{
  struct model *m = mv;
  tick(m);
  return m->ticks;
}

static uint32_t card_status(struct priv *s)
{
  return (uint32_t)s->state << 9 | (s->state == TRAN ? 1u << 8 : 0) | (s->app ? 1u << 5 : 0);
}

// A block command: where, how much, and the controller set up for it.
static enum answer start_transfer(struct model *m, int index, uint32_t arg, uint32_t flags)
{
  struct priv *s = m->priv;
  int write = index == 24 || index == 25, multi = index == 18 || index == 25;
  uint64_t sector = arg;
  s->resp[0] = card_status(s);
  if (m->cfg.card == CARD_SDSC_V1) {
    if (arg % 512) {
      s->resp[0] |= 1u << 30;   // ADDRESS_ERROR
      return SHORT;
    }
    sector = arg / 512;
  }
  uint32_t blocks = s->bytcnt / 512;
  if (s->blksiz != 512 || s->bytcnt % 512 || blocks == 0 || (!multi && blocks != 1))
    violation(m, "CMD%d with BLKSIZ %u and BYTCNT %u", index, s->blksiz, s->bytcnt);
  if (s->blocklen != 512)
    violation(m, "CMD%d with a block length of %u", index, s->blocklen);
  if (!(flags & K_DATA_EXP) || !!(flags & K_WRITE) != write)
    violation(m, "CMD%d without data_expected or with the wrong direction", index);
  if (sector + blocks > m->sectors) {
    s->resp[0] |= 1u << 31;     // OUT_OF_RANGE
    return SHORT;
  }
  s->active = !(!write && m->faults.silent_reads);
  s->writing = write;
  s->multi = multi;
  s->pos = sector * 512;
  s->left = blocks * 512;
  // Data clocked over a bus of another width than the card's is garbage.
  s->crc_error = (s->ctype & 1) != s->bus4;
  if (!write && m->faults.data_crc_reads > 0) {
    m->faults.data_crc_reads--;
    s->crc_error = 1;
  }
  s->state = write ? RCV : DATA;
  return SHORT;
}

static enum answer illegal(struct model *m, int index)
{
  struct priv *s = m->priv;
  violation(m, "CMD%d in state %s", index, state_names[s->state]);
  return NONE;
}

// The card's side of a command (SD spec 4.7.4).  Fills s->resp.
static enum answer card_command(struct model *m, int index, uint32_t arg, uint32_t flags)
{
  struct priv *s = m->priv;
  int app = s->app, addressed = (arg >> 16) == s->rca;
  s->app = 0;
  int identifying = s->state <= IDENT || index == 0;
  if (identifying && s->card_clock > 400000)
    violation(m, "CMD%d at %u Hz during identification", index, s->card_clock);
  if (s->card_clock > 25000000)
    violation(m, "CMD%d at %u Hz, above default speed", index, s->card_clock);

  if (app && index == 41) {
    if (s->state != IDLE)
      return illegal(m, 41);
    if (!(arg & 0x00ff8000))
      violation(m, "ACMD41 offers no voltage");
    s->resp[0] = 0x00ff8000;
    // A high-capacity card asked without HCS never finishes powering up.
    if (m->cfg.card == CARD_SDHC && !(arg & (1u << 30)))
      return SHORT_NO_CRC;
    if (s->powerup_polls > 0) {
      s->powerup_polls--;
      return SHORT_NO_CRC;
    }
    s->resp[0] |= 1u << 31 | (m->cfg.card == CARD_SDHC ? 1u << 30 : 0);
    s->state = READY;
    return SHORT_NO_CRC;
  }
  if (app && index == 6) {
    if (s->state != TRAN || ((arg & 3) != 0 && (arg & 3) != 2))
      return illegal(m, index);
    s->resp[0] = card_status(s) | 1u << 5;
    s->bus4 = (arg & 3) == 2;
    return SHORT;
  }
  switch (index) {
  case 0:
    s->state = IDLE;
    s->rca = 0;
    s->bus4 = 0;
    s->blocklen = 512;
    s->powerup_polls = POWERUP_POLLS;
    return NONE;
  case 8:
    if (s->state != IDLE)
      return illegal(m, index);
    if (m->cfg.card == CARD_SDSC_V1)
      return NONE;              // a version 1 card does not know CMD8
    s->resp[0] = arg & 0xfff;
    return SHORT;
  case 55:
    if (s->state != IDLE && !addressed)
      return illegal(m, index);
    s->app = 1;
    s->resp[0] = card_status(s);
    return SHORT;
  case 2:
    if (s->state != READY)
      return illegal(m, index);
    for (int i = 0; i < 4; i++)
      s->resp[i] = s->cid[i];
    s->state = IDENT;
    return LONG;
  case 3:
    if (s->state != IDENT && s->state != STBY)
      return illegal(m, index);
    s->rca = RCA;
    s->resp[0] = s->rca << 16 | (uint32_t)s->state << 9;
    s->state = STBY;
    return SHORT;
  case 9:
    if (s->state != STBY || !addressed)
      return illegal(m, index);
    for (int i = 0; i < 4; i++)
      s->resp[i] = s->csd[i];
    return LONG;
  case 7:
    if (s->state != STBY || !addressed)
      return illegal(m, index);
    s->resp[0] = card_status(s);
    s->state = TRAN;
    return SHORT;
  case 13:
    if (!addressed || s->state < STBY)
      return illegal(m, index);
    s->resp[0] = card_status(s);
    return SHORT;
  case 16:
    if (s->state != TRAN)
      return illegal(m, index);
    s->resp[0] = card_status(s);
    if (m->cfg.card == CARD_SDHC && arg != 512)
      s->resp[0] |= 1u << 29;   // BLOCK_LEN_ERROR
    else
      s->blocklen = arg;
    return SHORT;
  case 17: case 18: case 24: case 25:
    if (s->state != TRAN)
      return illegal(m, index);
    return start_transfer(m, index, arg, flags);
  case 12:
    if (s->state != DATA && s->state != RCV)
      return illegal(m, index);
    if (!(flags & K_STOP_ABORT))
      violation(m, "CMD12 without stop_abort_cmd");
    m->stops++;
    s->resp[0] = card_status(s);
    s->active = 0;
    if (s->state == RCV)
      start_busy(m);
    else
      s->state = TRAN;
    return SHORT;
  default:
    return illegal(m, index);
  }
}

static void start_command(struct model *m, uint32_t flags)
{
  struct priv *s = m->priv;
  s->cmd = flags & ~K_START;    // the controller takes it at once
  if (!(flags & K_USE_HOLD_REG))
    violation(m, "command 0x%x without use_hold_reg", flags);
  if (flags & K_UPDATE_CLOCK) {
    uint32_t div = s->clkdiv & 0xff;
    s->card_clock = !(s->clkena & 1) ? 0 : div ? m->cfg.ciu_hz / (2 * div) : m->cfg.ciu_hz;
    return;
  }
  int index = flags & 0x3f;
  if (s->active && !(flags & K_STOP_ABORT))
    violation(m, "CMD%d while data moves", index);
  s->resp[0] = s->resp[1] = s->resp[2] = s->resp[3] = 0;
  enum answer a = NONE;
  if (m->cfg.card != CARD_ABSENT && s->card_clock > 0 && index != m->faults.no_response_cmd) {
    m->commands[index]++;
    a = card_command(m, index, s->cmdarg, flags);
  }
  s->rintsts |= I_CMD_DONE;
  if (!(flags & K_RESP_EXP)) {
    if (a != NONE)
      violation(m, "CMD%d answers, but no response was expected", index);
    return;
  }
  if (a == NONE) {
    s->rintsts |= I_RTO;
    return;
  }
  if ((a == LONG) != !!(flags & K_RESP_LONG))
    violation(m, "CMD%d with the wrong response length", index);
  if (a == SHORT_NO_CRC && (flags & K_CHECK_CRC))
    s->rintsts |= I_RCRC;     // R3's CRC field is all ones
  if (a == SHORT && !(flags & K_CHECK_CRC))
    violation(m, "CMD%d response CRC not checked", index);
}

uint32_t model_read32(void *mv, uint32_t offset)
{
  struct model *m = mv;
  struct priv *s = m->priv;
  tick(m);
  switch (offset) {
  case R_CTRL: return s->ctrl;
  case R_PWREN: return s->pwren;
  case R_CLKDIV: return s->clkdiv;
  case R_CLKSRC: return s->clksrc;
  case R_CLKENA: return s->clkena;
  case R_TMOUT: return s->tmout;
  case R_CTYPE: return s->ctype;
  case R_BLKSIZ: return s->blksiz;
  case R_BYTCNT: return s->bytcnt;
  case R_INTMASK: return s->intmask;
  case R_CMDARG: return s->cmdarg;
  case R_CMD: return s->cmd;
  case R_RESP0: case R_RESP1: case R_RESP2: case R_RESP3: return s->resp[(offset - R_RESP0) / 4];
  case R_MINTSTS: return s->rintsts & s->intmask;
  case R_RINTSTS: return s->rintsts;
  case R_STATUS: {
    uint32_t rx_mark = (s->fifoth >> 16) & 0xfff, tx_mark = s->fifoth & 0xfff;
    return (uint32_t)s->count << 17 | (s->busy ? 1u << 9 : 0) |
           (s->count == m->cfg.fifo_depth ? 1u << 3 : 0) | (s->count == 0 ? 1u << 2 : 0) |
           ((uint32_t)s->count <= tx_mark ? 1u << 1 : 0) | ((uint32_t)s->count > rx_mark ? 1 : 0);
  }
  case R_FIFOTH: return s->fifoth;
  case R_CDETECT: return m->cfg.card == CARD_ABSENT;
  case R_USRID: return 0;
  case R_VERID: return 0x53420000 | m->cfg.version;
  case R_HCON: return (m->cfg.fifo_width == 8 ? 2u : 1u) << 7;
  case R_BMOD: return s->bmod;
  }
  if (offset == fifo_offset(m)) {
    if (m->cfg.fifo_width != 4)
      violation(m, "32-bit read of a 64-bit FIFO");
    return (uint32_t)fifo_pop(m);
  }
  violation(m, "read of register 0x%x, which does not exist", offset);
  return 0;
}

void model_write32(void *mv, uint32_t offset, uint32_t value)
{
  struct model *m = mv;
  struct priv *s = m->priv;
  tick(m);
  switch (offset) {
  case R_CTRL:
    if (value & C_RESET)
      s->active = 0;
    if (value & (C_RESET | C_FIFO_RESET))
      s->count = s->head = 0;
    if (value & (C_DMA_ENABLE | C_USE_IDMAC))
      violation(m, "DMA enabled (CTRL 0x%x); the model has none", value);
    s->ctrl = value & ~(C_RESET | C_FIFO_RESET | C_DMA_RESET);
    return;
  case R_PWREN: s->pwren = value; return;
  case R_CLKDIV: s->clkdiv = value; return;
  case R_CLKSRC: s->clksrc = value; return;
  case R_CLKENA: s->clkena = value; return;
  case R_TMOUT: s->tmout = value; return;
  case R_CTYPE: s->ctype = value; return;
  case R_BLKSIZ: s->blksiz = value; return;
  case R_BYTCNT: s->bytcnt = value; return;
  case R_INTMASK: s->intmask = value; return;
  case R_CMDARG: s->cmdarg = value; return;
  case R_CMD:
    if (value & K_START)
      start_command(m, value);
    else
      s->cmd = value;
    return;
  case R_RINTSTS: s->rintsts &= ~value; return;
  case R_FIFOTH: s->fifoth = value; return;
  case R_BMOD: s->bmod = value; return;
  }
  if (offset == fifo_offset(m)) {
    if (m->cfg.fifo_width != 4)
      violation(m, "32-bit write to a 64-bit FIFO");
    fifo_push(m, value);
    return;
  }
  violation(m, "write of 0x%x to register 0x%x, which is not writable", value, offset);
}

uint64_t model_read64(void *mv, uint32_t offset)
{
  struct model *m = mv;
  tick(m);
  if (offset != fifo_offset(m) || m->cfg.fifo_width != 8) {
    violation(m, "64-bit read at 0x%x", offset);
    return 0;
  }
  return fifo_pop(m);
}

void model_write64(void *mv, uint32_t offset, uint64_t value)
{
  struct model *m = mv;
  tick(m);
  if (offset != fifo_offset(m) || m->cfg.fifo_width != 8) {
    violation(m, "64-bit write at 0x%x", offset);
    return;
  }
  fifo_push(m, value);
}

int model_card_bus_width(struct model *m)
{
  return ((struct priv *)m->priv)->bus4 ? 4 : 1;
}

uint32_t model_card_clock(struct model *m)
{
  return ((struct priv *)m->priv)->card_clock;
}
