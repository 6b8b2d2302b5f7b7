// Reading a GUID Partition Table (the layout: UEFI specification, chapter 5).
//
// A disk is untrusted input. Every number read from it is checked before it
// is used to compute an address, a size or a loop bound, and every check has
// a short reason for the boot line. The order of the checks follows the
// order of trust: a header must be intact (its CRC) before its fields are
// believed, and the entry array must be intact (its CRC) before any entry is.
//
// The kernel has no malloc, so nothing here holds the whole entry array: it
// is streamed through a sector buffer, once for its CRC and once for the
// entries, and the overlap check re-reads earlier entries as it needs them.
#include "types.h"
#include "lib/lib.h"
#include "dev/gpt.h"

// GUIDs are stored with their first three fields little-endian and the last
// two as written, so 0657FD6D-A4AB-43C4-... starts with 6D FD 57 06 AB A4 C4 43.
const uint8 GPT_TYPE_LINUX_SWAP[16] = {
  0x6D, 0xFD, 0x57, 0x06, 0xAB, 0xA4, 0xC4, 0x43,
  0x84, 0xE5, 0x09, 0x33, 0xC8, 0x4B, 0x4F, 0x4F,
};
const uint8 GPT_TYPE_LINUX_FS[16] = {
  0xAF, 0x3D, 0xC6, 0x0F, 0x83, 0x84, 0x72, 0x47,
  0x8E, 0x79, 0x3D, 0x69, 0xD8, 0x47, 0x7D, 0xE4,
};

// Byte offsets of the header fields (all little-endian).
enum {
  HEADER_SIGNATURE = 0,      // "EFI PART"
  HEADER_REVISION = 8,
  HEADER_SIZE = 12,          // bytes covered by the header CRC
  HEADER_CRC = 16,           // CRC-32 of the header with this field zeroed
  HEADER_CURRENT_LBA = 24,   // where this header is
  HEADER_FIRST_USABLE = 40,  // first and last sector partitions may use
  HEADER_LAST_USABLE = 48,
  HEADER_ENTRIES_LBA = 72,   // where this header's entry array starts
  HEADER_ENTRY_COUNT = 80,
  HEADER_ENTRY_SIZE = 84,
  HEADER_ENTRIES_CRC = 88,   // CRC-32 of entry_count * entry_size bytes
};

// Byte offsets in a partition entry. They all lie in its first 128 bytes.
enum {
  ENTRY_TYPE = 0,            // type GUID; all zero means the entry is unused
  ENTRY_FIRST_LBA = 32,
  ENTRY_LAST_LBA = 40,       // inclusive
};

#define PRIMARY_LBA 1
#define GPT_REVISION_1_0 0x00010000
#define HEADER_SIZE_MIN 92          // the fields above; a bigger header adds reserved bytes
#define ENTRY_SIZE_UNIT 128         // entry sizes are multiples of this
#define ENTRY_SIZE_MAX 4096
// Real tables are 128 entries of 128 bytes (16 KiB). The bound keeps the
// overlap check, which re-reads the earlier entries for each used one,
// near 33,000 sector reads (16 MiB) on a hostile disk that uses all 512
// entries; a real disk with a few partitions costs about a hundred.
#define ENTRY_ARRAY_MAX (64 * 1024)

#define WHY_SIZE 64                 // room for one reason

// ---- Small helpers ----

static uint32 get32(const uint8 *p)
{
  return (uint32)p[0] | (uint32)p[1] << 8 | (uint32)p[2] << 16 | (uint32)p[3] << 24;
}

static uint64 get64(const uint8 *p)
{
  return (uint64)get32(p) | (uint64)get32(p + 4) << 32;
}

// Writes into a buffer of known size, dropping what does not fit.
struct text {
  char *buf;
  int size;
  int len;
};

static void text_put(void *ctx, char c)
{
  struct text *t = ctx;
  if (t->len < t->size - 1)
    t->buf[t->len++] = c;
}

