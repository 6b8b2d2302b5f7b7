// One block of the disk, cached in memory (see bio.c).
#pragma once
#include "types.h"
#include "sleeplock.h"

struct buf {
  int valid;             // data holds the block's contents
  int disk;              // a disk request for this buffer is in flight
  uint dev;
  uint blockno;
  struct sleeplock lock; // held by whoever uses data
  uint refcnt;           // users, plus one per pin by the log
  struct buf *prev;      // the cache's list, most recently used first
  struct buf *next;
  uchar *data;           // BSIZE bytes in the direct map: the disk DMAs here
};
