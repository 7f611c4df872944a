/* cmd-trace.c: `ipcadm trace`: the IPC calls processes make, one line each as they return;
 * a failing get call explained on the spot from its IPC namespace's state. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/shm.h>
#include <time.h>

#include "doctor-common.h"
#include "ipcadm-cli.h"
#include "ipcadm-journal.h"
#include "ipcadm-trace.h"
#include "journal.h"
#include "json.h"
#include "obuf.h"
#include "remedy.h"
#include "strutil.h"

enum { OPT_ERRORS = 0x300, OPT_NO_EXPLAIN, OPT_BUFFER, OPT_JOURNAL, OPT_RETENTION,
	OPT_JOURNAL_SIZE };

#define MAX_PIDS 64

static void trace_help(void)
{
	printf("Usage: %s trace [OPTIONS]\n\n"
	       "Follow the System V IPC calls (shmget, semget, msgget; IPC_RMID by\n"
	       "shmctl, semctl, msgctl; failures of shmat, semop, semtimedop, msgsnd,\n"
	       "msgrcv) and mq_open and mq_unlink as processes make them, one line each:\n"
	       "time, IPC namespace, the call and its arguments, the process, the result.\n"
	       "A get call that fails with ENOSPC or EINVAL is explained from the state of\n"
	       "its IPC namespace, as 'ipcadm check' and the doctor explain it. Uses the\n"
	       "kernel's syscall tracepoints in a tracefs instance of its own, removed on\n"
	       "exit; root only. Calls of 32-bit programs are not seen on x86-64.\n\n"
	       "Options:\n"
	       "      --errors             failed calls only (the default)\n"
	       "  -a, --all                successful calls too, and the routine failures\n"
	       "                           of operations (EAGAIN, EINTR, ENOMSG)\n"
	       "  -p, --pid PID            only PID and its descendants (repeatable; PIDs\n"
	       "                           as the initial PID namespace numbers them)\n"
	       "  -N, --namespace PID|PATH only calls made in that IPC namespace\n"
	       "  -d, --duration TIME      stop after TIME (s, m, h, d; seconds when bare)\n"
	       "      --no-explain         do not read the state to explain failures\n"
	       "      --buffer-size KB     the kernel's buffer per CPU (default 2048)\n"
	       "  -J, --json               one JSON object a line\n"
	       "      --journal [FILE]     record who made each object and its removal in\n"
	       "                           FILE (default " IPCADM_JOURNAL_PATH ")\n"
	       "      --retention TIME     forget removed objects after TIME (default 30d)\n"
	       "      --journal-size SIZE  keep the journal below SIZE (default 64M)\n"
	       "  -h, --help               this help\n",
	       progname);
}

#define JOURNAL_RETENTION (30 * 86400)
#define JOURNAL_SIZE (64ULL << 20)
#define JOURNAL_PRUNE_EVERY 3600 /* seconds */

struct trace_run {
	struct ipcadm_ctx *ctx;
	struct ipcadm_trace *t;
	bool json, explain;
	bool print_all; /* --all: with a journal the kernel passes every call, we print fewer */
	struct ipcadm_journal *journal;
	const char *journal_path;
	int journal_err; /* the last error writing it, reported once */
	int64_t retention, next_prune;
	uint64_t journal_size;
	uint64_t only_ns; /* -N: 0 for every namespace */
	int write_err;
	/* the last explanation, reused for the same failure within a second */
	uint64_t last_ns;
	enum ipcadm_call last_call;
	int64_t last_ret, last_time;
	char why[1024];
};

static volatile sig_atomic_t interrupted;
static struct ipcadm_trace *running;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
	if (running)
		ipcadm_trace_stop(running);
}

static const char *errno_text(int64_t ret)
{
	const char *n = strerrorname_np((int)-ret);

	return n ? n : "E?";
}

/* ---- the call, in words ---- */

static void put_key(int32_t key)
{
	if (key == IPC_PRIVATE)
		obuf_puts(out, "IPC_PRIVATE");
	else
		obuf_printf(out, "0x%08x", (uint32_t)key);
}

struct flag_name {
	int bit;
	const char *name;
};

