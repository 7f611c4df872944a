/* nsenter.c: IPC namespaces: found from /proc/PID/ns/ipc; another one is read (and its
 * objects removed) in a child that setns()es into it and sends the snapshot back. */
#include "internal.h"
#include "procparse.h"
#include "snapshot-wire.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "strutil.h"

/* "ipc:[4026531839]" of a path below the root; 0 when unreadable. */
static uint64_t ns_ino(const struct ipcadm_ctx *ctx, const char *path)
{
	char full[PATH_MAX + 64], link[64];
	const char *open;
	uint64_t ino;
	ssize_t n;

	snprintf(full, sizeof(full), "%s%s", ctx->root, path);
	n = readlink(full, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	open = strchr(link, '[');
	if (open == NULL || link[n - 1] != ']' ||
	    mem_to_u64(open + 1, (size_t)(link + n - 2 - open), &ino) < 0)
		return 0;
	return ino;
}

/* The command and start of a process, from /proc/PID/stat. */
static int proc_info(const struct ipcadm_ctx *ctx, pid_t pid, char *comm, size_t len,
		     uint64_t *start)
{
	char path[64], *buf;
	struct proc_stat st;
	size_t n;
	int r;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	r = read_file(ctx, path, &buf, &n);
	if (r < 0)
		return r;
	r = procparse_stat(buf, n, &st);
	free(buf);
	if (r < 0)
		return r;
	snprintf(comm, len, "%s", st.comm);
	*start = st.starttime;
	return 0;
}

/* The cgroup of a process: the v2 line ("0::/path"), else the first line's path. */
static void proc_cgroup(const struct ipcadm_ctx *ctx, pid_t pid, char *out, size_t len)
{
	char path[64], *buf, *line, *save = NULL, *first = NULL;
	size_t n;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if (read_file(ctx, path, &buf, &n) < 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p = strchr(line, ':');

		p = p ? strchr(p + 1, ':') : NULL;
		if (p == NULL)
			continue;
		if (strncmp(line, "0::", 3) == 0) {
			snprintf(out, len, "%s", p + 1);
			free(buf);
			return;
		}
		if (first == NULL)
			first = p + 1;
	}
	if (first)
		snprintf(out, len, "%s", first);
	free(buf);
}

static int cmp_ns(const void *x, const void *y)
{
	const struct ipcadm_ns *a = x, *b = y;

	if (a->self != b->self)
		return a->self ? -1 : 1;
	return (a->ino > b->ino) - (a->ino < b->ino);
}

static uint64_t ns_path_id(const struct ipcadm_ctx *ctx, const char *path);

int ipcadm_ns_list(struct ipcadm_ctx *ctx, struct ipcadm_ns **nsp, size_t *np)
{
	char path[PATH_MAX + 16];
	uint64_t self = ns_ino(ctx, "/proc/self/ns/ipc"), *starts = NULL;
	struct ipcadm_ns *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/proc", ctx->root);
	dir = opendir(path);
	if (dir == NULL)
		return -errno;
	while ((de = readdir(dir)) != NULL) {
		uint64_t pid, ino, start;
		char comm[65], p[64];
		size_t i;

		if (de->d_name[0] < '1' || de->d_name[0] > '9' || str_to_u64(de->d_name, &pid) < 0 ||
		    pid > INT32_MAX)
			continue;
		snprintf(p, sizeof(p), "/proc/%d/ns/ipc", (int)pid);
		ino = ns_ino(ctx, p);
		if (ino == 0 || proc_info(ctx, (pid_t)pid, comm, sizeof(comm), &start) < 0)
			continue; /* a kernel thread shares the initial one; or it exited */
		for (i = 0; i < n && v[i].ino != ino; i++)
			;
		if (i == n) {
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 16;
				struct ipcadm_ns *nv = realloc(v, nc * sizeof(*nv));
				uint64_t *ns = realloc(starts, nc * sizeof(*ns));

				if (nv)
					v = nv;
				if (ns)
					starts = ns;
				if (nv == NULL || ns == NULL) {
					closedir(dir);
					free(v);
					free(starts);
					return -ENOMEM;
				}
				cap = nc;
			}
			memset(&v[n], 0, sizeof(v[n]));
			v[n].ino = ino;
			v[n].self = ino == self;
			starts[n] = UINT64_MAX;
			n++;
		}
		v[i].nprocs++;
		if (start < starts[i] || (start == starts[i] && (pid_t)pid < v[i].pid)) {
			starts[i] = start;
			v[i].pid = (pid_t)pid;
			snprintf(v[i].comm, sizeof(v[i].comm), "%s", comm);
		}
	}
	closedir(dir);
	free(starts);
	for (size_t i = 0; i < n; i++) {
		snprintf(v[i].path, sizeof(v[i].path), "/proc/%d/ns/ipc", (int)v[i].pid);
		proc_cgroup(ctx, v[i].pid, v[i].cgroup, sizeof(v[i].cgroup));
		if (ctx->live)
			v[i].id = ns_path_id(ctx, v[i].path);
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_ns);
	*nsp = v;
	*np = n;
	return 0;
}

