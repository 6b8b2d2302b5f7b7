// SD memory cards in SPI mode: the parts of the protocol that are pure
// computation (SD Physical Layer Simplified Specification, chapter 7):
// framing a command, the CRCs, decoding responses and the CSD register.
// No I/O here, so tests/host/test_sd_proto.c checks all of it on the host.
#pragma once
#include "types.h"

// Command indexes used by dev/sd_spi.c.
#define SD_GO_IDLE_STATE        0
#define SD_SEND_IF_COND         8
#define SD_SEND_CSD             9
#define SD_STOP_TRANSMISSION   12
#define SD_SET_BLOCKLEN        16
#define SD_READ_SINGLE_BLOCK   17
#define SD_READ_MULTIPLE_BLOCK 18
#define SD_WRITE_BLOCK         24
#define SD_WRITE_MULTIPLE_BLOCK 25
#define SD_APP_SEND_OP_COND    41   // after SD_APP_CMD
#define SD_APP_CMD             55
#define SD_READ_OCR            58

// R1, the first byte of every response: bit 7 is always 0.
#define SD_R1_IDLE            0x01
#define SD_R1_ILLEGAL_COMMAND 0x04

// Tokens that start a data block (7.3.3).
#define SD_TOKEN_START        0xfe   // single-block read or write; each block of a multi-block read
#define SD_TOKEN_START_MULTI  0xfc   // each block of a multi-block write
#define SD_TOKEN_STOP_MULTI   0xfd   // ends a multi-block write

// CMD8's argument: 2.7-3.6 V, check pattern 0xaa.  The card echoes both.
#define SD_IF_COND_ARG        0x1aa
// ACMD41's argument bit: the host supports high-capacity cards.
#define SD_OCR_HCS            (1u << 30)
// OCR bits (CMD58): power-up done, and then card capacity status
// (1: SDHC/SDXC, addressed in 512-byte blocks; 0: SDSC, in bytes).
#define SD_OCR_POWER_UP       (1u << 31)
#define SD_OCR_CCS            (1u << 30)

#define SD_COMMAND_LEN 6
#define SD_CSD_LEN 16

// The CRC7 of n bytes (polynomial x^7 + x^3 + 1), in bits 6:0.
uint8 sd_crc7(const uint8 *data, uint32 n);
// The CRC16 of a data block (CRC-CCITT, x^16 + x^12 + x^5 + 1, initial 0).
uint16 sd_crc16(const uint8 *data, uint32 n);
// The 6 bytes of command cmd: start bits 01, the index, the argument
// (big-endian), the CRC7 and the end bit.
void sd_command_frame(uint8 out[SD_COMMAND_LEN], uint8 cmd, uint32 arg);
// What is wrong according to an R1 response, or 0 if nothing is (the idle
// bit is a state, not an error).
const char *sd_r1_error(uint8 r1);
// After a written block the card answers xxx0sss1: 0 if sss says the data
// was accepted, otherwise a message.
const char *sd_data_response_error(uint8 token);
// A read answered by a data error token (0000xxxx) instead of a start
// token: the message, or 0 if token is not one.
const char *sd_read_error_token(uint8 token);
// The card's size in 512-byte sectors from its CSD register (version 1.0
// for SDSC, 2.0 for SDHC/SDXC), or 0 if the CSD has another version.
uint64 sd_csd_sectors(const uint8 csd[SD_CSD_LEN]);
