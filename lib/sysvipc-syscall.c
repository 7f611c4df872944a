/* sysvipc-syscall.c: reads objects with shmctl/semctl/msgctl: the *_STAT_ANY walk (live
 * reads, see snapshot.c), one object by ID or by key, semaphore values and queue qbytes. */
#include "internal.h"
#include "parallel.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <time.h>

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

static void from_perm(struct ipcadm_obj *o, const struct ipc_perm *p)
{
	o->key = (int32_t)p->__key;
	o->mode = p->mode;
	o->uid = p->uid;
	o->gid = p->gid;
	o->cuid = p->cuid;
	o->cgid = p->cgid;
}

int syscall_ctl(enum ipcadm_kind kind, int id, int cmd, void *buf)
{
	union semun arg = { .buf = buf };

	if (kind == IPCADM_SHM)
		return shmctl(id, cmd, buf);
	if (kind == IPCADM_SEM)
		return semctl(id, 0, cmd, arg);
	return msgctl(id, cmd, buf);
}

/* Runs one *_STAT-style call; returns the object's ID or -errno. */
static int stat_call(enum ipcadm_kind kind, int cmd, int idx, struct ipcadm_obj *o)
{
	union {
		struct shmid_ds shm;
		struct semid_ds sem;
		struct msqid_ds msg;
	} ds;
	int id;

	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->rss = o->swap = IPCADM_UNKNOWN;
	o->qbytes = IPCADM_UNKNOWN;
	memset(&ds, 0, sizeof(ds)); /* zeroed: valgrind does not know *_STAT_ANY */
	id = syscall_ctl(kind, idx, cmd, &ds);
	if (id < 0)
		return -errno;
	if (kind == IPCADM_SHM) {
		from_perm(o, &ds.shm.shm_perm);
		o->size = ds.shm.shm_segsz;
		o->nattch = ds.shm.shm_nattch;
		o->cpid = ds.shm.shm_cpid;
		o->lpid = ds.shm.shm_lpid;
		o->atime = ds.shm.shm_atime;
		o->dtime = ds.shm.shm_dtime;
		o->ctime = ds.shm.shm_ctime;
	} else if (kind == IPCADM_SEM) {
		from_perm(o, &ds.sem.sem_perm);
		o->nsems = ds.sem.sem_nsems;
		o->otime = ds.sem.sem_otime;
		o->ctime = ds.sem.sem_ctime;
	} else {
		from_perm(o, &ds.msg.msg_perm);
		o->cbytes = ds.msg.__msg_cbytes;
		o->qnum = ds.msg.msg_qnum;
		o->qbytes = ds.msg.msg_qbytes;
		o->lspid = ds.msg.msg_lspid;
		o->lrpid = ds.msg.msg_lrpid;
		o->stime = ds.msg.msg_stime;
		o->rtime = ds.msg.msg_rtime;
		o->ctime = ds.msg.msg_ctime;
	}
	return cmd == IPC_STAT ? idx : id;
}

static const int stat_any_cmd[IPCADM_NSYSV_KINDS] = { SHM_STAT_ANY, SEM_STAT_ANY, MSG_STAT_ANY };
static const int stat_cmd[IPCADM_NSYSV_KINDS] = { SHM_STAT, SEM_STAT, MSG_STAT };

/* The highest index in use (0 when none: the kernel does not tell them apart). IPC_INFO,
 * not SHM_INFO: SHM_INFO also sums every segment's resident pages. */
static int max_index(enum ipcadm_kind kind)
{
	union {
		struct shminfo shm;
		struct seminfo sem;
		struct msginfo msg;
	} info;
	int max = syscall_ctl(kind, 0, IPC_INFO, &info);

	return max < 0 ? -errno : max;
}

/* How many objects the kernel says exist (cheap when there are none). */
static int used_ids(enum ipcadm_kind kind)
{
	static const int info_cmd[IPCADM_NSYSV_KINDS] = { SHM_INFO, SEM_INFO, MSG_INFO };
	union {
		struct shm_info shm;
		struct seminfo sem;
		struct msginfo msg;
	} info;

	if (syscall_ctl(kind, 0, info_cmd[kind], &info) < 0)
		return -errno;
	if (kind == IPCADM_SHM)
		return info.shm.used_ids;
	return kind == IPCADM_SEM ? info.sem.semusz : info.msg.msgpool;
}

struct walk {
	enum ipcadm_kind kind;
	int cmd;
	void (*each)(void *arg, struct ipcadm_obj *o);
	void *arg;
	struct ipcadm_obj *objs; /* a slot for each index */
	size_t lo[PARALLEL_MAX], n[PARALLEL_MAX]; /* each slice's first slot, objects found */
	int err[PARALLEL_MAX];
};

static void walk_slice(void *arg, size_t lo, size_t hi, unsigned int slice)
{
	struct walk *w = arg;
	size_t n = 0;

	for (size_t idx = lo; idx < hi; idx++) {
		int r = stat_call(w->kind, w->cmd, (int)idx, &w->objs[lo + n]);

		if (r >= 0) {
			w->objs[lo + n].id = r;
			if (w->each) /* while the object is fresh in every cache */
				w->each(w->arg, &w->objs[lo + n]);
			n++;
			continue;
		}
		/* an empty slot, a vanished object, or (plain *_STAT) no read permission; a
		 * *_STAT_ANY refused (a security module) would leave an object out unseen */
		if (r != -EINVAL && r != -EIDRM &&
		    (r != -EACCES || w->cmd == stat_any_cmd[w->kind])) {
			w->err[slice] = r;
			break;
		}
	}
	w->lo[slice] = lo;
	w->n[slice] = n;
}

