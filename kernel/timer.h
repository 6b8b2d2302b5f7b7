// The periodic timer interrupt that drives preemption and sleep().
#pragma once
#include "types.h"
#include "spinlock.h"

#define TICK_HZ 100

extern uint64 ticks;              // since boot, counted on cpu 0
extern struct spinlock tickslock;

void timer_init(void);            // once
void timer_init_hart(void);       // on every hart
void timer_interrupt(void);
// Sleeps until the next tick.
void tick_wait(void);
