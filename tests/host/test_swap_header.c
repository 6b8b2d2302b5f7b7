// sources: kernel/vm/swap_header.c kernel/dev/gpt.c kernel/lib/crc32.c kernel/lib/string.c kernel/lib/format.c
// swap_header_check on headers written by util-linux mkswap, on a swap
// partition found by gpt_read in an image sfdisk partitioned (the path the
// kernel takes at boot), and on mkswap headers damaged one field at a time.
// Every header page lives in a heap block of exactly SWAP_PAGE bytes, so
// AddressSanitizer catches any read past it.
#define _POSIX_C_SOURCE 200809L   // popen, pclose
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "types.h"
#include "lib/lib.h"
#include "dev/gpt.h"
#include "vm/swap_header.h"

// mkswap and sfdisk live in /usr/sbin, which is not on an ordinary user's PATH.
#define TOOLS "PATH=\"$PATH:/usr/sbin:/sbin\" "
#define DIR "build/host/"

// Header fields (Linux include/linux/swap.h, union swap_header).
#define VERSION 1024
#define LAST_PAGE 1028
#define NR_BADPAGES 1032
#define BADPAGES 1536
#define MAGIC 4086

static int failures;

static void check(int ok, const char *what, const char *detail, ...)
{
  if (ok) {
    printf("PASS test_swap_header: %s\n", what);
    return;
  }
  va_list ap;
  va_start(ap, detail);
  printf("FAIL test_swap_header: %s (", what);
  vprintf(detail, ap);
  printf(")\n");
  va_end(ap);
  failures++;
}

static void fail_setup(const char *what)
{
  printf("FAIL test_swap_header: %s\n", what);
  exit(1);
}

static uint32 get32(const uint8 *p)
{
  return (uint32)p[0] | (uint32)p[1] << 8 | (uint32)p[2] << 16 | (uint32)p[3] << 24;
}

static void put32(uint8 *p, uint32 v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (uint8)(v >> (8 * i));
}

static void make_empty(const char *path, long bytes)
{
  FILE *f = fopen(path, "wb");
  if (f == 0 || fseek(f, bytes - 1, SEEK_SET) != 0 || fputc(0, f) == EOF || fclose(f) != 0)
    fail_setup("cannot create a file under " DIR);
}

static void shell(const char *cmd)
{
  if (system(cmd) != 0) {
    printf("FAIL test_swap_header: command failed: %s\n", cmd);
    exit(1);
  }
}

// A swap file of `bytes` bytes made by mkswap (extra: more mkswap options).
static void make_swap(const char *path, long bytes, const char *extra)
{
  make_empty(path, bytes);
  char cmd[512];
  snprintf(cmd, sizeof cmd, TOOLS "mkswap -q -p 4096 %s '%s'", extra, path);
  shell(cmd);
}

// The first SWAP_PAGE bytes at offset of a file, in a block of exactly that size.
static uint8 *read_page(const char *path, long offset)
{
  uint8 *page = malloc(SWAP_PAGE);
  FILE *f = fopen(path, "rb");
  if (page == 0 || f == 0 || fseek(f, offset, SEEK_SET) != 0 ||
      fread(page, 1, SWAP_PAGE, f) != SWAP_PAGE)
    fail_setup("cannot read a swap header");
  fclose(f);
  return page;
}

static uint64 file_pages(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (f == 0 || fseek(f, 0, SEEK_END) != 0)
    fail_setup("cannot open a swap file");
  long bytes = ftell(f);
  fclose(f);
  return (uint64)bytes / SWAP_PAGE;
}

// ---- Headers from mkswap ----

static void expect_mkswap_file(const char *what, const char *path)
{
  uint8 *page = read_page(path, 0);
  uint64 pages = file_pages(path);
  struct swap_header_info info = { 0, 99 };
  const char *why = 0;
  int r = swap_header_check(page, pages, &info, &why);
  check(r == 0 && info.pages == get32(page + LAST_PAGE) && info.pages == pages - 1 &&
        info.bad_pages == 0,
        what, "got %d (%s), pages %lu, header last_page %u, file pages %lu", r,
        why ? why : "", info.pages, get32(page + LAST_PAGE), pages);
  free(page);
}

