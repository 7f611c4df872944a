/* verdict.c: the rules that judge each object (DESIGN.md, "Verdicts"), in one place:
 * in-use, maybe-in-use, idle, orphaned or unknown, each with the facts behind it. */
#include "analysis.h"
#include "sbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The permission bits a recorded use needed, for analysis_recorded() (the "other" class:
 * S_IROTH and S_IWOTH). */
#define PERM_READ 04u
#define PERM_WRITE 02u
#define PERM_ANY (PERM_READ | PERM_WRITE)

const char *ipcadm_verdict_name(enum ipcadm_verdict v)
{
	static const char *const names[] = { "in-use", "maybe-in-use", "idle", "orphaned",
					     "unknown" };

	return (unsigned int)v < sizeof(names) / sizeof(names[0]) ? names[v] : "?";
}

bool verdict_unattached_private(const struct ipcadm_obj *o)
{
	/* the kernel's own shm_rmid_forced candidates, minus the creator test */
	return o->kind == IPCADM_SHM && o->key == 0 && o->nattch == 0 &&
	       !(o->mode & IPCADM_SHM_DEST);
}

bool ipcadm_obj_busy(const struct ipcadm_analysis *a, const struct ipcadm_obj *o,
		     struct ipcadm_busy *why)
{
	uint64_t waiting = 0;

	why->how = IPCADM_BUSY_NO;
	why->count = 0;
	if (o->kind == IPCADM_SHM && o->nattch > 0) {
		why->how = IPCADM_BUSY_ATTACHED;
		why->count = o->nattch;
		return true;
	}
	if (a) {
		const struct ipcadm_holder *h;
		size_t n = ipcadm_analysis_holders(a, o, &h);

		for (size_t i = 0; i < n; i++)
			if (h[i].how & IPCADM_HOLD_WAITING)
				waiting++;
	}
	/* the semaphore counts as well, for waiters the process scan could not see */
	if (waiting == 0 && o->kind == IPCADM_SEM && o->sems)
		for (size_t i = 0; i < o->nsems; i++)
			waiting += (uint64_t)o->sems[i].ncnt + o->sems[i].zcnt;
	if (waiting == 0)
		return false;
	why->how = IPCADM_BUSY_WAITING;
	why->count = waiting;
	return true;
}

const char *analysis_blind_spot(const struct ipcadm_analysis *a)
{
	if (a->procs.hidden)
		return "/proc hides other users' processes (hidepid)";
	/* The kernel gives recorded PIDs in our PID namespace; a /proc mounted for another
	 * (unshare --pid without --mount-proc) numbers its own processes: no recorded PID
	 * can be looked up in it, whatever the admin says of their visibility. */
	if (a->procs.self != 0 && !a->procs.signals)
		return "/proc is mounted for another PID namespace than ipcadm's: recorded PIDs "
		       "cannot be looked up in it (mount a /proc of this one)";
	if (a->procs.unsettled)
		return "processes kept exiting and starting during the scan: one may have handed "
		       "it to a child that the scan missed";
	/* ipcadm cannot list the members of an IPC namespace: outside the initial PID
	 * namespace, processes of other PID namespaces may share ours unseen (the containers
	 * of one pod, `unshare --pid` alone). With -N or -A from the host, self is the
	 * host's PID namespace. A copied tree without self/ns/pid is taken as a whole
	 * machine; a live one whose namespace cannot be read is not. */
	if (!a->procs.all_visible &&
	    (a->procs.self_pidns ? a->procs.self_pidns != PROC_INIT_PID_NS : a->procs.self != 0))
		return "processes of other PID namespaces may use this IPC namespace; run ipcadm "
		       "where every process is visible (on the host with -N PID), or add "
		       "--all-visible";
	return NULL;
}

struct judgement {
	enum ipcadm_verdict v;
	char facts[512];
};

/* ", creator 4242 exited" or "... (PID now reused by sshd, which started after it and
 * has no permission to use it)": perm as for analysis_recorded(). */
