/* cmd-overview.c: `ipcadm` without a command: how many objects of each kind exist, System
 * V and POSIX, how close each counted resource is to its limit, and the doctor's findings
 * (the health report of `make run`). */
#include <stdio.h>
#include <string.h>

#include "doctor-common.h"
#include "ipcadm-cli.h"
#include "limits-table.h"
#include "object.h"
#include "obuf.h"

/* A size as the tables print it ("64K"). */
static const char *human(uint64_t bytes, char *buf)
{
	struct out_opts opts = { 0 };
	struct value v = { .type = V_SIZE, .u = bytes };
	const char *text;
	size_t n = value_format(&opts, &v, buf, &text);

	if (text != buf)
		memcpy(buf, text, n);
	buf[n] = '\0';
	return buf;
}

/* How many POSIX objects of a kind, or why they could not be read. */
static bool posix_count(const struct ipcadm_snapshot *snap, enum ipcadm_kind k, size_t *n)
{
	int err = ipcadm_snapshot_error(snap, k);

	*n = ipcadm_snapshot_count(snap, k);
	if (err)
		obuf_printf(out, "  %s: not read (%s)\n", kind_titles[k], strerror(-err));
	return err == 0;
}

static void print_posix(const struct ipcadm_snapshot *snap)
{
	const struct ipcadm_posix_limits *pl = ipcadm_snapshot_posix_limits(snap);
	uint64_t alloc = 0, msgs = 0, bytes = 0;
	bool msgs_known = true;
	char a[32], used[32], size[32];
	size_t nshm, nsem, nmq;

	obuf_puts(out, "\nPOSIX IPC\n");
	if (posix_count(snap, IPCADM_PSHM, &nshm) && posix_count(snap, IPCADM_PSEM, &nsem)) {
		for (int k = IPCADM_PSHM; k <= IPCADM_PSEM; k++)
			for (size_t i = 0; i < ipcadm_snapshot_count(snap, k); i++) {
				const struct ipcadm_obj *o = ipcadm_snapshot_obj(snap, k, i);

				alloc += o->alloc == IPCADM_UNKNOWN ? 0 : o->alloc;
			}
		obuf_printf(out, "  %zu shared memory objects, %zu named semaphores (%s held",
			    nshm, nsem, human(alloc, a));
		if (pl->shm_size != IPCADM_UNKNOWN && pl->shm_used != IPCADM_UNKNOWN)
			obuf_printf(out, "; /dev/shm: %s of %s used", human(pl->shm_used, used),
				    human(pl->shm_size, size));
		obuf_puts(out, ")\n");
	}
	if (posix_count(snap, IPCADM_PMQ, &nmq)) {
		for (size_t i = 0; i < nmq; i++) {
			const struct ipcadm_obj *o = ipcadm_snapshot_obj(snap, IPCADM_PMQ, i);

			bytes += o->cbytes;
			if (o->qnum == IPCADM_UNKNOWN)
				msgs_known = false;
			else
				msgs += o->qnum;
		}
		if (msgs_known)
			obuf_printf(out, "  %zu message queues (%llu messages, %llu bytes)\n", nmq,
				    (unsigned long long)msgs, (unsigned long long)bytes);
		else
			obuf_printf(out, "  %zu message queues (%llu bytes)\n", nmq,
				    (unsigned long long)bytes);
	}
	obuf_putc(out, '\n');
}

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
	r = ipcadm_snapshot_read(ctx, DOCTOR_KINDS, DOCTOR_READ(true), &snap); /* its findings */
	if (r < 0)
		return error_code(r, "cannot read the IPC state below '%s'", ipcadm_ctx_root(ctx));
	u = ipcadm_snapshot_usage(snap);
	v.u = u->shm_bytes;
	size[value_format(&opts, &v, size, &text)] = '\0';
	if (ipcadm_ctx_is_live(ctx)) {
		obuf_puts(out, "System V IPC of this IPC namespace\n");
	} else {
		obuf_puts(out, "System V IPC of the copied tree ");
		obuf_text(out, ipcadm_ctx_root(ctx));
		obuf_putc(out, '\n');
	}
	obuf_printf(out, "  %llu shared memory segments (%s in %llu pages)\n",
		    (unsigned long long)u->shm_segs, text, (unsigned long long)u->shm_pages);
	obuf_printf(out, "  %llu semaphore arrays (%llu semaphores)\n",
		    (unsigned long long)u->sem_sets, (unsigned long long)u->sem_sems);
	obuf_printf(out, "  %llu message queues (%llu messages, %llu bytes)\n",
		    (unsigned long long)u->msg_queues, (unsigned long long)u->msg_msgs,
		    (unsigned long long)u->msg_bytes);
	print_posix(snap);
	r = print_limits(snap, &opts, true);
	if (r >= 0)
		r = print_overview_findings(ctx, snap);
	ipcadm_snapshot_free(snap);
	return r < 0 ? error_code(r, "cannot print the overview") : 0;
}
