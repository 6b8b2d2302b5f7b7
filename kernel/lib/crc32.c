// CRC-32 (IEEE 802.3), the checksum GPT puts on its header and its
// partition-entry array; the same CRC as zlib's crc32() and Ethernet's.
//
// Bit by bit, without a table: the kernel checksums a few kilobytes once at
// boot, so speed does not matter, and there is no table to build, to get
// wrong, or to race over between harts.
#include "lib.h"

// The polynomial x^32 + x^26 + ... + 1 with its bits reversed, because this
// CRC feeds each byte in least-significant bit first ("reflected").
#define CRC32_POLYNOMIAL 0xEDB88320u

// The CRC is kept inverted while bytes go in (so leading zero bytes still
// change it) and inverted back at the end.  Undoing the final inversion on
// entry is what makes calls chain: crc32(crc32(0, a, n), b, m) is the CRC of
// a followed by b, and crc32(0, buf, 0) is 0.
uint32 crc32(uint32 crc, const void *buf, uint64 len)
{
  const uint8 *byte = buf;
  crc = ~crc;
  for (uint64 i = 0; i < len; i++) {
    crc ^= byte[i];
    // Divide by the polynomial one bit at a time: shift the lowest bit out,
    // and where it was 1, subtract (xor) the polynomial.
    for (int bit = 0; bit < 8; bit++) {
      if (crc & 1)
        crc = (crc >> 1) ^ CRC32_POLYNOMIAL;
      else
        crc >>= 1;
    }
  }
  return ~crc;
}
