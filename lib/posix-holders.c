/* posix-holders.c: who holds each POSIX object: mappings in /proc/PID/maps and open
 * descriptors in /proc/PID/fd, matched by the file's device and inode; and the verdicts. */
#include "posix-holders.h"
#include "posixparse.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/kcmp.h>

#include "strutil.h"

/* The filesystems remembered one by one before any device is matched. */
#define MAX_DEVS 8

struct pkey {
	uint64_t dev, ino;
	enum ipcadm_kind kind;
	size_t idx;
};

struct matcher {
	struct pkey *v;
	size_t n;
	uint64_t devs[MAX_DEVS]; /* the filesystems the objects live on */
	size_t ndevs;
	bool any_dev; /* more filesystems than devs holds */
	bool maps; /* shared memory or semaphores: read maps too */
	const struct ipcadm_snapshot *snap; /* a copied tree: match paths, not inodes */
};

typedef void (*hold_fn)(void *arg, enum ipcadm_kind kind, size_t idx, unsigned int how);

static int cmp_key(const void *x, const void *y)
{
	const struct pkey *a = x, *b = y;

	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	return (a->ino > b->ino) - (a->ino < b->ino);
}

static void matcher_dev(struct matcher *m, uint64_t dev)
{
	for (size_t i = 0; i < m->ndevs; i++)
		if (m->devs[i] == dev)
			return;
	if (m->ndevs == MAX_DEVS)
		m->any_dev = true;
	else
		m->devs[m->ndevs++] = dev;
}

static bool matcher_has_dev(const struct matcher *m, uint64_t dev)
{
	if (m->any_dev)
		return true;
	for (size_t i = 0; i < m->ndevs; i++)
		if (m->devs[i] == dev)
			return true;
	return false;
}

static int matcher_init(struct matcher *m, const struct ipcadm_snapshot *snap, bool live)
{
	size_t total = 0;

	memset(m, 0, sizeof(*m));
	for (int k = IPCADM_NSYSV_KINDS; k < IPCADM_NALL_KINDS; k++)
		total += ipcadm_snapshot_count(snap, k);
	if (total == 0)
		return 0;
	m->v = malloc(total * sizeof(*m->v));
	if (m->v == NULL)
		return -ENOMEM;
	for (int k = IPCADM_NSYSV_KINDS; k < IPCADM_NALL_KINDS; k++) {
		for (size_t i = 0; i < ipcadm_snapshot_count(snap, k); i++) {
			const struct ipcadm_obj *o = ipcadm_snapshot_obj(snap, k, i);

			m->v[m->n++] = (struct pkey){ o->dev, o->ino, k, i };
			matcher_dev(m, o->dev);
			m->maps |= k != IPCADM_PMQ;
		}
	}
	qsort(m->v, m->n, sizeof(*m->v), cmp_key);
	if (!live)
		m->snap = snap;
	return 0;
}

static const struct pkey *matcher_find(const struct matcher *m, uint64_t dev, uint64_t ino)
{
	struct pkey key = { .dev = dev, .ino = ino };

	if (!matcher_has_dev(m, dev))
		return NULL;
	return bsearch(&key, m->v, m->n, sizeof(*m->v), cmp_key);
}

/* A copied tree: "/dev/shm/NAME", "/dev/shm/sem.NAME" or "/dev/mqueue/NAME" by name. */
static bool match_path(const struct matcher *m, const char *path, size_t len,
		       enum ipcadm_kind *kind, size_t *idx)
{
	static const struct {
		const char *prefix;
		enum ipcadm_kind kind;
	} dirs[] = {
		{ "/dev/shm/sem.", IPCADM_PSEM },
		{ "/dev/shm/", IPCADM_PSHM },
		{ "/dev/mqueue/", IPCADM_PMQ },
	};
	char name[256];

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		size_t pl = strlen(dirs[i].prefix);
		const struct ipcadm_obj *o, *base;

