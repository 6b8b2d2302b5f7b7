// Reading a GUID Partition Table (UEFI specification, chapter 5): where the
// partitions of a disk are, and of what type. Knows nothing of any driver:
// sectors come through a reader function, so the same code runs on a virtio
// disk, an SD card, or an image file in a host test.
#pragma once
#include "types.h"

#define GPT_SECTOR 512
#define GPT_MAX_PARTITIONS 16        // how many used entries gpt_read returns at most

struct gpt_partition {
  uint8 type[16];        // type GUID as stored on disk
  uint64 first_lba;      // first sector
  uint64 sectors;        // size in sectors (last_lba - first_lba + 1)
  int number;            // 1-based entry number (partition 2 is "p2")
};

// Reads one 512-byte sector; returns 0 or -1.
typedef int (*gpt_sector_reader)(void *ctx, uint64 lba, void *buf);

#define GPT_NO_TABLE (-1)   // no GPT signature in the primary or backup header: a bare disk
#define GPT_INVALID  (-2)   // a GPT is there but cannot be trusted; *why says why

// Reads the partition table of a disk of disk_sectors sectors: the primary
// header at LBA 1 or, if the primary is invalid, the backup at the last LBA
// (as Linux does). Returns the number of used entries (type GUID not all
// zero) copied to parts (at most max, in entry order; every entry is checked
// all the same), or GPT_NO_TABLE / GPT_INVALID. After an error, parts may
// hold some entries of a table that was refused.
//
// A table with the "EFI PART" signature is refused when: its header or
// entry array cannot be read (so an unreadable disk is never taken for a
// bare one); the header's revision is not 1.0, its size not 92..512 bytes,
// its CRC wrong, or its "current LBA" not where it was read; the usable
// range is empty or runs past the disk; entries are not a multiple of 128
// bytes up to 4096; there are no entries, or the array is over 64 KiB or
// runs past the disk; the header or array lies inside the usable range; the
// array's CRC is wrong; a used entry ends before it starts or lies outside
// the usable range; two used entries overlap.
//
// *why (why may be 0) is set on every return: 0 after a clean read; a note
// like "primary table bad (bad header CRC), using the backup" when the backup
// was used; otherwise the reason, for both tables when both were looked at
// ("primary: bad header CRC; backup: no GPT signature"). A why with numbers
// in it lives in a static buffer that the next call overwrites: this is
// boot-time code, called once per disk, one call at a time.
int gpt_read(gpt_sector_reader read, void *ctx, uint64 disk_sectors,
             struct gpt_partition *parts, int max, const char **why);

// The first partition of parts[0..n) with this type, or 0.
const struct gpt_partition *gpt_find(const struct gpt_partition *parts, int n,
                                     const uint8 type[16]);

extern const uint8 GPT_TYPE_LINUX_SWAP[16];   // 0657FD6D-A4AB-43C4-84E5-0933C84B4F4F, on-disk byte order
extern const uint8 GPT_TYPE_LINUX_FS[16];     // 0FC63DAF-8483-4772-8E79-3D69D8477DE4
