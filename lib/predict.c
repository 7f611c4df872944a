/* predict.c: would shmget, semget or msgget create a new object right now? The kernel's
 * own tests (ipc/shm.c newseg, ipc/sem.c newary, ipc/msg.c newque, ipc/util.c ipc_addid). */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void fail(struct ipcadm_prediction *p, int err, const char *limit, uint64_t value,
		 uint64_t used, uint64_t requested)
{
	p->err = err;
	p->limit = limit;
	p->limit_value = value;
	p->used = used;
	p->requested = requested;
}

/*
 * ipc_addid: the count of identifiers in use against min(limit, IPCMNI), ">=" since the
 * new object is one more. Names IPCMNI when the cap, not the sysctl, is what binds.
 */
static bool ids_full(struct ipcadm_prediction *p, const char *name, uint64_t sysctl,
		     uint64_t in_use)
{
	uint64_t cap = sysctl > IPCADM_IPCMNI ? IPCADM_IPCMNI : sysctl;

	if (in_use < cap)
		return false;
	fail(p, -ENOSPC, sysctl > IPCADM_IPCMNI ? "IPCMNI" : name, cap, in_use, 1);
	return true;
}

/*
 * newseg: size < SHMMIN (1) or > shm_ctlmax is EINVAL; then the pages the segment
 * takes, (size + PAGE_SIZE - 1) >> PAGE_SHIFT, must not overflow and shm_tot plus them
 * must not exceed shm_ctlall; only then does ipc_addid count the segments.
 */
static int predict_shm(const struct ipcadm_limits *l, const struct ipcadm_usage *u,
		       uint64_t size, struct ipcadm_prediction *p)
{
	uint64_t page = l->page_size, pages;

	if (l->shmmax == IPCADM_UNKNOWN || l->shmall == IPCADM_UNKNOWN ||
	    l->shmmni == IPCADM_UNKNOWN || page == 0)
		return -ENODATA;
	if (size < 1) {
		fail(p, -EINVAL, "SHMMIN", 1, 0, size);
		return 0;
	}
	if (size > l->shmmax) {
		fail(p, -EINVAL, "SHMMAX", l->shmmax, 0, size);
		return 0;
	}
	pages = ipcadm_shm_pages(size, page);
	if (u->shm_pages + pages < u->shm_pages || u->shm_pages + pages > l->shmall) {
		fail(p, -ENOSPC, "SHMALL", l->shmall, u->shm_pages, pages);
		return 0;
	}
	ids_full(p, "SHMMNI", l->shmmni, u->shm_segs);
	return 0;
}

/*
 * semget: nsems < 0 or > SEMMSL is EINVAL before anything else; newary: nsems 0 is
 * EINVAL, used_sems + nsems > SEMMNS is ENOSPC; then ipc_addid counts the arrays.
 */
static int predict_sem(const struct ipcadm_limits *l, const struct ipcadm_usage *u,
		       uint64_t nsems, struct ipcadm_prediction *p)
{
	if (l->semmsl == IPCADM_UNKNOWN || l->semmns == IPCADM_UNKNOWN ||
	    l->semmni == IPCADM_UNKNOWN)
		return -ENODATA;
	if (nsems < 1 || nsems > l->semmsl || nsems > INT32_MAX) {
		fail(p, -EINVAL, "SEMMSL", l->semmsl, 0, nsems);
		return 0;
	}
	if (u->sem_sems + nsems > l->semmns) {
		fail(p, -ENOSPC, "SEMMNS", l->semmns, u->sem_sems, nsems);
		return 0;
	}
	ids_full(p, "SEMMNI", l->semmni, u->sem_sets);
	return 0;
}

/* newque: only ipc_addid's count of queues against MSGMNI. */
static int predict_msg(const struct ipcadm_limits *l, const struct ipcadm_usage *u,
		       struct ipcadm_prediction *p)
{
	if (l->msgmni == IPCADM_UNKNOWN)
		return -ENODATA;
	ids_full(p, "MSGMNI", l->msgmni, u->msg_queues);
	return 0;
}

int ipcadm_predict_get(const struct ipcadm_snapshot *snap, enum ipcadm_kind kind,
		       uint64_t amount, struct ipcadm_prediction *p)
{
	const struct ipcadm_limits *l;
	const struct ipcadm_usage *u;

	if (snap == NULL || p == NULL)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	l = &snap->limits;
	u = &snap->usage;
	switch (kind) {
	case IPCADM_SHM:
		return predict_shm(l, u, amount, p);
	case IPCADM_SEM:
		return predict_sem(l, u, amount, p);
	case IPCADM_MSG:
		return predict_msg(l, u, p);
	default:
		return -EINVAL;
	}
}

static const char *unit_of(const char *limit)
{
	if (strcmp(limit, "SHMALL") == 0)
		return "pages";
	if (strcmp(limit, "SHMMNI") == 0)
		return "shared memory segments";
	if (strcmp(limit, "SEMMNS") == 0)
		return "semaphores";
	if (strcmp(limit, "SEMMNI") == 0)
		return "semaphore arrays";
	if (strcmp(limit, "MSGMNI") == 0)
		return "message queues";
	return "identifiers";
}

int ipcadm_prediction_explain(const struct ipcadm_prediction *p, char *buf, size_t len)
{
	unsigned long long v, used, req;
	const char *l;

	if (p == NULL || (buf == NULL && len > 0))
		return -EINVAL;
	if (p->err == 0 || p->limit == NULL)
		return snprintf(buf, len, "no limit stands in the way");
	l = p->limit;
	v = p->limit_value;
	used = p->used;
	req = p->requested;
	if (strcmp(l, "SHMMIN") == 0)
		return snprintf(buf, len, "SHMMIN: a segment needs at least %llu byte, %llu requested",
				v, req);
	if (strcmp(l, "SHMMAX") == 0)
		return snprintf(buf, len, "SHMMAX: a segment may have at most %llu bytes, %llu requested",
				v, req);
	if (strcmp(l, "SEMMSL") == 0)
		return snprintf(buf, len,
				"SEMMSL: a new array needs 1 to %llu semaphores, %llu requested", v, req);
	if (strcmp(l, "SHMALL") == 0 || strcmp(l, "SEMMNS") == 0)
		return snprintf(buf, len, "%s: %llu of %llu %s in use, the new %s needs %llu more",
				l, used, v, unit_of(l), l[1] == 'H' ? "segment" : "array", req);
	if (strcmp(l, "IPCMNI") == 0)
		return snprintf(buf, len,
				"IPCMNI: %llu of %llu identifiers in use, the kernel's cap whatever the "
				"sysctl says",
				used, v);
	return snprintf(buf, len, "%s: %llu of %llu %s in use", l, used, v, unit_of(l));
}
