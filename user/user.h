// What user programs can call: the system calls (stubs in build/user/usys.S,
// generated from kernel/syscall.h) and the user library (user/lib/ and
// kernel/lib/string.c).  The names and signatures are xv6's, so xv6
// programs compile unchanged.
#pragma once
#include "kernel/types.h"

struct stat;
struct vmstat;   // defined by kernel/vmstat.h

// System calls.
int fork(void);
int exit(int) __attribute__((noreturn));
int wait(int *);
int pipe(int *);
int write(int, const void *, int);
int read(int, void *, int);
int close(int);
int kill(int);
int exec(const char *, char **);
int open(const char *, int);
int mknod(const char *, short, short);
int unlink(const char *);
int fstat(int fd, struct stat *);
int link(const char *, const char *);
int mkdir(const char *);
int chdir(const char *);
int dup(int);
int getpid(void);
char *sbrk(int);
int sleep(int);
int uptime(void);
int pause(int);
char *sbrklazy(int);
int poweroff(int status);
void *mmap(void *addr, uint64 len, int prot, int flags, int fd, uint64 off);
int munmap(void *addr, uint64 len);
int msync(void *addr, uint64 len);
int vmstat(struct vmstat *);
uint64 cycles(void);
int swapon(const char *);
int swapoff(const char *);
int vmctl(int op, int a, int b);

// What sbrk and sbrklazy return on failure (newer xv6 labs test for it).
#define SBRK_ERROR ((char *)-1)

// Library functions.
int stat(const char *, struct stat *);
char *strcpy(char *, const char *);
void *memmove(void *, const void *, int);
char *strchr(const char *, char c);
int strcmp(const char *, const char *);
void fprintf(int, const char *, ...) __attribute__((format(printf, 2, 3)));
void printf(const char *, ...) __attribute__((format(printf, 1, 2)));
char *gets(char *, int max);
uint strlen(const char *);
void *memset(void *, int, uint);
void *malloc(uint);
void free(void *);
int atoi(const char *);
int memcmp(const void *, const void *, uint);
void *memcpy(void *, const void *, uint);
