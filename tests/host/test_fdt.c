// sources: kernel/fdt.c kernel/lib/string.c
// Checks fdt_parse against the real boards' device trees (values from
// tests/host/fixtures/dtb/README.md: copies of the project's shared
// fixtures, kept in the tree so that a clone tests on its own), against
// small trees built here for the cases those do not cover, and against corrupted blobs, which must give -1
// without any read outside the blob (AddressSanitizer watches for that:
// every blob lives in a heap block of exactly its totalsize).
#include <stdio.h>
#include <stdlib.h>
#include "kernel/platform.h"
#include "kernel/lib/lib.h"

#define FIXTURES "tests/host/fixtures/dtb/"

static int failures;

static void
report(int ok, const char *what, const char *detail)
{
  if (ok) {
    printf("PASS test_fdt: %s\n", what);
  } else {
    printf("FAIL test_fdt: %s (%s)\n", what, detail);
    failures++;
  }
}

static void
expect(const char *what, uint64 got, uint64 want)
{
  char detail[80];
  snprintf(detail, sizeof detail, "got %#lx, want %#lx", got, want);
  report(got == want, what, detail);
}

static void
expect_string(const char *what, const char *got, const char *want)
{
  char detail[160];
  snprintf(detail, sizeof detail, "got \"%s\", want \"%s\"", got, want);
  report(strcmp(got, want) == 0, what, detail);
}

static uint32
get32(const uint8 *p)
{
  return (uint32)p[0] << 24 | (uint32)p[1] << 16 | (uint32)p[2] << 8 | p[3];
}