/*
 * Opens a namespace file below the root: never waits (a FIFO put where a namespace file
 * was expected would block the open for ever), and in a live system only an IPC
 * namespace is taken (a plain file's inode would be taken for a namespace's).
 */
static int ns_file_open(const struct ipcadm_ctx *ctx, const char *path)
{
	char full[PATH_MAX + 300];
	int fd;

	if ((size_t)snprintf(full, sizeof(full), "%s%s", ctx->root, path) >= sizeof(full))
		return -ENAMETOOLONG;
	fd = open(full, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ctx->live && ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWIPC) {
		close(fd);
		return IPCADM_ENOTIPCNS;
	}
	return fd;
}

#ifndef NS_GET_ID
#define NS_GET_ID _IOR(0xb7, 0xd, uint64_t) /* Linux 6.18 */
#endif

uint64_t ns_fd_id(int fd)
{
	uint64_t id = 0;

	return ioctl(fd, NS_GET_ID, &id) == 0 ? id : 0;
}

/* The ID of the namespace at path (below the root), 0 when unknown. */
static uint64_t ns_path_id(const struct ipcadm_ctx *ctx, const char *path)
{
	int fd = ns_file_open(ctx, path);
	uint64_t id;

	if (fd < 0)
		return 0;
	id = ns_fd_id(fd);
	close(fd);
	return id;
}

/*
 * "ipc:INODE" (or "ipc:[INODE]", as the link reads) and "ipcid:ID" (the kernel's ID,
 * NS_GET_ID): the namespace, entered through its oldest process, whose namespace is
 * checked again when it is opened. A PID may be reused between a command's printing and
 * its running, and so may an inode number once its namespace is gone; an ID is not.
 */
static int ns_by_key(struct ipcadm_ctx *ctx, const char *spec, bool by_id, struct ipcadm_ns *ns)
{
	size_t len = strlen(spec);
	struct ipcadm_ns *all;
	uint64_t key;
	size_t n;
	int r;

	if (len > 2 && spec[0] == '[' && spec[len - 1] == ']') {
		spec++;
		len -= 2;
	}
	if (mem_to_u64(spec, len, &key) < 0 || key == 0)
		return -EINVAL;
	r = ipcadm_ns_list(ctx, &all, &n);
	if (r < 0)
		return r;
	r = -ESRCH; /* no process is in it (a namespace kept by a bind mount: name its path) */
	for (size_t i = 0; i < n; i++) {
		if ((by_id ? all[i].id : all[i].ino) == key) {
			*ns = all[i];
			r = 0;
		}
	}
	free(all);
	return r;
}

