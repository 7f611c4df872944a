/* holders.c: who holds each object: SysV mappings in /proc/PID/maps (same IPC namespace
 * only), processes blocked in semop/msgrcv/msgsnd, and what runs under a recorded PID;
 * and the last look for such waiters right before removals. */
#include "analysis.h"
#include "parallel.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the text arena and holder records ---- */

size_t analysis_text(struct ipcadm_analysis *a, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = a->tcap - a->tlen;

		va_start(ap, fmt);
		n = a->text ? vsnprintf(a->text + a->tlen, room, fmt, ap) : -1;
		va_end(ap);
		if (n >= 0 && (size_t)n < room) {
			size_t off = a->tlen;

			a->tlen += (size_t)n + 1;
			return off;
		}
		{
			size_t cap = a->tcap ? a->tcap * 2 : 1 << 16;
			char *nt;

			while (n >= 0 && cap - a->tlen <= (size_t)n)
				cap *= 2;
			nt = realloc(a->text, cap);
			if (nt == NULL)
				return 0;
			if (a->text == NULL)
				nt[0] = '\0', a->tlen = 1; /* offset 0 is the empty string */
			a->text = nt;
			a->tcap = cap;
		}
	}
}

size_t analysis_text_copy(struct ipcadm_analysis *a, const char *s)
{
	size_t n = strlen(s) + 1, off;

	if (a->tcap - a->tlen < n || a->text == NULL)
		return analysis_text(a, "%s", s); /* grows the arena */
	off = a->tlen;
	memcpy(a->text + off, s, n);
	a->tlen += n;
	return off;
}

static struct holder_rec *holder_recs_new(struct holder_recs *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct holder_rec *nr = realloc(l->v, cap * sizeof(*nr));

		if (nr == NULL)
			return NULL;
		l->v = nr;
		l->cap = cap;
	}
	return &l->v[l->n++];
}

static int holder_recs_append(struct holder_recs *to, const struct holder_recs *from)
{
	for (size_t i = 0; i < from->n; i++) {
		struct holder_rec *x = holder_recs_new(to);

		if (x == NULL)
			return -ENOMEM;
		*x = from->v[i];
	}
	return 0;
}

int holder_recs_add(struct holder_recs *l, enum ipcadm_kind kind, size_t idx,
		    const struct proc *p, unsigned int how)
{
	struct holder_rec *r = holder_recs_new(l);

	if (r == NULL)
		return -ENOMEM;
	r->kind = kind;
	r->idx = idx;
	r->h.pid = p->pid;
	r->h.uid = p->uids_known ? p->euid : (uid_t)-1;
	r->h.comm = p->comm; /* points into procs, which lives as long as the analysis */
	r->h.start_time = p->start;
	r->h.how = how;
	r->h.nmaps = (how & (IPCADM_HOLD_ATTACHED_RW | IPCADM_HOLD_ATTACHED_RO)) ? 1 : 0;
	return 0;
}

int analysis_add_holder(struct ipcadm_analysis *a, enum ipcadm_kind kind, size_t idx,
			const struct proc *p, unsigned int how)
{
	return holder_recs_add(&a->recs, kind, idx, p, how);
}

int64_t analysis_deadline(const struct ipcadm_analysis *a, int64_t t, int64_t slack)
{
	/* t is a whole second: the event happened before t + 1 */
	return (t + 1 + slack) * 1000 + a->procs.clock_step_ms;
}

bool analysis_started_by(const struct ipcadm_analysis *a, const struct proc *p, int64_t t)
{
	return p->start_ms < analysis_deadline(a, t, IPCADM_SLACK);
}

/* Whether a namespace (inode, 0 unknown) may be ipcns (either unknown: it may). */
static bool in_ns_ino(unsigned long ns, unsigned long ipcns)
{
	return ns == 0 || ipcns == 0 || ns == ipcns;
}

/* Whether p may be in the IPC namespace ipcns. */
static bool in_ns(const struct proc *p, unsigned long ipcns)
{
	return in_ns_ino(p->ipcns, ipcns);
}

