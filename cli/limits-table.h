/* limits-table.h: the limits table (limits-table.c) that `ipcadm limits` and the overview
 * print: each limit, its value and the usage counted against it. */
#ifndef IPCADM_LIMITS_TABLE_H
#define IPCADM_LIMITS_TABLE_H

#include <stdbool.h>

#include "ipcadm.h"
#include "output.h"

struct ns_sel;

/* The limit rows of one snapshot (usage_only: the rows that count a usage, as the overview
 * shows them); returns 0 or -errno (the caller reports). */
int print_limits(const struct ipcadm_snapshot *snap, const struct out_opts *opts,
		 bool usage_only);
/* -A, -N: the namespaces, then one table of every selected namespace's limits, NAMESPACE
 * first; reports errors and returns the exit status. */
int print_limits_ns(struct ipcadm_ctx *ctx, const struct ns_sel *nss,
		    const struct out_opts *opts);

#endif
