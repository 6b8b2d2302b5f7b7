// sources: kernel/dev/gpt.c kernel/lib/crc32.c kernel/lib/string.c kernel/lib/format.c
// gpt_read on real GPT images made by util-linux sfdisk, read through a
// file-backed sector reader and compared with what `sfdisk -d` says; then
// the same images corrupted one field at a time. For a check that sits
// behind a CRC, the test recomputes the CRCs so that exactly that check is
// the one that fires. Each corruption is applied first to the primary table
// (the backup must be used, with the same partitions) and then to the backup
// as well (the disk must be refused, naming the reason for both). The reader
// counts reads past the disk's end: there must never be one.
#define _POSIX_C_SOURCE 200809L   // popen, pclose
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "types.h"
#include "lib/lib.h"
#include "dev/gpt.h"

// sfdisk lives in /usr/sbin, which is not on an ordinary user's PATH.
#define TOOLS "PATH=\"$PATH:/usr/sbin:/sbin\" "
#define DIR "build/host/"

static int failures;

static void check(int ok, const char *what, const char *detail, ...)
{
  if (ok) {
    printf("PASS test_gpt: %s\n", what);
    return;
  }
  va_list ap;
  va_start(ap, detail);
  printf("FAIL test_gpt: %s (", what);
  vprintf(detail, ap);
  printf(")\n");
  va_end(ap);
  failures++;
}

static int same_text(const char *a, const char *b)
{
  if (a == 0 || b == 0)
    return a == b;
  return strcmp(a, b) == 0;
}

static const char *show(const char *s)
{
  return s ? s : "(null)";
}

// ---- Little-endian fields, GUID text ----

static uint32 get32(const uint8 *p)
{
  return (uint32)p[0] | (uint32)p[1] << 8 | (uint32)p[2] << 16 | (uint32)p[3] << 24;
}

static uint64 get64(const uint8 *p)
{
  return (uint64)get32(p) | (uint64)get32(p + 4) << 32;
}

static void put32(uint8 *p, uint32 v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (uint8)(v >> (8 * i));
}

static void put64(uint8 *p, uint64 v)
{
  put32(p, (uint32)v);
  put32(p + 4, (uint32)(v >> 32));
}

static int hex_digit(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F" to its on-disk bytes: the first
// three fields little-endian, the last two as written. Returns 0 or -1.
static int guid_from_text(const char *text, uint8 out[16])
{
  uint8 be[16];
  int n = 0;
  for (const char *c = text; *c && n < 32; c++) {
    if (*c == '-')
      continue;
    int d = hex_digit(*c);
    if (d < 0)
      return -1;
    if (n % 2 == 0)
      be[n / 2] = (uint8)(d << 4);
    else
      be[n / 2] |= (uint8)d;
    n++;
  }
  if (n != 32)
    return -1;
  static const int order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
  for (int i = 0; i < 16; i++)
    out[i] = be[order[i]];
  return 0;
}

static const char *TYPE_LINUX_FS = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";
static const char *TYPE_LINUX_SWAP = "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F";
static const char *TYPE_EFI_SYSTEM = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
static const char *TYPE_MS_DATA = "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7";
static const char *TYPE_LINUX_HOME = "933AC7E1-2EB4-4F13-B844-0E14E2AEF915";

static const uint8 *guid(const char *text)
{
  static uint8 slots[8][16];
  static int next;
  uint8 *g = slots[next++ % 8];
  if (guid_from_text(text, g) != 0) {
    printf("FAIL test_gpt: bad GUID text %s in the test\n", text);
    exit(1);
  }
  return g;
}

// ---- Images and the file-backed reader ----

struct disk {
  FILE *file;
  uint64 sectors;           // the size gpt_read is told
  uint64 fail_from;         // reads of LBAs fail_from..fail_to fail
  uint64 fail_to;
  long reads;
  long reads_past_end;      // reads at LBA >= sectors: must stay 0
};

static int read_sector(void *ctx, uint64 lba, void *buf)
{
  struct disk *d = ctx;
  d->reads++;
  if (lba >= d->sectors) {
    d->reads_past_end++;
    return -1;
  }
  if (lba >= d->fail_from && lba <= d->fail_to)
    return -1;
  if (fseek(d->file, (long)(lba * GPT_SECTOR), SEEK_SET) != 0 ||
      fread(buf, 1, GPT_SECTOR, d->file) != GPT_SECTOR)
    return -1;
  return 0;
}

static void fail_setup(const char *what)
{
  printf("FAIL test_gpt: %s\n", what);
  exit(1);
}

static FILE *open_image(const char *path, struct disk *d)
{
  FILE *f = fopen(path, "r+b");
  if (f == 0 || fseek(f, 0, SEEK_END) != 0)
    fail_setup("cannot open an image under " DIR);
  *d = (struct disk){ .file = f, .sectors = (uint64)ftell(f) / GPT_SECTOR, .fail_from = 1,
                      .fail_to = 0 };
  return f;
}

// A sparse file of the given size, all zeros.
static void make_empty(const char *path, long bytes)
{
  FILE *f = fopen(path, "wb");
  if (f == 0 || fseek(f, bytes - 1, SEEK_SET) != 0 || fputc(0, f) == EOF || fclose(f) != 0)
    fail_setup("cannot create an image under " DIR);
}

// An image of `mib` MiB partitioned by an sfdisk script.
static void make_image(const char *path, int mib, const char *script)
{
  make_empty(path, (long)mib << 20);
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "printf '%s' | " TOOLS "sfdisk --quiet '%s' > /dev/null", script, path);
  if (system(cmd) != 0)
    fail_setup("sfdisk failed to build an image");
}

