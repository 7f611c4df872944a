/* findings.c: the doctor's diagnosis of a snapshot as data: each limit tested as the kernel
 * tests it, who uses it up, leaks, SHM_DEST segments, and the commands that fix them. */
#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "strutil.h"

#define SYSCTL_DIR "/etc/sysctl.d"

/* A finding while it is built: the public part and the arrays it points to. */
struct fitem {
	struct ipcadm_finding pub;
	char **details, **remedies;
	size_t nd, capd, nr, capr;
	struct ipcadm_finding_group *groups;
	size_t order;
};

struct ipcadm_findings {
	struct fitem *v;
	size_t n, cap;
	char **pool; /* every string the findings point to */
	size_t npool, cappool;
	enum ipcadm_severity worst;
};

struct builder {
	struct ipcadm_ctx *ctx;
	const struct ipcadm_snapshot *snap;
	const struct ipcadm_limits *l;
	const struct ipcadm_usage *u;
	struct ipcadm_doctor_opts o;
	const struct ipcadm_analysis *an;
	struct ipcadm_findings *f;
	int64_t now;
	int err;
	enum ipcadm_severity shm_worst; /* of SHMMNI and SHMALL */
	char sem_value[96]; /* kernel.sem with SEMMNS and SEMMNI raised where they need it */
};

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

/* ---- storage ---- */

static char *pool_vprintf(struct builder *b, const char *fmt, va_list ap)
{
	struct ipcadm_findings *f = b->f;
	char *s;

	if (b->err)
		return NULL;
	if (f->npool == f->cappool) {
		size_t cap = f->cappool ? f->cappool * 2 : 64;
		char **nv = realloc(f->pool, cap * sizeof(*nv));

		if (nv == NULL) {
			b->err = -ENOMEM;
			return NULL;
		}
		f->pool = nv;
		f->cappool = cap;
	}
	if (vasprintf(&s, fmt, ap) < 0) {
		b->err = -ENOMEM;
		return NULL;
	}
	f->pool[f->npool++] = s;
	return s;
}

static __attribute__((format(printf, 2, 3))) char *pool_printf(struct builder *b,
							       const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = pool_vprintf(b, fmt, ap);
	va_end(ap);
	return s;
}

static bool grow(struct builder *b, void **v, size_t *cap, size_t n, size_t size)
{
	void *nv;
	size_t ncap;

	if (n < *cap)
		return true;
	ncap = *cap ? *cap * 2 : 8;
	nv = realloc(*v, ncap * size);
	if (nv == NULL) {
		b->err = -ENOMEM;
		return false;
	}
	*v = nv;
	*cap = ncap;
	return true;
}

/* Returns the new finding's index (pointers into the array move as it grows). */
static size_t finding_new(struct builder *b, enum ipcadm_finding_type type,
			  enum ipcadm_severity sev, const char *name, enum ipcadm_kind kind)
{
	struct ipcadm_findings *f = b->f;
	struct fitem *it;

	if (b->err || !grow(b, (void **)&f->v, &f->cap, f->n, sizeof(*f->v)))
		return SIZE_MAX;
	it = &f->v[f->n];
	memset(it, 0, sizeof(*it));
	it->pub.type = type;
	it->pub.severity = sev;
	it->pub.name = name;
	it->pub.kind = kind;
	it->pub.limit = it->pub.used = IPCADM_UNKNOWN;
	it->pub.percent = -1;
	it->pub.summary = "";
	it->order = f->n;
	return f->n++;
}

static struct fitem *item(struct builder *b, size_t i)
{
	return i < b->f->n ? &b->f->v[i] : NULL;
}

static void set_counts(struct builder *b, size_t i, uint64_t limit, uint64_t used)
{
	struct fitem *it = item(b, i);

	if (it == NULL)
		return;
	it->pub.limit = limit;
	it->pub.used = used;
}

static __attribute__((format(printf, 3, 4))) void summary(struct builder *b, size_t i,
							  const char *fmt, ...)
{
	struct fitem *it = item(b, i);
	va_list ap;
	char *s;

	if (it == NULL)
		return;
	va_start(ap, fmt);
	s = pool_vprintf(b, fmt, ap);
	va_end(ap);
	if (s)
		it->pub.summary = s;
}