/* Named bits joined by '|', then the mode bits in octal when mode is set. */
static void put_flags(int flags, const struct flag_name *names, bool mode)
{
	bool any = false;

	for (; names->name; names++) {
		if (!(flags & names->bit))
			continue;
		obuf_printf(out, "%s%s", any ? "|" : "", names->name);
		flags &= ~names->bit;
		any = true;
	}
	if (mode) {
		obuf_printf(out, "%s0%o", any ? "|" : "", (unsigned int)flags & 0777);
		flags &= ~0777;
		any = true;
	}
	if (flags)
		obuf_printf(out, "%s%#x", any ? "|" : "", (unsigned int)flags);
	else if (!any)
		obuf_putc(out, '0');
}

static const struct flag_name get_flags[] = {
	{ IPC_CREAT, "IPC_CREAT" }, { IPC_EXCL, "IPC_EXCL" }, { 04000, "SHM_HUGETLB" },
	{ 010000, "SHM_NORESERVE" }, { 0, NULL },
};
static const struct flag_name sem_get_flags[] = {
	{ IPC_CREAT, "IPC_CREAT" }, { IPC_EXCL, "IPC_EXCL" }, { 0, NULL },
};
static const struct flag_name shmat_flags[] = {
	{ SHM_RDONLY, "SHM_RDONLY" }, { SHM_RND, "SHM_RND" }, { 040000, "SHM_REMAP" },
	{ 0100000, "SHM_EXEC" }, { 0, NULL },
};
static const struct flag_name msg_flags[] = {
	{ IPC_NOWAIT, "IPC_NOWAIT" }, { MSG_NOERROR, "MSG_NOERROR" },
	{ 020000, "MSG_EXCEPT" }, { 040000, "MSG_COPY" }, { 0, NULL },
};
static const struct flag_name mq_flags[] = {
	{ O_WRONLY, "O_WRONLY" }, { O_RDWR, "O_RDWR" }, { O_CREAT, "O_CREAT" },
	{ O_EXCL, "O_EXCL" }, { O_NONBLOCK, "O_NONBLOCK" }, { O_CLOEXEC, "O_CLOEXEC" },
	{ 0, NULL },
};

static void put_mq_name(const struct ipcadm_trace_event *e)
{
	if (e->name[0] == '\0') {
		obuf_putc(out, '?');
		return;
	}
	/* glibc passes the name without its leading '/' */
	obuf_puts(out, "\"/");
	obuf_text(out, e->name);
	obuf_putc(out, '"');
}

static void put_call(const struct ipcadm_trace_event *e)
{
	obuf_printf(out, "%s(", ipcadm_call_name(e->call));
	switch (e->call) {
	case IPCADM_CALL_SHMGET:
	case IPCADM_CALL_SEMGET:
		put_key(e->key);
		obuf_printf(out, ", %llu, ", (unsigned long long)e->size);
		put_flags(e->flags, e->call == IPCADM_CALL_SHMGET ? get_flags : sem_get_flags,
			  true);
		break;
	case IPCADM_CALL_MSGGET:
		put_key(e->key);
		obuf_puts(out, ", ");
		put_flags(e->flags, sem_get_flags, true);
		break;
	case IPCADM_CALL_SHMCTL:
	case IPCADM_CALL_SEMCTL:
	case IPCADM_CALL_MSGCTL:
		obuf_printf(out, "%d, IPC_RMID", e->id);
		break;
	case IPCADM_CALL_SHMAT:
		obuf_printf(out, "%d, ", e->id);
		put_flags(e->flags, shmat_flags, false);
		break;
	case IPCADM_CALL_SEMOP:
	case IPCADM_CALL_SEMTIMEDOP:
		obuf_printf(out, "%d, %llu op%s", e->id, (unsigned long long)e->size,
			    e->size == 1 ? "" : "s");
		break;
	case IPCADM_CALL_MSGSND:
		obuf_printf(out, "%d, %llu bytes, ", e->id, (unsigned long long)e->size);
		put_flags(e->flags, msg_flags, false);
		break;
	case IPCADM_CALL_MSGRCV:
		obuf_printf(out, "%d, %llu bytes, type %ld, ", e->id,
			    (unsigned long long)e->size, e->msgtyp);
		put_flags(e->flags, msg_flags, false);
		break;
	case IPCADM_CALL_MQ_OPEN:
		put_mq_name(e);
		obuf_puts(out, ", ");
		put_flags(e->flags, mq_flags, false);
		if (e->flags & O_CREAT)
			obuf_printf(out, ", 0%o", e->mode & 07777);
		break;
	case IPCADM_CALL_MQ_UNLINK:
		put_mq_name(e);
		break;
	default:
		break;
	}
	obuf_putc(out, ')');
}

