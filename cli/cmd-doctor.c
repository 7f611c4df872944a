/* cmd-doctor.c: `ipcadm doctor`: which limit is near exhaustion, who uses it up, what
 * leaks, and the commands that fix it; exit 0/1/2 as a Nagios plugin (3: unknown). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor-common.h"
#include "ipcadm-cli.h"
#include "ipcadm-journal.h"
#include "journal.h"
#include "json.h"
#include "ns.h"
#include "obuf.h"
#include "remedy.h"
#include "strutil.h"

#define EXIT_UNKNOWN 3 /* Nagios: the state could not be read */

enum { OPT_NOW = 0x200, OPT_NO_VERDICTS, OPT_TOP };

static void doctor_help(void)
{
	printf("Usage: %s doctor [OPTIONS]\n\n"
	       "Diagnose System V IPC: each limit tested as the kernel tests it, who uses it\n"
	       "up (by owner and key, with ages, memory and verdicts), leaked objects, removed\n"
	       "segments that still count, and the commands that fix each problem.\n"
	       "Exit status: 0 ok, 1 warning, 2 critical, 3 the state could not be read.\n\n"
	       "Options:\n"
	       "  -w, --warn PERCENT       a limit this full is a warning (default 80)\n"
	       "  -c, --crit PERCENT       a limit this full is critical (default 95)\n"
	       "      --top N              owner and key groups listed per limit (default 5)\n"
	       "      --no-verdicts        do not read the process table (faster; no verdicts)\n"
	       "      --now TIME           Unix time to measure ages from (a copied tree)\n"
	       "  -q, --quiet              print only the status line\n"
	       "  -J, --json               JSON output\n"
	       "%s"
	       "  -h, --help               this help\n",
	       progname, ns_options_help);
}

static const char *const type_names[] = {
	[IPCADM_FINDING_LIMIT] = "limit",
	[IPCADM_FINDING_SHMMAX] = "shmmax",
	[IPCADM_FINDING_SHM_DEST] = "shm-dest",
	[IPCADM_FINDING_RMID_FORCED] = "shm_rmid_forced",
	[IPCADM_FINDING_LEAKED] = "leaked",
	[IPCADM_FINDING_UNREADABLE] = "unreadable",
	[IPCADM_FINDING_POSIX] = "posix",
};

/* "IPC CRITICAL: SHMALL: 95 of 100 pages in use (95%); 3 more problems" */
static void print_status_line(const struct ipcadm_findings *f)
{
	enum ipcadm_severity worst = ipcadm_findings_worst(f);
	size_t problems = 0;

	for (size_t i = 0; i < ipcadm_findings_count(f); i++)
		problems += ipcadm_findings_get(f, i)->severity != IPCADM_SEV_OK;
	if (worst == IPCADM_SEV_OK) {
		obuf_puts(out, "IPC OK: no limit near exhaustion, nothing leaked\n");
		return;
	}
	obuf_printf(out, "IPC %s: ", severity_upper(worst));
	obuf_text(out, ipcadm_findings_get(f, 0)->summary);
	if (problems > 1)
		obuf_printf(out, "; %zu more problem%s", problems - 1, problems == 2 ? "" : "s");
	obuf_putc(out, '\n');
}

static void json_u64_known(struct json *j, const char *key, uint64_t v)
{
	if (v == IPCADM_UNKNOWN)
		json_null(j, key);
	else
		json_u64(j, key, v);
}

static void json_group(struct json *j, const struct ipcadm_finding_group *g)
{
	char key[16];

	snprintf(key, sizeof(key), "0x%08x", (uint32_t)g->key);
	json_object_begin(j, NULL);
	json_str(j, "owner", g->owner);
	json_u64(j, "uid", g->uid);
	json_str(j, "key", key);
	json_u64(j, "objects", g->count);
	json_u64(j, "amount", g->amount);
	json_i64(j, "oldest", g->oldest);
	json_i64(j, "newest", g->newest);
	json_u64_known(j, "bytes", g->bytes);
	json_u64_known(j, "rss", g->rss);
	json_u64_known(j, "swap", g->swap);
	if (g->has_verdicts) {
		json_object_begin(j, "verdicts");
		for (int v = 0; v <= IPCADM_UNKNOWN_VERDICT; v++)
			json_u64(j, ipcadm_verdict_name(v), g->verdicts[v]);
		json_object_end(j);
	} else {
		json_null(j, "verdicts");
	}
	json_object_end(j);
}

/* "remedies": the command lines (scripts run them); "actions": the same remedies as data.
 * ns: the namespace the commands act in (remedy_format). */
