// The file system proper: block allocation, inodes, file contents,
// directories and path names, built on the buffer cache and the log.
//
// Every change to the disk goes through log_write, so it must happen
// between begin_op and end_op.  The disk is treated as untrusted: a block
// address outside the data area or an inode number past the inode area is
// an error for the caller, not a reason to panic.
#include "types.h"
#include "param.h"
#include "stat.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "printf.h"
#include "lib/lib.h"
#include "fs.h"
#include "vm/vmobject.h"
#include "buf.h"
#include "bio.h"
#include "log.h"
#include "dev/disk.h"

static struct superblock sb;

// ---- Blocks ----

static uint data_start(void)
{
  return sb.size - sb.nblocks;
}

static int is_data_block(uint b)
{
  return b >= data_start() && b < sb.size;
}

static void bzero(uint dev, uint b)
{
  struct buf *bp = bread_zeroed(dev, b);
  log_write(bp);
  brelse(bp);
}

// A zeroed data block, or 0 if the disk is full.
static uint balloc(uint dev)
{
  struct buf *bp = 0;
  for (uint b = data_start(); b < sb.size; b++) {
    if (bp == 0 || bp->blockno != BBLOCK(b, sb)) {
      if (bp)
        brelse(bp);
      bp = bread(dev, BBLOCK(b, sb));
    }
    uchar *byte = &bp->data[(b % BPB) / 8];
    uchar bit = 1 << (b % 8);
    if ((*byte & bit) == 0) {
      *byte |= bit;
      log_write(bp);
      brelse(bp);
      bzero(dev, b);
      return b;
    }
  }
  if (bp)
    brelse(bp);
  return 0;
}

static void bfree(uint dev, uint b)
{
  if (!is_data_block(b)) {
    printf("fs: not freeing block %u: outside the data area\n", b);
    return;
  }
  struct buf *bp = bread(dev, BBLOCK(b, sb));
  uchar *byte = &bp->data[(b % BPB) / 8];
  uchar bit = 1 << (b % 8);
  if (*byte & bit) {
    *byte &= ~bit;
    log_write(bp);
  } else {
    printf("fs: block %u freed twice\n", b);
  }
  brelse(bp);
}

// ---- The inode table ----
//
// itable.lock guards each entry's ref, dev and inum: who an entry belongs to.
// An entry's sleep lock guards its copy of the on-disk inode.  ref counts
// the pointers handed out (open files, current directories, path walks);
// an entry with ref 0 may be reused for another inode.

static struct {
  struct spinlock lock;
  struct inode inode[NINODE];
} itable;

void iinit(void)
{
  spin_init(&itable.lock, "itable");
  for (int i = 0; i < NINODE; i++)
    sleeplock_init(&itable.inode[i].lock, "inode");
}

// The table entry for inode inum, with one more reference; 0 if the table
// is full.  Does not read the disk: ilock does.
static struct inode *iget(uint dev, uint inum)
{
  struct inode *empty = 0;
  acquire(&itable.lock);
  for (struct inode *ip = itable.inode; ip < itable.inode + NINODE; ip++) {
    if (ip->ref > 0 && ip->dev == dev && ip->inum == inum) {
      ip->ref++;
      release(&itable.lock);
      return ip;
    }
    if (empty == 0 && ip->ref == 0)
      empty = ip;
  }
  if (empty) {
    empty->dev = dev;
    empty->inum = inum;
    empty->ref = 1;
    empty->valid = 0;
  }
  release(&itable.lock);
  return empty;
}

struct inode *ialloc(uint dev, short type)
{
  for (uint inum = ROOTINO; inum < sb.ninodes; inum++) {
    struct buf *bp = bread(dev, IBLOCK(inum, sb));
    struct dinode *dip = (struct dinode *)bp->data + inum % IPB;
    if (dip->type == 0) {
      struct inode *ip = iget(dev, inum);
      if (ip) {
        memset(dip, 0, sizeof(*dip));
        dip->type = type;
        log_write(bp);
      }
      brelse(bp);
      return ip;
    }
    brelse(bp);
  }
  return 0;
}

