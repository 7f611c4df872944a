/* clockshift.c: an LD_PRELOAD library for tests that steps the wall clock of one program:
 * CLOCK_REALTIME as clock_gettime, gettimeofday and time see it, by IPCADM_TEST_CLOCK_SHIFT.
 *
 * Usage: IPCADM_TEST_CLOCK_SHIFT=SECONDS LD_PRELOAD=$IPCADM_BUILD/helpers/clockshift.so CMD
 * SECONDS is a signed decimal number (-60, 259200). The kernel's own times (object times,
 * /proc/stat's btime) and CLOCK_BOOTTIME are not changed: the program sees the clock as
 * it would after `date -s` or an NTP step, which a time namespace cannot show (it shifts
 * only the monotonic and boot clocks). A bad SECONDS ends the program with exit 2.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* Exported interpositions of libc functions; the prototypes are libc's. */
int clock_gettime(clockid_t clk, struct timespec *ts);
int gettimeofday(struct timeval *restrict tv, void *restrict tz);
time_t time(time_t *t);

static long long shift(void)
{
	static long long secs;
	static int known;
	const char *s;
	char *end;

	if (known)
		return secs;
	s = getenv("IPCADM_TEST_CLOCK_SHIFT");
	if (s != NULL && *s != '\0') {
		errno = 0;
		secs = strtoll(s, &end, 10);
		if (errno != 0 || *end != '\0') {
			fprintf(stderr, "clockshift: invalid IPCADM_TEST_CLOCK_SHIFT '%s'\n", s);
			_exit(2);
		}
	}
	known = 1;
	return secs;
}

static void *next(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (f == NULL) {
		fprintf(stderr, "clockshift: no %s to wrap\n", name);
		_exit(2);
	}
	return f;
}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	static int (*real)(clockid_t, struct timespec *);
	int r;

	if (real == NULL)
		real = (int (*)(clockid_t, struct timespec *))next("clock_gettime");
	r = real(clk, ts);
	if (r == 0 && (clk == CLOCK_REALTIME || clk == CLOCK_REALTIME_COARSE))
		ts->tv_sec += (time_t)shift();
	return r;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	static int (*real)(struct timeval *restrict, void *restrict);
	int r;

	if (real == NULL)
		real = (int (*)(struct timeval *restrict,
				void *restrict))next("gettimeofday");
	r = real(tv, tz);
	if (r == 0) /* tv is declared nonnull */
		tv->tv_sec += (time_t)shift();
	return r;
}

time_t time(time_t *t)
{
	struct timespec ts;
	time_t now;

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return (time_t)-1;
	now = ts.tv_sec;
	if (t != NULL)
		*t = now;
	return now;
}