static void json_finding(struct json *j, const struct ipcadm_finding *x, const struct ipcadm_ns *ns)
{
	char fix[1024];

	json_object_begin(j, NULL);
	json_str(j, "severity", ipcadm_severity_name(x->severity));
	json_str(j, "name", x->name);
	json_str(j, "type", type_names[x->type]);
	json_str(j, "kind", (unsigned int)x->kind < IPCADM_NALL_KINDS ? ipcadm_kind_name(x->kind)
								      : NULL);
	json_u64_known(j, "limit", x->limit);
	json_u64_known(j, "used", x->used);
	json_percent(j, "percent", x->percent);
	json_str(j, "summary", x->summary);
	json_array_begin(j, "details");
	for (size_t i = 0; i < x->ndetails; i++)
		json_str(j, NULL, x->details[i]);
	json_array_end(j);
	json_array_begin(j, "remedies");
	for (size_t i = 0; i < x->nremedies; i++)
		json_str(j, NULL, remedy_format(&x->remedies[i], ns, true, fix, sizeof(fix)));
	json_array_end(j);
	json_array_begin(j, "actions");
	for (size_t i = 0; i < x->nremedies; i++)
		remedy_json(j, NULL, &x->remedies[i]);
	json_array_end(j);
	json_array_begin(j, "groups");
	for (size_t i = 0; i < x->ngroups; i++)
		json_group(j, &x->groups[i]);
	json_array_end(j);
	json_object_end(j);
}

/* {"status": ..., "findings": [...]}, as the member key of an object (NULL: a document). */
static void json_findings(struct json *j, const char *key, const struct ipcadm_findings *f,
			  const struct ipcadm_ns *ns)
{
	json_object_begin(j, key);
	json_str(j, "status", ipcadm_severity_name(ipcadm_findings_worst(f)));
	json_array_begin(j, "findings");
	for (size_t i = 0; i < ipcadm_findings_count(f); i++)
		json_finding(j, ipcadm_findings_get(f, i), ns);
	json_array_end(j);
	json_object_end(j);
}

/* -A, -N: each namespace diagnosed by itself; the exit status is the worst. */
/* ---- leaks grouped by the program and unit that made them (the journal) ---- */

struct creator_group {
	enum ipcadm_kind kind;
	uid_t uid;
	char comm[16], unit[128];
	size_t n;
	int64_t first, last; /* creation times, seconds */
};

struct creator_groups {
	struct creator_group *v;
	size_t n;
	size_t unknown; /* orphans the journal does not know: made before it ran */
};

static const char *const kind_plurals[IPCADM_NALL_KINDS] = {
	[IPCADM_SHM] = "segments", [IPCADM_SEM] = "semaphore arrays",
	[IPCADM_MSG] = "message queues", [IPCADM_PMQ] = "POSIX message queues",
};
static const char *const kind_singulars[IPCADM_NALL_KINDS] = {
	[IPCADM_SHM] = "segment", [IPCADM_SEM] = "semaphore array",
	[IPCADM_MSG] = "message queue", [IPCADM_PMQ] = "POSIX message queue",
};

static int cmp_group(const void *x, const void *y)
{
	const struct creator_group *a = x, *b = y;

	return a->n < b->n ? 1 : a->n > b->n ? -1 : 0;
}

/* The orphaned objects, grouped by kind, owner, creator's command and unit. */
static void creator_groups_build(struct ipcadm_ctx *ctx, const struct ipcadm_snapshot *snap,
				 const struct ipcadm_analysis *an, struct creator_groups *g)
{
	memset(g, 0, sizeof(*g));
	if (an == NULL || journal_get() == NULL)
		return;
	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		if (kind_plurals[k] == NULL)
			continue;
		for (size_t i = 0; i < ipcadm_snapshot_count(snap, k); i++) {
			const struct ipcadm_obj *o = ipcadm_snapshot_obj(snap, k, i);
			struct ipcadm_journal_rec rec;
			struct creator_group *c = NULL, *nv;
			int64_t t;

			if (ipcadm_analysis_verdict(an, o, NULL) != IPCADM_ORPHANED)
				continue;
			if (journal_find(ctx, o, &rec) < 0) {
				g->unknown++;
				continue;
			}
			t = rec.created_ns / 1000000000;
			for (size_t j = 0; j < g->n && !c; j++)
				if (g->v[j].kind == o->kind && g->v[j].uid == o->uid &&
				    strcmp(g->v[j].comm, rec.comm) == 0 &&
				    strcmp(g->v[j].unit, rec.unit) == 0)
					c = &g->v[j];
			if (c == NULL) {
				nv = realloc(g->v, (g->n + 1) * sizeof(*g->v));
				if (nv == NULL)
					return;
				g->v = nv;
				c = &g->v[g->n++];
				memset(c, 0, sizeof(*c));
				c->kind = o->kind;
				c->uid = o->uid;
				memcpy(c->comm, rec.comm, sizeof(c->comm));
				memcpy(c->unit, rec.unit, sizeof(c->unit));
				c->first = c->last = t;
			}
			c->n++;
			c->first = t < c->first ? t : c->first;
			c->last = t > c->last ? t : c->last;
		}
	}
	qsort(g->v, g->n, sizeof(*g->v), cmp_group);
}

