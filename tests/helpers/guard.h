/* guard.h: what the test helpers share: they refuse to run in the machine's own IPC
 * namespace, so a test that slips out of its private namespace fails loudly; and their
 * error exits. */
#ifndef IPCADM_TEST_GUARD_H
#define IPCADM_TEST_GUARD_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The initial IPC namespace (include/linux/proc_ns.h): this machine's own. */
#define INIT_IPC_NS "ipc:[4026531839]"

static inline void refuse_host_namespace(const char *prog)
{
	char link[64];
	ssize_t n = readlink("/proc/self/ns/ipc", link, sizeof(link) - 1);

	if (n <= 0)
		return;
	link[n] = '\0';
	if (strcmp(link, INIT_IPC_NS) == 0) {
		fprintf(stderr, "%s: refusing to run in this machine's own IPC namespace "
				"(run it under unshare --ipc)\n",
			prog);
		exit(1);
	}
}

/* "PROG: message" (": strerror(err)" when err), a hint line when hint; exits 1. */
static inline __attribute__((noreturn)) void helper_die(int err, const char *hint,
							 const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", program_invocation_short_name);
	vfprintf(stderr, fmt, ap);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
	if (hint)
		fprintf(stderr, "(see the comment at the top of tests/helpers/%s.c)\n",
			program_invocation_short_name);
	exit(1);
}

/* A failed call: the message and errno's text. */
static inline __attribute__((noreturn, format(printf, 1, 2))) void fail(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	helper_die(err, NULL, fmt, ap);
}

/* Bad arguments: the message and where the usage is written. */
static inline __attribute__((noreturn, format(printf, 1, 2))) void usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	helper_die(0, "usage", fmt, ap);
}

#endif
