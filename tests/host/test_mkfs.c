// sources:
// Builds file system images with mkfs (its source is included below, with
// its main renamed) and checks them with an independent reader: the
// superblock and layout, the root directory, file contents through the
// direct, indirect and double-indirect blocks, the free bitmap, the error
// cases, and the command line end to end.
#define _GNU_SOURCE   // mkdtemp, unlink, rmdir; lseek SEEK_HOLE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define main mkfs_main
#include "mkfs/mkfs.c"
#undef main

static int failures;

static void check(int ok, const char *what, const char *detail, ...)
{
  if (ok) {
    printf("PASS test_mkfs: %s\n", what);
    return;
  }
  va_list ap;
  va_start(ap, detail);
  printf("FAIL test_mkfs: %s (", what);
  vprintf(detail, ap);
  printf(")\n");
  va_end(ap);
  failures++;
}

// ---- Reading an image, independently of mkfs's own helpers ----

static const uchar *blk(const uchar *img, uint b)
{
  return img + (unsigned long)b * BSIZE;
}

static const struct superblock *super(const uchar *img)
{
  return (const struct superblock *)blk(img, 1);
}

static const struct dinode *dinode(const uchar *img, uint inum)
{
  const struct superblock *sb = super(img);
  return (const struct dinode *)blk(img, sb->inodestart + inum / IPB) + inum % IPB;
}

static uint entry(const uchar *img, uint b, uint i)
{
  return ((const uint *)blk(img, b))[i];
}

// Disk block of file block bn, 0 if absent.
static uint lookup_block(const uchar *img, const struct dinode *di, uint bn)
{
  if (bn < NDIRECT)
    return di->addrs[bn];
  bn -= NDIRECT;
  if (bn < NINDIRECT)
    return di->addrs[NDIRECT] ? entry(img, di->addrs[NDIRECT], bn) : 0;
  bn -= NINDIRECT;
  uint mid = di->addrs[NDIRECT + 1] ? entry(img, di->addrs[NDIRECT + 1], bn / NINDIRECT) : 0;
  return mid ? entry(img, mid, bn % NINDIRECT) : 0;
}

// Copies the file's contents into out (size bytes); -1 if a block is missing.
static int read_file(const uchar *img, uint inum, uchar *out)
{
  const struct dinode *di = dinode(img, inum);
  for (uint off = 0; off < di->size; off++) {
    uint b = lookup_block(img, di, off / BSIZE);
    if (b == 0)
      return -1;
    out[off] = blk(img, b)[off % BSIZE];
  }
  return 0;
}

static int names_equal(const char *entry_name, const char *name)
{
  for (int i = 0; i < DIRSIZ; i++) {
    if (entry_name[i] != name[i])
      return 0;
    if (name[i] == 0)
      return 1;
  }
  return name[DIRSIZ] == 0;
}

// Inode number of name in directory dir, 0 if absent.
static uint dir_lookup(const uchar *img, uint dir, const char *name)
{
  const struct dinode *di = dinode(img, dir);
  struct dirent de;
  for (uint off = 0; off + sizeof(de) <= di->size; off += sizeof(de)) {
    uchar *p = (uchar *)&de;
    for (uint i = 0; i < sizeof(de); i++)
      p[i] = blk(img, lookup_block(img, di, (off + i) / BSIZE))[(off + i) % BSIZE];
    if (de.inum != 0 && names_equal(de.name, name))
      return de.inum;
  }
  return 0;
}

static int bit_set(const uchar *img, uint b)
{
  return (blk(img, super(img)->bmapstart + b / BPB)[(b % BPB) / 8] >> (b % 8)) & 1;
}

// ---- Inputs ----

static FILE *content_of(const uchar *data, size_t n)
{
  FILE *f = tmpfile();
  if (f == 0) {
    perror("tmpfile");
    exit(1);
  }
  if (fwrite(data, 1, n, f) != n) {
    perror("fwrite");
    exit(1);
  }
  rewind(f);
  return f;
}

static uchar pattern(uint i)
{
  return (uchar)(i * 7 + i / BSIZE + 1);
}

// Big enough to need the double-indirect block.
#define BIG_SIZE ((NDIRECT + NINDIRECT + 300) * BSIZE + 123)