static void test_mkswap(void)
{
  make_swap(DIR "swap-1m.img", 1 << 20, "");
  expect_mkswap_file("mkswap on 1 MiB: pages == last_page == file pages - 1 (255)",
                     DIR "swap-1m.img");
  make_swap(DIR "swap-46m.img", 46 << 20, "");
  expect_mkswap_file("mkswap on 46 MiB: pages == last_page == file pages - 1 (11775)",
                     DIR "swap-46m.img");
  make_swap(DIR "swap-label.img", 3 << 20, "-L swaplabel -U 01234567-89ab-cdef-0123-456789abcdef");
  expect_mkswap_file("mkswap with a label and a UUID: the same", DIR "swap-label.img");
  // A size that is not a whole number of pages: the partial page is not used.
  make_swap(DIR "swap-odd.img", (1 << 20) + 3000, "");
  expect_mkswap_file("mkswap on 1 MiB + 3000 bytes: the partial page is left out",
                     DIR "swap-odd.img");

  // mkswap -f writes a header for a larger area than the file: 2 MiB on 1 MiB.
  make_empty(DIR "swap-oversized.img", 1 << 20);
  shell(TOOLS "mkswap -q -f -p 4096 " DIR "swap-oversized.img 2048");
  uint8 *page = read_page(DIR "swap-oversized.img", 0);
  struct swap_header_info info;
  const char *why = 0;
  int r = swap_header_check(page, 256, &info, &why);
  check(get32(page + LAST_PAGE) == 511 && r == 0 && info.pages == 255,
        "a header for 512 pages (mkswap -f) on 256: cut to the partition, 255 pages",
        "header last_page %u, got %d (%s), pages %lu", get32(page + LAST_PAGE), r,
        why ? why : "", info.pages);
  free(page);
}

// The swap partition of a GPT disk, found the way the kernel finds it.
struct image {
  FILE *file;
};

static int read_sector(void *ctx, uint64 lba, void *buf)
{
  struct image *im = ctx;
  if (fseek(im->file, (long)(lba * GPT_SECTOR), SEEK_SET) != 0 ||
      fread(buf, 1, GPT_SECTOR, im->file) != GPT_SECTOR)
    return -1;
  return 0;
}

static void test_swap_partition(void)
{
  const char *disk = DIR "swap-disk.img";
  make_empty(disk, 16 << 20);
  shell("printf 'label: gpt\\nsize=4M, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\\n"
        "type=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F\\n' | " TOOLS
        "sfdisk --quiet " DIR "swap-disk.img > /dev/null");
  struct image im = { fopen(disk, "r+b") };
  if (im.file == 0)
    fail_setup("cannot open the disk image");
  struct gpt_partition parts[GPT_MAX_PARTITIONS];
  const char *why = 0;
  int n = gpt_read(read_sector, &im, (16 << 20) / GPT_SECTOR, parts, GPT_MAX_PARTITIONS, &why);
  const struct gpt_partition *swap = gpt_find(parts, n, GPT_TYPE_LINUX_SWAP);
  if (swap == 0) {
    check(0, "the GPT disk has a swap partition", "gpt_read %d (%s)", n, why ? why : "");
    fclose(im.file);
    return;
  }
  // mkswap the partition's bytes as a file of its own, then put them in place.
  long bytes = (long)(swap->sectors * GPT_SECTOR);
  long offset = (long)(swap->first_lba * GPT_SECTOR);
  make_swap(DIR "swap-part.img", bytes, "");
  uint8 *header = read_page(DIR "swap-part.img", 0);
  if (fseek(im.file, offset, SEEK_SET) != 0 || fwrite(header, 1, SWAP_PAGE, im.file) != SWAP_PAGE)
    fail_setup("cannot write the swap header into the disk image");
  fclose(im.file);
  free(header);

  // blkid (if there) agrees that a swap area starts there.
  char cmd[256];
  snprintf(cmd, sizeof cmd, TOOLS "blkid -p -o value -s TYPE --offset %ld %s 2>/dev/null", offset,
           disk);
  FILE *p = popen(cmd, "r");
  char type[32] = "";
  if (p) {
    if (fgets(type, sizeof type, p) == 0)
      type[0] = '\0';
    pclose(p);
  }
  check(strncmp(type, "swap", 4) == 0, "blkid sees the swap area in the swap partition",
        "blkid says \"%s\"", type);

  uint8 *page = read_page(disk, offset);
  uint64 partition_pages = swap->sectors / (SWAP_PAGE / GPT_SECTOR);
  struct swap_header_info info;
  int r = swap_header_check(page, partition_pages, &info, &why);
  check(r == 0 && info.pages == partition_pages - 1 && info.bad_pages == 0,
        "the swap partition of a GPT disk: pages == partition pages - 1",
        "got %d (%s), pages %lu, partition %lu pages", r, r ? why : "", info.pages,
        partition_pages);
  free(page);
}

