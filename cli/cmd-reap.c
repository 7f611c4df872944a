/* cmd-reap.c: `ipcadm reap`: removes proven leaks (orphaned objects; idle ones on
 * request), re-verifying each right before removal; a dry run unless --yes. */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "filter.h"
#include "ipcadm-cli.h"
#include "journal.h"
#include "json.h"
#include "ns.h"
#include "obuf.h"
#include "parallel.h"
#include "sbuf.h"

/*
 * The log. Each removal's line is written (one write(2), O_APPEND) right before its
 * IPC_RMID or unlink, once the object was read again and found unchanged (the library's
 * remove hook): an object whose line cannot be written is kept, and log_failed, checked
 * before every later removal by every thread, keeps the rest. A removal that fails after
 * its line was written gets a second line, "not removed". Before the first removal, room
 * for every line is reserved in the file (fallocate, or statvfs where it has none).
 */
static int log_failed; /* the errno of the first log line that could not be written */

struct reap_opts {
	bool use_syslog; /* log removals to syslog: --yes, no --log, /dev/log there */
	bool yes, include_idle, have_owner;
	uid_t owner;
	unsigned int kinds;
	struct age_filter age;
	const char *backup, *log;
	int logfd; /* --log FILE, opened; -1 without */
	const char *name; /* a glob: only POSIX objects whose name matches */
	bool posix_asked; /* --kind named a POSIX kind */
	struct out_opts out;
};

static void reap_help(void)
{
	printf("Usage: %s reap [OPTIONS]\n\n"
	       "Remove orphaned objects: private segments whose creator and last user are\n"
	       "gone, private arrays and queues that no live process can hold. Without\n"
	       "--yes, only lists what would be removed and why. Each object is read again\n"
	       "right before removal and skipped if anything changed or if a process\n"
	       "began waiting on it.\n"
	       "POSIX objects whose name a library generates (Python's psm_*) are orphaned\n"
	       "when no process of that program can hold them; other names are keys: those\n"
	       "idle objects are removed only with --include-idle and either --name or a\n"
	       "POSIX kind in --kind.\n\n"
	       "Options:\n"
	       "  -y, --yes                remove (otherwise a dry run)\n"
	       "      --dry-run            list only (the default)\n"
	       "  -i, --include-idle       also remove idle keyed objects\n"
	       "  -u, --owner USER         only objects of this owner (name or UID)\n"
	       "  -k, --kind LIST          only these kinds: shm,sem,msg,pshm,psem,pmq\n"
	       "      --name GLOB          only POSIX objects whose name matches, e.g. 'psm_*'\n"
	       AGE_FILTER_HELP
	       "      --backup DIR         save each segment's contents and attributes first\n"
	       "      --log FILE           log each removal to FILE (default: syslog)\n"
	       "  -J, --json               JSON output\n"
	       "%s"
	       "  -h, --help               this help\n",
	       progname, ns_options_help);
}

static bool selected(const struct reap_opts *o, const struct ipcadm_obj *obj,
		     enum ipcadm_verdict v, int64_t now)
{
	if (v != IPCADM_ORPHANED && !(o->include_idle && v == IPCADM_IDLE))
		return false;
	if (IPCADM_IS_POSIX(obj->kind) && v == IPCADM_IDLE && !o->name && !o->posix_asked)
		return false; /* idle POSIX objects only when picked by name or kind */
	if (o->name && (!obj->name || fnmatch(o->name, obj->name, 0) != 0))
		return false;
	if (o->have_owner && obj->uid != o->owner)
		return false;
	return age_filter_match(&o->age, obj, now);
}

/* One removal's log line ("not removed" with why, when r is not 0: strerror or the
 * reason given), ending in '\n'. */