static void describe_dead(struct ipcadm_analysis *a, struct sbuf *b, const char *role,
			  const struct ipcadm_obj *o, pid_t pid, unsigned int perm)
{
	struct proc *p = procs_find(&a->procs, pid);
	const char *why = p ? analysis_reused_why(a, o, p, perm) : NULL;

	if (pid <= 0)
		return;
	sbuf_puts(b, ", ");
	sbuf_puts(b, role);
	sbuf_label_i64(b, " ", pid);
	sbuf_puts(b, " exited");
	if (p && why) {
		sbuf_puts(b, " (PID now reused by ");
		sbuf_puts(b, p->comm);
		sbuf_puts(b, ", which started after it and ");
		sbuf_puts(b, why);
		sbuf_puts(b, ")");
	}
}

/* "key 0x00001234, " and what follows, at the start of the facts. */
static void facts_key(struct sbuf *b, struct judgement *j, const struct ipcadm_obj *o,
		      const char *what)
{
	sbuf_init(b, j->facts, sizeof(j->facts));
	sbuf_puts(b, "key ");
	sbuf_key(b, (uint32_t)o->key);
	sbuf_puts(b, what);
}

/* What the recorded PIDs of one object leave in doubt: the first one alive but younger
 * than its recorded use by the clocks, and the first one the kernel has but /proc hides. */
struct doubts {
	char late[256];
	char hidden[160];
};

/* Looks at one recorded PID (perm as for analysis_recorded()): the live recorded user
 * becomes a holder and true is returned; a doubt is noted in d. */
static bool recorded_pid(struct ipcadm_analysis *a, enum ipcadm_kind kind, size_t idx,
			 const struct ipcadm_obj *o, const char *role, pid_t pid, int64_t t,
			 unsigned int perm, unsigned int how, struct doubts *d)
{
	struct proc *p;

	if (pid <= 0)
		return false;
	switch (analysis_recorded(a, o, pid, t, perm, &p)) {
	case RECORDED_ALIVE:
		analysis_add_holder(a, kind, idx, p, how);
		return true;
	case RECORDED_LATE:
		analysis_add_holder(a, kind, idx, p, IPCADM_HOLD_POSSIBLE);
		if (d->late[0] == '\0')
			snprintf(d->late, sizeof(d->late),
				 "%s %d is alive (%s) but started %lld s after its recorded "
				 "use by the clocks; a clock step cannot be ruled out",
				 role, (int)pid, p->comm, (long long)(p->start - t));
		return false;
	case RECORDED_HIDDEN:
		if (d->hidden[0] == '\0')
			snprintf(d->hidden, sizeof(d->hidden),
				 "%s %d is alive but /proc hides it from us (hidepid)", role,
				 (int)pid);
		return false;
	default:
		return false;
	}
}

/* A recorded PID hidden by /proc is a blind spot: unknown. One alive but younger by the
 * clocks may be the recorded user after a clock step: maybe-in-use. */
static bool judge_doubts(const struct doubts *d, struct judgement *j)
{
	if (d->hidden[0] == '\0' && d->late[0] == '\0')
		return false;
	j->v = d->hidden[0] ? IPCADM_UNKNOWN_VERDICT : IPCADM_MAYBE_IN_USE;
	snprintf(j->facts, sizeof(j->facts), "%s", d->hidden[0] ? d->hidden : d->late);
	return true;
}

static int64_t max64(int64_t x, int64_t y)
{
	return x > y ? x : y;
}

/* ---- possible holders of private semaphore arrays and queues ---- */

/* A process runs as a uid when it is its real, effective or saved uid: a set-user-ID
 * program that lowered its effective uid (seteuid) takes the saved one back to use its
 * objects. The IPC permission checks read the effective uid only. */
static bool is_root(const struct proc *p)
{
	return p->ruid == 0 || p->euid == 0 || p->suid == 0;
}

static bool runs_as(const struct proc *p, uid_t uid)
{
	return p->uids_known && (p->ruid == uid || p->euid == uid || p->suid == uid);
}

/* Whether p runs as root, and not also as the object's (non-root) owner or creator: such a
 * process may use any object, so that alone makes it no holder. A thread of its own that
 * runs as a user who may use it (a root server's worker thread, given a user's
 * credentials for a request) makes it one. */
