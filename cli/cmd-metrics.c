/* cmd-metrics.c: `ipcadm metrics`: usage, limits, verdicts and the doctor's status in the
 * Prometheus text format; --textfile DIR writes it atomically for node_exporter. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "doctor-common.h"
#include "ipcadm-cli.h"
#include "metrics-merge.h"
#include "ns.h"
#include "obuf.h"
#include "strutil.h"

#define TEXTFILE_NAME "ipcadm.prom"

enum { OPT_TEXTFILE = 0x300, OPT_NO_VERDICTS };

static void metrics_help(void)
{
	printf("Usage: %s metrics [OPTIONS]\n\n"
	       "Print System V and POSIX IPC usage, limits, objects per verdict, the memory\n"
	       "orphaned segments hold and the doctor's status in the Prometheus text format.\n\n"
	       "Options:\n"
	       "      --textfile DIR       write DIR/" TEXTFILE_NAME " atomically (for node_exporter's\n"
	       "                           textfile collector) instead of standard output\n"
	       "      --no-verdicts        do not read the process table (no verdict metrics)\n"
	       "  -w, --warn PERCENT       the doctor's warning threshold (default 80)\n"
	       "  -c, --crit PERCENT       the doctor's critical threshold (default 95)\n"
	       "%s"
	       "  -h, --help               this help\n",
	       progname, ns_options_help);
}

static void head(struct obuf *o, const char *name, const char *help)
{
	obuf_printf(o, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* With -A or -N: namespace="INODE", the first label of every sample. */
static char ns_label[48];

static void sample(struct obuf *o, const char *name, const char *labels, uint64_t v)
{
	char all[256];

	if (v == IPCADM_UNKNOWN)
		return; /* not reported: absent, not a made-up number */
	if (ns_label[0]) {
		snprintf(all, sizeof(all), "%s%s%s", ns_label, labels ? "," : "",
			 labels ? labels : "");
		labels = all;
	}
	obuf_printf(o, "%s%s%s%s %llu\n", name, labels ? "{" : "", labels ? labels : "",
		    labels ? "}" : "", (unsigned long long)v);
}

static void gauge(struct obuf *o, const char *name, const char *help, uint64_t v)
{
	if (v == IPCADM_UNKNOWN)
		return;
	head(o, name, help);
	sample(o, name, NULL, v);
}

static void per_kind(struct obuf *o, const char *name, const char *help, const uint64_t *v)
{
	char labels[32];

	head(o, name, help);
	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		snprintf(labels, sizeof(labels), "kind=\"%s\"", ipcadm_kind_name(k));
		sample(o, name, labels, v[k]);
	}
}

struct verdict_sums {
	uint64_t objects[IPCADM_NALL_KINDS][IPCADM_UNKNOWN_VERDICT + 1];
	uint64_t rss[IPCADM_UNKNOWN_VERDICT + 1], swap[IPCADM_UNKNOWN_VERDICT + 1];
	uint64_t size[IPCADM_UNKNOWN_VERDICT + 1];
	struct { /* orphaned POSIX objects by the program that generated their names */
		const char *program;
		uint64_t objects, bytes;
	} prog[8];
	size_t nprog;
};

static void sum_program(struct verdict_sums *s, const char *program, uint64_t bytes)
{
	size_t i;

	for (i = 0; i < s->nprog && strcmp(s->prog[i].program, program) != 0; i++)
		;
	if (i == sizeof(s->prog) / sizeof(s->prog[0]))
		i--, program = "other"; /* more programs than rows: the last row takes the rest */
	if (i == s->nprog)
		s->prog[s->nprog++].program = program;
	s->prog[i].objects++;
	s->prog[i].bytes += bytes;
}

static void sum_verdicts(const struct ipcadm_snapshot *snap, const struct ipcadm_analysis *an,
			 struct verdict_sums *s)
{
	memset(s, 0, sizeof(*s));
	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		for (size_t i = 0; i < ipcadm_snapshot_count(snap, k); i++) {
			const struct ipcadm_obj *o = ipcadm_snapshot_obj(snap, k, i);
			enum ipcadm_verdict v = ipcadm_analysis_verdict(an, o, NULL);

			s->objects[k][v]++;
			if (IPCADM_IS_POSIX(k) && v == IPCADM_ORPHANED &&
			    ipcadm_analysis_program(an, o))
				sum_program(s, ipcadm_analysis_program(an, o), o->alloc);
			if (k != IPCADM_SHM)
				continue;
			s->size[v] += o->size;
			s->rss[v] += o->rss == IPCADM_UNKNOWN ? 0 : o->rss;
			s->swap[v] += o->swap == IPCADM_UNKNOWN ? 0 : o->swap;
		}
	}
}

