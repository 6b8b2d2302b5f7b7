#pragma once
// Dispatches the system call whose number is in a7 of the current
// process's trapframe; the result goes to a0 (-1 for an unknown number).
void syscall(void);