		if (len <= pl || len - pl >= sizeof(name) || memcmp(path, dirs[i].prefix, pl) != 0)
			continue;
		memcpy(name, path + pl, len - pl);
		name[len - pl] = '\0';
		o = ipcadm_snapshot_find_name(m->snap, dirs[i].kind, name);
		if (o == NULL)
			return false;
		base = ipcadm_snapshot_obj(m->snap, dirs[i].kind, 0);
		*kind = dirs[i].kind;
		*idx = (size_t)(o - base);
		return true;
	}
	return false;
}

struct pid_walk {
	const struct matcher *m;
	hold_fn fn;
	void *arg;
	bool *kcmp; /* kcmp(2) may tell descriptor tables apart: live, our PID namespace */
};

static int on_map(void *arg, const struct proc_file_map *map)
{
	struct pid_walk *w = arg;
	unsigned int how = map->writable ? IPCADM_HOLD_ATTACHED_RW : IPCADM_HOLD_ATTACHED_RO;
	enum ipcadm_kind kind;
	size_t idx;

	if (w->m->snap) {
		if (match_path(w->m, map->path, map->pathlen, &kind, &idx))
			w->fn(w->arg, kind, idx, how);
	} else {
		const struct pkey *k = matcher_find(
			w->m, (uint64_t)makedev(map->dev_major, map->dev_minor), map->inode);

		if (k)
			w->fn(w->arg, k->kind, k->idx, how);
	}
	return 0;
}

/* Reads the descriptors in task's fd/ (task: "/proc/PID" or "/proc/PID/task/TID");
 * *seen tells whether there was any. */
static int scan_fds(struct ipcadm_ctx *ctx, const char *task, struct pid_walk *w,
		    bool *seen)
{
	char path[96], link[PATH_MAX];
	struct dirent *de;
	int r;
	DIR *dir;

	*seen = false;
	snprintf(path, sizeof(path), "%s/fd", task);
	r = dir_from_fd(ipcadm_ctx_open(ctx, path, O_RDONLY | O_DIRECTORY), &dir);
	if (r < 0)
		return r;
	while ((de = readdir(dir)) != NULL) {
		enum ipcadm_kind kind;
		size_t idx, plen;
		struct stat st;
		ssize_t n;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		*seen = true;
		if (w->m->snap) {
			n = readlinkat(dirfd(dir), de->d_name, link, sizeof(link) - 1);
			if (n <= 0)
				continue;
			if (posixparse_fd_link(link, (size_t)n, &plen) == FD_LINK_PATH &&
			    match_path(w->m, link, plen, &kind, &idx))
				w->fn(w->arg, kind, idx, IPCADM_HOLD_OPEN);
			continue;
		}
		/* stat follows the link to the very file, wherever it is mounted */
		if (fstatat(dirfd(dir), de->d_name, &st, 0) == 0) {
			const struct pkey *k = matcher_find(w->m, (uint64_t)st.st_dev,
							    (uint64_t)st.st_ino);

			if (k)
				w->fn(w->arg, k->kind, k->idx, IPCADM_HOLD_OPEN);
		}
	}
	closedir(dir);
	return 0;
}

/* Reads the mappings of task ("/proc/PID" or "/proc/PID/task/TID"); *seen tells whether
 * it showed any mapping at all. 0, or -errno. */
static int scan_maps(struct ipcadm_ctx *ctx, const char *task, struct pid_walk *w,
		     bool *seen)
{
	char path[96], *buf;
	size_t len;
	int r;

	snprintf(path, sizeof(path), "%s/maps", task);
	r = read_file(ctx, path, &buf, &len);
	if (r < 0)
		return r;
	*seen = len > 0;
	r = posixparse_maps(buf, len, on_map, w);
	free(buf);
	return r < 0 ? r : 0;
}

/*
 * Whether the thread tid shares one of the descriptor tables already read (those of the
 * tasks in tables[]): kcmp(KCMP_FILES) answers 0 for the same table. False also when it
 * cannot tell (no kcmp: ENOSYS; refused: EPERM; a task gone: ESRCH): tid's is read then.
 */
