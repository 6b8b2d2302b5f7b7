// The file system: its on-disk format (shared with mkfs and with user
// programs that include this file) and the kernel's inode interface.
//
// Disk layout, in BSIZE blocks:
//   [ boot | superblock | log | inodes | free bitmap | data ... ]
// mkfs writes the superblock with the start and length of each part.
#pragma once
#include "types.h"
#include "sleeplock.h"

#define BSIZE 1024        // block size in bytes
#define ROOTINO 1         // inode number of the root directory
#define FSMAGIC 0x53465652 // "RVFS" in the superblock's first bytes

struct superblock {
  uint magic;       // FSMAGIC
  uint size;        // blocks in the whole image
  uint nblocks;     // data blocks
  uint ninodes;
  uint nlog;        // log blocks, header included
  uint logstart;
  uint inodestart;
  uint bmapstart;   // first block of the free bitmap
};

// A file's blocks: NDIRECT addresses in the inode, then one block full of
// addresses (single indirect), then one block of addresses of such blocks
// (double indirect).
#define NDIRECT 11
#define NINDIRECT (BSIZE / sizeof(uint))
#define NDINDIRECT (NINDIRECT * NINDIRECT)
#define MAXFILE (NDIRECT + NINDIRECT + NDINDIRECT)   // in blocks
#define INDIRECT_SLOT NDIRECT        // addrs[] index of the single indirect
#define DINDIRECT_SLOT (NDIRECT + 1) // addrs[] index of the double indirect

// An inode on disk.  type 0 means the inode is free.
struct dinode {
  short type;               // T_DIR, T_FILE or T_DEVICE (stat.h)
  short major;              // device numbers (T_DEVICE only)
  short minor;
  short nlink;              // directory entries naming this inode
  uint size;                // bytes
  uint addrs[NDIRECT + 2];  // 0 = no block
};

#define IPB (BSIZE / sizeof(struct dinode))       // inodes per block
#define IBLOCK(i, sb) ((i) / IPB + (sb).inodestart) // block holding inode i

#define BPB (BSIZE * 8)                             // bitmap bits per block
#define BBLOCK(b, sb) ((b) / BPB + (sb).bmapstart)  // bitmap block of block b

// A directory is a file of these.  inum 0 marks an unused entry; a name
// of exactly DIRSIZ characters has no terminating NUL.
#define DIRSIZ 14

struct dirent {
  ushort inum;
  char name[DIRSIZ];
};

// ---- The kernel's view of inodes ----

struct stat;

// An inode in memory.  The table entry is kept while anything refers to
// it (ref); the fields copied from disk are valid only under lock.
struct inode {
  uint dev;
  uint inum;
  int ref;                  // references (open files, cwd, ...), under the table lock
  struct sleeplock lock;    // protects everything below
  int valid;                // the fields below have been read from disk

  short type;
  short major;
  short minor;
  short nlink;
  uint size;
  uint addrs[NDIRECT + 2];
};

void fsinit(int dev);        // read the superblock and recover from the log
void iinit(void);

// Returns an unlocked, referenced inode, or 0 (no such file, or the inode
// table is full).  Call inside a transaction: dropping the last reference
// to a directory that was removed meanwhile frees it.
struct inode *namei(char *path);
// Like namei for the parent directory; copies the last element into name
// (DIRSIZ bytes).
struct inode *nameiparent(char *path, char *name);

// A new inode of this type on the device, unlocked, with nlink 0; 0 if the
// disk or the inode table has no free inode.  Call inside a transaction.
struct inode *ialloc(uint dev, short type);
struct inode *idup(struct inode *ip);
// Locks ip and reads it from disk if needed.  A free inode (reachable only
// through a corrupt directory) shows type 0: treat it as missing.
void ilock(struct inode *ip);
void iunlock(struct inode *ip);
// Drops a reference; the last one to an inode with no links frees it on
// disk, so iput must be called inside a transaction.
void iput(struct inode *ip);
void iunlockput(struct inode *ip);
void iupdate(struct inode *ip);   // write the in-memory copy back (locked)
void itrunc(struct inode *ip);    // free all data blocks (locked, in a transaction)
void stati(struct inode *ip, struct stat *st);

// Copy between a locked inode's data and a user (user_dst/user_src = 1) or
// kernel address.  readi returns the bytes read (0 at or past the end,
// fewer than n if the copy faulted part way) or -1 if it faulted at once;
// writei returns the bytes written, fewer than n if the disk is full or
// the copy faulted, or -1 for a bad offset.  writei must be called inside
// a transaction.  A copy that faults may have been refused so as not to
// read a file under this lock: see copy_fault_retry() in uaccess.h.
int readi(struct inode *ip, int user_dst, uint64 dst, uint off, uint n);
int writei(struct inode *ip, int user_src, uint64 src, uint off, uint n);

// Directories (locked).  dirlookup returns a referenced, unlocked inode or 0,
// and the entry's byte offset in *poff if poff is not 0.  dirlink returns 0,
// or -1 if the name exists or the directory cannot grow.
int namecmp(const char *a, const char *b);
struct inode *dirlookup(struct inode *dp, char *name, uint *poff);
int dirlink(struct inode *dp, char *name, uint inum);