// printf into why[size]: a reason, possibly with numbers in it.
static void say(char *why, int size, const char *fmt, ...)
{
  struct text t = { why, size, 0 };
  va_list ap;
  va_start(ap, fmt);
  vformat(text_put, &t, fmt, ap);
  va_end(ap);
  why[t.len] = '\0';
}

// ---- The header ----

// What the rest of the code needs from a header, once it has been checked.
struct header {
  uint64 first_usable;
  uint64 last_usable;
  uint64 entries_lba;
  uint64 entries_bytes;    // entry_count * entry_size, at most ENTRY_ARRAY_MAX
  uint64 entries_sectors;  // the sectors those bytes occupy
  uint32 entry_count;
  uint32 entry_size;
  uint32 entries_crc;
};

// Reads and checks the header at lba, and fills *h. Returns 0, GPT_NO_TABLE
// if there is no signature, or GPT_INVALID; why[WHY_SIZE] says why not 0.
static int check_header(gpt_sector_reader read, void *ctx, uint64 disk_sectors,
                        uint64 lba, struct header *h, char *why)
{
  uint8 sector[GPT_SECTOR];
  if (read(ctx, lba, sector) != 0) {
    say(why, WHY_SIZE, "cannot read the header");
    return GPT_INVALID;
  }
  if (memcmp(sector + HEADER_SIGNATURE, "EFI PART", 8) != 0) {
    say(why, WHY_SIZE, "no GPT signature");
    return GPT_NO_TABLE;
  }
  if (get32(sector + HEADER_REVISION) != GPT_REVISION_1_0) {
    say(why, WHY_SIZE, "unknown GPT revision");
    return GPT_INVALID;
  }
  // The size must be checked before the CRC: the CRC covers that many bytes.
  uint32 header_size = get32(sector + HEADER_SIZE);
  if (header_size < HEADER_SIZE_MIN || header_size > GPT_SECTOR) {
    say(why, WHY_SIZE, "bad header size");
    return GPT_INVALID;
  }
  uint32 stored_crc = get32(sector + HEADER_CRC);
  memset(sector + HEADER_CRC, 0, 4);
  if (crc32(0, sector, header_size) != stored_crc) {
    say(why, WHY_SIZE, "bad header CRC");
    return GPT_INVALID;
  }

  // The header is intact; now its contents must make sense for this disk.
  // A header copied from elsewhere (or a backup read as a primary) has an
  // intact CRC but names another place.
  if (get64(sector + HEADER_CURRENT_LBA) != lba) {
    say(why, WHY_SIZE, "header is at the wrong LBA");
    return GPT_INVALID;
  }
  h->first_usable = get64(sector + HEADER_FIRST_USABLE);
  h->last_usable = get64(sector + HEADER_LAST_USABLE);
  if (h->first_usable > h->last_usable) {
    say(why, WHY_SIZE, "usable range is empty");
    return GPT_INVALID;
  }
  if (h->last_usable >= disk_sectors) {
    say(why, WHY_SIZE, "usable range past the end of the disk");
    return GPT_INVALID;
  }

  // Every entry starts at a multiple of 128 bytes into the array, so the
  // fields we read (its first 48 bytes) never straddle two sectors.
  h->entry_size = get32(sector + HEADER_ENTRY_SIZE);
  if (h->entry_size < ENTRY_SIZE_UNIT || h->entry_size % ENTRY_SIZE_UNIT != 0 ||
      h->entry_size > ENTRY_SIZE_MAX) {
    say(why, WHY_SIZE, "bad partition entry size");
    return GPT_INVALID;
  }
  h->entry_count = get32(sector + HEADER_ENTRY_COUNT);
  if (h->entry_count == 0) {
    say(why, WHY_SIZE, "no partition entries");
    return GPT_INVALID;
  }
  // Both factors are 32-bit, so the product cannot overflow 64 bits.
  h->entries_bytes = (uint64)h->entry_count * h->entry_size;
  if (h->entries_bytes > ENTRY_ARRAY_MAX) {
    say(why, WHY_SIZE, "partition entry array too large");
    return GPT_INVALID;
  }
  h->entries_sectors = (h->entries_bytes + GPT_SECTOR - 1) / GPT_SECTOR;
  h->entries_lba = get64(sector + HEADER_ENTRIES_LBA);
  // Compared by subtraction, not entries_lba + entries_sectors, so that no
  // value from the disk can make the sum wrap around.
  if (h->entries_lba >= disk_sectors ||
      h->entries_sectors > disk_sectors - h->entries_lba) {
    say(why, WHY_SIZE, "partition entries past the end of the disk");
    return GPT_INVALID;
  }
  // A partition over the header or the entries could overwrite the table.
  uint64 entries_last = h->entries_lba + h->entries_sectors - 1;
  int header_usable = lba >= h->first_usable && lba <= h->last_usable;
  int entries_usable = h->entries_lba <= h->last_usable && entries_last >= h->first_usable;
  if (header_usable || entries_usable) {
    say(why, WHY_SIZE, "partition table inside the usable range");
    return GPT_INVALID;
  }
  h->entries_crc = get32(sector + HEADER_ENTRIES_CRC);
  return 0;
}

