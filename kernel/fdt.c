// Reads the flattened device tree (Devicetree Specification, chapter 5) that
// the firmware hands the kernel, and fills struct platform from it.
//
// This runs before anything else exists, so it allocates nothing, and it
// trusts nothing in the blob: every token is bounds-checked as it is read,
// and the whole structure block is walked once before any value is used.
//
// A blob is a header, a /memreserve/ list, a structure block of big-endian
// 32-bit tokens (BEGIN_NODE name, PROP len nameoff value, END_NODE, NOP,
// END), and a strings block holding the property names.  Nodes are named by
// the offset of their BEGIN_NODE token in the structure block.
#include "types.h"
#include "platform.h"
#include "lib/lib.h"

#define FDT_MAGIC       0xd00dfeed
#define FDT_HEADER_SIZE 40
#define FDT_BEGIN_NODE  1
#define FDT_END_NODE    2
#define FDT_PROP        3
#define FDT_NOP         4
#define FDT_END         9

// Real trees are about 6 levels deep; deeper ones are rejected.
#define MAX_DEPTH 16
#define NO_NODE ((uint64)-1)

// The supervisor external interrupt, as a hart's local interrupt controller
// numbers it (the scause code).
#define IRQ_S_EXTERNAL 9

struct fdt {
  const uint8 *blob;
  uint64 totalsize;
  uint64 rsvmap;               // offset of the /memreserve/ list in blob
  const uint8 *structure;
  uint64 structure_size;
  const char *strings;
  uint64 strings_size;
  uint64 root;                 // the root node
};

struct token {
  uint32 kind;
  const char *name;            // a node's name or a property's name
  const uint8 *value;          // a property's value
  uint32 len;
  uint64 next;                 // offset of the token after this one
};

struct node {
  uint64 off;
  const char *name;            // "name@unit-address"; "" for the root
  int depth;                   // 0 for the node a walk starts at
  uint64 parent;               // NO_NODE for the node a walk starts at
  uint32 addr_cells;           // the parent's #address-cells and
  uint32 size_cells;           // #size-cells: how to read this node's reg
};

// A walk visits one node and its whole subtree, in document order.
struct walk {
  uint64 next;
  int depth;                   // nodes entered and not yet left
  struct {
    uint64 off;
    uint32 addr_cells, size_cells;
  } open[MAX_DEPTH];
};

static const struct {
  const char *compatible;
  enum uart_kind kind;
} uart_kinds[] = {
  { "ns16550a", UART_NS16550 },
  { "ns16550", UART_NS16550 },
  { "snps,dw-apb-uart", UART_NS16550 },   // a 16550 with 32-bit registers
  { "sifive,uart0", UART_SIFIVE },
};

static uint32
be32(const uint8 *p)
{
  return (uint32)p[0] << 24 | (uint32)p[1] << 16 | (uint32)p[2] << 8 | p[3];
}

static uint64
be64(const uint8 *p)
{
  return (uint64)be32(p) << 32 | be32(p + 4);
}

// A number written as ncells big-endian 32-bit cells (ncells <= 2).
static uint64
read_cells(const uint8 *p, uint32 ncells)
{
  uint64 v = 0;
  for (uint32 i = 0; i < ncells; i++)
    v = v << 32 | be32(p + 4 * i);
  return v;
}

// The length of the string at s, or room if no NUL ends it within room bytes.
static uint64
bounded_strlen(const char *s, uint64 room)
{
  uint64 n = 0;
  while (n < room && s[n] != 0)
    n++;
  return n;
}

static int
open_blob(const void *dtb, struct fdt *f)
{
  const uint8 *h = dtb;
  if (be32(h) != FDT_MAGIC)
    return -1;
  f->blob = h;
  f->totalsize = be32(h + 4);
  if (f->totalsize < FDT_HEADER_SIZE)
    return -1;
  uint64 structure_off = be32(h + 8);
  uint64 strings_off = be32(h + 12);
  f->rsvmap = be32(h + 16);
  uint32 version = be32(h + 20);
  uint32 last_compatible_version = be32(h + 24);
  f->strings_size = be32(h + 32);
  if (version < 16 || last_compatible_version > 17)
    return -1;
  // Version 16 had no size_dt_struct field yet.
  if (version >= 17)
    f->structure_size = be32(h + 36);
  else if (structure_off <= f->totalsize)
    f->structure_size = f->totalsize - structure_off;
  else
    return -1;
  if (structure_off + f->structure_size > f->totalsize ||
      strings_off + f->strings_size > f->totalsize ||
      f->rsvmap >= f->totalsize)
    return -1;
  f->structure = h + structure_off;
  f->strings = (const char *)h + strings_off;
  return 0;
}

