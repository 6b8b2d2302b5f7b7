// sources: kernel/dev/sd_proto.c kernel/lib/string.c
// The SD-in-SPI-mode arithmetic of kernel/dev/sd_proto.c: command frames
// against the CRC7 bytes the SD specification prints (CMD0 0x95, CMD8 with
// 0x1aa 0x87) and others computed bit by bit here; the data CRC16 against
// the specification's example (512 bytes of 0xff: 0x7fa1) and a second,
// bitwise CRC-CCITT; R1, data response and data error token decoding; and
// card sizes from CSD registers of both versions built field by field.
#include <stdio.h>
#include <string.h>
#include "types.h"
#include "dev/sd_proto.h"

static int failures;

static void check(int ok, const char *what)
{
  printf("%s test_sd_proto: %s\n", ok ? "PASS" : "FAIL", what);
  if (!ok)
    failures++;
}

// A reference CRC7, written differently from the kernel's: polynomial
// division of the message bits followed by seven zero bits.
static uint8 crc7_by_division(const uint8 *data, int n)
{
  uint32 rem = 0;
  for (int i = 0; i < n * 8 + 7; i++) {
    int bit = i < n * 8 ? (data[i / 8] >> (7 - i % 8)) & 1 : 0;
    rem = rem << 1 | (uint32)bit;
    if (rem & 0x80)
      rem ^= 0x89;
  }
  return (uint8)rem;
}

// A reference CRC16 (CCITT, initial 0), bit at a time.
static uint16 crc16_by_bits(const uint8 *data, int n)
{
  uint32 crc = 0;
  for (int i = 0; i < n * 8; i++) {
    int in = ((data[i / 8] >> (7 - i % 8)) & 1) ^ (int)((crc >> 15) & 1);
    crc = (crc << 1) & 0xffff;
    if (in)
      crc ^= 0x1021;
  }
  return (uint16)crc;
}

static void set_bits(uint8 csd[16], int hi, int lo, uint32 v)
{
  for (int b = lo; b <= hi; b++, v >>= 1) {
    uint8 mask = (uint8)(1u << (b % 8));
    if (v & 1)
      csd[(127 - b) / 8] |= mask;
    else
      csd[(127 - b) / 8] &= (uint8)~mask;
  }
}

int main(void)
{
  uint8 f[SD_COMMAND_LEN];
  sd_command_frame(f, SD_GO_IDLE_STATE, 0);
  check(memcmp(f, "\x40\x00\x00\x00\x00\x95", 6) == 0, "CMD0 frame ends in 0x95");
  sd_command_frame(f, SD_SEND_IF_COND, SD_IF_COND_ARG);
  check(memcmp(f, "\x48\x00\x00\x01\xaa\x87", 6) == 0, "CMD8 0x1aa frame ends in 0x87");
  sd_command_frame(f, SD_READ_SINGLE_BLOCK, 0);
  check(f[5] == 0x55, "CMD17 arg 0: CRC7 0x2a, last byte 0x55");
  sd_command_frame(f, SD_READ_MULTIPLE_BLOCK, 0x12345678);
  check(f[0] == 0x52 && f[1] == 0x12 && f[2] == 0x34 && f[3] == 0x56 && f[4] == 0x78,
        "argument is sent big-endian after 0x40|index");
  int crc7_ok = 1;
  for (uint32 seed = 1; seed < 2000; seed++) {
    uint8 msg[5] = { (uint8)(0x40 | seed % 64), (uint8)(seed * 7), (uint8)(seed >> 3),
                     (uint8)(seed * 131), (uint8)(seed ^ 0x5a) };
    crc7_ok &= sd_crc7(msg, 5) == crc7_by_division(msg, 5);
  }
  check(crc7_ok, "CRC7 equals polynomial division on 2000 messages");

  uint8 block[512];
  memset(block, 0xff, sizeof block);
  check(sd_crc16(block, 512) == 0x7fa1, "CRC16 of 512 bytes of 0xff is 0x7fa1");
  for (int i = 0; i < 512; i++)
    block[i] = (uint8)(i * 37 + 11);
  check(sd_crc16(block, 512) == crc16_by_bits(block, 512), "CRC16 equals a bitwise CRC-CCITT");
  check(sd_crc16(block, 0) == 0, "CRC16 of nothing is 0");

  check(sd_r1_error(0x00) == 0 && sd_r1_error(SD_R1_IDLE) == 0, "R1 0x00 and 0x01: no error");
  check(sd_r1_error(0x05) && strcmp(sd_r1_error(0x05), "illegal command") == 0,
        "R1 0x05: illegal command");
  check(sd_r1_error(0x09) && strcmp(sd_r1_error(0x09), "command CRC error") == 0,
        "R1 0x09: command CRC error");
  check(sd_r1_error(0x20) && strcmp(sd_r1_error(0x20), "address error") == 0, "R1 0x20: address error");
  check(sd_r1_error(0x40) && strcmp(sd_r1_error(0x40), "parameter error") == 0,
        "R1 0x40: parameter error");
  check(sd_r1_error(0xff) != 0, "0xff is not an R1");

  check(sd_data_response_error(0x05) == 0 && sd_data_response_error(0xe5) == 0,
        "data response xxx00101: accepted");
  check(sd_data_response_error(0x0b) && strstr(sd_data_response_error(0x0b), "CRC"),
        "data response 0x0b: CRC error");
  check(sd_data_response_error(0x0d) && strstr(sd_data_response_error(0x0d), "write error"),
        "data response 0x0d: write error");
  check(sd_data_response_error(0xff) != 0 && sd_data_response_error(0x04) != 0,
        "0xff and 0x04 are not accepted");

  check(sd_read_error_token(SD_TOKEN_START) == 0 && sd_read_error_token(0xff) == 0,
        "start token and 0xff are not error tokens");
  check(sd_read_error_token(0x08) && strstr(sd_read_error_token(0x08), "out of range"),
        "error token 0x08: out of range");
  check(sd_read_error_token(0x01) != 0, "error token 0x01: error");

  // CSD 2.0 (SDHC): C_SIZE 0x3b37 is a 7.4 GiB card.
  uint8 csd[16];
  memset(csd, 0, sizeof csd);
  set_bits(csd, 127, 126, 1);
  set_bits(csd, 69, 48, 0x3b37);
  check(sd_csd_sectors(csd) == (uint64)(0x3b37 + 1) * 1024, "CSD 2.0: (C_SIZE + 1) * 1024 sectors");
  set_bits(csd, 69, 48, 0x3fffff);
  check(sd_csd_sectors(csd) == (uint64)0x400000 * 1024, "CSD 2.0: largest C_SIZE (2 TiB)");
  // CSD 1.0 (SDSC): 512 MiB as QEMU builds it, READ_BL_LEN 9, C_SIZE_MULT 7.
  memset(csd, 0, sizeof csd);
  set_bits(csd, 83, 80, 9);
  set_bits(csd, 49, 47, 7);
  set_bits(csd, 73, 62, 1023);
  check(sd_csd_sectors(csd) == 1024 * 512, "CSD 1.0: 512 MiB card");
  set_bits(csd, 83, 80, 10);
  check(sd_csd_sectors(csd) == 2 * 1024 * 512, "CSD 1.0: 1024-byte blocks count double");
  set_bits(csd, 83, 80, 12);
  check(sd_csd_sectors(csd) == 0, "CSD 1.0: a block length over 2048 is refused");
  memset(csd, 0, sizeof csd);
  set_bits(csd, 127, 126, 2);
  check(sd_csd_sectors(csd) == 0, "CSD version 3 is refused");

  return failures ? 1 : 0;
}
