// mkfs: builds the file system image the kernel boots from.
//
//   mkfs [-b BLOCKS] fs.img file ...
//
// Every file goes into the root directory under its base name, without a
// leading '_' (user/_cat becomes /cat).  The image is BLOCKS blocks
// (FSSIZE unless -b says otherwise):
//   [ boot | superblock | log | inodes | free bitmap | data ... ]
// It is built in memory and written only if everything fit, as a sparse
// file: blocks that are all zero take no room on the host.
//
// A host program: it uses the host's C library, but none of the string
// functions that tests/host/host.h renames, so a test can include this file.
#define _POSIX_C_SOURCE 200809L   // ftruncate, fileno
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/stat.h"
#include "kernel/fs.h"

// The structures are written as they are in memory, and the kernel reads
// them the same way on little-endian RISC-V.
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "mkfs must run on a little-endian host"
#endif

#define NINODES 256
#define NLOG (LOGSIZE + 1)                      // header + LOGSIZE blocks
#define NINODEBLOCKS ((NINODES + IPB - 1) / IPB)
#define LOGSTART 2
#define MKFS_MAX_BLOCKS (1u << 20)              // 1 GiB: built in host memory
#define INODESTART (LOGSTART + NLOG)
#define BMAPSTART (INODESTART + NINODEBLOCKS)

_Static_assert(NINODES <= 65535, "dirent.inum is 16 bits");

struct mkfs_input {
  const char *name;   // name in the root directory
  FILE *content;      // read to its end
};

struct image {
  uchar *bytes;        // size * BSIZE
  uint size;           // blocks
  uint next_inum;      // inodes and data blocks are handed out in order
  uint next_block;
};

static uchar *block_data(struct image *img, uint b)
{
  return img->bytes + (unsigned long)b * BSIZE;
}

static struct dinode *inode_of(struct image *img, uint inum)
{
  return (struct dinode *)block_data(img, INODESTART + inum / IPB) + inum % IPB;
}

// A zeroed inode of this type with one link, or 0 if none is left.
static uint alloc_inode(struct image *img, short type)
{
  if (img->next_inum >= NINODES)
    return 0;
  uint inum = img->next_inum++;
  struct dinode *di = inode_of(img, inum);
  di->type = type;
  di->nlink = 1;
  return inum;
}

// A data block (zero, as the whole image starts), or 0 if the disk is full.
static uint alloc_block(struct image *img)
{
  if (img->next_block >= img->size)
    return 0;
  return img->next_block++;
}

// The block an address slot names, allocated if the slot is empty.
static uint slot_block(struct image *img, uint *slot)
{
  if (*slot == 0)
    *slot = alloc_block(img);
  return *slot;
}

static uint *indirect_entry(struct image *img, uint block, uint i)
{
  return (uint *)block_data(img, block) + i;
}

// Disk block of the file's block bn, allocated on the way; 0 if the disk
// is full.  The same direct / indirect / double indirect scheme as fs.c.
static uint file_block(struct image *img, struct dinode *di, uint bn)
{
  if (bn < NDIRECT)
    return slot_block(img, &di->addrs[bn]);
  bn -= NDIRECT;
  if (bn < NINDIRECT) {
    uint ind = slot_block(img, &di->addrs[INDIRECT_SLOT]);
    return ind ? slot_block(img, indirect_entry(img, ind, bn)) : 0;
  }
  bn -= NINDIRECT;
  uint top = slot_block(img, &di->addrs[DINDIRECT_SLOT]);
  uint mid = top ? slot_block(img, indirect_entry(img, top, bn / NINDIRECT)) : 0;
  return mid ? slot_block(img, indirect_entry(img, mid, bn % NINDIRECT)) : 0;
}

