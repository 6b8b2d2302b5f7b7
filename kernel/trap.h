#pragma once
void trap_init_hart(void);
void user_trap_return(void) __attribute__((noreturn));
