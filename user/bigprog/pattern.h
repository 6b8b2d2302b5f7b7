// The contents of bigprog's data: word w of page p.  Shared by the host
// tool that writes the data (gen-data.c) and the program that checks it
// (user/bigprog.c), so both agree by construction and a page read from the
// wrong place in the file shows.
#pragma once

#define BIGPROG_WORDS_PER_PAGE 512   // 4096-byte pages of 64-bit words

static inline unsigned long bigprog_word(unsigned long page, unsigned long word)
{
  unsigned long x = (page << 12) ^ word ^ 0x5bd1e9955bd1e995UL;
  x *= 0x9e3779b97f4a7c15UL;   // odd: distinct inputs stay distinct
  return x ^ (x >> 29);
}
