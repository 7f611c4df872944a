/* findings-shm.c: the doctor's shared memory findings: segments larger than SHMMAX (or a
 * SHMMAX that SHMALL cannot hold), and segments removed while attached (SHM_DEST). */
#include "findings-int.h"

#include <stdio.h>

/* ---- SHMMAX ---- */

#define SHMMAX_DEFAULT 18446744073692774399ULL /* ULONG_MAX - (1 << 24), the kernel's */

void findings_shmmax(struct builder *b)
{
	const struct ipcadm_limit_info *max = info_of(IPCADM_LIMIT_SHMMAX);
	const struct ipcadm_limit_info *all = info_of(IPCADM_LIMIT_SHMALL);
	const struct ipcadm_limits *l = b->l;
	size_t n = ipcadm_snapshot_count(b->snap, IPCADM_SHM), big = 0, fi = SIZE_MAX;
	uint64_t largest = 0, page = l->page_size;

	if (l->shmmax == IPCADM_UNKNOWN)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct ipcadm_obj *o = ipcadm_snapshot_obj(b->snap, IPCADM_SHM, i);

		if (o->size <= l->shmmax)
			continue;
		if (big++ == 0)
			fi = finding_new(b, IPCADM_FINDING_SHMMAX, IPCADM_SEV_WARNING,
					 max->name, IPCADM_SHM);
		if (o->size > largest)
			largest = o->size;
		if (big <= b->o.max_objects) {
			const char *who = ipcadm_user_name(b->ctx, o->uid);

			finding_detail(b, fi, "segment %d of %s%s%s, key %s: %llu %s (%s)",
				       o->id, who ? "'" : "uid ",
				       who ? who : finding_printf(b, "%u", (unsigned)o->uid),
				       who ? "'" : "", words_key(o->key).s,
				       (unsigned long long)o->size, max->unit,
				       words_size(o->size).s);
		}
	}
	if (big) {
		finding_counts(b, fi, l->shmmax, largest);
		finding_summary(b, fi,
				"%s: %zu %s larger than %s (%llu %s): %s cannot create %s "
				"again at that size",
				max->name, big, big == 1 ? "segment is" : "segments are",
				max->name, (unsigned long long)l->shmmax, max->unit,
				big == 1 ? "its program" : "their programs",
				big == 1 ? "it" : "them");
		if (big > b->o.max_objects)
			finding_detail(b, fi, "and %zu more", big - b->o.max_objects);
		finding_sysctl(b, fi, IPCADM_LIMIT_SHMMAX, &largest, 1, true);
	}
	/* An explicitly set SHMMAX that SHMALL cannot hold even on an empty system. */
	if (l->shmall != IPCADM_UNKNOWN && page && l->shmmax != SHMMAX_DEFAULT &&
	    l->shmall < UINT64_MAX / page && l->shmall * page < l->shmmax) {
		uint64_t need = ipcadm_shm_pages(l->shmmax, page);

		fi = finding_new(b, IPCADM_FINDING_SHMMAX, IPCADM_SEV_WARNING,
				 finding_printf(b, "%s-%s", max->name, all->name), IPCADM_SHM);
		finding_counts(b, fi, l->shmall, need);
		finding_summary(b, fi,
				"%s allows segments of %llu %s, but %s allows only %llu %s "
				"(%s) in all: such a segment fails with ENOSPC, not EINVAL",
				max->name, (unsigned long long)l->shmmax, max->unit, all->name,
				(unsigned long long)l->shmall, all->unit,
				words_size(l->shmall * page).s);
		finding_sysctl(b, fi, IPCADM_LIMIT_SHMALL, &need, 1, true);
	}
}

/* ---- segments removed while attached ---- */

static void attachers(struct builder *b, const struct ipcadm_obj *o, char *buf, size_t len)
{
	const struct ipcadm_holder *h;
	size_t nh, n = 0, named = 0;

	buf[0] = '\0';
	if (b->an == NULL) {
		snprintf(buf, len, "creator pid %d, last attach or detach by pid %d",
			 (int)o->cpid, (int)o->lpid);
		return;
	}
	nh = ipcadm_analysis_holders(b->an, o, &h);
	for (size_t i = 0; i < nh && n < len; i++) {
		if (!(h[i].how & (IPCADM_HOLD_ATTACHED_RW | IPCADM_HOLD_ATTACHED_RO)))
			continue;
		if (named++ < 5)
			n += (size_t)snprintf(buf + n, len - n, "%spid %d (%s)",
					      n ? ", " : "attached by ",
					      (int)h[i].pid, h[i].comm ? h[i].comm : "?");
	}
	if (named > 5 && n < len)
		snprintf(buf + n, len - n, " and %zu more", named - 5);
	if (named == 0)
		snprintf(buf, len, "no attached process is visible from here");
}

void findings_shm_dest(struct builder *b)
{
	size_t n = ipcadm_snapshot_count(b->snap, IPCADM_SHM), count = 0, fi = SIZE_MAX;
	uint64_t pages = 0, bytes = 0, rss = 0;
	struct ipcadm_remedy *r;
	char who[512];

	for (size_t i = 0; i < n; i++) {
		const struct ipcadm_obj *o = ipcadm_snapshot_obj(b->snap, IPCADM_SHM, i);
		const char *owner;

		if (!(o->mode & IPCADM_SHM_DEST))
			continue;
		if (count++ == 0)
			fi = finding_new(b, IPCADM_FINDING_SHM_DEST,
					 b->shm_worst > IPCADM_SEV_OK ? IPCADM_SEV_WARNING
								      : IPCADM_SEV_OK,
					 "shm-dest", IPCADM_SHM);
		pages += ipcadm_shm_pages(o->size, b->l->page_size);
		bytes += o->size;
		if (o->rss != IPCADM_UNKNOWN)
			rss += o->rss;
		if (count > b->o.max_objects)
			continue;
		attachers(b, o, who, sizeof(who));
		owner = ipcadm_user_name(b->ctx, o->uid);
		finding_detail(b, fi, "segment %d of %s%s%s: %s, nattch %llu; %s", o->id,
			       owner ? "'" : "uid ",
			       owner ? owner : finding_printf(b, "%u", (unsigned)o->uid),
			       owner ? "'" : "", words_size(o->size).s,
			       (unsigned long long)o->nattch, who);
		r = finding_remedy(b, fi, IPCADM_REMEDY_WHO);
		if (r == NULL)
			return;
		r->who.kind = IPCADM_SHM;
		r->who.id = o->id;
		remedy_reason(b, r,
			      "the processes attached: the segment is freed when the last of "
			      "them detaches or exits");
	}
	if (count == 0)
		return;
	finding_counts(b, fi, IPCADM_UNKNOWN, count);
	finding_summary(b, fi,
			"%zu removed %s (SHM_DEST) still count%s against %s and %s: %llu "
			"%s, %s, %s resident; no ipcrm can free %s",
			count, count == 1 ? "segment" : "segments", count == 1 ? "s" : "",
			info_of(IPCADM_LIMIT_SHMMNI)->name, info_of(IPCADM_LIMIT_SHMALL)->name,
			(unsigned long long)pages, info_of(IPCADM_LIMIT_SHMALL)->unit,
			words_size(bytes).s, words_size(rss).s, count == 1 ? "it" : "them");
	if (count > b->o.max_objects)
		finding_detail(b, fi, "and %zu more", count - b->o.max_objects);
}