// Reads the token at off.  Returns -1 if it is unknown or does not fit in
// the structure block, or if it is a property whose name does not fit in
// the strings block.
static int
read_token(const struct fdt *f, uint64 off, struct token *t)
{
  if (off > f->structure_size || f->structure_size - off < 4)
    return -1;
  t->kind = be32(f->structure + off);
  off += 4;
  uint64 room = f->structure_size - off;
  switch (t->kind) {
  case FDT_BEGIN_NODE: {
    t->name = (const char *)f->structure + off;
    uint64 n = bounded_strlen(t->name, room);
    if (n == room)
      return -1;
    off += n + 1;
    break;
  }
  case FDT_PROP: {
    if (room < 8)
      return -1;
    t->len = be32(f->structure + off);
    uint64 nameoff = be32(f->structure + off + 4);
    if (t->len > room - 8 || nameoff >= f->strings_size)
      return -1;
    t->name = f->strings + nameoff;
    uint64 name_room = f->strings_size - nameoff;
    if (bounded_strlen(t->name, name_room) == name_room)
      return -1;
    t->value = f->structure + off + 8;
    off += 8 + t->len;
    break;
  }
  case FDT_END_NODE:
  case FDT_NOP:
  case FDT_END:
    break;
  default:
    return -1;
  }
  t->next = (off + 3) & ~(uint64)3;
  return 0;
}

// The value of the node's property called name, or 0 if it has none.
// A node's properties come right after its BEGIN_NODE, before any child.
static const uint8 *
find_prop(const struct fdt *f, uint64 node, const char *name, uint32 *len)
{
  struct token t;
  if (read_token(f, node, &t) < 0 || t.kind != FDT_BEGIN_NODE)
    return 0;
  for (uint64 off = t.next; read_token(f, off, &t) == 0; off = t.next) {
    if (t.kind == FDT_PROP && strcmp(t.name, name) == 0) {
      *len = t.len;
      return t.value;
    }
    if (t.kind != FDT_PROP && t.kind != FDT_NOP)
      break;
  }
  return 0;
}

static int
has_prop(const struct fdt *f, uint64 node, const char *name)
{
  uint32 len;
  return find_prop(f, node, name, &len) != 0;
}

// A property holding one number, as a u32 or a u64; dflt if absent or
// of another size.
static uint64
prop_number(const struct fdt *f, uint64 node, const char *name, uint64 dflt)
{
  uint32 len;
  const uint8 *v = find_prop(f, node, name, &len);
  if (v && len == 4)
    return be32(v);
  if (v && len == 8)
    return be64(v);
  return dflt;
}

// A property holding one cell, or the first of a list of cells; dflt if
// absent.
static uint32
prop_cell(const struct fdt *f, uint64 node, const char *name, uint32 dflt)
{
  uint32 len;
  const uint8 *v = find_prop(f, node, name, &len);
  return v && len >= 4 ? be32(v) : dflt;
}

// A string property, or 0 if it is absent or not NUL-terminated.
static const char *
prop_string(const struct fdt *f, uint64 node, const char *name)
{
  uint32 len;
  const uint8 *v = find_prop(f, node, name, &len);
  if (!v || len == 0 || v[len - 1] != 0)
    return 0;
  return (const char *)v;
}

// Whether the string-list property called name contains s.
static int
prop_has_string(const struct fdt *f, uint64 node, const char *name, const char *s)
{
  uint32 len;
  const char *list = (const char *)find_prop(f, node, name, &len);
  if (!list)
    return 0;
  for (uint32 i = 0; i < len; ) {
    uint64 n = bounded_strlen(list + i, len - i);
    if (n == len - i)
      return 0;
    if (strcmp(list + i, s) == 0)
      return 1;
    i += n + 1;
  }
  return 0;
}

static int
is_compatible(const struct fdt *f, uint64 node, const char *compatible)
{
  return prop_has_string(f, node, "compatible", compatible);
}