// Adds n bytes at the end of inode inum.  -1 if the file would exceed
// MAXFILE blocks or the disk is full.
static int append(struct image *img, uint inum, const uchar *data, uint n)
{
  struct dinode *di = inode_of(img, inum);
  uint done = 0;
  while (done < n) {
    if (di->size / BSIZE >= MAXFILE)
      return -1;
    uint b = file_block(img, di, di->size / BSIZE);
    if (b == 0)
      return -1;
    uint at = di->size % BSIZE;
    uint m = n - done < BSIZE - at ? n - done : BSIZE - at;
    uchar *dst = block_data(img, b) + at;
    for (uint i = 0; i < m; i++)
      dst[i] = data[done + i];
    di->size += m;
    done += m;
  }
  return 0;
}

static int add_dirent(struct image *img, uint dir, const char *name, uint inum)
{
  struct dirent de = {.inum = inum};
  for (int i = 0; i < DIRSIZ && name[i]; i++)
    de.name[i] = name[i];
  return append(img, dir, (const uchar *)&de, sizeof(de));
}

static int name_length(const char *s)
{
  int n = 0;
  while (s[n])
    n++;
  return n;
}

static int same_name(const char *a, const char *b)
{
  for (int i = 0; i < DIRSIZ; i++) {
    if (a[i] != b[i])
      return 0;
    if (a[i] == 0)
      return 1;
  }
  return 1;
}

// Checks the names before anything is built, so errors name the culprit.
static int names_are_valid(const struct mkfs_input *files, int nfiles)
{
  if (nfiles > NINODES - 1 - ROOTINO) {
    fprintf(stderr, "mkfs: too many files: %d, the image has room for %d\n",
            nfiles, NINODES - 1 - ROOTINO);
    return 0;
  }
  for (int i = 0; i < nfiles; i++) {
    const char *name = files[i].name;
    int len = name_length(name);
    if (len == 0 || len > DIRSIZ) {
      fprintf(stderr, "mkfs: %s: a name must have 1 to %d characters\n", name, DIRSIZ);
      return 0;
    }
    if (same_name(name, ".") || same_name(name, "..")) {
      fprintf(stderr, "mkfs: %s: reserved name\n", name);
      return 0;
    }
    for (int j = 0; j < i; j++) {
      if (same_name(name, files[j].name)) {
        fprintf(stderr, "mkfs: %s: given twice\n", name);
        return 0;
      }
    }
  }
  return 1;
}

static int add_file(struct image *img, const struct mkfs_input *file)
{
  uint inum = alloc_inode(img, T_FILE);
  if (inum == 0 || add_dirent(img, ROOTINO, file->name, inum) < 0) {
    fprintf(stderr, "mkfs: %s: no room in the image\n", file->name);
    return -1;
  }
  uchar buf[BSIZE];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), file->content)) > 0) {
    if (append(img, inum, buf, n) < 0) {
      fprintf(stderr, "mkfs: %s: too big: a file may have %lu bytes, and the "
              "image has %u blocks in all\n", file->name,
              (unsigned long)MAXFILE * BSIZE, img->size);
      return -1;
    }
  }
  if (ferror(file->content)) {
    fprintf(stderr, "mkfs: %s: read error\n", file->name);
    return -1;
  }
  return 0;
}

// Marks the metadata and every allocated data block as used.
static void write_bitmap(struct image *img)
{
  for (uint b = 0; b < img->next_block; b++)
    block_data(img, BMAPSTART + b / BPB)[(b % BPB) / 8] |= 1 << (b % 8);
}

// Blocks before the data: everything up to the end of the free bitmap.
static uint meta_blocks(uint size)
{
  return BMAPSTART + (size + BPB - 1) / BPB;
}