static bool table_read(struct pid_walk *w, const pid_t *tables, size_t n, pid_t tid)
{
	for (size_t i = 0; i < n && *w->kcmp; i++) {
		long r = syscall(SYS_kcmp, tables[i], tid, KCMP_FILES, 0UL, 0UL);

		if (r == 0)
			return true;
		if (r < 0 && errno == ENOSYS)
			*w->kcmp = false; /* CONFIG_KCMP off, or a seccomp filter */
	}
	return false;
}

/* The descriptor tables of a process that kcmp() tells apart at most. */
#define MAX_TABLES 16

/*
 * Reads what the threads of pid other than its leader hold. Threads share one address
 * space, but not always one descriptor table: a thread that called unshare(CLONE_FILES)
 * has its own, which only /proc/PID/task/TID/fd shows. And a process whose main thread
 * exited (pthread_exit) lives on in its other threads, while its /proc/PID/maps and fd
 * read empty (the zombie leader has neither): maps_read false, a live thread's maps are
 * read. Each descriptor table is read once: kcmp() tells which threads share one already
 * read; without it, every thread's is read.
 */
static int scan_threads(struct ipcadm_ctx *ctx, pid_t pid, struct pid_walk *w,
			bool maps_read)
{
	char path[64], task[96];
	pid_t tables[MAX_TABLES] = { pid }; /* read: the leader's (a zombie's is none) */
	size_t ntables = 1;
	struct dirent *de;
	DIR *dir;
	int r;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	r = dir_from_fd(ipcadm_ctx_open(ctx, path, O_RDONLY | O_DIRECTORY), &dir);
	if (r < 0)
		return r;
	while ((de = readdir(dir)) != NULL) {
		uint64_t tid;
		bool seen = false;

		if (str_to_u64(de->d_name, &tid) < 0 || tid == (uint64_t)pid || tid > INT32_MAX)
			continue;
		snprintf(task, sizeof(task), "%s/%llu", path, (unsigned long long)tid);
		if (!maps_read) {
			r = scan_maps(ctx, task, w, &seen);
			if (r == -ENOENT || r == -ESRCH) {
				r = 0; /* that thread exited: try the next */
				continue;
			}
			if (r < 0)
				break;
			maps_read = seen;
		}
		if (table_read(w, tables, ntables, (pid_t)tid))
			continue;
		r = scan_fds(ctx, task, w, &seen);
		if (r == -ENOENT || r == -ESRCH) {
			r = 0;
			continue;
		}
		if (r < 0)
			break;
		if (ntables < MAX_TABLES)
			tables[ntables++] = (pid_t)tid;
	}
	closedir(dir);
	return r;
}

/*
 * Reads a process's maps and fds, and those of its other threads unless it has one
 * thread only (nthreads 1; 0: not known); 0, -ENOENT when it is gone, -errno when
 * unreadable (a thread's descriptor table too: then what it holds is not known).
 */
static int scan_pid(struct ipcadm_ctx *ctx, pid_t pid, long nthreads, struct pid_walk *w)
{
	bool maps_seen = false, fds_seen = false;
	char task[32];
	int r = 0;

	snprintf(task, sizeof(task), "/proc/%d", (int)pid);
	if (w->m->maps)
		r = scan_maps(ctx, task, w, &maps_seen);
	if (r == 0)
		r = scan_fds(ctx, task, w, &fds_seen);
	/* A leader that showed nothing may have exited, its threads living on. */
	if (r == 0 && (nthreads != 1 || !(maps_seen || fds_seen)))
		r = scan_threads(ctx, pid, w, maps_seen || !w->m->maps);
	return r == -ESRCH ? -ENOENT : r;
}

/* ---- the analysis ---- */

struct an_walk {
	struct ipcadm_analysis *a;
	const struct proc *p;
	int err;
};

static void on_hold(void *arg, enum ipcadm_kind kind, size_t idx, unsigned int how)
{
	struct an_walk *w = arg;

	w->a->info[kind][idx].maps_found++;
	if (analysis_add_holder(w->a, kind, idx, w->p, how) < 0)
		w->err = -ENOMEM;
}

