/* parallel.c: see parallel.h. */
#include "parallel.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

struct slice {
	parallel_fn fn;
	void *arg;
	size_t lo, hi;
	unsigned int n;
};

static void *run_slice(void *p)
{
	struct slice *s = p;

	s->fn(s->arg, s->lo, s->hi, s->n);
	return NULL;
}

unsigned int parallel_slices(size_t n, size_t min)
{
	static long cpus;
	const char *env;
	size_t k;

	if (cpus == 0) {
		env = getenv("IPCADM_THREADS");
		cpus = env && *env ? atol(env) : sysconf(_SC_NPROCESSORS_ONLN);
		if (cpus < 1)
			cpus = 1;
	}
	k = min ? n / min : n;
	if (k > (size_t)cpus)
		k = (size_t)cpus;
	if (k > PARALLEL_MAX)
		k = PARALLEL_MAX;
	return k ? (unsigned int)k : 1;
}

struct each {
	void (*fn)(void *arg, size_t i);
	void *arg;
};

static void each_slice(void *arg, size_t lo, size_t hi, unsigned int slice)
{
	struct each *e = arg;

	(void)slice;
	for (size_t i = lo; i < hi; i++)
		e->fn(e->arg, i);
}

void parallel_each(size_t n, size_t min, void (*fn)(void *arg, size_t i), void *arg)
{
	struct each e = { fn, arg };

	parallel_for(n, min, each_slice, &e);
}

void parallel_for(size_t n, size_t min, parallel_fn fn, void *arg)
{
	unsigned int k = parallel_slices(n, min);
	struct slice s[PARALLEL_MAX];
	pthread_t t[PARALLEL_MAX];
	bool started[PARALLEL_MAX] = { false };

	for (unsigned int i = 0; i < k; i++)
		s[i] = (struct slice){ fn, arg, n * i / k, n * (i + 1) / k, i };
	for (unsigned int i = 1; i < k; i++)
		started[i] = pthread_create(&t[i], NULL, run_slice, &s[i]) == 0;
	run_slice(&s[0]);
	for (unsigned int i = 1; i < k; i++) {
		if (started[i])
			pthread_join(t[i], NULL);
		else
			run_slice(&s[i]);
	}
}