int ipcadm_ns_resolve(struct ipcadm_ctx *ctx, const char *spec, struct ipcadm_ns *ns)
{
	uint64_t pid, start, self = ns_ino(ctx, "/proc/self/ns/ipc");
	struct stat st;
	int fd;

	memset(ns, 0, sizeof(*ns));
	if (strncmp(spec, "ipc:", 4) == 0)
		return ns_by_key(ctx, spec + 4, false, ns);
	if (strncmp(spec, "ipcid:", 6) == 0)
		return ns_by_key(ctx, spec + 6, true, ns);
	if (str_to_u64(spec, &pid) == 0) {
		if (pid == 0 || pid > INT32_MAX)
			return -EINVAL;
		snprintf(ns->path, sizeof(ns->path), "/proc/%d/ns/ipc", (int)pid);
		ns->pid = (pid_t)pid;
		if (proc_info(ctx, ns->pid, ns->comm, sizeof(ns->comm), &start) < 0)
			return -ESRCH;
		proc_cgroup(ctx, ns->pid, ns->cgroup, sizeof(ns->cgroup));
	} else {
		if (strlen(spec) >= sizeof(ns->path))
			return -ENAMETOOLONG;
		snprintf(ns->path, sizeof(ns->path), "%s", spec);
	}
	fd = ns_file_open(ctx, ns->path);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -errno;
	}
	ns->id = ctx->live ? ns_fd_id(fd) : 0;
	close(fd);
	ns->ino = (uint64_t)st.st_ino;
	ns->self = ns->ino == self;
	/* the hint and the process count, from the namespaces processes are in */
	{
		struct ipcadm_ns *all;
		size_t n;

		if (ipcadm_ns_list(ctx, &all, &n) == 0) {
			for (size_t i = 0; i < n; i++) {
				if (all[i].ino != ns->ino)
					continue;
				ns->nprocs = all[i].nprocs;
				if (ns->pid == 0) {
					ns->pid = all[i].pid;
					memcpy(ns->comm, all[i].comm, sizeof(ns->comm));
					memcpy(ns->cgroup, all[i].cgroup, sizeof(ns->cgroup));
				}
			}
			free(all);
		}
	}
	return 0;
}

/* ---- the child that enters a namespace ---- */

/* Opens the namespace and checks that it is still the one listed (PID reuse). */
static int ns_open(const struct ipcadm_ctx *ctx, const struct ipcadm_ns *ns)
{
	struct stat st;
	int fd = ns_file_open(ctx, ns->path);

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || (uint64_t)st.st_ino != ns->ino ||
	    (ns->id && ns_fd_id(fd) != ns->id)) {
		close(fd);
		return -ESRCH; /* the process left, and its PID names another namespace now */
	}
	return fd;
}

/* Enters the namespace (in the child): only the IPC namespace, so PIDs stay ours. */
/* Opens the namespace and a pipe, then forks (the child enters the namespace itself).
 * Returns the child's PID (0 in the child), or -errno with everything closed. */
static pid_t fork_for(const struct ipcadm_ctx *ctx, const struct ipcadm_ns *ns, int *nsfd,
		      int fds[2])
{
	pid_t pid;
	int r;

	*nsfd = ns_open(ctx, ns);
	if (*nsfd < 0)
		return *nsfd;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		r = -errno;
		close(*nsfd);
		return r;
	}
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(*nsfd);
		close(fds[0]);
		close(fds[1]);
		return r;
	}
	return pid;
}

static int child_enter(struct ipcadm_ctx *ctx, int nsfd)
{
	if (setns(nsfd, CLONE_NEWIPC) < 0)
		return -errno;
	close(nsfd);
	ctx->ns_entered = true;
	if (ctx->mqfd >= 0) { /* our own namespace's queues: not this one's */
		close(ctx->mqfd);
		ctx->mqfd = -1;
	}
	return 0;
}

static int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return -WEXITSTATUS(status);
	return -EIO; /* killed */
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(EIO);
		p += w;
		n -= (size_t)w;
	}
}

static void tag(struct ipcadm_snapshot *snap, uint64_t ino)
{
	snap->ipcns = ino;
	for (int k = 0; k < IPCADM_NALL_KINDS; k++)
		for (size_t i = 0; i < snap->n[k]; i++)
			snap->objs[k][i].ipcns = ino;
}