void iupdate(struct inode *ip)
{
  struct buf *bp = bread(ip->dev, IBLOCK(ip->inum, sb));
  struct dinode *dip = (struct dinode *)bp->data + ip->inum % IPB;
  dip->type = ip->type;
  dip->major = ip->major;
  dip->minor = ip->minor;
  dip->nlink = ip->nlink;
  dip->size = ip->size;
  memmove(dip->addrs, ip->addrs, sizeof(ip->addrs));
  log_write(bp);
  brelse(bp);
}

struct inode *idup(struct inode *ip)
{
  acquire(&itable.lock);
  ip->ref++;
  release(&itable.lock);
  return ip;
}

// A free inode (type 0, reachable only through a corrupt directory) is
// not kept valid: ialloc may hand it out, and the next ilock must then
// see its new contents.  Callers treat type 0 as "no such file".
void ilock(struct inode *ip)
{
  if (ip == 0 || ip->ref < 1)
    panic("ilock: inode not referenced");
  acquiresleep(&ip->lock);
  myproc()->inode_locks++;   // see copy_fault_retry() in uaccess.h
  if (!ip->valid) {
    struct buf *bp = bread(ip->dev, IBLOCK(ip->inum, sb));
    struct dinode *dip = (struct dinode *)bp->data + ip->inum % IPB;
    ip->type = dip->type;
    ip->major = dip->major;
    ip->minor = dip->minor;
    ip->nlink = dip->nlink;
    ip->size = dip->size;
    memmove(ip->addrs, dip->addrs, sizeof(ip->addrs));
    brelse(bp);
    ip->valid = ip->type != 0;
  }
}

void iunlock(struct inode *ip)
{
  if (ip == 0 || ip->ref < 1 || !holdingsleep(&ip->lock))
    panic("iunlock: inode not locked");
  myproc()->inode_locks--;
  releasesleep(&ip->lock);
}

void iput(struct inode *ip)
{
  acquire(&itable.lock);
  if (ip->ref == 1 && ip->valid && ip->nlink == 0) {
    // No directory names it and nobody else holds it, so nobody can be
    // holding or waiting for its lock: free it on disk.
    acquiresleep(&ip->lock);
    release(&itable.lock);
    itrunc(ip);
    ip->type = 0;
    iupdate(ip);
    ip->valid = 0;
    releasesleep(&ip->lock);
    acquire(&itable.lock);
  }
  ip->ref--;
  release(&itable.lock);
}

void iunlockput(struct inode *ip)
{
  iunlock(ip);
  iput(ip);
}

void stati(struct inode *ip, struct stat *st)
{
  st->dev = ip->dev;
  st->ino = ip->inum;
  st->type = ip->type;
  st->nlink = ip->nlink;
  st->size = ip->size;
}

// ---- File contents ----
//
// addrs[0..NDIRECT-1] name data blocks; addrs[INDIRECT_SLOT] names a block
// of NINDIRECT data-block addresses; addrs[DINDIRECT_SLOT] names a block of
// NINDIRECT addresses of such blocks.

// The block an address slot names.  An empty slot gets a new block if
// alloc is set; holder is the buffer containing the slot, logged when the
// slot changes (0 for a slot in the inode, which the caller writes back).
// Returns 0 for an empty slot, a full disk or a corrupt address.
static uint resolve(uint dev, uint *slot, struct buf *holder, int alloc)
{
  if (*slot != 0)
    return is_data_block(*slot) ? *slot : 0;
  if (!alloc)
    return 0;
  uint b = balloc(dev);
  if (b != 0) {
    *slot = b;
    if (holder)
      log_write(holder);
  }
  return b;
}

// The block named in entry i of indirect block ind.
static uint resolve_indirect(uint dev, uint ind, uint i, int alloc)
{
  struct buf *bp = bread(dev, ind);
  uint b = resolve(dev, (uint *)bp->data + i, bp, alloc);
  brelse(bp);
  return b;
}