/* Whether some thread of p other than its main one may be in the IPC namespace ipcns. */
static bool threads_in_ns(struct procs *ps, struct proc *p, unsigned long ipcns)
{
	if (p->num_threads <= 1)
		return false;
	if (proc_load(ps, p, PROC_THREAD_NS) < 0 || p->ntns < 0)
		return true;
	for (int i = 0; i < p->ntns; i++)
		if (in_ns_ino(p->tns[i], ipcns))
			return true;
	return false;
}

bool analysis_in_ns(struct ipcadm_analysis *a, struct proc *p)
{
	unsigned long ns = a->procs.self_ipcns;

	return in_ns(p, ns) || threads_in_ns(&a->procs, p, ns);
}

/* Whether p is, or may make itself, a member of group gid: its real, effective or saved
 * gid (setegid takes either back), or one of its supplementary groups, read only now that
 * they matter. Groups that cannot be read count as every group. */
static bool in_group(struct ipcadm_analysis *a, struct proc *p, gid_t gid)
{
	if (p->rgid == gid || p->egid == gid || p->sgid == gid)
		return true;
	if (proc_load(&a->procs, p, PROC_GROUPS) < 0 || p->ngroups < 0)
		return true;
	for (int i = 0; i < p->ngroups; i++)
		if (p->groups[i] == gid)
			return true;
	return false;
}

/* Whether any of uids r, e and s is root (CAP_IPC_OWNER), or o's owner or creator (who
 * may always use it, or IPC_SET its mode), now or once it takes back its saved uid. */
static bool uid_may_use(const struct ipcadm_obj *o, uid_t r, uid_t e, uid_t s)
{
	uid_t u[3] = { r, e, s };

	for (int i = 0; i < 3; i++)
		if (u[i] == 0 || u[i] == o->uid || u[i] == o->cuid)
			return true;
	return false;
}