static size_t log_line(const struct reap_opts *o, char *line, size_t cap,
		       const struct ipcadm_obj *obj, enum ipcadm_verdict v, const char *evidence,
		       int r, const char *why)
{
	struct sbuf b;

	sbuf_init(&b, line, cap);
	if (o->logfd >= 0) {
		sbuf_i64(&b, (int64_t)time(NULL));
		sbuf_label_i64(&b, " ipcadm[", (int64_t)getpid());
		sbuf_puts(&b, "]: ");
	}
	sbuf_puts(&b, r ? "not removed " : "removed ");
	sbuf_puts(&b, ipcadm_kind_name(obj->kind));
	if (IPCADM_IS_POSIX(obj->kind)) {
		sbuf_puts(&b, " /");
		sbuf_escaped(&b, obj->name);
	} else {
		sbuf_label_i64(&b, " ", obj->id);
		sbuf_puts(&b, " key ");
		sbuf_key(&b, (uint32_t)obj->key);
	}
	if (r) {
		sbuf_puts(&b, ": ");
		sbuf_puts(&b, why ? why : strerror(-r));
		goto end;
	}
	sbuf_label_u64(&b, " uid ", obj->uid);
	sbuf_label_u64(&b, " gid ", obj->gid);
	if (!IPCADM_IS_POSIX(obj->kind)) {
		sbuf_label_u64(&b, " cuid ", obj->cuid);
		sbuf_label_u64(&b, " cgid ", obj->cgid);
	}
	sbuf_puts(&b, " mode ");
	sbuf_octal(&b, obj->mode & 0777);
	if (IPCADM_IS_POSIX(obj->kind))
		sbuf_label_i64(&b, " mtime ", obj->mtime);
	else
		sbuf_label_i64(&b, " ctime ", obj->ctime);
	sbuf_label_u64(&b, " size ", obj->size);
	if (!IPCADM_IS_POSIX(obj->kind)) {
		sbuf_label_u64(&b, " nsems ", obj->nsems);
		sbuf_label_u64(&b, " qnum ", obj->qnum);
	}
	sbuf_puts(&b, ": ");
	sbuf_puts(&b, ipcadm_verdict_name(v));
	sbuf_puts(&b, ": ");
	sbuf_escaped(&b, evidence); /* names in it: one line, nothing for a terminal */
end:
	if (obj->ipcns) {
		sbuf_label_u64(&b, " (IPC namespace ", obj->ipcns);
		sbuf_puts(&b, ")");
	}
	sbuf_puts(&b, "\n");
	line[b.len - 1] = '\n'; /* also when the line was cut */
	return b.len;
}

/* Writes one line to the log (or syslog); false when it could not be written whole. */
static bool log_write(const struct reap_opts *o, const struct ipcadm_obj *obj,
		      enum ipcadm_verdict v, const char *evidence, int r, const char *why)
{
	char line[4096]; /* a 255-byte name escaped takes 1020 */
	size_t len;
	ssize_t n;

	if (o->logfd < 0 && !o->use_syslog)
		return true;
	len = log_line(o, line, sizeof(line), obj, v, evidence, r, why);
	if (o->logfd < 0) {
		line[len - 1] = '\0';
		syslog(r ? LOG_WARNING : LOG_NOTICE, "%s", line);
		return true;
	}
	/* one write per line: never left in a buffer, and whole when threads append */
	do
		n = write(o->logfd, line, len);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)len)
		return true;
	__atomic_store_n(&log_failed, n < 0 ? errno : ENOSPC, __ATOMIC_RELAXED);
	return false;
}

/* Why an object with a new waiter was kept: found by the pass or by its counts. */
#define WAITER_CAME "a process began waiting on it"

static const char *outcome(int r)
{
	switch (r) {
	case 0:
		return "removed";
	case -ESTALE:
		return "skipped: it changed since the scan (in use)";
	case -EBUSY:
		return "skipped: " WAITER_CAME;
	case -ENOENT:
		return "skipped: already gone";
	case -EALREADY:
		return "skipped: already removed, freed at its last detach";
	case -ECANCELED:
		return "not removed: its log line could not be written";
	default:
		return NULL;
	}
}

/* ", IPC namespace N" for an object read with -A or -N. */
static const char *ns_words(const struct ipcadm_obj *obj)
{
	static char buf[48];

	buf[0] = '\0';
	if (obj->ipcns) /* rare: printf will do */
		snprintf(buf, sizeof(buf), ", IPC namespace %llu", (unsigned long long)obj->ipcns);
	return buf;
}

/* One object's line (or JSON element): what became of it, and why. */
static void report(const struct reap_opts *o, struct json *j, const struct ipcadm_obj *obj,
		   enum ipcadm_verdict v, const char *evidence, const char *what)
{
	bool posix = IPCADM_IS_POSIX(obj->kind);
	char line[4096]; /* a 255-byte name escaped takes 1020 */
	struct sbuf b;

