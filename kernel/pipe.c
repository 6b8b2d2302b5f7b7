// Pipes: a ring buffer in one page, with a reading and a writing end.
//
// nread and nwrite count all bytes ever read and written; they wrap
// around together, so nwrite - nread is always the number of bytes
// waiting, and PIPESIZE (a power of two) divides the wrap-around point.
//
// User memory is copied through a small buffer on the stack, never while
// holding the pipe's spinlock: touching user memory may fault, and
// handling the fault may need to sleep.
#include "types.h"
#include "param.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "vm/frame.h"
#include "uaccess.h"
#include "file.h"
#include "pipe.h"

#define PIPESIZE 2048
#define COPY_CHUNK 128

struct pipe {
  struct spinlock lock;
  uint nread;      // bytes read so far
  uint nwrite;     // bytes written so far
  int readopen;    // the reading end is still open
  int writeopen;   // the writing end is still open
  int reading;     // a reader is copying bytes out (see piperead)
  char data[PIPESIZE];
};
_Static_assert(sizeof(struct pipe) <= PGSIZE, "a pipe must fit in a page");
_Static_assert((PIPESIZE & (PIPESIZE - 1)) == 0, "PIPESIZE must be a power of two");

int pipealloc(struct file **rf, struct file **wf)
{
  struct pipe *pi = 0;
  *rf = filealloc();
  *wf = filealloc();
  if (*rf == 0 || *wf == 0 || (pi = frame_alloc(FRAME_KERNEL)) == 0) {
    if (*rf)
      fileclose(*rf);
    if (*wf)
      fileclose(*wf);
    return -1;
  }
  spin_init(&pi->lock, "pipe");
  pi->nread = 0;
  pi->nwrite = 0;
  pi->readopen = 1;
  pi->writeopen = 1;
  pi->reading = 0;

  (*rf)->type = FD_PIPE;
  (*rf)->readable = 1;
  (*rf)->writable = 0;
  (*rf)->pipe = pi;
  (*wf)->type = FD_PIPE;
  (*wf)->readable = 0;
  (*wf)->writable = 1;
  (*wf)->pipe = pi;
  return 0;
}

void pipeclose(struct pipe *pi, int writable)
{
  acquire(&pi->lock);
  if (writable) {
    pi->writeopen = 0;
    wakeup(&pi->nread);    // readers now see end of file
  } else {
    pi->readopen = 0;
    wakeup(&pi->nwrite);   // writers now fail
  }
  int unused = !pi->readopen && !pi->writeopen;
  release(&pi->lock);
  if (unused)
    frame_free(pi);
}

int pipewrite(struct pipe *pi, uint64 addr, int n)
{
  char chunk[COPY_CHUNK];
  int done = 0;
  while (done < n) {
    int m = n - done < COPY_CHUNK ? n - done : COPY_CHUNK;
    if (copyin(chunk, addr + done, m) < 0)
      return done > 0 ? done : -1;
    acquire(&pi->lock);
    for (int i = 0; i < m;) {
      if (!pi->readopen || killed(myproc())) {
        release(&pi->lock);
        return -1;
      }
      if (pi->nwrite - pi->nread == PIPESIZE) {
        wakeup(&pi->nread);
        sleep(&pi->nwrite, &pi->lock);
        continue;
      }
      pi->data[pi->nwrite++ % PIPESIZE] = chunk[i++];
    }
    wakeup(&pi->nread);
    release(&pi->lock);
    done += m;
  }
  return done;
}

// Bytes leave the ring only once they have been copied out, so a read into
// a bad buffer leaves them for the next read; readers take turns, so that
// two of them never copy the same bytes.
int piperead(struct pipe *pi, uint64 addr, int n)
{
  acquire(&pi->lock);
  while (pi->reading || (pi->nread == pi->nwrite && pi->writeopen)) {
    if (killed(myproc())) {
      release(&pi->lock);
      return -1;
    }
    sleep(&pi->nread, &pi->lock);
  }
  pi->reading = 1;
  // Take whatever is there (up to n), without waiting for more.
  char chunk[COPY_CHUNK];
  int done = 0, failed = 0;
  while (done < n && pi->nread != pi->nwrite) {
    int m = 0;
    for (; m < COPY_CHUNK && done + m < n && pi->nread + m != pi->nwrite; m++)
      chunk[m] = pi->data[(pi->nread + m) % PIPESIZE];
    release(&pi->lock);
    failed = copyout(addr + done, chunk, m) < 0;
    acquire(&pi->lock);
    if (failed)
      break;
    pi->nread += m;
    wakeup(&pi->nwrite);
    done += m;
  }
  pi->reading = 0;
  wakeup(&pi->nread);   // the next reader's turn
  release(&pi->lock);
  return done > 0 || !failed ? done : -1;
}