/*
 * The parent's side of a child from fork_for(): all it writes to the pipe, then its exit.
 * Returns 0 with *buf (the caller frees it), or -errno of the read or of the child.
 */
static int child_output(pid_t pid, int nsfd, int fds[2], char **buf, size_t *len)
{
	int r, rc;

	close(nsfd);
	close(fds[1]);
	r = read_fd_all(fds[0], buf, len);
	close(fds[0]);
	rc = wait_child(pid);
	if (r < 0)
		return r;
	if (rc < 0) {
		free(*buf);
		return rc;
	}
	return 0;
}

int ipcadm_snapshot_read_ns(struct ipcadm_ctx *ctx, const struct ipcadm_ns *ns,
			    unsigned int kinds, unsigned int flags,
			    struct ipcadm_snapshot **snapp)
{
	struct ipcadm_snapshot *snap;
	unsigned int want;
	int fds[2], nsfd, r, rc;
	char *buf;
	size_t len;
	pid_t pid;

	if (ns->self || !ctx->live) {
		r = ipcadm_snapshot_read(ctx, kinds, flags, snapp);
		if (r == 0)
			tag(*snapp, ns->ino);
		return r;
	}
	want = kinds;
	kinds &= ~(IPCADM_KIND_BIT(IPCADM_PSHM) | IPCADM_KIND_BIT(IPCADM_PSEM));
	pid = fork_for(ctx, ns, &nsfd, fds);
	if (pid < 0)
		return (int)pid;
	if (pid == 0) {
		char *wire = NULL;
		size_t wlen = 0;
		int32_t err;

		close(fds[0]);
		err = child_enter(ctx, nsfd);
		if (err == 0)
			err = ipcadm_snapshot_read(ctx, kinds, flags, &snap);
		if (err == 0)
			err = snapshot_wire_encode(snap, &wire, &wlen);
		/* the status, then (when 0) the snapshot */
		write_all(fds[1], (const char *)&err, sizeof(err));
		write_all(fds[1], wire, wlen);
		_exit(0);
	}
	r = child_output(pid, nsfd, fds, &buf, &len);
	if (r < 0)
		return r;
	if (len < sizeof(int32_t)) {
		free(buf);
		return -EBADMSG;
	}
	memcpy(&rc, buf, sizeof(int32_t));
	if (rc > 0 || rc < -4095) {
		free(buf);
		return -EBADMSG; /* not a status */
	}
	if (rc < 0) {
		free(buf);
		return rc;
	}
	r = snapshot_wire_decode(buf + sizeof(int32_t), len - sizeof(int32_t), &snap);
	free(buf);
	if (r < 0)
		return r;
	tag(snap, ns->ino);
	/* /dev/shm belongs to a mount namespace: the child saw ours, not this one's */
	snap->plimits.shm_size = snap->plimits.shm_used = snap->plimits.shm_avail = IPCADM_UNKNOWN;
	snap->plimits.shm_inodes = snap->plimits.shm_inodes_used = IPCADM_UNKNOWN;
	snap->plimits.shm_objs_alloc = 0;
	for (int k = IPCADM_PSHM; k <= IPCADM_PSEM; k++)
		if (want & IPCADM_KIND_BIT(k))
			snap->err[k] = -EOPNOTSUPP; /* not read: say so, not "none" */
	*snapp = snap;
	return 0;
}

/* The end of a child: what it found (when r is 0, and fd >= 0) into the pipe, then r as
 * its exit status (the errno; EIO for one that does not fit), which wait_child() gives
 * back. */
static __attribute__((noreturn)) void child_finish(int fd, int r, const void *data,
						   size_t len)
{
	if (r == 0 && fd >= 0)
		write_all(fd, data, len);
	_exit(r < 0 && -r < 256 ? -r : (r < 0 ? EIO : 0));
}

/* ---- removal in a namespace ---- */

