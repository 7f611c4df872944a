/* predict.c: would shmget, semget or msgget create a new object right now? The kernel's
 * own tests (ipc/shm.c newseg, ipc/sem.c newary, ipc/msg.c newque, ipc/util.c ipc_addid). */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void fail(struct ipcadm_prediction *p, int err, enum ipcadm_limit limit, uint64_t value,
		 uint64_t used, uint64_t requested)
{
	p->err = err;
	p->limit = limit;
	p->limit_value = value;
	p->used = used;
	p->requested = requested;
}

/* A limit's value, what the kernel applies and its usage; false when unreadable. */
static bool get(const struct ipcadm_snapshot *snap, enum ipcadm_limit id,
		struct ipcadm_limit_value *v)
{
	return ipcadm_limit_get(snap, id, v) == 0 && v->value != IPCADM_UNKNOWN;
}

/*
 * ipc_addid: the count of identifiers in use against min(limit, IPCMNI), ">=" since the
 * new object is one more. Names IPCMNI when the cap, not the sysctl, is what binds.
 */
static void ids_full(struct ipcadm_prediction *p, enum ipcadm_limit id,
		     const struct ipcadm_limit_value *v)
{
	if (v->used < v->limit)
		return;
	fail(p, -ENOSPC, v->value > v->limit ? IPCADM_LIMIT_IPCMNI : id, v->limit, v->used, 1);
}

/*
 * newseg: size < SHMMIN (1) or > shm_ctlmax is EINVAL; then the pages the segment
 * takes, (size + PAGE_SIZE - 1) >> PAGE_SHIFT, must not overflow and shm_tot plus them
 * must not exceed shm_ctlall; only then does ipc_addid count the segments.
 */
static int predict_shm(const struct ipcadm_snapshot *snap, uint64_t size,
		       struct ipcadm_prediction *p)
{
	struct ipcadm_limit_value min, max, all, mni;
	uint64_t page = snap->limits.page_size, pages;

	if (!get(snap, IPCADM_LIMIT_SHMMIN, &min) || !get(snap, IPCADM_LIMIT_SHMMAX, &max) ||
	    !get(snap, IPCADM_LIMIT_SHMALL, &all) || !get(snap, IPCADM_LIMIT_SHMMNI, &mni) ||
	    page == 0)
		return -ENODATA;
	if (size < min.limit) {
		fail(p, -EINVAL, IPCADM_LIMIT_SHMMIN, min.limit, 0, size);
		return 0;
	}
	if (size > max.limit) {
		fail(p, -EINVAL, IPCADM_LIMIT_SHMMAX, max.limit, 0, size);
		return 0;
	}
	pages = ipcadm_shm_pages(size, page);
	if (all.used + pages < all.used || all.used + pages > all.limit) {
		fail(p, -ENOSPC, IPCADM_LIMIT_SHMALL, all.limit, all.used, pages);
		return 0;
	}
	ids_full(p, IPCADM_LIMIT_SHMMNI, &mni);
	return 0;
}

/*
 * semget: nsems < 0 or > SEMMSL is EINVAL before anything else; newary: nsems 0 is
 * EINVAL, used_sems + nsems > SEMMNS is ENOSPC; then ipc_addid counts the arrays.
 */
static int predict_sem(const struct ipcadm_snapshot *snap, uint64_t nsems,
		       struct ipcadm_prediction *p)
{
	struct ipcadm_limit_value msl, mns, mni;

	if (!get(snap, IPCADM_LIMIT_SEMMSL, &msl) || !get(snap, IPCADM_LIMIT_SEMMNS, &mns) ||
	    !get(snap, IPCADM_LIMIT_SEMMNI, &mni))
		return -ENODATA;
	if (nsems < 1 || nsems > msl.limit || nsems > INT32_MAX) {
		fail(p, -EINVAL, IPCADM_LIMIT_SEMMSL, msl.limit, 0, nsems);
		return 0;
	}
	if (mns.used + nsems > mns.limit) {
		fail(p, -ENOSPC, IPCADM_LIMIT_SEMMNS, mns.limit, mns.used, nsems);
		return 0;
	}
	ids_full(p, IPCADM_LIMIT_SEMMNI, &mni);
	return 0;
}

/* newque: only ipc_addid's count of queues against MSGMNI. */
static int predict_msg(const struct ipcadm_snapshot *snap, struct ipcadm_prediction *p)
{
	struct ipcadm_limit_value mni;

	if (!get(snap, IPCADM_LIMIT_MSGMNI, &mni))
		return -ENODATA;
	ids_full(p, IPCADM_LIMIT_MSGMNI, &mni);
	return 0;
}

int ipcadm_predict_get(const struct ipcadm_snapshot *snap, enum ipcadm_kind kind,
		       uint64_t amount, struct ipcadm_prediction *p)
{
	if (snap == NULL || p == NULL)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->limit = IPCADM_NLIMITS;
	switch (kind) {
	case IPCADM_SHM:
		return predict_shm(snap, amount, p);
	case IPCADM_SEM:
		return predict_sem(snap, amount, p);
	case IPCADM_MSG:
		return predict_msg(snap, p);
	default:
		return -EINVAL;
	}
}

int ipcadm_prediction_explain(const struct ipcadm_prediction *p, char *buf, size_t len)
{
	const struct ipcadm_limit_info *l;
	unsigned long long v, used, req;

	if (p == NULL || (buf == NULL && len > 0))
		return -EINVAL;
	l = ipcadm_limit_info(p->limit);
	if (p->err == 0 || l == NULL)
		return snprintf(buf, len, "no limit stands in the way");
	v = p->limit_value;
	used = p->used;
	req = p->requested;
	switch (p->limit) {
	case IPCADM_LIMIT_SHMMIN:
		return snprintf(buf, len, "SHMMIN: a segment needs at least %llu byte, %llu requested",
				v, req);
	case IPCADM_LIMIT_SHMMAX:
		return snprintf(buf, len, "SHMMAX: a segment may have at most %llu bytes, %llu requested",
				v, req);
	case IPCADM_LIMIT_SEMMSL:
		return snprintf(buf, len,
				"SEMMSL: a new array needs 1 to %llu semaphores, %llu requested", v, req);
	case IPCADM_LIMIT_IPCMNI:
		return snprintf(buf, len,
				"IPCMNI: %llu of %llu identifiers in use, the kernel's cap whatever the "
				"sysctl says",
				used, v);
	default:
		break;
	}
	if (l->count == IPCADM_COUNT_PAGES || l->count == IPCADM_COUNT_SEMS)
		return snprintf(buf, len, "%s: %llu of %llu %s in use, the new %s needs %llu more",
				l->name, used, v, l->unit,
				l->kind == IPCADM_SHM ? "segment" : "array", req);
	return snprintf(buf, len, "%s: %llu of %llu %s in use", l->name, used, v, l->unit);
}
