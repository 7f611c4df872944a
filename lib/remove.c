/* remove.c: every removal, System V (IPC_RMID) and POSIX (unlink), guarded: an object is
 * read again right before removal and left alone if anything shows it was used since. */
#include "internal.h"
#include "posix-holders.h"
#include "posixparse.h"

#include <errno.h>
#include <fcntl.h>
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

/* rmid() between the remove hook's two calls (see ipcadm_ctx_set_remove_hook). */
static int hooked_rmid(const struct ipcadm_ctx *ctx, enum ipcadm_kind kind, int id,
		       const struct ipcadm_obj *expect)
{
	int r = hook_before(ctx, expect);

	if (r < 0)
		return r;
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

int ipcadm_obj_remove(struct ipcadm_ctx *ctx, enum ipcadm_kind kind, int id,
		      const struct ipcadm_obj *expect)
{
	struct ipcadm_obj now;
	unsigned int parts;
	int r;

	if (!ctx->live)
		return -EOPNOTSUPP;
	if ((unsigned int)kind >= IPCADM_NSYSV_KINDS)
		return -EINVAL;
	r = syscall_read_one(kind, id, &now);
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
	return hooked_rmid(ctx, kind, id, expect);
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
	struct ipcadm_obj now, after;
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
	after.atime = now.atime;
	after.dtime = now.dtime;
	after.lpid = now.lpid;
	if (!ipcadm_obj_unchanged(&now, &after))
		return -ESTALE;
	return hooked_rmid(ctx, IPCADM_SHM, expect->id, expect);
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

int ipcadm_posix_remove(struct ipcadm_ctx *ctx, enum ipcadm_kind kind, const char *name,
			const struct ipcadm_obj *expect)
{
	char fname[NAME_MAX + 1];
	struct stat st;
	int dfd, r;

	if (!ctx->live)
		return -EOPNOTSUPP;
	if (!IPCADM_IS_POSIX(kind) || (unsigned int)kind >= IPCADM_NALL_KINDS ||
	    posix_file_name(kind, name, fname, sizeof(fname)) < 0)
		return -EINVAL;
	dfd = posix_kind_dir(ctx, kind);
	if (dfd < 0)
		return dfd;
	r = 0;
	if (fstatat(dfd, fname, &st, AT_SYMLINK_NOFOLLOW) < 0)
		r = -errno;
	else if (!S_ISREG(st.st_mode))
		r = -ENOENT;
	else if (expect && !file_unchanged(dfd, fname, expect, &st))
		r = -ESTALE;
	else if (expect)
		r = posix_held(ctx, expect->dev, expect->ino);
	if (r > 0)
		r = -ESTALE; /* opened or mapped since the scan; < 0: not known, not removed */
	if (r == 0)
		r = hook_before(ctx, expect);
	if (r == 0) {
		if (unlinkat(dfd, fname, 0) < 0)
			r = -errno;
		hook_after(ctx, expect, r);
	}
	close(dfd);
	return r;
}