static void
put32(uint8 *p, uint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

enum { H_TOTALSIZE = 4, H_OFF_STRUCT = 8, H_OFF_STRINGS = 12, H_OFF_RSVMAP = 16,
       H_VERSION = 20, H_SIZE_STRINGS = 32, H_SIZE_STRUCT = 36, HEADER_SIZE = 40 };

static uint8 *
load(const char *name, uint32 *size)
{
  FILE *fp = fopen(name, "rb");
  if (!fp) {
    printf("FAIL test_fdt: cannot open %s\n", name);
    exit(1);
  }
  fseek(fp, 0, SEEK_END);
  *size = ftell(fp);
  rewind(fp);
  uint8 *blob = malloc(*size);
  if (fread(blob, 1, *size, fp) != *size) {
    printf("FAIL test_fdt: cannot read %s\n", name);
    exit(1);
  }
  fclose(fp);
  return blob;
}

// Returns the blob, which p->dtb points into: the caller frees it.
static uint8 *
parse_fixture(const char *name, struct platform *p)
{
  char path[128], what[128];
  uint32 size;
  snprintf(path, sizeof path, FIXTURES "%s", name);
  uint8 *blob = load(path, &size);
  snprintf(what, sizeof what, "%s: fdt_totalsize is the file size", name);
  expect(what, fdt_totalsize(blob), size);
  snprintf(what, sizeof what, "%s: fdt_parse succeeds", name);
  expect(what, fdt_parse(blob, p), 0);
  return blob;
}

// How many enabled nodes are compatible with compatible.
static int
count_compatible(const struct platform *p, const char *compatible)
{
  struct dt_device devs[32];
  return dt_find_compatible(p->dtb, compatible, devs, 32);
}

// Checks harts[first..first+n-1]: hartids first.., usable, PLIC S-context
// context0 + step * i.
static void
expect_harts(const char *board, const struct platform *p, int first, int n,
             int context0, int step, int sstc)
{
  char what[128];
  for (int i = first; i < first + n; i++) {
    const struct hart_info *h = &p->harts[i];
    snprintf(what, sizeof what, "%s: hart %d hartid", board, i);
    expect(what, h->hartid, i);
    snprintf(what, sizeof what, "%s: hart %d usable", board, i);
    expect(what, h->usable, 1);
    snprintf(what, sizeof what, "%s: hart %d S-mode PLIC context", board, i);
    expect(what, h->plic_s_context, context0 + step * (i - first));
    snprintf(what, sizeof what, "%s: hart %d sstc", board, i);
    expect(what, h->has_sstc, sstc);
  }
}

static void
test_qemu_virt(void)
{
  struct platform p;
  uint8 *blob = parse_fixture("qemu-virt.dtb", &p);
  expect_string("qemu-virt: model", p.model, "riscv-virtio,qemu");
  expect("qemu-virt: no initrd", p.initrd_start == 0 && p.initrd_end == 0, 1);
  expect("qemu-virt: one memory range", p.nmem, 1);
  expect("qemu-virt: memory base", p.mem[0].base, 0x80000000);
  expect("qemu-virt: memory size 128 MiB", p.mem[0].size, 128 << 20);
  // QEMU's own tree has no reservations; OpenSBI adds them at boot.
  expect("qemu-virt: no reserved ranges", p.nrsv, 0);
  expect("qemu-virt: timebase", p.timebase_hz, 10000000);
  expect("qemu-virt: 4 harts", p.nharts, 4);
  expect_harts("qemu-virt", &p, 0, 4, 1, 2, 1);
  expect("qemu-virt: uart kind", p.uart.kind, UART_NS16550);
  expect("qemu-virt: uart base", p.uart.base, 0x10000000);
  expect("qemu-virt: uart size", p.uart.size, 0x100);
  expect("qemu-virt: uart irq", p.uart.irq, 10);
  expect("qemu-virt: uart reg-shift", p.uart.reg_shift, 0);
  expect("qemu-virt: uart reg-io-width", p.uart.reg_io_width, 1);
  expect("qemu-virt: uart clock", p.uart.clock_hz, 3686400);
  expect("qemu-virt: plic base", p.plic_base, 0xc000000);
  expect("qemu-virt: plic size", p.plic_size, 0x600000);
  expect("qemu-virt: plic ndev", p.plic_ndev, 96);
  struct dt_device virtio[16];
  int nvirtio = dt_find_compatible(p.dtb, "virtio,mmio", virtio, 16);
  expect("qemu-virt: 8 virtio", nvirtio, 8);
  for (int i = 0; i < nvirtio; i++) {
    char what[64];
    // QEMU lists them from the highest address down.
    snprintf(what, sizeof what, "qemu-virt: virtio node %d base", i);
    expect(what, virtio[i].base, 0x10008000 - 0x1000 * i);
    snprintf(what, sizeof what, "qemu-virt: virtio node %d size", i);
    expect(what, virtio[i].size, 0x1000);
    snprintf(what, sizeof what, "qemu-virt: virtio node %d irq", i);
    expect(what, virtio[i].irq, 8 - i);
  }
  expect("qemu-virt: test device base", p.test_base, 0x100000);
  expect("qemu-virt: test device size", p.test_size, 0x1000);
  free(blob);
}

static void
test_qemu_sifive_u(void)
{
  struct platform p;
  uint8 *blob = parse_fixture("qemu-sifive-u.dtb", &p);
  expect_string("qemu-sifive-u: model", p.model, "SiFive HiFive Unleashed A00");
  expect("qemu-sifive-u: memory base", p.mem[0].base, 0x80000000);
  expect("qemu-sifive-u: memory size", p.mem[0].size, 256 << 20);
  expect("qemu-sifive-u: timebase", p.timebase_hz, 1000000);
  expect("qemu-sifive-u: 5 harts", p.nharts, 5);
  expect("qemu-sifive-u: hart 0 hartid", p.harts[0].hartid, 0);
  expect("qemu-sifive-u: hart 0 (no mmu-type) not usable", p.harts[0].usable, 0);
  expect_string("qemu-sifive-u: hart 0 skipped for its missing MMU", p.harts[0].unusable_why,
                "no MMU (no mmu-type: a monitor core)");
  expect("qemu-sifive-u: hart 0 no S context", p.harts[0].plic_s_context, -1);
  expect_harts("qemu-sifive-u", &p, 1, 4, 2, 2, 0);
  expect("qemu-sifive-u: uart kind", p.uart.kind, UART_SIFIVE);
  expect("qemu-sifive-u: uart base", p.uart.base, 0x10010000);
  expect("qemu-sifive-u: uart irq", p.uart.irq, 4);
  expect("qemu-sifive-u: uart clock absent", p.uart.clock_hz, 0);
  expect("qemu-sifive-u: plic base", p.plic_base, 0xc000000);
  expect("qemu-sifive-u: plic ndev", p.plic_ndev, 53);
  expect("qemu-sifive-u: no virtio", count_compatible(&p, "virtio,mmio"), 0);
  // Two SPI controllers: flash on the first, the SD card on the second.
  struct dt_device spis[2], slot = { 0 };
  expect("qemu-sifive-u: two spi", dt_find_compatible(p.dtb, "sifive,spi0", spis, 2), 2);
  expect("qemu-sifive-u: no mmc-spi-slot on the flash spi", dt_child(&spis[0], "mmc-spi-slot", &slot), -1);
  struct dt_device *spi = &spis[1];
  expect("qemu-sifive-u: spi base", spi->base, 0x10050000);
  expect("qemu-sifive-u: spi size", spi->size, 0x1000);
  expect("qemu-sifive-u: spi irq", spi->irq, 6);
  expect("qemu-sifive-u: spi has an mmc-spi-slot", dt_child(spi, "mmc-spi-slot", &slot), 0);
  expect("qemu-sifive-u: slot chip select (reg, 1 cell, no size)", slot.base, 0);
  expect("qemu-sifive-u: slot max frequency", dt_cell(&slot, "spi-max-frequency", 0), 20000000);
  expect("qemu-sifive-u: no such property", dt_cell(&slot, "no-such-property", 7), 7);
  expect("qemu-sifive-u: no such child", dt_child(spi, "no-such-device", &slot), -1);
  expect("qemu-sifive-u: no test device", p.test_base, 0);
  free(blob);
}

static void
test_visionfive2(void)
{
  struct platform p;
  uint8 *blob = parse_fixture("visionfive2-v1.3b.dtb", &p);
  expect_string("visionfive2: model", p.model, "StarFive VisionFive 2 v1.3B");
  expect("visionfive2: one memory range", p.nmem, 1);
  expect("visionfive2: memory base", p.mem[0].base, 0x40000000);
  expect("visionfive2: memory size 4 GiB", p.mem[0].size, 0x100000000);
  expect("visionfive2: no reserved ranges", p.nrsv, 0);
  expect("visionfive2: timebase", p.timebase_hz, 4000000);
  expect("visionfive2: 5 harts", p.nharts, 5);
  expect("visionfive2: cpu@0 (disabled) not usable", p.harts[0].usable, 0);
  expect_string("visionfive2: cpu@0 skipped as disabled", p.harts[0].unusable_why,
                "disabled in the device tree");
  expect("visionfive2: cpu@1 has no reason to skip", p.harts[1].unusable_why == 0, 1);
  expect("visionfive2: cpu@0 no S context", p.harts[0].plic_s_context, -1);
  expect_harts("visionfive2", &p, 1, 4, 2, 2, 0);
  expect("visionfive2: uart kind", p.uart.kind, UART_NS16550);
  expect("visionfive2: uart base (alias serial0)", p.uart.base, 0x10000000);
  expect("visionfive2: uart size", p.uart.size, 0x10000);
  expect("visionfive2: uart reg-shift", p.uart.reg_shift, 2);
  expect("visionfive2: uart reg-io-width", p.uart.reg_io_width, 4);
  expect("visionfive2: uart irq", p.uart.irq, 32);
  expect("visionfive2: uart clock absent", p.uart.clock_hz, 0);
  expect("visionfive2: plic base", p.plic_base, 0xc000000);
  expect("visionfive2: plic size", p.plic_size, 0x4000000);
  expect("visionfive2: plic ndev", p.plic_ndev, 136);
  expect("visionfive2: no virtio", count_compatible(&p, "virtio,mmio"), 0);
  struct dt_device mmc[2];
  expect("visionfive2: two mmc", dt_find_compatible(p.dtb, "starfive,jh7110-mmc", mmc, 2), 2);
  expect("visionfive2: mmc1 (SD) base", mmc[1].base, 0x16020000);
  expect("visionfive2: mmc1 irq", mmc[1].irq, 75);
  expect("visionfive2: mmc1 bus-width", dt_cell(&mmc[1], "bus-width", 0), 4);
  // What dev/dw_mshc.c reads besides: the FIFO's depth, no data-addr
  // override (the FIFO is where VERID puts it), and no clock-frequency
  // (the driver's 50 MHz default, the ciu rate this tree assigns).
  expect("visionfive2: mmc1 fifo-depth", dt_cell(&mmc[1], "fifo-depth", 0), 32);
  expect("visionfive2: mmc1 data-addr 0", dt_cell(&mmc[1], "data-addr", 7), 0);
  expect("visionfive2: mmc1 no clock-frequency", dt_cell(&mmc[1], "clock-frequency", 7), 7);
  expect("visionfive2: mmc1 assigned ciu rate 50 MHz", dt_cell(&mmc[1], "assigned-clock-rates", 0), 50000000);
  expect("visionfive2: mmc0 (eMMC) base", mmc[0].base, 0x16010000);
  expect("visionfive2: mmc0 bus-width 8", dt_cell(&mmc[0], "bus-width", 0), 8);
  expect("visionfive2: no test device", p.test_base, 0);
  free(blob);
}

static void
test_visionfive1(void)
{
  struct platform p;
  uint8 *blob = parse_fixture("visionfive-v1.dtb", &p);
  expect_string("visionfive-v1: model", p.model, "StarFive VisionFive V1");
  expect("visionfive-v1: memory base", p.mem[0].base, 0x80000000);
  expect("visionfive-v1: memory size 8 GiB", p.mem[0].size, 0x200000000);
  expect("visionfive-v1: timebase", p.timebase_hz, 6250000);
  expect("visionfive-v1: 2 harts", p.nharts, 2);
  expect_harts("visionfive-v1", &p, 0, 2, 1, 2, 0);
  expect("visionfive-v1: uart base", p.uart.base, 0x12440000);
  expect("visionfive-v1: uart irq", p.uart.irq, 73);
  expect("visionfive-v1: uart reg-shift", p.uart.reg_shift, 2);
  expect("visionfive-v1: plic ndev", p.plic_ndev, 133);
  expect("visionfive-v1: two /reserved-memory ranges", p.nrsv, 2);
  expect("visionfive-v1: reserved 0 base", p.rsv[0].base, 0xfa000000);
  expect("visionfive-v1: reserved 0 size", p.rsv[0].size, 0x1000000);
  expect("visionfive-v1: reserved 1 base", p.rsv[1].base, 0x107a000000);
  expect("visionfive-v1: reserved 1 size", p.rsv[1].size, 0x1000000);
  struct dt_device mshc[2];
  expect("visionfive-v1: two snps,dw-mshc", dt_find_compatible(p.dtb, "snps,dw-mshc", mshc, 2), 2);
  expect("visionfive-v1: SD slot base", mshc[0].base, 0x10000000);
  expect("visionfive-v1: SD slot irq", mshc[0].irq, 4);
  expect("visionfive-v1: SD slot fifo-depth", dt_cell(&mshc[0], "fifo-depth", 0), 32);
  expect("visionfive-v1: SD slot bus-width", dt_cell(&mshc[0], "bus-width", 0), 4);
  free(blob);
}

// A tiny FDT writer for trees the fixtures do not cover.
struct builder {
  uint64 rsv[2 * 20];
  int nrsv;
  uint8 structure[8192];
  uint32 structure_len;
  char strings[1024];
  uint32 strings_len;
};

static void
emit(struct builder *b, const void *data, uint32 len)
{
  memcpy(b->structure + b->structure_len, data, len);
  b->structure_len += len;
  while (b->structure_len % 4)
    b->structure[b->structure_len++] = 0;
}

static void
emit32(struct builder *b, uint32 v)
{
  uint8 cell[4];
  put32(cell, v);
  emit(b, cell, 4);
}

static void
begin_node(struct builder *b, const char *name)
{
  emit32(b, 1);
  emit(b, name, strlen(name) + 1);
}

static void
end_node(struct builder *b)
{
  emit32(b, 2);
}

static void
prop(struct builder *b, const char *name, const void *value, uint32 len)
{
  emit32(b, 3);
  emit32(b, len);
  emit32(b, b->strings_len);
  memcpy(b->strings + b->strings_len, name, strlen(name) + 1);
  b->strings_len += strlen(name) + 1;
  emit(b, value, len);
}

// A string, or a string list written as "a\0b".
#define PROP_STR(b, name, s) prop(b, name, s, sizeof s)

static void
prop_cells(struct builder *b, const char *name, const uint32 *cells, int n)
{
  uint8 value[64];
  for (int i = 0; i < n; i++)
    put32(value + 4 * i, cells[i]);
  prop(b, name, value, 4 * n);
}

#define PROP_CELLS(b, name, ...) do { \
    uint32 cells_[] = { __VA_ARGS__ }; \
    prop_cells(b, name, cells_, sizeof cells_ / sizeof cells_[0]); \
  } while (0)

