/* snapshot.c: one read of every object, the limits and the usage; everything the
 * commands show is derived from it, so each table is read once per command. */
#include "internal.h"
#include "parallel.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const proc_files[IPCADM_NSYSV_KINDS] = {
	"/proc/sysvipc/shm", "/proc/sysvipc/sem", "/proc/sysvipc/msg",
};

static int read_proc(struct ipcadm_ctx *ctx, enum ipcadm_kind kind, struct ipcadm_obj **objsp,
		     size_t *np, size_t *skippedp)
{
	char *buf;
	size_t len;
	int r = read_file(ctx, proc_files[kind], &buf, &len);

	if (r < 0)
		return r;
	r = ipcadm_sysvipc_parse(kind, buf, len, objsp, np, skippedp);
	free(buf);
	return r;
}

static void read_extras(struct ipcadm_ctx *ctx, struct ipcadm_obj *o, unsigned int flags)
{
	unsigned int parts = IPCADM_SEM_COUNTS | IPCADM_SEM_PID;

	if (!ctx->live)
		return;
	if (flags & IPCADM_READ_SEMVALS)
		parts |= IPCADM_SEM_VALUE;
	if (o->kind == IPCADM_SEM && (flags & (IPCADM_READ_SEMVALS | IPCADM_READ_SEMPIDS)))
		syscall_read_semvals(o, parts); /* a failure is kept in o->sems_err */
	if (o->kind == IPCADM_MSG && (flags & IPCADM_READ_QBYTES) && o->qbytes == IPCADM_UNKNOWN)
		syscall_read_qbytes(o);
}

struct extras {
	struct ipcadm_ctx *ctx;
	struct ipcadm_obj *objs;
	unsigned int flags;
};

static void extras_each(void *arg, struct ipcadm_obj *o)
{
	struct extras *e = arg;

	read_extras(e->ctx, o, e->flags);
}

static void extras_item(void *arg, size_t i)
{
	extras_each(arg, &((struct extras *)arg)->objs[i]);
}

/*
 * Reads one table, and, live, what its objects need beyond it (enum ipcadm_read_flags):
 * right after each object's own call when the table comes from the calls, else shared
 * out among the cores. The source (enum ipcadm_source): a live AUTO read makes the
 * *_STAT_ANY calls, four times as fast as the kernel's text, unless the segments' memory
 * is asked for.
 */
static int read_kind(struct ipcadm_ctx *ctx, enum ipcadm_kind kind, unsigned int flags,
		     struct ipcadm_obj **objsp, size_t *np, size_t *skippedp)
{
	struct extras e = { ctx, NULL, flags };
	bool extras = ctx->live && ((kind == IPCADM_SEM && (flags & (IPCADM_READ_SEMVALS |
								      IPCADM_READ_SEMPIDS))) ||
				    (kind == IPCADM_MSG && (flags & IPCADM_READ_QBYTES)));
	void (*each)(void *arg, struct ipcadm_obj *o) = extras ? extras_each : NULL;
	int r;

	*skippedp = 0;
	if (ctx->source == IPCADM_SOURCE_SYSCALL)
		return ctx->live ? syscall_read_all(kind, false, each, &e, objsp, np)
				 : -EOPNOTSUPP;
	if (ctx->source == IPCADM_SOURCE_AUTO && ctx->live &&
	    !(kind == IPCADM_SHM && (flags & IPCADM_READ_SHM_MEM))) {
		r = syscall_read_all(kind, true, each, &e, objsp, np);
		if (r == 0 || r == -ENOMEM)
			return r; /* else no *_STAT_ANY, or the calls are refused (seccomp) */
	}
	r = read_proc(ctx, kind, objsp, np, skippedp);
	if (r == -ENOENT && ctx->live && ctx->source == IPCADM_SOURCE_AUTO)
		return syscall_read_all(kind, false, each, &e, objsp, np);
	if (r == 0 && extras) {
		e.objs = *objsp;
		parallel_each(*np, 2048, extras_item, &e);
	}
	return r;
}

static void add_usage(struct ipcadm_usage *u, const struct ipcadm_obj *o, uint64_t page)
{
	switch (o->kind) {
	case IPCADM_SHM:
		u->shm_segs++;
		u->shm_pages += ipcadm_shm_pages(o->size, page);
		u->shm_bytes += o->size;
		if (o->rss != IPCADM_UNKNOWN)
			u->shm_rss += o->rss;
		if (o->swap != IPCADM_UNKNOWN)
			u->shm_swap += o->swap;
		break;
	case IPCADM_SEM:
		u->sem_sets++;
		u->sem_sems += o->nsems;
		break;
	default:
		u->msg_queues++;
		u->msg_bytes += o->cbytes;
		u->msg_msgs += o->qnum;
		break;
	}
}

int ipcadm_snapshot_read(struct ipcadm_ctx *ctx, unsigned int kinds, unsigned int flags,
			 struct ipcadm_snapshot **snapp)
{
	struct ipcadm_snapshot *snap = calloc(1, sizeof(*snap));
	int64_t seen;
	int r;

