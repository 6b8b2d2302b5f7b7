// A boot-time check of the fault handler's accessed/dirty path.  Cores
// that do not set PTE A/D in hardware (the VisionFive 2's U74) fault
// instead, and the handler sets the bit.  QEMU always sets A/D in
// hardware, so no user program can make that path run there; this check
// calls vm_fault() directly on pages whose A or D bit it has cleared.
// Then it finds out which kind of core this is, for the boot log: it reads
// the page with A clear, through the fault-safe user copy, and sees whether
// the hardware set A or the read faulted.
#include "types.h"
#include "riscv.h"
#include "fcntl.h"
#include "vm/pmap.h"
#include "printf.h"
#include "uaccess.h"
#include "vm/vm.h"

#define TEST_VA 0x10000UL

static pte_t pte_of(struct vmspace *vm)
{
  pte_t *pte = pmap_walk(vm->pmap.root, TEST_VA, 0);
  return pte ? *pte : 0;
}

static void clear_bits(struct vmspace *vm, uint64 bits)
{
  *pmap_walk(vm->pmap.root, TEST_VA, 0) &= ~bits;
}

// Runs with no process on this hart, so a fault in the copy is not
// resolved: the copy just fails.
static int hardware_sets_accessed(struct vmspace *vm)
{
  clear_bits(vm, PTE_A | PTE_D);
  vm_load(vm);
  char byte;
  int read_ok = copyin(&byte, TEST_VA, 1) == 0;
  vm_load(0);
  return read_ok && (pte_of(vm) & PTE_A);
}

void vm_selftest(void)
{
  struct vmspace *vm = vm_create();
  if (!vm || vm_add_region(vm, TEST_VA, TEST_VA + PGSIZE, PROT_READ | PROT_WRITE, 0, 0, 0, 0) < 0)
    panic("vm selftest: cannot make an address space");

  // First touch by a read: present, accessed, writable, not yet dirty.
  if (vm_fault(vm, TEST_VA, FAULT_READ) < 0)
    panic("vm selftest: read fault failed");
  pte_t pte = pte_of(vm);
  if (!(pte & PTE_V) || !(pte & PTE_A) || (pte & PTE_D) || !(pte & PTE_W))
    panic("vm selftest: first read fault gave pte %p", (void *)pte);

  // A present page with A clear: a read fault sets A, keeps the frame.
  clear_bits(vm, PTE_A);
  if (vm_fault(vm, TEST_VA, FAULT_READ) < 0 || pte_of(vm) != pte)
    panic("vm selftest: read fault did not set A (pte %p)", (void *)pte_of(vm));

  // A store to a page with D clear: the write fault sets D (and A).
  clear_bits(vm, PTE_A);
  if (vm_fault(vm, TEST_VA, FAULT_WRITE) < 0 || pte_of(vm) != (pte | PTE_D))
    panic("vm selftest: write fault did not set A and D (pte %p)", (void *)pte_of(vm));

  const char *ad_mode = hardware_sets_accessed(vm) ? "set by hardware"
                                                  : "set by the page-fault handler (hardware faults)";
  vm_destroy(vm);
  printf("vm: accessed/dirty bits %s; fault path checked\n", ad_mode);
}
