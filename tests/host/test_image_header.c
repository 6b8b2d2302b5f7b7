// sources: kernel/lib/string.c
// The RISC-V Linux Image header at the start of build/Image, as U-Boot's
// booti reads it (Linux Documentation/arch/riscv/boot-image-header.rst):
// each field checked against what the linked kernel, build/kernel.elf,
// says through its symbols, not against the header itself.
//   0 code0: a jump to boot_hart_entry, past the 64-byte header
//   8 text_offset: where in its 1 GiB-aligned region the image is linked
//  16 image_size: _end - _start, the memory the image needs, bss included
//  24 flags 0 (little-endian), 32 version 2, 48 magic, 56 magic2 "RSC\x05"
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include "types.h"
#include "lib/lib.h"

#define HEADER_SIZE 64

static int failures;

static void expect(const char *what, uint64_t got, uint64_t want)
{
  if (got == want) {
    printf("PASS test_image_header: %s\n", what);
  } else {
    printf("FAIL test_image_header: %s: got %#lx, want %#lx\n", what, (unsigned long)got,
           (unsigned long)want);
    failures++;
  }
}

static uint8_t *read_whole(const char *path, long *size)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    printf("FAIL test_image_header: cannot read %s (run make first)\n", path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  *size = ftell(f);
  rewind(f);
  uint8_t *data = malloc(*size);
  if (fread(data, 1, *size, f) != (size_t)*size) {
    printf("FAIL test_image_header: short read of %s\n", path);
    exit(1);
  }
  fclose(f);
  return data;
}

static uint64_t le(const uint8_t *p, int bytes)
{
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; i--)
    v = v << 8 | p[i];
  return v;
}

// ELF64 (System V gABI): where the section headers are, and the fields
// of a section header and of a symbol that the lookup needs.
#define EH_SHOFF 0x28
#define EH_SHNUM 0x3c
#define SH_SIZE 64
#define SH_TYPE 4
#define SH_OFFSET 24
#define SH_SIZE_FIELD 32
#define SH_LINK 40
#define SHT_SYMTAB 2
#define SYM_SIZE 24
#define SYM_VALUE 8

// The value of the ELF symbol called name; exits if there is none.
static uint64_t symbol(const uint8_t *elf, long size, const char *name)
{
  const uint8_t *sh = elf + le(elf + EH_SHOFF, 8);
  int nsections = le(elf + EH_SHNUM, 2);
  for (int i = 0; i < nsections; i++) {
    const uint8_t *s = sh + i * SH_SIZE;
    if (le(s + SH_TYPE, 4) != SHT_SYMTAB)
      continue;
    const uint8_t *syms = elf + le(s + SH_OFFSET, 8);
    const uint8_t *strtab = sh + le(s + SH_LINK, 4) * SH_SIZE;
    const char *names = (const char *)elf + le(strtab + SH_OFFSET, 8);
    for (uint64_t k = 0; k < le(s + SH_SIZE_FIELD, 8) / SYM_SIZE; k++)
      if (strcmp(names + le(syms + k * SYM_SIZE, 4), name) == 0)
        return le(syms + k * SYM_SIZE + SYM_VALUE, 8);
  }
  printf("FAIL test_image_header: no symbol %s in build/kernel.elf (%ld bytes)\n", name, size);
  exit(1);
}

// The target of a JAL instruction at address pc.
static uint64_t jal_target(uint32_t insn, uint64_t pc)
{
  int64_t imm = ((insn >> 31) & 1) << 20 | ((insn >> 12) & 0xff) << 12 |
                ((insn >> 20) & 1) << 11 | ((insn >> 21) & 0x3ff) << 1;
  if (imm & (1 << 20))
    imm -= 1 << 21;
  return pc + imm;
}

int main(void)
{
  long image_len, elf_len;
  uint8_t *image = read_whole("build/Image", &image_len);
  uint8_t *elf = read_whole("build/kernel.elf", &elf_len);
  if (image_len < HEADER_SIZE || elf_len < HEADER_SIZE || memcmp(elf, "\177ELF\2\1", 6) != 0) {
    printf("FAIL test_image_header: build/Image or build/kernel.elf is too short or not ELF\n");
    return 1;
  }
  uint64_t start = symbol(elf, elf_len, "_start");
  uint64_t end = symbol(elf, elf_len, "_end");
  uint64_t bss_end = symbol(elf, elf_len, "_bss_end");
  uint64_t entry = symbol(elf, elf_len, "boot_hart_entry");

  uint32_t code0 = le(image, 4);
  expect("code0 is a jal x0 (a plain jump)", code0 & 0xfff, 0x06f);
  expect("code0 jumps to boot_hart_entry", jal_target(code0, start), entry);
  expect("boot_hart_entry lies past the header", entry - start >= HEADER_SIZE, 1);
  expect("text_offset: where _start sits in its 1 GiB", le(image + 8, 8), start & ((1UL << 30) - 1));
  expect("text_offset is 2 MiB-aligned", le(image + 8, 8) % (2UL << 20), 0);
  uint64_t image_size = le(image + 16, 8);
  expect("image_size is _end - _start", image_size, end - start);
  expect("image_size covers bss", image_size >= bss_end - start, 1);
  expect("image_size covers the file", image_size >= (uint64_t)image_len, 1);
  expect("flags: little-endian", le(image + 24, 8), 0);
  expect("version 0.2", le(image + 32, 4), 2);
  expect("magic \"RISCV\\0\\0\\0\"", memcmp(image + 48, "RISCV\0\0\0", 8), 0);
  expect("magic2 \"RSC\\x05\"", memcmp(image + 56, "RSC\x05", 4), 0);
  free(image);
  free(elf);
  return failures ? 1 : 0;
}
