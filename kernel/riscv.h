// RISC-V supervisor-mode registers and Sv39 page-table entry bits.
// Names follow xv6 so xv6 user programs that include this file compile.
#pragma once
#ifdef __ASSEMBLER__
#define _L(x) x
#else
#include "types.h"
#define _L(x) x##L
#endif

#define PGSIZE  4096
#define PGSHIFT 12
#define PGROUNDUP(sz)  (((sz)+PGSIZE-1) & ~(PGSIZE-1))
#define PGROUNDDOWN(a) (((a)) & ~(PGSIZE-1))

// Sv39 page-table entry bits (privileged spec, section "Sv39").
#define PTE_V (_L(1) << 0)
#define PTE_R (_L(1) << 1)
#define PTE_W (_L(1) << 2)
#define PTE_X (_L(1) << 3)
#define PTE_U (_L(1) << 4)
#define PTE_G (_L(1) << 5)
#define PTE_A (_L(1) << 6)
#define PTE_D (_L(1) << 7)
#define PTE_COW (_L(1) << 8)   // software bit (RSW): shared copy-on-write

#define PA2PTE(pa) ((((uint64)pa) >> 12) << 10)
#define PTE2PA(pte) (((pte) >> 10) << 12)
#define PTE_FLAGS(pte) ((pte) & 0x3FF)

#define PXMASK          0x1FF
#define PXSHIFT(level)  (PGSHIFT+(9*(level)))
#define PX(level, va) ((((uint64) (va)) >> PXSHIFT(level)) & PXMASK)

// One past the highest user address: the lower half of Sv39.
#define MAXVA (_L(1) << (9 + 9 + 9 + 12 - 1))

#define SATP_SV39 (_L(8) << 60)
#define MAKE_SATP(pagetable) (SATP_SV39 | (((uint64)pagetable) >> 12))

// sstatus
#define SSTATUS_SPP  (_L(1) << 8)   // previous mode, 1=Supervisor, 0=User
#define SSTATUS_SPIE (_L(1) << 5)   // supervisor previous interrupt enable
#define SSTATUS_SIE  (_L(1) << 1)   // supervisor interrupt enable
#define SSTATUS_SUM  (_L(1) << 18)  // supervisor may access user memory
#define SSTATUS_FS   (_L(3) << 13)  // floating-point unit state

// sie / sip
#define SIE_SSIE (_L(1) << 1)
#define SIE_STIE (_L(1) << 5)
#define SIE_SEIE (_L(1) << 9)

// scause
#define SCAUSE_INTERRUPT (1UL << 63)
#define IRQ_S_SOFT   1
#define IRQ_S_TIMER  5
#define IRQ_S_EXT    9
#define EXC_INST_MISALIGNED 0
#define EXC_INST_ACCESS     1
#define EXC_ILLEGAL_INST    2
#define EXC_BREAKPOINT      3
#define EXC_LOAD_ACCESS     5
#define EXC_STORE_ACCESS    7
#define EXC_ECALL_U         8
#define EXC_INST_PAGE_FAULT 12
#define EXC_LOAD_PAGE_FAULT 13
#define EXC_STORE_PAGE_FAULT 15

#ifndef __ASSEMBLER__
typedef uint64 pte_t;
typedef uint64 *pagetable_t; // 512 PTEs

#define CSR_READ(name) ({ uint64 _v; __asm__ volatile("csrr %0, " #name : "=r"(_v)); _v; })
#define CSR_WRITE(name, v) __asm__ volatile("csrw " #name ", %0" : : "r"((uint64)(v)))
#define CSR_SET(name, v) __asm__ volatile("csrs " #name ", %0" : : "r"((uint64)(v)))
#define CSR_CLEAR(name, v) __asm__ volatile("csrc " #name ", %0" : : "r"((uint64)(v)))

static inline uint64 r_sstatus(void) { return CSR_READ(sstatus); }
static inline void w_sstatus(uint64 x) { CSR_WRITE(sstatus, x); }
static inline uint64 r_sip(void) { return CSR_READ(sip); }
static inline void w_sip(uint64 x) { CSR_WRITE(sip, x); }
static inline uint64 r_sie(void) { return CSR_READ(sie); }
static inline void w_sie(uint64 x) { CSR_WRITE(sie, x); }
static inline uint64 r_sepc(void) { return CSR_READ(sepc); }
static inline void w_sepc(uint64 x) { CSR_WRITE(sepc, x); }
static inline uint64 r_stvec(void) { return CSR_READ(stvec); }
static inline void w_stvec(uint64 x) { CSR_WRITE(stvec, x); }
static inline uint64 r_satp(void) { return CSR_READ(satp); }
static inline void w_satp(uint64 x) { CSR_WRITE(satp, x); }
static inline uint64 r_scause(void) { return CSR_READ(scause); }
static inline uint64 r_stval(void) { return CSR_READ(stval); }
static inline uint64 r_time(void) { return CSR_READ(time); }
static inline uint64 r_cycle(void) { return CSR_READ(cycle); }
static inline uint64 r_sp(void) { uint64 x; __asm__ volatile("mv %0, sp" : "=r"(x)); return x; }
static inline uint64 r_tp(void) { uint64 x; __asm__ volatile("mv %0, tp" : "=r"(x)); return x; }
static inline uint64 r_ra(void) { uint64 x; __asm__ volatile("mv %0, ra" : "=r"(x)); return x; }

static inline void intr_on(void) { CSR_SET(sstatus, SSTATUS_SIE); }
static inline void intr_off(void) { CSR_CLEAR(sstatus, SSTATUS_SIE); }
static inline int intr_get(void) { return (r_sstatus() & SSTATUS_SIE) != 0; }

// Flush the whole TLB of this hart.
static inline void sfence_vma(void) { __asm__ volatile("sfence.vma zero, zero" ::: "memory"); }
#endif