static void add_line(struct builder *b, size_t i, bool remedy, const char *fmt, va_list ap)
{
	struct fitem *it = item(b, i);
	char *s;

	if (it == NULL)
		return;
	s = pool_vprintf(b, fmt, ap);
	if (s == NULL)
		return;
	if (remedy) {
		if (grow(b, (void **)&it->remedies, &it->capr, it->nr, sizeof(char *)))
			it->remedies[it->nr++] = s;
	} else {
		if (grow(b, (void **)&it->details, &it->capd, it->nd, sizeof(char *)))
			it->details[it->nd++] = s;
	}
}

static __attribute__((format(printf, 3, 4))) void detail(struct builder *b, size_t i,
							 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_line(b, i, false, fmt, ap);
	va_end(ap);
}

static __attribute__((format(printf, 3, 4))) void remedy(struct builder *b, size_t i,
							 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_line(b, i, true, fmt, ap);
	va_end(ap);
}

/* ---- words ---- */

struct words {
	char s[32];
};

static struct words human(uint64_t bytes)
{
	struct words w;

	w.s[fmt_size_human(w.s, bytes)] = '\0';
	return w;
}

static struct words age(int64_t secs)
{
	struct words w;
	long long v;
	const char *unit;

	if (secs < 0)
		secs = 0;
	if (secs < 120) {
		v = secs;
		unit = "second";
	} else if (secs < 120 * 60) {
		v = secs / 60;
		unit = "minute";
	} else if (secs < 48 * 3600) {
		v = secs / 3600;
		unit = "hour";
	} else {
		v = secs / 86400;
		unit = "day";
	}
	snprintf(w.s, sizeof(w.s), "%lld %s%s", v, unit, v == 1 ? "" : "s");
	return w;
}

static struct words key_text(int32_t key)
{
	struct words w;

	if (key == 0)
		snprintf(w.s, sizeof(w.s), "0");
	else
		snprintf(w.s, sizeof(w.s), "0x%08x", (uint32_t)key);
	return w;
}

static const char *const kind_one[IPCADM_NSYSV_KINDS] = { "segment", "semaphore array",
						     "message queue" };
static const char *const kind_many[IPCADM_NSYSV_KINDS] = { "segments", "semaphore arrays",
						      "message queues" };

static const char *plural(enum ipcadm_kind k, uint64_t n)
{
	return n == 1 ? kind_one[k] : kind_many[k];
}

/* Whether a user name goes into a command line as it is: a shell splits none of it, no
 * option is taken for it, and it is not cut. */
static bool shell_word(const char *s)
{
	if (*s == '\0' || *s == '-' || strlen(s) >= sizeof(((struct words *)0)->s))
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@+-") ==
	       strlen(s);
}

/* 'alice' or uid 1234, for sentences; and the --owner argument: the UID unless the name
 * is a word a shell passes on whole (a directory service may hold "sp ace;id"). */
static struct words owner_text(const struct ipcadm_finding_group *g, bool quoted)
{
	struct words w;

	if (g->owner && (quoted || shell_word(g->owner)))
		snprintf(w.s, sizeof(w.s), quoted ? "'%s'" : "%s", g->owner);
	else
		snprintf(w.s, sizeof(w.s), quoted ? "uid %u" : "%u", (unsigned int)g->uid);
	return w;
}

static double percent_of(uint64_t used, uint64_t limit)
{
	if (limit == 0)
		return 100.0;
	return 100.0 * (double)used / (double)limit;
}

static enum ipcadm_severity severity_of(const struct builder *b, double pct)
{
	if (pct >= (double)b->o.crit_percent)
		return IPCADM_SEV_CRITICAL;
	if (pct >= (double)b->o.warn_percent)
		return IPCADM_SEV_WARNING;
	return IPCADM_SEV_OK;
}

static enum ipcadm_verdict verdict_of(const struct builder *b, const struct ipcadm_obj *o,
				      const char **evidence)
{
	if (evidence)
		*evidence = NULL;
	if (b->an == NULL)
		return IPCADM_UNKNOWN_VERDICT;
	return ipcadm_analysis_verdict(b->an, o, evidence);
}

/* ---- the counted limits ---- */

/* The facts of a limit (lib/limits.c's table), for the counted ones of the doctor. */
static const struct ipcadm_limit_info *info_of(enum ipcadm_limit id)
{
	return ipcadm_limit_info(id);
}

