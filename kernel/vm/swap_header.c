// Checking the Linux swap header that `mkswap` writes (Linux
// include/linux/swap.h, union swap_header; version 1, 4 KiB pages).
//
// Page 0 of a swap partition is the header; pages 1 .. last_page hold
// swapped-out pages. The layout, all numbers little-endian 32-bit:
//
//   0     boot bits, left alone (a boot loader or disk label may live here)
//   1024  version (1)
//   1028  last_page: the last usable page index
//   1032  nr_badpages: how many entries the bad-page list has
//   1036  UUID, then a 16-byte label at 1052 (not needed here)
//   1536  the bad-page list, one page number each
//   4086  the magic "SWAPSPACE2", ending the page
//
// The header comes from a disk, so it is untrusted: every number in it is
// checked before anything is sized or indexed by it.
#include "types.h"
#include "lib/lib.h"
#include "vm/swap_header.h"

enum {
  OFFSET_VERSION = 1024,
  OFFSET_LAST_PAGE = 1028,
  OFFSET_NR_BADPAGES = 1032,
  OFFSET_BADPAGES = 1536,
  OFFSET_MAGIC = SWAP_PAGE - 10,
};

#define MAGIC_LEN 10
#define SWAP_VERSION 1
// The same 1 read on a big-endian machine's header: bytes 00 00 00 01.
#define SWAP_VERSION_BYTE_SWAPPED 0x01000000
// As many page numbers as fit between the list's start and the magic: 637.
#define BADPAGES_MAX ((OFFSET_MAGIC - OFFSET_BADPAGES) / 4)

static uint32 get32(const uint8 *p)
{
  return (uint32)p[0] | (uint32)p[1] << 8 | (uint32)p[2] << 16 | (uint32)p[3] << 24;
}

static uint32 bad_page_entry(const uint8 *header, uint32 i)
{
  return get32(header + OFFSET_BADPAGES + 4 * i);
}

int swap_header_check(const void *page, uint64 partition_pages,
                      struct swap_header_info *info, const char **why)
{
  const uint8 *header = page;

  if (memcmp(header + OFFSET_MAGIC, "SWAPSPACE2", MAGIC_LEN) != 0) {
    // Version 0 kept a bitmap of good pages in the page instead; today's
    // Linux does not take it either.
    if (memcmp(header + OFFSET_MAGIC, "SWAP-SPACE", MAGIC_LEN) == 0)
      *why = "version 0 swap space (SWAP-SPACE) is not supported";
    else
      *why = "no swap signature";
    return -1;
  }
  uint32 version = get32(header + OFFSET_VERSION);
  if (version == SWAP_VERSION_BYTE_SWAPPED) {
    *why = "big-endian swap header";
    return -1;
  }
  if (version != SWAP_VERSION) {
    *why = "unknown swap header version";
    return -1;
  }
  // The header page plus at least one page to swap to.
  if (partition_pages < 2) {
    *why = "swap partition smaller than 2 pages";
    return -1;
  }
  uint32 last_page = get32(header + OFFSET_LAST_PAGE);
  if (last_page == 0) {
    *why = "swap header has no usable pages";
    return -1;
  }

  uint32 nr_badpages = get32(header + OFFSET_NR_BADPAGES);
  if (nr_badpages > BADPAGES_MAX) {
    *why = "too many bad pages in the swap header";
    return -1;
  }
  // A bad page the list cannot mean (the header itself, or past the area)
  // says the header is damaged; Linux refuses it too.
  for (uint32 i = 0; i < nr_badpages; i++) {
    uint32 bad = bad_page_entry(header, i);
    if (bad == 0 || bad > last_page) {
      *why = "bad-page list names a page outside the swap area";
      return -1;
    }
  }

  // A header that claims more pages than the partition holds (say, the
  // partition was shrunk after mkswap) is cut to the partition. Linux
  // refuses such an area instead ("Swap area shorter than signature
  // indicates"); cutting is just as safe, since what matters is never to
  // write past the partition, and nothing on swap outlives a boot anyway.
  uint64 pages = last_page;
  if (pages > partition_pages - 1)
    pages = partition_pages - 1;

  info->pages = pages;
  info->bad_pages = nr_badpages;
  return 0;
}

int swap_header_page_is_bad(const void *page, uint64 pageno)
{
  const uint8 *header = page;
  uint32 nr_badpages = get32(header + OFFSET_NR_BADPAGES);
  // Checked already, but never read past the list whatever the caller did.
  if (nr_badpages > BADPAGES_MAX)
    nr_badpages = BADPAGES_MAX;
  for (uint32 i = 0; i < nr_badpages; i++)
    if (bad_page_entry(header, i) == pageno)
      return 1;
  return 0;
}
