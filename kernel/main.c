// Boot: the boot hart sets up the machine from the device tree and starts
// the other harts; then every hart runs the scheduler.
#include "types.h"
#include "riscv.h"
#include "param.h"
#include "memlayout.h"
#include "platform.h"
#include "proc.h"
#include "printf.h"
#include "console.h"
#include "vm/frame.h"
#include "vm/pmap.h"
#include "vm/kvm.h"
#include "vm/vm.h"
#include "vm/policy.h"
#include "trap.h"
#include "timer.h"
#include "dev/irq.h"
#include "sbi.h"
#include "bio.h"
#include "fs.h"
#include "file.h"
#include "dev/drivers.h"

struct platform platform;
extern char secondary_hart_entry[];
static volatile int harts_started;

// Gives each usable hart a dense cpu number, the boot hart first.
static void number_harts(uint64 boot_hartid)
{
  for (int pass = 0; pass < 2; pass++) {
    for (int i = 0; i < platform.nharts && ncpu < NCPU; i++) {
      struct hart_info *h = &platform.harts[i];
      if (!h->usable || (pass == 0) != (h->hartid == boot_hartid))
        continue;
      struct cpu *c = &cpus[ncpu];
      c->id = ncpu++;
      c->hartid = h->hartid;
      c->plic_context = h->plic_s_context;
      c->has_sstc = h->has_sstc;
    }
  }
  if (ncpu == 0 || cpus[0].hartid != boot_hartid)
    panic("boot hart %ld is not a usable hart in the device tree", (long)boot_hartid);
}

// One line for each hart the kernel leaves stopped, with the reason.
static void report_skipped_harts(void)
{
  for (int i = 0; i < platform.nharts; i++) {
    struct hart_info *h = &platform.harts[i];
    int numbered = 0;
    for (int c = 0; c < ncpu; c++)
      numbered |= cpus[c].hartid == h->hartid;
    if (numbered)
      continue;
    if (h->unusable_why)
      printf("harts: hart %ld skipped: %s\n", (long)h->hartid, h->unusable_why);
    else
      printf("harts: hart %ld skipped: the kernel runs at most NCPU = %d harts\n",
             (long)h->hartid, NCPU);
  }
}

#define HART_START_TRIES 3
#define HART_ARRIVAL_MS 1000

// Whether harts_started reaches count within HART_ARRIVAL_MS.
static int harts_arrive(int count)
{
  uint64 start = r_time(), wait = platform.timebase_hz * HART_ARRIVAL_MS / 1000;
  while (__atomic_load_n(&harts_started, __ATOMIC_ACQUIRE) < count)
    if (r_time() - start > wait)
      return 0;
  return 1;
}

// Starts cpu's hart; returns whether it came.  A hart that the firmware
// sent to the boot entry instead stops itself there (entry.S): it is
// started once more.
static int start_hart(int cpu, int count)
{
  long hartid = (long)cpus[cpu].hartid;
  for (int try = 1; try <= HART_START_TRIES; try++) {
    int err = sbi_hart_start(cpus[cpu].hartid, kimage_v2p(secondary_hart_entry), (uint64)cpu);
    if (err) {
      printf("harts: hart %ld skipped: did not start (SBI error %d)\n", hartid, err);
      return 0;
    }
    if (harts_arrive(count))
      return 1;
    printf("harts: hart %ld started but did not arrive within %d ms (try %d of %d)\n", hartid,
           HART_ARRIVAL_MS, try, HART_START_TRIES);
  }
  printf("harts: hart %ld skipped: never arrived\n", hartid);
  return 0;
}

static void start_other_harts(void)
{
  int started = 1;
  for (int i = 1; i < ncpu; i++)
    started += start_hart(i, started + 1);
  printf("harts: %d started, boot hart %ld\n", started, (long)cpus[0].hartid);
}