// The disk block holding block bn of the file, or 0 (see resolve).
static uint bmap(struct inode *ip, uint bn, int alloc)
{
  if (bn < NDIRECT)
    return resolve(ip->dev, &ip->addrs[bn], 0, alloc);
  bn -= NDIRECT;

  if (bn < NINDIRECT) {
    uint ind = resolve(ip->dev, &ip->addrs[INDIRECT_SLOT], 0, alloc);
    return ind ? resolve_indirect(ip->dev, ind, bn, alloc) : 0;
  }
  bn -= NINDIRECT;

  if (bn < NDINDIRECT) {
    uint top = resolve(ip->dev, &ip->addrs[DINDIRECT_SLOT], 0, alloc);
    uint mid = top ? resolve_indirect(ip->dev, top, bn / NINDIRECT, alloc) : 0;
    return mid ? resolve_indirect(ip->dev, mid, bn % NINDIRECT, alloc) : 0;
  }
  return 0;
}

// Frees block b and, if it is an indirect block `levels` deep, all the
// blocks below it.
static void free_tree(uint dev, uint b, int levels)
{
  if (levels > 0 && is_data_block(b)) {
    struct buf *bp = bread(dev, b);
    uint *entry = (uint *)bp->data;
    for (uint i = 0; i < NINDIRECT; i++)
      if (entry[i])
        free_tree(dev, entry[i], levels - 1);
    brelse(bp);
  }
  bfree(dev, b);
}

void itrunc(struct inode *ip)
{
  vmo_file_truncated(ip);
  for (int i = 0; i < NDIRECT + 2; i++) {
    if (ip->addrs[i]) {
      int levels = i < NDIRECT ? 0 : i - NDIRECT + 1;
      free_tree(ip->dev, ip->addrs[i], levels);
      ip->addrs[i] = 0;
    }
  }
  ip->size = 0;
  iupdate(ip);
}

static uint min_uint(uint a, uint b)
{
  return a < b ? a : b;
}

int readi(struct inode *ip, int user_dst, uint64 dst, uint off, uint n)
{
  if (off > ip->size || off + n < off)
    return 0;
  n = min_uint(n, ip->size - off);
  uint done = 0;
  while (done < n) {
    uint b = bmap(ip, off / BSIZE, 0);
    if (b == 0)
      break;   // a hole: only a corrupt inode has one
    struct buf *bp = bread(ip->dev, b);
    uint m = min_uint(n - done, BSIZE - off % BSIZE);
    int fault = either_copyout(user_dst, dst, bp->data + off % BSIZE, m) < 0;
    brelse(bp);
    if (fault)
      return done > 0 ? (int)done : -1;
    done += m;
    off += m;
    dst += m;
  }
  return done;
}

int writei(struct inode *ip, int user_src, uint64 src, uint off, uint n)
{
  // No holes: a write may start at the end of the file but not past it.
  if (off > ip->size || off + n < off || off + n > MAXFILE * BSIZE)
    return -1;
  uint start = off, done = 0, touched = 0;
  while (done < n) {
    uint b = bmap(ip, off / BSIZE, 1);
    if (b == 0)
      break;   // the disk is full
    struct buf *bp = bread(ip->dev, b);
    uint m = min_uint(n - done, BSIZE - off % BSIZE);
    int fault = either_copyin(bp->data + off % BSIZE, user_src, src, m) < 0;
    // A copy that faults part-way has already put the bytes before the
    // fault into the block: log it all the same, or the cache would show
    // them until the block is evicted and the disk never would.  (xv6
    // keeps them too; its usertests' partial_write checks for them.)
    log_write(bp);
    brelse(bp);
    touched = done + m;
    if (fault)
      break;
    done += m;
    off += m;
    src += m;
  }
  if (off > ip->size)
    ip->size = off;
  // Even without growth, bmap may have put new block addresses in addrs.
  iupdate(ip);
  if (touched > 0)
    vmo_file_written(ip, start, touched);   // keep mapped pages up to date
  return done;
}

// ---- Directories ----

int namecmp(const char *a, const char *b)
{
  return strncmp(a, b, DIRSIZ);
}

