/* procscan.c: reads the process table once: every /proc/PID's stat, status and IPC
 * namespace; processes that exit during the pass are skipped, not errors. */
#include "procscan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "strutil.h"

/* Reads a small file below the root into buf (NUL-terminated); returns its length. */
static ssize_t read_small(const struct ipcadm_ctx *ctx, const char *path, char *buf, size_t cap)
{
	int fd = ipcadm_ctx_open(ctx, path, O_RDONLY);
	ssize_t n, total = 0;

	if (fd < 0)
		return fd;
	while ((size_t)total < cap - 1) {
		n = read(fd, buf + total, cap - 1 - (size_t)total);
		if (n < 0) {
			int err = -errno;

			if (errno == EINTR)
				continue;
			close(fd);
			return err;
		}
		if (n == 0)
			break;
		total += n;
	}
	close(fd);
	buf[total] = '\0';
	return total;
}

/* "ipc:[4026531839]" to its inode number; 0 when unreadable. */
static unsigned long read_ns(const struct ipcadm_ctx *ctx, const char *path)
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
	    mem_to_u64(open + 1, (size_t)(link + n - 1 - open - 1), &ino) < 0)
		return 0;
	return (unsigned long)ino;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Fills p from /proc/PID; -ENOENT when the process is gone. */
static int read_proc(const struct ipcadm_ctx *ctx, const struct procs *ps, pid_t pid,
		     struct proc *p)
{
	char path[64], buf[4096];
	struct proc_stat st;
	ssize_t n;

	memset(p, 0, sizeof(*p));
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	n = read_small(ctx, path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (procparse_stat(buf, (size_t)n, &st) < 0)
		return -EBADMSG;
	p->pid = pid;
	p->ppid = st.ppid;
	memcpy(p->comm, st.comm, sizeof(p->comm));
	p->num_threads = st.num_threads;
	p->kthread = (st.flags & PROC_PF_KTHREAD) || pid == 2 || st.ppid == 2;
	p->start_ms = ps->boot_ms + (int64_t)(st.starttime * 1000 / (uint64_t)ps->ticks);
	p->start = p->start_ms / 1000;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	n = read_small(ctx, path, buf, sizeof(buf));
	if (n >= 0 && procparse_status_uids(buf, (size_t)n, &p->ruid, &p->euid) == 0)
		p->uids_known = true;
	snprintf(path, sizeof(path), "/proc/%d/ns/ipc", (int)pid);
	p->ipcns = read_ns(ctx, path);
	return 0;
}

int procs_scan(struct ipcadm_ctx *ctx, struct procs *ps)
{
	char path[PATH_MAX + 16], buf[8192];
	size_t cap = 256;
	struct dirent *de;
	DIR *dir;
	ssize_t n;

	memset(ps, 0, sizeof(*ps));
	ps->ticks = sysconf(_SC_CLK_TCK);
	if (ps->ticks <= 0)
		ps->ticks = 100;
	n = read_small(ctx, "/proc/stat", buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (procparse_btime(buf, (size_t)n, &ps->btime) < 0)
		return -EBADMSG;
	ps->boot_ms = ps->btime * 1000;
	if (ctx->live) {
		struct timespec real, boot;

		/* btime is whole seconds; the clocks give the offset to a millisecond */
		if (clock_gettime(CLOCK_REALTIME, &real) == 0 &&
		    clock_gettime(CLOCK_BOOTTIME, &boot) == 0)
			ps->boot_ms = ((int64_t)real.tv_sec - boot.tv_sec) * 1000 +
				      ((int64_t)real.tv_nsec - boot.tv_nsec) / 1000000;
		ps->self = getpid();
	}
	ps->self_ipcns = read_ns(ctx, "/proc/self/ns/ipc");
	ps->self_pidns = read_ns(ctx, "/proc/self/ns/pid");
	snprintf(path, sizeof(path), "%s/proc", ctx->root);
	dir = opendir(path);
	if (dir == NULL)
		return -errno;
	ps->v = malloc(cap * sizeof(*ps->v));
	if (ps->v == NULL) {
		closedir(dir);
		return -ENOMEM;
	}
	while ((de = readdir(dir)) != NULL) {
		uint64_t pid;

		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    str_to_u64(de->d_name, &pid) < 0 || pid > INT32_MAX)
			continue;
		if (ps->n == cap) {
			struct proc *nv = realloc(ps->v, cap * 2 * sizeof(*nv));

			if (nv == NULL) {
				closedir(dir);
				procs_release(ps);
				return -ENOMEM;
			}
			ps->v = nv;
			cap *= 2;
		}
		if (read_proc(ctx, ps, (pid_t)pid, &ps->v[ps->n]) == 0)
			ps->n++;
	}
	closedir(dir);
	qsort(ps->v, ps->n, sizeof(*ps->v), cmp_pid);
	/* With hidepid, /proc lists only our own processes: PID 1 is missing. */
	ps->hidden = procs_find(ps, 1) == NULL;
	return 0;
}

void procs_release(struct procs *ps)
{
	free(ps->v);
	free(ps->buf);
	memset(ps, 0, sizeof(*ps));
}

struct proc *procs_find(const struct procs *ps, pid_t pid)
{
	struct proc key = { .pid = pid };