// Keeps a range (the device tree, the initrd) out of the frame allocator.
static void reserve(uint64 base, uint64 size)
{
  if (platform.nrsv == PLATFORM_MAX_RSV)
    panic("more than %d reserved memory ranges", PLATFORM_MAX_RSV);
  platform.rsv[platform.nrsv++] = (struct mem_range){ base, size };
}

static void report_ram(void)
{
  uint64 total = 0;
  printf("ram:");
  for (int i = 0; i < platform.nmem; i++) {
    total += platform.mem[i].size;
    printf(" 0x%lx-0x%lx", platform.mem[i].base, platform.mem[i].base + platform.mem[i].size);
  }
  struct frame_stats st;
  frame_get_stats(&st);
  printf(" (%ld MiB), kernel at 0x%lx, %ld MiB free\n", (long)(total >> 20), kernel_image_pa(),
         (long)(st.free * PGSIZE >> 20));
}

static void report_timer_and_console(void)
{
  int sstc = 0;
  for (int i = 0; i < ncpu; i++)
    sstc += cpus[i].has_sstc;
  printf("timer: %s, timebase %ld Hz\n",
         sstc == ncpu ? "stimecmp (Sstc)" : sstc == 0 ? "SBI set_timer (no Sstc)"
                                                      : "stimecmp where Sstc, else SBI set_timer",
         (long)platform.timebase_hz);
  static const char *const uart_names[] = {
    [UART_NS16550] = "16550 UART", [UART_SIFIVE] = "SiFive UART",
  };
  if (platform.uart.kind == UART_NONE)
    printf("console: no UART the kernel drives: output through SBI, no input\n");
  else
    printf("console: %s at 0x%lx, irq %d\n", uart_names[platform.uart.kind], platform.uart.base,
           (int)platform.uart.irq);
}

// vm.policy=clock|eclock|fifo on the kernel command line chooses the
// replacement policy before any process runs; a line says so unless it is
// the default.
static void choose_policy(void)
{
  int p = policy_from_bootargs(platform.bootargs);
  if (p == POLICY_BOOTARG_UNKNOWN)
    printf("vm: vm.policy= names no policy (clock, eclock, fifo): clock\n");
  if (p < 0)
    return;
  policy_set((enum vm_policy)p);
  if (p != POLICY_CLOCK)
    printf("vm: replacement policy %s (vm.policy= at boot)\n", policy_name((enum vm_policy)p));
}

static void init_hart(void)
{
  pmap_load(0);   // the kernel's page table
  trap_init_hart();
  plic_init_hart();
  timer_init_hart();
}

void kmain(uint64 hartid, uint64 dtb_pa)
{
  // tp points at this hart's struct cpu for as long as the kernel runs.
  __asm__ volatile("mv tp, %0" : : "r"(&cpus[0]));
  const void *dtb = P2V(dtb_pa);
  if (fdt_parse(dtb, &platform) < 0)
    panic("the device tree at %p is not valid", (void *)dtb_pa);
  reserve(dtb_pa, fdt_totalsize(dtb));
  if (platform.initrd_end > platform.initrd_start)
    reserve(platform.initrd_start, platform.initrd_end - platform.initrd_start);
  number_harts(hartid);
  printf_init();
  plic_init();   // before the console takes its interrupt: says if there is no PLIC
  console_init();
  printf("\nvmkernel: booting on hart %ld, model \"%s\"\n", (long)hartid, platform.model);
  report_skipped_harts();
  report_timer_and_console();

  frame_init();
  report_ram();
  kvm_init();
  timer_init();
  proc_init();
  vm_init();
  binit();
  iinit();
  fileinit();
  drivers_probe();
  choose_policy();
  userinit();
  init_hart();
  vm_selftest();

  harts_started = 1;
  start_other_harts();
  scheduler();
}

void secondary_main(uint64 hartid, uint64 cpu)
{
  __asm__ volatile("mv tp, %0" : : "r"(&cpus[cpu]));
  (void)hartid;
  init_hart();
  __atomic_fetch_add(&harts_started, 1, __ATOMIC_RELEASE);
  scheduler();
}