struct expected {
  int number;
  uint64 start;
  uint64 sectors;
  uint8 type[16];
};

// The partitions as `sfdisk -d` reports them, from lines like
//   build/host/gpt-two.img2 : start=  10240, size=  22495, type=0657FD6D-..., uuid=...
static int sfdisk_partitions(const char *path, struct expected *out, int max)
{
  char cmd[512];
  snprintf(cmd, sizeof cmd, TOOLS "sfdisk -d '%s'", path);
  FILE *p = popen(cmd, "r");
  if (p == 0)
    fail_setup("cannot run sfdisk -d");
  char line[512];
  int n = 0;
  uint len = strlen(path);
  while (fgets(line, sizeof line, p) && n < max) {
    if (strncmp(line, path, len) != 0)
      continue;
    char type[40];
    struct expected *e = &out[n];
    if (sscanf(line + len, "%d : start=%lu, size=%lu, type=%36[0-9A-Fa-f-]", &e->number,
               &e->start, &e->sectors, type) == 4 && guid_from_text(type, e->type) == 0)
      n++;
  }
  pclose(p);
  return n;
}

// ---- Running gpt_read ----

struct outcome {
  int result;
  const char *why;
  struct gpt_partition parts[GPT_MAX_PARTITIONS];
};

static struct outcome run(struct disk *d)
{
  struct outcome o;
  memset(&o, 0xA5, sizeof o);   // nothing should rely on what was there
  d->reads = d->reads_past_end = 0;
  o.result = gpt_read(read_sector, d, d->sectors, o.parts, GPT_MAX_PARTITIONS, &o.why);
  return o;
}

// Whether o found exactly the partitions in want (and never read past the end).
static int same_partitions(const struct outcome *o, const struct disk *d,
                           const struct expected *want, int n)
{
  if (o->result != n || d->reads_past_end != 0)
    return 0;
  for (int i = 0; i < n; i++) {
    const struct gpt_partition *p = &o->parts[i];
    if (p->number != want[i].number || p->first_lba != want[i].start ||
        p->sectors != want[i].sectors || memcmp(p->type, want[i].type, 16) != 0)
      return 0;
  }
  return 1;
}

static void print_partitions(const struct outcome *o)
{
  for (int i = 0; i < o->result && i < GPT_MAX_PARTITIONS; i++)
    printf("  got p%d start %lu sectors %lu\n", o->parts[i].number, o->parts[i].first_lba,
           o->parts[i].sectors);
}

// Checks that an image sfdisk made reads back as sfdisk reports it.
static void check_image(const char *what, const char *path, int partitions)
{
  struct expected want[GPT_MAX_PARTITIONS];
  int n = sfdisk_partitions(path, want, GPT_MAX_PARTITIONS);
  struct disk d;
  FILE *f = open_image(path, &d);
  struct outcome o = run(&d);
  int ok = n == partitions && same_partitions(&o, &d, want, n) && o.why == 0;
  check(ok, what, "gpt_read %d (%s), sfdisk -d lists %d", o.result, show(o.why), n);
  if (!ok)
    print_partitions(&o);
  fclose(f);
}

static void expect_no_table(const char *what, const char *path)
{
  struct disk d;
  FILE *f = open_image(path, &d);
  struct outcome o = run(&d);
  check(o.result == GPT_NO_TABLE && d.reads_past_end == 0, what, "got %d (%s)", o.result,
        show(o.why));
  fclose(f);
}

// ---- CRC-32 ----