// ---- The entry array ----

// Streams the whole entry array through one sector buffer for its CRC.
static int check_entries_crc(gpt_sector_reader read, void *ctx,
                             const struct header *h, char *why)
{
  uint8 sector[GPT_SECTOR];
  uint32 crc = 0;
  uint64 left = h->entries_bytes;   // the last sector may be only partly the array
  for (uint64 i = 0; i < h->entries_sectors; i++) {
    if (read(ctx, h->entries_lba + i, sector) != 0) {
      say(why, WHY_SIZE, "cannot read the partition entries");
      return GPT_INVALID;
    }
    uint64 n = left < GPT_SECTOR ? left : GPT_SECTOR;
    crc = crc32(crc, sector, n);
    left -= n;
  }
  if (crc != h->entries_crc) {
    say(why, WHY_SIZE, "bad partition entries CRC");
    return GPT_INVALID;
  }
  return 0;
}

// Hands out entries one at a time, reading a sector only when the entry
// asked for is not in the one it holds.
struct entry_reader {
  gpt_sector_reader read;
  void *ctx;
  const struct header *header;
  int loaded;             // whether sector holds loaded_lba
  uint64 loaded_lba;
  uint8 sector[GPT_SECTOR];
};

static void entry_reader_init(struct entry_reader *r, gpt_sector_reader read,
                              void *ctx, const struct header *h)
{
  r->read = read;
  r->ctx = ctx;
  r->header = h;
  r->loaded = 0;
}

// The bytes of entry i (i < entry_count), valid until the next call on r;
// 0 if its sector cannot be read.
static const uint8 *entry_at(struct entry_reader *r, uint32 i)
{
  uint64 offset = (uint64)i * r->header->entry_size;
  uint64 lba = r->header->entries_lba + offset / GPT_SECTOR;
  if (!r->loaded || r->loaded_lba != lba) {
    r->loaded = 0;
    if (r->read(r->ctx, lba, r->sector) != 0)
      return 0;
    r->loaded = 1;
    r->loaded_lba = lba;
  }
  return r->sector + offset % GPT_SECTOR;
}

static int entry_used(const uint8 *entry)
{
  for (int i = 0; i < 16; i++)
    if (entry[ENTRY_TYPE + i] != 0)
      return 1;
  return 0;
}

// Checks every used entry, copies the first max of them to parts, and
// returns how many it copied, or GPT_INVALID.
static int check_entries(gpt_sector_reader read, void *ctx, const struct header *h,
                         struct gpt_partition *parts, int max, char *why)
{
  // Two readers: one walks the entries, the other goes back over the
  // earlier ones for the overlap check without losing the first's place.
  struct entry_reader walker, earlier;
  entry_reader_init(&walker, read, ctx, h);
  entry_reader_init(&earlier, read, ctx, h);
  int copied = 0;