/* ---- the explanation of a failing get call ---- */

/* The doctor's remedy for the limit: a reap of orphans first, else its first one. */
static void add_remedy(struct ipcadm_ctx *ctx, const struct ipcadm_snapshot *snap,
		       const struct ipcadm_ns *ns, enum ipcadm_limit limit, char *buf,
		       size_t len)
{
	struct ipcadm_doctor_opts dopts;
	const char *name = ipcadm_limit_name(limit);
	struct ipcadm_findings *f;
	size_t n = strlen(buf);
	char fix[512];

	if (name == NULL)
		return;
	ipcadm_doctor_opts_init(&dopts);
	if (doctor_diagnose(ctx, snap, &dopts, true, &f, NULL) < 0)
		return;
	for (size_t i = 0; i < ipcadm_findings_count(f); i++) {
		const struct ipcadm_finding *x = ipcadm_findings_get(f, i);
		const struct ipcadm_remedy *pick = NULL;

		if (x->type != IPCADM_FINDING_LIMIT || strcmp(x->name, name) != 0 ||
		    x->nremedies == 0)
			continue;
		for (size_t j = 0; j < x->nremedies && !pick; j++)
			if (x->remedies[j].type == IPCADM_REMEDY_REAP && x->remedies[j].reap.yes)
				pick = &x->remedies[j];
		if (pick == NULL)
			pick = &x->remedies[0];
		/* in another namespace, the command acts there; without a process in it no
		 * command can reach it */
		if (ns->self || ns->pid > 0) {
			remedy_format(pick, ns, false, fix, sizeof(fix));
			snprintf(buf + n, len - n, "; fix: %s%s%s%s", fix, pick->reason ? " (" : "",
				 pick->reason ? pick->reason : "", pick->reason ? ")" : "");
		}
		break;
	}
	ipcadm_findings_free(f);
}

static bool worth_explaining(const struct ipcadm_trace_event *e)
{
	if (!ipcadm_call_is_get(e->call) || e->ret >= 0)
		return false;
	if (e->ret == -ENOSPC)
		return true;
	/* EINVAL tells of a limit only for a new object (an existing one may be smaller) */
	return e->ret == -EINVAL && (e->key == IPC_PRIVATE || (e->flags & IPC_CREAT));
}

static void explain(struct trace_run *run, const struct ipcadm_trace_event *e)
{
	enum ipcadm_kind kind = ipcadm_call_kind(e->call);
	struct ipcadm_snapshot *snap;
	struct ipcadm_prediction p;
	struct ipcadm_ns ns;
	int r;

	run->why[0] = '\0';
	r = ipcadm_trace_ns(run->t, e->ipcns, &ns);
	if (r < 0) {
		snprintf(run->why, sizeof(run->why),
			 "its IPC namespace could not be read (it is gone)");
		return;
	}
	r = ipcadm_snapshot_read_ns(run->ctx, &ns, IPCADM_KIND_BIT(kind), DOCTOR_READ(true),
				    &snap);
	if (r < 0) {
		snprintf(run->why, sizeof(run->why),
			 "its IPC namespace could not be read: %s", strerror(-r));
		return;
	}
	r = ipcadm_predict_get(snap, kind, e->size, &p);
	if (r < 0) {
		snprintf(run->why, sizeof(run->why), "a limit of %s could not be read",
			 ipcadm_call_name(e->call));
	} else if (p.err == 0) {
		snprintf(run->why, sizeof(run->why),
			 "no limit stands in the way now: objects were removed since");
	} else {
		size_t n = 0;

		if (p.err != e->ret)
			n = (size_t)snprintf(run->why, sizeof(run->why),
					     "now it would get %s: ", errno_text(p.err));
		ipcadm_prediction_explain(&p, run->why + n, sizeof(run->why) - n);
		if (p.err == -ENOSPC)
			add_remedy(run->ctx, snap, &ns, p.limit, run->why, sizeof(run->why));
	}
	ipcadm_snapshot_free(snap);
}