static void test_crc32(void)
{
  const char *digits = "123456789";
  check(crc32(0, digits, 9) == 0xCBF43926, "crc32 of \"123456789\" is 0xCBF43926", "got %#x",
        crc32(0, digits, 9));
  check(crc32(0, "", 0) == 0 && crc32(0x12345678, "", 0) == 0x12345678,
        "crc32 of nothing is 0, and adding nothing changes nothing", "got %#x", crc32(0, "", 0));
  const char *fox = "The quick brown fox jumps over the lazy dog";
  check(crc32(0, fox, 43) == 0x414FA339, "crc32 of the quick brown fox is 0x414FA339", "got %#x",
        crc32(0, fox, 43));
  uint8 zero = 0;
  check(crc32(0, &zero, 1) == 0xD202EF8D, "crc32 of one zero byte is 0xD202EF8D", "got %#x",
        crc32(0, &zero, 1));
  int chained = 1;
  for (int split = 0; split <= 43; split++)
    if (crc32(crc32(0, fox, split), fox + split, 43 - split) != 0x414FA339)
      chained = 0;
  check(chained, "crc32 chains: crc32(crc32(0, a), b) is the CRC of a then b, at every split", "");
}

static void test_type_constants(void)
{
  check(memcmp(GPT_TYPE_LINUX_SWAP, guid(TYPE_LINUX_SWAP), 16) == 0 &&
        memcmp(GPT_TYPE_LINUX_FS, guid(TYPE_LINUX_FS), 16) == 0,
        "GPT_TYPE_LINUX_SWAP and GPT_TYPE_LINUX_FS are their GUIDs in on-disk byte order", "");
}

// ---- Real images ----

#define TWO DIR "gpt-two.img"
#define FOUR DIR "gpt-four.img"
#define GAPS DIR "gpt-gaps.img"

static void test_real_images(void)
{
  char script[512];
  snprintf(script, sizeof script, "label: gpt\\nsize=4M, type=%s\\ntype=%s\\n", TYPE_LINUX_FS,
           TYPE_LINUX_SWAP);
  make_image(TWO, 16, script);
  check_image("a 16 MiB disk: file system then swap, as sfdisk -d lists them", TWO, 2);

  snprintf(script, sizeof script,
           "label: gpt\\nsize=1M, type=%s\\nsize=8M, type=%s\\nsize=4M, type=%s\\ntype=%s\\n",
           TYPE_EFI_SYSTEM, TYPE_LINUX_FS, TYPE_LINUX_SWAP, TYPE_MS_DATA);
  make_image(FOUR, 64, script);
  check_image("a 64 MiB disk with four partitions, as sfdisk -d lists them", FOUR, 4);

  struct disk d;
  FILE *f = open_image(FOUR, &d);
  struct outcome o = run(&d);
  const struct gpt_partition *swap = gpt_find(o.parts, o.result, GPT_TYPE_LINUX_SWAP);
  const struct gpt_partition *fs = gpt_find(o.parts, o.result, GPT_TYPE_LINUX_FS);
  check(swap && swap->number == 3 && fs && fs->number == 2,
        "gpt_find finds the swap partition (p3) and the file system (p2)", "swap %d fs %d",
        swap ? swap->number : 0, fs ? fs->number : 0);
  check(gpt_find(o.parts, o.result, guid(TYPE_LINUX_HOME)) == 0 &&
        gpt_find(o.parts, 0, GPT_TYPE_LINUX_SWAP) == 0,
        "gpt_find gives 0 for a type that is not there, or no partitions", "");

  // The caller's max caps what is copied, never what is checked.
  struct gpt_partition one[1];
  int n = gpt_read(read_sector, &d, d.sectors, one, 1, 0);
  check(n == 1 && one[0].number == 1, "max 1 gives only the first partition (why may be 0)",
        "got %d", n);
  const char *why = "untouched";
  n = gpt_read(read_sector, &d, d.sectors, 0, 0, &why);
  check(n == 0 && why == 0, "max 0 with no array gives 0, and a clean read sets why to 0",
        "got %d (%s)", n, show(why));
  fclose(f);

  snprintf(script, sizeof script,
           "label: gpt\\n" GAPS "2 : start=2048, size=2048, type=%s\\n" GAPS
           "4 : size=4M, type=%s\\n",
           TYPE_LINUX_FS, TYPE_LINUX_SWAP);
  make_image(GAPS, 32, script);
  check_image("entries 2 and 4 used, 1 and 3 empty: numbered 2 and 4", GAPS, 2);
}

