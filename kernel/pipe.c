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
#include "frame.h"
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

int piperead(struct pipe *pi, uint64 addr, int n)
{
  acquire(&pi->lock);
  while (pi->nread == pi->nwrite && pi->writeopen) {
    if (killed(myproc())) {
      release(&pi->lock);
      return -1;
    }
    sleep(&pi->nread, &pi->lock);
  }
  // Take whatever is there (up to n), without waiting for more.
  char chunk[COPY_CHUNK];
  int done = 0;
  while (done < n && pi->nread != pi->nwrite) {
    int m = 0;
    while (m < COPY_CHUNK && done + m < n && pi->nread != pi->nwrite)
      chunk[m++] = pi->data[pi->nread++ % PIPESIZE];
    wakeup(&pi->nwrite);
    release(&pi->lock);
    if (copyout(addr + done, chunk, m) < 0)
      return -1;
    done += m;
    acquire(&pi->lock);
  }
  release(&pi->lock);
  return done;
}