/* ---- one event ---- */

static void print_text(const struct trace_run *run, const struct ipcadm_trace_event *e,
		       bool why)
{
	time_t sec = (time_t)(e->time_ns / 1000000000);
	struct tm tm;
	char ts[32];

	localtime_r(&sec, &tm);
	strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
	obuf_printf(out, "%s.%06ld ", ts, (long)(e->time_ns % 1000000000 / 1000));
	if (e->ipcns)
		obuf_printf(out, "ipc:%llu ", (unsigned long long)e->ipcns);
	else
		obuf_puts(out, "ipc:? ");
	put_call(e);
	obuf_puts(out, " by ");
	if (e->comm[0])
		obuf_text(out, e->comm);
	else
		obuf_puts(out, "?");
	obuf_printf(out, "[%d]: ", (int)e->pid);
	if (e->ret < 0)
		obuf_printf(out, "%s (%s)", errno_text(e->ret), strerror((int)-e->ret));
	else if (e->call == IPCADM_CALL_MQ_OPEN)
		obuf_printf(out, "fd %lld", (long long)e->ret);
	else
		obuf_printf(out, "%lld", (long long)e->ret);
	if (why) { /* its remedy may name an owner from the directory service */
		obuf_puts(out, ": ");
		obuf_text(out, run->why);
	}
	obuf_putc(out, '\n');
}

/* The size-like argument of a call, and its name in JSON; NULL when it has none. */
static const char *size_name(enum ipcadm_call c)
{
	switch (c) {
	case IPCADM_CALL_SHMGET:
		return "size";
	case IPCADM_CALL_SEMGET:
		return "nsems";
	case IPCADM_CALL_SEMOP:
	case IPCADM_CALL_SEMTIMEDOP:
		return "nsops";
	case IPCADM_CALL_MSGSND:
	case IPCADM_CALL_MSGRCV:
		return "msgsz";
	default:
		return NULL;
	}
}

static void print_json(const struct trace_run *run, const struct ipcadm_trace_event *e,
		       bool why)
{
	enum ipcadm_call c = e->call;
	const char *sz = size_name(c);
	char text[64];
	struct json j;
	int n;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	/* seconds with their microseconds: a number, as the kernel's clock gives it */
	n = snprintf(text, sizeof(text), "%lld.%06lld", (long long)(e->time_ns / 1000000000),
		     (long long)(e->time_ns % 1000000000 / 1000));
	json_raw(&j, "time", text, (size_t)n);
	json_i64(&j, "pid", e->pid);
	json_str(&j, "command", e->comm[0] ? e->comm : NULL);
	if (e->ipcns)
		json_u64(&j, "ipcns", e->ipcns);
	else
		json_null(&j, "ipcns");
	json_str(&j, "call", ipcadm_call_name(c));
	json_str(&j, "kind", ipcadm_kind_name(ipcadm_call_kind(c)));
	if (ipcadm_call_is_get(c)) {
		snprintf(text, sizeof(text), "0x%08x", (uint32_t)e->key);
		json_str(&j, "key", text);
	}
	if (!ipcadm_call_is_get(c) && ipcadm_call_kind(c) != IPCADM_PMQ)
		json_i64(&j, "id", e->id);
	if (c >= IPCADM_CALL_SHMCTL && c <= IPCADM_CALL_MSGCTL)
		json_str(&j, "cmd", "IPC_RMID");
	if (sz)
		json_u64(&j, sz, e->size);
	if (c == IPCADM_CALL_MSGRCV)
		json_i64(&j, "msgtyp", e->msgtyp);
	if (c == IPCADM_CALL_MQ_OPEN || c == IPCADM_CALL_MQ_UNLINK) {
		char name[sizeof(e->name) + 1];

		snprintf(name, sizeof(name), "/%s", e->name);
		json_str(&j, "name", e->name[0] ? name : NULL);
	}
	if (c != IPCADM_CALL_MQ_UNLINK && c != IPCADM_CALL_SEMOP &&
	    c != IPCADM_CALL_SEMTIMEDOP &&
	    !(c >= IPCADM_CALL_SHMCTL && c <= IPCADM_CALL_MSGCTL))
		json_i64(&j, "flags", e->flags);
	if (c == IPCADM_CALL_MQ_OPEN && (e->flags & O_CREAT))
		json_u64(&j, "mode", e->mode & 07777);
	if (e->ret < 0) {
		json_null(&j, "result");
		json_str(&j, "errno", errno_text(e->ret));
	} else {
		json_i64(&j, "result", e->ret);
		json_null(&j, "errno");
	}
	json_str(&j, "explanation", why ? run->why : NULL);
	json_finish(&j); /* one line per event (JSON Lines) */
}