	if (o->out.mode == OUT_JSON) {
		char key[16];

		json_object_begin(j, NULL);
		json_str(j, "kind", ipcadm_kind_name(obj->kind));
		if (posix) {
			json_str(j, "name", obj->name);
		} else {
			snprintf(key, sizeof(key), "0x%08x", (uint32_t)obj->key);
			json_i64(j, "id", obj->id);
			json_str(j, "key", key);
		}
		if (obj->ipcns)
			json_u64(j, "namespace", obj->ipcns);
		json_u64(j, "uid", obj->uid);
		json_str(j, "verdict", ipcadm_verdict_name(v));
		json_str(j, "action", what);
		json_str(j, "evidence", evidence);
		json_object_end(j);
		return;
	}
	sbuf_init(&b, line, sizeof(line));
	sbuf_puts(&b, what);
	sbuf_puts(&b, " ");
	sbuf_puts(&b, ipcadm_kind_name(obj->kind));
	if (posix) {
		sbuf_puts(&b, " /");
		sbuf_escaped(&b, obj->name);
		sbuf_label_u64(&b, " (uid ", obj->uid);
	} else {
		sbuf_label_i64(&b, " ", obj->id);
		sbuf_puts(&b, " (key ");
		sbuf_key(&b, (uint32_t)obj->key);
		sbuf_label_u64(&b, ", uid ", obj->uid);
	}
	sbuf_puts(&b, ns_words(obj));
	sbuf_puts(&b, "): ");
	sbuf_puts(&b, ipcadm_verdict_name(v));
	sbuf_puts(&b, ": ");
	sbuf_escaped(&b, evidence);
	sbuf_puts(&b, "\n");
	line[b.len - 1] = '\n'; /* also when the line was cut */
	obuf_write(out, line, b.len);
}

/* An object selected for removal, and what became of it. */
struct cand {
	const struct ipcadm_obj *obj;
	enum ipcadm_verdict v;
	const char *evidence;
	const char *skipped; /* kept by the last look for waiters: why */
	bool unchecked; /* the last look failed (r): not removed */
	int r;
};

struct removal {
	struct ipcadm_ctx *ctx;
	const struct reap_opts *o;
	const struct ipcadm_ns *ns;
	struct cand *c;
	int dirfd;
};

/* The candidate this thread (or the child it forked into a namespace) is removing. */
static __thread const struct cand *removing;
/* Or the POSIX candidates it removes in one batch, in order (remove_posix). */
static __thread struct cand *const *batch;
static __thread size_t batch_n, batch_at;

/* The candidate of obj, being removed: the batch's hooks come in its order. */
static const struct cand *removing_cand(const struct ipcadm_obj *obj)
{
	if (removing)
		return removing;
	for (size_t k = 0; k < batch_n; k++) {
		size_t i = (batch_at + k) % batch_n;

		if (batch[i]->obj == obj) {
			batch_at = i;
			return batch[i];
		}
	}
	return NULL;
}

static void test_delay(const char *name);

/* The remove hook: the log line goes out right before the removal, or nothing happens. */
static int log_before(void *arg, const struct ipcadm_obj *obj)
{
	const struct reap_opts *o = arg;
	const struct cand *c = removing_cand(obj);

	if (c == NULL || c->obj != obj)
		return -ECANCELED; /* not one of ours: never removed unlogged */
	if (__atomic_load_n(&log_failed, __ATOMIC_RELAXED))
		return -ECANCELED;
	if (!log_write(o, obj, c->v, c->evidence, 0, NULL))
		return -ECANCELED;
	test_delay("IPCADM_TEST_REAP_UNLINK_DELAY_MS");
	return 0;
}

static void log_after(void *arg, const struct ipcadm_obj *obj, int r)
{
	const struct cand *c = removing_cand(obj);

	/* -ESTALE: read again after its line was written, it had changed */
	if (r < 0 && c)
		log_write(arg, obj, c->v, c->evidence, r,
			  r == -ESTALE ? "it changed since the scan (in use)" : NULL);
}

/* POSIX objects are removed in one batch (remove_posix). */
static bool in_batch(const struct cand *c)
{
	return IPCADM_IS_POSIX(c->obj->kind);
}