/* True when the usage counts amounts (pages, semaphores) rather than objects. */
static bool counts_amounts(enum ipcadm_limit id)
{
	return info_of(id)->count != IPCADM_COUNT_OBJECTS;
}

/* The sysctl value, the limit the kernel applies (capped), and the usage counted. */
static void limit_values(const struct builder *b, enum ipcadm_limit id, uint64_t *raw,
			 uint64_t *limit, uint64_t *used)
{
	struct ipcadm_limit_value v = { IPCADM_UNKNOWN, IPCADM_UNKNOWN, IPCADM_UNKNOWN };

	ipcadm_limit_get(b->snap, id, &v);
	*raw = v.value;
	*limit = v.limit;
	*used = v.used;
}

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
			g[ng].owner = name ? pool_printf(b, "%s", name) : NULL;
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
			 plural(d->kind, g->count));
	if (g->oldest) {
		if (g->count == 1 || g->oldest == g->newest)
			snprintf(when, sizeof(when), ", created %s ago",
				 age(b->now - g->oldest).s);
		else
			snprintf(when, sizeof(when), ", created over the last %s",
				 age(b->now - g->oldest).s);
	}
	if (d->kind == IPCADM_SHM) {
		size_t n = (size_t)snprintf(mem, sizeof(mem), "; %s", human(g->bytes).s);

		if (g->rss != IPCADM_UNKNOWN && n < sizeof(mem))
			n += (size_t)snprintf(mem + n, sizeof(mem) - n, ", %s resident",
					      human(g->rss).s);
		if (g->swap != IPCADM_UNKNOWN && g->swap && n < sizeof(mem))
			snprintf(mem + n, sizeof(mem) - n, ", %s swapped", human(g->swap).s);
	}
	if (g->has_verdicts) {
		static const enum ipcadm_verdict order[] = { IPCADM_ORPHANED, IPCADM_IDLE,
							     IPCADM_MAYBE_IN_USE,
							     IPCADM_UNKNOWN_VERDICT, IPCADM_IN_USE };
		size_t n = 0;

		for (size_t i = 0; i < sizeof(order) / sizeof(order[0]) && n < sizeof(verd); i++) {
			uint64_t c = g->verdicts[order[i]];

			if (c == 0)
				continue;
			n += (size_t)snprintf(verd + n, sizeof(verd) - n, "%s%llu %s%s",
					      n ? ", " : "; ", (unsigned long long)c,
					      n ? "" : (c == 1 ? "is " : "are "),
					      verdict_words(order[i]));
		}
	}
	detail(b, fi, "%llu of %llu %s %s to %s, key %s%s%s%s%s",
	       (unsigned long long)g->amount, (unsigned long long)limit, d->unit,
	       g->amount == 1 ? "belongs" : "belong",
	       owner_text(g, true).s, key_text(g->key).s, objs, when, mem, verd);
}

/* " --all-visible" when the analysis was made with it: the reap it suggests must see
 * what the doctor saw. */
static const char *reap_av(const struct builder *b)
{
	return b->ctx->all_visible ? " --all-visible" : "";
}

/* `ipcadm reap` lines for the groups that hold orphans (idle ones too when keyed). */
static void reap_remedies(struct builder *b, size_t fi, enum ipcadm_kind kind,
			  const struct ipcadm_finding_group *g, size_t ng)
{
	const char *kn = ipcadm_kind_name(kind);
	bool any = false;

	if (b->an == NULL) {
		remedy(b, fi, "ipcadm reap%s --kind %s  # lists what is leaked, with the evidence; "
			      "add --yes to remove it", reap_av(b), kn);
		return;
	}
	for (size_t i = 0; i < ng && i < b->o.max_groups; i++) {
		uint64_t orphans = g[i].verdicts[IPCADM_ORPHANED];

		if (orphans == 0)
			continue;
		any = true;
		remedy(b, fi, "ipcadm reap%s --kind %s --owner %s --yes  # removes the %llu orphaned "
			      "%s of %s", reap_av(b),
		       kn, owner_text(&g[i], false).s, (unsigned long long)orphans,
		       plural(kind, orphans), owner_text(&g[i], true).s);
	}
	for (size_t i = 0; i < ng && i < b->o.max_groups; i++) {
		uint64_t idle = g[i].verdicts[IPCADM_IDLE];

		if (idle == 0 || g[i].key == 0)
			continue;
		any = true;
		remedy(b, fi, "ipcadm reap%s --kind %s --owner %s --include-idle  # lists the idle "
			      "keyed %s too; remove them (--yes) only if their program is gone "
			      "for good", reap_av(b),
		       kn, owner_text(&g[i], false).s, kind_many[kind]);
		break;
	}
	if (!any && g && ng)
		detail(b, fi, "no %s of the largest groups is orphaned: removing any would break "
			      "a program",
		       kind_one[kind]);
}