static bool root_only(struct ipcadm_analysis *a, struct proc *p,
		      const struct ipcadm_obj *o, unsigned int perm)
{
	return is_root(p) && !(o->uid != 0 && runs_as(p, o->uid)) &&
	       !(o->cuid != 0 && runs_as(p, o->cuid)) &&
	       !analysis_thread_user_may_use(a, o, p, perm);
}

/* Marks every ancestor of p. */
static void mark_ancestors(const struct procs *ps, const struct proc *p, bool *mark)
{
	size_t guard = 0;

	while (p && p->ppid > 0 && guard++ < 4096) {
		const struct proc *parent = procs_find(ps, p->ppid);

		if (parent == NULL || mark[parent - ps->v])
			break;
		mark[parent - ps->v] = true;
		p = parent;
	}
}

/* Whether p could be a holder of any object, whatever its permissions and start time. */
static bool may_hold_any(struct ipcadm_analysis *a, struct proc *p)
{
	if (p->gone || p->pid == a->procs.self || p->kthread || !p->uids_known)
		return false;
	if (p->pid == 1 && a->procs.pid1_is_init)
		return false; /* the system's init; a container's PID 1 is its application */
	return analysis_in_ns(a, p);
}

/*
 * The processes that may hold private objects of one owner, creator, group and mode (a
 * kind's use needs perm), by start time: built once per such class and kept for the next
 * objects, so judging many arrays of one owner costs a binary search each rather than a
 * pass over every process.
 */
struct cand_cache {
	uid_t uid, cuid;
	gid_t gid, cgid;
	unsigned int mode, perm;
	bool valid;
	bool *use; /* processes that may use the object (analysis_may_use()) */
	bool *mark; /* processes with a descendant that may use it, not as root */
	const struct proc **v;
	size_t n;
};

static int cmp_start(const void *x, const void *y)
{
	const struct proc *a = *(const struct proc *const *)x, *b = *(const struct proc *const *)y;

	return (a->start_ms > b->start_ms) - (a->start_ms < b->start_ms);
}

/*
 * Possible holders, their start time aside: processes that the kernel lets use it
 * (analysis_may_use(): as its owner or creator, by its group or other bits, or by
 * CAP_IPC_OWNER, which counts like ownership: a service given it uses others' objects
 * by their IDs, so it is a possible holder whoever made them). Root may use
 * anything: a root process holds a user's object only through a descendant that may use
 * it (a root master forks its workers), not because root made it (Apache's root
 * pre-daemon makes every mutex), unless the owner is root.
 */
static void candidates(struct ipcadm_analysis *a, struct cand_cache *c,
		       const struct ipcadm_obj *o, unsigned int perm)
{
	unsigned int mode = o->mode & 0777;
	size_t n = a->procs.n;

	if (c->valid && c->uid == o->uid && c->cuid == o->cuid && c->gid == o->gid &&
	    c->cgid == o->cgid && c->mode == mode && c->perm == perm)
		return;
	memset(c->mark, 0, n ? n : 1);
	for (size_t i = 0; i < n; i++) {
		struct proc *p = &a->procs.v[i];

		c->use[i] = may_hold_any(a, p) && analysis_may_use(a, o, p, perm);
		if (c->use[i] && !root_only(a, p, o, perm))
			mark_ancestors(&a->procs, p, c->mark);
	}
	c->n = 0;
	for (size_t i = 0; i < n; i++) {
		struct proc *p = &a->procs.v[i];

		if (c->use[i] && (!root_only(a, p, o, perm) || o->uid == 0 || c->mark[i]))
			c->v[c->n++] = p;
	}
	qsort(c->v, c->n, sizeof(*c->v), cmp_start);
	c->uid = o->uid;
	c->cuid = o->cuid;
	c->gid = o->gid;
	c->cgid = o->cgid;
	c->mode = mode;
	c->perm = perm;
	c->valid = true;
}