/* What the kernel's filters pass without --all (lib/trace.c): failures, but the routine
 * ones of the operation calls. */
static bool printed_without_all(const struct ipcadm_trace_event *e)
{
	bool op = e->call >= IPCADM_CALL_SHMAT && e->call <= IPCADM_CALL_MSGRCV;

	if (e->ret >= 0)
		return false;
	return !op || (e->ret != -EAGAIN && e->ret != -EINTR && e->ret != -ENOMSG);
}

static void journal_event(struct trace_run *run, const struct ipcadm_trace_event *e)
{
	int r = ipcadm_journal_record(run->journal, e);

	if (r < 0 && run->journal_err == 0)
		errorx("cannot write journal '%s': %s", run->journal_path,
		       ipcadm_journal_error(run->journal));
	if (r < 0)
		run->journal_err = r;
}

static int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

/* Removed objects past the retention go, and the size bound holds: at start, then hourly. */
static void journal_prune(struct trace_run *run)
{
	int r;

	if (run->journal == NULL || now_s() < run->next_prune)
		return;
	run->next_prune = now_s() + JOURNAL_PRUNE_EVERY;
	r = ipcadm_journal_prune(run->journal, run->retention, run->journal_size);
	if (r < 0)
		errorx("cannot prune journal '%s': %s", run->journal_path,
		       ipcadm_journal_error(run->journal));
}

static int on_event(const struct ipcadm_trace_event *e, void *arg)
{
	struct trace_run *run = arg;
	bool why = false;
	int r;

	if (run->only_ns && e->ipcns != run->only_ns)
		return 0;
	if (run->journal)
		journal_event(run, e);
	if (!run->print_all && !printed_without_all(e))
		return 0;
	if (run->explain && worth_explaining(e)) {
		/* a storm of one failure is explained once a second */
		if (e->ipcns != run->last_ns || e->call != run->last_call ||
		    e->ret != run->last_ret || e->time_ns - run->last_time > 1000000000 ||
		    run->why[0] == '\0') {
			explain(run, e);
			run->last_ns = e->ipcns;
			run->last_call = e->call;
			run->last_ret = e->ret;
			run->last_time = e->time_ns;
		}
		why = run->why[0] != '\0';
	}
	if (run->json)
		print_json(run, e, why);
	else
		print_text(run, e, why);
	if (why) { /* the explanation took time: what came before it goes out now */
		r = obuf_flush(out);
		if (r < 0) {
			run->write_err = r;
			return 1;
		}
	}
	return 0;
}

/* What a read of the kernel's buffer printed goes out at its end: at once for a terminal
 * or a log shipper, in one write for many events. */
static int read_events(struct trace_run *run, bool final)
{
	int r = ipcadm_trace_read(run->t, final, on_event, run), w;

	w = obuf_flush(out);
	if (w < 0 && run->write_err == 0)
		run->write_err = w;
	return r;
}

/* ---- the command ---- */

