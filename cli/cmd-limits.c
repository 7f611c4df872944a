/* cmd-limits.c: `ipcadm limits`: every System V IPC limit of this IPC namespace (or of
 * those of -A, -N) with its usage, then the POSIX ones; the table is limits-table.c's. */
#include <stdio.h>

#include "ipcadm-cli.h"
#include "limits-table.h"
#include "ns.h"

static void limits_help(void)
{
	printf("Usage: %s limits [OPTIONS]\n\n"
	       "Every System V IPC limit of this IPC namespace, and its usage as\n"
	       "the kernel counts it; then fs.mqueue's limits and the size and use\n"
	       "of the /dev/shm tmpfs. With -A or -N, one object (JSON) with the\n"
	       "namespaces and every namespace's limits, NAMESPACE first.\n\n"
	       "Options:\n%s%s  -h, --help               this help\n",
	       progname, output_options_help, ns_options_help);
}

int cmd_limits(struct ipcadm_ctx *ctx, int argc, char **argv)
{
	struct out_opts opts = { 0 };
	struct ipcadm_snapshot *snap;
	struct ns_sel nss = { 0 };
	int r = view_options("limits", limits_help, argc, argv, &opts, &nss);

	if (r >= 0)
		return r;
	if (optind < argc)
		return usage_error("limits", "unexpected argument '%s'", argv[optind]);
	if (nss.all || nss.spec)
		return print_limits_ns(ctx, &nss, &opts);
	/* the queues are counted to show their use of MQ_QUEUES_MAX */
	r = ipcadm_snapshot_read(ctx, IPCADM_SYSV_KINDS | IPCADM_KIND_BIT(IPCADM_PMQ), 0, &snap);
	if (r < 0)
		return error_code(r, "cannot read the IPC state below '%s'", ipcadm_ctx_root(ctx));
	r = print_limits(snap, &opts, false);
	ipcadm_snapshot_free(snap);
	return r < 0 ? error_code(r, "cannot print the limits") : 0;
}
