/* remove.c: every removal, System V (IPC_RMID) and POSIX (unlink), guarded: an object is
 * read again right before removal and left alone if anything shows it was used since. */
#include "internal.h"
#include "posix-holders.h"
#include "posixparse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <time.h>
#include <unistd.h>

bool ipcadm_obj_unchanged(const struct ipcadm_obj *a, const struct ipcadm_obj *b)
{
	if (a->kind != b->kind || a->id != b->id || a->key != b->key || a->ctime != b->ctime ||
	    a->mode != b->mode || a->uid != b->uid || a->gid != b->gid)
		return false;
	switch (a->kind) {
	case IPCADM_SHM:
		return a->nattch == b->nattch && a->atime == b->atime && a->dtime == b->dtime &&
		       a->lpid == b->lpid && a->cpid == b->cpid && a->size == b->size;
	case IPCADM_SEM:
		if (a->otime != b->otime || a->nsems != b->nsems)
			return false;
		if (a->sems && b->sems) {
			unsigned int both = a->sems_read & b->sems_read;

			for (size_t i = 0; i < a->nsems; i++) {
				const struct ipcadm_semval *x = &a->sems[i], *y = &b->sems[i];

				if (((both & IPCADM_SEM_PID) && x->pid != y->pid) ||
				    ((both & IPCADM_SEM_VALUE) && x->value != y->value) ||
				    ((both & IPCADM_SEM_COUNTS) &&
				     (x->ncnt != y->ncnt || x->zcnt != y->zcnt)))
					return false;
			}
		}
		return true;
	default:
		return a->qnum == b->qnum && a->cbytes == b->cbytes && a->stime == b->stime &&
		       a->rtime == b->rtime && a->lspid == b->lspid && a->lrpid == b->lrpid;
	}
}

static int rmid(enum ipcadm_kind kind, int id)
{
	int r;

	if (kind == IPCADM_SHM)
		r = shmctl(id, IPC_RMID, NULL);
	else if (kind == IPCADM_SEM)
		r = semctl(id, 0, IPC_RMID);
	else
		r = msgctl(id, IPC_RMID, NULL);
	if (r == 0)
		return 0;
	return errno == EINVAL || errno == EIDRM ? -ENOENT : -errno;
}

static int verify(enum ipcadm_kind kind, int id, const struct ipcadm_obj *expect);

static int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A remove hook faster than this left no wider window than the read before it. */
#define HOOK_SLOW_NS 100000

/* rmid() between the remove hook's two calls (see ipcadm_ctx_set_remove_hook). The hook
 * writes a log line, which may take long (a slow disk, a stalled syslog): after a slow
 * one the object is read again and compared with again (when given), so that what was
 * used meanwhile stays. A fast one is not followed by a second read: that would double
 * the calls of a removal for a window no longer than the one between the read and the
 * hook. */
static int hooked_rmid(const struct ipcadm_ctx *ctx, enum ipcadm_kind kind, int id,
		       const struct ipcadm_obj *expect, const struct ipcadm_obj *again)
{
	int64_t start = monotonic_ns();
	int r = hook_before(ctx, expect);

	if (r < 0)
		return r;
	r = again && monotonic_ns() - start > HOOK_SLOW_NS ? verify(kind, id, again) : 0;
	if (r == 0)
		r = rmid(kind, id);
	hook_after(ctx, expect, r);
	return r;
}

/*
 * Which parts of an array's semaphores must be read again to see a change. Every semop
 * sets otime, and SETVAL and SETALL set ctime, to the current second: when both were older
 * than the second the array was read in, and the clock has not gone back since, equal times
 * prove that no semaphore was operated on since (the undo at a process's exit aside: that
 * process is gone), so its pids cannot have changed. Waiters change no time: the counts
 * are always read again. A keyed array may be found by its key; a private one by any
 * process that learnt its ID, one the scan did not see or one started since.
 */