// A node whose status is neither absent nor "okay" is not there to use.
static int
is_enabled(const struct fdt *f, uint64 node)
{
  const char *status = prop_string(f, node, "status");
  return !status || strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0;
}

static int
has_device_type(const struct fdt *f, uint64 node, const char *type)
{
  const char *t = prop_string(f, node, "device_type");
  return t && strcmp(t, type) == 0;
}

static void
walk_start(struct walk *w, uint64 node)
{
  w->next = node;
  w->depth = 0;
}

// Steps to the walk's next node.  Returns 1 and fills *n, 0 once the
// subtree is done, or -1 if the structure block is malformed there.
static int
next_node(const struct fdt *f, struct walk *w, struct node *n)
{
  struct token t;
  for (;;) {
    uint64 off = w->next;
    if (read_token(f, off, &t) < 0)
      return -1;
    w->next = t.next;
    if (t.kind == FDT_NOP || (t.kind == FDT_PROP && w->depth > 0))
      continue;
    if (t.kind == FDT_END_NODE && w->depth > 0) {
      if (--w->depth == 0)
        return 0;
      continue;
    }
    if (t.kind != FDT_BEGIN_NODE || w->depth == MAX_DEPTH)
      return -1;

    n->off = off;
    n->name = t.name;
    n->depth = w->depth;
    if (w->depth == 0) {
      n->parent = NO_NODE;
      n->addr_cells = 2;    // the specification's defaults
      n->size_cells = 1;
    } else {
      n->parent = w->open[w->depth - 1].off;
      n->addr_cells = w->open[w->depth - 1].addr_cells;
      n->size_cells = w->open[w->depth - 1].size_cells;
    }
    w->open[w->depth].off = off;
    w->open[w->depth].addr_cells = prop_cell(f, off, "#address-cells", 2);
    w->open[w->depth].size_cells = prop_cell(f, off, "#size-cells", 1);
    w->depth++;
    return 1;
  }
}

// Walks the whole tree once, so that later walks cannot meet a bad token,
// and finds the root.
static int
check_tree(struct fdt *f)
{
  struct walk w;
  struct node n;
  int r;
  walk_start(&w, 0);
  if (next_node(f, &w, &n) != 1)
    return -1;
  f->root = n.off;
  while ((r = next_node(f, &w, &n)) == 1)
    ;
  if (r < 0)
    return -1;

  struct token t;
  for (uint64 off = w.next; read_token(f, off, &t) == 0; off = t.next) {
    if (t.kind == FDT_END)
      return 0;
    if (t.kind != FDT_NOP)
      break;
  }
  return -1;
}

// The entry-th (base, size) pair of the node's reg.  Returns -1 if there
// is none, or if the parent's cell counts do not fit 64-bit numbers.
static int
read_reg(const struct fdt *f, const struct node *n, uint32 entry, uint64 *base, uint64 *size)
{
  uint32 len;
  const uint8 *reg = find_prop(f, n->off, "reg", &len);
  if (!reg || n->addr_cells < 1 || n->addr_cells > 2 || n->size_cells > 2)
    return -1;
  uint64 entry_size = 4 * (n->addr_cells + n->size_cells);
  if ((entry + 1) * entry_size > len)
    return -1;
  reg += entry * entry_size;
  *base = read_cells(reg, n->addr_cells);
  *size = read_cells(reg + 4 * n->addr_cells, n->size_cells);
  return 0;
}

// Whether a node called name fits a path component: the same full name,
// or, for a component without "@unit", the same name before its '@'.
static int
name_matches(const char *name, const char *component, uint64 len)
{
  if (strncmp(name, component, len) != 0)
    return 0;
  if (name[len] == 0)
    return 1;
  if (name[len] != '@')
    return 0;
  for (uint64 i = 0; i < len; i++)
    if (component[i] == '@')
      return 0;
  return 1;
}

static uint64
find_child(const struct fdt *f, uint64 parent, const char *component, uint64 len)
{
  struct walk w;
  struct node n;
  walk_start(&w, parent);
  while (next_node(f, &w, &n) == 1)
    if (n.depth == 1 && name_matches(n.name, component, len))
      return n.off;
  return NO_NODE;
}