int posix_holders_scan(struct ipcadm_ctx *ctx, struct ipcadm_analysis *a)
{
	bool kcmp = a->procs.signals; /* live, and /proc shows our PID namespace */
	struct matcher m;
	int r = matcher_init(&m, a->snap, ctx->live);

	if (r < 0 || m.n == 0)
		return r;
	for (size_t i = 0; i < a->procs.n; i++) {
		struct proc *p = &a->procs.v[i];
		struct an_walk w = { a, p, 0 };
		struct pid_walk pw = { &m, on_hold, &w, &kcmp };

		if (p->kthread || p->pid == a->procs.self)
			continue;
		r = scan_pid(ctx, p->pid, p->loaded & PROC_STAT ? p->num_threads : 0, &pw);
		if (w.err) {
			free(m.v);
			return w.err;
		}
		if (r < 0 && r != -ENOENT) {
			p->maps_unreadable = true;
			a->posix_unreadable++;
		}
	}
	free(m.v);
	return 0;
}

/* ---- the check right before a removal ---- */

struct held_walk {
	bool *held;
	size_t left; /* candidates not yet seen held: the pass stops at none */
};

static void on_held(void *arg, enum ipcadm_kind kind, size_t idx, unsigned int how)
{
	struct held_walk *h = arg;

	(void)kind;
	(void)how;
	if (!h->held[idx]) {
		h->held[idx] = true;
		h->left--;
	}
}

/*
 * Names that are one file (hard links: two keys with one dev and ino) are held together;
 * bsearch found one of them. The keys are sorted: such keys are neighbours.
 */
static void held_together(const struct matcher *m, struct held_walk *h)
{
	for (size_t i = 0, j; i < m->n; i = j) {
		bool any = false;

		for (j = i; j < m->n && cmp_key(&m->v[i], &m->v[j]) == 0; j++)
			any |= h->held[m->v[j].idx];
		for (size_t k = i; any && k < j; k++)
			h->held[m->v[k].idx] = true;
	}
}

int posix_held_many(struct ipcadm_ctx *ctx, const struct posix_file *files, size_t n,
		    bool *held)
{
	struct matcher m = { 0 };
	struct pid_walk w = { &m, on_held, NULL, NULL };
	struct held_walk h = { held, n };
	struct dirent *de;
	bool kcmp;
	int err = 0;
	DIR *dir;

	for (size_t i = 0; i < n; i++)
		held[i] = false;
	if (n == 0)
		return 0;
	m.v = malloc(n * sizeof(*m.v));
	if (m.v == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		m.v[m.n++] = (struct pkey){ files[i].dev, files[i].ino, files[i].kind, i };
		matcher_dev(&m, files[i].dev);
		/*
		 * A queue's descriptor cannot be mapped: the mqueue filesystem's files have no
		 * mmap in their file_operations (ipc/mqueue.c: flush, poll, read_iter, llseek
		 * only), so mmap(2) fails with ENODEV. A pass for queues alone skips the maps.
		 */
		m.maps |= files[i].kind != IPCADM_PMQ;
	}
	qsort(m.v, m.n, sizeof(*m.v), cmp_key);
	err = dir_from_fd(ipcadm_ctx_open(ctx, "/proc", O_RDONLY | O_DIRECTORY), &dir);
	if (err < 0) {
		free(m.v);
		return err; /* not read is not "not held" */
	}
	kcmp = ctx->live && proc_shows_us(dirfd(dir));
	w.arg = &h;
	w.kcmp = &kcmp;
	while (h.left > 0) {
		uint64_t pid;
		int r;

		errno = 0;
		de = readdir(dir);
		if (de == NULL) {
			if (errno)
				err = -errno;
			break;
		}
		if (de->d_name[0] < '1' || de->d_name[0] > '9' || str_to_u64(de->d_name, &pid) < 0 ||
		    pid > INT32_MAX || (pid_t)pid == getpid())
			continue;
		r = scan_pid(ctx, (pid_t)pid, 0, &w);
		if (r < 0 && r != -ENOENT && err == 0)
			err = r; /* a process we cannot read may hold any of them: read on */
	}
	closedir(dir);
	held_together(&m, &h);
	free(m.v);
	return err;
}
