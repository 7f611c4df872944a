/* cmd-overview.c: `ipcadm` without a command: how many objects of each kind exist and
 * how close each counted resource is to its limit, and the doctor's findings (the health
 * report of `make run`). */
#include <stdio.h>

#include "ipcadm-cli.h"
#include "obuf.h"

int cmd_overview(struct ipcadm_ctx *ctx, int argc, char **argv)
{
	struct out_opts opts = { 0 };
	struct ipcadm_snapshot *snap;
	const struct ipcadm_usage *u;
	char size[32];
	const char *text;
	struct value v = { .type = V_SIZE };
	int r;

	(void)argc;
	(void)argv;
	r = ipcadm_snapshot_read(ctx, IPCADM_ALL_KINDS,
				 IPCADM_READ_SEMPIDS | IPCADM_READ_SHM_MEM, &snap);
	if (r < 0)
		return error_code(r, "cannot read the IPC state below '%s'", ipcadm_ctx_root(ctx));
	u = ipcadm_snapshot_usage(snap);
	v.u = u->shm_bytes;
	size[value_format(&opts, &v, size, &text)] = '\0';
	if (ipcadm_ctx_is_live(ctx))
		obuf_puts(out, "System V IPC of this IPC namespace\n");
	else
		obuf_printf(out, "System V IPC of the copied tree %s\n", ipcadm_ctx_root(ctx));
	obuf_printf(out, "  %llu shared memory segments (%s in %llu pages)\n",
		    (unsigned long long)u->shm_segs, text, (unsigned long long)u->shm_pages);
	obuf_printf(out, "  %llu semaphore arrays (%llu semaphores)\n",
		    (unsigned long long)u->sem_sets, (unsigned long long)u->sem_sems);
	obuf_printf(out, "  %llu message queues (%llu messages, %llu bytes)\n\n",
		    (unsigned long long)u->msg_queues, (unsigned long long)u->msg_msgs,
		    (unsigned long long)u->msg_bytes);
	r = print_limits(snap, &opts, true);
	if (r >= 0)
		r = print_overview_findings(ctx, snap);
	ipcadm_snapshot_free(snap);
	return r < 0 ? error_code(r, "cannot print the overview") : 0;
}