/* Removes a candidate (read again right before, see remove.c), logged by the hook. */
static void remove_one(void *arg, size_t i)
{
	struct removal *rm = arg;
	struct cand *c = &rm->c[i];

	if (c->skipped || c->unchecked || in_batch(c))
		return; /* kept by the last look, or that look failed; or in the batch */
	if (__atomic_load_n(&log_failed, __ATOMIC_RELAXED)) {
		c->r = -ECANCELED;
		return;
	}
	removing = c;
	/* in its namespace (a child entering it), with the same checks */
	c->r = ipcadm_obj_remove_ns(rm->ctx, rm->ns, c->obj, rm->dirfd, c->evidence);
	removing = NULL;
	if (c->r == -ECANCELED && !__atomic_load_n(&log_failed, __ATOMIC_RELAXED))
		__atomic_store_n(&log_failed, EIO, __ATOMIC_RELAXED); /* a child's write failed */
	if (c->r == -EBUSY) /* a waiter counted at the last moment */
		log_write(rm->o, c->obj, c->v, c->evidence, c->r, WAITER_CAME);
}

/*
 * Removes the POSIX candidates (after the System V ones: the order of the report and the
 * log) with one pass over the processes for all of them, where one each took as many
 * passes. Each is logged by the hook right before its unlink.
 */
static void remove_posix(struct removal *rm, size_t n)
{
	const struct ipcadm_obj **objs;
	struct cand **bc;
	size_t m = 0;
	int *res, r;

	for (size_t i = 0; i < n; i++)
		m += in_batch(&rm->c[i]);
	if (m == 0)
		return;
	objs = malloc(m * sizeof(*objs));
	bc = malloc(m * sizeof(*bc));
	res = malloc(m * sizeof(*res));
	r = objs && bc && res ? 0 : -ENOMEM;
	if (__atomic_load_n(&log_failed, __ATOMIC_RELAXED))
		r = -ECANCELED; /* no pass: nothing would be logged, so nothing removed */
	m = 0;
	for (size_t i = 0; i < n; i++) {
		if (!in_batch(&rm->c[i]))
			continue;
		if (r < 0) {
			rm->c[i].r = r;
			continue;
		}
		bc[m] = &rm->c[i];
		objs[m++] = rm->c[i].obj;
	}
	if (r == 0) {
		batch = bc;
		batch_n = m;
		batch_at = 0;
		/* in its namespace (queues: a child entering it), with the same checks */
		r = ipcadm_posix_remove_many_ns(rm->ctx, rm->ns, objs, m, res);
		batch = NULL;
		batch_n = 0;
		for (size_t j = 0; j < m; j++)
			bc[j]->r = r < 0 ? r : res[j];
		/* a child's log line that could not be written: the rest is not removed */
		for (size_t j = 0; j < m; j++)
			if (bc[j]->r == -ECANCELED && !__atomic_load_n(&log_failed, __ATOMIC_RELAXED))
				__atomic_store_n(&log_failed, EIO, __ATOMIC_RELAXED);
	}
	free(objs);
	free(bc);
	free(res);
}

/* Whether a process can be blocked on the object: arrays and queues. */
static bool may_wait_on(const struct ipcadm_obj *obj)
{
	return obj->kind == IPCADM_SEM || obj->kind == IPCADM_MSG;
}

/*
 * The last look before the removals: when arrays or queues are to go, one pass over the
 * processes for any that began waiting on one of them since the scan. Those are kept, and
 * so are the queues when a process could not be inspected: nothing counts a queue's
 * waiters. The kernel counts an array's, and remove.c reads the counts again right before
 * its IPC_RMID, later than any pass could look; but not a waiter that was stopped (SIGSTOP,
 * a frozen cgroup), which left semop and goes back into it once continued: /proc still
 * shows it in the call.
 */
static void look_for_waiters(struct removal *rm, size_t n)
{
	const struct ipcadm_obj **objs = NULL;
	bool *waiting = NULL;
	size_t *at = NULL, m = 0;
	int r = -ENOMEM;

	for (size_t i = 0; i < n; i++)
		m += may_wait_on(rm->c[i].obj);
	if (m == 0)
		return; /* no pass */
	objs = malloc(m * sizeof(*objs));
	waiting = malloc(m * sizeof(*waiting));
	at = malloc(m * sizeof(*at));
	if (objs && waiting && at) {
		m = 0;
		for (size_t i = 0; i < n; i++)
			if (may_wait_on(rm->c[i].obj)) {
				at[m] = i;
				objs[m++] = rm->c[i].obj;
			}
		r = ipcadm_waiters_find(rm->ctx, objs, m, waiting);
	}
	for (size_t i = 0; r < 0 && i < n; i++)
		if (may_wait_on(rm->c[i].obj)) {
			rm->c[i].r = r;
			rm->c[i].unchecked = true;
		}
	for (size_t j = 0; r >= 0 && j < m; j++) {
		struct cand *c = &rm->c[at[j]];

		if (waiting[j])
			c->skipped = WAITER_CAME;
		else if (r > 0 && c->obj->kind == IPCADM_MSG)
			c->skipped = "waiters cannot be ruled out "
				     "(a process could not be inspected)";
		if (c->skipped)
			log_write(rm->o, c->obj, c->v, c->evidence, -EBUSY, c->skipped);
	}
	free(objs);
	free(waiting);
	free(at);
}

