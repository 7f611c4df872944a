/* findings-leaks.c: the doctor's leaks of System V objects (orphans, idle keyed ones,
 * segments detached by live users), and kernel.shm_rmid_forced while segments leak. */
#include "findings-int.h"

#include <stdio.h>

struct leak {
	uint64_t count, bytes, rss, swap, sems, msgs;
	uint64_t idle, idle_rss, idle_swap, unknown;
	uint64_t detached, detached_bytes; /* segments detached by a live last user */
	pid_t detachers[3]; /* the first few such users */
	size_t ndetachers;
};

/* A segment whose creator is dead and whose live last user detached it: counted apart
 * from the leaks (it is maybe-in-use), with the users named. */
static void count_detached(const struct builder *b, const struct ipcadm_obj *o, struct leak *lk)
{
	pid_t pid = b->an ? ipcadm_analysis_detached_by(b->an, o) : 0;
	size_t i;

	if (pid == 0)
		return;
	lk->detached++;
	lk->detached_bytes += o->size;
	for (i = 0; i < lk->ndetachers && lk->detachers[i] != pid; i++)
		;
	if (i == lk->ndetachers && i < sizeof(lk->detachers) / sizeof(lk->detachers[0]))
		lk->detachers[lk->ndetachers++] = pid;
}

/* "101 (Xorg)": the command from the segment's holder records. */
static const char *detacher_name(struct builder *b, pid_t pid)
{
	for (size_t i = 0; i < ipcadm_snapshot_count(b->snap, IPCADM_SHM); i++) {
		const struct ipcadm_obj *o = ipcadm_snapshot_obj(b->snap, IPCADM_SHM, i);
		const struct ipcadm_holder *h;
		size_t n = ipcadm_analysis_holders(b->an, o, &h);

		for (size_t k = 0; k < n; k++)
			if (h[k].pid == pid && h[k].comm)
				return finding_printf(b, "%d (%s)", (int)pid, h[k].comm);
	}
	return finding_printf(b, "%d", (int)pid);
}

static bool leaked(const struct builder *b, const struct ipcadm_obj *o, const char **ev)
{
	if (b->an)
		return verdict_of(b, o, ev) == IPCADM_ORPHANED;
	*ev = NULL;
	return verdict_unattached_private(o); /* without verdicts: the candidates */
}