static void test_no_table(void)
{
  make_empty(DIR "gpt-zero.img", 1 << 20);
  expect_no_table("an all-zero disk has no table", DIR "gpt-zero.img");

  char script[256];
  snprintf(script, sizeof script, "label: dos\\ntype=83\\n");
  make_image(DIR "gpt-dos.img", 8, script);
  expect_no_table("an MBR-only disk (sfdisk label: dos) has no GPT", DIR "gpt-dos.img");

  // sfdisk wipes the GPT signatures when it writes a dos label over them.
  make_image(DIR "gpt-relabeled.img", 16, "label: gpt\\ntype=L\\n");
  if (system("printf '" "label: dos\\ntype=83\\n" "' | " TOOLS
             "sfdisk --quiet " DIR "gpt-relabeled.img > /dev/null") != 0)
    fail_setup("sfdisk failed to relabel an image");
  expect_no_table("a GPT disk relabeled dos by sfdisk has no GPT", DIR "gpt-relabeled.img");
}

// ---- Corruptions of the two-partition image ----

#define WORK DIR "gpt-work.img"

// The sectors outside the partitions hold the whole GPT (protective MBR,
// both headers, both entry arrays): saved once, put back before each case.
static uint8 *pristine_head, *pristine_tail;
static uint64 head_sectors, tail_sectors, disk_sectors, tail_lba;

static void sector_get(FILE *f, uint64 lba, uint8 *buf)
{
  if (fseek(f, (long)(lba * GPT_SECTOR), SEEK_SET) != 0 || fread(buf, 1, GPT_SECTOR, f) != GPT_SECTOR)
    fail_setup("cannot read the work image");
}

static void sector_put(FILE *f, uint64 lba, const uint8 *buf)
{
  if (fseek(f, (long)(lba * GPT_SECTOR), SEEK_SET) != 0 || fwrite(buf, 1, GPT_SECTOR, f) != GPT_SECTOR)
    fail_setup("cannot write the work image");
}

static void restore(FILE *f)
{
  for (uint64 i = 0; i < head_sectors; i++)
    sector_put(f, i, pristine_head + i * GPT_SECTOR);
  for (uint64 i = 0; i < tail_sectors; i++)
    sector_put(f, tail_lba + i, pristine_tail + i * GPT_SECTOR);
}

static void fix_header_crc(FILE *f, uint64 lba)
{
  uint8 h[GPT_SECTOR];
  sector_get(f, lba, h);
  uint32 size = get32(h + 12);
  if (size < 92 || size > GPT_SECTOR)
    size = 92;
  put32(h + 16, 0);
  put32(h + 16, crc32(0, h, size));
  sector_put(f, lba, h);
}

// Recomputes the entry-array CRC in the header at lba, then the header's.
static void fix_entries_crc(FILE *f, uint64 lba)
{
  uint8 h[GPT_SECTOR], s[GPT_SECTOR];
  sector_get(f, lba, h);
  uint64 bytes = (uint64)get32(h + 80) * get32(h + 84);
  uint64 entries = get64(h + 72);
  uint32 crc = 0;
  for (uint64 i = 0; bytes > 0; i++) {
    uint64 n = bytes < GPT_SECTOR ? bytes : GPT_SECTOR;
    sector_get(f, entries + i, s);
    crc = crc32(crc, s, n);
    bytes -= n;
  }
  put32(h + 88, crc);
  sector_put(f, lba, h);
  fix_header_crc(f, lba);
}

static void set_header32(FILE *f, uint64 lba, int offset, uint32 v)
{
  uint8 h[GPT_SECTOR];
  sector_get(f, lba, h);
  put32(h + offset, v);
  sector_put(f, lba, h);
}

static void set_header64(FILE *f, uint64 lba, int offset, uint64 v)
{
  uint8 h[GPT_SECTOR];
  sector_get(f, lba, h);
  put64(h + offset, v);
  sector_put(f, lba, h);
}

static uint64 header64(FILE *f, uint64 lba, int offset)
{
  uint8 h[GPT_SECTOR];
  sector_get(f, lba, h);
  return get64(h + offset);
}

// Points at entry i (128-byte entries, as sfdisk writes) of the header at lba.
static void entry_get(FILE *f, uint64 lba, int i, uint8 e[128])
{
  uint8 s[GPT_SECTOR];
  sector_get(f, header64(f, lba, 72) + (uint64)i / 4, s);
  memmove(e, s + (i % 4) * 128, 128);
}

static void entry_put(FILE *f, uint64 lba, int i, const uint8 e[128])
{
  uint8 s[GPT_SECTOR];
  uint64 where = header64(f, lba, 72) + (uint64)i / 4;
  sector_get(f, where, s);
  memmove(s + (i % 4) * 128, e, 128);
  sector_put(f, where, s);
}

