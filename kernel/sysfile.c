// File system calls: check the arguments, then call the file and inode
// layers.  Every call that may change the disk runs in one transaction
// (begin_op .. end_op), so it happens entirely or not at all.
#include "types.h"
#include "param.h"
#include "stat.h"
#include "fcntl.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "sysarg.h"
#include "uaccess.h"
#include "lib/lib.h"
#include "printf.h"
#include "fs.h"
#include "file.h"
#include "log.h"
#include "pipe.h"

// nlink is a short: one more link than this would overflow it.
#define MAXLINKS 0x7fff

// Argument n as an open file descriptor of the calling process.
static int argfd(int n, int *pfd, struct file **pf)
{
  int fd;
  argint(n, &fd);
  if (fd < 0 || fd >= NOFILE || myproc()->ofile[fd] == 0)
    return -1;
  if (pfd)
    *pfd = fd;
  if (pf)
    *pf = myproc()->ofile[fd];
  return 0;
}

// Gives f the lowest free descriptor; -1 if there is none.
static int fdalloc(struct file *f)
{
  struct proc *p = myproc();
  for (int fd = 0; fd < NOFILE; fd++) {
    if (p->ofile[fd] == 0) {
      p->ofile[fd] = f;
      return fd;
    }
  }
  return -1;
}

uint64 sys_dup(void)
{
  struct file *f;
  if (argfd(0, 0, &f) < 0)
    return -1;
  int fd = fdalloc(f);
  if (fd < 0)
    return -1;
  filedup(f);
  return fd;
}

// read(fd, addr, n) and write(fd, addr, n): the same arguments, checked once.
static uint64 transfer(int (*op)(struct file *f, uint64 addr, int n))
{
  struct file *f;
  uint64 addr;
  int n;
  argaddr(1, &addr);
  argint(2, &n);
  if (argfd(0, 0, &f) < 0 || n < 0)
    return -1;
  return op(f, addr, n);
}

uint64 sys_read(void)
{
  return transfer(fileread);
}

uint64 sys_write(void)
{
  return transfer(filewrite);
}

uint64 sys_close(void)
{
  int fd;
  struct file *f;
  if (argfd(0, &fd, &f) < 0)
    return -1;
  myproc()->ofile[fd] = 0;
  fileclose(f);
  return 0;
}

uint64 sys_fstat(void)
{
  struct file *f;
  uint64 st;
  argaddr(1, &st);
  if (argfd(0, 0, &f) < 0)
    return -1;
  return filestat(f, st);
}

// Makes the path new name the same inode as old.
uint64 sys_link(void)
{
  char old[MAXPATH], new[MAXPATH], name[DIRSIZ];
  if (argstr(0, old, MAXPATH) < 0 || argstr(1, new, MAXPATH) < 0)
    return -1;

  begin_op();
  struct inode *ip = namei(old);
  if (ip == 0) {
    end_op();
    return -1;
  }
  ilock(ip);
  // Links to directories would make cycles.
  if ((ip->type != T_FILE && ip->type != T_DEVICE) || ip->nlink >= MAXLINKS) {
    iunlockput(ip);
    end_op();
    return -1;
  }
  // Count the link first: a crash in between leaves a count too high
  // (a leak), never too low (a dangling entry).
  ip->nlink++;
  iupdate(ip);
  iunlock(ip);

  struct inode *dp = nameiparent(new, name);
  if (dp != 0) {
    ilock(dp);
    if (dp->dev == ip->dev && dirlink(dp, name, ip->inum) == 0) {
      iunlockput(dp);
      iput(ip);
      end_op();
      return 0;
    }
    iunlockput(dp);
  }

  ilock(ip);
  ip->nlink--;
  iupdate(ip);
  iunlockput(ip);
  end_op();
  return -1;
}

