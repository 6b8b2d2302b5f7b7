// SD protocol arithmetic for SPI mode (see sd_proto.h).
#include "types.h"
#include "dev/sd_proto.h"

uint8 sd_crc7(const uint8 *data, uint32 n)
{
  uint8 crc = 0;
  for (uint32 i = 0; i < n; i++) {
    for (int bit = 7; bit >= 0; bit--) {
      int in = ((data[i] >> bit) ^ (crc >> 6)) & 1;
      crc = (uint8)((crc << 1) & 0x7f);
      if (in)
        crc ^= 0x09;
    }
  }
  return crc;
}

uint16 sd_crc16(const uint8 *data, uint32 n)
{
  uint16 crc = 0;
  for (uint32 i = 0; i < n; i++) {
    crc ^= (uint16)(data[i] << 8);
    for (int bit = 0; bit < 8; bit++)
      crc = (crc & 0x8000) ? (uint16)((crc << 1) ^ 0x1021) : (uint16)(crc << 1);
  }
  return crc;
}

void sd_command_frame(uint8 out[SD_COMMAND_LEN], uint8 cmd, uint32 arg)
{
  out[0] = 0x40 | (cmd & 0x3f);
  out[1] = (uint8)(arg >> 24);
  out[2] = (uint8)(arg >> 16);
  out[3] = (uint8)(arg >> 8);
  out[4] = (uint8)arg;
  out[5] = (uint8)(sd_crc7(out, 5) << 1 | 1);
}

const char *sd_r1_error(uint8 r1)
{
  static const char *const bits[8] = {
    0, "erase reset", "illegal command", "command CRC error",
    "erase sequence error", "address error", "parameter error", "not an R1 response",
  };
  for (int bit = 7; bit >= 1; bit--)
    if (r1 & (1u << bit))
      return bits[bit];
  return 0;
}

const char *sd_data_response_error(uint8 token)
{
  if ((token & 0x11) != 0x01)
    return "no data response";
  switch ((token >> 1) & 7) {
  case 2:
    return 0;
  case 5:
    return "data rejected: CRC error";
  case 6:
    return "data rejected: write error";
  default:
    return "data rejected";
  }
}

const char *sd_read_error_token(uint8 token)
{
  if (token & 0xf0 || token == 0)
    return 0;
  if (token & 0x08)
    return "read error: address out of range";
  if (token & 0x04)
    return "read error: card ECC failed";
  if (token & 0x02)
    return "read error: card controller error";
  return "read error";
}

// Bits hi..lo (hi - lo < 32) of the 128-bit CSD, numbered as in the
// specification: bit 127 is the top bit of the first byte sent.
static uint32 csd_bits(const uint8 csd[SD_CSD_LEN], int hi, int lo)
{
  uint32 v = 0;
  for (int b = hi; b >= lo; b--)
    v = v << 1 | ((csd[(127 - b) / 8] >> (b % 8)) & 1);
  return v;
}

uint64 sd_csd_sectors(const uint8 csd[SD_CSD_LEN])
{
  switch (csd_bits(csd, 127, 126)) {
  case 0: {   // CSD 1.0: (C_SIZE+1) * 2^(C_SIZE_MULT+2) blocks of 2^READ_BL_LEN bytes
    uint64 blocks = (uint64)(csd_bits(csd, 73, 62) + 1) << (csd_bits(csd, 49, 47) + 2);
    uint32 block_len = csd_bits(csd, 83, 80);
    if (block_len < 9 || block_len > 11)
      return 0;
    return blocks << (block_len - 9);
  }
  case 1:     // CSD 2.0: (C_SIZE+1) * 512 KiB
    return (uint64)(csd_bits(csd, 69, 48) + 1) * 1024;
  default:
    return 0;
  }
}