// The node at the absolute path's first len characters, or NO_NODE.
static uint64
find_path(const struct fdt *f, const char *path, uint64 len)
{
  if (len == 0 || path[0] != '/')
    return NO_NODE;
  uint64 node = f->root;
  const char *end = path + len;
  for (const char *p = path; p < end; ) {
    if (*p == '/') {
      p++;
      continue;
    }
    const char *component_end = p;
    while (component_end < end && *component_end != '/')
      component_end++;
    node = find_child(f, node, p, component_end - p);
    if (node == NO_NODE)
      return NO_NODE;
    p = component_end;
  }
  return node;
}

static uint64
find_node(const struct fdt *f, const char *path)
{
  return find_path(f, path, strlen(path));
}

// The kernel command line (QEMU's -append): kept whole, or cut at a word
// boundary if it is too long, so that no word is read half.
static void
read_bootargs(const struct fdt *f, struct platform *out)
{
  uint64 chosen = find_node(f, "/chosen");
  const char *args = chosen == NO_NODE ? 0 : prop_string(f, chosen, "bootargs");
  if (!args)
    return;
  uint64 len = strlen(args);
  if (len >= sizeof out->bootargs) {
    len = sizeof out->bootargs - 1;
    while (len > 0 && args[len] != ' ')
      len--;
  }
  safestrcpy(out->bootargs, args, len + 1);
}

// The initrd a boot loader placed in RAM: /chosen linux,initrd-start and
// linux,initrd-end, each a 32- or 64-bit number.  Both or neither.
static void
read_initrd(const struct fdt *f, struct platform *out)
{
  uint64 chosen = find_node(f, "/chosen");
  if (chosen == NO_NODE)
    return;
  uint64 start = prop_number(f, chosen, "linux,initrd-start", 0);
  uint64 end = prop_number(f, chosen, "linux,initrd-end", 0);
  if (start != 0 && end > start) {
    out->initrd_start = start;
    out->initrd_end = end;
  }
}

// The console that /chosen stdout-path names, or NO_NODE.  The value is a
// path ("/soc/serial@10000000") or an alias from /aliases ("serial0"),
// either one optionally followed by ":options" ("serial0:115200n8").
static uint64
console_node(const struct fdt *f)
{
  uint64 chosen = find_node(f, "/chosen");
  const char *path = chosen == NO_NODE ? 0 : prop_string(f, chosen, "stdout-path");
  if (!path)
    return NO_NODE;
  uint64 len = 0;
  while (path[len] != 0 && path[len] != ':')
    len++;
  if (path[0] != '/') {
    char alias[32];
    if (len >= sizeof alias)
      return NO_NODE;
    safestrcpy(alias, path, len + 1);
    uint64 aliases = find_node(f, "/aliases");
    path = aliases == NO_NODE ? 0 : prop_string(f, aliases, alias);
    if (!path)
      return NO_NODE;
    len = strlen(path);
  }
  return find_path(f, path, len);
}

// Appends a range; -1 if the array is full.
static int
add_range(struct mem_range *ranges, int *count, int max, uint64 base, uint64 size)
{
  if (size == 0)
    return 0;
  if (*count == max)
    return -1;
  ranges[*count].base = base;
  ranges[*count].size = size;
  (*count)++;
  return 0;
}

// Appends every (base, size) pair of the node's reg; -1 if they do not fit.
static int
add_reg_ranges(const struct fdt *f, const struct node *n, struct mem_range *ranges, int *count, int max)
{
  uint64 base, size;
  for (uint32 i = 0; read_reg(f, n, i, &base, &size) == 0; i++)
    if (add_range(ranges, count, max, base, size) < 0)
      return -1;
  return 0;
}

// The /memreserve/ list: (address, size) pairs of u64 ending with (0, 0).
static int
add_memreserve(const struct fdt *f, struct platform *out)
{
  for (uint64 off = f->rsvmap; off + 16 <= f->totalsize; off += 16) {
    uint64 base = be64(f->blob + off);
    uint64 size = be64(f->blob + off + 8);
    if (base == 0 && size == 0)
      return 0;
    if (add_range(out->rsv, &out->nrsv, PLATFORM_MAX_RSV, base, size) < 0)
      return -1;
  }
  return -1;
}

