/* posix-read.c: reads POSIX IPC objects as the files they are: shared memory and named
 * semaphores on /dev/shm, queues on this IPC namespace's mqueue filesystem; their limits. */
#include "internal.h"
#include "posixparse.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "strutil.h"

#define SHM_DIR "/dev/shm"
#define SEM_PREFIX "sem."
#define SEM_PREFIX_LEN (sizeof(SEM_PREFIX) - 1)

/* fsopen(2) and friends (linux/mount.h), called directly: glibc 2.36's wrappers clash
 * with the kernel header. */
#define FSOPEN_CLOEXEC_ 0x00000001
#define FSCONFIG_CMD_CREATE_ 6
#define FSMOUNT_CLOEXEC_ 0x00000001

/* A private mount of this IPC namespace's mqueue filesystem, attached nowhere. */
static int mqueue_fsmount(void)
{
#if defined(SYS_fsopen) && defined(SYS_fsconfig) && defined(SYS_fsmount)
	int fs, mnt, dir, err;

	fs = (int)syscall(SYS_fsopen, "mqueue", FSOPEN_CLOEXEC_);
	if (fs < 0)
		return -errno;
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE_, NULL, NULL, 0) < 0) {
		err = -errno;
		close(fs);
		return err;
	}
	mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC_, 0);
	err = -errno;
	close(fs);
	if (mnt < 0)
		return err;
	dir = openat(mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	err = -errno;
	close(mnt); /* the directory keeps the mount */
	return dir < 0 ? err : dir;
#else
	return -ENOSYS;
#endif
}

/* Where /proc/self/mountinfo (below the root) says mqueue is mounted. */
static int mqueue_mounted(const struct ipcadm_ctx *ctx)
{
	char *buf, mnt[PATH_MAX];
	size_t len;
	int r = read_file(ctx, "/proc/self/mountinfo", &buf, &len);

	if (r == 0) {
		r = posixparse_mountinfo(buf, len, "mqueue", mnt, sizeof(mnt));
		free(buf);
	}
	if (r == -ENOENT && !ctx->live)
		return ipcadm_ctx_open(ctx, "/dev/mqueue", O_RDONLY | O_DIRECTORY); /* a copy */
	if (r < 0)
		return r;
	return ipcadm_ctx_open(ctx, mnt, O_RDONLY | O_DIRECTORY);
}

/* The mqueue directory of this IPC namespace, opened once per context. */
static int mqueue_dir(struct ipcadm_ctx *ctx)
{
	int fd;

	if (ctx->mqfd >= 0)
		return ctx->mqfd;
	fd = ctx->live ? mqueue_fsmount() : -EPERM;
	/* an mqueue mount shows the queues of the IPC namespace it was mounted in: after
	 * setns() the ones in our mount namespace are still our own namespace's */
	if (fd < 0 && !ctx->ns_entered) {
		int mounted = mqueue_mounted(ctx);

		/* not mounted and no right to mount it: say why it could not be mounted */
		fd = mounted == -ENOENT && ctx->live ? fd : mounted;
	}
	if (fd >= 0)
		ctx->mqfd = fd;
	return fd;
}