static void sysctl_remedies(struct builder *b, size_t fi, const char *name, const char *value,
			    bool quote)
{
	const char *q = quote ? "'" : "";

	remedy(b, fi, "sysctl -w kernel.%s=%s%s%s", name, q, value, q);
	remedy(b, fi, "echo 'kernel.%s = %s' > " SYSCTL_DIR "/60-ipcadm-%s.conf  # keeps it "
		      "after a reboot",
	       name, value, name);
}

/* The room left for a new segment, when SHMMNI or SHMALL are near their limit. */
static void shm_room(struct builder *b, size_t fi)
{
	uint64_t raw, segs, used, page = b->l->page_size, room;

	limit_values(b, IPCADM_LIMIT_SHMMNI, &raw, &segs, &used);
	if (b->l->shmall == IPCADM_UNKNOWN || segs == IPCADM_UNKNOWN || page == 0)
		return;
	if (b->u->shm_segs >= segs || b->u->shm_pages >= b->l->shmall) {
		detail(b, fi, "shmget cannot create any segment now (ENOSPC)");
		return;
	}
	room = b->l->shmall - b->u->shm_pages;
	room = room > UINT64_MAX / page ? UINT64_MAX : room * page;
	if (b->l->shmmax != IPCADM_UNKNOWN && b->l->shmmax < room)
		room = b->l->shmmax;
	detail(b, fi, "the largest segment shmget can create now has %llu bytes (%s)",
	       (unsigned long long)room, human(room).s);
}