// Only "." and ".." (or nothing) left in directory dp?
static int dir_is_empty(struct inode *dp)
{
  struct dirent de;
  for (uint off = 2 * sizeof(de); off + sizeof(de) <= dp->size; off += sizeof(de)) {
    if (readi(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
      return 0;
    if (de.inum != 0)
      return 0;
  }
  return 1;
}

uint64 sys_unlink(void)
{
  char path[MAXPATH], name[DIRSIZ];
  if (argstr(0, path, MAXPATH) < 0)
    return -1;

  begin_op();
  struct inode *dp = nameiparent(path, name);
  if (dp == 0) {
    end_op();
    return -1;
  }
  ilock(dp);

  uint off;
  struct inode *ip = 0;
  if (namecmp(name, ".") != 0 && namecmp(name, "..") != 0)
    ip = dirlookup(dp, name, &off);
  if (ip == 0) {
    iunlockput(dp);
    end_op();
    return -1;
  }
  ilock(ip);
  // nlink < 1 means a corrupt disk (or a free inode): refuse.
  if (ip->nlink < 1 || (ip->type == T_DIR && !dir_is_empty(ip))) {
    iunlockput(ip);
    iunlockput(dp);
    end_op();
    return -1;
  }

  struct dirent de;
  memset(&de, 0, sizeof(de));
  if (writei(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
    panic("unlink: cannot clear an existing directory entry");
  if (ip->type == T_DIR) {
    dp->nlink--;   // the removed directory's ".." no longer names dp
    iupdate(dp);
  }
  iunlockput(dp);

  ip->nlink--;
  iupdate(ip);
  iunlockput(ip);   // frees it if that was the last link and reference
  end_op();
  return 0;
}

// Creates path as a new inode of this type and returns it locked; for
// T_FILE an existing file or device is returned instead.  0 on failure.
static struct inode *create(char *path, short type, short major, short minor)
{
  char name[DIRSIZ];
  struct inode *dp = nameiparent(path, name);
  if (dp == 0)
    return 0;
  ilock(dp);

  struct inode *ip = dirlookup(dp, name, 0);
  if (ip != 0) {
    iunlockput(dp);
    ilock(ip);
    if (type == T_FILE && (ip->type == T_FILE || ip->type == T_DEVICE))
      return ip;
    iunlockput(ip);
    return 0;
  }

  ip = ialloc(dp->dev, type);
  if (ip == 0) {
    iunlockput(dp);
    return 0;
  }
  ilock(ip);
  ip->major = major;
  ip->minor = minor;
  ip->nlink = 1;
  iupdate(ip);

  // A directory's own "." does not count as a link (it would keep the
  // directory alive forever); its ".." counts as one to the parent.
  if (type == T_DIR &&
      (dirlink(ip, ".", ip->inum) < 0 || dirlink(ip, "..", dp->inum) < 0))
    goto fail;
  if (dirlink(dp, name, ip->inum) < 0)
    goto fail;
  if (type == T_DIR) {
    dp->nlink++;
    iupdate(dp);
  }
  iunlockput(dp);
  return ip;

fail:
  // Unlinked and unreferenced, the new inode is freed by iunlockput.
  ip->nlink = 0;
  iupdate(ip);
  iunlockput(ip);
  iunlockput(dp);
  return 0;
}

uint64 sys_open(void)
{
  char path[MAXPATH];
  int omode;
  argint(1, &omode);
  if (argstr(0, path, MAXPATH) < 0)
    return -1;

  begin_op();
  struct inode *ip;
  if (omode & O_CREATE) {
    ip = create(path, T_FILE, 0, 0);
    if (ip == 0) {
      end_op();
      return -1;
    }
  } else {
    ip = namei(path);
    if (ip == 0) {
      end_op();
      return -1;
    }
    ilock(ip);
  }

  int ok = (ip->type == T_FILE) ||
           (ip->type == T_DIR && omode == O_RDONLY) ||
           (ip->type == T_DEVICE && ip->major >= 0 && ip->major < NDEV);
  struct file *f = 0;
  int fd = -1;
  if (!ok || (f = filealloc()) == 0 || (fd = fdalloc(f)) < 0) {
    if (f)
      fileclose(f);
    iunlockput(ip);
    end_op();
    return -1;
  }

  if (ip->type == T_DEVICE) {
    f->type = FD_DEVICE;
    f->major = ip->major;
  } else {
    f->type = FD_INODE;
    f->off = 0;
  }
  f->ip = ip;
  f->readable = !(omode & O_WRONLY);
  f->writable = (omode & O_WRONLY) || (omode & O_RDWR);

  if ((omode & O_TRUNC) && ip->type == T_FILE)
    itrunc(ip);

  iunlock(ip);
  end_op();
  return fd;
}

// mkdir and mknod: create the node; nobody holds it open.
static uint64 make_node(char *path, short type, short major, short minor)
{
  begin_op();
  struct inode *ip = create(path, type, major, minor);
  int made = ip != 0;
  if (made)
    iunlockput(ip);
  end_op();
  return made ? 0 : -1;
}

uint64 sys_mkdir(void)
{
  char path[MAXPATH];
  if (argstr(0, path, MAXPATH) < 0)
    return -1;
  return make_node(path, T_DIR, 0, 0);
}

uint64 sys_mknod(void)
{
  char path[MAXPATH];
  int major, minor;
  argint(1, &major);
  argint(2, &minor);
  if (argstr(0, path, MAXPATH) < 0 || major < 0 || major >= NDEV ||
      minor < 0 || minor > 0x7fff)
    return -1;
  return make_node(path, T_DEVICE, (short)major, (short)minor);
}

uint64 sys_chdir(void)
{
  char path[MAXPATH];
  struct proc *p = myproc();
  if (argstr(0, path, MAXPATH) < 0)
    return -1;
  begin_op();
  struct inode *ip = namei(path);
  if (ip == 0) {
    end_op();
    return -1;
  }
  ilock(ip);
  if (ip->type != T_DIR) {
    iunlockput(ip);
    end_op();
    return -1;
  }
  iunlock(ip);
  iput(p->cwd);
  end_op();
  p->cwd = ip;
  return 0;
}

uint64 sys_pipe(void)
{
  uint64 fdarray;
  argaddr(0, &fdarray);
  struct file *rf, *wf;
  if (pipealloc(&rf, &wf) < 0)
    return -1;

  struct proc *p = myproc();
  int fd[2] = {-1, -1};
  fd[0] = fdalloc(rf);
  if (fd[0] >= 0)
    fd[1] = fdalloc(wf);
  if (fd[1] < 0 || copyout(fdarray, fd, sizeof(fd)) < 0) {
    if (fd[0] >= 0)
      p->ofile[fd[0]] = 0;
    if (fd[1] >= 0)
      p->ofile[fd[1]] = 0;
    fileclose(rf);
    fileclose(wf);
    return -1;
  }
  return 0;
}