int posix_kind_dir(struct ipcadm_ctx *ctx, enum ipcadm_kind kind)
{
	int mq;

	if (kind != IPCADM_PMQ)
		return ipcadm_ctx_open(ctx, SHM_DIR, O_RDONLY | O_DIRECTORY);
	mq = mqueue_dir(ctx);
	if (mq < 0)
		return mq;
	mq = openat(mq, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return mq < 0 ? -errno : mq;
}

int posix_file_name(enum ipcadm_kind kind, const char *name, char *buf, size_t len)
{
	size_t n = name ? strlen(name) : 0, prefix = kind == IPCADM_PSEM ? SEM_PREFIX_LEN : 0;

	if (n == 0 || n + prefix > NAME_MAX || len <= n + prefix || strchr(name, '/') != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EINVAL;
	memcpy(buf, SEM_PREFIX, prefix);
	memcpy(buf + prefix, name, n + 1);
	return 0;
}

int posix_read_queue_file(int dfd, const char *fname, struct mq_file_info *mi)
{
	struct mq_attr attr;
	uint64_t msgs;
	char buf[256];
	int r;
	ssize_t n;
	int fd = openat(dfd, fname, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	/* The open file is the queue: mq_getattr()'s call on it tells the message count
	 * (and changes nothing). A copied tree's plain file answers EBADF. */
	msgs = syscall(SYS_mq_getsetattr, fd, NULL, &attr) == 0 ? (uint64_t)attr.mq_curmsgs
								 : IPCADM_UNKNOWN;
	close(fd);
	buf[n] = '\0';
	r = posixparse_mqueue(buf, (size_t)n, mi);
	mi->msgs = msgs;
	return r;
}

static void fill_obj(struct ipcadm_obj *o, enum ipcadm_kind kind, const struct stat *st)
{
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->id = -1;
	o->mode = st->st_mode & 07777;
	o->uid = o->cuid = st->st_uid;
	o->gid = o->cgid = st->st_gid;
	o->size = (uint64_t)st->st_size;
	o->alloc = (uint64_t)st->st_blocks * 512;
	o->atime = st->st_atim.tv_sec;
	o->mtime = st->st_mtim.tv_sec;
	o->ctime = st->st_ctim.tv_sec;
	o->dev = (uint64_t)st->st_dev;
	o->ino = (uint64_t)st->st_ino;
	o->rss = o->swap = o->qbytes = IPCADM_UNKNOWN;
}

/* Reads one object from its directory: -ENOENT when it is not a regular file there. */
static int read_one(int dfd, enum ipcadm_kind kind, const char *fname, struct ipcadm_obj *o)
{
	struct stat st;
	struct mq_file_info mi;
	int r;

	if (fstatat(dfd, fname, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -ENOENT;
	fill_obj(o, kind, &st); /* stat first: reading a queue file sets its atime and ctime */
	if (kind == IPCADM_PMQ) {
		r = posix_read_queue_file(dfd, fname, &mi);
		if (r < 0)
			return r;
		o->cbytes = o->size = mi.qsize;
		o->qnum = mi.msgs;
		o->alloc = IPCADM_UNKNOWN;
		o->notify = mi.notify;
		o->signo = mi.signo;
		o->notify_pid = mi.notify_pid;
	}
	o->name = strdup(kind == IPCADM_PSEM ? fname + SEM_PREFIX_LEN : fname);
	return o->name ? 0 : -ENOMEM;
}

static bool wanted(enum ipcadm_kind kind, const char *fname)
{
	bool sem = strncmp(fname, SEM_PREFIX, SEM_PREFIX_LEN) == 0 && fname[SEM_PREFIX_LEN];

	if (strcmp(fname, ".") == 0 || strcmp(fname, "..") == 0)
		return false;
	return kind == IPCADM_PMQ || (kind == IPCADM_PSEM) == sem;
}

static int cmp_name(const void *x, const void *y)
{
	return strcmp(((const struct ipcadm_obj *)x)->name, ((const struct ipcadm_obj *)y)->name);
}

int posix_read_kind(struct ipcadm_ctx *ctx, enum ipcadm_kind kind, struct ipcadm_obj **objsp,
		    size_t *np)
{
	struct ipcadm_obj *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *dir;
	int dfd = posix_kind_dir(ctx, kind), r = 0;

	*objsp = NULL;
	*np = 0;
	if (dfd == -ENOENT && kind != IPCADM_PMQ)
		return 0; /* no /dev/shm: no objects */
	r = dir_from_fd(dfd, &dir);
	if (r < 0)
		return r;
	while (r == 0 && (de = readdir(dir)) != NULL) {
		if (!wanted(kind, de->d_name))
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct ipcadm_obj *nv = realloc(v, nc * sizeof(*nv));

			if (nv == NULL) {
				r = -ENOMEM;
				break;
			}
			v = nv;
			cap = nc;
		}
		r = read_one(dirfd(dir), kind, de->d_name, &v[n]);
		if (r == 0)
			n++;
		else if (r != -ENOMEM && r != -EACCES && r != -EPERM)
			r = 0; /* gone meanwhile, or not an object (a directory, a symlink) */
	}
	closedir(dir);
	if (r < 0) {
		for (size_t i = 0; i < n; i++)
			free(v[i].name);
		free(v);
		return r;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_name);
	*objsp = v;
	*np = n;
	return 0;
}

static uint64_t read_sysctl(const struct ipcadm_ctx *ctx, const char *path)
{
	char *buf;
	size_t len;
	uint64_t v = IPCADM_UNKNOWN;

	if (read_file(ctx, path, &buf, &len) < 0)
		return IPCADM_UNKNOWN;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	if (str_to_u64(buf, &v) < 0)
		v = IPCADM_UNKNOWN;
	free(buf);
	return v;
}

void posix_read_limits(struct ipcadm_ctx *ctx, struct ipcadm_snapshot *snap)
{
	struct ipcadm_posix_limits *l = &snap->plimits;
	struct statvfs sv;

	l->queues_max = read_sysctl(ctx, "/proc/sys/fs/mqueue/queues_max");
	l->msg_max = read_sysctl(ctx, "/proc/sys/fs/mqueue/msg_max");
	l->msgsize_max = read_sysctl(ctx, "/proc/sys/fs/mqueue/msgsize_max");
	l->msg_default = read_sysctl(ctx, "/proc/sys/fs/mqueue/msg_default");
	l->msgsize_default = read_sysctl(ctx, "/proc/sys/fs/mqueue/msgsize_default");
	l->queues = IPCADM_UNKNOWN;
	l->shm_size = l->shm_used = l->shm_avail = IPCADM_UNKNOWN;
	l->shm_inodes = l->shm_inodes_used = IPCADM_UNKNOWN;
	l->shm_objs_alloc = 0;
	/* a copied tree's /dev/shm is no filesystem of its own: no sizes then */
	if (ctx->live && statvfs(SHM_DIR, &sv) == 0) {
		l->shm_size = (uint64_t)sv.f_blocks * sv.f_frsize;
		l->shm_used = (uint64_t)(sv.f_blocks - sv.f_bfree) * sv.f_frsize;
		l->shm_avail = (uint64_t)sv.f_bavail * sv.f_frsize;
		l->shm_inodes = sv.f_files;
		l->shm_inodes_used = sv.f_files - sv.f_ffree;
	}
	for (int k = IPCADM_PSHM; k <= IPCADM_PSEM; k++)
		for (size_t i = 0; i < snap->n[k]; i++)
			l->shm_objs_alloc += snap->objs[k][i].alloc;
	if (snap->objs[IPCADM_PMQ] || (snap->err[IPCADM_PMQ] == 0 && ctx->mqfd >= 0))
		l->queues = snap->n[IPCADM_PMQ];
}