static void limit_finding(struct builder *b, enum ipcadm_limit id)
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
	item(b, fi)->pub.limit = limit;
	item(b, fi)->pub.used = used;
	item(b, fi)->pub.percent = pct;
	summary(b, fi, "%s: %llu of %llu %s in use (%d%%)%s", d->name, (unsigned long long)used,
		(unsigned long long)limit, d->unit, (int)(pct > 999 ? 999 : pct),
		exhausted(id, limit, used) ? pool_printf(b, ": the next %s fails with ENOSPC",
							 d->call)
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
		detail(b, fi, "%llu more %s in %zu other groups", (unsigned long long)rest, d->unit,
		       ng - shown);
	}
	reap_remedies(b, fi, d->kind, groups, ng);
	up = raised(id, raw, used);
	if (d->cap && raw >= d->cap)
		detail(b, fi, "%s is at the kernel's cap of %llu identifiers: only removing objects "
			      "helps (or booting with ipcmni_extend)",
		       d->name, (unsigned long long)d->cap);
	else if (d->nfields == 1 && up)
		sysctl_remedies(b, fi, strrchr(d->sysctl, '.') + 1,
				pool_printf(b, "%llu", (unsigned long long)up), false);
	else if (d->nfields > 1 && b->sem_value[0])
		sysctl_remedies(b, fi, strrchr(d->sysctl, '.') + 1, b->sem_value, true);
	if (item(b, fi) && b->err == 0) {
		item(b, fi)->groups = groups;
		item(b, fi)->pub.ngroups = shown;
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
static void plan_sem(struct builder *b)
{
	const char *sem = info_of(IPCADM_LIMIT_SEMMNI)->sysctl;
	uint64_t v[4];
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
	if (change && nv == 4)
		snprintf(b->sem_value, sizeof(b->sem_value), "%llu %llu %llu %llu",
			 (unsigned long long)v[0], (unsigned long long)v[1],
			 (unsigned long long)v[2], (unsigned long long)v[3]);
}

/* ---- SHMMAX ---- */

#define SHMMAX_DEFAULT 18446744073692774399ULL /* ULONG_MAX - (1 << 24), the kernel's */

static void shmmax_findings(struct builder *b)
{
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
			fi = finding_new(b, IPCADM_FINDING_SHMMAX, IPCADM_SEV_WARNING, "SHMMAX",
					 IPCADM_SHM);
		if (o->size > largest)
			largest = o->size;
		if (big <= b->o.max_objects) {
			const char *who = ipcadm_user_name(b->ctx, o->uid);

			detail(b, fi, "segment %d of %s%s%s, key %s: %llu bytes (%s)", o->id,
			       who ? "'" : "uid ", who ? who : pool_printf(b, "%u", (unsigned)o->uid),
			       who ? "'" : "", key_text(o->key).s, (unsigned long long)o->size,
			       human(o->size).s);
		}
	}
	if (big) {
		set_counts(b, fi, l->shmmax, largest);
		summary(b, fi, "SHMMAX: %zu %s larger than SHMMAX (%llu bytes): %s cannot create "
			       "%s again at that size",
			big, big == 1 ? "segment is" : "segments are", (unsigned long long)l->shmmax,
			big == 1 ? "its program" : "their programs", big == 1 ? "it" : "them");
		if (big > b->o.max_objects)
			detail(b, fi, "and %zu more", big - b->o.max_objects);
		sysctl_remedies(b, fi, "shmmax",
				pool_printf(b, "%llu", (unsigned long long)largest), false);
	}
	/* An explicitly set SHMMAX that SHMALL cannot hold even on an empty system. */
	if (l->shmall != IPCADM_UNKNOWN && page && l->shmmax != SHMMAX_DEFAULT &&
	    l->shmall < UINT64_MAX / page && l->shmall * page < l->shmmax) {
		uint64_t need = ipcadm_shm_pages(l->shmmax, page);

		fi = finding_new(b, IPCADM_FINDING_SHMMAX, IPCADM_SEV_WARNING, "SHMMAX-SHMALL",
				 IPCADM_SHM);
		set_counts(b, fi, l->shmall, need);
		summary(b, fi, "SHMMAX allows segments of %llu bytes, but SHMALL allows only %llu "
			       "pages (%s) in all: such a segment fails with ENOSPC, not EINVAL",
			(unsigned long long)l->shmmax, (unsigned long long)l->shmall,
			human(l->shmall * page).s);
		sysctl_remedies(b, fi, "shmall", pool_printf(b, "%llu", (unsigned long long)need),
				false);
	}
}

/* ---- segments removed while attached ---- */

static void attachers(struct builder *b, const struct ipcadm_obj *o, char *buf, size_t len)
{
	const struct ipcadm_holder *h;
	size_t nh, n = 0, named = 0;

	buf[0] = '\0';
	if (b->an == NULL) {
		snprintf(buf, len, "creator pid %d, last attach or detach by pid %d", (int)o->cpid,
			 (int)o->lpid);
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

static void shm_dest_finding(struct builder *b)
{
	size_t n = ipcadm_snapshot_count(b->snap, IPCADM_SHM), count = 0, fi = SIZE_MAX;
	uint64_t pages = 0, bytes = 0, rss = 0;
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
		detail(b, fi, "segment %d of %s%s%s: %s, nattch %llu; %s", o->id,
		       owner ? "'" : "uid ", owner ? owner : pool_printf(b, "%u", (unsigned)o->uid),
		       owner ? "'" : "", human(o->size).s, (unsigned long long)o->nattch, who);
		remedy(b, fi, "ipcadm who shm %d  # the processes attached: the segment is freed "
			      "when the last of them detaches or exits",
		       o->id);
	}
	if (count == 0)
		return;
	set_counts(b, fi, IPCADM_UNKNOWN, count);
	summary(b, fi, "%zu removed %s (SHM_DEST) still count%s against SHMMNI and SHMALL: %llu "
		       "pages, %s, %s resident; no ipcrm can free %s",
		count, count == 1 ? "segment" : "segments", count == 1 ? "s" : "",
		(unsigned long long)pages,
		human(bytes).s, human(rss).s, count == 1 ? "it" : "them");
	if (count > b->o.max_objects)
		detail(b, fi, "and %zu more", count - b->o.max_objects);
}

/* ---- leaks ---- */

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
				return pool_printf(b, "%d (%s)", (int)pid, h[k].comm);
	}
	return pool_printf(b, "%d", (int)pid);
}

