// Pipes: a bounded byte stream between a reading and a writing file.
#pragma once
#include "types.h"

struct file;
struct pipe;

// Makes a pipe and its two ends: *rf to read, *wf to write.  0 or -1.
int pipealloc(struct file **rf, struct file **wf);
void pipeclose(struct pipe *pi, int writable);
// Both take user addresses.  piperead waits for data and returns 0 once
// the pipe is empty and the writing end is closed; pipewrite waits for
// room and returns -1 if the reading end is closed.  Both return -1 if
// the process is killed while waiting.
int piperead(struct pipe *pi, uint64 addr, int n);
int pipewrite(struct pipe *pi, uint64 addr, int n);
