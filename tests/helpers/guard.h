/* guard.h: what the test helpers share: they refuse to run in the machine's own IPC
 * namespace, so a test that slips out of its private namespace fails loudly. */
#ifndef IPCADM_TEST_GUARD_H
#define IPCADM_TEST_GUARD_H

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

#endif
