/* findings-build.c: the builder of the doctor's findings (findings-int.h): storage that
 * lives as long as the findings, and the words their texts share. */
#include "findings-int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strutil.h"

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

char *finding_printf(struct builder *b, const char *fmt, ...)
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

size_t finding_new(struct builder *b, enum ipcadm_finding_type type,
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

struct fitem *finding_at(struct builder *b, size_t i)
{
	return i < b->f->n ? &b->f->v[i] : NULL;
}

void finding_counts(struct builder *b, size_t i, uint64_t limit, uint64_t used)
{
	struct fitem *it = finding_at(b, i);

	if (it == NULL)
		return;
	it->pub.limit = limit;
	it->pub.used = used;
}

/* A text from the pool as finding i's summary, or as one more of its details. */
static void add_text(struct builder *b, size_t i, bool detail, const char *fmt, va_list ap)
{
	struct fitem *it = finding_at(b, i);
	char *s = it ? pool_vprintf(b, fmt, ap) : NULL;

	if (s == NULL)
		return;
	if (!detail)
		it->pub.summary = s;
	else if (grow(b, (void **)&it->details, &it->capd, it->nd, sizeof(char *)))
		it->details[it->nd++] = s;
}

void finding_summary(struct builder *b, size_t i, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_text(b, i, false, fmt, ap);
	va_end(ap);
}

void finding_detail(struct builder *b, size_t i, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_text(b, i, true, fmt, ap);
	va_end(ap);
}

/* ---- remedies: data; cli/remedy.c words them as commands ---- */

struct ipcadm_remedy *finding_remedy(struct builder *b, size_t i, enum ipcadm_remedy_type type)
{
	struct fitem *it = finding_at(b, i);
	struct ipcadm_remedy *r;

	if (it == NULL || b->err ||
	    !grow(b, (void **)&it->remedies, &it->capr, it->nr, sizeof(*it->remedies)))
		return NULL;
	r = &it->remedies[it->nr++];
	memset(r, 0, sizeof(*r));
	r->type = type;
	return r;
}

void remedy_reason(struct builder *b, struct ipcadm_remedy *r, const char *fmt, ...)
{
	va_list ap;

	if (r == NULL)
		return;
	va_start(ap, fmt);
	r->reason = pool_vprintf(b, fmt, ap);
	va_end(ap);
}

struct ipcadm_remedy *finding_reap(struct builder *b, size_t i, unsigned int kinds, bool yes)
{
	struct ipcadm_remedy *r = finding_remedy(b, i, IPCADM_REMEDY_REAP);

	if (r == NULL)
		return NULL;
	r->reap.kinds = kinds;
	r->reap.yes = yes;
	/* the reap must see what the doctor saw */
	r->reap.all_visible = b->ctx->all_visible;
	return r;
}

void finding_sysctl(struct builder *b, size_t i, enum ipcadm_limit id, const uint64_t *values,
		    unsigned int n, bool persist)
{
	const struct ipcadm_limit_info *d = info_of(id);

	for (int at_boot = 0; at_boot <= (int)persist; at_boot++) {
		struct ipcadm_remedy *r = finding_remedy(b, i, IPCADM_REMEDY_SET_SYSCTL);

		if (r == NULL || d == NULL || d->sysctl == NULL || n > 4) {
			b->err = b->err ? b->err : -EINVAL;
			return;
		}
		r->sysctl.limit = id;
		r->sysctl.sysctl = d->sysctl;
		memcpy(r->sysctl.values, values, n * sizeof(*values));
		r->sysctl.nvalues = n;
		r->sysctl.persist = at_boot;
		if (at_boot)
			remedy_reason(b, r, "keeps it after a reboot");
	}
}

/* ---- words ---- */

struct words words_size(uint64_t bytes)
{
	struct words w;

	w.s[fmt_size_human(w.s, bytes)] = '\0';
	return w;
}

struct words words_age(int64_t secs)
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

struct words words_key(int32_t key)
{
	struct words w;

	if (key == 0)
		snprintf(w.s, sizeof(w.s), "0");
	else
		snprintf(w.s, sizeof(w.s), "0x%08x", (uint32_t)key);
	return w;
}

const char *const kind_word_one[IPCADM_NSYSV_KINDS] = { "segment", "semaphore array",
						     "message queue" };
const char *const kind_word_many[IPCADM_NSYSV_KINDS] = { "segments", "semaphore arrays",
						      "message queues" };

const char *kind_words(enum ipcadm_kind k, uint64_t n)
{
	return n == 1 ? kind_word_one[k] : kind_word_many[k];
}

/* 'alice' or uid 1234, for sentences. */
struct words words_owner(const struct ipcadm_finding_group *g)
{
	struct words w;

	if (g->owner)
		snprintf(w.s, sizeof(w.s), "'%s'", g->owner);
	else
		snprintf(w.s, sizeof(w.s), "uid %u", (unsigned int)g->uid);
	return w;
}

