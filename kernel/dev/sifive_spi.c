// compatible: "sifive,spi0"
//
// The SiFive SPI controller of the FU540 (HiFive Unleashed) and QEMU's
// sifive_u (FU540-C000 manual, chapter "Serial Peripheral Interface"):
// 8-entry transmit and receive FIFOs reached through txdata/rxdata, whose
// top bit says "full" / "empty".  Its device-tree children are the
// devices on the bus; this driver serves an "mmc-spi-slot" (an SD card,
// dev/sd_spi.c) and leaves other children (the flash on spi@10040000)
// alone.
//
// Polled, not interrupt driven: at the card's 20 MHz a FIFO of 8 bytes
// drains in 3.2 us, less than taking and returning from an interrupt
// costs; the long waits (a card busy writing) happen in dev/sd_spi.c,
// which lets other processes run meanwhile.
#include "types.h"
#include "memlayout.h"
#include "platform.h"
#include "printf.h"
#include "vm/pmap.h"
#include "dev/spi.h"
#include "dev/sd_spi.h"
#include "dev/sifive_spi.h"

#define SCKDIV  0x00   // f_sck = f_in / (2 * (div + 1))
#define SCKMODE 0x04   // clock phase and polarity: 0 is SPI mode 0, what SD cards use
#define CSID    0x10   // which chip select the hardware drives
#define CSMODE  0x18
#define FMT     0x40
#define TXDATA  0x48
#define RXDATA  0x4c
#define IE      0x70
#define CSMODE_AUTO 0  // chip select asserted during each frame only
#define CSMODE_HOLD 2  // kept asserted from the first frame until csmode changes
#define FMT_8BIT_MSB_FIRST_RX (8u << 16)   // len 8, single lane, MSB first, keep received bytes
#define RXDATA_EMPTY (1u << 31)
#define FIFO_DEPTH 8
// How many times to look at rxdata for a byte already clocked out
// before deciding the controller is broken: far more than a byte takes
// at the slowest clock.
#define MAX_POLLS (1u << 22)

// The controller's input clock is the FU540's tlclk, half the core clock,
// which the firmware sets to at most 1 GHz; nothing in the device tree
// gives its rate (the clocks property points at the PRCI, which would need
// a clock driver).  Dividing for the fastest it can be keeps the SPI clock
// at or below what is asked; with a slower tlclk the bus is only slower.
#define INPUT_CLOCK_MAX_HZ 500000000u

#define MAX_CONTROLLERS 4
static struct spi_bus buses[MAX_CONTROLLERS];
static int nbuses;

static volatile uint32 *reg(struct spi_bus *bus, int offset)
{
  return (volatile uint32 *)((char *)bus->regs + offset);
}

static void set_clock(struct spi_bus *bus, uint32 hz)
{
  uint32 div = (INPUT_CLOCK_MAX_HZ + 2 * hz - 1) / (2 * hz);
  *reg(bus, SCKDIV) = div > 0 ? div - 1 : 0;
}

static void select(struct spi_bus *bus, uint32 cs, int on)
{
  *reg(bus, CSID) = cs;
  *reg(bus, CSMODE) = on ? CSMODE_HOLD : CSMODE_AUTO;
}

static int exchange(struct spi_bus *bus, const uint8 *tx, uint8 *rx, uint32 n)
{
  // Never more bytes in flight than the receive FIFO holds: a byte
  // arriving at a full FIFO is lost.  Each batch starts with every byte
  // of the last one received, so the transmit FIFO is empty: no need to
  // read its full bit (a register read per byte saved).
  while (n > 0) {
    uint32 k = n < FIFO_DEPTH ? n : FIFO_DEPTH;
    for (uint32 i = 0; i < k; i++)
      *reg(bus, TXDATA) = tx ? tx[i] : 0xff;
    for (uint32 i = 0; i < k; i++) {
      uint32 data, polls = 0;
      while ((data = *reg(bus, RXDATA)) & RXDATA_EMPTY)
        if (++polls == MAX_POLLS)
          return -1;
      if (rx)
        rx[i] = (uint8)data;
    }
    n -= k;
    if (tx)
      tx += k;
    if (rx)
      rx += k;
  }
  return 0;
}

void sifive_spi_probe(const struct dt_device *dev)
{
  struct dt_device slot;
  if (dt_child(dev, "mmc-spi-slot", &slot) < 0)
    return;   // no device on this bus that we drive
  if (nbuses == MAX_CONTROLLERS || dev->size == 0) {
    printf("spi: controller at %p ignored\n", (void *)dev->base);
    return;
  }
  struct spi_bus *bus = &buses[nbuses++];
  bus->base = dev->base;
  kvm_map_device(dev->base, dev->size);
  bus->regs = P2V(dev->base);
  bus->set_clock = set_clock;
  bus->select = select;
  bus->exchange = exchange;

  *reg(bus, IE) = 0;
  *reg(bus, SCKMODE) = 0;
  *reg(bus, FMT) = FMT_8BIT_MSB_FIRST_RX;
  *reg(bus, CSMODE) = CSMODE_AUTO;
  // Bytes the firmware left in the receive FIFO are not ours.
  for (int i = 0; i < FIFO_DEPTH && !(*reg(bus, RXDATA) & RXDATA_EMPTY); i++)
    ;
  sd_spi_attach(bus, &slot);
}
