// The buffer cache: the only way the file system reaches the disk.
#pragma once
#include "types.h"

struct buf;

void binit(void);   // after frame_init: the buffers' data come from frames
// Returns the block, locked and holding its contents.  Sleeps while every
// buffer is in use.
struct buf *bread(uint dev, uint blockno);
// Like bread, for a block whose old contents do not matter (it was just
// allocated): returns it filled with zeros, without reading the disk.
struct buf *bread_zeroed(uint dev, uint blockno);
void bwrite(struct buf *b);   // write a locked buffer to the disk now
// Reads or writes b->blockno of the file system's partition, whatever the
// cache holds (the log uses it for its own buffer).  Panics on a disk error.
void block_io(struct buf *b, int write);
// The same for consecutive blocks from blockno on, as one disk request:
// the segments (BSIZE each, in the direct map) are the blocks in order.
struct disk_segment;
void block_transfer(uint blockno, const struct disk_segment *segs, int nseg, int write);
void brelse(struct buf *b);   // unlock and drop the reference from bread
// The log keeps the blocks of a transaction cached until it has installed
// them: a pin is a reference without the lock.
void bpin(struct buf *b);
void bunpin(struct buf *b);