// Whether the cpu has the Sstc extension, in the newer riscv,isa-extensions
// list or in riscv,isa, where multi-letter extensions each follow an '_'
// ("rv64imafdc_zicsr_sstc").
static int
has_sstc(const struct fdt *f, uint64 cpu)
{
  if (prop_has_string(f, cpu, "riscv,isa-extensions", "sstc"))
    return 1;
  const char *isa = prop_string(f, cpu, "riscv,isa");
  if (!isa)
    return 0;
  for (const char *p = strchr(isa, '_'); p; p = strchr(p + 1, '_'))
    if (strncmp(p + 1, "sstc", 4) == 0 && (p[5] == '_' || p[5] == 0))
      return 1;
  return 0;
}

// The phandle of the cpu's local interrupt controller (its child node),
// through which the PLIC names the cpu; 0 if none.
static uint32
cpu_intc_phandle(const struct fdt *f, uint64 cpu)
{
  struct walk w;
  struct node n;
  walk_start(&w, cpu);
  while (next_node(f, &w, &n) == 1)
    if (n.depth == 1 && is_compatible(f, n.off, "riscv,cpu-intc"))
      return prop_cell(f, n.off, "phandle", 0);
  return 0;
}

// What the walk over the tree collects besides struct platform.
struct scan {
  uint64 console;              // the stdout-path node, or NO_NODE
  uint64 reserved_memory;      // /reserved-memory, or NO_NODE
  uint64 plic;                 // the PLIC node, or NO_NODE
  uint32 intc_phandle[PLATFORM_MAX_HARTS];  // for each harts[] entry
};

static void
add_hart(const struct fdt *f, const struct node *n, struct scan *s, struct platform *out)
{
  uint64 hartid, unused;
  if (out->nharts == PLATFORM_MAX_HARTS || read_reg(f, n, 0, &hartid, &unused) < 0)
    return;
  struct hart_info *h = &out->harts[out->nharts];
  h->hartid = hartid;
  h->unusable_why = !is_enabled(f, n->off)              ? "disabled in the device tree"
                    : !has_prop(f, n->off, "mmu-type") ? "no MMU (no mmu-type: a monitor core)"
                                                       : 0;
  h->usable = h->unusable_why == 0;
  h->has_sstc = has_sstc(f, n->off);
  h->plic_s_context = -1;
  s->intc_phandle[out->nharts] = cpu_intc_phandle(f, n->off);
  out->nharts++;
  // Usually given once in /cpus, but a cpu node may say it itself.
  if (out->timebase_hz == 0)
    out->timebase_hz = prop_number(f, n->off, "timebase-frequency",
                                   prop_number(f, n->parent, "timebase-frequency", 0));
}

static enum uart_kind
uart_kind(const struct fdt *f, uint64 node)
{
  for (uint i = 0; i < sizeof uart_kinds / sizeof uart_kinds[0]; i++)
    if (is_compatible(f, node, uart_kinds[i].compatible))
      return uart_kinds[i].kind;
  return UART_NONE;
}

static void
read_uart(const struct fdt *f, const struct node *n, struct uart_info *u)
{
  if (read_reg(f, n, 0, &u->base, &u->size) < 0)
    return;
  u->kind = uart_kind(f, n->off);
  u->reg_shift = prop_cell(f, n->off, "reg-shift", 0);
  u->reg_io_width = prop_cell(f, n->off, "reg-io-width", 1);
  u->irq = prop_cell(f, n->off, "interrupts", 0);
  u->clock_hz = prop_number(f, n->off, "clock-frequency", 0);
}

static int
visit(const struct fdt *f, const struct node *n, struct scan *s, struct platform *out)
{
  // A disabled cpu is still listed, as not usable.
  if (has_device_type(f, n->off, "cpu")) {
    add_hart(f, n, s, out);
    return 0;
  }
  if (!is_enabled(f, n->off))
    return 0;

  if (n->depth == 0) {
    const char *model = prop_string(f, n->off, "model");
    if (model)
      safestrcpy(out->model, model, sizeof out->model);
  }
  // Too many RAM ranges only loses RAM; too many reserved ones would hand
  // out memory that is in use, so that is an error.
  if (has_device_type(f, n->off, "memory"))
    add_reg_ranges(f, n, out->mem, &out->nmem, PLATFORM_MAX_MEM);
  if (s->reserved_memory != NO_NODE && n->parent == s->reserved_memory &&
      add_reg_ranges(f, n, out->rsv, &out->nrsv, PLATFORM_MAX_RSV) < 0)
    return -1;

  if (n->off == s->console ||
      (s->console == NO_NODE && out->uart.kind == UART_NONE &&
       uart_kind(f, n->off) == UART_NS16550))
    read_uart(f, n, &out->uart);
  if (s->plic == NO_NODE &&
      (is_compatible(f, n->off, "riscv,plic0") || is_compatible(f, n->off, "sifive,plic-1.0.0")) &&
      read_reg(f, n, 0, &out->plic_base, &out->plic_size) == 0) {
    s->plic = n->off;
    out->plic_ndev = prop_cell(f, n->off, "riscv,ndev", 0);
  }
  if (is_compatible(f, n->off, "sifive,test0"))
    read_reg(f, n, 0, &out->test_base, &out->test_size);
  return 0;
}

