/* findings-posix.c: the doctor's POSIX findings: orphaned generated names by program,
 * the /dev/shm tmpfs nearly full, and fs.mqueue.queues_max nearly reached. */
#include "findings-int.h"

#include <string.h>

/* The name pattern of an idle object's reap: the admin knows which names leak. */
#define PLACEHOLDER "NAME*"

struct posix_group {
	const char *program;
	uid_t uid;
	uint64_t n[IPCADM_NALL_KINDS], bytes;
	unsigned int kinds; /* IPCADM_KIND_BIT()s */
};

/* Orphaned POSIX objects (names a library generates, no process of it left), grouped by
 * program and owner, with the /dev/shm memory they hold and the reap that removes them. */
void findings_posix_leaks(struct builder *b)
{
	struct posix_group g[8];
	size_t ng = 0, fi, named = 0;
	uint64_t total = 0, bytes = 0;

	if (b->an == NULL)
		return;
	fi = finding_new(b, IPCADM_FINDING_LEAKED, IPCADM_SEV_OK, "leaked-posix", IPCADM_PSHM);
	if (fi == SIZE_MAX)
		return;
	for (int k = IPCADM_NSYSV_KINDS; k < IPCADM_NALL_KINDS; k++) {
		for (size_t i = 0; i < ipcadm_snapshot_count(b->snap, k); i++) {
			const struct ipcadm_obj *o = ipcadm_snapshot_obj(b->snap, k, i);
			const char *prog = ipcadm_analysis_program(b->an, o), *ev;
			size_t j;

			if (verdict_of(b, o, &ev) != IPCADM_ORPHANED || prog == NULL)
				continue;
			total++;
			bytes += o->alloc;
			if (named++ < b->o.max_objects)
				finding_detail(b, fi, "%s /%s of uid %u, %s: %s",
					       ipcadm_kind_name(k), o->name, (unsigned)o->uid,
					       words_size(o->alloc).s, ev ? ev : "");
			for (j = 0;
			     j < ng && (g[j].uid != o->uid || strcmp(g[j].program, prog)); j++)
				;
			if (j == ng && ng == sizeof(g) / sizeof(g[0]))
				continue; /* counted in the total, not grouped */
			if (j == ng)
				g[ng++] = (struct posix_group){.program = prog, .uid = o->uid};
			g[j].n[k]++;
			g[j].bytes += o->alloc;
			g[j].kinds |= IPCADM_KIND_BIT(k);
		}
	}
	if (named > b->o.max_objects)
		finding_detail(b, fi, "and %llu more",
			       (unsigned long long)(named - b->o.max_objects));
	finding_at(b, fi)->pub.used = total;
	if (total == 0) {
		finding_summary(b, fi, "no orphaned POSIX objects");
		return;
	}
	finding_at(b, fi)->pub.severity = IPCADM_SEV_WARNING;
	finding_summary(b, fi,
			"%llu orphaned POSIX %s hold %s of /dev/shm: names a program made for "
			"its own use, and no process of it is left",
			(unsigned long long)total, total == 1 ? "object" : "objects",
			words_size(bytes).s);
	for (size_t j = 0; j < ng; j++) {
		struct ipcadm_remedy *r;

		finding_detail(b, fi,
			       "%s of uid %u: %llu shared memory, %llu semaphores, %llu "
			       "queues (%s)",
			       g[j].program, (unsigned)g[j].uid,
			       (unsigned long long)g[j].n[IPCADM_PSHM],
			       (unsigned long long)g[j].n[IPCADM_PSEM],
			       (unsigned long long)g[j].n[IPCADM_PMQ],
			       words_size(g[j].bytes).s);
		r = finding_reap(b, fi, g[j].kinds, true);
		if (r == NULL)
			return;
		r->reap.has_owner = true;
		r->reap.owner = g[j].uid;
		r->reap.count = g[j].n[IPCADM_PSHM] + g[j].n[IPCADM_PSEM] + g[j].n[IPCADM_PMQ];
		remedy_reason(b, r, "removes the orphaned POSIX objects of %s (uid %u)",
			      g[j].program, (unsigned)g[j].uid);
	}
}