void findings_leaks(struct builder *b, enum ipcadm_kind k, uint64_t *shm_leaks)
{
	static const char *const names[IPCADM_NSYSV_KINDS] = { "leaked-shm", "leaked-sem",
							  "leaked-msg" };
	size_t n = ipcadm_snapshot_count(b->snap, k), fi, named = 0;
	struct leak lk = { 0 };
	struct ipcadm_remedy *r;
	char extra[160] = "";

	if (b->an == NULL && k != IPCADM_SHM)
		return;
	fi = finding_new(b, IPCADM_FINDING_LEAKED, IPCADM_SEV_OK, names[k], k);
	if (fi == SIZE_MAX)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct ipcadm_obj *o = ipcadm_snapshot_obj(b->snap, k, i);
		const char *ev;
		enum ipcadm_verdict v = verdict_of(b, o, NULL);

		if (b->an && v == IPCADM_IDLE) {
			lk.idle++;
			lk.idle_rss += o->rss == IPCADM_UNKNOWN ? 0 : o->rss;
			lk.idle_swap += o->swap == IPCADM_UNKNOWN ? 0 : o->swap;
		}
		if (b->an && v == IPCADM_UNKNOWN_VERDICT)
			lk.unknown++;
		if (k == IPCADM_SHM)
			count_detached(b, o, &lk);
		if (!leaked(b, o, &ev))
			continue;
		lk.count++;
		lk.bytes += o->size;
		lk.rss += o->rss == IPCADM_UNKNOWN ? 0 : o->rss;
		lk.swap += o->swap == IPCADM_UNKNOWN ? 0 : o->swap;
		lk.sems += o->nsems;
		lk.msgs += o->qnum;
		if (named++ < b->o.max_objects) {
			const char *owner = ipcadm_user_name(b->ctx, o->uid);
			char owner_buf[32];

			if (owner)
				snprintf(owner_buf, sizeof(owner_buf), "'%s'", owner);
			else
				snprintf(owner_buf, sizeof(owner_buf), "uid %u",
					 (unsigned)o->uid);
			finding_detail(b, fi, "%s %d of %s%s%s", kind_word_one[k], o->id,
				       owner_buf, ev && ev[0] ? ": " : "",
				       ev && ev[0] ? ev : "");
		}
	}
	if (named > b->o.max_objects)
		finding_detail(b, fi, "and %llu more",
			       (unsigned long long)(named - b->o.max_objects));
	finding_at(b, fi)->pub.used = lk.count;
	if (k == IPCADM_SHM)
		*shm_leaks = lk.count;
	if (k == IPCADM_SHM)
		snprintf(extra, sizeof(extra), " hold %s resident and %s swapped (%s in all)",
			 words_size(lk.rss).s, words_size(lk.swap).s, words_size(lk.bytes).s);
	else if (k == IPCADM_SEM)
		snprintf(extra, sizeof(extra), " (%llu semaphores)",
			 (unsigned long long)lk.sems);
	else
		snprintf(extra, sizeof(extra), " (%llu messages)", (unsigned long long)lk.msgs);
	if (lk.count == 0)
		finding_summary(b, fi, "no %s %s", b->an ? "orphaned" : "unattached private",
				kind_word_many[k]);
	else
		finding_summary(b, fi, "%llu %s %s%s", (unsigned long long)lk.count,
				b->an ? "orphaned" : "unattached private",
				kind_words(k, lk.count), extra);
	if (lk.count) {
		finding_at(b, fi)->pub.severity = IPCADM_SEV_WARNING;
		if (b->an == NULL)
			finding_detail(
				b, fi,
				"no verdicts: the process table was not read, so these are "
				"only candidates (key 0, nattch 0)");
		r = finding_reap(b, fi, IPCADM_KIND_BIT(k), false);
		if (r)
			r->reap.count = lk.count;
		remedy_reason(b, r,
			      "lists the orphaned %s with the evidence; add --yes to remove "
			      "them",
			      kind_word_many[k]);
	}
	if (k == IPCADM_SHM && lk.idle)
		finding_detail(
			b, fi,
			"%llu idle keyed %s (nobody attached; a program may come back for "
			"them by key) hold %s resident and %s swapped",
			(unsigned long long)lk.idle, kind_words(k, lk.idle),
			words_size(lk.idle_rss).s, words_size(lk.idle_swap).s);
	else if (lk.idle)
		finding_detail(b, fi,
			       "%llu idle keyed %s: a program may come back for them by key",
			       (unsigned long long)lk.idle, kind_words(k, lk.idle));
	if (lk.detached) {
		char who[160] = "";
		size_t w = 0;

		for (size_t i = 0; i < lk.ndetachers && w < sizeof(who); i++)
			w += (size_t)snprintf(who + w, sizeof(who) - w, "%s%s", i ? ", " : "",
					      detacher_name(b, lk.detachers[i]));
		finding_detail(
			b, fi,
			"%llu %s, %s, detached by a live process: probably left by killed "
			"clients of %s (maybe-in-use: never reaped)",
			(unsigned long long)lk.detached, kind_words(k, lk.detached),
			words_size(lk.detached_bytes).s, who);
	}
	if (lk.unknown)
		finding_detail(b, fi,
			       "%llu %s could not be judged (verdict unknown): never reaped",
			       (unsigned long long)lk.unknown, kind_words(k, lk.unknown));
}

void findings_rmid_forced(struct builder *b, uint64_t leaks)
{
	const uint64_t one = 1;
	size_t fi;

	if (b->l->shm_rmid_forced != 0 || leaks == 0)
		return;
	fi = finding_new(b, IPCADM_FINDING_RMID_FORCED, IPCADM_SEV_WARNING, "shm_rmid_forced",
			 IPCADM_SHM);
	if (fi == SIZE_MAX)
		return;
	finding_at(b, fi)->pub.limit = 0;
	finding_at(b, fi)->pub.used = leaks;
	finding_summary(b, fi,
			"%s is 0 while %llu %s leak: the kernel keeps a segment after its "
			"creator exits",
			info_of(IPCADM_LIMIT_SHM_RMID_FORCED)->sysctl,
			(unsigned long long)leaks, leaks == 1 ? "segment" : "segments");
	finding_detail(b, fi,
		       "with 1, a segment is destroyed when its last user detaches, keyed "
		       "ones too: a program that detaches and attaches again later loses "
		       "its data");
	finding_detail(b, fi,
		       "switching it on also destroys every segment that nobody attaches "
		       "and whose creator has exited, keyed ones included");
	finding_sysctl(b, fi, IPCADM_LIMIT_SHM_RMID_FORCED, &one, 1, true);
}

