// The out-of-memory killer: when RAM and swap are both full and nothing
// can be evicted, the process with the largest footprint (resident +
// swapped) is killed, with one console line, so that the others go on.
#pragma once

// Picks and kills a victim, unless memory is free again or a killed
// process is still exiting (then it waits a tick).  Returns -1 if the
// caller itself is the victim (it must give up its fault), 0 once it may
// try again.
int oom_kill(void);