static bool leaked(const struct builder *b, const struct ipcadm_obj *o, const char **ev)
{
	if (b->an)
		return verdict_of(b, o, ev) == IPCADM_ORPHANED;
	*ev = NULL;
	return verdict_unattached_private(o); /* without verdicts: the candidates */
}

static void leak_finding(struct builder *b, enum ipcadm_kind k, uint64_t *shm_leaks)
{
	static const char *const names[IPCADM_NSYSV_KINDS] = { "leaked-shm", "leaked-sem",
							  "leaked-msg" };
	size_t n = ipcadm_snapshot_count(b->snap, k), fi, named = 0;
	struct leak lk = { 0 };
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
				snprintf(owner_buf, sizeof(owner_buf), "uid %u", (unsigned)o->uid);
			detail(b, fi, "%s %d of %s%s%s", kind_one[k], o->id, owner_buf,
			       ev && ev[0] ? ": " : "", ev && ev[0] ? ev : "");
		}
	}
	if (named > b->o.max_objects)
		detail(b, fi, "and %llu more", (unsigned long long)(named - b->o.max_objects));
	item(b, fi)->pub.used = lk.count;
	if (k == IPCADM_SHM)
		*shm_leaks = lk.count;
	if (k == IPCADM_SHM)
		snprintf(extra, sizeof(extra), " hold %s resident and %s swapped (%s in all)",
			 human(lk.rss).s, human(lk.swap).s, human(lk.bytes).s);
	else if (k == IPCADM_SEM)
		snprintf(extra, sizeof(extra), " (%llu semaphores)", (unsigned long long)lk.sems);
	else
		snprintf(extra, sizeof(extra), " (%llu messages)", (unsigned long long)lk.msgs);
	if (lk.count == 0)
		summary(b, fi, "no %s %s", b->an ? "orphaned" : "unattached private", kind_many[k]);
	else
		summary(b, fi, "%llu %s %s%s", (unsigned long long)lk.count,
			b->an ? "orphaned" : "unattached private", plural(k, lk.count), extra);
	if (lk.count) {
		item(b, fi)->pub.severity = IPCADM_SEV_WARNING;
		if (b->an == NULL)
			detail(b, fi, "no verdicts: the process table was not read, so these are "
				      "only candidates (key 0, nattch 0)");
		remedy(b, fi, "ipcadm reap%s --kind %s  # lists the orphaned %s with the evidence; "
			      "add --yes to remove them", reap_av(b),
		       ipcadm_kind_name(k), kind_many[k]);
	}
	if (k == IPCADM_SHM && lk.idle)
		detail(b, fi, "%llu idle keyed %s (nobody attached; a program may come back for "
			      "them by key) hold %s resident and %s swapped",
		       (unsigned long long)lk.idle, plural(k, lk.idle), human(lk.idle_rss).s,
		       human(lk.idle_swap).s);
	else if (lk.idle)
		detail(b, fi, "%llu idle keyed %s: a program may come back for them by key",
		       (unsigned long long)lk.idle, plural(k, lk.idle));
	if (lk.detached) {
		char who[160] = "";
		size_t w = 0;

		for (size_t i = 0; i < lk.ndetachers && w < sizeof(who); i++)
			w += (size_t)snprintf(who + w, sizeof(who) - w, "%s%s", i ? ", " : "",
					      detacher_name(b, lk.detachers[i]));
		detail(b, fi, "%llu %s, %s, detached by a live process: probably left by killed "
			      "clients of %s (maybe-in-use: never reaped)",
		       (unsigned long long)lk.detached, plural(k, lk.detached),
		       human(lk.detached_bytes).s, who);
	}
	if (lk.unknown)
		detail(b, fi, "%llu %s could not be judged (verdict unknown): never reaped",
		       (unsigned long long)lk.unknown, plural(k, lk.unknown));
}