/* A program name (a names.conf token) as a label value: only [A-Za-z0-9_.+-] kept. */
static const char *prom_label(const char *name)
{
	static char buf[33];
	size_t i;

	for (i = 0; name[i] && i < sizeof(buf) - 1; i++)
		buf[i] = (isalnum((unsigned char)name[i]) || strchr("_.+-", name[i])) ? name[i]
										       : '_';
	buf[i] = '\0';
	return buf;
}

static void write_verdicts(struct obuf *o, const struct verdict_sums *s, const bool *read_ok)
{
	static const char *const shm_names[][2] = {
		{ "ipcadm_shm_orphaned_size_bytes", "Bytes in orphaned segments (sizes)." },
		{ "ipcadm_shm_orphaned_resident_bytes",
		  "Resident bytes of orphaned segments: memory a leak holds." },
		{ "ipcadm_shm_orphaned_swap_bytes", "Swapped bytes of orphaned segments." },
		{ "ipcadm_shm_idle_resident_bytes",
		  "Resident bytes of idle keyed segments that nobody attaches." },
		{ "ipcadm_shm_idle_swap_bytes", "Swapped bytes of idle keyed segments." },
	};
	char labels[64];

	head(o, "ipcadm_verdict_objects",
	     "Objects per verdict: in-use, maybe-in-use, idle, orphaned, unknown.");
	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		if (IPCADM_IS_POSIX(k) && !read_ok[k])
			continue;
		for (int v = 0; v <= IPCADM_UNKNOWN_VERDICT; v++) {
			snprintf(labels, sizeof(labels), "kind=\"%s\",verdict=\"%s\"",
				 ipcadm_kind_name(k), ipcadm_verdict_name(v));
			sample(o, "ipcadm_verdict_objects", labels, s->objects[k][v]);
		}
	}
	gauge(o, shm_names[0][0], shm_names[0][1], s->size[IPCADM_ORPHANED]);
	gauge(o, shm_names[1][0], shm_names[1][1], s->rss[IPCADM_ORPHANED]);
	gauge(o, shm_names[2][0], shm_names[2][1], s->swap[IPCADM_ORPHANED]);
	gauge(o, shm_names[3][0], shm_names[3][1], s->rss[IPCADM_IDLE]);
	gauge(o, shm_names[4][0], shm_names[4][1], s->swap[IPCADM_IDLE]);
	head(o, "ipcadm_posix_orphaned_objects",
	     "Orphaned POSIX objects, by the program that generated their names.");
	for (size_t i = 0; i < s->nprog; i++) {
		snprintf(labels, sizeof(labels), "program=\"%s\"", prom_label(s->prog[i].program));
		sample(o, "ipcadm_posix_orphaned_objects", labels, s->prog[i].objects);
	}
	head(o, "ipcadm_posix_orphaned_bytes",
	     "Bytes of /dev/shm that orphaned POSIX objects hold, by program.");
	for (size_t i = 0; i < s->nprog; i++) {
		snprintf(labels, sizeof(labels), "program=\"%s\"", prom_label(s->prog[i].program));
		sample(o, "ipcadm_posix_orphaned_bytes", labels, s->prog[i].bytes);
	}
}

static void write_findings(struct obuf *o, const struct ipcadm_findings *f)
{
	uint64_t count[IPCADM_SEV_CRITICAL + 1] = { 0 };
	char labels[32];

	for (size_t i = 0; i < ipcadm_findings_count(f); i++)
		count[ipcadm_findings_get(f, i)->severity]++;
	gauge(o, "ipcadm_doctor_status",
	      "The doctor's verdict: 0 ok, 1 warning, 2 critical (as its exit status).",
	      (uint64_t)ipcadm_findings_worst(f));
	head(o, "ipcadm_doctor_findings", "The doctor's findings, by severity.");
	for (int s = 0; s <= IPCADM_SEV_CRITICAL; s++) {
		snprintf(labels, sizeof(labels), "severity=\"%s\"", ipcadm_severity_name(s));
		sample(o, "ipcadm_doctor_findings", labels, count[s]);
	}
}