// ---- Damaged headers ----

static uint8 *good;   // mkswap's header for 256 pages

static uint8 *fresh(void)
{
  uint8 *page = malloc(SWAP_PAGE);
  memmove(page, good, SWAP_PAGE);
  return page;
}

static void expect_refused(const char *what, uint8 *page, uint64 partition_pages,
                           const char *reason)
{
  struct swap_header_info info = { 12345, 678 };
  const char *why = 0;
  int r = swap_header_check(page, partition_pages, &info, &why);
  check(r == -1 && why && strcmp(why, reason) == 0, what, "got %d (%s)", r, why ? why : "");
  free(page);
}

static void expect_accepted(const char *what, uint8 *page, uint64 partition_pages,
                            uint64 pages, uint32 bad_pages)
{
  struct swap_header_info info = { 12345, 678 };
  const char *why = 0;
  int r = swap_header_check(page, partition_pages, &info, &why);
  check(r == 0 && info.pages == pages && info.bad_pages == bad_pages, what,
        "got %d (%s), pages %lu, bad %u", r, why ? why : "", info.pages, info.bad_pages);
  free(page);
}

static void test_damaged(void)
{
  good = read_page(DIR "swap-1m.img", 0);
  uint8 *page;

  page = fresh();
  memset(page + MAGIC, 0, 10);
  expect_refused("no magic: refused", page, 256, "no swap signature");
  page = fresh();
  memset(page, 0, SWAP_PAGE);
  expect_refused("an all-zero page: refused", page, 256, "no swap signature");
  page = fresh();
  memmove(page + MAGIC, "SWAP-SPACE", 10);
  expect_refused("the version 0 magic SWAP-SPACE: refused", page, 256,
                 "version 0 swap space (SWAP-SPACE) is not supported");
  page = fresh();
  memmove(page + MAGIC, "SWAPSPACE3", 10);
  expect_refused("a near-miss magic: refused", page, 256, "no swap signature");

  page = fresh();
  put32(page + VERSION, 2);
  expect_refused("version 2: refused", page, 256, "unknown swap header version");
  page = fresh();
  put32(page + VERSION, 0);
  expect_refused("version 0 under the new magic: refused", page, 256,
                 "unknown swap header version");
  page = fresh();
  put32(page + VERSION, 0x01000000);
  expect_refused("version 1 written big-endian: refused", page, 256, "big-endian swap header");

  page = fresh();
  put32(page + LAST_PAGE, 0);
  expect_refused("last_page 0: refused", page, 256, "swap header has no usable pages");
  expect_refused("a 1-page partition: refused", fresh(), 1, "swap partition smaller than 2 pages");
  expect_refused("a 0-page partition: refused", fresh(), 0, "swap partition smaller than 2 pages");
  expect_accepted("a 2-page partition: 1 page", fresh(), 2, 1, 0);

  page = fresh();
  put32(page + LAST_PAGE, 0xffffffff);
  expect_accepted("last_page 0xffffffff: cut to the partition's 255", page, 256, 255, 0);
  page = fresh();
  put32(page + LAST_PAGE, 100);
  expect_accepted("last_page 100 on a 256-page partition: 100 pages, not more", page, 256, 100, 0);
  expect_accepted("a partition larger than the header: the header's 255 pages", fresh(), 1000,
                  255, 0);
}