// ---- Checks ----

static void check_layout(const uchar *img)
{
  const struct superblock *sb = super(img);
  check(sb->magic == FSMAGIC, "superblock magic", "0x%x", sb->magic);
  check(sb->size == FSSIZE, "image size is FSSIZE", "%u", sb->size);
  check(sb->nlog == LOGSIZE + 1 && sb->logstart == 2, "log: header + LOGSIZE blocks after the superblock",
        "nlog %u logstart %u", sb->nlog, sb->logstart);
  check(sb->ninodes == NINODES && sb->inodestart == sb->logstart + sb->nlog,
        "inodes follow the log", "ninodes %u inodestart %u", sb->ninodes, sb->inodestart);
  uint inode_blocks = (sb->ninodes + IPB - 1) / IPB;
  uint bitmap_blocks = (sb->size + BPB - 1) / BPB;
  check(sb->bmapstart == sb->inodestart + inode_blocks, "bitmap follows the inodes",
        "bmapstart %u", sb->bmapstart);
  check(sb->size - sb->nblocks == sb->bmapstart + bitmap_blocks, "data follows the bitmap",
        "nblocks %u", sb->nblocks);
  check(MAXFILE == NDIRECT + NINDIRECT + NINDIRECT * NINDIRECT && sizeof(struct dinode) == 64,
        "MAXFILE counts direct, indirect and double-indirect blocks; dinode is 64 bytes",
        "MAXFILE %lu dinode %zu", (unsigned long)MAXFILE, sizeof(struct dinode));
}

static void check_root(const uchar *img, int nfiles)
{
  const struct dinode *root = dinode(img, ROOTINO);
  check(root->type == T_DIR && root->nlink == 1, "root is a directory", "type %d nlink %d",
        root->type, root->nlink);
  check(root->size == (uint)(nfiles + 2) * sizeof(struct dirent), "root has . .. and every file",
        "size %u", root->size);
  check(dir_lookup(img, ROOTINO, ".") == ROOTINO && dir_lookup(img, ROOTINO, "..") == ROOTINO,
        "root's . and .. are the root", "%u %u", dir_lookup(img, ROOTINO, "."),
        dir_lookup(img, ROOTINO, ".."));
}

static void check_contents(const uchar *img, const uchar *big)
{
  uint inum = dir_lookup(img, ROOTINO, "big");
  const struct dinode *di = dinode(img, inum);
  check(inum != 0 && di->type == T_FILE && di->nlink == 1 && di->size == BIG_SIZE,
        "big file's inode", "inum %u type %d size %u", inum, di->type, di->size);
  check(di->addrs[NDIRECT] != 0 && di->addrs[NDIRECT + 1] != 0,
        "big file uses the indirect and double-indirect blocks", "%u %u",
        di->addrs[NDIRECT], di->addrs[NDIRECT + 1]);
  uchar *back = malloc(BIG_SIZE);
  int ok = read_file(img, inum, back) == 0;
  uint bad = 0;
  while (ok && bad < BIG_SIZE && back[bad] == big[bad])
    bad++;
  check(ok && bad == BIG_SIZE, "big file's bytes, through all three kinds of block",
        ok ? "first difference at byte %u" : "a block is missing", bad);
  free(back);

  inum = dir_lookup(img, ROOTINO, "small");
  uchar small[5];
  check(inum != 0 && dinode(img, inum)->size == 5 && read_file(img, inum, small) == 0 &&
        small[0] == 'h' && small[4] == 'o', "small file", "inum %u", inum);

  inum = dir_lookup(img, ROOTINO, "empty");
  di = dinode(img, inum);
  int no_blocks = 1;
  for (int i = 0; i < NDIRECT + 2; i++)
    no_blocks &= di->addrs[i] == 0;
  check(inum != 0 && di->size == 0 && no_blocks, "empty file has no blocks", "inum %u", inum);
}

struct block_census {
  const uchar *img;
  uchar *seen;     // per block: already counted
  uint used;       // blocks the inodes use
  uint bad;        // outside the data area, used twice, or not marked
};