/* The largest POSIX objects on /dev/shm, with their verdicts (a simple selection). */
static void tmpfs_details(struct builder *b, size_t fi)
{
	const struct ipcadm_obj *top[16];
	size_t n = 0, max = b->o.max_objects < 16 ? b->o.max_objects : 16;

	for (int k = IPCADM_PSHM; k <= IPCADM_PSEM; k++) {
		for (size_t i = 0; i < ipcadm_snapshot_count(b->snap, k); i++) {
			const struct ipcadm_obj *o = ipcadm_snapshot_obj(b->snap, k, i);
			size_t j;

			if (n < max)
				n++;
			else if (o->alloc <= top[n - 1]->alloc)
				continue;
			for (j = n - 1; j > 0 && top[j - 1]->alloc < o->alloc; j--)
				top[j] = top[j - 1];
			top[j] = o;
		}
	}
	for (size_t i = 0; i < n; i++)
		finding_detail(b, fi, "%s /%s holds %s, %s", ipcadm_kind_name(top[i]->kind),
			       top[i]->name, words_size(top[i]->alloc).s,
			       ipcadm_verdict_name(verdict_of(b, top[i], NULL)));
}

void findings_posix(struct builder *b)
{
	const struct ipcadm_posix_limits *p = ipcadm_snapshot_posix_limits(b->snap);
	const struct ipcadm_limit_info *mq = info_of(IPCADM_LIMIT_MQ_QUEUES_MAX);
	struct ipcadm_remedy *r;
	uint64_t up;
	double pct;
	size_t fi;

	if (p->shm_size != IPCADM_UNKNOWN && p->shm_size > 0) {
		pct = percent_of(p->shm_used, p->shm_size);
		if (severity_of(b, pct) != IPCADM_SEV_OK) {
			fi = finding_new(b, IPCADM_FINDING_POSIX, severity_of(b, pct),
					 "dev-shm", IPCADM_PSHM);
			if (fi == SIZE_MAX)
				return;
			finding_counts(b, fi, p->shm_size, p->shm_used);
			finding_at(b, fi)->pub.percent = pct;
			finding_summary(
				b, fi,
				"/dev/shm: %s of %s used (%.0f%%): a full tmpfs kills programs "
				"with SIGBUS on first touch",
				words_size(p->shm_used).s, words_size(p->shm_size).s, pct);
			if (ipcadm_snapshot_count(b->snap, IPCADM_PSHM) +
			    ipcadm_snapshot_count(b->snap, IPCADM_PSEM))
				finding_detail(
					b, fi,
					"POSIX shared memory and semaphores hold %s of it",
					words_size(p->shm_objs_alloc).s);
			tmpfs_details(b, fi);
			r = finding_reap(b, fi, IPCADM_KIND_BIT(IPCADM_PSHM) |
						   IPCADM_KIND_BIT(IPCADM_PSEM), false);
			if (r) {
				r->reap.include_idle = true;
				r->reap.name = PLACEHOLDER;
			}
			remedy_reason(b, r, "idle objects you know are leaks");
			r = finding_remedy(b, fi, IPCADM_REMEDY_REMOUNT_DEV_SHM);
			if (r)
				r->remount.size = p->shm_size * 2;
			remedy_reason(b, r, "a larger tmpfs (memory)");
		}
	}
	if (p->queues != IPCADM_UNKNOWN && p->queues_max != IPCADM_UNKNOWN) {
		pct = percent_of(p->queues, p->queues_max);
		if (severity_of(b, pct) == IPCADM_SEV_OK)
			return;
		fi = finding_new(b, IPCADM_FINDING_POSIX, severity_of(b, pct), mq->name,
				 mq->kind);
		if (fi == SIZE_MAX)
			return;
		finding_counts(b, fi, p->queues_max, p->queues);
		finding_at(b, fi)->pub.percent = pct;
		finding_summary(b, fi,
				"%s: %llu of %llu %s (%.0f%%): %s fails with ENOSPC at the "
				"limit (but for CAP_SYS_RESOURCE)",
				mq->name, (unsigned long long)p->queues,
				(unsigned long long)p->queues_max, mq->unit, pct, mq->call);
		r = finding_reap(b, fi, IPCADM_KIND_BIT(mq->kind), false);
		if (r) {
			r->reap.include_idle = true;
			r->reap.name = PLACEHOLDER;
		}
		remedy_reason(b, r, "idle queues you know are leaks");
		up = p->queues_max * 2 > p->queues ? p->queues_max * 2 : p->queues * 2;
		finding_sysctl(b, fi, IPCADM_LIMIT_MQ_QUEUES_MAX, &up, 1, false);
	}
}

