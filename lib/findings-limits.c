/* findings-limits.c: the doctor's counted limits (SHMMNI SHMALL SEMMNI SEMMNS MSGMNI), each
 * tested as the kernel tests it, who uses it up by owner and key, and what raises it. */
#include "findings-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* True when not even the smallest new object fits. */
static bool exhausted(enum ipcadm_limit id, uint64_t limit, uint64_t used)
{
	if (counts_amounts(id))
		return used >= UINT64_MAX - 1 || used + 1 > limit;
	return used >= limit;
}

/* A raised value to suggest: twice the larger of the limit and the usage, within the
 * kernel's bounds; 0 when there is none (the IPCMNI cap binds, or it would overflow). */
static uint64_t raised(enum ipcadm_limit id, uint64_t raw, uint64_t used)
{
	uint64_t base = raw > used ? raw : used, max = info_of(id)->sysctl_max, up;

	if (raw >= max)
		return 0;
	up = base > max / 2 ? max : base * 2;
	return up < 16 && max >= 16 ? 16 : up;
}

/* ---- who uses a limit up: groups by owner and key ---- */

static int cmp_obj_owner_key(const void *x, const void *y)
{
	const struct ipcadm_obj *a = *(const struct ipcadm_obj *const *)x;
	const struct ipcadm_obj *c = *(const struct ipcadm_obj *const *)y;

	if (a->uid != c->uid)
		return a->uid < c->uid ? -1 : 1;
	return (a->key > c->key) - (a->key < c->key);
}

static int cmp_group(const void *x, const void *y)
{
	const struct ipcadm_finding_group *a = x, *c = y;

	if (a->amount != c->amount)
		return a->amount > c->amount ? -1 : 1;
	if (a->count != c->count)
		return a->count > c->count ? -1 : 1;
	if (a->uid != c->uid)
		return a->uid < c->uid ? -1 : 1;
	return (a->key > c->key) - (a->key < c->key);
}

static void group_add(const struct builder *b, enum ipcadm_limit_count count,
		      struct ipcadm_finding_group *g, const struct ipcadm_obj *o)
{
	g->count++;
	g->amount += limit_amount(count, o, b->l->page_size);
	if (o->ctime && (g->oldest == 0 || o->ctime < g->oldest))
		g->oldest = o->ctime;
	if (o->ctime > g->newest)
		g->newest = o->ctime;
	if (o->kind == IPCADM_SHM) {
		g->bytes += o->size;
		if (o->rss == IPCADM_UNKNOWN || g->rss == IPCADM_UNKNOWN)
			g->rss = IPCADM_UNKNOWN;
		else
			g->rss += o->rss;
		if (o->swap == IPCADM_UNKNOWN || g->swap == IPCADM_UNKNOWN)
			g->swap = IPCADM_UNKNOWN;
		else
			g->swap += o->swap;
	}
	if (b->an) {
		g->has_verdicts = true;
		g->verdicts[verdict_of(b, o, NULL)]++;
	}
}

/* Groups the objects of the limit's kind; returns how many groups (all of them). */
static size_t make_groups(struct builder *b, enum ipcadm_limit id,
			  struct ipcadm_finding_group **gp)
{
	enum ipcadm_limit_count count = info_of(id)->count;
	enum ipcadm_kind k = info_of(id)->kind;
	size_t n = ipcadm_snapshot_count(b->snap, k), ng = 0;
	const struct ipcadm_obj **objs;
	struct ipcadm_finding_group *g;