// Builds an image of size blocks holding these files.  Returns size * BSIZE
// bytes from malloc, or 0 after printing why not.
uchar *mkfs_image(const struct mkfs_input *files, int nfiles, uint size)
{
  if (size < meta_blocks(size) + 1 || size > MKFS_MAX_BLOCKS) {
    fprintf(stderr, "mkfs: an image of %u blocks is too small or too large "
            "(%u to %u)\n", size, meta_blocks(size) + 1, MKFS_MAX_BLOCKS);
    return 0;
  }
  if (!names_are_valid(files, nfiles))
    return 0;
  struct image img = {
    .bytes = calloc(size, BSIZE),
    .size = size,
    .next_inum = ROOTINO,
    .next_block = meta_blocks(size),
  };
  if (img.bytes == 0) {
    fprintf(stderr, "mkfs: out of memory\n");
    return 0;
  }

  struct superblock *sb = (struct superblock *)block_data(&img, 1);
  sb->magic = FSMAGIC;
  sb->size = size;
  sb->nblocks = size - meta_blocks(size);
  sb->ninodes = NINODES;
  sb->nlog = NLOG;
  sb->logstart = LOGSTART;
  sb->inodestart = INODESTART;
  sb->bmapstart = BMAPSTART;

  // The root is its own parent.  Like every directory, its "." is not
  // counted in nlink.
  uint root = alloc_inode(&img, T_DIR);
  add_dirent(&img, root, ".", root);
  add_dirent(&img, root, "..", root);

  for (int i = 0; i < nfiles; i++) {
    if (add_file(&img, &files[i]) < 0) {
      free(img.bytes);
      return 0;
    }
  }
  write_bitmap(&img);
  return img.bytes;
}

// "user/_cat" -> "cat": the name a path gets in the root directory.
const char *mkfs_root_name(const char *path)
{
  for (const char *p = path; *p; p++)
    if (*p == '/')
      path = p + 1;
  return *path == '_' ? path + 1 : path;
}

static int all_zero(const uchar *block)
{
  for (int i = 0; i < BSIZE; i++)
    if (block[i])
      return 0;
  return 1;
}

// Writes the image's nonzero blocks and seeks over the rest, so that the
// file is sparse; ftruncate gives it its full length.
static int write_image(const char *path, const uchar *image, uint size)
{
  FILE *out = fopen(path, "wb");
  if (out == 0) {
    perror(path);
    return -1;
  }
  int written = 1;
  for (uint b = 0; b < size && written; b++) {
    const uchar *block = image + (unsigned long)b * BSIZE;
    if (all_zero(block))
      written = fseek(out, BSIZE, SEEK_CUR) == 0;
    else
      written = fwrite(block, BSIZE, 1, out) == 1;
  }
  written = written && fflush(out) == 0 &&
            ftruncate(fileno(out), (off_t)size * BSIZE) == 0;
  if (fclose(out) != 0 || !written) {
    fprintf(stderr, "mkfs: %s: write failed\n", path);
    remove(path);
    return -1;
  }
  return 0;
}

int main(int argc, char *argv[])
{
  uint size = FSSIZE;
  if (argc >= 3 && same_name(argv[1], "-b")) {
    char *end;
    unsigned long blocks = strtoul(argv[2], &end, 10);
    if (*argv[2] == 0 || *end != 0 || blocks > MKFS_MAX_BLOCKS) {
      fprintf(stderr, "mkfs: -b %s: not a number of blocks up to %u\n", argv[2], MKFS_MAX_BLOCKS);
      return 1;
    }
    size = blocks;
    argc -= 2;
    argv += 2;
  }
  if (argc < 2) {
    fprintf(stderr, "usage: mkfs [-b BLOCKS] fs.img file ...\n");
    return 1;
  }
  int nfiles = argc - 2;
  struct mkfs_input *files = calloc(nfiles + 1, sizeof(*files));  // +1: never calloc(0)
  if (files == 0) {
    fprintf(stderr, "mkfs: out of memory\n");
    return 1;
  }
  int opened = 0;
  while (opened < nfiles) {
    const char *path = argv[opened + 2];
    files[opened].name = mkfs_root_name(path);
    files[opened].content = fopen(path, "rb");
    if (files[opened].content == 0) {
      perror(path);
      break;
    }
    opened++;
  }

  int status = 1;
  if (opened == nfiles) {
    uchar *image = mkfs_image(files, nfiles, size);
    if (image != 0 && write_image(argv[1], image, size) == 0)
      status = 0;
    free(image);
  }
  for (int i = 0; i < opened; i++)
    fclose(files[i].content);
  free(files);
  return status;
}