// Sets a 64-bit field of entry i (0-based) and makes both CRCs right again.
static void set_entry64(FILE *f, uint64 lba, int i, int offset, uint64 v)
{
  uint8 e[128];
  entry_get(f, lba, i, e);
  put64(e + offset, v);
  entry_put(f, lba, i, e);
  fix_entries_crc(f, lba);
}

// Each corruption touches only the table whose header is at lba.
static void flip_header_byte(FILE *f, uint64 lba)
{
  uint8 h[GPT_SECTOR];
  sector_get(f, lba, h);
  h[60] ^= 0x01;   // inside the disk GUID
  sector_put(f, lba, h);
}
static void revision_2(FILE *f, uint64 lba) { set_header32(f, lba, 8, 0x00020000); fix_header_crc(f, lba); }
static void header_size_0(FILE *f, uint64 lba) { set_header32(f, lba, 12, 0); }
static void header_size_513(FILE *f, uint64 lba) { set_header32(f, lba, 12, 513); }
static void header_size_huge(FILE *f, uint64 lba) { set_header32(f, lba, 12, 0xffffffff); }
static void current_lba_wrong(FILE *f, uint64 lba) { set_header64(f, lba, 24, lba + 1); fix_header_crc(f, lba); }
static void usable_empty(FILE *f, uint64 lba)
{
  set_header64(f, lba, 40, header64(f, lba, 48) + 1);
  fix_header_crc(f, lba);
}
static void usable_past_end(FILE *f, uint64 lba) { set_header64(f, lba, 48, disk_sectors); fix_header_crc(f, lba); }
static void usable_whole_disk(FILE *f, uint64 lba)
{
  set_header64(f, lba, 40, 1);
  set_header64(f, lba, 48, disk_sectors - 1);
  fix_header_crc(f, lba);
}
static void entry_size_0(FILE *f, uint64 lba) { set_header32(f, lba, 84, 0); fix_header_crc(f, lba); }
static void entry_size_100(FILE *f, uint64 lba) { set_header32(f, lba, 84, 100); fix_header_crc(f, lba); }
static void entry_size_8192(FILE *f, uint64 lba) { set_header32(f, lba, 84, 8192); fix_header_crc(f, lba); }
static void entry_size_huge(FILE *f, uint64 lba) { set_header32(f, lba, 84, 0xffffff80); fix_header_crc(f, lba); }
static void entry_count_0(FILE *f, uint64 lba) { set_header32(f, lba, 80, 0); fix_header_crc(f, lba); }
static void entry_count_1024(FILE *f, uint64 lba) { set_header32(f, lba, 80, 1024); fix_header_crc(f, lba); }
static void entry_count_huge(FILE *f, uint64 lba) { set_header32(f, lba, 80, 0xffffffff); fix_header_crc(f, lba); }
static void entries_at_last_lba(FILE *f, uint64 lba) { set_header64(f, lba, 72, disk_sectors - 1); fix_header_crc(f, lba); }
static void entries_at_huge_lba(FILE *f, uint64 lba) { set_header64(f, lba, 72, ~0UL); fix_header_crc(f, lba); }
static void entries_in_partition(FILE *f, uint64 lba) { set_header64(f, lba, 72, 2048); fix_header_crc(f, lba); }
static void entries_byte_flipped(FILE *f, uint64 lba)
{
  uint8 e[128];
  entry_get(f, lba, 100, e);   // an unused entry: only the CRC can tell
  e[70] ^= 0x40;
  entry_put(f, lba, 100, e);
}
static void entries_crc_field(FILE *f, uint64 lba) { set_header32(f, lba, 88, 0x12345678); fix_header_crc(f, lba); }
static void p2_past_disk_end(FILE *f, uint64 lba) { set_entry64(f, lba, 1, 40, disk_sectors + 10); }
static void p2_past_last_usable(FILE *f, uint64 lba) { set_entry64(f, lba, 1, 40, header64(f, lba, 48) + 1); }
static void p1_before_first_usable(FILE *f, uint64 lba) { set_entry64(f, lba, 0, 32, header64(f, lba, 40) - 1); }
static void p1_ends_before_start(FILE *f, uint64 lba) { set_entry64(f, lba, 0, 32, ~0UL); }
static void p2_starts_in_p1(FILE *f, uint64 lba)
{
  uint8 p1[128];
  entry_get(f, lba, 0, p1);
  set_entry64(f, lba, 1, 32, get64(p1 + 40));   // p2 starts on p1's last sector
}
// Entry 3 (unused) becomes a partition inside p1.
static void p3_inside_p1(FILE *f, uint64 lba)
{
  uint8 p1[128];
  entry_get(f, lba, 0, p1);
  put64(p1 + 32, get64(p1 + 32) + 1);
  put64(p1 + 40, get64(p1 + 32) + 1);
  entry_put(f, lba, 2, p1);
  fix_entries_crc(f, lba);
}
// Entry 5 becomes a copy of entry 2.
static void p5_copy_of_p2(FILE *f, uint64 lba)
{
  uint8 p2[128];
  entry_get(f, lba, 1, p2);
  entry_put(f, lba, 4, p2);
  fix_entries_crc(f, lba);
}