static int remove_here(struct ipcadm_ctx *ctx, const struct ipcadm_obj *o, int dirfd,
		       const char *evidence)
{
	if (IPCADM_IS_POSIX(o->kind))
		return ipcadm_posix_remove(ctx, o->kind, o->name, o);
	if (dirfd >= 0)
		return ipcadm_obj_remove_backup(ctx, o, dirfd, evidence);
	return ipcadm_obj_remove(ctx, o->kind, o->id, o);
}

int ipcadm_obj_remove_ns(struct ipcadm_ctx *ctx, const struct ipcadm_ns *ns,
			 const struct ipcadm_obj *expect, int dirfd, const char *evidence)
{
	int nsfd, r;
	pid_t pid;

	if (!ctx->live)
		return -EOPNOTSUPP;
	if (ns == NULL || ns->self)
		return remove_here(ctx, expect, dirfd, evidence);
	if (expect->kind == IPCADM_PSHM || expect->kind == IPCADM_PSEM)
		return -EOPNOTSUPP; /* not read in other namespaces */
	nsfd = ns_open(ctx, ns);
	if (nsfd < 0)
		return nsfd;
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(nsfd);
		return r;
	}
	if (pid == 0) {
		r = child_enter(ctx, nsfd);
		if (r == 0)
			r = remove_here(ctx, expect, dirfd, evidence);
		child_finish(-1, r, NULL, 0);
	}
	close(nsfd);
	return wait_child(pid);
}

int ipcadm_posix_remove_many_ns(struct ipcadm_ctx *ctx, const struct ipcadm_ns *ns,
				const struct ipcadm_obj *const *objs, size_t n, int *results)
{
	int fds[2], nsfd, r, rc;
	char *buf;
	size_t len;
	pid_t pid;

	if (!ctx->live)
		return -EOPNOTSUPP;
	if (ns == NULL || ns->self)
		return ipcadm_posix_remove_many(ctx, objs, n, results);
	for (size_t i = 0; i < n; i++)
		if (objs[i]->kind != IPCADM_PMQ)
			return -EOPNOTSUPP; /* shm and semaphores: not read in other namespaces */
	if (n == 0)
		return 0;
	pid = fork_for(ctx, ns, &nsfd, fds);
	if (pid < 0)
		return (int)pid;
	if (pid == 0) {
		close(fds[0]);
		r = child_enter(ctx, nsfd);
		if (r == 0) /* results: our copy; the parent's is filled from the pipe */
			r = ipcadm_posix_remove_many(ctx, objs, n, results);
		child_finish(fds[1], r, results, n * sizeof(*results));
	}
	rc = child_output(pid, nsfd, fds, &buf, &len);
	if (rc < 0)
		return rc;
	if (len != n * sizeof(*results))
		rc = -EBADMSG;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		int v;

		memcpy(&v, buf + i * sizeof(v), sizeof(v));
		if (v > 0 || v < -4095)
			rc = -EBADMSG; /* not a result */
	}
	if (rc == 0)
		memcpy(results, buf, len);
	free(buf);
	return rc;
}

int ipcadm_shm_backup_create_ns(struct ipcadm_ctx *ctx, const struct ipcadm_ns *ns,
				const struct ipcadm_shm_backup *b, int *idp)
{
	int fds[2], nsfd, r, id = -1;
	pid_t pid;

	if (!ctx->live)
		return -EOPNOTSUPP;
	if (ns == NULL || ns->self)
		return ipcadm_shm_backup_create(b, idp);
	pid = fork_for(ctx, ns, &nsfd, fds);
	if (pid < 0)
		return (int)pid;
	if (pid == 0) {
		close(fds[0]);
		r = child_enter(ctx, nsfd);
		if (r == 0)
			r = ipcadm_shm_backup_create(b, &id);
		child_finish(fds[1], r, &id, sizeof(id));
	}
	close(nsfd);
	close(fds[1]);
	r = wait_child(pid);
	if (r == 0 && read(fds[0], &id, sizeof(id)) != (ssize_t)sizeof(id))
		r = -EIO;
	close(fds[0]);
	if (r == 0)
		*idp = id;
	return r;
}