  // entry_count <= ENTRY_ARRAY_MAX / 128, so entry numbers fit in an int.
  for (uint32 i = 0; i < h->entry_count; i++) {
    const uint8 *entry = entry_at(&walker, i);
    if (entry == 0) {
      say(why, WHY_SIZE, "cannot read the partition entries");
      return GPT_INVALID;
    }
    if (!entry_used(entry))
      continue;
    int number = (int)i + 1;
    uint64 first = get64(entry + ENTRY_FIRST_LBA);
    uint64 last = get64(entry + ENTRY_LAST_LBA);
    if (first > last) {
      say(why, WHY_SIZE, "entry %d ends before it starts", number);
      return GPT_INVALID;
    }
    if (first < h->first_usable || last > h->last_usable) {
      say(why, WHY_SIZE, "entry %d outside the usable range", number);
      return GPT_INVALID;
    }
    // Compare with every earlier used entry: together these comparisons
    // cover every pair once.
    for (uint32 j = 0; j < i; j++) {
      const uint8 *other = entry_at(&earlier, j);
      if (other == 0) {
        say(why, WHY_SIZE, "cannot read the partition entries");
        return GPT_INVALID;
      }
      // Two ranges overlap when each starts before the other ends.
      if (entry_used(other) && get64(other + ENTRY_FIRST_LBA) <= last &&
          first <= get64(other + ENTRY_LAST_LBA)) {
        say(why, WHY_SIZE, "partitions %d and %d overlap", (int)j + 1, number);
        return GPT_INVALID;
      }
    }
    if (copied < max) {
      struct gpt_partition *p = &parts[copied++];
      memmove(p->type, entry + ENTRY_TYPE, 16);
      p->first_lba = first;
      // Cannot overflow: last < disk_sectors.
      p->sectors = last - first + 1;
      p->number = number;
    }
  }
  return copied;
}

// Checks the whole table whose header is at lba: the header, the CRC of the
// entry array, then each entry. Returns what gpt_read returns.
static int check_table(gpt_sector_reader read, void *ctx, uint64 disk_sectors,
                       uint64 lba, struct gpt_partition *parts, int max, char *why)
{
  struct header h;
  int error = check_header(read, ctx, disk_sectors, lba, &h, why);
  if (error == 0)
    error = check_entries_crc(read, ctx, &h, why);
  if (error != 0)
    return error;
  return check_entries(read, ctx, &h, parts, max, why);
}

// ---- The interface ----

int gpt_read(gpt_sector_reader read, void *ctx, uint64 disk_sectors,
             struct gpt_partition *parts, int max, const char **why)
{
  // Reasons with numbers in them, and the note about using the backup.
  static char message[2 * WHY_SIZE + 32];
  char primary_why[WHY_SIZE], backup_why[WHY_SIZE];
  const char *unwanted;
  if (why == 0)
    why = &unwanted;
  if (max < 0)
    max = 0;
  *why = 0;

  if (disk_sectors <= PRIMARY_LBA) {
    *why = "disk too small for a GPT";
    return GPT_NO_TABLE;
  }
  int primary = check_table(read, ctx, disk_sectors, PRIMARY_LBA, parts, max, primary_why);
  if (primary >= 0)
    return primary;

  // On a two-sector disk the last LBA is the primary's: there is no backup.
  uint64 backup_lba = disk_sectors - 1;
  if (backup_lba == PRIMARY_LBA) {
    safestrcpy(message, primary_why, sizeof(message));
    *why = message;
    return primary;
  }
  int backup = check_table(read, ctx, disk_sectors, backup_lba, parts, max, backup_why);
  if (backup >= 0) {
    say(message, sizeof(message), "primary table bad (%s), using the backup", primary_why);
    *why = message;
    return backup;
  }
  if (primary == GPT_NO_TABLE && backup == GPT_NO_TABLE) {
    *why = "no GPT signature";
    return GPT_NO_TABLE;
  }
  say(message, sizeof(message), "primary: %s; backup: %s", primary_why, backup_why);
  *why = message;
  return GPT_INVALID;
}

const struct gpt_partition *gpt_find(const struct gpt_partition *parts, int n,
                                     const uint8 type[16])
{
  for (int i = 0; i < n; i++)
    if (memcmp(parts[i].type, type, 16) == 0)
      return &parts[i];
  return 0;
}
