/* findings.c: the doctor's diagnosis of a snapshot as data (the checks in findings-*.c):
 * runs every check, sorts the findings, and hands them out. */
#include "findings-int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void ipcadm_doctor_opts_init(struct ipcadm_doctor_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->warn_percent = 80;
	opts->crit_percent = 95;
	opts->max_groups = 5;
	opts->max_objects = 5;
}

const char *ipcadm_severity_name(enum ipcadm_severity s)
{
	switch (s) {
	case IPCADM_SEV_OK:
		return "ok";
	case IPCADM_SEV_WARNING:
		return "warning";
	case IPCADM_SEV_CRITICAL:
		return "critical";
	}
	return "?";
}

/* ---- what could not be read ---- */

void findings_unreadable(struct builder *b)
{
	static const char *const files[IPCADM_NSYSV_KINDS] = { "/proc/sysvipc/shm",
							  "/proc/sysvipc/sem",
							  "/proc/sysvipc/msg" };
	const char *last = NULL;
	size_t fi;

	/* each sysctl the doctor tests once (kernel.sem holds four limits) */
	for (int id = 0; id < IPCADM_NLIMITS; id++) {
		const struct ipcadm_limit_info *d = info_of(id);
		uint64_t raw, limit, used;

		if (!(d->flags & IPCADM_LIMIT_CHECKED) || d->sysctl == NULL ||
		    (last && (last == d->sysctl || strcmp(last, d->sysctl) == 0)))
			continue;
		limit_values(b, id, &raw, &limit, &used);
		if (raw != IPCADM_UNKNOWN)
			continue;
		last = d->sysctl;
		fi = finding_new(b, IPCADM_FINDING_UNREADABLE, IPCADM_SEV_WARNING, d->sysctl,
				 IPCADM_NALL_KINDS);
		finding_summary(b, fi,
				"%s could not be read: the limits it sets are not checked",
				d->sysctl);
	}
	for (int k = 0; k < IPCADM_NSYSV_KINDS; k++) {
		size_t skipped = ipcadm_snapshot_skipped(b->snap, k);

		if (skipped == 0)
			continue;
		fi = finding_new(b, IPCADM_FINDING_UNREADABLE, IPCADM_SEV_WARNING, files[k], k);
		finding_summary(b, fi,
				"%zu line%s of %s could not be parsed: the counts may be low",
				skipped, skipped == 1 ? "" : "s", files[k]);
	}
	if (b->an == NULL && b->o.analysis_err) {
		fi = finding_new(b, IPCADM_FINDING_UNREADABLE, IPCADM_SEV_OK, "verdicts",
				 IPCADM_NALL_KINDS);
		finding_summary(b, fi, "no verdicts: the process table could not be read (%s)",
				strerror(-b->o.analysis_err));
	}
}

/* ---- the whole diagnosis ---- */

static int cmp_item(const void *x, const void *y)
{
	const struct fitem *a = x, *c = y;

	if (a->pub.severity != c->pub.severity)
		return a->pub.severity > c->pub.severity ? -1 : 1;
	return (a->order > c->order) - (a->order < c->order);
}

static void finish(struct ipcadm_findings *f)
{
	qsort(f->v, f->n, sizeof(*f->v), cmp_item);
	f->worst = IPCADM_SEV_OK;
	for (size_t i = 0; i < f->n; i++) {
		struct fitem *it = &f->v[i];

		it->pub.details = (const char *const *)it->details;
		it->pub.ndetails = it->nd;
		it->pub.remedies = it->remedies;
		it->pub.nremedies = it->nr;
		it->pub.groups = it->groups;
		if (it->pub.severity > f->worst)
			f->worst = it->pub.severity;
	}
}

int ipcadm_findings_build(struct ipcadm_ctx *ctx, const struct ipcadm_snapshot *snap,
			  const struct ipcadm_doctor_opts *opts, struct ipcadm_findings **fp)
{
	struct builder b = { .ctx = ctx, .snap = snap };
	uint64_t shm_leaks = 0;

	if (ctx == NULL || snap == NULL || fp == NULL)
		return -EINVAL;
	if (opts)
		b.o = *opts;
	else
		ipcadm_doctor_opts_init(&b.o);
	if (b.o.crit_percent < b.o.warn_percent)
		return -EINVAL;
	b.an = b.o.analysis;
	b.l = ipcadm_snapshot_limits(snap);
	b.u = ipcadm_snapshot_usage(snap);
	b.now = b.o.now ? b.o.now : (int64_t)time(NULL);
	b.f = calloc(1, sizeof(*b.f));
	if (b.f == NULL)
		return -ENOMEM;
	findings_plan_sem(&b);
	for (int id = 0; id < IPCADM_NLIMITS; id++) {
		const struct ipcadm_limit_info *d = info_of(id);

		if (d->count != IPCADM_COUNT_NONE && d->kind < IPCADM_NSYSV_KINDS)
			findings_limit(&b, id);
	}
	findings_shmmax(&b);
	findings_shm_dest(&b);
	for (int k = 0; k < IPCADM_NSYSV_KINDS; k++)
		findings_leaks(&b, (enum ipcadm_kind)k, &shm_leaks);
	findings_rmid_forced(&b, shm_leaks);
	findings_posix_leaks(&b);
	findings_posix(&b);
	findings_unreadable(&b);
	if (b.err) {
		ipcadm_findings_free(b.f);
		return b.err;
	}
	finish(b.f);
	*fp = b.f;
	return 0;
}

void ipcadm_findings_free(struct ipcadm_findings *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].details);
		free(f->v[i].remedies);
		free(f->v[i].groups);
	}
	for (size_t i = 0; i < f->npool; i++)
		free(f->pool[i]);
	free(f->pool);
	free(f->v);
	free(f);
}

size_t ipcadm_findings_count(const struct ipcadm_findings *f)
{
	return f ? f->n : 0;
}

const struct ipcadm_finding *ipcadm_findings_get(const struct ipcadm_findings *f, size_t i)
{
	return f && i < f->n ? &f->v[i].pub : NULL;
}

enum ipcadm_severity ipcadm_findings_worst(const struct ipcadm_findings *f)
{
	return f ? f->worst : IPCADM_SEV_OK;
}