static void span_words(int64_t s, char *buf, size_t len)
{
	if (s >= 2 * 86400)
		snprintf(buf, len, "%lld days", (long long)(s / 86400));
	else if (s >= 2 * 3600)
		snprintf(buf, len, "%lld hours", (long long)(s / 3600));
	else if (s >= 120)
		snprintf(buf, len, "%lld minutes", (long long)(s / 60));
	else
		snprintf(buf, len, "%lld second%s", (long long)s, s == 1 ? "" : "s");
}

/* "- 96 semaphore arrays of www-data made by apache2 of apache2.service, over 3 days" */
/* The owner's name, else the number. */
static const char *owner_words(struct ipcadm_ctx *ctx, uid_t uid, char *buf, size_t len)
{
	const char *name = ipcadm_user_name(ctx, uid);

	if (name)
		return name;
	snprintf(buf, len, "%u", (unsigned int)uid);
	return buf;
}

static void creator_groups_text(struct ipcadm_ctx *ctx, const struct creator_groups *g)
{
	char span[32], num[16];

	if (g->n == 0)
		return;
	obuf_puts(out, "\nOrphaned objects by the program that made them (the journal):\n");
	for (size_t i = 0; i < g->n; i++) {
		const struct creator_group *c = &g->v[i];

		obuf_printf(out, "          - %zu %s of %s made by ", c->n,
			    c->n == 1 ? kind_singulars[c->kind] : kind_plurals[c->kind],
			    owner_words(ctx, c->uid, num, sizeof(num)));
		obuf_text(out, c->comm[0] ? c->comm : "?");
		if (c->unit[0]) {
			obuf_puts(out, " of ");
			obuf_text(out, c->unit);
		}
		if (c->n > 1) {
			span_words(c->last - c->first, span, sizeof(span));
			obuf_printf(out, ", over %s", span);
		}
		obuf_putc(out, '\n');
	}
	if (g->unknown)
		obuf_printf(out, "          - %zu made before the journal knew them\n", g->unknown);
}

static void creator_groups_json(struct json *j, struct ipcadm_ctx *ctx,
				const struct creator_groups *g)
{
	char num[16];

	json_array_begin(j, "leak_creators");
	for (size_t i = 0; i < g->n; i++) {
		const struct creator_group *c = &g->v[i];

		json_object_begin(j, NULL);
		json_str(j, "kind", ipcadm_kind_name(c->kind));
		json_u64(j, "count", c->n);
		json_str(j, "owner", owner_words(ctx, c->uid, num, sizeof(num)));
		json_str(j, "command", c->comm);
		json_str(j, "unit", c->unit);
		json_i64(j, "first", c->first);
		json_i64(j, "last", c->last);
		json_object_end(j);
	}
	json_array_end(j);
	json_u64(j, "leaks_unknown_creator", g->unknown);
}

static int doctor_ns(struct ipcadm_ctx *ctx, const struct ns_sel *nss,
		     struct ipcadm_doctor_opts *dopts, bool verdicts, bool json, bool quiet)
{
	struct ipcadm_findings **f;
	struct ipcadm_analysis **an;
	enum ipcadm_severity worst = IPCADM_SEV_OK;
	size_t wi = 0;
	struct ns_set set;
	char hint[1536]; /* escaped command and cgroup */
	struct json j;
	int r;