struct corruption {
  const char *what;
  const char *reason;      // gpt_read's reason for one table so damaged
  void (*apply)(FILE *f, uint64 header_lba);
};

static const struct corruption corruptions[] = {
  { "a header byte flipped", "bad header CRC", flip_header_byte },
  { "revision 2.0", "unknown GPT revision", revision_2 },
  { "header size 0", "bad header size", header_size_0 },
  { "header size 513", "bad header size", header_size_513 },
  { "header size 0xffffffff", "bad header size", header_size_huge },
  { "current LBA wrong", "header is at the wrong LBA", current_lba_wrong },
  { "first usable after last usable", "usable range is empty", usable_empty },
  { "last usable LBA at the disk's end", "usable range past the end of the disk", usable_past_end },
  { "usable range over the whole disk", "partition table inside the usable range", usable_whole_disk },
  { "entry size 0", "bad partition entry size", entry_size_0 },
  { "entry size 100", "bad partition entry size", entry_size_100 },
  { "entry size 8192", "bad partition entry size", entry_size_8192 },
  { "entry size 0xffffff80", "bad partition entry size", entry_size_huge },
  { "0 entries", "no partition entries", entry_count_0 },
  { "1024 entries (128 KiB)", "partition entry array too large", entry_count_1024 },
  { "0xffffffff entries", "partition entry array too large", entry_count_huge },
  { "entries at the last LBA", "partition entries past the end of the disk", entries_at_last_lba },
  { "entries at LBA 2^64-1", "partition entries past the end of the disk", entries_at_huge_lba },
  { "entries inside a partition", "partition table inside the usable range", entries_in_partition },
  { "an unused entry's byte flipped", "bad partition entries CRC", entries_byte_flipped },
  { "entries CRC field wrong", "bad partition entries CRC", entries_crc_field },
  { "p2 past the disk's end", "entry 2 outside the usable range", p2_past_disk_end },
  { "p2 one past the last usable LBA", "entry 2 outside the usable range", p2_past_last_usable },
  { "p1 one before the first usable LBA", "entry 1 outside the usable range", p1_before_first_usable },
  { "p1 first LBA 2^64-1", "entry 1 ends before it starts", p1_ends_before_start },
  { "p2 starting on p1's last sector", "partitions 1 and 2 overlap", p2_starts_in_p1 },
  { "entry 3 inside p1", "partitions 1 and 3 overlap", p3_inside_p1 },
  { "entry 5 a copy of p2", "partitions 2 and 5 overlap", p5_copy_of_p2 },
};

static struct expected two_want[2];

static void expect_backup(struct disk *d, const char *what, const char *primary_reason)
{
  struct outcome o = run(d);
  char want_why[256];
  snprintf(want_why, sizeof want_why, "primary table bad (%s), using the backup", primary_reason);
  char line[256];
  snprintf(line, sizeof line, "%s: the backup gives the same partitions", what);
  int ok = same_partitions(&o, d, two_want, 2) && same_text(o.why, want_why);
  check(ok, line, "got %d (%s)", o.result, show(o.why));
  if (!ok)
    print_partitions(&o);
}

static void expect_invalid(struct disk *d, const char *what, const char *want_why)
{
  struct outcome o = run(d);
  check(o.result == GPT_INVALID && same_text(o.why, want_why) && d->reads_past_end == 0, what,
        "got %d (%s), %ld reads past the end", o.result, show(o.why), d->reads_past_end);
}