static void write_metrics(struct obuf *o, const struct ipcadm_snapshot *snap,
			  const struct ipcadm_analysis *an, const struct ipcadm_findings *f)
{
	const struct ipcadm_limits *l = ipcadm_snapshot_limits(snap);
	const struct ipcadm_usage *u = ipcadm_snapshot_usage(snap);
	const struct ipcadm_posix_limits *p = ipcadm_snapshot_posix_limits(snap);
	uint64_t objects[IPCADM_NALL_KINDS] = { u->shm_segs, u->sem_sets, u->msg_queues };
	uint64_t limits[IPCADM_NALL_KINDS];
	bool read_ok[IPCADM_NALL_KINDS];
	uint64_t dest = 0;

	for (int k = 0; k < IPCADM_NALL_KINDS; k++)
		limits[k] = IPCADM_UNKNOWN;
	for (int id = 0; id < IPCADM_NLIMITS; id++) {
		const struct ipcadm_limit_info *info = ipcadm_limit_info(id);
		struct ipcadm_limit_value v;

		if (info->count != IPCADM_COUNT_OBJECTS || info->kind >= IPCADM_NALL_KINDS)
			continue;
		if (ipcadm_limit_get(snap, id, &v) == 0)
			limits[info->kind] = v.limit;
	}
	/* POSIX kinds that could not be read (no mqueue mount) have no samples */
	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		read_ok[k] = ipcadm_snapshot_error(snap, k) == 0;
		if (IPCADM_IS_POSIX(k))
			objects[k] = read_ok[k] ? ipcadm_snapshot_count(snap, k) : IPCADM_UNKNOWN;
		if (!read_ok[k])
			limits[k] = IPCADM_UNKNOWN;
	}

	for (size_t i = 0; i < ipcadm_snapshot_count(snap, IPCADM_SHM); i++)
		dest += !!(ipcadm_snapshot_obj(snap, IPCADM_SHM, i)->mode & IPCADM_SHM_DEST);
	per_kind(o, "ipcadm_objects", "System V and POSIX IPC objects, by kind.", objects);
	per_kind(o, "ipcadm_objects_limit",
		 "The most objects of a kind the kernel allows: kernel.shmmni, the SEMMNI of "
		 "kernel.sem or kernel.msgmni, capped at 32768; fs.mqueue.queues_max for pmq.",
		 limits);
	/* every other limit with a gauge of its own, in the table's order */
	for (int id = 0; id < IPCADM_NLIMITS; id++) {
		const struct ipcadm_limit_info *info = ipcadm_limit_info(id);
		struct ipcadm_limit_value v;

		if (info->metric && ipcadm_limit_get(snap, id, &v) == 0)
			gauge(o, info->metric, info->metric_help, v.limit);
	}
	gauge(o, "ipcadm_shm_pages",
	      "Pages counted against kernel.shmall: each segment rounded up to whole pages.",
	      u->shm_pages);
	gauge(o, "ipcadm_shm_page_size_bytes", "The page size SHMALL counts in.", l->page_size);
	gauge(o, "ipcadm_shm_size_bytes", "The sizes of all segments added up.", u->shm_bytes);
	gauge(o, "ipcadm_shm_resident_bytes", "Resident bytes of all segments.", u->shm_rss);
	gauge(o, "ipcadm_shm_swap_bytes", "Swapped bytes of all segments.", u->shm_swap);
	gauge(o, "ipcadm_shm_removed_segments",
	      "Segments removed while attached (SHM_DEST): they count until the last detach.",
	      dest);
	gauge(o, "ipcadm_sem_semaphores", "Semaphores in all arrays (counted against SEMMNS).",
	      u->sem_sems);
	gauge(o, "ipcadm_msg_messages", "Messages queued in all queues.", u->msg_msgs);
	gauge(o, "ipcadm_msg_queued_bytes", "Bytes queued in all queues.", u->msg_bytes);
	gauge(o, "ipcadm_dev_shm_used_bytes",
	      "Bytes used on /dev/shm: a full tmpfs kills programs with SIGBUS on first touch.",
	      p->shm_used);
	gauge(o, "ipcadm_dev_shm_objects_bytes",
	      "Bytes the POSIX shared memory and semaphores hold on /dev/shm.", p->shm_objs_alloc);
	gauge(o, "ipcadm_verdicts_available",
	      "1 when the process table was read and every object has a verdict.",
	      an ? 1 : 0);
	if (an) {
		struct verdict_sums s;

		sum_verdicts(snap, an, &s);
		write_verdicts(o, &s, read_ok);
	}
	write_findings(o, f);
	gauge(o, "ipcadm_last_run_timestamp_seconds", "When ipcadm read this state (Unix time).",
	      (uint64_t)time(NULL));
}

/* Writes the metrics to a temporary file in dir, syncs it, renames it into place. */
struct render_one {
	const struct ipcadm_snapshot *snap;
	const struct ipcadm_analysis *an;
	const struct ipcadm_findings *f;
};