static unsigned int sems_to_reread(const struct ipcadm_obj *expect)
{
	int64_t now = (int64_t)time(NULL);
	unsigned int parts = IPCADM_SEM_COUNTS;

	if (expect->seen == 0 || now < expect->seen || expect->otime >= expect->seen ||
	    expect->ctime >= expect->seen)
		parts |= IPCADM_SEM_PID;
	return parts & expect->sems_read;
}

/* Whether more processes wait on a semaphore of the array than when it was first read. */
static bool waiters_came(const struct ipcadm_obj *expect, const struct ipcadm_obj *now)
{
	if (!expect->sems || !now->sems || expect->nsems != now->nsems ||
	    !(expect->sems_read & now->sems_read & IPCADM_SEM_COUNTS))
		return false;
	for (size_t i = 0; i < now->nsems; i++)
		if (now->sems[i].ncnt > expect->sems[i].ncnt ||
		    now->sems[i].zcnt > expect->sems[i].zcnt)
			return true;
	return false;
}

/* Reads the object again: 0 when it may go (as expect shows it, when given), -EALREADY
 * when marked for destruction, -ESTALE when it changed, -EBUSY when a process began
 * waiting on the array, -ENOENT when gone. */
static int verify(enum ipcadm_kind kind, int id, const struct ipcadm_obj *expect)
{
	struct ipcadm_obj now;
	unsigned int parts;
	int r = syscall_read_one(kind, id, &now);

	if (r < 0)
		return r;
	parts = expect && expect->sems ? sems_to_reread(expect) : 0;
	/* counts that cannot be read again prove nothing: no removal */
	r = parts ? syscall_read_semvals(&now, parts) : 0;
	if (r < 0) {
		ipcadm_obj_release(&now);
		return r == -EINVAL || r == -EIDRM ? -ENOENT : r;
	}
	if (kind == IPCADM_SHM && (now.mode & IPCADM_SHM_DEST)) {
		ipcadm_obj_release(&now);
		return -EALREADY;
	}
	if (expect && !ipcadm_obj_unchanged(expect, &now)) {
		r = kind == IPCADM_SEM && waiters_came(expect, &now) ? -EBUSY : -ESTALE;
		ipcadm_obj_release(&now);
		return r;
	}
	ipcadm_obj_release(&now);
	return 0;
}

int ipcadm_obj_remove(struct ipcadm_ctx *ctx, enum ipcadm_kind kind, int id,
		      const struct ipcadm_obj *expect)
{
	int r;

	if (!ctx->live)
		return -EOPNOTSUPP;
	if ((unsigned int)kind >= IPCADM_NSYSV_KINDS)
		return -EINVAL;
	r = verify(kind, id, expect);
	if (r < 0)
		return r;
	return hooked_rmid(ctx, kind, id, expect, expect);
}

int ipcadm_shm_mark_again(struct ipcadm_ctx *ctx, int id)
{
	struct ipcadm_obj now;
	int r;

	if (!ctx->live)
		return -EOPNOTSUPP;
	r = syscall_read_one(IPCADM_SHM, id, &now);
	if (r < 0)
		return r;
	if (!(now.mode & IPCADM_SHM_DEST))
		return -ESTALE;
	/* no hook: nothing is removed, the segment goes at its last detach as before */
	return shmctl(id, IPC_RMID, NULL) == 0 ? 0 : -errno;
}

int ipcadm_obj_remove_backup(struct ipcadm_ctx *ctx, const struct ipcadm_obj *expect,
			     int dirfd, const char *evidence)
{
	struct ipcadm_obj now, after, seen;
	int r;

	if (expect->kind != IPCADM_SHM)
		return ipcadm_obj_remove(ctx, expect->kind, expect->id, expect);
	if (!ctx->live)
		return -EOPNOTSUPP;
	r = syscall_read_one(IPCADM_SHM, expect->id, &now);
	if (r < 0)
		return r;
	if (now.mode & IPCADM_SHM_DEST)
		return -EALREADY;
	if (!ipcadm_obj_unchanged(expect, &now))
		return -ESTALE;
	r = ipcadm_shm_backup(&now, dirfd, evidence);
	if (r < 0)
		return r;
	/* Only our own attach and detach may show: atime, dtime and lpid (ours). */
	r = syscall_read_one(IPCADM_SHM, expect->id, &after);
	if (r < 0)
		return r;
	if (after.nattch != 0 || after.lpid != getpid())
		return -ESTALE;
	seen = after; /* as our own attach and detach left it */
	after.atime = now.atime;
	after.dtime = now.dtime;
	after.lpid = now.lpid;
	if (!ipcadm_obj_unchanged(&now, &after))
		return -ESTALE;
	return hooked_rmid(ctx, IPCADM_SHM, expect->id, expect, &seen);
}

