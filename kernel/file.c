// The table of open files, and reading and writing them whatever they are:
// pipes, devices, or inodes.
#include "types.h"
#include "param.h"
#include "stat.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "printf.h"
#include "proc.h"
#include "uaccess.h"
#include "fs.h"
#include "log.h"
#include "pipe.h"
#include "file.h"

struct devsw devsw[NDEV];

static struct {
  struct spinlock lock;
  struct file file[NFILE];
} ftable;

// A write transaction may change MAXOPBLOCKS blocks.  Besides the data, one
// chunk of a file write may change the inode, both bitmap blocks and up to
// three indirect blocks (the single indirect block, the double indirect
// block and one below it, or the double indirect block and two below it).
// An unaligned chunk of k blocks' bytes touches k + 1 data blocks.
#define WRITE_META_BLOCKS 6
#define WRITE_CHUNK ((MAXOPBLOCKS - WRITE_META_BLOCKS - 1) * BSIZE)
_Static_assert(WRITE_CHUNK >= BSIZE, "MAXOPBLOCKS too small for file writes");

void fileinit(void)
{
  spin_init(&ftable.lock, "ftable");
}

struct file *filealloc(void)
{
  acquire(&ftable.lock);
  for (struct file *f = ftable.file; f < ftable.file + NFILE; f++) {
    if (f->ref == 0) {
      f->ref = 1;
      release(&ftable.lock);
      return f;
    }
  }
  release(&ftable.lock);
  return 0;
}

struct file *filedup(struct file *f)
{
  acquire(&ftable.lock);
  if (f->ref < 1)
    panic("filedup: file not open");
  f->ref++;
  release(&ftable.lock);
  return f;
}

void fileclose(struct file *f)
{
  acquire(&ftable.lock);
  if (f->ref < 1)
    panic("fileclose: file not open");
  if (--f->ref > 0) {
    release(&ftable.lock);
    return;
  }
  // Close the underlying object without the spinlock: it may sleep.
  struct file closing = *f;
  f->type = FD_NONE;
  release(&ftable.lock);

  if (closing.type == FD_PIPE) {
    pipeclose(closing.pipe, closing.writable);
  } else if (closing.type == FD_INODE || closing.type == FD_DEVICE) {
    begin_op();
    iput(closing.ip);
    end_op();
  }
}

int filestat(struct file *f, uint64 addr)
{
  if (f->type != FD_INODE && f->type != FD_DEVICE)
    return -1;
  struct stat st;
  ilock(f->ip);
  stati(f->ip, &st);
  iunlock(f->ip);
  return copyout(addr, &st, sizeof(st));
}

static struct devsw *device_of(struct file *f)
{
  if (f->major < 0 || f->major >= NDEV)
    return 0;
  return &devsw[f->major];
}

// The copies below run with the inode locked, so a fault in them that
// needs a file page is put off: the loops resolve it with the lock
// dropped and go on (copy_fault_retry in uaccess.h).
static int inode_read(struct file *f, uint64 addr, int n)
{
  int done = 0, r;
  do {
    ilock(f->ip);   // also serializes the use of f->off
    r = readi(f->ip, 1, addr + done, f->off, n - done);
    if (r > 0) {
      f->off += r;
      done += r;
    }
    iunlock(f->ip);
  } while (done < n && copy_fault_retry());
  return done > 0 ? done : r;   // r: 0 at the end of the file, -1 for a bad buffer
}

// Writes in chunks small enough for one transaction each, so a big write
// is not atomic but never overflows the log.
static int inode_write(struct file *f, uint64 addr, int n)
{
  int done = 0;
  while (done < n) {
    int chunk = n - done < WRITE_CHUNK ? n - done : WRITE_CHUNK;
    begin_op();
    ilock(f->ip);
    int r = writei(f->ip, 1, addr + done, f->off, chunk);
    if (r > 0)
      f->off += r;
    iunlock(f->ip);
    end_op();
    if (r > 0)
      done += r;
    // Short: disk full, past MAXFILE, a bad address, or a fault put off.
    if (r != chunk && !copy_fault_retry())
      break;
  }
  return done > 0 || n == 0 ? done : -1;
}

int fileread(struct file *f, uint64 addr, int n)
{
  if (!f->readable)
    return -1;
  if (f->type == FD_PIPE)
    return piperead(f->pipe, addr, n);
  if (f->type == FD_DEVICE) {
    struct devsw *dev = device_of(f);
    if (dev == 0 || dev->read == 0)
      return -1;
    return dev->read(1, addr, n);
  }
  if (f->type == FD_INODE)
    return inode_read(f, addr, n);
  panic("fileread: bad file type %d", f->type);
}

int filewrite(struct file *f, uint64 addr, int n)
{
  if (!f->writable)
    return -1;
  if (f->type == FD_PIPE)
    return pipewrite(f->pipe, addr, n);
  if (f->type == FD_DEVICE) {
    struct devsw *dev = device_of(f);
    if (dev == 0 || dev->write == 0)
      return -1;
    return dev->write(1, addr, n);
  }
  if (f->type == FD_INODE)
    return inode_write(f, addr, n);
  panic("filewrite: bad file type %d", f->type);
}