static void render_one(struct obuf *o, void *arg)
{
	const struct render_one *r = arg;

	write_metrics(o, r->snap, r->an, r->f);
}

/* A fresh temporary file in dfd (no name or link followed), its name in tmp. */
static int create_temp(int dfd, char *tmp, size_t len)
{
	for (unsigned int i = 0; i < 100; i++) {
		uint32_t salt;
		int fd;

		if (getrandom(&salt, sizeof(salt), 0) != (ssize_t)sizeof(salt))
			salt = (uint32_t)getpid() * 100u + i;
		snprintf(tmp, len, ".%s.%08x", TEXTFILE_NAME, (unsigned int)salt);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd < 0 ? -errno : fd;
	}
	return -EEXIST;
}

/* Writes the metrics to a temporary file in dir (dfd, opened by textfile_dir), syncs it,
 * renames it into place. */
static int write_textfile(int dfd, const char *dir, void (*render)(struct obuf *o, void *arg),
			  void *arg)
{
	static struct obuf fo;
	char tmp[64];
	int fd, r;

	fd = create_temp(dfd, tmp, sizeof(tmp));
	if (fd < 0)
		return error_code(fd, "cannot create a temporary file in '%s'", dir);
	obuf_init(&fo, fd);
	render(&fo, arg);
	r = obuf_flush(&fo);
	if (r == 0 && fchmod(fd, 0644) < 0) /* node_exporter runs as another user */
		r = -errno;
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(dfd, tmp, dfd, TEXTFILE_NAME) < 0)
		r = -errno;
	if (r < 0) {
		unlinkat(dfd, tmp, 0);
		return error_code(r, "cannot write '%s/%s'", dir, TEXTFILE_NAME);
	}
	fsync(dfd); /* make the rename itself durable */
	return 0;
}

/* The textfile directory as root may write into it (safefile.c: no link of another user
 * on the way, a directory of root's that no one else writes): its fd, or -1 (reported).
 * "DIR/.": a link of root's as DIR itself is followed, as on the way (a unit's path). */
static int textfile_dir(const char *dir)
{
	enum ipcadm_file_fault fault;
	char path[PATH_MAX];
	int dfd, r = -ENAMETOOLONG;

	if ((size_t)snprintf(path, sizeof(path), "%s/.", dir) < sizeof(path))
		r = ipcadm_dir_open(path, false, &dfd, &fault);
	if (r < 0) {
		error_code(r, "cannot use '%s' as the textfile directory", dir);
		return -1;
	}
	if (fault != IPCADM_FILE_OK) {
		errorx("refusing textfile directory '%s': %s", dir, file_fault_words(fault));
		return -1;
	}
	return dfd;
}

/* ---- -A, -N: every namespace's metrics, labelled namespace="INODE", joined ---- */

struct render_ns {
	struct ipcadm_ctx *ctx;
	const struct ns_set *set;
	struct ipcadm_doctor_opts dopts;
	bool verdicts;
	int err;
};

/* One namespace's metrics as text, rendered through a memory file. */
static int render_text(const struct ipcadm_snapshot *snap, const struct ipcadm_analysis *an,
		       const struct ipcadm_findings *f, char **textp, size_t *lenp)
{
	static struct obuf mo;
	size_t cap = 65536, len = 0;
	char *text;
	ssize_t n;
	int fd = memfd_create("ipcadm-metrics", MFD_CLOEXEC), r;

	if (fd < 0)
		return -errno;
	obuf_init(&mo, fd);
	write_metrics(&mo, snap, an, f);
	r = obuf_flush(&mo);
	text = malloc(cap);
	if (r == 0 && (text == NULL || lseek(fd, 0, SEEK_SET) < 0))
		r = text ? -errno : -ENOMEM;
	while (r == 0 && (n = read(fd, text + len, cap - len)) != 0) {
		if (n < 0) {
			r = -errno;
			break;
		}
		len += (size_t)n;
		if (len == cap) {
			char *nt = realloc(text, cap * 2);

			if (nt == NULL) {
				r = -ENOMEM;
				break;
			}
			text = nt;
			cap *= 2;
		}
	}
	close(fd);
	if (r < 0) {
		free(text);
		return r;
	}
	*textp = text;
	*lenp = len;
	return 0;
}