/*
 * Whether p may be a daemon whose parent exited (the process that made an object, forked
 * it and exited). /proc cannot tell a parent that adopted a process (PID 1, a subreaper)
 * from the one that forked it, so count p when it cannot be its original parent's child
 * or looks detached: its parent is PID 1, not visible, started after it, or runs in
 * another session (a subreaper such as systemd --user runs in a session of its own, and
 * daemons call setsid). A subreaper in p's own session is not told apart.
 */
static bool maybe_daemon(struct ipcadm_analysis *a, const struct proc *p)
{
	struct proc *parent;

	if (p->ppid <= 1)
		return true;
	parent = procs_find(&a->procs, p->ppid);
	if (parent == NULL || proc_load(&a->procs, parent, PROC_STAT) < 0)
		return true;
	return parent->sid != p->sid || parent->start_ms > p->start_ms;
}

/* The first candidate that started after t plus slack seconds. */
static size_t first_after(const struct ipcadm_analysis *a, const struct cand_cache *c,
			  int64_t t, int64_t slack)
{
	int64_t deadline = analysis_deadline(a, t, slack);
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->v[mid]->start_ms < deadline)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Adds possible holders (the first few by start time): processes that started by the
 * object's ctime (and the slack), and daemons that started up to a minute after it.
 * Returns how many there are of each. */
static size_t possible_holders(struct ipcadm_analysis *a, enum ipcadm_kind kind, size_t idx,
			       const struct ipcadm_obj *o, struct cand_cache *c, size_t *daemons)
{
	size_t early, late;

	candidates(a, c, o, PERM_ANY); /* semop with sem_op 0 reads; msgsnd writes */
	early = first_after(a, c, o->ctime, IPCADM_SLACK);
	late = first_after(a, c, o->ctime, IPCADM_DAEMON_SLACK);
	for (size_t i = 0; i < early && i < 5; i++)
		analysis_add_holder(a, kind, idx, c->v[i], IPCADM_HOLD_POSSIBLE);
	*daemons = 0;
	for (size_t i = early; i < late; i++) {
		if (!maybe_daemon(a, c->v[i]))
			continue;
		if ((*daemons)++ < 5)
			analysis_add_holder(a, kind, idx, c->v[i], IPCADM_HOLD_POSSIBLE);
	}
	return early;
}

/* ---- the rules ---- */

/* Appends to facts why starts later than the object count, when the wall clock was
 * stepped forward since boot. */
static void clock_note(const struct ipcadm_analysis *a, struct judgement *j)
{
	size_t len = strlen(j->facts);

	if (a->procs.clock_step_ms <= 0 || len >= sizeof(j->facts))
		return;
	snprintf(j->facts + len, sizeof(j->facts) - len,
		 " (the wall clock was stepped %lld s forward since boot: starts up to that "
		 "much later count)", (long long)(a->procs.clock_step_ms / 1000));
}

static void private_rule(struct ipcadm_analysis *a, enum ipcadm_kind kind, size_t idx,
			 const struct ipcadm_obj *o, struct cand_cache *dc, struct judgement *j)
{
	const char *blind = analysis_blind_spot(a);
	size_t n, daemons, len;

	if (blind) {
		j->v = IPCADM_UNKNOWN_VERDICT;
		snprintf(j->facts, sizeof(j->facts), "no evidence of use, but %s", blind);
		return;
	}
	if (o->key != 0) {
		j->v = IPCADM_IDLE;
		return;
	}
	n = possible_holders(a, kind, idx, o, dc, &daemons);
	if (n == 0 && daemons == 0) {
		j->v = IPCADM_ORPHANED;
		return;
	}
	j->v = IPCADM_MAYBE_IN_USE;
	len = strlen(j->facts);
	if (n > 0)
		len += (size_t)snprintf(j->facts + len, sizeof(j->facts) - len,
					"%s%zu live process%s that may use it started before it",
					len ? "; " : "", n, n == 1 ? "" : "es");
	if (daemons > 0 && len < sizeof(j->facts))
		snprintf(j->facts + len, sizeof(j->facts) - len,
			 "%s%zu daemon%s that may use it (parent exited, or another session) "
			 "started less than %d s after it", len ? "; " : "", daemons,
			 daemons == 1 ? "" : "s", IPCADM_DAEMON_SLACK);
	clock_note(a, j);
}

