// Open files: what a file descriptor refers to.
#pragma once
#include "types.h"
#include "param.h"

struct pipe;
struct inode;

enum file_type { FD_NONE, FD_PIPE, FD_INODE, FD_DEVICE };

struct file {
  enum file_type type;
  int ref;              // descriptors (in any process) sharing this file
  char readable;
  char writable;
  struct pipe *pipe;    // FD_PIPE
  struct inode *ip;     // FD_INODE and FD_DEVICE
  uint off;             // FD_INODE: where the next read or write starts
  short major;          // FD_DEVICE: index into devsw
};

// A device's read and write, for files of type T_DEVICE with this major
// number.  user_dst/user_src say whether the address is a user one.
struct devsw {
  int (*read)(int user_dst, uint64 dst, int n);
  int (*write)(int user_src, uint64 src, int n);
};

extern struct devsw devsw[NDEV];

#define CONSOLE 1   // major device number of the console

void fileinit(void);
struct file *filealloc(void);          // 0 if the table is full
struct file *filedup(struct file *f);
void fileclose(struct file *f);
// addr is a user address.  Each returns bytes moved or -1 (0 at end of file).
int fileread(struct file *f, uint64 addr, int n);
int filewrite(struct file *f, uint64 addr, int n);
int filestat(struct file *f, uint64 addr);   // copies a struct stat; 0 or -1
