// Memory objects: what a shared or file-backed region maps.  An object's
// pages live in the page cache, a hash table keyed by (object, page index)
// whose entries are the frames themselves (struct frame's owner/offset), so
// that every process mapping the same file page maps the same frame: the
// text of a program is shared by all processes running it.
//
//   VMO_FILE  one object per file, holding a reference to its inode; pages
//             are read from the file on first use.
//   VMO_ANON  shared anonymous memory (mmap MAP_SHARED|MAP_ANONYMOUS);
//             pages start zeroed.
//
// Private memory needs no object: it lives in frames mapped by one page
// table (or shared copy-on-write after fork).
#pragma once
#include "types.h"

enum vmo_kind { VMO_FILE, VMO_ANON };

struct inode;

struct vm_object {
  enum vmo_kind kind;
  int refs;                  // regions using it; freed (with its pages) at 0
  struct inode *ip;          // VMO_FILE
  struct vm_object *next;    // in the object table
};

void vmo_init(void);
// The object of a file (found or created), with a new reference.
struct vm_object *vmo_of_file(struct inode *ip);
struct vm_object *vmo_new_anon(void);
void vmo_ref(struct vm_object *o);
// Drops a reference; the last one frees the cached pages (may sleep).
void vmo_put(struct vm_object *o);

// Page pgidx of o, with a reference for the caller (frame_free drops it).
// Returns 0 with *err = VM_ERR_NO_MEMORY, VM_ERR_IO or VM_ERR_PUT_OFF.
void *vmo_get_page(struct vm_object *o, uint64 pgidx, int *err);

// Called by the file system with ip locked: bytes [off, off+n) of ip were
// written; cached pages re-read them so mappings see the new data.
void vmo_file_written(struct inode *ip, uint off, uint n);
// ip's data was freed (truncate/delete): cached pages leave the cache
// (mappings keep their frames).
void vmo_file_truncated(struct inode *ip);

uint64 vmo_file_pages_read(void);
uint64 vmo_cached_pages(void);