static void judge_shm(struct ipcadm_analysis *a, size_t idx, const struct ipcadm_obj *o,
		      struct judgement *j)
{
	struct obj_info *info = &a->info[IPCADM_SHM][idx];
	int64_t last = max64(o->atime, o->dtime);
	struct doubts d = { "", "" };
	const struct proc *lu = NULL;
	bool creator;
	struct sbuf b;

	creator = recorded_pid(a, IPCADM_SHM, idx, o, "creator", o->cpid, o->ctime, PERM_ANY,
			       IPCADM_HOLD_CREATOR, &d);
	if (recorded_pid(a, IPCADM_SHM, idx, o, "last user", o->lpid, last, PERM_READ,
			 IPCADM_HOLD_LAST_OP, &d))
		lu = procs_find(&a->procs, o->lpid);
	if (o->nattch > 0 || info->maps_found > 0) {
		j->v = IPCADM_IN_USE;
		if (o->nattch > info->maps_found)
			snprintf(j->facts, sizeof(j->facts),
				 "%llu of %llu attachments by processes not seen",
				 (unsigned long long)(o->nattch - info->maps_found),
				 (unsigned long long)o->nattch);
		return;
	}
	if (creator) { /* it knows the ID and may attach again */
		j->v = IPCADM_IN_USE;
		return;
	}
	if (o->cpid == 0 || (o->lpid == 0 && last != 0)) {
		j->v = IPCADM_UNKNOWN_VERDICT;
		snprintf(j->facts, sizeof(j->facts), "nattch 0, but its %s is outside this PID "
			 "namespace", o->cpid == 0 ? "creator" : "last user");
		return;
	}
	if (judge_doubts(&d, j))
		return;
	if (analysis_blind_spot(a)) {
		j->v = IPCADM_UNKNOWN_VERDICT;
		snprintf(j->facts, sizeof(j->facts), "nattch 0, but %s", analysis_blind_spot(a));
		return;
	}
	facts_key(&b, j, o, ", nattch 0");
	describe_dead(a, &b, "creator", o, o->cpid, PERM_ANY);
	if (lu) {
		/* With nattch 0 the last operation was a detach (shmdt, exit, exec): the live
		 * last user no longer maps it but knows its ID and may attach again, as an X
		 * server does with the segments of its MIT-SHM clients. No proof of use. */
		sbuf_label_i64(&b, "; last detached by ", lu->pid);
		sbuf_puts(&b, " (");
		sbuf_puts(&b, lu->comm);
		sbuf_puts(&b, "), which no longer maps it");
		info->detached_by = lu->pid;
		j->v = IPCADM_MAYBE_IN_USE;
		return;
	}
	if (o->lpid != o->cpid)
		describe_dead(a, &b, "last user", o, o->lpid, PERM_READ);
	j->v = o->key != 0 ? IPCADM_IDLE : IPCADM_ORPHANED;
}

static void judge_sem(struct ipcadm_analysis *a, size_t idx, const struct ipcadm_obj *o,
		      struct cand_cache *dc, struct judgement *j)
{
	int64_t t = max64(o->otime, o->ctime);
	long waiting = 0;
	bool used = false, any_pid = false;
	pid_t dead = 0;
	struct doubts d = { "", "" };
	struct sbuf b;

