// The write-ahead log: it makes every file system operation all-or-nothing
// across crashes.
//
//   begin_op();
//   b = bread(...); change b->data; log_write(b); brelse(b); ...
//   end_op();
//
// An operation may write at most MAXOPBLOCKS distinct blocks.  begin_op
// waits while the log could not hold another such operation.
#pragma once

struct buf;
struct superblock;

void initlog(int dev, struct superblock *sb);  // also replays a committed log
void begin_op(void);
void end_op(void);   // the last operation to end commits them all
// Records that b (locked) changed; it reaches its home block only after
// the commit.  Use it instead of bwrite.
void log_write(struct buf *b);