static void
memreserve(struct builder *b, uint64 base, uint64 size)
{
  b->rsv[2 * b->nrsv] = base;
  b->rsv[2 * b->nrsv + 1] = size;
  b->nrsv++;
}

// Lays the blob out as header, /memreserve/, structure, strings, in a heap
// block of exactly the blob's size.
static uint8 *
finish(struct builder *b)
{
  emit32(b, 9);
  uint32 rsvmap = HEADER_SIZE;
  uint32 structure = rsvmap + 16 * (b->nrsv + 1);
  uint32 strings = structure + b->structure_len;
  uint32 total = strings + b->strings_len;
  uint8 *blob = calloc(1, total);
  put32(blob, 0xd00dfeed);
  put32(blob + H_TOTALSIZE, total);
  put32(blob + H_OFF_STRUCT, structure);
  put32(blob + H_OFF_STRINGS, strings);
  put32(blob + H_OFF_RSVMAP, rsvmap);
  put32(blob + H_VERSION, 17);
  put32(blob + 24, 16);
  put32(blob + H_SIZE_STRINGS, b->strings_len);
  put32(blob + H_SIZE_STRUCT, b->structure_len);
  for (int i = 0; i < 2 * b->nrsv; i++) {
    put32(blob + rsvmap + 8 * i, b->rsv[i] >> 32);
    put32(blob + rsvmap + 8 * i + 4, b->rsv[i]);
  }
  memcpy(blob + structure, b->structure, b->structure_len);
  memcpy(blob + strings, b->strings, b->strings_len);
  return blob;
}