static void test_bad_pages(void)
{
  struct swap_header_info info;
  const char *why;
  uint8 *page = fresh();
  put32(page + NR_BADPAGES, 3);
  put32(page + BADPAGES, 5);
  put32(page + BADPAGES + 4, 17);
  put32(page + BADPAGES + 8, 255);
  int r = swap_header_check(page, 256, &info, &why);
  check(r == 0 && info.bad_pages == 3 && info.pages == 255,
        "three bad pages listed: counted, pages still 1..last_page", "got %d, bad %u, pages %lu",
        r, info.bad_pages, info.pages);
  check(swap_header_page_is_bad(page, 5) && swap_header_page_is_bad(page, 17) &&
        swap_header_page_is_bad(page, 255),
        "each listed page is bad", "");
  check(!swap_header_page_is_bad(page, 1) && !swap_header_page_is_bad(page, 6) &&
        !swap_header_page_is_bad(page, 254) && !swap_header_page_is_bad(page, 0) &&
        !swap_header_page_is_bad(page, 256) && !swap_header_page_is_bad(page, 5 + (1UL << 32)),
        "pages not listed are not bad (nor is a 64-bit number whose low half is listed)", "");
  free(page);

  // The list is full at 637 entries: the last one ends at byte 4084, just
  // before the magic at 4086.
  page = fresh();
  put32(page + LAST_PAGE, 0xffffffff);
  put32(page + NR_BADPAGES, 637);
  for (uint32 i = 0; i < 637; i++)
    put32(page + BADPAGES + 4 * i, 1000 + i);
  r = swap_header_check(page, 5000, &info, &why);
  check(r == 0 && info.bad_pages == 637 && info.pages == 4999,
        "637 bad pages, the most the list holds: accepted", "got %d (%s)", r, r ? why : "");
  check(swap_header_page_is_bad(page, 1636) && !swap_header_page_is_bad(page, 1637),
        "the 637th bad page is found, the page after it is not", "");
  free(page);

  page = fresh();
  put32(page + NR_BADPAGES, 638);
  expect_refused("638 bad pages: refused", page, 256, "too many bad pages in the swap header");
  page = fresh();
  put32(page + NR_BADPAGES, 0xffffffff);
  check(!swap_header_page_is_bad(page, 7),
        "page_is_bad on a header listing 2^32-1 bad pages reads only the page", "");
  expect_refused("0xffffffff bad pages: refused", page, 256,
                 "too many bad pages in the swap header");

  page = fresh();
  put32(page + NR_BADPAGES, 1);
  put32(page + BADPAGES, 0);
  expect_refused("bad page 0 (the header itself): refused", page, 256,
                 "bad-page list names a page outside the swap area");
  page = fresh();
  put32(page + NR_BADPAGES, 2);
  put32(page + BADPAGES, 3);
  put32(page + BADPAGES + 4, 256);
  expect_refused("bad page last_page + 1: refused", page, 256,
                 "bad-page list names a page outside the swap area");
  // Past the partition but inside the header's area: the header is fine,
  // the page is cut off anyway.
  page = fresh();
  put32(page + LAST_PAGE, 511);
  put32(page + NR_BADPAGES, 1);
  put32(page + BADPAGES, 400);
  expect_accepted("a bad page past the partition but within last_page: accepted", page, 256, 255,
                  1);
  // A stale entry past nr_badpages is not on the list.
  page = fresh();
  put32(page + NR_BADPAGES, 1);
  put32(page + BADPAGES, 9);
  put32(page + BADPAGES + 4, 10);
  check(swap_header_page_is_bad(page, 9) && !swap_header_page_is_bad(page, 10),
        "only the first nr_badpages entries count", "");
  free(page);
  free(good);
}

int main(void)
{
  if (system(TOOLS "mkswap --version > /dev/null 2>&1") != 0) {
    printf("FAIL test_swap_header: mkswap not found; tests/setup-host installs it "
           "(Debian package util-linux)\n");
    return 1;
  }
  if (system(TOOLS "sfdisk --version > /dev/null 2>&1") != 0) {
    printf("FAIL test_swap_header: sfdisk not found; tests/setup-host installs it "
           "(Debian package fdisk)\n");
    return 1;
  }
  test_mkswap();
  test_swap_partition();
  test_damaged();
  test_bad_pages();
  return failures ? 1 : 0;
}
