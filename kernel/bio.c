// The buffer cache: NBUF blocks kept in memory, on a list with the most
// recently released first.
//
// Each block is in at most one buffer, so all users see the same copy, and
// its sleep lock makes one user at a time read or change it.  A buffer with
// no references may be recycled for another block; when all are referenced,
// bread waits for one to be released.
#include "types.h"
#include "param.h"
#include "riscv.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "vm/frame.h"
#include "printf.h"
#include "lib/lib.h"
#include "fs.h"
#include "buf.h"
#include "bio.h"
#include "dev/disk.h"

_Static_assert(PGSIZE % BSIZE == 0, "buffers are carved out of whole pages");

static struct {
  struct spinlock lock;   // protects the list and every buffer's identity and refcnt
  struct buf buf[NBUF];
  struct buf head;        // head.next is the most recently used
} bcache;

static void list_remove(struct buf *b)
{
  b->next->prev = b->prev;
  b->prev->next = b->next;
}

static void list_push_front(struct buf *b)
{
  b->next = bcache.head.next;
  b->prev = &bcache.head;
  bcache.head.next->prev = b;
  bcache.head.next = b;
}

// The file system has nothing to fall back on when its disk fails.
void block_transfer(uint blockno, const struct disk_segment *segs, int nseg, int write)
{
  uint64 sectors_per_block = BSIZE / 512;
  if (disk_area_io(&disk_root, (uint64)blockno * sectors_per_block, segs, nseg, write) < 0)
    panic("bio: cannot %s block %u of the file system", write ? "write" : "read", blockno);
}

void block_io(struct buf *b, int write)
{
  struct disk_segment seg = { b->data, BSIZE };
  block_transfer(b->blockno, &seg, 1, write);
}

void binit(void)
{
  spin_init(&bcache.lock, "bcache");
  bcache.head.prev = &bcache.head;
  bcache.head.next = &bcache.head;
  // The disk DMAs into data, so it must be in the direct map, not in the
  // kernel image where bcache itself lives.
  uchar *page = 0;
  for (int i = 0; i < NBUF; i++) {
    struct buf *b = &bcache.buf[i];
    int slot = i % (PGSIZE / BSIZE);
    if (slot == 0 && (page = frame_alloc(FRAME_KERNEL)) == 0)
      panic("binit: no memory for the buffer cache");
    b->data = page + slot * BSIZE;
    sleeplock_init(&b->lock, "buffer");
    list_push_front(b);
  }
}

// The buffer for this block, locked; recycles the least recently used
// free one if the block is not cached.
static struct buf *bget(uint dev, uint blockno)
{
  acquire(&bcache.lock);
  for (;;) {
    for (struct buf *b = bcache.head.next; b != &bcache.head; b = b->next) {
      if (b->dev == dev && b->blockno == blockno) {
        b->refcnt++;
        release(&bcache.lock);
        acquiresleep(&b->lock);
        return b;
      }
    }
    for (struct buf *b = bcache.head.prev; b != &bcache.head; b = b->prev) {
      if (b->refcnt == 0) {
        b->dev = dev;
        b->blockno = blockno;
        b->valid = 0;
        b->refcnt = 1;
        release(&bcache.lock);
        acquiresleep(&b->lock);
        return b;
      }
    }
    sleep(&bcache, &bcache.lock);
  }
}

struct buf *bread(uint dev, uint blockno)
{
  struct buf *b = bget(dev, blockno);
  if (!b->valid) {
    block_io(b, 0);
    b->valid = 1;
  }
  return b;
}

struct buf *bread_zeroed(uint dev, uint blockno)
{
  struct buf *b = bget(dev, blockno);
  memset(b->data, 0, BSIZE);
  b->valid = 1;
  return b;
}

void bwrite(struct buf *b)
{
  if (!holdingsleep(&b->lock))
    panic("bwrite: buffer not locked");
  block_io(b, 1);
}

// Drops a reference taken by bget or bpin; a buffer nobody refers to may be
// recycled, and whoever waits for one is woken.
static void drop_ref(struct buf *b)
{
  b->refcnt--;
  if (b->refcnt == 0) {
    list_remove(b);
    list_push_front(b);
    wakeup(&bcache);
  }
}

void brelse(struct buf *b)
{
  if (!holdingsleep(&b->lock))
    panic("brelse: buffer not locked");
  releasesleep(&b->lock);
  acquire(&bcache.lock);
  drop_ref(b);
  release(&bcache.lock);
}

void bpin(struct buf *b)
{
  acquire(&bcache.lock);
  b->refcnt++;
  release(&bcache.lock);
}

void bunpin(struct buf *b)
{
  acquire(&bcache.lock);
  drop_ref(b);
  release(&bcache.lock);
}