// The PLIC's interrupts-extended lists its contexts in order, as
// <phandle irq> pairs (every target is a riscv,cpu-intc, which has
// #interrupt-cells = 1): context i is the S-mode context of the hart whose
// local interrupt controller has that phandle if irq is the S-mode
// external interrupt.
static void
assign_plic_contexts(const struct fdt *f, const struct scan *s, struct platform *out)
{
  uint32 len;
  const uint8 *contexts = s->plic == NO_NODE ? 0 :
      find_prop(f, s->plic, "interrupts-extended", &len);
  if (!contexts)
    return;
  for (uint32 i = 0; i < len / 8; i++) {
    uint32 phandle = be32(contexts + 8 * i);
    if (phandle == 0 || be32(contexts + 8 * i + 4) != IRQ_S_EXTERNAL)
      continue;
    for (int h = 0; h < out->nharts; h++)
      if (s->intc_phandle[h] == phandle && out->harts[h].plic_s_context < 0)
        out->harts[h].plic_s_context = i;
  }
}

int
fdt_parse(const void *dtb, struct platform *out)
{
  struct fdt f;
  if (open_blob(dtb, &f) < 0 || check_tree(&f) < 0)
    return -1;
  memset(out, 0, sizeof *out);
  out->dtb = dtb;
  if (add_memreserve(&f, out) < 0)
    return -1;

  struct scan s;
  s.console = console_node(&f);
  read_bootargs(&f, out);
  read_initrd(&f, out);
  s.reserved_memory = find_node(&f, "/reserved-memory");
  s.plic = NO_NODE;
  struct walk w;
  struct node n;
  walk_start(&w, f.root);
  while (next_node(&f, &w, &n) == 1)
    if (visit(&f, &n, &s, out) < 0)
      return -1;
  assign_plic_contexts(&f, &s, out);
  return 0;
}

uint64
fdt_totalsize(const void *dtb)
{
  const uint8 *h = dtb;
  return be32(h) == FDT_MAGIC ? be32(h + 4) : 0;
}

static struct dt_device
device_of(const struct fdt *f, const struct node *n)
{
  struct dt_device d = { .dtb = f->blob, .node = n->off };
  if (read_reg(f, n, 0, &d.base, &d.size) < 0)
    d.base = d.size = 0;
  d.irq = prop_cell(f, n->off, "interrupts", 0);
  return d;
}

// The blob was checked by fdt_parse; opening it again only finds its parts.
int
dt_find_compatible(const void *dtb, const char *compatible, struct dt_device *out, int max)
{
  struct fdt f;
  if (open_blob(dtb, &f) < 0 || check_tree(&f) < 0)
    return 0;
  int found = 0;
  struct walk w;
  struct node n;
  walk_start(&w, f.root);
  while (found < max && next_node(&f, &w, &n) == 1)
    if (is_compatible(&f, n.off, compatible) && is_enabled(&f, n.off))
      out[found++] = device_of(&f, &n);
  return found;
}

int
dt_child(const struct dt_device *d, const char *compatible, struct dt_device *child)
{
  struct fdt f;
  if (open_blob(d->dtb, &f) < 0 || check_tree(&f) < 0)
    return -1;
  struct walk w;
  struct node n;
  walk_start(&w, d->node);
  while (next_node(&f, &w, &n) == 1)
    if (n.depth == 1 && is_compatible(&f, n.off, compatible) && is_enabled(&f, n.off)) {
      *child = device_of(&f, &n);
      return 0;
    }
  return -1;
}

uint32
dt_cell(const struct dt_device *d, const char *prop, uint32 dflt)
{
  struct fdt f;
  if (open_blob(d->dtb, &f) < 0)
    return dflt;
  return prop_cell(&f, d->node, prop, dflt);
}