static int start_error(int r, const struct ipcadm_trace_opts *o)
{
	switch (r) {
	case -EPERM:
	case -EACCES:
		errorx("cannot trace: following system calls needs root (write access to "
		       "/sys/kernel/tracing)");
		return 1;
	case -ENODEV:
		errorx("cannot trace: no tracefs at /sys/kernel/tracing; mount it with "
		       "'mount -t tracefs nodev /sys/kernel/tracing'");
		return 1;
	case -ENOENT:
		errorx("cannot trace: this kernel has no system call tracepoints "
		       "(CONFIG_FTRACE_SYSCALLS is off)");
		return 1;
	case -EXDEV:
		errorx("cannot trace inside a PID namespace: the kernel's events number "
		       "processes as the initial PID namespace does, and this /proc does not; "
		       "run 'ipcadm trace' on the host (--pid takes the PIDs ps shows there)");
		return 1;
	case -ESRCH:
		errorx("cannot trace: no process has %s PID given",
		       o->npids > 1 ? "a" : "the");
		return 1;
	case -EOPNOTSUPP:
		errorx("cannot trace: trace follows the running kernel, not a copied tree "
		       "(--root)");
		return EXIT_MISUSE;
	default:
		return error_code(r, "cannot trace");
	}
}

static void set_signals(void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler; /* no SA_RESTART: poll() returns at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int trace_loop(struct trace_run *run, int64_t duration)
{
	int64_t end = duration ? now_ms() + duration * 1000 : 0;
	int r = 0;

	while (!interrupted) {
		int64_t left = end ? end - now_ms() : 1000;

		if (left <= 0)
			break;
		/* a tenth of a second at most: events in a page not yet full wait that long */
		r = ipcadm_trace_wait(run->t, left > 100 ? 100 : (int)left);
		if (r < 0 && r != -EINTR)
			return error_code(r, "cannot wait for the kernel's events");
		r = read_events(run, false);
		if (run->write_err)
			return 1;
		journal_prune(run);
		if (r < 0)
			return error_code(r, "cannot read the kernel's events");
	}
	/* what came in until the end (a second signal cuts it short) */
	interrupted = 0;
	read_events(run, true);
	return run->write_err ? 1 : 0;
}