/*
 * Room in the log for the line of every candidate, before the first removal: a full disk
 * refuses the whole run rather than failing half-way. IPCADM_TEST_LOG_RESERVE=0 skips it,
 * so that tests can fill the disk in the middle of a run.
 */
static int log_reserve(const struct reap_opts *o, const struct cand *c, size_t n)
{
	const char *test = getenv("IPCADM_TEST_LOG_RESERVE");
	char line[4096];
	struct statvfs sv;
	struct stat st;
	off_t need = 0;

	if (o->logfd < 0 || n == 0 || (test && strcmp(test, "0") == 0))
		return 0;
	for (size_t i = 0; i < n; i++)
		need += (off_t)log_line(o, line, sizeof(line), c[i].obj, c[i].v,
					c[i].evidence, 0, NULL);
	need += 64 * (off_t)n; /* the clock and a "not removed" line or so */
	if (fstat(o->logfd, &st) < 0)
		return -errno;
	if (fallocate(o->logfd, FALLOC_FL_KEEP_SIZE, st.st_size, need) == 0)
		return 0;
	if (errno != EOPNOTSUPP && errno != ENOSYS)
		return -errno;
	if (fstatvfs(o->logfd, &sv) == 0 && (uint64_t)sv.f_bavail * sv.f_frsize < (uint64_t)need)
		return -ENOSPC;
	return 0;
}

/* Whether the removals may run at once: System V objects of our own namespace, without
 * backups (POSIX removal and backups write files; other namespaces take a child each). */
static bool removal_parallel(const struct removal *rm, size_t n)
{
	if (rm->dirfd >= 0 || (rm->ns && !rm->ns->self))
		return false;
	for (size_t i = 0; i < n; i++)
		if (IPCADM_IS_POSIX(rm->c[i].obj->kind))
			return false;
	return true;
}

/* Tests widen a window to race into it: IPCADM_TEST_REAP_DELAY_MS between the scan and
 * the last look for waiters, IPCADM_TEST_REAP_LATE_DELAY_MS between that look and the
 * removals, IPCADM_TEST_REAP_UNLINK_DELAY_MS between each log line and its removal. */
static void test_delay(const char *name)
{
	const char *ms = getenv(name);

	if (ms && *ms)
		usleep((useconds_t)strtoul(ms, NULL, 10) * 1000);
}

