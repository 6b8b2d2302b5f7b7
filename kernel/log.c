// A redo log with group commit.
//
// Operations run concurrently between begin_op and end_op; their changed
// blocks stay pinned in the buffer cache.  When the last one ends, the
// commit writes
//   1. a copy of every changed block into the log area,
//   2. the header, listing the blocks' home addresses: the commit point,
//   3. every block to its home,
//   4. the header again, with a count of zero.
// A crash before step 2 loses the operations whole; after it, initlog
// replays steps 3 and 4 at the next boot.  Either way the disk shows all of
// them or none of them.
//
// Log blocks go through a private buffer rather than the cache, so a commit
// needs no free cache buffer even when the transaction pins many.
#include "types.h"
#include "param.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "vm/frame.h"
#include "printf.h"
#include "lib/lib.h"
#include "fs.h"
#include "buf.h"
#include "bio.h"
#include "log.h"
#include "dev/blockdev.h"

// The first log block.  n == 0 means the log holds no committed transaction.
struct logheader {
  int n;
  uint block[LOGSIZE];  // home block of log block i+1
};
_Static_assert(sizeof(struct logheader) <= BSIZE, "log header must fit a block");
_Static_assert(LOGSIZE <= DISK_MAX_SEGMENTS, "a commit writes the log in one request");

static struct {
  struct spinlock lock;
  uint dev;
  uint start;            // the header block; the copies follow it
  uint home_start;       // blocks the log may write: [home_start, home_end)
  uint home_end;
  int outstanding;       // operations between begin_op and end_op
  int committing;        // commit() running: begin_op must wait
  struct logheader lh;   // the transaction being built
  struct buf io;         // private buffer for the log's own blocks
} journal;

static void log_block_io(uint blockno, int write)
{
  journal.io.blockno = blockno;
  block_io(&journal.io, write);
}

static void read_head(void)
{
  log_block_io(journal.start, 0);
  memmove(&journal.lh, journal.io.data, sizeof(journal.lh));
}

static void write_head(void)
{
  memmove(journal.io.data, &journal.lh, sizeof(journal.lh));
  log_block_io(journal.start, 1);
}

static int head_is_sane(void)
{
  if (journal.lh.n < 0 || journal.lh.n > LOGSIZE)
    return 0;
  for (int i = 0; i < journal.lh.n; i++) {
    uint b = journal.lh.block[i];
    if (b < journal.home_start || b >= journal.home_end)
      return 0;
  }
  return 1;
}

// The cached data of logged block i.  Logged buffers are pinned, so they
// stay cached; while a commit runs no operation can change them, so their
// data may be written out without holding their locks.
static void *logged_data(int i)
{
  struct buf *b = bread(journal.dev, journal.lh.block[i]);
  void *data = b->data;
  brelse(b);
  return data;
}

// Writes logged blocks [first, first + n) to their homes, which are
// consecutive on disk, as one request.
static void write_home_run(int first, int n)
{
  struct disk_segment segs[LOGSIZE];
  for (int i = 0; i < n; i++)
    segs[i] = (struct disk_segment){ logged_data(first + i), BSIZE };
  block_transfer(journal.lh.block[first], segs, n, 1);
}

// Sorts the header's blocks by home address, so that neighbours on disk
// are neighbours in the log and go out in one request.
static void sort_logged_blocks(void)
{
  for (int i = 1; i < journal.lh.n; i++)
    for (int j = i; j > 0 && journal.lh.block[j - 1] > journal.lh.block[j]; j--) {
      int t = journal.lh.block[j];
      journal.lh.block[j] = journal.lh.block[j - 1];
      journal.lh.block[j - 1] = t;
    }
}

// Copies every logged block to its home.  After a crash the copies come
// from the log; during a commit the pinned cache buffers hold the same
// data already.
static void install(int recovering)
{
  if (recovering) {
    for (int i = 0; i < journal.lh.n; i++) {
      struct buf *home = bread(journal.dev, journal.lh.block[i]);
      log_block_io(journal.start + 1 + i, 0);
      memmove(home->data, journal.io.data, BSIZE);
      bwrite(home);
      brelse(home);
    }
    return;
  }
  for (int first = 0, n; first < journal.lh.n; first += n) {
    for (n = 1; first + n < journal.lh.n &&
                journal.lh.block[first + n] == journal.lh.block[first] + n; n++)
      ;
    write_home_run(first, n);
  }
  for (int i = 0; i < journal.lh.n; i++) {
    struct buf *home = bread(journal.dev, journal.lh.block[i]);
    bunpin(home);
    brelse(home);
  }
}

static void recover(void)
{
  read_head();
  if (!head_is_sane()) {
    printf("log: header is corrupt; ignoring the log\n");
    journal.lh.n = 0;
  }
  install(1);
  journal.lh.n = 0;
  write_head();
}

void initlog(int dev, struct superblock *sb)
{
  if (sb->nlog < LOGSIZE + 1)
    panic("initlog: the disk's log has %u blocks, need %d", sb->nlog, LOGSIZE + 1);
  spin_init(&journal.lock, "log");
  journal.dev = dev;
  journal.start = sb->logstart;
  journal.home_start = sb->inodestart;
  journal.home_end = sb->size;
  journal.io.dev = dev;
  journal.io.data = frame_alloc(FRAME_KERNEL);   // DMA-able, like the cache's
  if (journal.io.data == 0)
    panic("initlog: out of memory");
  recover();
}

void begin_op(void)
{
  acquire(&journal.lock);
  // Reserve room for this operation's worst case on top of what is logged
  // and what the running operations may still add.
  while (journal.committing ||
         journal.lh.n + (journal.outstanding + 1) * MAXOPBLOCKS > LOGSIZE)
    sleep(&journal, &journal.lock);
  journal.outstanding++;
  release(&journal.lock);
  myproc()->fs_ops++;
}

// Copies the transaction's blocks into the log area, all in one request.
static void write_log(void)
{
  struct disk_segment segs[LOGSIZE];
  for (int i = 0; i < journal.lh.n; i++)
    segs[i] = (struct disk_segment){ logged_data(i), BSIZE };
  block_transfer(journal.start + 1, segs, journal.lh.n, 1);
}

static void commit(void)
{
  if (journal.lh.n == 0)
    return;
  sort_logged_blocks();
  write_log();
  write_head();
  install(0);
  journal.lh.n = 0;
  write_head();
}

void end_op(void)
{
  int do_commit = 0;
  myproc()->fs_ops--;
  acquire(&journal.lock);
  if (journal.outstanding < 1 || journal.committing)
    panic("end_op: no operation to end");
  journal.outstanding--;
  if (journal.outstanding == 0) {
    do_commit = 1;
    journal.committing = 1;
  } else {
    // This operation's unused reservation may let a waiting one start.
    wakeup(&journal);
  }
  release(&journal.lock);

  if (do_commit) {
    // Sleeps on disk I/O, so it runs without the spinlock; committing
    // keeps everyone else out.
    commit();
    acquire(&journal.lock);
    journal.committing = 0;
    wakeup(&journal);
    release(&journal.lock);
  }
}

void log_write(struct buf *b)
{
  acquire(&journal.lock);
  if (journal.outstanding < 1)
    panic("log_write: outside of a transaction");
  int i = 0;
  while (i < journal.lh.n && journal.lh.block[i] != b->blockno)
    i++;
  if (i == journal.lh.n) {   // not yet in this transaction
    if (journal.lh.n >= LOGSIZE)
      panic("log_write: transaction too big");
    journal.lh.block[journal.lh.n++] = b->blockno;
    bpin(b);
  }
  release(&journal.lock);
}
