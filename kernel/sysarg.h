// Fetching system-call arguments from the trapframe of the current process.
#pragma once
#include "types.h"

void argint(int n, int *ip);
void argaddr(int n, uint64 *ip);
// Copies argument n as a string into buf; returns its length or -1.
int argstr(int n, char *buf, int max);
// Reads a pointer-sized word / a string at a user address; 0 or -1.
int fetchaddr(uint64 addr, uint64 *ip);
int fetchstr(uint64 addr, char *buf, int max);