/* One *_STAT call per index, the indexes shared out among the cores. */
static int walk(struct walk *wp, int cmd, int max, size_t *np)
{
	size_t total = (size_t)max + 1, n = 0;
	unsigned int k = parallel_slices(total, 4096);
	struct walk w = *wp;
	struct ipcadm_obj *objs = w.objs;

	w.cmd = cmd;
	parallel_for(total, 4096, walk_slice, &w);
	for (unsigned int i = 0; i < k; i++) {
		if (w.err[i] == 0)
			continue;
		for (unsigned int s = 0; s < k; s++) /* what each() allocated */
			for (size_t j = w.lo[s]; j < w.lo[s] + w.n[s]; j++)
				free(objs[j].sems);
		return w.err[i];
	}
	for (unsigned int i = 0; i < k; i++) {
		if (n != w.lo[i])
			memmove(&objs[n], &objs[w.lo[i]], w.n[i] * sizeof(*objs));
		n += w.n[i];
	}
	*np = n;
	return 0;
}

int syscall_read_all(enum ipcadm_kind kind, bool any_only,
		     void (*each)(void *arg, struct ipcadm_obj *o), void *arg,
		     struct ipcadm_obj **objsp, size_t *np)
{
	int used, max = max_index(kind);
	struct walk w = { .kind = kind, .each = each, .arg = arg };
	int r;

	if (max < 0)
		return max;
	w.objs = calloc((size_t)max + 1, sizeof(*w.objs));
	if (w.objs == NULL)
		return -ENOMEM;
	r = walk(&w, stat_any_cmd[kind], max, np);
	/* Before Linux 4.17 every *_STAT_ANY call fails with EINVAL: none found, some exist. */
	if (r == 0 && *np == 0 && (used = used_ids(kind)) != 0) {
		if (used < 0 || any_only)
			r = used < 0 ? used : -ENOSYS;
		else
			r = walk(&w, stat_cmd[kind], max, np);
	}
	if (r < 0) {
		free(w.objs);
		return r;
	}
	*objsp = w.objs;
	return 0;
}

int syscall_read_one(enum ipcadm_kind kind, int id, struct ipcadm_obj *obj)
{
	/* An ID is seq << 15 | index (seq << 24 with the ipcmni_extend boot option). */
	const int masks[] = { 0x7fff, 0xffffff };
	int64_t seen = (int64_t)time(NULL);
	int r;

	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		r = stat_call(kind, stat_any_cmd[kind], id & masks[i], obj);
		if (r == id) {
			obj->id = id;
			obj->seen = seen;
			return 0;
		}
	}
	/* No *_STAT_ANY (old kernel): IPC_STAT checks read permission. */
	r = stat_call(kind, IPC_STAT, id, obj);
	if (r == -EINVAL || r == -EIDRM)
		return -ENOENT;
	if (r < 0)
		return r;
	obj->id = id;
	obj->seen = seen;
	return 0;
}

int syscall_read_semvals(struct ipcadm_obj *obj, unsigned int parts)
{
	size_t n = obj->nsems;
	unsigned short small[64], *vals = small; /* most arrays are small: no allocation */
	bool values = parts & IPCADM_SEM_VALUE;
	struct ipcadm_semval *sv;
	union semun arg;

	if (n == 0)
		return 0;
	if (values && n > sizeof(small) / sizeof(small[0]))
		vals = calloc(n, sizeof(*vals));
	sv = calloc(n, sizeof(*sv));
	if (vals == NULL || sv == NULL) {
		if (vals != small)
			free(vals);
		free(sv);
		return -ENOMEM;
	}
	arg.array = vals;
	if (values && semctl(obj->id, 0, GETALL, arg) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (values)
			sv[i].value = vals[i];
		if (parts & IPCADM_SEM_COUNTS) {
			sv[i].ncnt = semctl(obj->id, (int)i, GETNCNT);
			sv[i].zcnt = semctl(obj->id, (int)i, GETZCNT);
			if (sv[i].ncnt < 0 || sv[i].zcnt < 0)
				goto fail;
		}
		if (parts & IPCADM_SEM_PID) {
			sv[i].pid = semctl(obj->id, (int)i, GETPID);
			if (sv[i].pid < 0)
				goto fail;
		}
	}
	if (vals != small)
		free(vals);
	obj->sems = sv;
	obj->sems_read = parts;
	return 0;
fail:
	obj->sems_err = -errno;
	if (vals != small)
		free(vals);
	free(sv);
	return obj->sems_err;
}

int syscall_read_qbytes(struct ipcadm_obj *obj)
{
	struct ipcadm_obj tmp;
	int r = syscall_read_one(IPCADM_MSG, obj->id, &tmp);

	if (r < 0)
		return r;
	obj->qbytes = tmp.qbytes;
	return 0;
}

int ipcadm_sysv_key_id(struct ipcadm_ctx *ctx, enum ipcadm_kind kind, int32_t key)
{
	int id;

	if (!ctx->live)
		return -EOPNOTSUPP;
	if ((unsigned int)kind >= IPCADM_NSYSV_KINDS || key == IPC_PRIVATE)
		return -EINVAL;
	if (kind == IPCADM_SHM)
		id = shmget(key, 0, 0);
	else if (kind == IPCADM_SEM)
		id = semget(key, 0, 0);
	else
		id = msgget(key, 0);
	return id < 0 ? -errno : id;
}

int ipcadm_sysv_may_read(struct ipcadm_ctx *ctx, enum ipcadm_kind kind, int id)
{
	struct ipcadm_obj o;
	int r;

	if (!ctx->live)
		return -EOPNOTSUPP;
	if ((unsigned int)kind >= IPCADM_NSYSV_KINDS)
		return -EINVAL;
	r = stat_call(kind, IPC_STAT, id, &o);
	return r < 0 ? r : 0;
}
