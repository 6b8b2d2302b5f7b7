// External interrupts, routed through the PLIC.
#pragma once
#include "types.h"

// Calls handler(arg) on every interrupt from source irq, taken on any hart.
void irq_register(uint32 irq, void (*handler)(void *arg), void *arg);
void plic_init(void);       // once, on the boot hart
void plic_init_hart(void);  // on every hart
void plic_dispatch(void);   // claim, handle and complete pending sources