// A cpu node is opened by begin_cpu, takes more properties, and is closed
// by end_cpu, which adds the local interrupt controller child (children
// come after all properties).
static void
begin_cpu(struct builder *b, const char *name, uint32 hartid)
{
  begin_node(b, name);
  PROP_STR(b, "device_type", "cpu");
  PROP_CELLS(b, "reg", hartid);
  PROP_STR(b, "mmu-type", "riscv,sv39");
}

static void
end_cpu(struct builder *b, uint32 intc_phandle)
{
  begin_node(b, "interrupt-controller");
  PROP_STR(b, "compatible", "riscv,cpu-intc");
  PROP_CELLS(b, "phandle", intc_phandle);
  end_node(b);
  end_node(b);
}

// A board unlike the fixtures: one-cell addresses under /soc, two memory
// ranges in one reg, /memreserve/ entries, no stdout-path, timebase in the
// cpu nodes, Sstc only in riscv,isa-extensions, nine virtio devices out of
// order, and a disabled 16550 before the enabled one.
static void
test_synthetic(void)
{
  struct builder *b = calloc(1, sizeof *b);
  memreserve(b, 0x80000000, 0x80000);
  memreserve(b, 0x88000000, 0x1000);
  begin_node(b, "");
  PROP_CELLS(b, "#address-cells", 2);
  PROP_CELLS(b, "#size-cells", 2);
  PROP_STR(b, "model", "a synthetic board whose model string is longer than the 64 bytes kept");
  begin_node(b, "chosen");
  end_node(b);
  begin_node(b, "memory@80000000");
  PROP_STR(b, "device_type", "memory");
  PROP_CELLS(b, "reg", 0, 0x80000000, 0, 0x4000000, 0x1, 0, 0, 0x1000000);
  end_node(b);
  begin_node(b, "cpus");
  PROP_CELLS(b, "#address-cells", 1);
  PROP_CELLS(b, "#size-cells", 0);
  begin_cpu(b, "cpu@7", 7);
  PROP_CELLS(b, "timebase-frequency", 5000000);
  PROP_STR(b, "riscv,isa-extensions", "i\0m\0a\0sstc");
  end_cpu(b, 0x21);
  begin_cpu(b, "cpu@3", 3);
  PROP_STR(b, "status", "fail");
  PROP_STR(b, "riscv,isa", "rv64imac_sstcx_zicsr");
  end_cpu(b, 0x22);
  end_node(b);
  begin_node(b, "soc");
  PROP_CELLS(b, "#address-cells", 1);
  PROP_CELLS(b, "#size-cells", 1);
  begin_node(b, "serial@1000");
  PROP_STR(b, "compatible", "vendor,uart\0ns16550");
  PROP_STR(b, "status", "disabled");
  PROP_CELLS(b, "reg", 0x1000, 0x100);
  end_node(b);
  begin_node(b, "serial@2000");
  PROP_STR(b, "compatible", "vendor,uart\0ns16550");
  PROP_CELLS(b, "reg", 0x2000, 0x20);
  PROP_CELLS(b, "interrupts", 5, 4);
  PROP_CELLS(b, "reg-io-width", 4);
  end_node(b);
  begin_node(b, "interrupt-controller@c000000");
  PROP_STR(b, "compatible", "riscv,plic0");
  PROP_CELLS(b, "reg", 0xc000000, 0x4000000);
  PROP_CELLS(b, "riscv,ndev", 31);
  PROP_CELLS(b, "interrupts-extended", 0x21, 11, 0x21, 9, 0x22, 11, 0x22, 9);
  end_node(b);
  for (int i = 9; i >= 1; i--) {
    char name[32];
    snprintf(name, sizeof name, "virtio@%x", 0x3000 + 0x100 * i);
    begin_node(b, name);
    PROP_STR(b, "compatible", "virtio,mmio");
    PROP_CELLS(b, "reg", 0x3000 + 0x100 * i, 0x100);
    PROP_CELLS(b, "interrupts", 20 + i);
    end_node(b);
  }
  end_node(b);
  begin_node(b, "reserved-memory");
  PROP_CELLS(b, "#address-cells", 1);
  PROP_CELLS(b, "#size-cells", 1);
  begin_node(b, "firmware@84000000");
  PROP_CELLS(b, "reg", 0x84000000, 0x100000);
  end_node(b);
  begin_node(b, "pool");    // placed by the OS: no reg, nothing to avoid
  PROP_CELLS(b, "size", 0x100000);
  end_node(b);
  end_node(b);
  end_node(b);
  uint8 *blob = finish(b);

  struct platform p;
  expect("synthetic: fdt_parse succeeds", fdt_parse(blob, &p), 0);
  expect_string("synthetic: model cut to 63 chars", p.model,
                "a synthetic board whose model string is longer than the 64 byte");
  expect("synthetic: two memory ranges", p.nmem, 2);
  expect("synthetic: memory 1 base", p.mem[1].base, 0x100000000);
  expect("synthetic: memory 1 size", p.mem[1].size, 0x1000000);
  expect("synthetic: memreserve + reserved-memory ranges", p.nrsv, 3);
  expect("synthetic: memreserve 0", p.rsv[0].base, 0x80000000);
  expect("synthetic: memreserve 1 size", p.rsv[1].size, 0x1000);
  expect("synthetic: reserved-memory child (1-cell)", p.rsv[2].base, 0x84000000);
  expect("synthetic: timebase from the cpu node", p.timebase_hz, 5000000);
  expect("synthetic: 2 harts", p.nharts, 2);
  expect("synthetic: hart 7", p.harts[0].hartid, 7);
  expect("synthetic: sstc from riscv,isa-extensions", p.harts[0].has_sstc, 1);
  expect("synthetic: hart 7 context", p.harts[0].plic_s_context, 1);
  expect("synthetic: status fail -> not usable", p.harts[1].usable, 0);
  expect("synthetic: _sstcx is not sstc", p.harts[1].has_sstc, 0);
  expect("synthetic: hart 3 context", p.harts[1].plic_s_context, 3);
  expect("synthetic: console falls back to first enabled 16550", p.uart.base, 0x2000);
  expect("synthetic: uart size (1-cell)", p.uart.size, 0x20);
  expect("synthetic: uart irq is the first cell", p.uart.irq, 5);
  expect("synthetic: uart reg-io-width", p.uart.reg_io_width, 4);
  expect("synthetic: plic base", p.plic_base, 0xc000000);
  struct dt_device virtio[8];
  expect("synthetic: virtio fills 8 of 9", dt_find_compatible(p.dtb, "virtio,mmio", virtio, 8), 8);
  expect("synthetic: virtio in document order, first", virtio[0].base, 0x3900);
  expect("synthetic: virtio in document order, last", virtio[7].base, 0x3200);
  expect("synthetic: virtio irq follows its node", virtio[7].irq, 22);
  expect("synthetic: a disabled node is not found", count_compatible(&p, "vendor,uart"), 1);
  free(blob);
  free(b);
}