	if (snap == NULL)
		return -ENOMEM;
	r = ipcadm_limits_read(ctx, &snap->limits);
	for (int k = 0; r == 0 && k < IPCADM_NALL_KINDS; k++) {
		if (!(kinds & IPCADM_KIND_BIT(k)))
			continue;
		if (IPCADM_IS_POSIX(k)) { /* not fatal: the snapshot is made without it */
			snap->err[k] = posix_read_kind(ctx, k, &snap->objs[k], &snap->n[k]);
			continue;
		}
		seen = (int64_t)time(NULL);
		r = read_kind(ctx, (enum ipcadm_kind)k, flags, &snap->objs[k], &snap->n[k],
			      &snap->skipped[k]);
		for (size_t i = 0; r == 0 && i < snap->n[k]; i++) {
			snap->objs[k][i].seen = seen;
			add_usage(&snap->usage, &snap->objs[k][i], snap->limits.page_size);
		}
	}
	if (r == 0)
		posix_read_limits(ctx, snap);
	if (r < 0) {
		ipcadm_snapshot_free(snap);
		return r;
	}
	*snapp = snap;
	return 0;
}

int ipcadm_snapshot_read_object(struct ipcadm_ctx *ctx, enum ipcadm_kind kind, int id,
				unsigned int flags, struct ipcadm_snapshot **snapp)
{
	struct ipcadm_snapshot *snap;
	int r;

	if ((unsigned int)kind >= IPCADM_NSYSV_KINDS)
		return -EINVAL;
	snap = calloc(1, sizeof(*snap));
	if (snap == NULL)
		return -ENOMEM;
	snap->objs[kind] = calloc(1, sizeof(*snap->objs[kind]));
	r = snap->objs[kind] ? ipcadm_limits_read(ctx, &snap->limits) : -ENOMEM;
	if (r == 0)
		r = ipcadm_obj_read(ctx, kind, id, flags, snap->objs[kind]);
	if (r < 0) {
		ipcadm_snapshot_free(snap);
		return r;
	}
	snap->n[kind] = 1;
	add_usage(&snap->usage, snap->objs[kind], snap->limits.page_size);
	*snapp = snap;
	return 0;
}

void ipcadm_snapshot_free(struct ipcadm_snapshot *snap)
{
	if (snap == NULL)
		return;
	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		for (size_t i = 0; i < snap->n[k]; i++) {
			free(snap->objs[k][i].sems);
			free(snap->objs[k][i].name);
		}
		free(snap->objs[k]);
	}
	free(snap);
}

size_t ipcadm_snapshot_count(const struct ipcadm_snapshot *snap, enum ipcadm_kind kind)
{
	return (unsigned int)kind < IPCADM_NALL_KINDS ? snap->n[kind] : 0;
}

const struct ipcadm_obj *ipcadm_snapshot_obj(const struct ipcadm_snapshot *snap,
					     enum ipcadm_kind kind, size_t i)
{
	return i < ipcadm_snapshot_count(snap, kind) ? &snap->objs[kind][i] : NULL;
}

const struct ipcadm_obj *ipcadm_snapshot_find(const struct ipcadm_snapshot *snap,
					      enum ipcadm_kind kind, int id)
{
	for (size_t i = 0; i < ipcadm_snapshot_count(snap, kind); i++)
		if (snap->objs[kind][i].id == id)
			return &snap->objs[kind][i];
	return NULL;
}

const struct ipcadm_limits *ipcadm_snapshot_limits(const struct ipcadm_snapshot *snap)
{
	return &snap->limits;
}

const struct ipcadm_usage *ipcadm_snapshot_usage(const struct ipcadm_snapshot *snap)
{
	return &snap->usage;
}

size_t ipcadm_snapshot_skipped(const struct ipcadm_snapshot *snap, enum ipcadm_kind kind)
{
	return (unsigned int)kind < IPCADM_NALL_KINDS ? snap->skipped[kind] : 0;
}

int ipcadm_obj_read(struct ipcadm_ctx *ctx, enum ipcadm_kind kind, int id, unsigned int flags,
		    struct ipcadm_obj *obj)
{
	struct ipcadm_obj *objs;
	size_t n, skipped;
	int r;

	if ((unsigned int)kind >= IPCADM_NSYSV_KINDS)
		return -EINVAL;
	if (ctx->live && ctx->source != IPCADM_SOURCE_PROC) {
		r = syscall_read_one(kind, id, obj);
	} else {
		int64_t seen = (int64_t)time(NULL);

		/* the extras of the one object only */
		r = read_kind(ctx, kind, flags & IPCADM_READ_SHM_MEM, &objs, &n, &skipped);
		if (r < 0)
			return r;
		r = -ENOENT;
		for (size_t i = 0; i < n; i++) {
			if (objs[i].id == id) {
				*obj = objs[i];
				obj->seen = seen;
				r = 0;
				break;
			}
		}
		free(objs);
	}
	if (r == 0)
		read_extras(ctx, obj, flags);
	return r;
}

void ipcadm_obj_release(struct ipcadm_obj *obj)
{
	free(obj->sems);
	obj->sems = NULL;
}

const struct ipcadm_posix_limits *
ipcadm_snapshot_posix_limits(const struct ipcadm_snapshot *snap)
{
	return &snap->plimits;
}

int ipcadm_snapshot_error(const struct ipcadm_snapshot *snap, enum ipcadm_kind kind)
{
	return (unsigned int)kind < IPCADM_NALL_KINDS ? snap->err[kind] : -EINVAL;
}

const struct ipcadm_obj *ipcadm_snapshot_find_name(const struct ipcadm_snapshot *snap,
						   enum ipcadm_kind kind, const char *name)
{
	if (!IPCADM_IS_POSIX(kind) || (unsigned int)kind >= IPCADM_NALL_KINDS || name == NULL)
		return NULL;
	for (size_t i = 0; i < snap->n[kind]; i++)
		if (strcmp(snap->objs[kind][i].name, name) == 0)
			return &snap->objs[kind][i];
	return NULL;
}

uint64_t ipcadm_snapshot_ns(const struct ipcadm_snapshot *snap)
{
	return snap->ipcns;
}