static void count_block(struct block_census *c, uint b)
{
  const struct superblock *sb = super(c->img);
  if (b < sb->size - sb->nblocks || b >= sb->size || c->seen[b] || !bit_set(c->img, b))
    c->bad++;
  else
    c->seen[b] = 1;
  c->used++;
}

// Counts block b and, if it is an indirect block `levels` deep, the blocks below.
static void count_tree(struct block_census *c, uint b, int levels)
{
  count_block(c, b);
  for (uint i = 0; levels > 0 && i < NINDIRECT; i++)
    if (entry(c->img, b, i))
      count_tree(c, entry(c->img, b, i), levels - 1);
}

// Every block an inode uses is in the data area, used once, and marked;
// nothing else but the metadata is marked.
static void check_bitmap(const uchar *img)
{
  const struct superblock *sb = super(img);
  uint data_start = sb->size - sb->nblocks;
  struct block_census c = {img, calloc(sb->size, 1), 0, 0};
  for (uint inum = ROOTINO; inum < sb->ninodes; inum++) {
    const struct dinode *di = dinode(img, inum);
    for (int i = 0; di->type != 0 && i < NDIRECT + 2; i++)
      if (di->addrs[i])
        count_tree(&c, di->addrs[i], i < NDIRECT ? 0 : i - NDIRECT + 1);
  }
  uint marked = 0, meta_unmarked = 0;
  for (uint b = 0; b < sb->size; b++) {
    marked += bit_set(img, b);
    if (b < data_start && !bit_set(img, b))
      meta_unmarked++;
  }
  check(c.bad == 0, "every block in use is a data block, used once, marked in the bitmap",
        "%u bad", c.bad);
  check(meta_unmarked == 0 && marked == data_start + c.used,
        "bitmap marks the metadata and the blocks in use, nothing else",
        "%u marked, expected %u; %u metadata blocks unmarked", marked, data_start + c.used,
        meta_unmarked);
  free(c.seen);
}

static void check_errors(void)
{
  FILE *zero = fopen("/dev/zero", "rb");
  struct mkfs_input endless = {"zero", zero};
  // 2000 blocks: smaller than a file's largest size (MAXFILE blocks).
  uchar *img = mkfs_image(&endless, 1, 2000);
  check(img == 0, "a file bigger than the disk is refused", "image built");
  free(img);
  img = mkfs_image(&endless, 1, FSSIZE);
  check(img == 0, "a file bigger than MAXFILE blocks is refused", "image built");
  free(img);
  fclose(zero);

  FILE *none = content_of((const uchar *)"", 0);
  img = mkfs_image(&(struct mkfs_input){"a", none}, 1, 40);
  check(img == 0, "an image too small for its metadata is refused", "image built");
  free(img);

  struct mkfs_input twice[2] = {{"a", none}, {"a", none}};
  img = mkfs_image(twice, 2, FSSIZE);
  check(img == 0, "a name given twice is refused", "image built");
  free(img);

  struct mkfs_input long_name = {"fifteen-chars-x", none};
  img = mkfs_image(&long_name, 1, FSSIZE);
  check(img == 0, "a name longer than DIRSIZ is refused", "image built");
  free(img);

  // Inode 0 is never used and the root takes one: room for NINODES - 2.
  enum { MOST = NINODES - 2 };
  static char names[MOST + 1][DIRSIZ];
  static struct mkfs_input many[MOST + 1];
  for (int i = 0; i <= MOST; i++) {
    snprintf(names[i], sizeof(names[i]), "f%u", (uint)i);
    many[i] = (struct mkfs_input){names[i], none};
  }
  img = mkfs_image(many, MOST + 1, FSSIZE);
  check(img == 0, "too many files are refused", "image built");
  free(img);
  img = mkfs_image(many, MOST, FSSIZE);
  check(img != 0 && dir_lookup(img, ROOTINO, names[MOST - 1]) == MOST + 1,
        "as many files as there are inodes fit", "last file not found");
  free(img);
  fclose(none);
}

static void write_input(const char *path, const char *text)
{
  FILE *f = fopen(path, "wb");
  if (f == 0 || fputs(text, f) == EOF || fclose(f) != 0) {
    perror(path);
    exit(1);
  }
}