// stdout-path as a full path with options, and a path component without
// its unit address.
static void
test_stdout_path(void)
{
  static const char *paths[] = { "/soc/serial@2000:115200n8", "/soc/serial" };
  for (int i = 0; i < 2; i++) {
    struct builder *b = calloc(1, sizeof *b);
    begin_node(b, "");
    begin_node(b, "chosen");
    prop(b, "stdout-path", paths[i], strlen(paths[i]) + 1);
    end_node(b);
    begin_node(b, "soc");
    PROP_CELLS(b, "#size-cells", 2);
    begin_node(b, "serial@1000");
    PROP_STR(b, "compatible", "ns16550a");
    PROP_CELLS(b, "reg", 0, 0x1000, 0, 0x100);
    end_node(b);
    begin_node(b, "serial@2000");
    PROP_STR(b, "compatible", "sifive,uart0");
    PROP_CELLS(b, "reg", 0, 0x2000, 0, 0x100);
    end_node(b);
    end_node(b);
    end_node(b);
    uint8 *blob = finish(b);
    struct platform p;
    char what[96];
    snprintf(what, sizeof what, "stdout-path \"%s\": parses", paths[i]);
    expect(what, fdt_parse(blob, &p), 0);
    snprintf(what, sizeof what, "stdout-path \"%s\": uart base", paths[i]);
    expect(what, p.uart.base, i == 0 ? 0x2000 : 0x1000);
    free(blob);
    free(b);
  }
}