static void render_ns(struct obuf *o, void *arg)
{
	struct render_ns *rn = arg;
	size_t n = rn->set->n;
	char **texts = calloc(n, sizeof(*texts));
	size_t *lens = calloc(n, sizeof(*lens));

	rn->err = texts && lens ? 0 : -ENOMEM;
	for (size_t v = 0; v < n && rn->err == 0; v++) {
		const struct ns_view *view = &rn->set->v[v];
		struct ipcadm_analysis *an = NULL;
		struct ipcadm_findings *f;

		rn->err = doctor_diagnose(rn->ctx, view->snap, &rn->dopts, rn->verdicts, &f, &an);
		if (rn->err == 0) {
			snprintf(ns_label, sizeof(ns_label), "namespace=\"%llu\"",
				 (unsigned long long)view->ns.ino);
			rn->err = render_text(view->snap, an, f, &texts[v], &lens[v]);
			ns_label[0] = '\0';
			ipcadm_findings_free(f);
		}
		ipcadm_analysis_free(an);
	}
	if (rn->err == 0)
		rn->err = metrics_merge((const char *const *)texts, lens, n, o);
	for (size_t v = 0; texts && v < n; v++)
		free(texts[v]);
	free(texts);
	free(lens);
}

static int metrics_ns(struct ipcadm_ctx *ctx, const struct ns_sel *nss,
		      const struct ipcadm_doctor_opts *dopts, bool verdicts,
		      const char *textfile, int tdir)
{
	struct ns_set set;
	struct render_ns rn = { .ctx = ctx, .set = &set, .dopts = *dopts, .verdicts = verdicts };
	int r, rc;

	rc = ns_set_read(ctx, nss, DOCTOR_KINDS, DOCTOR_READ(verdicts), -1, &set);
	if (set.n == 0)
		return rc;
	if (textfile) {
		r = write_textfile(tdir, textfile, render_ns, &rn);
	} else {
		render_ns(out, &rn);
		r = 0;
	}
	ns_set_free(&set);
	if (rn.err < 0)
		return error_code(rn.err, "cannot make the metrics");
	return r ? r : rc;
}

int cmd_metrics(struct ipcadm_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "textfile", required_argument, NULL, OPT_TEXTFILE },
		{ "no-verdicts", no_argument, NULL, OPT_NO_VERDICTS },
		{ "warn", required_argument, NULL, 'w' },
		{ "crit", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		NS_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct ns_sel nss = { 0 };
	struct ipcadm_doctor_opts dopts;
	struct ipcadm_snapshot *snap;
	struct ipcadm_analysis *an = NULL;
	struct ipcadm_findings *f;
	const char *textfile = NULL;
	bool verdicts = true;
	int c, r, tdir = -1;

	ipcadm_doctor_opts_init(&dopts);
	while ((c = getopt_long(argc, argv, "w:c:h" NS_SHORTOPTS, longopts, NULL)) != -1) {
		r = ns_option("metrics", c, optarg, &nss);
		if (r == 0)
			r = doctor_threshold_option("metrics", c, optarg, &dopts);
		if (r < 0)
			return EXIT_MISUSE;
		if (r > 0)
			continue;
		switch (c) {
		case OPT_TEXTFILE:
			textfile = optarg;
			break;
		case OPT_NO_VERDICTS:
			verdicts = false;
			break;
		case 'h':
			metrics_help();
			return 0;
		default:
			return usage_error("metrics", "bad usage");
		}
	}
	if (optind < argc)
		return usage_error("metrics", "unexpected argument '%s'", argv[optind]);
	if (doctor_thresholds_check("metrics", &dopts))
		return EXIT_MISUSE;
	if (textfile) {
		tdir = textfile_dir(textfile);
		if (tdir < 0)
			return 1;
	}
	if (nss.all || nss.spec) {
		r = metrics_ns(ctx, &nss, &dopts, verdicts, textfile, tdir);
		goto out;
	}
	ipcadm_ctx_set_all_visible(ctx, nss.all_visible);
	r = ipcadm_snapshot_read(ctx, DOCTOR_KINDS, DOCTOR_READ(verdicts), &snap);
	if (r < 0) {
		r = error_code(r, "cannot read the IPC state below '%s'", ipcadm_ctx_root(ctx));
		goto out;
	}
	r = doctor_diagnose(ctx, snap, &dopts, verdicts, &f, &an);
	if (r < 0) {
		ipcadm_snapshot_free(snap);
		r = error_code(r, "cannot diagnose the IPC state");
		goto out;
	}
	if (textfile) {
		struct render_one one = { snap, an, f };

		r = write_textfile(tdir, textfile, render_one, &one);
	} else {
		write_metrics(out, snap, an, f);
	}
	ipcadm_findings_free(f);
	ipcadm_analysis_free(an);
	ipcadm_snapshot_free(snap);
out:
	if (tdir >= 0)
		close(tdir);
	return r;
}