int cmd_trace(struct ipcadm_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "errors", no_argument, NULL, OPT_ERRORS },
		{ "all", no_argument, NULL, 'a' },
		{ "pid", required_argument, NULL, 'p' },
		{ "namespace", required_argument, NULL, 'N' },
		{ "duration", required_argument, NULL, 'd' },
		{ "no-explain", no_argument, NULL, OPT_NO_EXPLAIN },
		{ "buffer-size", required_argument, NULL, OPT_BUFFER },
		{ "json", no_argument, NULL, 'J' },
		{ "journal", optional_argument, NULL, OPT_JOURNAL },
		{ "retention", required_argument, NULL, OPT_RETENTION },
		{ "journal-size", required_argument, NULL, OPT_JOURNAL_SIZE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct trace_run run = { .ctx = ctx, .explain = true, .retention = JOURNAL_RETENTION,
				 .journal_size = JOURNAL_SIZE };
	struct ipcadm_trace_opts o = { 0 };
	pid_t pids[MAX_PIDS];
	const char *nsspec = NULL;
	int64_t duration = 0;
	uint64_t n;
	int c, r, rc;

	while ((c = getopt_long(argc, argv, "ap:N:d:Jh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ERRORS:
			o.flags &= ~IPCADM_TRACE_ALL;
			break;
		case 'a':
			o.flags |= IPCADM_TRACE_ALL;
			break;
		case OPT_JOURNAL:
			/* --journal=FILE, or --journal FILE (an operand is not taken otherwise) */
			if (optarg == NULL && optind < argc && argv[optind][0] != '-')
				optarg = argv[optind++];
			run.journal_path = optarg ? optarg : IPCADM_JOURNAL_PATH;
			if (run.journal_path[0] == '\0')
				return usage_error("trace", "empty journal path");
			break;
		case OPT_RETENTION:
			if (str_to_duration(optarg, &run.retention) < 0 || run.retention <= 0 ||
			    run.retention > 100LL * 365 * 86400)
				return usage_error("trace", "invalid retention '%s'", optarg);
			break;
		case OPT_JOURNAL_SIZE:
			if (str_to_size(optarg, &run.journal_size) < 0 ||
			    run.journal_size < 65536)
				return usage_error("trace", "invalid journal size '%s': 64K at "
							    "least", optarg);
			break;
		case 'p':
			if (str_to_u64(optarg, &n) < 0 || n == 0 || n > INT32_MAX)
				return usage_error("trace", "invalid PID '%s'", optarg);
			if (o.npids == MAX_PIDS)
				return usage_error("trace", "at most %d --pid", MAX_PIDS);
			pids[o.npids++] = (pid_t)n;
			break;
		case 'N':
			nsspec = optarg;
			break;
		case 'd':
			if (str_to_duration(optarg, &duration) < 0 || duration <= 0 ||
			    duration > INT32_MAX)
				return usage_error("trace", "invalid duration '%s'", optarg);
			break;
		case OPT_NO_EXPLAIN:
			run.explain = false;
			break;
		case OPT_BUFFER:
			if (str_to_u64(optarg, &n) < 0 || n < 4 || n > 1024 * 1024)
				return usage_error("trace", "invalid --buffer-size '%s': "
							    "4 to 1048576 KB", optarg);
			o.buffer_kb = (size_t)n;
			break;
		case 'J':
			run.json = true;
			break;
		case 'h':
			trace_help();
			return 0;
		default:
			return usage_error("trace", "bad usage");
		}
	}
	if (optind < argc)
		return usage_error("trace", "unexpected argument '%s'", argv[optind]);
	o.pids = pids;
	if (nsspec) {
		struct ipcadm_ns ns;

		r = ipcadm_ns_resolve(ctx, nsspec, &ns);
		if (r < 0)
			return error_code(r, "cannot find the IPC namespace of '%s'",
					  nsspec);
		run.only_ns = ns.ino;
	}
	run.print_all = o.flags & IPCADM_TRACE_ALL;
	if (run.journal_path) {
		enum ipcadm_file_fault fault;

		r = ipcadm_journal_open(run.journal_path, true, &run.journal, &fault);
		if (r < 0 || fault != IPCADM_FILE_OK)
			return journal_open_error(run.journal_path, r, fault, run.journal);
		o.flags |= IPCADM_TRACE_ALL; /* successful creations and removals */
		ipcadm_journal_run(run.journal, false);
		journal_prune(&run);
	}
	/* a closed pipe ends the trace, and its instance is removed */
	signal(SIGPIPE, SIG_IGN);
	set_signals(on_signal);
	r = ipcadm_trace_start(ctx, &o, &run.t);
	if (r < 0) {
		set_signals(SIG_DFL);
		if (run.journal)
			ipcadm_journal_run(run.journal, true);
		ipcadm_journal_close(run.journal);
		return start_error(r, &o);
	}
	running = run.t;
	/* on stderr, once the kernel records: scripts wait for this line */
	fprintf(stderr, "%s trace: following the IPC calls of %s (%s)\n", progname,
		o.npids ? "the processes given and their descendants" : "every process",
		run.print_all ? "all" : "failures only");
	if (run.journal)
		fprintf(stderr, "%s trace: recording creations and removals in '%s'\n",
			progname, run.journal_path);
	if (ipcadm_trace_misses_compat())
		fprintf(stderr, "%s trace: calls of 32-bit programs are not seen: the kernel "
				"does not trace compat system calls\n",
			progname);
	rc = interrupted ? 0 : trace_loop(&run, duration);
	running = NULL;
	if (ipcadm_trace_lost(run.t))
		fprintf(stderr, "%s trace: %llu events were lost (the kernel's buffer was "
				"full): use --pid or a larger --buffer-size\n",
			progname, (unsigned long long)ipcadm_trace_lost(run.t));
	ipcadm_trace_end(run.t);
	set_signals(SIG_DFL);
	if (run.journal) {
		ipcadm_journal_run(run.journal, true);
		ipcadm_journal_close(run.journal);
		if (run.journal_err && rc == 0)
			rc = 1;
	}
	return rc;
}