	if (a->info[IPCADM_SEM][idx].waiters) {
		j->v = IPCADM_IN_USE; /* a thread is blocked on it: proof enough */
		return;
	}
	if (o->sems == NULL && o->nsems > 0) {
		j->v = IPCADM_UNKNOWN_VERDICT;
		snprintf(j->facts, sizeof(j->facts), "semaphore values not readable%s%s",
			 o->sems_err ? ": " : "", o->sems_err ? strerror(-o->sems_err) : "");
		return;
	}
	for (size_t i = 0; i < o->nsems; i++) {
		const struct ipcadm_semval *s = &o->sems[i];

		waiting += s->ncnt + s->zcnt;
		if (s->pid <= 0)
			continue;
		any_pid = true;
		if (recorded_pid(a, IPCADM_SEM, idx, o, "last operator", s->pid, t, PERM_ANY,
				 IPCADM_HOLD_LAST_OP, &d))
			used = true;
		else if (dead == 0)
			dead = s->pid;
	}
	if (waiting > 0 || a->info[IPCADM_SEM][idx].waiters) {
		j->v = IPCADM_IN_USE;
		if (!a->info[IPCADM_SEM][idx].waiters)
			snprintf(j->facts, sizeof(j->facts), "%ld waiting (processes not seen)",
				 waiting);
		return;
	}
	if (used) {
		j->v = IPCADM_IN_USE;
		return;
	}
	if (!any_pid && o->otime != 0) {
		j->v = IPCADM_UNKNOWN_VERDICT;
		snprintf(j->facts, sizeof(j->facts),
			 "its last operator is outside this PID namespace");
		return;
	}
	if (judge_doubts(&d, j))
		return;
	facts_key(&b, j, o, ", no waiters");
	if (dead)
		describe_dead(a, &b, "last operator", o, dead, PERM_ANY);
	else
		sbuf_puts(&b, ", never operated on");
	private_rule(a, IPCADM_SEM, idx, o, dc, j);
}

static void judge_msg(struct ipcadm_analysis *a, size_t idx, const struct ipcadm_obj *o,
		      struct cand_cache *dc, struct judgement *j)
{
	bool used = false;
	struct doubts d = { "", "" };
	struct sbuf b;

	used |= recorded_pid(a, IPCADM_MSG, idx, o, "last sender", o->lspid, o->stime,
			     PERM_WRITE, IPCADM_HOLD_LAST_OP, &d);
	used |= recorded_pid(a, IPCADM_MSG, idx, o, "last receiver", o->lrpid, o->rtime,
			     PERM_READ, IPCADM_HOLD_LAST_OP, &d);
	if (used || a->info[IPCADM_MSG][idx].waiters) {
		j->v = IPCADM_IN_USE;
		return;
	}
	if ((o->lspid == 0 && o->stime != 0) || (o->lrpid == 0 && o->rtime != 0)) {
		j->v = IPCADM_UNKNOWN_VERDICT;
		snprintf(j->facts, sizeof(j->facts),
			 "its last sender or receiver is outside this PID namespace");
		return;
	}
	if (judge_doubts(&d, j))
		return;
	if (a->syscall_unreadable > 0) {
		j->v = IPCADM_UNKNOWN_VERDICT;
		snprintf(j->facts, sizeof(j->facts),
			 "waiters cannot be ruled out: %zu processes could not be inspected",
			 a->syscall_unreadable);
		return;
	}
	facts_key(&b, j, o, "");
	sbuf_label_u64(&b, ", ", o->qnum);
	sbuf_puts(&b, " messages, no waiters");
	describe_dead(a, &b, "last sender", o, o->lspid, PERM_WRITE);
	if (o->lrpid != o->lspid)
		describe_dead(a, &b, "last receiver", o, o->lrpid, PERM_READ);
	private_rule(a, IPCADM_MSG, idx, o, dc, j);
}

/* ---- POSIX objects ---- */

/* Processes of the rule's program that may hold a POSIX object it made for its own use:
 * running as the owner or as root (any owner), started no later than its ctime
 * plus the slack, or, when it may be a daemon whose parent exited, plus the daemon slack
 * (a program that makes its objects, then starts its daemon and exits, as for arrays).
 * The first few become possible holders; returns how many started early, and in *daemons
 * how many more may be such daemons. */