struct inode *dirlookup(struct inode *dp, char *name, uint *poff)
{
  if (dp->type != T_DIR)
    panic("dirlookup: not a directory");
  struct dirent de;
  for (uint off = 0; off + sizeof(de) <= dp->size; off += sizeof(de)) {
    if (readi(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
      return 0;
    if (de.inum == 0 || de.inum >= sb.ninodes)
      continue;
    if (namecmp(name, de.name) == 0) {
      if (poff)
        *poff = off;
      return iget(dp->dev, de.inum);
    }
  }
  return 0;
}

int dirlink(struct inode *dp, char *name, uint inum)
{
  struct inode *ip = dirlookup(dp, name, 0);
  if (ip) {
    iput(ip);
    return -1;
  }

  // Reuse a free entry, or append.
  struct dirent de;
  uint off;
  for (off = 0; off + sizeof(de) <= dp->size; off += sizeof(de)) {
    if (readi(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
      return -1;
    if (de.inum == 0)
      break;
  }
  memset(&de, 0, sizeof(de));
  strncpy(de.name, name, DIRSIZ);
  de.inum = inum;
  if (writei(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
    return -1;
  return 0;
}

// ---- Path names ----

// Copies the first element of path into name (DIRSIZ bytes, NUL-terminated
// if shorter; longer elements are cut) and returns the rest of path without
// its leading slashes.  Returns 0 if path has no element.
//   "a/bb/c" -> name "a", returns "bb/c"
//   "///a//" -> name "a", returns ""
//   "/"      -> returns 0
static char *skipelem(char *path, char *name)
{
  while (*path == '/')
    path++;
  if (*path == 0)
    return 0;
  char *start = path;
  while (*path != '/' && *path != 0)
    path++;
  int len = path - start;
  if (len >= DIRSIZ) {
    memmove(name, start, DIRSIZ);
  } else {
    memmove(name, start, len);
    name[len] = 0;
  }
  while (*path == '/')
    path++;
  return path;
}

// Walks path from the root or the current directory.  With parent set,
// stops one element early and leaves the last element in name.
static struct inode *namex(char *path, int parent, char *name)
{
  struct inode *ip = *path == '/' ? iget(ROOTDEV, ROOTINO) : idup(myproc()->cwd);
  if (ip == 0)
    return 0;
  while ((path = skipelem(path, name)) != 0) {
    ilock(ip);
    if (ip->type != T_DIR) {
      iunlockput(ip);
      return 0;
    }
    if (parent && *path == 0) {
      iunlock(ip);
      return ip;
    }
    // Unlock before locking the next: for "." it is the same inode.
    struct inode *next = dirlookup(ip, name, 0);
    iunlockput(ip);
    if (next == 0)
      return 0;
    ip = next;
  }
  if (parent) {   // the path was "/" or empty: no last element
    iput(ip);
    return 0;
  }
  return ip;
}

struct inode *namei(char *path)
{
  char name[DIRSIZ];
  return namex(path, 0, name);
}

struct inode *nameiparent(char *path, char *name)
{
  return namex(path, 1, name);
}

// ---- Mounting ----

static int superblock_is_sane(void)
{
  uint inode_blocks = (sb.ninodes + IPB - 1) / IPB;
  uint bitmap_blocks = (sb.size + BPB - 1) / BPB;
  return sb.magic == FSMAGIC &&
         sb.nblocks <= sb.size &&
         sb.ninodes > ROOTINO &&
         sb.logstart >= 2 &&
         sb.inodestart >= sb.logstart + sb.nlog &&
         sb.bmapstart >= sb.inodestart + inode_blocks &&
         data_start() >= sb.bmapstart + bitmap_blocks;
}

void fsinit(int dev)
{
  if (disk_root.sectors < 2 * (BSIZE / 512))
    panic("fsinit: the disk has no file system partition");
  struct buf *bp = bread(dev, 1);
  memmove(&sb, bp->data, sizeof(sb));
  brelse(bp);
  if (!superblock_is_sane())
    panic("fsinit: no valid file system on disk %d", dev);
  if ((uint64)sb.size * (BSIZE / 512) > disk_root.sectors)
    panic("fsinit: a file system of %u blocks does not fit its partition", sb.size);
  initlog(dev, &sb);
}