// /chosen linux,initrd-start/end in 32-bit and 64-bit cells, and an end
// that is not past the start (no initrd).
static void
test_initrd(void)
{
  static const struct {
    const char *what;
    int cells;            // 1 or 2 per number
    uint64 start, end;
    uint64 want_start, want_end;
  } cases[] = {
    { "32-bit cells", 1, 0x84200000, 0x85200000, 0x84200000, 0x85200000 },
    { "64-bit cells", 2, 0x184200000, 0x185200000, 0x184200000, 0x185200000 },
    { "end before start", 1, 0x85200000, 0x84200000, 0, 0 },
  };
  for (uint i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct builder *b = calloc(1, sizeof *b);
    begin_node(b, "");
    begin_node(b, "chosen");
    if (cases[i].cells == 1) {
      PROP_CELLS(b, "linux,initrd-start", (uint32)cases[i].start);
      PROP_CELLS(b, "linux,initrd-end", (uint32)cases[i].end);
    } else {
      PROP_CELLS(b, "linux,initrd-start", (uint32)(cases[i].start >> 32), (uint32)cases[i].start);
      PROP_CELLS(b, "linux,initrd-end", (uint32)(cases[i].end >> 32), (uint32)cases[i].end);
    }
    end_node(b);
    end_node(b);
    uint8 *blob = finish(b);
    struct platform p;
    char what[96];
    snprintf(what, sizeof what, "initrd, %s: parses", cases[i].what);
    expect(what, fdt_parse(blob, &p), 0);
    snprintf(what, sizeof what, "initrd, %s: start", cases[i].what);
    expect(what, p.initrd_start, cases[i].want_start);
    snprintf(what, sizeof what, "initrd, %s: end", cases[i].what);
    expect(what, p.initrd_end, cases[i].want_end);
    free(blob);
    free(b);
  }
}

