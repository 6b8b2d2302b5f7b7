// The machine-independent half of virtual memory: an address space is a
// list of regions, each saying what backs its pages.  The page table
// (pmap.h) only caches what the regions say; a page is made real by
// vm_fault() on first touch.
#pragma once
#include "types.h"
#include "vm/pmap.h"

enum fault_access { FAULT_READ, FAULT_WRITE, FAULT_EXEC };

// vm_fault() errors (negative), each with a message from vm_fault_error().
#define VM_ERR_NO_REGION  (-1)   // the address is in no region
#define VM_ERR_PROTECTION (-2)   // the region does not allow this access
#define VM_ERR_NO_MEMORY  (-3)   // no free frame
#define VM_ERR_IO         (-4)   // the backing file could not be read
#define VM_ERR_PUT_OFF    (-5)   // needs a file read under an inode lock
#define VM_ERR_SWAP_IO    (-6)   // the page could not be read from swap
#define VM_ERR_KILLED     (-7)   // chosen by the out-of-memory killer (said so)

// region flags
#define REGION_SHARED 0x1   // writes are seen by every mapping (else private)
#define REGION_STACK  0x2   // grows down on demand
#define REGION_HEAP   0x4   // made by sbrk

struct vm_object;

// What backs a region's pages:
//   obj == 0                 private zero-fill memory (heap, stack, bss);
//   obj, REGION_SHARED       page i is page obj_offset/PGSIZE + i of obj,
//                            mapped as it is (writes reach the object);
//   obj, private             the first file_bytes bytes come from obj, the
//                            rest read as zero; a write makes a private
//                            copy (program data, mmap MAP_PRIVATE).
struct region {
  uint64 start, end;       // page-aligned, [start, end)
  int prot;                // PROT_READ | PROT_WRITE | PROT_EXEC (fcntl.h)
  int flags;
  struct vm_object *obj;
  uint64 obj_offset;       // byte offset in obj that maps to start (page-aligned)
  uint64 file_bytes;       // private: bytes from obj, counted from start
  struct region *next;     // sorted by start
};

struct vmspace {
  int refs;                // its process, and swapoff while it works on it
  struct pmap pmap;
  struct region *regions;
  uint64 heap_start;       // where the heap starts (the break's lowest value)
  uint64 brk;              // program break (end of the heap, byte-exact)
  uint64 page_ins;         // faults that brought a page in (not A/D, not COW)
  uint64 page_ins_seen;    // page_ins at load control's last sample
  uint64 page_in_rate;     // pages in per second, over the last sample
  struct local_set *local; // a fixed allocation of frames (localset.h), or 0
  int local_wanted;        // the allocation asked for, applied at the next fault
  int local_by_hand;       // local_wanted was set by vmctl limit, not computed
};

void vm_init(void);
struct vmspace *vm_create(void);
// Removes every mapping and drops the owner's reference; the last
// reference frees the page table.
void vm_destroy(struct vmspace *vm);
void vm_hold(struct vmspace *vm);
void vm_put(struct vmspace *vm);
// A copy of vm for fork: private pages shared copy-on-write.
struct vmspace *vm_fork(struct vmspace *vm);
// Loads vm on this hart (0: no user address space, the kernel's alone),
// leaving whatever was loaded before.
void vm_load(struct vmspace *vm);

// Adds a region (taking its own reference to obj, if any); fails (-1) if
// it overlaps another or is out of range.
int vm_add_region(struct vmspace *vm, uint64 start, uint64 end, int prot, int flags,
                  struct vm_object *obj, uint64 obj_offset, uint64 file_bytes);
// Removes every mapping in [start, end), splitting regions as needed;
// dirty pages of shared file mappings are written back first.  Returns
// -1, with nothing changed, if no memory is left for a split.
int vm_remove_range(struct vmspace *vm, uint64 start, uint64 end);
// Writes back the dirty pages of shared file mappings in [start, end).
void vm_sync_range(struct vmspace *vm, uint64 start, uint64 end);
// A free, page-aligned range of len bytes for mmap, below the stack's
// growth limit; 0 if there is none.
uint64 vm_find_free(struct vmspace *vm, uint64 len);
struct region *vm_find_region(struct vmspace *vm, uint64 va);

// Makes the page at va present for the given access.  0, or VM_ERR_*.
int vm_fault(struct vmspace *vm, uint64 va, enum fault_access access);
const char *vm_fault_error(int err);
// Faults since boot that read a page from disk (major) or not (minor).
uint64 vm_major_faults(void);
uint64 vm_minor_faults(void);

// Moves the program break by n bytes; returns the old break or -1.
uint64 vm_sbrk(struct vmspace *vm, long n);
// Copies into vm (which need not be the current address space): exec
// uses it to build the new program's stack.  0 or -1.
int vm_copyout(struct vmspace *vm, uint64 va, const void *src, uint64 len);
// Pages of vm present in memory.
uint64 vm_resident_pages(struct vmspace *vm);
// Pages of vm out on swap.
uint64 vm_swapped_pages(struct vmspace *vm);
// Brings every page of vm that is out on swap back into memory (swapoff),
// vm held.  Needs no region: a swap entry keeps its page's permissions.
// 0, or an error (VM_ERR_NO_MEMORY when memory is full).
int vm_swap_in_all(struct vmspace *vm);
// Checks the accessed/dirty fault path at boot and says whether the
// hardware sets A/D (see vm_selftest.c); needs this hart's trap vector.
void vm_selftest(void);
