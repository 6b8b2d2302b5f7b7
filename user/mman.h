// What mmap returns on failure, as POSIX's <sys/mman.h> has it.  It is not in
// kernel/fcntl.h with the other mmap names, because xv6's mmap lab test
// (mmaptest.c) includes that file and then defines MAP_FAILED itself, with
// a different spelling: two definitions would not compile.
#pragma once

#define MAP_FAILED ((void *) -1)