static int reap(struct ipcadm_ctx *ctx, const struct reap_opts *o, const struct ns_set *set,
		int dirfd)
{
	int64_t now = (int64_t)time(NULL);
	size_t n = 0, removed = 0, skipped = 0, failed = 0;
	struct cand *c = NULL;
	struct json j;
	bool stopped = false; /* by an error, before the last namespace */
	int r;

	if (o->yes)
		test_delay("IPCADM_TEST_REAP_DELAY_MS");

	json_init(&j, out);
	if (o->out.mode == OUT_JSON)
		json_array_begin(&j, NULL);
	for (size_t nv = 0; nv < set->n; nv++) {
		const struct ipcadm_snapshot *snap = set->v[nv].snap;
		const struct ipcadm_analysis *an = set->v[nv].an;
		struct removal rm = { ctx, o, NULL, NULL, dirfd };
		size_t nc = 0, total = 0;

		if (set->active)
			rm.ns = &set->v[nv].ns;
		for (int k = 0; k < IPCADM_NALL_KINDS; k++)
			total += ipcadm_snapshot_count(snap, k);
		free(c);
		c = calloc(total ? total : 1, sizeof(*c));
		if (c == NULL) {
			errorx("out of memory");
			stopped = true;
			break;
		}
		for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
			if (!(o->kinds & IPCADM_KIND_BIT(k)))
				continue;
			for (size_t i = 0; i < ipcadm_snapshot_count(snap, k); i++) {
				const struct ipcadm_obj *obj = ipcadm_snapshot_obj(snap, k, i);
				const char *evidence;
				enum ipcadm_verdict v = ipcadm_analysis_verdict(an, obj, &evidence);

				if (!selected(o, obj, v, now))
					continue;
				/* the journal's creator: words only, the verdict is the same */
				evidence = journal_evidence_keep(ctx, obj, evidence);
				c[nc++] = (struct cand){ .obj = obj, .v = v, .evidence = evidence };
			}
		}
		rm.c = c;
		if (o->yes && (r = log_reserve(o, c, nc)) < 0) {
			/* not one removal: the log could not record them */
			error_code(r, "cannot write log '%s'", o->log);
			stopped = true;
			break;
		}
		if (o->yes) {
			look_for_waiters(&rm, nc);
			test_delay("IPCADM_TEST_REAP_LATE_DELAY_MS");
			parallel_each(nc, removal_parallel(&rm, nc) ? 1024 : SIZE_MAX, remove_one,
				      &rm);
			remove_posix(&rm, nc);
		}
		for (size_t i = 0; i < nc; i++) {
			const char *what = o->yes ? outcome(c[i].r) : "would remove";
			char msg[256];

			if (o->yes && c[i].skipped) {
				snprintf(msg, sizeof(msg), "skipped: %s", c[i].skipped);
				what = msg;
				skipped++;
			} else if (o->yes && c[i].unchecked) {
				snprintf(msg, sizeof(msg),
					 "failed: cannot look for waiters: %s",
					 strerror(-c[i].r));
				what = msg;
				failed++;
			} else if (what == NULL) {
				snprintf(msg, sizeof(msg), "failed: %s", strerror(-c[i].r));
				what = msg;
				failed++;
			} else if (o->yes && c[i].r == 0) {
				removed++;
			} else if (o->yes) {
				skipped++;
			}
			report(o, &j, c[i].obj, c[i].v, c[i].evidence, what);
			n++;
		}
	}
	free(c);
	if (o->out.mode == OUT_JSON)
		json_finish(&j); /* a whole document, even when an error cut it short */
	if (stopped)
		return 1;
	if (o->out.mode != OUT_JSON && !o->yes)
		obuf_printf(out, "%zu object%s would be removed; add --yes to remove %s\n", n,
			    n == 1 ? "" : "s", n == 1 ? "it" : "them");
	else if (o->out.mode != OUT_JSON)
		obuf_printf(out, "%zu removed, %zu skipped, %zu failed\n", removed, skipped,
			    failed);
	return failed ? 1 : 0;
}