static void test_corruptions(FILE *f, struct disk *d)
{
  uint64 backup = disk_sectors - 1;
  for (uint i = 0; i < sizeof corruptions / sizeof corruptions[0]; i++) {
    const struct corruption *c = &corruptions[i];
    restore(f);
    c->apply(f, 1);
    expect_backup(d, c->what, c->reason);
    c->apply(f, backup);
    char what[256], why[256];
    snprintf(what, sizeof what, "%s, in both tables: refused", c->what);
    snprintf(why, sizeof why, "primary: %s; backup: %s", c->reason, c->reason);
    expect_invalid(d, what, why);
  }

  uint8 zero[GPT_SECTOR] = { 0 }, header[GPT_SECTOR];
  restore(f);
  sector_put(f, 1, zero);
  expect_backup(d, "primary header zeroed", "no GPT signature");
  sector_put(f, backup, zero);
  struct outcome o = run(d);
  check(o.result == GPT_NO_TABLE && same_text(o.why, "no GPT signature"),
        "both headers zeroed: no table", "got %d (%s)", o.result, show(o.why));
  restore(f);
  sector_put(f, 1, zero);
  flip_header_byte(f, backup);
  expect_invalid(d, "primary zeroed, backup damaged: refused, not a bare disk",
                 "primary: no GPT signature; backup: bad header CRC");

  restore(f);
  sector_get(f, backup, header);
  sector_put(f, 1, header);
  expect_backup(d, "the backup header copied over the primary", "header is at the wrong LBA");

  restore(f);
  for (uint64 lba = 2; lba < 34; lba++)
    sector_put(f, lba, zero);
  expect_backup(d, "primary entries zeroed", "bad partition entries CRC");

  // Header sizes from 92 to 512 are all fine when the CRC covers them.
  restore(f);
  set_header32(f, 1, 12, 512);
  fix_header_crc(f, 1);
  o = run(d);
  check(same_partitions(&o, d, two_want, 2) && o.why == 0,
        "header size 512 with its CRC over 512 bytes is accepted", "got %d (%s)", o.result,
        show(o.why));

  // A disk shorter than its table: no backup at the (new) last LBA either.
  restore(f);
  uint64 last_usable = header64(f, 1, 48);
  d->sectors = last_usable;
  expect_invalid(d, "a disk that ends inside the usable range: refused",
                 "primary: usable range past the end of the disk; backup: no GPT signature");
  d->sectors = disk_sectors;
}

// Rewrites the primary's entry array with entries of entry_size bytes (each
// holding the original 128-byte entry, then zeros) and fixes both CRCs.
static void rewrite_entries(FILE *f, uint32 entry_size, uint32 count)
{
  uint8 *array = calloc(1, (uint64)entry_size * count + GPT_SECTOR);
  for (uint32 i = 0; i < count && i < 128; i++)
    entry_get(f, 1, (int)i, array + (uint64)i * entry_size);
  uint64 entries = header64(f, 1, 72);
  uint64 sectors = ((uint64)entry_size * count + GPT_SECTOR - 1) / GPT_SECTOR;
  for (uint64 s = 0; s < sectors; s++)
    sector_put(f, entries + s, array + s * GPT_SECTOR);
  free(array);
  set_header32(f, 1, 84, entry_size);
  set_header32(f, 1, 80, count);
  fix_entries_crc(f, 1);
}

static void test_entry_sizes(FILE *f, struct disk *d)
{
  static const struct { uint32 size, count; } layouts[] = {
    { 256, 64 }, { 384, 42 }, { 512, 32 }, { 1024, 16 }, { 4096, 16 },
  };
  for (uint i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
    restore(f);
    rewrite_entries(f, layouts[i].size, layouts[i].count);
    struct outcome o = run(d);
    char what[128];
    snprintf(what, sizeof what, "%u entries of %u bytes read the same partitions",
             layouts[i].count, layouts[i].size);
    check(same_partitions(&o, d, two_want, 2) && o.why == 0, what, "got %d (%s)", o.result,
          show(o.why));
  }
  // One 128-byte entry: the CRC covers a quarter of a sector.
  restore(f);
  rewrite_entries(f, 128, 1);
  struct outcome o = run(d);
  check(same_partitions(&o, d, two_want, 1) && o.why == 0,
        "a table of a single entry (CRC over 128 bytes) gives p1", "got %d (%s)", o.result,
        show(o.why));
}