	*gp = NULL;
	if (n == 0)
		return 0;
	objs = malloc(n * sizeof(*objs));
	g = calloc(n, sizeof(*g));
	if (objs == NULL || g == NULL) {
		free(objs);
		free(g);
		b->err = -ENOMEM;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		objs[i] = ipcadm_snapshot_obj(b->snap, k, i);
	qsort(objs, n, sizeof(*objs), cmp_obj_owner_key);
	for (size_t i = 0; i < n; i++) {
		const struct ipcadm_obj *o = objs[i];

		if (ng == 0 || g[ng - 1].uid != o->uid || g[ng - 1].key != o->key) {
			const char *name = ipcadm_user_name(b->ctx, o->uid);

			g[ng].uid = o->uid;
			g[ng].key = o->key;
			g[ng].owner = name ? finding_printf(b, "%s", name) : NULL;
			ng++;
		}
		group_add(b, count, &g[ng - 1], o);
	}
	free(objs);
	qsort(g, ng, sizeof(*g), cmp_group);
	*gp = g;
	return ng;
}

/* A verdict in a sentence: "in use", not "in-use". */
static const char *verdict_words(enum ipcadm_verdict v)
{
	switch (v) {
	case IPCADM_IN_USE:
		return "in use";
	case IPCADM_MAYBE_IN_USE:
		return "maybe in use";
	default:
		return ipcadm_verdict_name(v);
	}
}

/* "97 of 128 semaphore arrays belong to 'apache', key 0, created over the last 3 days;
 * 96 are orphaned" */
static void group_sentence(struct builder *b, size_t fi, enum ipcadm_limit id, uint64_t limit,
			   const struct ipcadm_finding_group *g)
{
	const struct ipcadm_limit_info *d = info_of(id);
	char objs[64] = "", when[64] = "", mem[128] = "", verd[160] = "";

	if (counts_amounts(id))
		snprintf(objs, sizeof(objs), " (%llu %s)", (unsigned long long)g->count,
			 kind_words(d->kind, g->count));
	if (g->oldest) {
		if (g->count == 1 || g->oldest == g->newest)
			snprintf(when, sizeof(when), ", created %s ago",
				 words_age(b->now - g->oldest).s);
		else
			snprintf(when, sizeof(when), ", created over the last %s",
				 words_age(b->now - g->oldest).s);
	}
	if (d->kind == IPCADM_SHM) {
		size_t n = (size_t)snprintf(mem, sizeof(mem), "; %s", words_size(g->bytes).s);

		if (g->rss != IPCADM_UNKNOWN && n < sizeof(mem))
			n += (size_t)snprintf(mem + n, sizeof(mem) - n, ", %s resident",
					      words_size(g->rss).s);
		if (g->swap != IPCADM_UNKNOWN && g->swap && n < sizeof(mem))
			snprintf(mem + n, sizeof(mem) - n, ", %s swapped",
				 words_size(g->swap).s);
	}
	if (g->has_verdicts) {
		static const enum ipcadm_verdict order[] = {
			IPCADM_ORPHANED, IPCADM_IDLE, IPCADM_MAYBE_IN_USE,
			IPCADM_UNKNOWN_VERDICT, IPCADM_IN_USE};
		size_t n = 0;

		for (size_t i = 0; i < sizeof(order) / sizeof(order[0]) && n < sizeof(verd);
		     i++) {
			uint64_t c = g->verdicts[order[i]];

			if (c == 0)
				continue;
			n += (size_t)snprintf(verd + n, sizeof(verd) - n, "%s%llu %s%s",
					      n ? ", " : "; ", (unsigned long long)c,
					      n ? "" : (c == 1 ? "is " : "are "),
					      verdict_words(order[i]));
		}
	}
	finding_detail(b, fi, "%llu of %llu %s %s to %s, key %s%s%s%s%s",
		       (unsigned long long)g->amount, (unsigned long long)limit, d->unit,
		       g->amount == 1 ? "belongs" : "belong",
		       words_owner(g).s, words_key(g->key).s, objs, when, mem, verd);
}

/* Reaps for the groups that hold orphans (idle ones too when keyed). */
static void reap_remedies(struct builder *b, size_t fi, enum ipcadm_kind kind,
			  const struct ipcadm_finding_group *g, size_t ng)
{
	struct ipcadm_remedy *r;
	bool any = false;

	if (b->an == NULL) {
		r = finding_reap(b, fi, IPCADM_KIND_BIT(kind), false);
		remedy_reason(
			b, r,
			"lists what is leaked, with the evidence; add --yes to remove it");
		return;
	}
	for (size_t i = 0; i < ng && i < b->o.max_groups; i++) {
		uint64_t orphans = g[i].verdicts[IPCADM_ORPHANED];

		if (orphans == 0)
			continue;
		any = true;
		r = finding_reap(b, fi, IPCADM_KIND_BIT(kind), true);
		if (r == NULL)
			return;
		r->reap.has_owner = true;
		r->reap.owner = g[i].uid;
		r->reap.owner_name = g[i].owner;
		r->reap.count = orphans;
		remedy_reason(b, r, "removes the %llu orphaned %s of %s",
			      (unsigned long long)orphans, kind_words(kind, orphans),
			      words_owner(&g[i]).s);
	}
	for (size_t i = 0; i < ng && i < b->o.max_groups; i++) {
		uint64_t idle = g[i].verdicts[IPCADM_IDLE];

		if (idle == 0 || g[i].key == 0)
			continue;
		any = true;
		r = finding_reap(b, fi, IPCADM_KIND_BIT(kind), false);
		if (r == NULL)
			return;
		r->reap.has_owner = true;
		r->reap.owner = g[i].uid;
		r->reap.owner_name = g[i].owner;
		r->reap.include_idle = true;
		r->reap.count = idle;
		remedy_reason(b, r,
			      "lists the idle keyed %s too; remove them (--yes) only if their "
			      "program is gone for good",
			      kind_word_many[kind]);
		break;
	}
	if (!any && g && ng)
		finding_detail(b, fi, "no %s of the largest groups is orphaned: removing any "
				      "would break a program",
			       kind_word_one[kind]);
}

/* The room left for a new segment, when SHMMNI or SHMALL are near their limit. */
static void shm_room(struct builder *b, size_t fi)
{
	const char *call = info_of(IPCADM_LIMIT_SHMMNI)->call;
	uint64_t raw, segs, used, page = b->l->page_size, room;

	limit_values(b, IPCADM_LIMIT_SHMMNI, &raw, &segs, &used);
	if (b->l->shmall == IPCADM_UNKNOWN || segs == IPCADM_UNKNOWN || page == 0)
		return;
	if (b->u->shm_segs >= segs || b->u->shm_pages >= b->l->shmall) {
		finding_detail(b, fi, "%s cannot create any segment now (ENOSPC)", call);
		return;
	}
	room = b->l->shmall - b->u->shm_pages;
	room = room > UINT64_MAX / page ? UINT64_MAX : room * page;
	if (b->l->shmmax != IPCADM_UNKNOWN && b->l->shmmax < room)
		room = b->l->shmmax;
	finding_detail(b, fi, "the largest segment %s can create now has %llu bytes (%s)", call,
		       (unsigned long long)room, words_size(room).s);
}

void findings_limit(struct builder *b, enum ipcadm_limit id)
{
	const struct ipcadm_limit_info *d = info_of(id);
	struct ipcadm_finding_group *groups = NULL;
	uint64_t raw, limit, used, up;
	enum ipcadm_severity sev;
	size_t fi, ng, shown;
	double pct;

	limit_values(b, id, &raw, &limit, &used);
	if (limit == IPCADM_UNKNOWN)
		return; /* reported as unreadable */
	pct = percent_of(used, limit);
	sev = severity_of(b, pct);
	if (exhausted(id, limit, used))
		sev = IPCADM_SEV_CRITICAL;
	if (d->kind == IPCADM_SHM && sev > b->shm_worst)
		b->shm_worst = sev;
	fi = finding_new(b, IPCADM_FINDING_LIMIT, sev, d->name, d->kind);
	if (fi == SIZE_MAX)
		return;
	finding_at(b, fi)->pub.limit = limit;
	finding_at(b, fi)->pub.used = used;
	finding_at(b, fi)->pub.percent = pct;
	finding_summary(b, fi, "%s: %llu of %llu %s in use (%d%%)%s", d->name,
			(unsigned long long)used, (unsigned long long)limit, d->unit,
			(int)(pct > 999 ? 999 : pct),
			exhausted(id, limit, used)
				? finding_printf(b, ": the next %s fails with ENOSPC", d->call)
				: "");
	if (sev == IPCADM_SEV_OK)
		return;
	if (d->kind == IPCADM_SHM)
		shm_room(b, fi);
	ng = make_groups(b, id, &groups);
	shown = ng < b->o.max_groups ? ng : b->o.max_groups;
	for (size_t i = 0; i < shown; i++)
		group_sentence(b, fi, id, limit, &groups[i]);
	if (ng > shown) {
		uint64_t rest = 0;

		for (size_t i = shown; i < ng; i++)
			rest += groups[i].amount;
		finding_detail(b, fi, "%llu more %s in %zu other groups",
			       (unsigned long long)rest, d->unit, ng - shown);
	}
	reap_remedies(b, fi, d->kind, groups, ng);
	up = raised(id, raw, used);
	if (d->cap && raw >= d->cap)
		finding_detail(
			b, fi,
			"%s is at the kernel's cap of %llu identifiers: only removing objects "
			"helps (or booting with ipcmni_extend)",
			d->name, (unsigned long long)d->cap);
	else if (d->nfields == 1 && up)
		finding_sysctl(b, fi, id, &up, 1, true);
	else if (d->nfields > 1 && b->sem_planned)
		finding_sysctl(b, fi, id, b->sem_values, d->nfields, true);
	if (finding_at(b, fi) && b->err == 0) {
		finding_at(b, fi)->groups = groups;
		finding_at(b, fi)->pub.ngroups = shown;
	} else {
		free(groups);
	}
}

static bool needs_raise(const struct builder *b, enum ipcadm_limit id)
{
	uint64_t raw, limit, used;

	limit_values(b, id, &raw, &limit, &used);
	return severity_of(b, percent_of(used, limit)) != IPCADM_SEV_OK ||
	       exhausted(id, limit, used);
}

/* kernel.sem is one line: raise SEMMNS and SEMMNI together, keep SEMMSL and SEMOPM. */
void findings_plan_sem(struct builder *b)
{
	const char *sem = info_of(IPCADM_LIMIT_SEMMNI)->sysctl;
	uint64_t *v = b->sem_values;
	unsigned int nv = 0;
	bool change = false;

	for (int id = 0; id < IPCADM_NLIMITS; id++) {
		const struct ipcadm_limit_info *d = info_of(id);
		uint64_t raw, limit, used;

		if ((d->sysctl != sem && (d->sysctl == NULL || strcmp(d->sysctl, sem) != 0)) ||
		    d->field >= 4)
			continue;
		limit_values(b, id, &raw, &limit, &used);
		if (raw == IPCADM_UNKNOWN)
			return;
		v[d->field] = raw;
		nv = d->nfields;
		if (d->count != IPCADM_COUNT_NONE && needs_raise(b, id)) {
			uint64_t up = raised(id, raw, used);

			change |= up != 0;
			v[d->field] = up ? up : raw;
		}
	}
	b->sem_planned = change && nv == 4;
}