	if (pid <= 0)
		return NULL;
	return bsearch(&key, ps->v, ps->n, sizeof(*ps->v), cmp_pid);
}

int proc_read_maps(struct ipcadm_ctx *ctx, struct procs *ps, struct proc *p,
		   int (*fn)(void *arg, const struct proc_sysv_map *m), void *arg)
{
	char path[64];
	size_t len = 0;
	int fd, r;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)p->pid);
	fd = ipcadm_ctx_open(ctx, path, O_RDONLY);
	if (fd < 0)
		return fd;
	for (;;) {
		ssize_t n;

		if (ps->bufcap - len < 65536) {
			size_t cap = ps->bufcap ? ps->bufcap * 2 : 1 << 18;
			char *nb = realloc(ps->buf, cap);

			if (nb == NULL) {
				close(fd);
				return -ENOMEM;
			}
			ps->buf = nb;
			ps->bufcap = cap;
		}
		n = read(fd, ps->buf + len, ps->bufcap - len - 1);
		if (n < 0) {
			r = -errno;
			if (errno == EINTR)
				continue;
			close(fd);
			return r;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	r = procparse_maps_sysv(ps->buf, len, fn, arg);
	return r < 0 ? r : 0;
}

static int read_one_syscall(struct ipcadm_ctx *ctx, const char *path,
			    void (*fn)(void *arg, long nr, const uint64_t *args), void *arg)
{
	char buf[512];
	uint64_t args[6];
	long nr;
	ssize_t n = read_small(ctx, path, buf, sizeof(buf));
	int r;

	if (n < 0)
		return (int)n;
	r = procparse_syscall(buf, (size_t)n, &nr, args);
	if (r < 0)
		return r;
	if (r == 1)
		fn(arg, nr, args);
	return 0;
}

int proc_read_syscalls(struct ipcadm_ctx *ctx, struct procs *ps, struct proc *p,
		       void (*fn)(void *arg, long nr, const uint64_t *args), void *arg)
{
	char path[PATH_MAX + 64];
	struct dirent *de;
	DIR *dir;
	int r = 0;

	(void)ps;
	if (p->num_threads <= 1) {
		snprintf(path, sizeof(path), "/proc/%d/syscall", (int)p->pid);
		return read_one_syscall(ctx, path, fn, arg);
	}
	snprintf(path, sizeof(path), "%s/proc/%d/task", ctx->root, (int)p->pid);
	dir = opendir(path);
	if (dir == NULL)
		return -errno;
	while ((de = readdir(dir)) != NULL) {
		int e;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.20s/syscall", (int)p->pid,
			 de->d_name);
		e = read_one_syscall(ctx, path, fn, arg);
		if (e < 0 && e != -ENOENT && r == 0)
			r = e;
	}
	closedir(dir);
	return r;
}