// A hostile but valid table: 512 used entries (the most 64 KiB holds), one
// sector each. Every pair is compared; the reads must stay bounded.
static void test_many_entries(FILE *f, struct disk *d)
{
  restore(f);
  enum { COUNT = 512 };
  uint8 (*entries)[128] = calloc(COUNT, 128);
  uint64 first_usable = header64(f, 1, 40);
  for (int i = 0; i < COUNT; i++) {
    memmove(entries[i], GPT_TYPE_LINUX_FS, 16);
    put64(entries[i] + 32, first_usable + (uint64)i);
    put64(entries[i] + 40, first_usable + (uint64)i);
  }
  uint64 where = header64(f, 1, 72);
  for (int s = 0; s < COUNT / 4; s++)
    sector_put(f, where + (uint64)s, (uint8 *)entries[s * 4]);
  set_header32(f, 1, 80, COUNT);
  fix_entries_crc(f, 1);
  struct outcome o = run(d);
  int ok = o.result == GPT_MAX_PARTITIONS && o.why == 0 && o.parts[15].number == 16 &&
           o.parts[15].first_lba == first_usable + 15 && d->reads_past_end == 0;
  check(ok, "512 one-sector partitions: the first 16 returned", "got %d (%s)", o.result,
        show(o.why));
  check(d->reads < 40000, "512 partitions checked pairwise in under 40000 sector reads",
        "%ld reads", d->reads);

  // The last two overlap: found though they are far past max.
  put64(entries[COUNT - 1] + 32, first_usable + COUNT - 2);
  put64(entries[COUNT - 1] + 40, first_usable + COUNT - 2);
  sector_put(f, where + COUNT / 4 - 1, (uint8 *)entries[COUNT - 4]);
  fix_entries_crc(f, 1);
  expect_backup(d, "an overlap of entries 511 and 512, far past max", "partitions 511 and 512 overlap");
  free(entries);
}

static void test_reader_failures(struct disk *d)
{
  d->fail_from = d->fail_to = 1;
  expect_backup(d, "a reader failing at LBA 1", "cannot read the header");
  d->fail_from = 2;
  d->fail_to = 33;
  expect_backup(d, "a reader failing on the primary entries", "cannot read the partition entries");
  d->fail_from = 0;
  d->fail_to = ~0UL;
  expect_invalid(d, "a reader that always fails: refused, not a bare disk",
                 "primary: cannot read the header; backup: cannot read the header");
  d->fail_from = 1;
  d->fail_to = 0;
}

static void test_tiny_disks(FILE *f, struct disk *d)
{
  restore(f);
  struct outcome o;
  for (uint64 sectors = 0; sectors <= 1; sectors++) {
    d->sectors = sectors;
    o = run(d);
    char what[80];
    snprintf(what, sizeof what, "a disk of %lu sectors: no table, nothing read", sectors);
    check(o.result == GPT_NO_TABLE && d->reads == 0, what, "got %d, %ld reads", o.result,
          d->reads);
  }
  // The first sectors of a real GPT disk, cut short.
  d->sectors = 2;
  expect_invalid(d, "a GPT disk cut to 2 sectors: refused", "usable range past the end of the disk");
  d->sectors = 3;
  expect_invalid(d, "a GPT disk cut to 3 sectors: refused",
                 "primary: usable range past the end of the disk; backup: no GPT signature");
  d->sectors = disk_sectors;

  struct disk zero;
  FILE *z = open_image(DIR "gpt-zero.img", &zero);
  zero.sectors = 2;
  o = run(&zero);
  check(o.result == GPT_NO_TABLE && zero.reads_past_end == 0, "an all-zero 2-sector disk: no table",
        "got %d (%s)", o.result, show(o.why));
  fclose(z);
}

static void test_damaged_images(void)
{
  // The work image is a copy of the two-partition image.
  if (system("cp --sparse=always '" TWO "' '" WORK "'") != 0)
    fail_setup("cannot copy the image");
  if (sfdisk_partitions(TWO, two_want, 2) != 2)
    fail_setup("sfdisk -d does not list the two partitions");
  struct disk d;
  FILE *f = open_image(WORK, &d);
  disk_sectors = d.sectors;
  head_sectors = two_want[0].start;                       // up to the first partition
  tail_lba = two_want[1].start + two_want[1].sectors;     // after the last one
  tail_sectors = disk_sectors - tail_lba;
  pristine_head = malloc(head_sectors * GPT_SECTOR);
  pristine_tail = malloc(tail_sectors * GPT_SECTOR);
  for (uint64 i = 0; i < head_sectors; i++)
    sector_get(f, i, pristine_head + i * GPT_SECTOR);
  for (uint64 i = 0; i < tail_sectors; i++)
    sector_get(f, tail_lba + i, pristine_tail + i * GPT_SECTOR);

  test_corruptions(f, &d);
  test_entry_sizes(f, &d);
  test_many_entries(f, &d);
  restore(f);
  test_reader_failures(&d);
  test_tiny_disks(f, &d);

  free(pristine_head);
  free(pristine_tail);
  fclose(f);
}

int main(void)
{
  if (system(TOOLS "sfdisk --version > /dev/null 2>&1") != 0) {
    printf("FAIL test_gpt: sfdisk not found; tests/setup-host installs it (Debian package fdisk)\n");
    return 1;
  }
  test_crc32();
  test_type_constants();
  test_real_images();
  test_no_table();
  test_damaged_images();
  return failures ? 1 : 0;
}