static size_t program_holders(struct ipcadm_analysis *a, enum ipcadm_kind kind, size_t idx,
			      const struct ipcadm_obj *o, const struct name_rule *r,
			      size_t *daemons)
{
	int64_t late = analysis_deadline(a, o->ctime, IPCADM_DAEMON_SLACK);
	size_t n = 0;

	*daemons = 0;
	for (size_t i = 0; i < a->procs.n; i++) {
		struct proc *p = &a->procs.v[i];
		bool early;

		if (proc_load(&a->procs, p, PROC_STAT | PROC_UIDS) < 0 || p->kthread ||
		    p->pid == a->procs.self || !p->uids_known)
			continue;
		/* root may open any name, and may have handed its object to another user */
		if (!runs_as(p, o->uid) && !is_root(p))
			continue;
		early = analysis_started_by(a, p, o->ctime);
		if ((!early && (p->start_ms >= late || !maybe_daemon(a, p))) ||
		    !name_rule_is_program(r, a->procs.procfd, p->pid, p->comm))
			continue;
		if (n + *daemons < 5)
			analysis_add_holder(a, kind, idx, p, IPCADM_HOLD_POSSIBLE);
		if (early)
			n++;
		else
			(*daemons)++;
	}
	return n;
}

static void judge_posix(struct ipcadm_analysis *a, enum ipcadm_kind k, size_t idx,
			const struct ipcadm_obj *o, struct judgement *j)
{
	const char *blind = analysis_blind_spot(a);
	const struct name_rule *r;
	size_t n, daemons;

	if (a->info[k][idx].maps_found > 0) {
		j->v = IPCADM_IN_USE;
		return;
	}
	j->v = IPCADM_UNKNOWN_VERDICT;
	if (blind) {
		snprintf(j->facts, sizeof(j->facts), "no process seen holding it, but %s", blind);
		return;
	}
	if (a->posix_unreadable > 0) {
		snprintf(j->facts, sizeof(j->facts),
			 "no process seen holding it, but %zu could not be inspected",
			 a->posix_unreadable);
		return;
	}
	if (a->names.bad_line) {
		snprintf(j->facts, sizeof(j->facts),
			 "no process holds it, but %s line %zu is malformed, so whether a program "
			 "made its name for its own use is not known", NAMES_CONF,
			 a->names.bad_line);
		return;
	}
	r = name_rules_match(&a->names, k, o->name);
	if (r == NULL) {
		j->v = IPCADM_IDLE;
		snprintf(j->facts, sizeof(j->facts),
			 "no process maps or opens it; its name is its key: a program may open "
			 "it again%s", k == IPCADM_PMQ && o->cbytes ? "; messages are queued" : "");
		return;
	}
	/* A generated name is known only to the program that made it and the processes it
	 * told: private, like a System V key 0. */
	a->info[k][idx].rule = r;
	n = program_holders(a, k, idx, o, r, &daemons);
	j->v = n || daemons ? IPCADM_MAYBE_IN_USE : IPCADM_ORPHANED;
	if (n)
		snprintf(j->facts, sizeof(j->facts),
			 "%s makes such names (%s) for its own use; nobody maps or opens it, but "
			 "%zu %s process%s of its owner started before it", r->program, r->shown,
			 n, r->program, n == 1 ? "" : "es");
	else if (daemons)
		snprintf(j->facts, sizeof(j->facts),
			 "%s makes such names (%s) for its own use; nobody maps or opens it, "
			 "but %zu %s daemon%s of its owner (parent exited, or another "
			 "session) started less than %d s after it", r->program, r->shown,
			 daemons, r->program, daemons == 1 ? "" : "s", IPCADM_DAEMON_SLACK);
	else
		snprintf(j->facts, sizeof(j->facts),
			 "%s makes such names (%s) for its own use; nobody maps or opens it, and "
			 "no %s process of its owner started before it", r->program, r->shown,
			 r->program);
	if (n || daemons)
		clock_note(a, j);
}

void posix_judge(struct ipcadm_analysis *a)
{
	for (int k = IPCADM_NSYSV_KINDS; k < IPCADM_NALL_KINDS; k++) {
		for (size_t i = 0; i < ipcadm_snapshot_count(a->snap, k); i++) {
			struct judgement j = { .v = IPCADM_UNKNOWN_VERDICT };

			judge_posix(a, (enum ipcadm_kind)k, i, ipcadm_snapshot_obj(a->snap, k, i),
				    &j);
			a->info[k][i].verdict = j.v;
			a->info[k][i].own_evidence = j.v == IPCADM_IN_USE;
			a->info[k][i].evidence = analysis_text_copy(a, j.facts);
		}
	}
}