/* in_group() for the credentials of a thread, read already. */
static bool cred_in_group(const struct proc_cred *c, gid_t gid)
{
	if (c->rgid == gid || c->egid == gid || c->sgid == gid)
		return true;
	for (int i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

/* analysis_may_use() for one thread's credentials. */
static bool cred_may_use(const struct ipcadm_obj *o, const struct proc_cred *c,
			 unsigned int perm)
{
	if (uid_may_use(o, c->ruid, c->euid, c->suid) || (o->mode & perm))
		return true;
	return (o->mode & perm << 3) &&
	       (cred_in_group(c, o->gid) || cred_in_group(c, o->cgid));
}

static bool cred_runs_as(const struct proc_cred *c, uid_t uid)
{
	return c->ruid == uid || c->euid == uid || c->suid == uid;
}

/* Whether c runs as root, and not also as o's (non-root) owner or creator. */
static bool cred_root_only(const struct proc_cred *c, const struct ipcadm_obj *o)
{
	return cred_runs_as(c, 0) && !(o->uid != 0 && cred_runs_as(c, o->uid)) &&
	       !(o->cuid != 0 && cred_runs_as(c, o->cuid));
}

/* Whether some thread of p other than its main one may use o; non_root: other than as
 * root, unless as its owner or creator (root_only() in verdict.c). Threads that cannot
 * be read may. */
static bool threads_may_use(struct ipcadm_analysis *a, const struct ipcadm_obj *o,
			    struct proc *p, unsigned int perm, bool non_root)
{
	if (!threads_in_ns(&a->procs, p, a->procs.self_ipcns))
		return false; /* none, or none in our namespace: nothing more to read */
	if (proc_load(&a->procs, p, PROC_THREADS) < 0 || p->ntcreds < 0)
		return true;
	for (int i = 0; i < p->ntcreds; i++) {
		const struct proc_cred *c = &p->tcreds[i];

		if (!in_ns_ino(c->ipcns, a->procs.self_ipcns) || !cred_may_use(o, c, perm))
			continue;
		if (!non_root || !cred_root_only(c, o))
			return true;
	}
	return false;
}

bool analysis_may_use(struct ipcadm_analysis *a, const struct ipcadm_obj *o, struct proc *p,
		      unsigned int perm)
{
	if (!p->uids_known)
		return true;
	/* credentials and namespaces are a thread's own: /proc/PID/status and ns/ipc say
	 * the main thread's */
	if (!in_ns(p, a->procs.self_ipcns))
		return threads_may_use(a, o, p, perm, false);
	if (uid_may_use(o, p->ruid, p->euid, p->suid))
		return true;
	/* ipcperms(): the other bits for everyone else, the group bits for members of its
	 * group or its creator's. The kernel gives a member the group bits only, even when
	 * the other bits grant more: a member that may leave the group (setegid) is not
	 * told apart, so the other bits count for members too, which errs toward use. */
	if (o->mode & perm)
		return true;
	if ((o->mode & perm << 3) && (in_group(a, p, o->gid) || in_group(a, p, o->cgid)))
		return true;
	/* Then ns_capable(CAP_IPC_OWNER), as root: a service run under its own uid with that
	 * capability (systemd's AmbientCapabilities=) uses other users' objects. Its status
	 * is read only now that nothing else answers (with its groups, when they were). */
	if (procs_ipc_owner(&a->procs, p))
		return true;
	return threads_may_use(a, o, p, perm, false);
}

bool analysis_thread_user_may_use(struct ipcadm_analysis *a, const struct ipcadm_obj *o,
				  struct proc *p, unsigned int perm)
{
	return threads_may_use(a, o, p, perm, true);
}

const char *analysis_reused_why(struct ipcadm_analysis *a, const struct ipcadm_obj *o,
				struct proc *p, unsigned int perm)
{
	if (!analysis_in_ns(a, p))
		return "runs in another IPC namespace";
	if (analysis_may_use(a, o, p, perm))
		return NULL;
	return "has no permission to use it";
}

/* Whether the kernel has a process or thread with this PID, which /proc did not show. */
static bool kernel_has_pid(const struct ipcadm_analysis *a, pid_t pid)
{
	if (!a->procs.signals)
		return false; /* a copied tree, or a /proc of another PID namespace */
	return kill(pid, 0) == 0 || errno == EPERM;
}

enum recorded analysis_recorded(struct ipcadm_analysis *a, const struct ipcadm_obj *o,
				pid_t pid, int64_t t, unsigned int perm, struct proc **pp)
{
	struct proc *p = procs_find(&a->procs, pid);

	*pp = p;
	if (p == NULL || proc_load(&a->procs, p, PROC_ALL) < 0) {
		*pp = NULL;
		return kernel_has_pid(a, pid) ? RECORDED_HIDDEN : RECORDED_DEAD;
	}
	if (analysis_started_by(a, p, t))
		return RECORDED_ALIVE;
	/* Younger by the clocks: object times are wall-clock seconds and a process's start
	 * is counted from boot, so a stepped clock makes the recorded user look younger.
	 * Only what the process cannot do proves that the PID was reused. */
	return analysis_reused_why(a, o, p, perm) ? RECORDED_REUSED : RECORDED_LATE;
}

/* ---- id lookup ---- */

struct id_slot {
	int id;
	size_t idx; /* index + 1, 0 = empty */
};

/* IDs of one kind to an index: the snapshot's objects, or the objects about to go. */
struct id_map {
	struct id_slot *slot;
	size_t mask;
	const struct ipcadm_obj *objs; /* the snapshot's objects of the kind, or NULL */
};

static int id_map_alloc(struct id_map *m, size_t n)
{
	size_t cap = 16;

	while (cap < n * 2)
		cap *= 2;
	m->slot = calloc(cap, sizeof(*m->slot));
	if (m->slot == NULL)
		return -ENOMEM;
	m->mask = cap - 1;
	return 0;
}

static void id_map_add(struct id_map *m, int id, size_t idx)
{
	size_t h = ((unsigned int)id * 2654435761u) & m->mask;

	while (m->slot[h].idx)
		h = (h + 1) & m->mask;
	m->slot[h] = (struct id_slot){ id, idx + 1 };
}

static int id_map_init(struct id_map *m, const struct ipcadm_snapshot *snap,
		       enum ipcadm_kind kind)
{
	size_t n = ipcadm_snapshot_count(snap, kind);
	int r = id_map_alloc(m, n);

	if (r < 0)
		return r;
	m->objs = ipcadm_snapshot_obj(snap, kind, 0);
	for (size_t i = 0; i < n; i++)
		id_map_add(m, m->objs[i].id, i);
	return 0;
}

static long id_map_find(const struct id_map *m, long id)
{
	size_t h;

	if (id < 0 || id > INT32_MAX)
		return -1;
	h = ((unsigned int)id * 2654435761u) & m->mask;
	while (m->slot[h].idx) {
		if (m->slot[h].id == id)
			return (long)m->slot[h].idx - 1;
		h = (h + 1) & m->mask;
	}
	return -1;
}

/* ---- maps ---- */

/* One thread's walk over maps files; a parallel scan has one per slice. */
struct maps_walk {
	struct ipcadm_ctx *ctx;
	struct ipcadm_analysis *a;
	struct id_map *ids;
	struct proc *p;
	bool checked; /* p is loaded, a user process of our IPC namespace */
	unsigned int parts; /* what a holder's record needs read */
	uint64_t *found, pending; /* mappings found (shared by the slices), and to find */
	bool *done; /* per process: its maps were read */
	struct holder_recs recs; /* a slice's records, merged after (parallel scan) */
	bool own_recs;
	struct proc_buf buf;
	int err;
};

static bool same_ns(const struct ipcadm_analysis *a, const struct proc *p)
{
	return in_ns(p, a->procs.self_ipcns);
}

static int on_mapping(void *arg, const struct proc_sysv_map *m)
{
	struct maps_walk *w = arg;
	const struct ipcadm_obj *objs = w->ids->objs;
	long idx = id_map_find(w->ids, (long)m->inode);
	unsigned int how = m->writable ? IPCADM_HOLD_ATTACHED_RW : IPCADM_HOLD_ATTACHED_RO;
	int r;

	/* The inode is the shmid; the name keeps the key even after IPC_RMID (key 0). */
	if (idx >= 0 && (uint32_t)objs[idx].key != m->key && !(objs[idx].mode & IPCADM_SHM_DEST))
		idx = -1;
	if (idx < 0)
		return 0; /* a hugetlb segment (own inode numbers) or another namespace's */
	/* Only a process that maps one of our segments is read further. */
	if (!w->checked) {
		if (proc_load(&w->a->procs, w->p, w->parts) < 0 || w->p->kthread ||
		    !same_ns(w->a, w->p))
			return 1; /* exited, or another namespace's segment of the same ID */
		w->checked = true;
	}
	__atomic_add_fetch(&w->a->info[IPCADM_SHM][idx].maps_found, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(w->found, 1, __ATOMIC_RELAXED);
	r = w->own_recs ? holder_recs_add(&w->recs, IPCADM_SHM, (size_t)idx, w->p, how)
			: analysis_add_holder(w->a, IPCADM_SHM, (size_t)idx, w->p, how);
	if (r < 0)
		w->err = -ENOMEM;
	return 0;
}

/* Reads the maps of p first, and its stat and namespace only when they show one of our
 * segments: most processes map none. */
static int scan_maps_of(struct ipcadm_analysis *a, size_t i, struct maps_walk *w)
{
	struct proc *p = &a->procs.v[i];
	int r;

	if (w->done[i])
		return 0;
	w->done[i] = true;
	w->p = p;
	w->checked = false;
	r = proc_read_maps(w->ctx, &a->procs, p, &w->buf, on_mapping, w);
	if (r == -ENOENT || r == -ESRCH)
		return 0; /* exited during the pass */
	if (r < 0 && r != -ENOMEM) {
		/* it matters only for a user process of our namespace */
		if (proc_load(&a->procs, p, PROC_STAT | PROC_NS) < 0 || p->kthread ||
		    !same_ns(a, p))
			return 0;
		p->maps_unreadable = true; /* (a bool set by one thread, read after all) */
		__atomic_store_n(&a->maps_incomplete, true, __ATOMIC_RELAXED);
		return 0;
	}
	return r < 0 ? r : w->err;
}

static bool all_found(const struct maps_walk *w)
{
	return __atomic_load_n(w->found, __ATOMIC_RELAXED) >= w->pending;
}

static void maps_slice(void *arg, size_t lo, size_t hi, unsigned int slice)
{
	struct maps_walk *w = (struct maps_walk *)arg + slice;

	for (size_t i = lo; i < hi && w->err == 0 && !all_found(w); i++) {
		int r = scan_maps_of(w->a, i, w);

		if (r < 0)
			w->err = r;
	}
}

/*
 * Reads maps until every attachment the kernel counts is found. Few attachments: the
 * likely holders (the live last attacher and creator of each attached segment) first, then
 * the rest, in this thread. Many, among many processes: every process, the table shared
 * out among the cores, each slice stopping once all are found.
 */
static int scan_maps(struct ipcadm_ctx *ctx, struct ipcadm_analysis *a, struct id_map *ids)
{
	size_t n = ipcadm_snapshot_count(a->snap, IPCADM_SHM);
	const struct ipcadm_obj *objs = ids->objs;
	uint64_t pending = 0, found = 0;
	struct maps_walk w[PARALLEL_MAX];
	unsigned int parts = a->holders_only ? PROC_STAT | PROC_NS : PROC_ALL;
	unsigned int k = 1;
	bool *done;
	int r = 0;

	for (size_t i = 0; i < n; i++)
		pending += objs[i].nattch;
	if (pending == 0)
		return 0;
	done = calloc(a->procs.n ? a->procs.n : 1, sizeof(*done));
	if (done == NULL)
		return -ENOMEM;
	if (pending >= 64)
		k = parallel_slices(a->procs.n, 256);
	for (unsigned int i = 0; i < k; i++)
		w[i] = (struct maps_walk){ .ctx = ctx, .a = a, .ids = ids, .parts = parts,
					   .found = &found, .pending = pending, .done = done,
					   .own_recs = k > 1 };
	if (k > 1) {
		parallel_for(a->procs.n, 256, maps_slice, w);
		for (unsigned int i = 0; i < k; i++) {
			if (r == 0)
				r = w[i].err ? w[i].err : holder_recs_append(&a->recs, &w[i].recs);
			free(w[i].recs.v);
			free(w[i].buf.p);
		}
		free(done);
		return r;
	}
	for (size_t i = 0; i < n && r == 0 && found < pending; i++) {
		pid_t pids[2] = { objs[i].lpid, objs[i].cpid };

		if (objs[i].nattch == 0)
			continue;
		for (int j = 0; j < 2 && r == 0; j++) {
			struct proc *p = procs_find(&a->procs, pids[j]);

			if (p)
				r = scan_maps_of(a, (size_t)(p - a->procs.v), &w[0]);
		}
	}
	for (size_t i = 0; i < a->procs.n && r == 0 && found < pending; i++)
		r = scan_maps_of(a, i, &w[0]);
	free(w[0].buf.p);
	free(done);
	return r;
}

/* ---- blocked system calls ---- */

struct sys_walk {
	struct procs *ps;
	struct id_map *sems, *msgs;
	unsigned long ipcns; /* the objects' IPC namespace */
	struct proc *p;
	int in_ns; /* p (its main thread) is in ipcns: 1, 0, -1 not read yet */
	bool unsure; /* a thread of p is in a call that is a wait in some ABI; p's is unknown */
	/* a thread of p is blocked on the object at idx of that kind's map */
	void (*found)(struct sys_walk *w, enum ipcadm_kind kind, size_t idx);
	void *arg; /* the analysis, or the flags of the last look */
	int err;
};

/* Whether thread tid of w->p may be in the objects' IPC namespace. The namespace is the
 * thread's own: one that called setns or unshare left its process's other threads where
 * they were, and /proc/PID/ns/ipc shows the main thread's. */
static bool thread_in_ns(struct sys_walk *w, pid_t tid)
{
	if (tid != w->p->pid)
		return in_ns_ino(proc_task_ipcns(w->ps, w->p->pid, tid), w->ipcns);
	if (w->in_ns < 0) {
		proc_load(w->ps, w->p, PROC_NS);
		w->in_ns = in_ns(w->p, w->ipcns);
	}
	return w->in_ns;
}

/* A blocked thread's syscall, read with the numbers of its process's ABI: the
 * executable's ELF header is read only for numbers that some ABI here reads as a wait. */
static void on_syscall(void *arg, pid_t tid, long nr, const uint64_t *args)
{
	struct sys_walk *w = arg;
	struct syscall_wait sw;
	struct id_map *ids;
	long idx;
	int r;

	if (!(w->p->loaded & PROC_ABI) &&
	    syscall_abi_wait(SYSCALL_ABI_UNKNOWN, nr, args, &sw) == 0)
		return;
	proc_load(w->ps, w->p, PROC_ABI);
	r = syscall_abi_wait(w->p->abi, nr, args, &sw);
	if (r < 0)
		w->unsure = true;
	if (r <= 0)
		return;
	ids = sw.kind == IPCADM_SEM ? w->sems : w->msgs;
	idx = id_map_find(ids, sw.id);
	if (idx >= 0 && thread_in_ns(w, tid))
		w->found(w, sw.kind, (size_t)idx);
}

static void found_holder(struct sys_walk *w, enum ipcadm_kind kind, size_t idx)
{
	struct ipcadm_analysis *a = w->arg;

	proc_load(&a->procs, w->p, PROC_UIDS); /* for the holder's record */
	a->info[kind][idx].waiters = true;
	if (analysis_add_holder(a, kind, idx, w->p, IPCADM_HOLD_WAITING) < 0)
		w->err = -ENOMEM;
}

/* Reads where the threads of p are blocked, when p is a user process that may be in the
 * objects' IPC namespace, or has other threads (each has its own); false when that could
 * not be read, or a wait's ABI could not be told. The namespace is read first only when
 * it is loaded already; else only if a blocked call names one of our IDs, or the calls
 * cannot be read. */
static bool syscalls_of(struct ipcadm_ctx *ctx, struct sys_walk *w, struct proc *p)
{
	int r;

	if (proc_load(w->ps, p, PROC_STAT) < 0 || p->kthread)
		return true;
	w->p = p;
	w->unsure = false;
	w->in_ns = (p->loaded & PROC_NS) ? in_ns(p, w->ipcns) : -1;
	if (w->in_ns == 0 && p->num_threads <= 1)
		return true;
	r = proc_read_syscalls(ctx, w->ps, p, on_syscall, w);
	if ((r >= 0 || r == -ENOENT || r == -ESRCH) && !w->unsure)
		return true;
	proc_load(w->ps, p, PROC_NS); /* unknown: that matters only in the namespace */
	return !in_ns(p, w->ipcns);
}

/* Whether a process can be blocked on one of our arrays or queues. Nothing counts a
 * queue's waiters; and GETNCNT and GETZCNT do not count a stopped waiter (SIGSTOP, a
 * debugger, a cgroup freezer): a stop interrupts semop, which the program calls again
 * once continued (it fails with EINTR), while /proc/PID/syscall still shows the call. */
static bool may_have_waiters(const struct ipcadm_snapshot *snap)
{
	return ipcadm_snapshot_count(snap, IPCADM_MSG) > 0 ||
	       ipcadm_snapshot_count(snap, IPCADM_SEM) > 0;
}

static int scan_syscalls(struct ipcadm_ctx *ctx, struct ipcadm_analysis *a, struct id_map *sems,
			 struct id_map *msgs)
{
	struct sys_walk w = { .ps = &a->procs, .sems = sems, .msgs = msgs,
			      .ipcns = a->procs.self_ipcns, .found = found_holder,
			      .arg = a };

	if (!may_have_waiters(a->snap))
		return 0;
	a->scanned_syscalls = true;
	for (size_t i = 0; i < a->procs.n && w.err == 0; i++) {
		struct proc *p = &a->procs.v[i];

		/* a wait whose ABI cannot be told is as unknown as an unreadable one */
		if (!syscalls_of(ctx, &w, p)) {
			p->syscall_unreadable = true;
			a->syscall_unreadable++;
		}
	}
	return w.err;
}

/* ---- the last look before removals ---- */

struct wait_pass {
	struct ipcadm_ctx *ctx;
	struct sys_walk w[PARALLEL_MAX];
	size_t unreadable[PARALLEL_MAX];
};

static void found_waiter(struct sys_walk *w, enum ipcadm_kind kind, size_t idx)
{
	(void)kind;
	/* the slices share the flags */
	__atomic_store_n((bool *)w->arg + idx, true, __ATOMIC_RELAXED);
}

static void wait_slice(void *arg, size_t lo, size_t hi, unsigned int slice)
{
	struct wait_pass *wp = arg;
	struct sys_walk *w = &wp->w[slice];

	for (size_t i = lo; i < hi; i++)
		if (!syscalls_of(wp->ctx, w, &w->ps->v[i]))
			wp->unreadable[slice]++;
}

int ipcadm_waiters_find(struct ipcadm_ctx *ctx, const struct ipcadm_obj *const *objs,
			size_t n, bool *waiting)
{
	struct id_map ids[IPCADM_NSYSV_KINDS] = { 0 };
	size_t count[IPCADM_NSYSV_KINDS] = { 0 }, unreadable = 0;
	struct wait_pass wp = { .ctx = ctx };
	struct procs ps;
	unsigned long ns;
	int r = 0;

	if (!ctx->live)
		return -EOPNOTSUPP;
	for (size_t i = 0; i < n; i++) {
		waiting[i] = false;
		if (objs[i]->ipcns != objs[0]->ipcns)
			return -EINVAL;
		if (objs[i]->kind == IPCADM_SEM || objs[i]->kind == IPCADM_MSG)
			count[objs[i]->kind]++;
	}
	if (count[IPCADM_SEM] + count[IPCADM_MSG] == 0)
		return 0; /* nothing to look for: no pass */
	for (int k = IPCADM_SEM; k <= IPCADM_MSG && r == 0; k++)
		r = id_map_alloc(&ids[k], count[k]);
	if (r == 0)
		r = procs_scan(ctx, &ps);
	if (r < 0) {
		for (int k = 0; k < IPCADM_NSYSV_KINDS; k++)
			free(ids[k].slot);
		return r;
	}
	for (size_t i = 0; i < n; i++)
		if (objs[i]->kind == IPCADM_SEM || objs[i]->kind == IPCADM_MSG)
			id_map_add(&ids[objs[i]->kind], objs[i]->id, i);
	ns = objs[0]->ipcns ? (unsigned long)objs[0]->ipcns : ps.self_ipcns;
	for (unsigned int i = 0; i < PARALLEL_MAX; i++)
		wp.w[i] = (struct sys_walk){ .ps = &ps, .sems = &ids[IPCADM_SEM],
					     .msgs = &ids[IPCADM_MSG], .ipcns = ns,
					     .found = found_waiter, .arg = waiting };
	parallel_for(ps.n, 256, wait_slice, &wp);
	for (unsigned int i = 0; i < PARALLEL_MAX; i++)
		unreadable += wp.unreadable[i];
	procs_release(&ps);
	for (int k = 0; k < IPCADM_NSYSV_KINDS; k++)
		free(ids[k].slot);
	return unreadable > INT32_MAX ? INT32_MAX : (int)unreadable;
}

/* ---- what the verdicts read of the process table ---- */

/* Whether anything after this scan reads every process: the possible holders of arrays and
 * queues (verdict.c) and the POSIX holder scan do; segments need only their holders and
 * their recorded PIDs. Counts every kind the snapshot can hold. */
static bool needs_every_process(const struct ipcadm_analysis *a)
{
	const struct ipcadm_snapshot *snap = a->snap;

	for (size_t k = 0; k < sizeof(snap->n) / sizeof(snap->n[0]); k++)
		if (k != IPCADM_SHM && snap->n[k] > 0 &&
		    (!a->holders_only || IPCADM_IS_POSIX(k))) /* waiters: scan_syscalls */
			return true;
	return false;
}

/* Loads the creator and last user of every segment, which verdicts look up. */
static void load_recorded_pids(struct ipcadm_analysis *a)
{
	pid_t last[2] = { 0, 0 }; /* segments made in a row share their creator */

	for (size_t i = 0; i < ipcadm_snapshot_count(a->snap, IPCADM_SHM); i++) {
		const struct ipcadm_obj *o = ipcadm_snapshot_obj(a->snap, IPCADM_SHM, i);
		pid_t pids[2] = { o->cpid, o->lpid };

		for (int k = 0; k < 2; k++) {
			struct proc *p;

			if (pids[k] <= 0 || pids[k] == last[k])
				continue;
			last[k] = pids[k];
			p = procs_find(&a->procs, pids[k]);
			if (p)
				proc_load(&a->procs, p, PROC_ALL);
		}
	}
}

/*
 * Leaves loaded (procscan.h) every process that anything after it reads: all of them when
 * the snapshot holds arrays, queues or POSIX objects; otherwise the holders found and the
 * recorded PIDs of the segments. A process that was never loaded looks like no holder at
 * all, so code that walks a->procs.v must be covered here.
 */
int holders_scan(struct ipcadm_ctx *ctx, struct ipcadm_analysis *a)
{
	struct id_map ids[IPCADM_NSYSV_KINDS] = { 0 };
	int r = 0;

	if (needs_every_process(a)) {
		procs_load_all(&a->procs, PROC_ALL);
		r = procs_settle(&a->procs, PROC_ALL); /* children of those gone meanwhile */
		if (r < 0)
			return r;
	} else if (!a->holders_only) /* without verdicts, no recorded PID is looked up */
		load_recorded_pids(a);
	for (int k = 0; k < IPCADM_NSYSV_KINDS && r == 0; k++)
		r = id_map_init(&ids[k], a->snap, k);
	if (r == 0)
		r = scan_maps(ctx, a, &ids[IPCADM_SHM]);
	if (r == 0)
		r = scan_syscalls(ctx, a, &ids[IPCADM_SEM], &ids[IPCADM_MSG]);
	for (int k = 0; k < IPCADM_NSYSV_KINDS; k++)
		free(ids[k].slot);
	return r;
}

static int cmp_rec(const void *x, const void *y)
{
	const struct holder_rec *a = x, *b = y;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->idx != b->idx)
		return a->idx < b->idx ? -1 : 1;
	return (a->h.pid > b->h.pid) - (a->h.pid < b->h.pid);
}

/* Sorts the records by object and merges those of one process into one holder. */
int holders_finish(struct ipcadm_analysis *a)
{
	size_t n = 0;

	if (a->recs.n > 0) /* recs is NULL then, and qsort's pointer must not be */
		qsort(a->recs.v, a->recs.n, sizeof(*a->recs.v), cmp_rec);
	a->holders = calloc(a->recs.n ? a->recs.n : 1, sizeof(*a->holders));
	if (a->holders == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < a->recs.n; i++) {
		const struct holder_rec *r = &a->recs.v[i];
		struct obj_info *info = &a->info[r->kind][r->idx];

		if (i > 0 && cmp_rec(r, &a->recs.v[i - 1]) == 0) {
			a->holders[n - 1].how |= r->h.how;
			a->holders[n - 1].nmaps += r->h.nmaps;
			continue;
		}
		if (info->count == 0)
			info->first = n;
		info->count++;
		a->holders[n++] = r->h;
	}
	return 0;
}
