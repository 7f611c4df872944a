/* procscan.c: the process table: the PIDs in one pass over /proc, each process's stat, uids
 * and IPC namespace read when first needed; processes that exit are skipped, not errors. */
#include "procscan.h"
#include "parallel.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "strutil.h"

/* The kernel interfaces newer than this system's headers, as Linux declares them. */
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* PIDFD_GET_INFO (Linux 6.13), its first version of struct pidfd_info. */
struct pidfd_info0 {
	uint64_t mask, cgroupid;
	uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid, spare0;
};
#define PIDFD_GET_INFO0 _IOWR(0xFF, 11, struct pidfd_info0)
#define PIDFD_INFO0_CREDS (1UL << 1)

/* PROCMAP_QUERY (Linux 6.11), an ioctl on /proc/PID/maps: one mapping per call. */
struct procmap_query0 {
	uint64_t size, query_flags, query_addr;
	uint64_t vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode;
	uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
	uint64_t vma_name_addr, build_id_addr;
};
#define PROCMAP_QUERY0 _IOWR('f', 17, struct procmap_query0)
#define PROCMAP_VMA_WRITABLE 0x02
#define PROCMAP_VMA_SHARED 0x08
#define PROCMAP_COVERING_OR_NEXT 0x10
#define PROCMAP_FILE_BACKED 0x20

/* Reads a small file into buf (NUL-terminated) and closes fd; returns its length or -errno.
 * A /proc file of one record comes whole in one read: a short read is its end. */
static ssize_t read_small_fd(int fd, char *buf, size_t cap)
{
	ssize_t n, total = 0;

	while ((size_t)total < cap - 1) {
		size_t want = cap - 1 - (size_t)total;

		n = read(fd, buf + total, want);
		if (n < 0) {
			int err = -errno;

			if (errno == EINTR)
				continue;
			close(fd);
			return err;
		}
		total += n;
		if (n == 0 || (size_t)n < want)
			break;
	}
	close(fd);
	buf[total] = '\0';
	return total;
}