// Well-formed blobs with odd contents: some must be refused.
static void
test_odd_trees(void)
{
  struct builder *b = calloc(1, sizeof *b);
  for (int i = 0; i <= PLATFORM_MAX_RSV; i++)
    memreserve(b, 0x80000000 + 0x1000 * i, 0x1000);
  begin_node(b, "");
  end_node(b);
  uint8 *blob = finish(b);
  struct platform p;
  expect("more /memreserve/ entries than rsv[] holds -> -1", fdt_parse(blob, &p), (uint64)-1);
  free(blob);

  memset(b, 0, sizeof *b);
  for (int i = 0; i < 20; i++)
    begin_node(b, "deep");
  for (int i = 0; i < 20; i++)
    end_node(b);
  blob = finish(b);
  expect("tree nested 20 deep -> -1", fdt_parse(blob, &p), (uint64)-1);
  free(blob);

  // The root has no parent to take timebase-frequency from.
  memset(b, 0, sizeof *b);
  begin_node(b, "");
  PROP_STR(b, "device_type", "cpu");
  PROP_CELLS(b, "reg", 0, 5, 0);
  end_node(b);
  blob = finish(b);
  expect("a root claiming to be a cpu parses", fdt_parse(blob, &p), 0);
  expect("  as hart 5", p.harts[0].hartid, 5);
  free(blob);

  // Strings without their NUL are as good as absent.
  memset(b, 0, sizeof *b);
  begin_node(b, "");
  prop(b, "model", "abc", 3);
  begin_node(b, "serial@0");
  prop(b, "compatible", "ns16550a", 8);
  PROP_CELLS(b, "reg", 0, 0x1000, 0x100);
  end_node(b);
  end_node(b);
  blob = finish(b);
  expect("unterminated strings: parses", fdt_parse(blob, &p), 0);
  expect_string("  model ignored", p.model, "");
  expect("  compatible ignored", p.uart.kind, UART_NONE);
  free(blob);
  free(b);
}

static uint8 *
copy_of(const uint8 *blob, uint32 size)
{
  uint8 *c = malloc(size);
  memcpy(c, blob, size);
  return c;
}

static void
expect_refused(const char *what, uint8 *blob)
{
  struct platform p;
  expect(what, fdt_parse(blob, &p), (uint64)-1);
  free(blob);
}

// Offset of the first FDT_PROP token in the structure block.
static uint32
first_prop(const uint8 *blob)
{
  const uint8 *s = blob + get32(blob + H_OFF_STRUCT);
  uint32 off = 0;
  while (get32(s + off) != 3)
    off += 4;
  return get32(blob + H_OFF_STRUCT) + off;
}

// Rebuilds blob with block (struct or strings) last and cut to len bytes,
// so that reading past the cut reads past the heap block.
static uint8 *
cut_block(const uint8 *blob, int cut_structure, uint32 len)
{
  uint32 s_off = get32(blob + H_OFF_STRUCT), s_size = get32(blob + H_SIZE_STRUCT);
  uint32 t_off = get32(blob + H_OFF_STRINGS), t_size = get32(blob + H_SIZE_STRINGS);
  uint32 first_off = cut_structure ? t_off : s_off;
  uint32 first_size = cut_structure ? t_size : s_size;
  uint32 last_off = cut_structure ? s_off : t_off;
  uint32 last_at = (HEADER_SIZE + 16 + first_size + 3) & ~3u;
  uint8 *c = calloc(1, last_at + len);
  memcpy(c, blob, HEADER_SIZE + 16);   // header, empty /memreserve/ list
  memcpy(c + HEADER_SIZE + 16, blob + first_off, first_size);
  memcpy(c + last_at, blob + last_off, len);
  put32(c + H_TOTALSIZE, last_at + len);
  put32(c + H_OFF_RSVMAP, HEADER_SIZE);
  put32(c + (cut_structure ? H_OFF_STRINGS : H_OFF_STRUCT), HEADER_SIZE + 16);
  put32(c + (cut_structure ? H_OFF_STRUCT : H_OFF_STRINGS), last_at);
  put32(c + (cut_structure ? H_SIZE_STRUCT : H_SIZE_STRINGS), len);
  return c;
}