static void rmid_forced_finding(struct builder *b, uint64_t leaks)
{
	size_t fi;

	if (b->l->shm_rmid_forced != 0 || leaks == 0)
		return;
	fi = finding_new(b, IPCADM_FINDING_RMID_FORCED, IPCADM_SEV_WARNING, "shm_rmid_forced",
			 IPCADM_SHM);
	if (fi == SIZE_MAX)
		return;
	item(b, fi)->pub.limit = 0;
	item(b, fi)->pub.used = leaks;
	summary(b, fi, "kernel.shm_rmid_forced is 0 while %llu %s leak: the kernel keeps a "
		       "segment after its creator exits",
		(unsigned long long)leaks, leaks == 1 ? "segment" : "segments");
	detail(b, fi, "with 1, a segment is destroyed when its last user detaches, keyed ones "
		      "too: a program that detaches and attaches again later loses its data");
	detail(b, fi, "switching it on also destroys every segment that nobody attaches and "
		      "whose creator has exited, keyed ones included");
	sysctl_remedies(b, fi, "shm_rmid_forced", "1", false);
}

/* ---- POSIX: leaks of generated names, the /dev/shm tmpfs and fs.mqueue.queues_max ---- */

struct posix_group {
	const char *program;
	uid_t uid;
	uint64_t n[IPCADM_NALL_KINDS], bytes;
	unsigned int kinds; /* IPCADM_KIND_BIT()s */
};

/* Orphaned POSIX objects (names a library generates, no process of it left), grouped by
 * program and owner, with the /dev/shm memory they hold and the reap that removes them. */
static void posix_leak_finding(struct builder *b)
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
				detail(b, fi, "%s /%s of uid %u, %s: %s", ipcadm_kind_name(k), o->name,
				       (unsigned)o->uid, human(o->alloc).s, ev ? ev : "");
			for (j = 0; j < ng && (g[j].uid != o->uid || strcmp(g[j].program, prog));
			     j++)
				;
			if (j == ng && ng == sizeof(g) / sizeof(g[0]))
				continue; /* counted in the total, not grouped */
			if (j == ng)
				g[ng++] = (struct posix_group){ .program = prog, .uid = o->uid };
			g[j].n[k]++;
			g[j].bytes += o->alloc;
			g[j].kinds |= IPCADM_KIND_BIT(k);
		}
	}
	if (named > b->o.max_objects)
		detail(b, fi, "and %llu more", (unsigned long long)(named - b->o.max_objects));
	item(b, fi)->pub.used = total;
	if (total == 0) {
		summary(b, fi, "no orphaned POSIX objects");
		return;
	}
	item(b, fi)->pub.severity = IPCADM_SEV_WARNING;
	summary(b, fi, "%llu orphaned POSIX %s hold %s of /dev/shm: names a program made for "
		       "its own use, and no process of it is left",
		(unsigned long long)total, total == 1 ? "object" : "objects", human(bytes).s);
	for (size_t j = 0; j < ng; j++) {
		char kinds[32] = "";
		size_t w = 0;

		for (int k = IPCADM_NSYSV_KINDS; k < IPCADM_NALL_KINDS; k++)
			if (g[j].kinds & IPCADM_KIND_BIT(k))
				w += (size_t)snprintf(kinds + w, sizeof(kinds) - w, "%s%s",
						      w ? "," : "", ipcadm_kind_name(k));
		detail(b, fi, "%s of uid %u: %llu shared memory, %llu semaphores, %llu queues (%s)",
		       g[j].program, (unsigned)g[j].uid, (unsigned long long)g[j].n[IPCADM_PSHM],
		       (unsigned long long)g[j].n[IPCADM_PSEM],
		       (unsigned long long)g[j].n[IPCADM_PMQ], human(g[j].bytes).s);
		remedy(b, fi, "ipcadm reap%s --kind %s --owner %u --yes  # removes the orphaned "
			      "POSIX objects of %s (uid %u)",
		       reap_av(b), kinds, (unsigned)g[j].uid, g[j].program, (unsigned)g[j].uid);
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
		detail(b, fi, "%s /%s holds %s, %s", ipcadm_kind_name(top[i]->kind), top[i]->name,
		       human(top[i]->alloc).s, ipcadm_verdict_name(verdict_of(b, top[i], NULL)));
}

