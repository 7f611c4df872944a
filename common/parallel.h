/* parallel.h: a loop over [0, n) spread over the machine's cores, for the system calls made
 * per object or per process that dominate reading tens of thousands of them. */
#ifndef IPCADM_PARALLEL_H
#define IPCADM_PARALLEL_H

#include <stddef.h>

#define PARALLEL_MAX 4

/* fn handles [lo, hi) as slice number `slice` (0 .. PARALLEL_MAX - 1); slices run at once
 * and must touch nothing another slice touches. */
typedef void (*parallel_fn)(void *arg, size_t lo, size_t hi, unsigned int slice);

/* How many slices parallel_for() would use for n items of which each thread should get
 * at least min: the online CPUs, at most PARALLEL_MAX, 1 with IPCADM_THREADS=1. */
unsigned int parallel_slices(size_t n, size_t min);
/* Runs fn over [0, n) in parallel_slices(n, min) contiguous slices, the first in the
 * calling thread; waits for all. A thread that cannot be made runs its slice inline. */
void parallel_for(size_t n, size_t min, parallel_fn fn, void *arg);
/* The same for work that needs no slice of its own: fn(arg, i) for each item i. */
void parallel_each(size_t n, size_t min, void (*fn)(void *arg, size_t i), void *arg);

#endif