	r = ns_set_read(ctx, nss, DOCTOR_KINDS, DOCTOR_READ(verdicts), -1, &set);
	if (set.n == 0)
		return EXIT_UNKNOWN;
	f = calloc(set.n, sizeof(*f));
	an = calloc(set.n, sizeof(*an));
	for (size_t v = 0; v < set.n && f && an; v++) {
		r = doctor_diagnose(ctx, set.v[v].snap, dopts, verdicts, &f[v], &an[v]);
		if (r < 0) {
			error_code(r, "cannot diagnose IPC namespace %llu",
				   (unsigned long long)set.v[v].ns.ino);
			break;
		}
		if (ipcadm_findings_worst(f[v]) > worst) {
			worst = ipcadm_findings_worst(f[v]);
			wi = v;
		}
	}
	if (f == NULL || an == NULL || r < 0) {
		for (size_t v = 0; f && v < set.n; v++)
			ipcadm_findings_free(f[v]);
		for (size_t v = 0; an && v < set.n; v++)
			ipcadm_analysis_free(an[v]);
		free(f);
		free(an);
		ns_set_free(&set);
		return EXIT_UNKNOWN;
	}
	json_init(&j, out);
	if (json) {
		json_object_begin(&j, NULL);
		json_str(&j, "status", ipcadm_severity_name(worst));
		json_array_begin(&j, "namespaces");
	} else {
		obuf_printf(out, "IPC namespace %s: ", ns_hint(&set.v[wi].ns, hint, sizeof(hint)));
		print_status_line(f[wi]);
	}
	for (size_t v = 0; v < set.n; v++) {
		const struct ipcadm_ns *ns = &set.v[v].ns;
		struct creator_groups cg;

		creator_groups_build(ctx, set.v[v].snap, an[v], &cg);
		if (json) {
			json_object_begin(&j, NULL);
			json_u64(&j, "namespace", ns->ino);
			json_i64(&j, "pid", ns->pid);
			json_str(&j, "command", ns->comm);
			json_str(&j, "cgroup", ns->cgroup);
			json_findings(&j, "doctor", f[v], ns);
			if (cg.n || cg.unknown)
				creator_groups_json(&j, ctx, &cg);
			json_object_end(&j);
		} else if (!quiet) {
			obuf_printf(out, "\nIPC namespace %s:\n", ns_hint(ns, hint, sizeof(hint)));
			print_findings_text(f[v], true, ns);
			creator_groups_text(ctx, &cg);
		}
		free(cg.v);
	}
	if (json)
		json_finish(&j);
	for (size_t v = 0; v < set.n; v++) {
		ipcadm_findings_free(f[v]);
		ipcadm_analysis_free(an[v]);
	}
	free(f);
	free(an);
	ns_set_free(&set);
	return (int)worst;
}

int cmd_doctor(struct ipcadm_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "warn", required_argument, NULL, 'w' },
		{ "crit", required_argument, NULL, 'c' },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "no-verdicts", no_argument, NULL, OPT_NO_VERDICTS },
		{ "now", required_argument, NULL, OPT_NOW },
		{ "quiet", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		NS_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct ipcadm_doctor_opts dopts;
	struct ipcadm_snapshot *snap;
	struct ipcadm_findings *f;
	bool json = false, quiet = false, verdicts = true;
	struct ns_sel nss = { 0 };
	uint64_t n;
	int c, r;

	ipcadm_doctor_opts_init(&dopts);
	while ((c = getopt_long(argc, argv, "w:c:qJh" NS_SHORTOPTS, longopts, NULL)) != -1) {
		r = ns_option("doctor", c, optarg, &nss);
		if (r == 0)
			r = doctor_threshold_option("doctor", c, optarg, &dopts);
		if (r < 0)
			return EXIT_MISUSE;
		if (r > 0)
			continue;
		switch (c) {
		case OPT_TOP:
			if (str_to_u64(optarg, &n) < 0 || n > 1000)
				return usage_error("doctor", "invalid --top '%s'", optarg);
			dopts.max_groups = (size_t)n;
			break;
		case OPT_NO_VERDICTS:
			verdicts = false;
			break;
		case OPT_NOW:
			if (str_to_i64(optarg, &dopts.now) < 0 || dopts.now <= 0)
				return usage_error("doctor", "invalid --now '%s': Unix seconds",
						   optarg);
			break;
		case 'q':
			quiet = true;
			break;
		case 'J':
			json = true;
			break;
		case 'h':
			doctor_help();
			return 0;
		default:
			return usage_error("doctor", "bad usage");
		}
	}
	if (optind < argc)
		return usage_error("doctor", "unexpected argument '%s'", argv[optind]);
	if (doctor_thresholds_check("doctor", &dopts))
		return EXIT_MISUSE;
	if (nss.all || nss.spec)
		return doctor_ns(ctx, &nss, &dopts, verdicts, json, quiet);
	ipcadm_ctx_set_all_visible(ctx, nss.all_visible);
	r = ipcadm_snapshot_read(ctx, DOCTOR_KINDS, DOCTOR_READ(verdicts), &snap);
	if (r < 0) {
		error_code(r, "cannot read the IPC state below '%s'", ipcadm_ctx_root(ctx));
		return EXIT_UNKNOWN;
	}
	r = doctor_diagnose(ctx, snap, &dopts, verdicts, &f, NULL);
	if (r < 0) {
		ipcadm_snapshot_free(snap);
		error_code(r, "cannot diagnose the IPC state");
		return EXIT_UNKNOWN;
	}
	if (json) {
		struct json j;

		json_init(&j, out);
		json_findings(&j, NULL, f, 0);
		json_finish(&j);
	} else {
		print_status_line(f);
		if (!quiet) {
			obuf_putc(out, '\n');
			print_findings_text(f, true, NULL);
		}
	}
	r = (int)ipcadm_findings_worst(f);
	ipcadm_findings_free(f);
	ipcadm_snapshot_free(snap);
	return r;
}
