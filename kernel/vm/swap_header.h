// The Linux swap header (version 1, 4 KiB pages), which `mkswap` writes in
// the first page of a swap partition: checking it before paging out to the
// partition makes sure the partition really is meant for swap.
#pragma once
#include "types.h"

#define SWAP_PAGE 4096

struct swap_header_info {
  uint64 pages;          // usable swap pages: page 1 .. last_page (page 0 is the header), clamped to the partition
  uint32 bad_pages;      // how many pages the header lists as bad
};

// Checks the Linux swap header (version 1, 4 KiB pages) in the first page of
// a swap partition of partition_pages pages. 0 and *info filled, or -1 with
// *why set (a constant string).
//
// A header that claims more pages than the partition holds is not an error:
// pages is cut to the partition (see swap_header.c for why). pages counts
// the bad pages too; skip them with swap_header_page_is_bad. A bad-page list
// naming page 0 or a page past the header's last_page is rejected, as Linux
// rejects it.
int swap_header_check(const void *page, uint64 partition_pages,
                      struct swap_header_info *info, const char **why);

// Whether swap page pageno (1-based, as in the header) is listed as bad;
// header already checked.
int swap_header_page_is_bad(const void *page, uint64 pageno);
