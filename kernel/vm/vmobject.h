// Memory objects: what a shared or file-backed region maps.  An object's
// pages live in the page cache, a hash table keyed by (object, page index)
// whose entries are the frames themselves (struct frame's owner/offset), so
// that every process mapping the same file page maps the same frame: the
// text of a program is shared by all processes running it.
//
//   VMO_FILE  one object per file, holding a reference to its inode; pages
//             are read from the file on first use.
//   VMO_ANON  shared anonymous memory (mmap MAP_SHARED|MAP_ANONYMOUS);
//             pages start zeroed; a page the pager wrote to swap leaves
//             the cache and its slot is kept for the object
//             (anon_slots.h) until a fault reads it back.
//   VMO_SWAP  the swap cache: one object for the swap partition, its page i
//             is slot i.  A page being written out or read back is found
//             here by slot, so a sharer waits for that I/O instead of
//             starting its own, and a clean page that still has its slot
//             is evicted again without a write.
//
// A page under I/O is FRAME_BUSY: whoever finds it waits until it is not.
//
// Private memory needs no object: it lives in frames mapped by one page
// table (or shared copy-on-write after fork).
#pragma once
#include "types.h"

enum vmo_kind { VMO_FILE, VMO_ANON, VMO_SWAP };

struct inode;
struct frame;

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
// Returns 0 with *err = VM_ERR_NO_MEMORY, VM_ERR_IO, VM_ERR_SWAP_IO or
// VM_ERR_PUT_OFF.
void *vmo_get_page(struct vm_object *o, uint64 pgidx, int *err);
extern struct vm_object swap_object;

// For the pager (pageout.c).  What a user frame holds, as far as evicting
// it goes:
enum evict_kind {
  EVICT_NOT,       // not evictable now (busy, shared memory, kernel)
  EVICT_PRIVATE,   // private anonymous memory with no slot: write to swap
  EVICT_SWAPPED,   // in the swap cache, its slot up to date: just drop it
  EVICT_FILE,      // a clean page of a file: drop it, the file has it
  EVICT_FILE_WRITABLE,  // a file page mapped writable by a shared mapping:
                        // write it to its file if dirty, then drop it
  EVICT_SHARED_ANON,    // shared anonymous memory: write it to a slot of
                        // its own, then drop it
};
// Claims f for eviction: marks it busy and takes a reference, unless it is
// EVICT_NOT (nothing done).
enum evict_kind vmo_claim(struct frame *f);
// Puts f, a private page claimed for eviction, into the swap cache as
// page slot (still busy).
void vmo_swap_add(struct frame *f, uint64 slot);
// Ends a claim: if nothing maps f any more and nobody else holds it, it
// leaves the cache (1 is returned); busy is cleared and waiters woken.
// The claimer then drops its reference.  With keep, f stays cached.
int vmo_finish_claim(struct frame *f, int keep);
// Ends the claim of f, a shared anonymous page just written to slot
// (unmapped everywhere): if nobody else holds it, it leaves the cache, its
// object keeps slot (and the caller's reference to it) for the next fault,
// and 1 is returned; else it stays (0) and the caller puts the slot.  The
// claimer then drops its reference.
int vmo_anon_swapped_out(struct frame *f, uint64 slot);
// swapoff: reads every swapped-out shared anonymous page back into the
// cache.  0, or the first error (VM_ERR_*).
int vmo_anon_swap_in_all(void);
// Shared anonymous pages out on swap now.
uint64 vmo_anon_swapped_pages(void);
// Takes the cached page of slot out of the swap cache if the caller's
// reference is the only one besides the cache's (1), so the caller may
// make it private again.
int vmo_swap_take(void *page, uint64 slot);
// Called by swap_put when a slot's last reference goes.
void vmo_swap_forget(uint64 slot);
// Marks a cached page as mapped writable by a shared file mapping.
void vmo_mark_shared_write(void *page);
// The object of f, a claimed (busy) page of a file, with a new reference,
// and the page's index in *pgidx; or 0 if it is no longer cached.
struct vm_object *vmo_hold_owner(struct frame *f, uint64 *pgidx);
// Writes page (page pgidx of file object o) to the file, never past the
// file's end: a mapping does not grow its file.  The caller is inside a
// file-system transaction and holds o's inode lock.  0, or -1 on a disk
// error or full disk.
int vmo_write_page(struct vm_object *o, uint64 pgidx, void *page);
// Whether f, claimed and unmapped, must still be written to its file
// before it may be dropped (it was dirty and the write failed).
int vmo_is_dirty(struct frame *f);
// f, claimed and unmapped, is now as on its file (written) or newer.
void vmo_mark_written(struct frame *f, int written);

// Called by the file system with ip locked: bytes [off, off+n) of ip were
// written; cached pages re-read them so mappings see the new data.
void vmo_file_written(struct inode *ip, uint off, uint n);
// ip's data was freed (truncate/delete): cached pages leave the cache
// (mappings keep their frames).
void vmo_file_truncated(struct inode *ip);

uint64 vmo_file_pages_read(void);
uint64 vmo_cached_pages(void);