/* ---- companions: objects made together with an in-use one ---- */

struct made {
	uid_t cuid;
	gid_t cgid;
	int64_t ctime;
	enum ipcadm_kind kind;
	int id;
};

static int cmp_made(const void *x, const void *y)
{
	const struct made *a = x, *b = y;

	if (a->cuid != b->cuid)
		return a->cuid < b->cuid ? -1 : 1;
	if (a->cgid != b->cgid)
		return a->cgid < b->cgid ? -1 : 1;
	return (a->ctime > b->ctime) - (a->ctime < b->ctime);
}

static int judge_companions(struct ipcadm_analysis *a)
{
	size_t n = 0, total = 0;
	struct made *m;
	char facts[1024];

	for (int k = 0; k < IPCADM_NSYSV_KINDS; k++)
		total += ipcadm_snapshot_count(a->snap, k);
	m = malloc((total ? total : 1) * sizeof(*m));
	if (m == NULL)
		return -ENOMEM;
	for (int k = 0; k < IPCADM_NSYSV_KINDS; k++) {
		for (size_t i = 0; i < ipcadm_snapshot_count(a->snap, k); i++) {
			const struct ipcadm_obj *o = ipcadm_snapshot_obj(a->snap, k, i);

			if (a->info[k][i].own_evidence)
				m[n++] = (struct made){ o->cuid, o->cgid, o->ctime, k, o->id };
		}
	}
	qsort(m, n, sizeof(*m), cmp_made);
	for (int k = 0; k < IPCADM_NSYSV_KINDS && n; k++) {
		for (size_t i = 0; i < ipcadm_snapshot_count(a->snap, k); i++) {
			const struct ipcadm_obj *o = ipcadm_snapshot_obj(a->snap, k, i);
			struct obj_info *info = &a->info[k][i];
			struct made key = { o->cuid, o->cgid, o->ctime, k, o->id };
			const struct made *hit;

			if (info->verdict != IPCADM_IDLE && info->verdict != IPCADM_ORPHANED)
				continue;
			hit = bsearch(&key, m, n, sizeof(*m), cmp_made);
			if (hit == NULL)
				continue;
			info->verdict = IPCADM_MAYBE_IN_USE;
			snprintf(facts, sizeof(facts), "%s", a->text + info->evidence);
			info->evidence = analysis_text(
				a, "made by the same creator in the same second as %s %d, which is "
				   "in use; %s",
				ipcadm_kind_name(hit->kind), hit->id, facts);
		}
	}
	free(m);
	return 0;
}

int verdicts_judge(struct ipcadm_analysis *a)
{
	struct cand_cache dc = { .use = calloc(a->procs.n ? a->procs.n : 1, 1),
				 .mark = calloc(a->procs.n ? a->procs.n : 1, 1),
				 .v = calloc(a->procs.n ? a->procs.n : 1, sizeof(*dc.v)) };

	if (dc.use == NULL || dc.mark == NULL || dc.v == NULL) {
		free(dc.use);
		free(dc.mark);
		free(dc.v);
		return -ENOMEM;
	}
	for (int k = 0; k < IPCADM_NSYSV_KINDS; k++) {
		for (size_t i = 0; i < ipcadm_snapshot_count(a->snap, k); i++) {
			const struct ipcadm_obj *o = ipcadm_snapshot_obj(a->snap, k, i);
			struct judgement j = { .v = IPCADM_UNKNOWN_VERDICT };

			if (k == IPCADM_SHM)
				judge_shm(a, i, o, &j);
			else if (k == IPCADM_SEM)
				judge_sem(a, i, o, &dc, &j);
			else
				judge_msg(a, i, o, &dc, &j);
			a->info[k][i].verdict = j.v;
			a->info[k][i].own_evidence = j.v == IPCADM_IN_USE;
			a->info[k][i].evidence = analysis_text_copy(a, j.facts);
		}
	}
	free(dc.use);
	free(dc.mark);
	free(dc.v);
	return judge_companions(a);
}