static void posix_findings(struct builder *b)
{
	const struct ipcadm_posix_limits *p = ipcadm_snapshot_posix_limits(b->snap);
	double pct;
	size_t fi;

	if (p->shm_size != IPCADM_UNKNOWN && p->shm_size > 0) {
		pct = percent_of(p->shm_used, p->shm_size);
		if (severity_of(b, pct) != IPCADM_SEV_OK) {
			fi = finding_new(b, IPCADM_FINDING_POSIX, severity_of(b, pct), "dev-shm",
					 IPCADM_PSHM);
			if (fi == SIZE_MAX)
				return;
			set_counts(b, fi, p->shm_size, p->shm_used);
			item(b, fi)->pub.percent = pct;
			summary(b, fi, "/dev/shm: %s of %s used (%.0f%%): a full tmpfs kills programs "
				       "with SIGBUS on first touch",
				human(p->shm_used).s, human(p->shm_size).s, pct);
			if (ipcadm_snapshot_count(b->snap, IPCADM_PSHM) +
			    ipcadm_snapshot_count(b->snap, IPCADM_PSEM))
				detail(b, fi, "POSIX shared memory and semaphores hold %s of it",
				       human(p->shm_objs_alloc).s);
			tmpfs_details(b, fi);
			remedy(b, fi, "ipcadm reap%s --include-idle --kind pshm,psem --name 'NAME*'  "
				      "# idle objects you know are leaks", reap_av(b));
			remedy(b, fi, "mount -o remount,size=%s /dev/shm  # a larger tmpfs (memory)",
			       human(p->shm_size * 2).s);
		}
	}
	if (p->queues != IPCADM_UNKNOWN && p->queues_max != IPCADM_UNKNOWN) {
		pct = percent_of(p->queues, p->queues_max);
		if (severity_of(b, pct) == IPCADM_SEV_OK)
			return;
		fi = finding_new(b, IPCADM_FINDING_POSIX, severity_of(b, pct), "MQ_QUEUES_MAX",
				 IPCADM_PMQ);
		if (fi == SIZE_MAX)
			return;
		set_counts(b, fi, p->queues_max, p->queues);
		item(b, fi)->pub.percent = pct;
		summary(b, fi, "MQ_QUEUES_MAX: %llu of %llu POSIX message queues (%.0f%%): mq_open "
			       "fails with ENOSPC at the limit (but for CAP_SYS_RESOURCE)",
			(unsigned long long)p->queues, (unsigned long long)p->queues_max, pct);
		remedy(b, fi, "ipcadm reap%s --include-idle --kind pmq --name 'NAME*'  # idle "
			      "queues you know are leaks", reap_av(b));
		remedy(b, fi, "sysctl -w fs.mqueue.queues_max=%llu",
		       (unsigned long long)(p->queues_max * 2 > p->queues ? p->queues_max * 2
									   : p->queues * 2));
	}
}

/* ---- what could not be read ---- */

static void unreadable_findings(struct builder *b)
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
		summary(b, fi, "%s could not be read: the limits it sets are not checked",
			d->sysctl);
	}
	for (int k = 0; k < IPCADM_NSYSV_KINDS; k++) {
		size_t skipped = ipcadm_snapshot_skipped(b->snap, k);

		if (skipped == 0)
			continue;
		fi = finding_new(b, IPCADM_FINDING_UNREADABLE, IPCADM_SEV_WARNING, files[k], k);
		summary(b, fi, "%zu line%s of %s could not be parsed: the counts may be low",
			skipped, skipped == 1 ? "" : "s", files[k]);
	}
	if (b->an == NULL && b->o.analysis_err) {
		fi = finding_new(b, IPCADM_FINDING_UNREADABLE, IPCADM_SEV_OK, "verdicts",
				 IPCADM_NALL_KINDS);
		summary(b, fi, "no verdicts: the process table could not be read (%s)",
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
		it->pub.remedies = (const char *const *)it->remedies;
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
	plan_sem(&b);
	for (int id = 0; id < IPCADM_NLIMITS; id++) {
		const struct ipcadm_limit_info *d = info_of(id);

		if (d->count != IPCADM_COUNT_NONE && d->kind < IPCADM_NSYSV_KINDS)
			limit_finding(&b, id);
	}
	shmmax_findings(&b);
	shm_dest_finding(&b);
	for (int k = 0; k < IPCADM_NSYSV_KINDS; k++)
		leak_finding(&b, (enum ipcadm_kind)k, &shm_leaks);
	rmid_forced_finding(&b, shm_leaks);
	posix_leak_finding(&b);
	posix_findings(&b);
	unreadable_findings(&b);
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