/* Nothing that the file shows changed since expect was read. */
static bool file_unchanged(int dfd, const char *fname, const struct ipcadm_obj *e,
			   const struct stat *st)
{
	struct mq_file_info mi;

	if ((uint64_t)st->st_dev != e->dev || (uint64_t)st->st_ino != e->ino ||
	    st->st_uid != e->uid || st->st_gid != e->gid || (st->st_mode & 07777) != e->mode ||
	    st->st_mtim.tv_sec != e->mtime)
		return false;
	if (e->kind != IPCADM_PMQ)
		return (uint64_t)st->st_size == e->size;
	return posix_read_queue_file(dfd, fname, &mi) == 0 && mi.qsize == e->cbytes;
}

/* One POSIX object of a batch, and what became of it. */
struct pcand {
	enum ipcadm_kind kind;
	const char *name;
	const struct ipcadm_obj *expect; /* NULL: removed unchecked */
	char fname[NAME_MAX + 1];
	int dfd; /* its directory (shared: closed by the batch) */
	int r; /* 0 so far, else its result */
};

/*
 * Whether a candidate's file is still the one its expect read, unchanged: 0, -ENOENT
 * when it is gone (or no longer a regular file), -ESTALE when it changed, -errno.
 */
static int pcand_check(const struct pcand *p, struct stat *st)
{
	if (fstatat(p->dfd, p->fname, st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (!S_ISREG(st->st_mode))
		return -ENOENT;
	if (p->expect && !file_unchanged(p->dfd, p->fname, p->expect, st))
		return -ESTALE;
	return 0;
}

/* Each candidate's file name and directory (each kind's opened once, in dirs[kind]); a
 * candidate whose name is invalid or whose directory cannot be opened gets its error. */
static void pcand_dirs(struct ipcadm_ctx *ctx, struct pcand *v, size_t n, int *dirs)
{
	for (size_t i = 0; i < n; i++) {
		struct pcand *p = &v[i];

		if (!IPCADM_IS_POSIX(p->kind) || (unsigned int)p->kind >= IPCADM_NALL_KINDS ||
		    posix_file_name(p->kind, p->name, p->fname, sizeof(p->fname)) < 0) {
			p->r = -EINVAL;
			continue;
		}
		if (dirs[p->kind] == -1)
			dirs[p->kind] = posix_kind_dir(ctx, p->kind);
		p->dfd = dirs[p->kind];
		if (p->dfd < 0)
			p->r = p->dfd;
	}
}

/*
 * One pass over every process for the candidates from `from` on that are still to go
 * (r == 0, with an expect): those seen mapped or open get -ESTALE; when the pass could
 * not read everything, none of them goes. Returns the time (monotonic ns) until which
 * its answer stands: as long after it as it took, 10 ms at least.
 */
static int64_t pass_held(struct ipcadm_ctx *ctx, struct pcand *v, size_t from, size_t n)
{
	struct posix_file *files;
	int64_t start = monotonic_ns(), took;
	size_t *at, m = 0;
	bool *held;
	int r;

	files = malloc((n - from) * sizeof(*files));
	at = malloc((n - from) * sizeof(*at));
	held = malloc((n - from) * sizeof(*held));
	for (size_t i = from; i < n && files && at && held; i++) {
		if (v[i].r == 0 && v[i].expect) {
			files[m] = (struct posix_file){ v[i].expect->dev, v[i].expect->ino,
							v[i].kind };
			at[m++] = i;
		}
	}
	if (files == NULL || at == NULL || held == NULL) {
		r = -ENOMEM; /* nothing checked: nothing removed */
		for (size_t i = from; i < n; i++)
			if (v[i].r == 0 && v[i].expect)
				v[i].r = r;
	} else {
		r = posix_held_many(ctx, files, m, held);
	}
	for (size_t j = 0; j < m && r != -ENOMEM; j++) {
		if (held[j])
			v[at[j]].r = -ESTALE; /* opened or mapped since the scan */
		else if (r < 0)
			v[at[j]].r = r; /* not known, not removed */
	}
	free(files);
	free(at);
	free(held);
	took = monotonic_ns() - start;
	return monotonic_ns() + (took > 10000000 ? took : 10000000);
}

/*
 * The removal of a batch. The checks come after the scan that gave the verdicts, the
 * later the better: (1) every file is read again and must be unchanged; (2) one pass over
 * every process, for all the files at once, finds those mapped or open now (the pass
 * costs the same for one file or a thousand); (3) each file is read again right before
 * its own unlink, after its log line. The pass's answer stands for as long as the pass
 * took (10 ms at least): when the log lines took longer (a slow disk), the files still
 * to go get a pass of their own before the next unlink. So a process may open or map a
 * file unseen for at most twice a pass (from when the pass read that process to the
 * unlink), and the passes cost at most twice one. What happens in that window is caught
 * as far as a file shows it (size, mtime, owner, mode, a queue's QSIZE). A file that some
 * process could not be read for is kept.
 */
static void remove_batch(struct ipcadm_ctx *ctx, struct pcand *v, size_t n)
{
	int dirs[IPCADM_NALL_KINDS];
	int64_t valid_until;
	struct stat st;

	for (int k = 0; k < IPCADM_NALL_KINDS; k++)
		dirs[k] = -1;
	pcand_dirs(ctx, v, n, dirs);
	for (size_t i = 0; i < n; i++)
		if (v[i].r == 0 && v[i].expect)
			v[i].r = pcand_check(&v[i], &st);
	valid_until = pass_held(ctx, v, 0, n);
	for (size_t i = 0; i < n; i++) {
		struct pcand *p = &v[i];

		if (p->r < 0)
			continue;
		p->r = pcand_check(p, &st);
		if (p->r == 0)
			p->r = hook_before(ctx, p->expect);
		if (p->r < 0)
			continue;
		/* the hook may take long (a log line on a slow disk): a process may have
		 * mapped the file meanwhile, or the name may name another file now, one
		 * renamed over it */
		if (p->expect && monotonic_ns() > valid_until)
			valid_until = pass_held(ctx, v, i, n);
		if (p->r == 0 && p->expect)
			p->r = pcand_check(p, &st);
		if (p->r == 0 && unlinkat(p->dfd, p->fname, 0) < 0)
			p->r = -errno;
		hook_after(ctx, p->expect, p->r);
	}
	for (int k = 0; k < IPCADM_NALL_KINDS; k++)
		if (dirs[k] >= 0)
			close(dirs[k]);
}

int ipcadm_posix_remove_many(struct ipcadm_ctx *ctx, const struct ipcadm_obj *const *objs,
			     size_t n, int *results)
{
	struct pcand *v;

	if (!ctx->live)
		return -EOPNOTSUPP;
	if (n == 0)
		return 0;
	v = calloc(n, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		v[i] = (struct pcand){ .kind = objs[i]->kind, .name = objs[i]->name,
				       .expect = objs[i] };
	remove_batch(ctx, v, n);
	for (size_t i = 0; i < n; i++)
		results[i] = v[i].r;
	free(v);
	return 0;
}

int ipcadm_posix_remove(struct ipcadm_ctx *ctx, enum ipcadm_kind kind, const char *name,
			const struct ipcadm_obj *expect)
{
	struct pcand p = { .kind = kind, .name = name, .expect = expect };

	if (!ctx->live)
		return -EOPNOTSUPP;
	remove_batch(ctx, &p, 1);
	return p.r;
}
