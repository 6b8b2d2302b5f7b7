// Where the kernel image sits in physical memory.
#pragma once
#include "types.h"

uint64 kernel_image_pa(void);       // physical address of _start
uint64 kernel_image_pa_end(void);   // physical address of _end
// Physical address of something inside the kernel image.
uint64 kimage_v2p(const void *va);
