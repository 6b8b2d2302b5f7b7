#pragma once

// Replaces the current process's program with the ELF file at path.
// Returns -1 (the old program intact) if the file is missing or not a
// valid RISC-V executable.  On success, returns argc (it goes to a0).
int exec(char *path, char **argv);
// exec for the first process, with no arguments.
int kernel_exec(char *path);