int cmd_reap(struct ipcadm_ctx *ctx, int argc, char **argv)
{
	enum { OPT_DRY = 0x200, OPT_OLDER, OPT_BACKUP, OPT_LOG, OPT_NAME };
	static const struct option longopts[] = {
		{ "yes", no_argument, NULL, 'y' },
		{ "dry-run", no_argument, NULL, OPT_DRY },
		{ "include-idle", no_argument, NULL, 'i' },
		{ "owner", required_argument, NULL, 'u' },
		{ "kind", required_argument, NULL, 'k' },
		{ "older-than", required_argument, NULL, OPT_OLDER },
		{ "backup", required_argument, NULL, OPT_BACKUP },
		{ "log", required_argument, NULL, OPT_LOG },
		{ "name", required_argument, NULL, OPT_NAME },
		NS_LONGOPTS,
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct reap_opts o = { .kinds = IPCADM_EVERY_KIND, .logfd = -1 };
	struct ipcadm_remove_hook hook = { log_before, log_after, &o };
	enum ipcadm_file_fault fault;
	struct ns_sel nss = { 0 };
	struct ns_set set = { 0 };
	bool dry = false;
	int c, r, dirfd = -1;

	while ((c = getopt_long(argc, argv, "yiu:k:Jh" NS_SHORTOPTS, longopts, NULL)) != -1) {
		r = ns_option("reap", c, optarg, &nss);
		if (r < 0)
			return EXIT_MISUSE;
		if (r > 0)
			continue;
		switch (c) {
		case 'y':
			o.yes = true;
			break;
		case OPT_DRY:
			dry = true;
			break;
		case 'i':
			o.include_idle = true;
			break;
		case 'u':
			if (ipcadm_user_lookup(ctx, optarg, &o.owner) < 0)
				return usage_error("reap", "unknown user '%s'", optarg);
			o.have_owner = true;
			break;
		case 'k':
			if (parse_kind_list(optarg, true, &o.kinds) < 0)
				return usage_error("reap",
						   "invalid kind list '%s' (shm,sem,msg,pshm,psem,pmq)",
						   optarg);
			o.posix_asked = (o.kinds & IPCADM_POSIX_KINDS) != 0;
			break;
		case OPT_NAME:
			o.name = optarg;
			break;
		case OPT_OLDER:
			if (age_filter_parse("reap", optarg, &o.age))
				return EXIT_MISUSE;
			break;
		case OPT_BACKUP:
			o.backup = optarg;
			break;
		case OPT_LOG:
			o.log = optarg;
			break;
		case 'J':
			o.out.mode = OUT_JSON;
			break;
		case 'h':
			reap_help();
			return 0;
		default:
			return usage_error("reap", "bad usage");
		}
	}
	if (optind < argc)
		return usage_error("reap", "unexpected argument '%s'", argv[optind]);
	if (dry)
		o.yes = false;
	if (o.yes && !ipcadm_ctx_is_live(ctx)) {
		errorx("cannot remove objects of a copied tree ('%s')", ipcadm_ctx_root(ctx));
		return 1;
	}
	if (o.yes && o.backup) {
		r = ipcadm_dir_open(o.backup, false, &dirfd, &fault);
		if (r == -ELOOP) {
			errorx("refusing backup directory '%s': a symbolic link", o.backup);
			return 1;
		}
		if (r < 0)
			return error_code(r, "cannot open backup directory '%s'", o.backup);
		if (fault != IPCADM_FILE_OK) {
			errorx("refusing backup directory '%s': %s", o.backup,
			       file_fault_words(fault));
			return 1;
		}
	}
	if (o.yes && o.log) {
		r = ipcadm_file_open(o.log, O_WRONLY | O_APPEND | O_CREAT, &o.logfd, &fault);
		if (r < 0 || fault != IPCADM_FILE_OK) {
			if (r == -ELOOP)
				errorx("refusing log '%s': a symbolic link", o.log);
			else if (r < 0)
				error_code(r, "cannot open log '%s'", o.log);
			else
				errorx("refusing log '%s': %s", o.log, file_fault_words(fault));
			if (dirfd >= 0)
				close(dirfd);
			return 1;
		}
	}
	/* Every kind is analysed (companions), whatever --kind selects for removal. */
	r = ns_set_read(ctx, &nss, IPCADM_SYSV_KINDS | (o.kinds & IPCADM_POSIX_KINDS),
			IPCADM_READ_SEMPIDS, 0, &set);
	if (set.n == 0)
		goto out;
	for (size_t v = 0; v < set.n; v++)
		for (int k = IPCADM_NSYSV_KINDS; k < IPCADM_NALL_KINDS; k++)
			if ((o.kinds & IPCADM_KIND_BIT(k)) && o.posix_asked &&
			    (k == IPCADM_PMQ || set.v[v].ns.self || !set.active))
				posix_read_failed(set.v[v].snap, k, true);
	if (o.yes && o.logfd < 0) {
		/* Without a syslog socket glibc would retry the connection for every line. */
		o.use_syslog = access("/dev/log", W_OK) == 0;
		if (o.use_syslog)
			openlog("ipcadm", LOG_PID | LOG_NDELAY, LOG_USER);
		else
			errorx("warning: no syslog socket (/dev/log): removals are not logged; "
			       "use --log FILE");
	}
	if (o.yes)
		ipcadm_ctx_set_remove_hook(ctx, &hook);
	r = reap(ctx, &o, &set, dirfd) || r;
	ipcadm_ctx_set_remove_hook(ctx, NULL);
	ns_set_free(&set);
out:
	if (o.logfd >= 0) {
		int err = log_failed ? log_failed : fsync(o.logfd) < 0 ? errno : 0;

		if (close(o.logfd) < 0 && err == 0)
			err = errno;
		if (err) {
			error_code(-err, "cannot write log '%s'", o.log);
			r = 1;
		}
	}
	if (dirfd >= 0)
		close(dirfd);
	return r;
}