/* The same, for a path relative to the root's /proc. */
static ssize_t read_at(const struct procs *ps, const char *path, char *buf, size_t cap)
{
	int fd = openat(ps->procfd, path, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : read_small_fd(fd, buf, cap);
}

/* "ipc:[4026531839]" (a link relative to /proc) to its inode number; 0 when unreadable. */
static unsigned long read_ns(const struct procs *ps, const char *path)
{
	char link[64];
	const char *open;
	uint64_t ino;
	ssize_t n = readlinkat(ps->procfd, path, link, sizeof(link) - 1);

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

static int load_stat(struct procs *ps, struct proc *p)
{
	char path[32], buf[4096];
	struct proc_stat st;
	ssize_t n;

	snprintf(path, sizeof(path), "%d/stat", (int)p->pid);
	n = read_at(ps, path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (procparse_stat(buf, (size_t)n, &st) < 0)
		return -EBADMSG;
	p->ppid = st.ppid;
	p->sid = st.session;
	memcpy(p->comm, st.comm, sizeof(p->comm));
	p->num_threads = st.num_threads;
	p->kthread = st.flags & PROC_PF_KTHREAD; /* PID 2 is kthreadd only on the host */
	p->start_ms = ps->boot_ms + (int64_t)(st.starttime * 1000 / (uint64_t)ps->ticks);
	p->start = p->start_ms / 1000;
	return 0;
}

/* The uids from PIDFD_GET_INFO: no text to format or parse. 1 when it answered, 0 when
 * the process is gone, -1 when the kernel has no such call (then status is read). */
static int load_uids_pidfd(struct proc *p)
{
	struct pidfd_info0 info = { .mask = PIDFD_INFO0_CREDS };
	int fd = (int)syscall(SYS_pidfd_open, p->pid, 0), r;

	if (fd < 0)
		return errno == ESRCH ? 0 : -1; /* EINVAL: not a thread group leader */
	r = ioctl(fd, PIDFD_GET_INFO0, &info);
	close(fd);
	if (r < 0)
		return errno == ESRCH ? 0 : -1;
	if ((pid_t)info.pid != p->pid)
		return 0;
	p->ruid = info.ruid;
	p->suid = info.suid;
	p->euid = info.euid;
	p->rgid = info.rgid;
	p->sgid = info.sgid;
	p->egid = info.egid;
	p->uids_known = true;
	return 1;
}

static void load_uids(struct procs *ps, struct proc *p)
{
	char path[32], buf[4096];
	ssize_t n;

	if (__atomic_load_n(&ps->pidfd, __ATOMIC_RELAXED) > 0) {
		int r = load_uids_pidfd(p);

		if (r >= 0)
			return;
		__atomic_store_n(&ps->pidfd, -1, __ATOMIC_RELAXED); /* threads may share ps */
	}
	snprintf(path, sizeof(path), "%d/status", (int)p->pid);
	n = read_at(ps, path, buf, sizeof(buf));
	if (n >= 0 &&
	    procparse_status_uids(buf, (size_t)n, &p->ruid, &p->euid, &p->suid) == 0 &&
	    procparse_status_gids(buf, (size_t)n, &p->rgid, &p->egid, &p->sgid) == 0)
		p->uids_known = true;
}

/* The largest status read for its Groups line: NGROUPS_MAX (65536) groups of 10 digits. */
#define STATUS_MAX (1u << 20)

/* Reads a status file (path relative to /proc) whole into small (cap bytes), or into a
 * larger buffer returned in *big (free it) when it does not fit: most processes have few
 * groups, so one small read, a larger one only when it fills. Returns the buffer read
 * into, its length in *n (or -errno), or NULL without memory. */
static char *read_status(const struct procs *ps, const char *path, char *small, size_t cap,
			 char **big, ssize_t *n)
{
	char *buf = small;

	*big = NULL;
	for (;;) {
		*n = read_at(ps, path, buf, cap);
		if (*n < 0 || (size_t)*n < cap - 1 || cap >= STATUS_MAX)
			return buf;
		cap *= 16;
		free(*big);
		*big = malloc(cap);
		if (*big == NULL)
			return NULL;
		buf = *big;
	}
}

/* The supplementary groups of a status read whole, in *groups (malloc'd, or NULL when
 * none) and their count in *ngroups: -1 when they cannot be read. */
static void parse_groups(const char *buf, ssize_t n, gid_t **groups, int *ngroups)
{
	int count = n < 0 ? -EBADMSG : procparse_status_groups(buf, (size_t)n, NULL, 0);

	*groups = NULL;
	*ngroups = -1;
	if (count > 0) {
		*groups = malloc((size_t)count * sizeof(**groups));
		if (*groups)
			procparse_status_groups(buf, (size_t)n, *groups, (size_t)count);
	}
	if (count == 0 || (count > 0 && *groups))
		*ngroups = count;
}

/* The supplementary groups and effective capabilities of p, from one read of its status
 * (ngroups -1, caps_known false, when they cannot be read; CapEff comes after Groups). */
static void load_status(struct procs *ps, struct proc *p)
{
	char path[32], small[4096], *big, *buf;
	ssize_t n;

	p->ngroups = -1;
	p->caps_known = false;
	snprintf(path, sizeof(path), "%d/status", (int)p->pid);
	buf = read_status(ps, path, small, sizeof(small), &big, &n);
	if (buf) {
		parse_groups(buf, n, &p->groups, &p->ngroups);
		if (n >= 0 && procparse_status_capeff(buf, (size_t)n, &p->cap_eff) == 0)
			p->caps_known = true;
	}
	free(big);
}

static bool same_cred(const struct proc_cred *x, const struct proc_cred *y)
{
	return x->ipcns == y->ipcns && x->ruid == y->ruid && x->euid == y->euid &&
	       x->suid == y->suid &&
	       x->rgid == y->rgid && x->egid == y->egid && x->sgid == y->sgid &&
	       x->ngroups == y->ngroups &&
	       (x->ngroups <= 0 || memcmp(x->groups, y->groups,
					  (size_t)x->ngroups * sizeof(*x->groups)) == 0);
}

/* Reads the credentials of thread tid of p into c; false when they cannot be read. */
static bool load_thread_cred(struct procs *ps, const struct proc *p, pid_t tid,
			     struct proc_cred *c, bool *exited)
{
	char path[64], small[4096], *big, *buf;
	ssize_t n;
	bool ok = false;

	*exited = false;
	snprintf(path, sizeof(path), "%d/task/%d/status", (int)p->pid, (int)tid);
	buf = read_status(ps, path, small, sizeof(small), &big, &n);
	if (buf && n < 0)
		*exited = n == -ENOENT || n == -ESRCH;
	if (buf && n >= 0 &&
	    procparse_status_uids(buf, (size_t)n, &c->ruid, &c->euid, &c->suid) == 0 &&
	    procparse_status_gids(buf, (size_t)n, &c->rgid, &c->egid, &c->sgid) == 0) {
		parse_groups(buf, n, &c->groups, &c->ngroups);
		ok = c->ngroups >= 0;
	}
	free(big);
	if (ok) {
		snprintf(path, sizeof(path), "%d/task/%d/ns/ipc", (int)p->pid, (int)tid);
		c->ipcns = read_ns(ps, path);
	}
	return ok;
}

/* Frees what p holds of groups and thread credentials. */
static void proc_creds_free(struct proc *p)
{
	for (int i = 0; i < p->ntcreds; i++)
		free(p->tcreds[i].groups);
	free(p->tcreds);
	free(p->groups);
	free(p->tns);
	p->tcreds = NULL;
	p->groups = NULL;
	p->tns = NULL;
}

/*
 * The credentials of p's threads other than its main one, each distinct set once: a
 * thread's are its own, and a server (Samba, nfs-ganesha) gives a worker thread a user's
 * uids, gids and groups with raw system calls, while status and PIDFD_GET_INFO say the
 * main thread's. ntcreds -1 when a thread's could not be read.
 */
static void load_threads(struct procs *ps, struct proc *p)
{
	char path[32];
	struct dirent *de;
	DIR *dir;
	int cap = 0;

	p->ntcreds = 0;
	if (p->num_threads <= 1)
		return;
	snprintf(path, sizeof(path), "%d/task", (int)p->pid);
	if (dir_at(ps->procfd, path, &dir) < 0) {
		p->ntcreds = -1;
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		struct proc_cred c;
		uint64_t tid;
		bool exited, dup = false;

		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    str_to_u64(de->d_name, &tid) < 0 || tid > INT32_MAX ||
		    (pid_t)tid == p->pid)
			continue;
		if (!load_thread_cred(ps, p, (pid_t)tid, &c, &exited)) {
			if (exited)
				continue;
			break; /* unreadable: ntcreds -1 below */
		}
		for (int i = 0; i < p->ntcreds && !dup; i++)
			dup = same_cred(&p->tcreds[i], &c);
		if (dup) {
			free(c.groups);
			continue;
		}
		if (p->ntcreds == cap) {
			size_t nc = cap ? (size_t)cap * 2 : 2;
			struct proc_cred *nv = realloc(p->tcreds, nc * sizeof(*nv));

			if (nv == NULL) {
				free(c.groups);
				break;
			}
			p->tcreds = nv;
			cap = cap ? cap * 2 : 2;
		}
		p->tcreds[p->ntcreds++] = c;
	}
	if (de != NULL) { /* stopped early */
		for (int i = 0; i < p->ntcreds; i++)
			free(p->tcreds[i].groups);
		free(p->tcreds);
		p->tcreds = NULL;
		p->ntcreds = -1;
	}
	closedir(dir);
}

/* The IPC namespaces of p's threads other than its main one, each once. */
static void load_thread_ns(struct procs *ps, struct proc *p)
{
	char path[64];
	struct dirent *de;
	DIR *dir;
	int cap = 0;

	p->ntns = 0;
	if (p->num_threads <= 1)
		return;
	snprintf(path, sizeof(path), "%d/task", (int)p->pid);
	if (dir_at(ps->procfd, path, &dir) < 0) {
		p->ntns = -1;
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		unsigned long ns;
		uint64_t tid;
		bool dup = false;

		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    str_to_u64(de->d_name, &tid) < 0 || tid > INT32_MAX ||
		    (pid_t)tid == p->pid)
			continue;
		snprintf(path, sizeof(path), "%d/task/%d/ns/ipc", (int)p->pid, (int)tid);
		ns = read_ns(ps, path); /* 0, unknown: any (a thread gone meanwhile too) */
		for (int i = 0; i < p->ntns && !dup; i++)
			dup = p->tns[i] == ns;
		if (dup)
			continue;
		if (p->ntns == cap) {
			size_t nc = cap ? (size_t)cap * 2 : 2;
			unsigned long *nv = realloc(p->tns, nc * sizeof(*nv));

			if (nv == NULL) {
				free(p->tns);
				p->tns = NULL;
				p->ntns = -1;
				break;
			}
			p->tns = nv;
			cap = cap ? cap * 2 : 2;
		}
		p->tns[p->ntns++] = ns;
	}
	closedir(dir);
}

/* The system call ABI of p's program, from the ELF header of /proc/PID/exe (the file is
 * opened, not run: O_NONBLOCK, so no open can hang on a special file). */
static enum syscall_abi load_abi(const struct procs *ps, const struct proc *p)
{
	char path[32];
	unsigned char hdr[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%d/exe", (int)p->pid);
	fd = openat(ps->procfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return SYSCALL_ABI_UNKNOWN;
	n = read_small_fd(fd, (char *)hdr, sizeof(hdr));
	return n < 0 ? SYSCALL_ABI_UNKNOWN : syscall_abi_of_elf(hdr, (size_t)n);
}

int proc_load(struct procs *ps, struct proc *p, unsigned int parts)
{
	unsigned int want = (parts | PROC_STAT) & ~p->loaded;

	if (p->gone)
		return -ENOENT;
	if (want & PROC_STAT) {
		if (load_stat(ps, p) < 0) {
			p->gone = true;
			return -ENOENT;
		}
	}
	if (want & PROC_UIDS)
		load_uids(ps, p);
	if (want & PROC_NS) {
		char path[32];

		snprintf(path, sizeof(path), "%d/ns/ipc", (int)p->pid);
		p->ipcns = read_ns(ps, path);
	}
	if (want & PROC_ABI)
		p->abi = load_abi(ps, p);
	if (want & (PROC_GROUPS | PROC_CAPS)) {
		load_status(ps, p); /* both or neither are loaded */
		want |= PROC_GROUPS | PROC_CAPS;
	}
	if (want & PROC_THREADS)
		load_threads(ps, p);
	if (want & PROC_THREAD_NS)
		load_thread_ns(ps, p);
	p->loaded |= (unsigned char)want;
	return 0;
}

/* The user namespace that owns the IPC namespace open at ipcfd, and its ancestors. */
static void read_owner_userns(struct procs *ps, int ipcfd)
{
	int fd = ioctl(ipcfd, NS_GET_USERNS);

	while (fd >= 0 && ps->owner_userns.n < PROC_USERNS_DEPTH) {
		int i = ps->owner_userns.n, parent;
		struct stat st;
		uid_t owner;

		if (fstat(fd, &st) < 0 || ioctl(fd, NS_GET_OWNER_UID, &owner) < 0)
			break;
		ps->owner_userns.ino[i] = (unsigned long)st.st_ino;
		ps->owner_userns.owner[i] = owner;
		ps->owner_userns.n++;
		if (st.st_ino == PROC_INIT_USER_NS) {
			ps->owner_userns.complete = true;
			break;
		}
		parent = ioctl(fd, NS_GET_PARENT); /* EPERM: outside our own user namespace */
		close(fd);
		fd = parent;
	}
	if (fd >= 0)
		close(fd);
	if (ps->owner_userns.n == 0)
		ps->owner_userns.failed = true;
}

/* Reads the owner's chain through our own IPC namespace, or through p's when that is the
 * one analysed (another namespace, read by a child that entered it). */
static void find_owner_userns(struct procs *ps, const struct proc *p)
{
	char path[32];
	struct stat st;
	int fd;

	if (ps->self == 0 || !ps->self_ipcns) {
		ps->owner_userns.failed = true; /* a copied tree: no namespace to ask */
		return;
	}
	if (read_ns(ps, "self/ns/ipc") == ps->self_ipcns)
		snprintf(path, sizeof(path), "self/ns/ipc");
	else if (p->ipcns == ps->self_ipcns)
		snprintf(path, sizeof(path), "%d/ns/ipc", (int)p->pid);
	else
		return; /* p does not show the way: maybe the next one */
	fd = openat(ps->procfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && (unsigned long)st.st_ino == ps->self_ipcns)
		read_owner_userns(ps, fd);
	close(fd);
}

bool procs_ipc_owner(struct procs *ps, struct proc *p)
{
	bool cap;
	int i;

	if (proc_load(ps, p, PROC_CAPS) < 0 || !p->caps_known)
		return true; /* the safe side */
	cap = p->cap_eff & PROC_CAP_IPC_OWNER;
	if (ps->owner_userns.n == 0 && !ps->owner_userns.failed)
		find_owner_userns(ps, p);
	if (ps->owner_userns.n == 0 || (!cap && ps->owner_userns.n == 1))
		return cap; /* no namespace to tell apart, or none to own (the usual case) */
	if (p->userns == 0) {
		char path[32];

		snprintf(path, sizeof(path), "%d/ns/user", (int)p->pid);
		p->userns = read_ns(ps, path);
		if (p->userns == 0)
			return cap;
	}
	for (i = 0; i < ps->owner_userns.n; i++)
		if (ps->owner_userns.ino[i] == p->userns)
			break;
	if (i == ps->owner_userns.n) /* a child or unrelated namespace, or one above */
		return ps->owner_userns.complete ? false : cap;
	/* an ancestor's process owning the namespace below its own has every capability */
	return cap || (i > 0 && p->euid == ps->owner_userns.owner[i - 1]);
}

struct load_all {
	struct procs *ps;
	unsigned int parts;
};

static void load_one(void *arg, size_t i)
{
	struct load_all *l = arg;

	proc_load(l->ps, &l->ps->v[i], l->parts);
}

void procs_load_all(struct procs *ps, unsigned int parts)
{
	struct load_all l = { ps, parts };

	parallel_each(ps->n, 256, load_one, &l); /* each process is its own */
}

/* The entry of pid among the first n (sorted), gone or not, or NULL. */
static struct proc *procs_entry(const struct procs *ps, size_t n, pid_t pid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ps->v[mid].pid == pid)
			return &ps->v[mid];
		if (ps->v[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Lists /proc again: a PID not in the table is added, and a gone one's entry is made new
 * (a process that took the PID since); *fresh tells whether there was any. */
static int relist(struct procs *ps, bool *fresh)
{
	size_t n0 = ps->n, cap = ps->n;
	struct dirent *de;
	DIR *dir;
	int err = dir_at(ps->procfd, ".", &dir);

	*fresh = false;
	if (err < 0)
		return err;
	while ((de = readdir(dir)) != NULL) {
		struct proc *p;
		uint64_t pid;

		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    str_to_u64(de->d_name, &pid) < 0 || pid > INT32_MAX)
			continue;
		p = procs_entry(ps, n0, (pid_t)pid); /* the new ones are not sorted yet */
		if (p && !p->gone)
			continue;
		if (p == NULL) {
			if (ps->n == cap) {
				struct proc *nv = realloc(ps->v, (cap ? cap * 2 : 16) * sizeof(*nv));

				if (nv == NULL) {
					closedir(dir);
					return -ENOMEM;
				}
				ps->v = nv;
				cap = cap ? cap * 2 : 16;
			}
			p = &ps->v[ps->n++];
		} else {
			proc_creds_free(p); /* a gone entry's, made new */
		}
		memset(p, 0, sizeof(*p));
		p->pid = (pid_t)pid;
		*fresh = true;
	}
	closedir(dir);
	if (ps->n > n0)
		qsort(ps->v, ps->n, sizeof(*ps->v), cmp_pid);
	return 0;
}

int procs_settle(struct procs *ps, unsigned int parts)
{
	bool gone = false;

	if (!ps->signals)
		return 0; /* a copied tree is still */
	for (size_t i = 0; i < ps->n && !gone; i++)
		gone = ps->v[i].gone;
	for (int round = 0; gone && round < PROCS_SETTLE_ROUNDS; round++) {
		bool fresh;
		int r = relist(ps, &fresh);

		if (r < 0)
			return r;
		gone = false;
		for (size_t i = 0; fresh && i < ps->n; i++) {
			struct proc *p = &ps->v[i];

			if (p->loaded || p->gone)
				continue;
			if (proc_load(ps, p, parts) < 0)
				gone = true; /* a newcomer gone in turn: its child may be new */
		}
	}
	ps->unsettled = gone;
	return 0;
}

/* Whether our /proc's mount options (hidepid, in /proc/self/mountinfo) hide processes
 * from us: not from root, nor from a member of the mount's gid= group. Live only. */
static bool mount_hides(struct ipcadm_ctx *ctx, const struct procs *ps)
{
	struct statx stx;
	int64_t gid = -1;
	char *buf;
	size_t len;
	int r;

	if (geteuid() == 0 || statx(ps->procfd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0 ||
	    !(stx.stx_mask & STATX_MNT_ID) ||
	    read_file(ctx, "/proc/self/mountinfo", &buf, &len) < 0)
		return false;
	r = procparse_proc_hidepid(buf, len, stx.stx_mnt_id, &gid);
	free(buf);
	if (r <= 0)
		return false;
	if (gid >= 0) {
		gid_t groups[256];
		int n = getgroups(256, groups);

		if ((int64_t)getegid() == gid)
			return false;
		for (int i = 0; i < n; i++)
			if ((int64_t)groups[i] == gid)
				return false;
	}
	return true;
}

bool proc_shows_us(int procfd)
{
	char link[32];
	int64_t pid;
	ssize_t n = readlinkat(procfd, "self", link, sizeof(link) - 1);

	return n > 0 && mem_to_i64(link, (size_t)n, &pid) == 0 && pid == (int64_t)getpid();
}

/*
 * Whether the root's /proc shows the initial PID namespace, whose PID 1 is the system's
 * init; in any other (a container) PID 1 is the application. PID 1's namespace answers
 * when it can be read (root); else kernel threads, which live only in the initial
 * namespace, do: kthreadd is its PID 2. Neither: PID 1 is not taken for an init.
 */
static bool shows_initial_pidns(struct procs *ps)
{
	unsigned long ns = read_ns(ps, "1/ns/pid");
	struct proc *p;

	if (ns != 0)
		return ns == PROC_INIT_PID_NS;
	p = procs_find(ps, 2);
	return p != NULL && proc_load(ps, p, PROC_STAT) == 0 && p->kthread;
}

static int list_pids(struct procs *ps)
{
	size_t cap = 256;
	struct dirent *de;
	DIR *dir;
	int err = dir_at(ps->procfd, ".", &dir);

	if (err < 0)
		return err;
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
				return -ENOMEM;
			}
			ps->v = nv;
			cap *= 2;
		}
		memset(&ps->v[ps->n], 0, sizeof(ps->v[ps->n]));
		ps->v[ps->n++].pid = (pid_t)pid;
	}
	closedir(dir);
	if (ps->n > 0)
		qsort(ps->v, ps->n, sizeof(*ps->v), cmp_pid);
	return 0;
}

/*
 * How far the wall clock has been stepped forward against the boot clock since boot, in
 * ms (0 when it was not, or when that cannot be told). Object times are wall-clock
 * seconds and a process's start is counted from boot, so after a forward step (a VM
 * resumed from a snapshot, chrony fixing a clock that was wrong at boot) every process
 * looks that much younger than the objects it made. /dev, a devtmpfs made at boot, was
 * born at the wall-clock time of then; boot_ms is where today's wall clock puts the
 * boot. A /dev made later (a container's) was made after its PID 1 started: a start
 * later by the clocks than that birth shows the step, less the time between the two (a
 * lower bound, not 0). IPCADM_CLOCK_STEP (seconds)
 * says it instead: 0 for a clock known to be steady.
 */
static int64_t measure_clock_step(struct procs *ps)
{
	const char *env = getenv("IPCADM_CLOCK_STEP");
	struct proc init = { 0 };
	struct statfs fs;
	struct statx sx;
	int64_t born;
	uint64_t s;

	if (env && str_to_u64(env, &s) == 0 && s <= INT32_MAX)
		return (int64_t)s * 1000;
	if (statfs("/dev", &fs) < 0 || fs.f_type != TMPFS_MAGIC ||
	    statx(AT_FDCWD, "/dev", AT_NO_AUTOMOUNT, STATX_BTIME, &sx) < 0 ||
	    !(sx.stx_mask & STATX_BTIME))
		return 0;
	born = (int64_t)sx.stx_btime.tv_sec * 1000 + sx.stx_btime.tv_nsec / 1000000;
	if (ps->boot_ms > born)
		return ps->boot_ms - born;
	/* A /dev made after boot (a container's) was made once the namespace's PID 1 had
	 * started (the runtime's init mounts it): a start later by the clocks than that
	 * birth is a step, at least that large. */
	init.pid = 1;
	if (load_stat(ps, &init) == 0 && init.start_ms > born)
		return init.start_ms - born;
	return 0;
}

int procs_scan(struct ipcadm_ctx *ctx, struct procs *ps)
{
	struct proc *init;
	char *buf;
	size_t len;
	int r;

	memset(ps, 0, sizeof(*ps));
	ps->procfd = ipcadm_ctx_open(ctx, "/proc", O_RDONLY | O_DIRECTORY);
	if (ps->procfd < 0)
		return ps->procfd;
	ps->procfd_open = true;
	ps->ticks = sysconf(_SC_CLK_TCK);
	if (ps->ticks <= 0)
		ps->ticks = 100;
	/* btime follows a line per CPU and one per interrupt: read it all */
	r = read_file(ctx, "/proc/stat", &buf, &len);
	if (r == 0) {
		if (procparse_btime(buf, len, &ps->btime) < 0)
			r = -EBADMSG;
		free(buf);
	}
	if (r < 0) {
		procs_release(ps);
		return r;
	}
	ps->boot_ms = ps->btime * 1000;
	ps->pidfd = -1;
	if (ctx->live) {
		struct timespec real, boot;

		/* btime is whole seconds; the clocks give the offset to a millisecond */
		if (clock_gettime(CLOCK_REALTIME, &real) == 0 &&
		    clock_gettime(CLOCK_BOOTTIME, &boot) == 0)
			ps->boot_ms = ((int64_t)real.tv_sec - boot.tv_sec) * 1000 +
				      ((int64_t)real.tv_nsec - boot.tv_nsec) / 1000000;
		ps->clock_step_ms = measure_clock_step(ps);
		ps->self = getpid();
		if (proc_shows_us(ps->procfd)) {
			ps->pidfd = 1;
			ps->signals = true;
		}
	}
	ps->self_ipcns = read_ns(ps, "self/ns/ipc");
	ps->self_pidns = read_ns(ps, "self/ns/pid");
	ps->all_visible = ctx->all_visible;
	r = list_pids(ps);
	if (r < 0) {
		procs_release(ps);
		return r;
	}
	/* With hidepid, /proc lists only our own processes: PID 1 is missing or unreadable,
	 * or (PID 1 ours) the mount's options say so. */
	init = procs_find(ps, 1);
	ps->hidden = init == NULL || proc_load(ps, init, PROC_STAT) < 0;
	if (!ps->hidden && ctx->live)
		ps->hidden = mount_hides(ctx, ps);
	ps->pid1_is_init = shows_initial_pidns(ps);
	return 0;
}

void procs_release(struct procs *ps)
{
	if (ps->procfd_open)
		close(ps->procfd);
	for (size_t i = 0; i < ps->n; i++)
		proc_creds_free(&ps->v[i]);
	free(ps->v);
	memset(ps, 0, sizeof(*ps));
}

struct proc *procs_find(const struct procs *ps, pid_t pid)
{
	struct proc key = { .pid = pid }, *p;

	if (pid <= 0 || ps->n == 0)
		return NULL;
	p = bsearch(&key, ps->v, ps->n, sizeof(*ps->v), cmp_pid);
	return p && !p->gone ? p : NULL;
}

/* Walks the shared file mappings with PROCMAP_QUERY; -ENOTTY when the kernel has none.
 * *called tells whether fn saw a mapping before a failure. */
static int query_maps(struct procs *ps, int fd,
		      int (*fn)(void *arg, const struct proc_sysv_map *m), void *arg, bool *called)
{
	char name[PATH_MAX];
	uint64_t addr = 0;

	for (;;) {
		struct procmap_query0 q = {
			.size = sizeof(q),
			.query_flags = PROCMAP_COVERING_OR_NEXT | PROCMAP_VMA_SHARED |
				       PROCMAP_FILE_BACKED,
			.query_addr = addr,
			.vma_name_addr = (uint64_t)(uintptr_t)name,
			.vma_name_size = sizeof(name),
		};
		struct proc_sysv_map m;

		if (ioctl(fd, PROCMAP_QUERY0, &q) < 0) {
			if (errno == ENOENT || errno == ESRCH)
				return 0; /* no more mappings; no address space (exited, kthread) */
			if (errno == ENOTTY || errno == EINVAL || errno == EOPNOTSUPP)
				__atomic_store_n(&ps->no_query, true, __ATOMIC_RELAXED);
			return -errno;
		}
		if (q.vma_end <= addr)
			return -EBADMSG;
		addr = q.vma_end;
		/* the name's length counts its NUL */
		if (q.vma_name_size == 0 ||
		    procparse_sysv_name(name, q.vma_name_size - 1, &m.key) < 0)
			continue;
		m.inode = (unsigned long)q.inode;
		m.writable = (q.vma_flags & PROCMAP_VMA_WRITABLE) != 0;
		m.dev_major = q.dev_major;
		m.dev_minor = q.dev_minor;
		*called = true;
		if (fn && fn(arg, &m))
			return 0;
	}
}

static int read_maps_text(struct proc_buf *b, int fd,
			  int (*fn)(void *arg, const struct proc_sysv_map *m), void *arg)
{
	size_t len = 0;
	int r;

	for (;;) {
		ssize_t n;

		if (b->cap - len < 65536) {
			size_t cap = b->cap ? b->cap * 2 : 1 << 18;
			char *nb = realloc(b->p, cap);

			if (nb == NULL)
				return -ENOMEM;
			b->p = nb;
			b->cap = cap;
		}
		n = read(fd, b->p + len, b->cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	r = procparse_maps_sysv(b->p, len, fn, arg);
	return r < 0 ? r : 0;
}

int proc_read_maps(struct ipcadm_ctx *ctx, struct procs *ps, struct proc *p,
		   struct proc_buf *buf,
		   int (*fn)(void *arg, const struct proc_sysv_map *m), void *arg)
{
	char path[32];
	bool called = false;
	int fd, r = -ENOTTY;

	(void)ctx;
	snprintf(path, sizeof(path), "%d/maps", (int)p->pid);
	fd = openat(ps->procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (!__atomic_load_n(&ps->no_query, __ATOMIC_RELAXED))
		r = query_maps(ps, fd, fn, arg, &called);
	/* A query that failed before fn saw anything leaves nothing to undo: read the text. */
	if (r < 0 && !called)
		r = read_maps_text(buf, fd, fn, arg);
	else if (r < 0)
		r = -EIO;
	close(fd);
	return r;
}

static int read_one_syscall(const struct procs *ps, const char *path, pid_t tid,
			    void (*fn)(void *arg, pid_t tid, long nr, const uint64_t *args),
			    void *arg)
{
	char buf[512];
	uint64_t args[6];
	long nr;
	ssize_t n = read_at(ps, path, buf, sizeof(buf));
	int r;

	if (n < 0)
		return (int)n;
	r = procparse_syscall(buf, (size_t)n, &nr, args);
	if (r < 0)
		return r;
	if (r == 1)
		fn(arg, tid, nr, args);
	return 0;
}

int proc_read_syscalls(struct ipcadm_ctx *ctx, struct procs *ps, struct proc *p,
		       void (*fn)(void *arg, pid_t tid, long nr, const uint64_t *args),
		       void *arg)
{
	char path[64];
	struct dirent *de;
	DIR *dir;
	int r = 0;

	(void)ctx;
	if (p->num_threads <= 1) {
		snprintf(path, sizeof(path), "%d/syscall", (int)p->pid);
		return read_one_syscall(ps, path, p->pid, fn, arg);
	}
	snprintf(path, sizeof(path), "%d/task", (int)p->pid);
	r = dir_at(ps->procfd, path, &dir);
	if (r < 0)
		return r;
	while ((de = readdir(dir)) != NULL) {
		uint64_t tid;
		int e;

		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    str_to_u64(de->d_name, &tid) < 0 || tid > INT32_MAX)
			continue;
		snprintf(path, sizeof(path), "%d/task/%d/syscall", (int)p->pid, (int)tid);
		e = read_one_syscall(ps, path, (pid_t)tid, fn, arg);
		if (e < 0 && e != -ENOENT && r == 0)
			r = e;
	}
	closedir(dir);
	return r;
}

unsigned long proc_task_ipcns(const struct procs *ps, pid_t pid, pid_t tid)
{
	char path[64];

	snprintf(path, sizeof(path), "%d/task/%d/ns/ipc", (int)pid, (int)tid);
	return read_ns(ps, path);
}
