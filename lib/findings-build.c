/* findings-build.c: the builder of the doctor's findings (findings-int.h): storage that
 * lives as long as the findings, and the words their texts share. */
#include "findings-int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strutil.h"

#define SYSCTL_DIR "/etc/sysctl.d"

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

void finding_summary(struct builder *b, size_t i, const char *fmt, ...)
{
	struct fitem *it = finding_at(b, i);
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
	struct fitem *it = finding_at(b, i);
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

void finding_detail(struct builder *b, size_t i, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_line(b, i, false, fmt, ap);
	va_end(ap);
}

void finding_remedy(struct builder *b, size_t i, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_line(b, i, true, fmt, ap);
	va_end(ap);
}


/* " --all-visible" when the analysis was made with it: the reap it suggests must see
 * what the doctor saw. */
const char *finding_reap_av(const struct builder *b)
{
	return b->ctx->all_visible ? " --all-visible" : "";
}

void finding_sysctl(struct builder *b, size_t fi, const char *name, const char *value,
			    bool quote)
{
	const char *q = quote ? "'" : "";

	finding_remedy(b, fi, "sysctl -w kernel.%s=%s%s%s", name, q, value, q);
	finding_remedy(b, fi, "echo 'kernel.%s = %s' > " SYSCTL_DIR "/60-ipcadm-%s.conf  # keeps it "
		      "after a reboot",
	       name, value, name);
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
struct words words_owner(const struct ipcadm_finding_group *g, bool quoted)
{
	struct words w;

	if (g->owner && (quoted || shell_word(g->owner)))
		snprintf(w.s, sizeof(w.s), quoted ? "'%s'" : "%s", g->owner);
	else
		snprintf(w.s, sizeof(w.s), quoted ? "uid %u" : "%u", (unsigned int)g->uid);
	return w;
}