// lseek(fd, 0, whence) on the file at path: its size (SEEK_END), or where
// its first hole starts (SEEK_HOLE); -1 on error.
static off_t file_extent(const char *path, int whence)
{
  FILE *f = fopen(path, "rb");
  off_t at = f ? lseek(fileno(f), 0, whence) : -1;
  if (f)
    fclose(f);
  return at;
}

static void check_command_line(void)
{
  check(names_equal(mkfs_root_name("user/_cat"), "cat") &&
        names_equal(mkfs_root_name("_init"), "init") &&
        names_equal(mkfs_root_name("a/b/README"), "README") &&
        names_equal(mkfs_root_name("plain"), "plain"),
        "root names drop the directory and one leading _", "%s", mkfs_root_name("user/_cat"));

  char dir[] = "/tmp/test_mkfs.XXXXXX";
  if (mkdtemp(dir) == 0) {
    perror("mkdtemp");
    exit(1);
  }
  char cat[64], readme[64], image_path[64];
  snprintf(cat, sizeof(cat), "%s/_cat", dir);
  snprintf(readme, sizeof(readme), "%s/README", dir);
  snprintf(image_path, sizeof(image_path), "%s/fs.img", dir);
  write_input(cat, "meow");
  write_input(readme, "read me");

  char *argv[] = {"mkfs", image_path, cat, readme, 0};
  int status = mkfs_main(4, argv);
  uchar *img = calloc(FSSIZE, BSIZE);
  FILE *f = fopen(image_path, "rb");
  size_t got = f ? fread(img, BSIZE, FSSIZE + 1, f) : 0;
  if (f)
    fclose(f);
  check(status == 0 && got == FSSIZE, "mkfs fs.img files writes FSSIZE blocks",
        "status %d, %zu blocks", status, got);
  off_t hole = file_extent(image_path, SEEK_HOLE);
  check(hole >= 0 && hole < (off_t)FSSIZE * BSIZE / 10,
        "the image file is sparse: a hole starts after the files", "first hole at %lld",
        (long long)hole);

  uint inum = dir_lookup(img, ROOTINO, "cat");
  uchar text[4] = {0};
  check(inum != 0 && dinode(img, inum)->size == 4 && read_file(img, inum, text) == 0 &&
        text[0] == 'm' && text[3] == 'w' && dir_lookup(img, ROOTINO, "README") != 0,
        "the image holds /cat and /README", "cat is inode %u", inum);
  free(img);

  char *sized[] = {"mkfs", "-b", "3000", image_path, cat, 0};
  status = mkfs_main(5, sized);
  check(status == 0 && file_extent(image_path, SEEK_END) == 3000 * BSIZE,
        "mkfs -b 3000 writes 3000 blocks", "status %d", status);
  char *bad_size[] = {"mkfs", "-b", "12x", image_path, cat, 0};
  check(mkfs_main(5, bad_size) == 1, "mkfs -b 12x fails", "status 0");

  char *missing[] = {"mkfs", image_path, "/nonexistent/file", 0};
  check(mkfs_main(3, missing) == 1, "a missing input file fails", "status 0");

  unlink(cat);
  unlink(readme);
  unlink(image_path);
  rmdir(dir);
}

int main(void)
{
  uchar *big = malloc(BIG_SIZE);
  for (uint i = 0; i < BIG_SIZE; i++)
    big[i] = pattern(i);
  struct mkfs_input files[] = {
    {"big", content_of(big, BIG_SIZE)},
    {"small", content_of((const uchar *)"hello", 5)},
    {"empty", content_of((const uchar *)"", 0)},
  };
  int nfiles = sizeof(files) / sizeof(files[0]);
  uchar *img = mkfs_image(files, nfiles, FSSIZE);
  check(img != 0, "mkfs builds an image", "mkfs_image failed");
  if (img) {
    check_layout(img);
    check_root(img, nfiles);
    check_contents(img, big);
    check_bitmap(img);
  }
  free(img);
  for (int i = 0; i < nfiles; i++)
    fclose(files[i].content);
  free(big);

  check_errors();
  check_command_line();
  return failures ? 1 : 0;
}
