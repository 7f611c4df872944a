/* analysis.c: ipcadm_analyze(): the process scan, holders and verdicts for a snapshot,
 * and the evidence sentences that name the holders behind each verdict. */
#include "analysis.h"
#include "posix-holders.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t describe_how(char *buf, size_t len, const struct ipcadm_holder *h)
{
	static const struct {
		unsigned int bit;
		const char *word;
	} roles[] = {
		{ IPCADM_HOLD_ATTACHED_RW, "attached rw" }, { IPCADM_HOLD_ATTACHED_RO, "attached ro" },
		{ IPCADM_HOLD_WAITING, "waiting" },	    { IPCADM_HOLD_CREATOR, "creator" },
		{ IPCADM_HOLD_LAST_OP, "last user" },	    { IPCADM_HOLD_POSSIBLE, "may hold it" },
		{ IPCADM_HOLD_OPEN, "open" },
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]) && n < len; i++) {
		if (!(h->how & roles[i].bit))
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", roles[i].word);
	}
	if (h->nmaps > 1 && n < len)
		n += (size_t)snprintf(buf + n, len - n, " (%u mappings)", h->nmaps);
	return n;
}

int ipcadm_holder_describe(const struct ipcadm_holder *h, char *buf, size_t len)
{
	if (len == 0)
		return -EINVAL;
	buf[0] = '\0';
	describe_how(buf, len, h);
	return 0;
}

/* Prefixes the holders to the facts of in-use and maybe-in-use objects. */
static void compose_evidence(struct ipcadm_analysis *a, struct obj_info *info)
{
	char list[1024], facts[1024];
	size_t n = 0;

	if (info->count == 0 ||
	    (info->verdict != IPCADM_IN_USE && info->verdict != IPCADM_MAYBE_IN_USE))
		return;
	if (info->detached_by)
		return; /* the facts name the last user, and that it no longer maps it */
	for (size_t i = 0; i < info->count && i < 3 && n < sizeof(list); i++) {
		const struct ipcadm_holder *h = &a->holders[info->first + i];
		char how[128];

		describe_how(how, sizeof(how), h);
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%d (%s) %s", i ? "; " : "",
				      (int)h->pid, h->comm ? h->comm : "?", how);
	}
	if (info->count > 3 && n < sizeof(list))
		snprintf(list + n, sizeof(list) - n, "; and %zu more", info->count - 3);
	snprintf(facts, sizeof(facts), "%s", a->text + info->evidence); /* text may move */
	info->evidence = analysis_text(a, "%s%s%s", list, facts[0] ? "; " : "", facts);
}

int ipcadm_analyze(struct ipcadm_ctx *ctx, const struct ipcadm_snapshot *snap,
		   unsigned int flags, struct ipcadm_analysis **ap)
{
	struct ipcadm_analysis *a = calloc(1, sizeof(*a));
	int r;

	if (a == NULL)
		return -ENOMEM;
	a->snap = snap;
	a->holders_only = flags & IPCADM_ANALYZE_NO_VERDICTS;
	analysis_text(a, "%s", ""); /* offset 0: the empty string */
	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		a->info[k] = calloc(ipcadm_snapshot_count(snap, k) + 1, sizeof(*a->info[k]));
		if (a->info[k] == NULL) {
			ipcadm_analysis_free(a);
			return -ENOMEM;
		}
	}
	r = procs_scan(ctx, &a->procs);
	if (r == 0 && snap->ipcns) /* read in another namespace: holders are matched in it */
		a->procs.self_ipcns = (unsigned long)snap->ipcns;
	if (r == 0)
		r = holders_scan(ctx, a);
	if (r == 0)
		r = posix_holders_scan(ctx, a);
	if (r == 0 && !(flags & IPCADM_ANALYZE_NO_VERDICTS))
		r = verdicts_judge(a);
	if (r == 0 && !(flags & IPCADM_ANALYZE_NO_VERDICTS)) {
		int e = name_rules_load(ctx, &a->names); /* a bad file: its line in evidence */

		if (e < 0 && e != -EBADMSG)
			r = e;
		else
			posix_judge(a);
	}
	if (r == 0)
		r = holders_finish(a);
	for (int k = 0; r == 0 && !a->holders_only && k < IPCADM_NALL_KINDS; k++)
		for (size_t i = 0; i < ipcadm_snapshot_count(snap, k); i++)
			compose_evidence(a, &a->info[k][i]);
	if (r == 0 && a->text == NULL)
		r = -ENOMEM;
	if (r < 0) {
		ipcadm_analysis_free(a);
		return r;
	}
	*ap = a;
	return 0;
}

void ipcadm_analysis_free(struct ipcadm_analysis *a)
{
	if (a == NULL)
		return;
	for (int k = 0; k < IPCADM_NALL_KINDS; k++)
		free(a->info[k]);
	procs_release(&a->procs);
	name_rules_release(&a->names);
	free(a->recs.v);
	free(a->holders);
	free(a->text);
	free(a);
}

static const struct obj_info *info_of(const struct ipcadm_analysis *a,
				      const struct ipcadm_obj *o)
{
	const struct ipcadm_obj *base;
	size_t n;

	if ((unsigned int)o->kind >= IPCADM_NALL_KINDS)
		return NULL;
	base = ipcadm_snapshot_obj(a->snap, o->kind, 0);
	n = ipcadm_snapshot_count(a->snap, o->kind);
	if (base == NULL || o < base || o >= base + n)
		return NULL; /* not an object of this snapshot */
	return &a->info[o->kind][o - base];
}

enum ipcadm_verdict ipcadm_analysis_verdict(const struct ipcadm_analysis *a,
					    const struct ipcadm_obj *o, const char **evidence)
{
	const struct obj_info *info = info_of(a, o);

	if (info == NULL) {
		if (evidence)
			*evidence = "not part of the analysed snapshot";
		return IPCADM_UNKNOWN_VERDICT;
	}
	if (evidence)
		*evidence = a->text + info->evidence;
	return info->verdict;
}

pid_t ipcadm_analysis_detached_by(const struct ipcadm_analysis *a, const struct ipcadm_obj *o)
{
	const struct obj_info *info = info_of(a, o);

	return info ? info->detached_by : 0;
}

const char *ipcadm_analysis_program(const struct ipcadm_analysis *a, const struct ipcadm_obj *o)
{
	const struct obj_info *info = info_of(a, o);

	return info && info->rule ? info->rule->program : NULL;
}

size_t ipcadm_analysis_holders(const struct ipcadm_analysis *a, const struct ipcadm_obj *o,
			       const struct ipcadm_holder **holders)
{
	const struct obj_info *info = info_of(a, o);

	if (info == NULL || info->count == 0) {
		*holders = NULL;
		return 0;
	}
	*holders = &a->holders[info->first];
	return info->count;
}
