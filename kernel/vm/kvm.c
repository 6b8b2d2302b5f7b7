// The kernel page table: the kernel image at KERNEL_VBASE with per-section
// permissions, and the direct map of RAM and device registers.  Built once
// from what the device tree says and never changed after, so the upper-half
// root entries that every user page table copies (pmap_create) stay valid.
#include "types.h"
#include "riscv.h"
#include "memlayout.h"
#include "platform.h"
#include "vm/frame.h"
#include "printf.h"
#include "vm/pmap.h"
#include "vm/kvm.h"

extern char _start[], _etext[], _erodata[], _end[];
extern uint64 kernel_pa;   // entry.S: where the image was loaded

#define KERNEL_PERM (PTE_G | PTE_A | PTE_D)

uint64 kernel_image_pa(void)
{
  return kernel_pa;
}

uint64 kimage_v2p(const void *va)
{
  return kernel_image_pa() + ((uint64)va - (uint64)_start);
}

uint64 kernel_image_pa_end(void)
{
  return kimage_v2p(_end);
}

static void map_or_panic(uint64 va, uint64 pa, uint64 size, uint64 perm)
{
  if (pmap_map_range(kernel_pmap.root, va, pa, size, perm) < 0)
    panic("kvm_init: out of memory");
}

void kvm_map_device(uint64 pa, uint64 size)
{
  if (pa == 0 || size == 0)
    return;
  uint64 base = PGROUNDDOWN(pa);
  map_or_panic((uint64)P2V(base), base, PGROUNDUP(pa + size) - base, PTE_R | PTE_W | KERNEL_PERM);
}

void kvm_init(void)
{
  kernel_pmap.root = frame_alloc_zeroed(FRAME_KERNEL);
  if (!kernel_pmap.root)
    panic("kvm_init: out of memory");

  uint64 text = (uint64)_start, rodata = (uint64)_etext, data = (uint64)_erodata;
  map_or_panic(text, kimage_v2p(_start), rodata - text, PTE_R | PTE_X | KERNEL_PERM);
  map_or_panic(rodata, kimage_v2p(_etext), data - rodata, PTE_R | KERNEL_PERM);
  map_or_panic(data, kimage_v2p(_erodata), (uint64)_end - data, PTE_R | PTE_W | KERNEL_PERM);

  for (int i = 0; i < platform.nmem; i++) {
    uint64 base = PGROUNDUP(platform.mem[i].base);
    uint64 end = PGROUNDDOWN(platform.mem[i].base + platform.mem[i].size);
    if (end - base > DIRECT_MAP_SIZE)
      end = base + DIRECT_MAP_SIZE;
    map_or_panic((uint64)P2V(base), base, end - base, PTE_R | PTE_W | KERNEL_PERM);
  }
  kvm_map_device(platform.uart.base, platform.uart.size);
  kvm_map_device(platform.plic_base, platform.plic_size);
  kvm_map_device(platform.test_base, platform.test_size);
}