static void
test_corrupt(void)
{
  uint32 size;
  uint8 *blob = load(FIXTURES "qemu-virt.dtb", &size);
  uint8 *c;
  struct platform p;

  c = copy_of(blob, size);
  c[0] ^= 1;
  expect("bad magic: fdt_totalsize is 0", fdt_totalsize(c), 0);
  expect_refused("bad magic -> -1", c);

  c = copy_of(blob, size);
  put32(c + H_VERSION, 15);
  expect_refused("version 15 -> -1", c);

  // A shorter totalsize than the blocks need, in a heap block that short.
  c = copy_of(blob, 3000);
  put32(c + H_TOTALSIZE, 3000);
  expect_refused("totalsize cut below the strings block -> -1", c);
  c = copy_of(blob, 20);
  put32(c + H_TOTALSIZE, 20);
  expect_refused("totalsize smaller than the header -> -1", c);

  c = copy_of(blob, size);
  put32(c + H_OFF_STRUCT, 0xfffffff0);
  expect_refused("structure offset past the end -> -1", c);
  c = copy_of(blob, size);
  put32(c + H_SIZE_STRUCT, 0xfffffff0);
  expect_refused("structure size past the end -> -1", c);
  c = copy_of(blob, size);
  put32(c + H_OFF_STRINGS, size);
  expect_refused("strings offset past the end -> -1", c);
  c = copy_of(blob, size);
  put32(c + H_OFF_RSVMAP, size - 8);
  expect_refused("/memreserve/ list running off the end -> -1", c);

  uint32 prop_at = first_prop(blob);
  c = copy_of(blob, size);
  put32(c + prop_at + 8, get32(blob + H_SIZE_STRINGS));
  expect_refused("property name offset past the strings block -> -1", c);
  c = copy_of(blob, size);
  put32(c + prop_at + 8, 0xfffffff0);
  expect_refused("property name offset near 2^32 -> -1", c);
  c = copy_of(blob, size);
  put32(c + prop_at + 4, 0xfffffffc);
  expect_refused("property length near 2^32 -> -1", c);
  c = copy_of(blob, size);
  put32(c + prop_at, 7);
  expect_refused("unknown token -> -1", c);

  // The root's END_NODE, just before FDT_END, turned into a NOP.
  c = copy_of(blob, size);
  put32(c + get32(c + H_OFF_STRUCT) + get32(c + H_SIZE_STRUCT) - 8, 4);
  expect_refused("unbalanced END_NODE -> -1", c);

  // Every cut of the structure block and of the strings block.
  int all_refused = 1;
  uint32 s_size = get32(blob + H_SIZE_STRUCT), t_size = get32(blob + H_SIZE_STRINGS);
  for (int cut_structure = 0; cut_structure <= 1; cut_structure++) {
    uint32 full = cut_structure ? s_size : t_size;
    c = cut_block(blob, cut_structure, full);
    expect(cut_structure ? "structure block moved last still parses"
                         : "strings block moved last still parses",
           fdt_parse(c, &p), 0);
    expect("  and gives the same PLIC", p.plic_base, 0xc000000);
    free(c);
    for (uint32 len = 0; len < full; len++) {
      c = cut_block(blob, cut_structure, len);
      if (fdt_parse(c, &p) != -1)
        all_refused = 0;
      free(c);
    }
  }
  report(all_refused, "every cut of either block -> -1", "one parsed");

  // Random damage to the header and structure block must never make
  // fdt_parse read outside the blob (it may parse or refuse).
  srand(1);
  for (int round = 0; round < 3000; round++) {
    c = copy_of(blob, size);
    int nflips = 1 + rand() % 4;
    for (int i = 0; i < nflips; i++) {
      // (A larger totalsize is believed: that is the caller's contract.)
      uint32 at = rand() % 4 == 0 ? 8 + rand() % (HEADER_SIZE - 8)
                                  : get32(blob + H_OFF_STRUCT) + rand() % s_size;
      c[at] = rand() % 4 == 0 ? 0xff : c[at] ^ (1 << rand() % 8);
    }
    fdt_parse(c, &p);
    free(c);
  }
  report(1, "3000 randomly damaged blobs: no read outside the blob", "");
  free(blob);
}

int
main(void)
{
  test_qemu_virt();
  test_qemu_sifive_u();
  test_visionfive2();
  test_visionfive1();
  test_synthetic();
  test_stdout_path();
  test_initrd();
  test_odd_trees();
  test_corrupt();
  return failures ? 1 : 0;
}
