/* trace.c: the IPC calls processes make, as the kernel's syscall tracepoints record them
 * in a tracefs instance of our own (libtracefs, libtraceevent), paired and attributed. */
#include "internal.h"
#include "ipcadm-trace.h"
#include "strutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <event-parse.h>
#include <kbuffer.h>
#include <tracefs.h>

#define TRACEFS_DIR "/sys/kernel/tracing"
#define TRACEFS_MAGIC_NR 0x74726163
#define PROC_PID_INIT_INO 0xEFFFFFFCU /* the initial PID namespace's inode */
#define INSTANCE_PREFIX "ipcadm-trace-"
#define MAX_NS_FDS 512 /* namespaces kept open at once; beyond, only their inode */
#define TASK_BUCKETS 4096

/* Where each field of an enter event goes in the event. */
enum slot { S_KEY, S_SIZE, S_FLAGS, S_MODE, S_ID, S_CMD, S_MSGTYP, S_NAME, NSLOTS };

#define CALL(c, n, k, ...) [IPCADM_CALL_##c] = { n, IPCADM_##k, { __VA_ARGS__ } }

static const struct call_desc {
	const char *name;
	enum ipcadm_kind kind;
	const char *field[NSLOTS];
} call_descs[IPCADM_NCALLS] = {
	CALL(SHMGET, "shmget", SHM, [S_KEY] = "key", [S_SIZE] = "size", [S_FLAGS] = "shmflg"),
	CALL(SEMGET, "semget", SEM, [S_KEY] = "key", [S_SIZE] = "nsems", [S_FLAGS] = "semflg"),
	CALL(MSGGET, "msgget", MSG, [S_KEY] = "key", [S_FLAGS] = "msgflg"),
	CALL(SHMCTL, "shmctl", SHM, [S_ID] = "shmid", [S_CMD] = "cmd"),
	CALL(SEMCTL, "semctl", SEM, [S_ID] = "semid", [S_CMD] = "cmd"),
	CALL(MSGCTL, "msgctl", MSG, [S_ID] = "msqid", [S_CMD] = "cmd"),
	CALL(SHMAT, "shmat", SHM, [S_ID] = "shmid", [S_FLAGS] = "shmflg"),
	CALL(SEMOP, "semop", SEM, [S_ID] = "semid", [S_SIZE] = "nsops"),
	CALL(SEMTIMEDOP, "semtimedop", SEM, [S_ID] = "semid", [S_SIZE] = "nsops"),
	CALL(MSGSND, "msgsnd", MSG, [S_ID] = "msqid", [S_SIZE] = "msgsz",
	     [S_FLAGS] = "msgflg"),
	CALL(MSGRCV, "msgrcv", MSG, [S_ID] = "msqid", [S_SIZE] = "msgsz",
	     [S_MSGTYP] = "msgtyp", [S_FLAGS] = "msgflg"),
	CALL(MQ_OPEN, "mq_open", PMQ, [S_NAME] = "u_name", [S_FLAGS] = "oflag",
	     [S_MODE] = "mode"),
	CALL(MQ_UNLINK, "mq_unlink", PMQ, [S_NAME] = "u_name"),
};

static bool is_ctl(enum ipcadm_call c)
{
	return c >= IPCADM_CALL_SHMCTL && c <= IPCADM_CALL_MSGCTL;
}

static bool is_op(enum ipcadm_call c)
{
	return c >= IPCADM_CALL_SHMAT && c <= IPCADM_CALL_MSGRCV;
}

const char *ipcadm_call_name(enum ipcadm_call call)
{
	return (unsigned int)call < IPCADM_NCALLS ? call_descs[call].name : "?";
}

enum ipcadm_kind ipcadm_call_kind(enum ipcadm_call call)
{
	if ((unsigned int)call >= IPCADM_NCALLS)
		return IPCADM_NALL_KINDS;
	return call_descs[call].kind;
}

bool ipcadm_call_is_get(enum ipcadm_call call)
{
	return call <= IPCADM_CALL_MSGGET;
}

/*
 * The kernel's filters. IPC_RMID is 0; a 32-bit libc's cmd may carry IPC_64 (0x100). The
 * routine failures of the operation calls (EAGAIN 11 of IPC_NOWAIT, EINTR 4, ENOMSG 42)
 * pass only with --all. The ctl calls' exits are not filtered: a failing IPC_STAT must
 * find no IPC_RMID of its own to pair with (its enter is filtered out, see pair()).
 */
#define FILTER_RMID "cmd == 0 || cmd == 256"
#define FILTER_FAILED "ret < 0"
#define FILTER_OP_FAILED "ret < 0 && ret != -11 && ret != -4 && ret != -42"

enum ev_type { EV_ENTER, EV_EXIT, EV_FORK, EV_EXEC, EV_TASK_EXIT, EV_NS_LEAVE, EV_NS_CLONE };

/* CLONE_NEWIPC, in the kernel's filters of unshare and clone (0x08000000) */
#define FILTER_NEWIPC_UNSHARE "unshare_flags & 134217728"
#define FILTER_NEWIPC_CLONE "clone_flags & 134217728"

struct evdesc {
	int id;
	enum ev_type type;
	enum ipcadm_call call;
	struct tep_format_field *f[NSLOTS]; /* enter: the fields; exit: f[0] is ret */
	struct tep_format_field *pid, *pid2; /* fork: parent, child; exec: pid, old_pid */
	struct tep_format_field *str; /* fork: child_comm; exec: filename */
};

struct nsent {
	uint64_t ino;
	int fd; /* -1 when not kept open */
	size_t refs; /* tasks known to be in it */
};

/* One CPU's buffer: its trace_pipe_raw, kept open (what a read took is ours until parsed),
 * the sub-buffer last read, and the next event in it. */
struct cpubuf {
	int fd;
	int pipe[2]; /* what splice moves full sub-buffers through */
	struct kbuffer *kbuf;
	char *page;
	void *next; /* the next event, NULL when none is loaded */
	unsigned long long ts;
	int missed;
};

/* A thread seen in the events: its command, namespace, and the call it is in. */
struct task {
	struct task *next;
	pid_t tid;
	pid_t ppid; /* from its fork event, else /proc's when first seen; 0 unknown */
	char comm[16];
	char exe[256]; /* from its exec event, "" unknown */
	size_t ns; /* index in ns[], SIZE_MAX when unknown */
	int64_t ns_read; /* when an event last made us read it (trace clock) */
	bool pending; /* ev holds an enter not yet paired */
	bool new_ipc_child; /* it called clone(CLONE_NEWIPC): its next child is elsewhere */
	struct ipcadm_trace_event ev;
};

struct ipcadm_trace {
	struct ipcadm_ctx *ctx;
	struct tracefs_instance *inst;
	struct tep_handle *tep;
	unsigned int flags;
	struct evdesc ev[2 * IPCADM_NCALLS + 6];
	size_t nev;
	struct task *tasks[TASK_BUCKETS];
	struct nsent *ns;
	size_t nns, capns, nsfds;
	uint64_t self_ns;
	pid_t self_pid; /* as /proc (and so the kernel's events) number us */
	int64_t mono_to_real; /* add to the trace clock (mono) for the wall clock */
	struct cpubuf *cpus; /* each CPU's buffer, read as the kernel fills it */
	size_t ncpus, subbuf;
	bool partial; /* this read may take sub-buffers the kernel still fills */
	int64_t last_partial; /* when a read last did (trace clock) */
	volatile sig_atomic_t stopped;
	/* the callback of the read in progress */
	int (*fn)(const struct ipcadm_trace_event *ev, void *arg);
	void *arg;
};

/* ---- where tracing can work ---- */

static uint64_t path_ino(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

/* Our PID as /proc numbers it (getpid() would give our own namespace's number). */
static pid_t proc_self_pid(void)
{
	char buf[32];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);
	uint64_t v;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return str_to_u64(buf, &v) == 0 && v > 0 && v <= INT32_MAX ? (pid_t)v : -1;
}

/* How many PID namespaces ours is below the initial one; -1 when it cannot be told. */
static int pidns_depth(void)
{
	int fd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC), depth = 0;

	while (fd >= 0) {
		struct stat st;
		int parent;

		if (fstat(fd, &st) < 0 || (uint64_t)st.st_ino == PROC_PID_INIT_INO) {
			close(fd);
			return st.st_ino == PROC_PID_INIT_INO ? depth : -1;
		}
		parent = ioctl(fd, NS_GET_PARENT);
		close(fd);
		fd = parent;
		depth++;
	}
	return -1; /* a parent outside our user namespace (EPERM) */
}

/*
 * /proc/self/status lists our PID in each namespace from the one /proc belongs to down to
 * ours (NSpid): one more entry than our depth means /proc is the initial namespace's.
 */
bool ipcadm_trace_pids_global(const struct ipcadm_ctx *ctx)
{
	int depth = pidns_depth(), entries = 0;
	char *buf, *line, *save = NULL;
	size_t len;

	if (depth < 0 || read_file(ctx, "/proc/self/status", &buf, &len) < 0)
		return false;
	line = strstr(buf, "\nNSpid:");
	if (line) {
		line += strlen("\nNSpid:");
		char *tok = strtok_r(line, " \t\n", &save);

		for (; tok && *tok >= '0' && *tok <= '9'; tok = strtok_r(NULL, " \t\n", &save))
			entries++;
	}
	free(buf);
	return entries == depth + 1;
}

bool ipcadm_trace_misses_compat(void)
{
#if defined(__x86_64__)
	/* the vsyscall32 switch exists only with IA32 emulation */
	return access("/proc/sys/abi/vsyscall32", F_OK) == 0;
#else
	return false;
#endif
}

static int check_tracefs(void)
{
	struct statfs sfs;
	struct stat st;

	if (statfs(TRACEFS_DIR, &sfs) < 0 || sfs.f_type != TRACEFS_MAGIC_NR)
		return -ENODEV;
	if (stat(TRACEFS_DIR "/instances", &st) < 0)
		return errno == ENOENT ? -ENODEV : -errno;
	if (access(TRACEFS_DIR "/instances", W_OK) < 0)
		return -errno;
	if (stat(TRACEFS_DIR "/events/syscalls/sys_enter_semget", &st) < 0)
		return errno == ENOENT ? -ENOENT : -errno;
	return 0;
}

/* Instances named after a trace that is no longer running (killed): removed. */
static int remove_stale(const char *name, void *arg)
{
	char path[64], comm[32] = "";
	struct tracefs_instance *inst;
	uint64_t pid;
	int fd;
	ssize_t n;

	(void)arg;
	if (strncmp(name, INSTANCE_PREFIX, strlen(INSTANCE_PREFIX)) != 0 ||
	    str_to_u64(name + strlen(INSTANCE_PREFIX), &pid) < 0 || pid == 0 ||
	    pid > INT32_MAX)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		comm[n > 0 ? n : 0] = '\0';
		if (strcmp(comm, "ipcadm\n") == 0)
			return 0; /* a trace that runs */
	}
	inst = tracefs_instance_alloc(NULL, name);
	if (inst) {
		tracefs_instance_destroy(inst);
		tracefs_instance_free(inst);
	}
	return 0;
}

/* ---- the processes followed ---- */

struct proc_ent {
	pid_t pid, ppid;
};

static int read_ppid(pid_t pid, pid_t *ppid)
{
	char path[64], buf[512], *p;
	int fd;
	ssize_t n;
	int64_t v;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (p == NULL || p[1] != ' ' || p[2] == '\0' || p[3] != ' ')
		return -EBADMSG;
	p += 4;
	if (mem_to_i64(p, strcspn(p, " "), &v) < 0)
		return -EBADMSG;
	*ppid = (pid_t)v;
	return 0;
}

/* The "set_event_pid" text: the processes, their descendants, and all of their threads. */
static char *pid_list(const pid_t *pids, size_t npids)
{
	struct proc_ent *all = NULL, *na;
	size_t n = 0, cap = 0, len = 0, lcap = 0;
	char *text = NULL, path[64];
	bool *in = NULL, grew = true;
	struct dirent *de;
	DIR *dir;

	dir = opendir("/proc");
	if (dir == NULL)
		return NULL;
	while ((de = readdir(dir)) != NULL) {
		uint64_t v;
		pid_t ppid = 0;

		if (str_to_u64(de->d_name, &v) < 0 || v == 0 || v > INT32_MAX)
			continue;
		if (read_ppid((pid_t)v, &ppid) < 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			na = realloc(all, cap * sizeof(*all));
			if (na == NULL)
				goto fail;
			all = na;
		}
		all[n].pid = (pid_t)v;
		all[n++].ppid = ppid;
	}
	closedir(dir);
	dir = NULL;
	in = calloc(n ? n : 1, sizeof(*in));
	if (in == NULL)
		goto fail;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < npids; j++)
			in[i] |= all[i].pid == pids[j];
	while (grew) { /* parents listed after their children need more rounds */
		grew = false;
		for (size_t i = 0; i < n; i++) {
			if (in[i])
				continue;
			for (size_t j = 0; j < n && !in[i]; j++)
				if (in[j] && all[j].pid == all[i].ppid)
					in[i] = grew = true;
		}
	}
	for (size_t i = 0; i < n; i++) {
		DIR *td;

		if (!in[i])
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", (int)all[i].pid);
		td = opendir(path);
		if (td == NULL)
			continue;
		while ((de = readdir(td)) != NULL) {
			size_t l = strlen(de->d_name);

			if (de->d_name[0] < '0' || de->d_name[0] > '9')
				continue;
			if (len + l + 2 > lcap) {
				char *nt;

				lcap = lcap ? lcap * 2 : 4096;
				nt = realloc(text, lcap);
				if (nt == NULL) {
					closedir(td);
					goto fail;
				}
				text = nt;
			}
			memcpy(text + len, de->d_name, l);
			len += l;
			text[len++] = ' ';
			text[len] = '\0';
		}
		closedir(td);
	}
	free(all);
	free(in);
	return text;
fail:
	if (dir)
		closedir(dir);
	free(all);
	free(in);
	free(text);
	return NULL;
}

/* ---- namespaces and tasks ---- */

static size_t ns_find(struct ipcadm_trace *t, uint64_t ino)
{
	for (size_t i = 0; i < t->nns; i++)
		if (t->ns[i].ino == ino)
			return i;
	return SIZE_MAX;
}

static void ns_unref(struct ipcadm_trace *t, size_t i)
{
	struct nsent *e;

	if (i == SIZE_MAX)
		return;
	e = &t->ns[i];
	if (e->refs > 0 && --e->refs == 0 && e->fd >= 0) {
		/* nobody followed is in it: let it go (its objects go with it) */
		close(e->fd);
		e->fd = -1;
		t->nsfds--;
	}
}

/* Files a task under the namespace of inode ino, whose descriptor fd (or -1) we own. */
static void task_set_ns(struct ipcadm_trace *t, struct task *k, uint64_t ino, int fd)
{
	size_t i = ns_find(t, ino);

	if (i == SIZE_MAX) {
		if (t->nns == t->capns) {
			size_t cap = t->capns ? t->capns * 2 : 16;
			struct nsent *n = realloc(t->ns, cap * sizeof(*n));

			if (n == NULL) {
				if (fd >= 0)
					close(fd);
				return;
			}
			t->ns = n;
			t->capns = cap;
		}
		i = t->nns++;
		t->ns[i] = (struct nsent){ .ino = ino, .fd = -1 };
	}
	if (t->ns[i].fd < 0 && fd >= 0 && t->nsfds < MAX_NS_FDS) {
		t->ns[i].fd = fd;
		t->nsfds++;
		fd = -1;
	}
	if (fd >= 0)
		close(fd);
	if (k->ns == i)
		return;
	ns_unref(t, k->ns);
	k->ns = i;
	t->ns[i].refs++;
}

/* The namespace the task is in now, when it still runs. */
static void task_read_ns(struct ipcadm_trace *t, struct task *k)
{
	char path[64];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/ns/ipc", (int)k->tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return;
	}
	task_set_ns(t, k, (uint64_t)st.st_ino, fd);
}

/* /proc/PID/comm into comm (left as it is when it cannot be read). */
static void read_comm(pid_t pid, char *comm, size_t len)
{
	char path[64], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	if (buf[n - 1] == '\n')
		n--;
	if ((size_t)n >= len)
		n = (ssize_t)len - 1;
	memcpy(comm, buf, (size_t)n);
	comm[n] = '\0';
}

static void task_read_comm(struct task *k)
{
	read_comm(k->tid, k->comm, sizeof(k->comm));
}

static struct task **task_slot(struct ipcadm_trace *t, pid_t tid)
{
	struct task **p = &t->tasks[(unsigned int)tid % TASK_BUCKETS];

	while (*p && (*p)->tid != tid)
		p = &(*p)->next;
	return p;
}

/* The task of tid; a new one (named and placed from /proc) when create is set. */
static struct task *task_get(struct ipcadm_trace *t, pid_t tid, bool create)
{
	struct task **p = task_slot(t, tid), *k;
	char path[64];
	ssize_t n;

	if (*p || !create)
		return *p;
	k = calloc(1, sizeof(*k));
	if (k == NULL)
		return NULL;
	k->tid = tid;
	k->ns = SIZE_MAX;
	*p = k;
	if (read_ppid(tid, &k->ppid) < 0)
		k->ppid = 0;
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)tid);
	n = readlink(path, k->exe, sizeof(k->exe) - 1);
	k->exe[n > 0 ? n : 0] = '\0';
	task_read_comm(k);
	task_read_ns(t, k);
	return k;
}

static void task_drop(struct ipcadm_trace *t, pid_t tid)
{
	struct task **p = task_slot(t, tid), *k = *p;

	if (k == NULL)
		return;
	*p = k->next;
	ns_unref(t, k->ns);
	free(k);
}

static void set_comm(struct task *k, const char *s)
{
	snprintf(k->comm, sizeof(k->comm), "%s", s);
}

/* ---- events ---- */

static int64_t field_num(struct tep_format_field *f, struct tep_record *r)
{
	unsigned long long v = 0;

	if (f == NULL || tep_read_number_field(f, r->data, &v) < 0)
		return 0;
	return (int64_t)v;
}

/* The string of a __data_loc field. */
static const char *field_str(struct tep_format_field *f, struct tep_record *r)
{
	unsigned long long v;
	unsigned int off, len;

	if (f == NULL || tep_read_number_field(f, r->data, &v) < 0)
		return "";
	off = (unsigned int)(v & 0xffff);
	len = (unsigned int)(v >> 16);
	if (len == 0 || off + len > (unsigned int)r->size)
		return "";
	if (((const char *)r->data)[off + len - 1] != '\0')
		return "";
	return (const char *)r->data + off;
}

/* An mq name, read from the process's memory while it still runs: best effort. */
static void read_user_name(pid_t tid, uint64_t addr, char *buf, size_t len)
{
	struct iovec local = { buf, len - 1 };
	struct iovec remote = { (void *)(uintptr_t)addr, len - 1 };
	size_t pagerest = 4096 - (size_t)(addr & 4095);
	ssize_t n;

	buf[0] = '\0';
	if (addr == 0)
		return;
	n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	/* the name may end before a page that is not mapped */
	if (n < 0 && pagerest < len - 1) {
		local.iov_len = remote.iov_len = pagerest;
		n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	}
	if (n <= 0 || memchr(buf, '\0', (size_t)n) == NULL) {
		buf[0] = '\0';
		return;
	}
}

static void on_enter(struct ipcadm_trace *t, const struct evdesc *d, pid_t tid,
		     struct tep_record *r)
{
	struct task *k = task_get(t, tid, true);
	struct ipcadm_trace_event *e;

	if (k == NULL)
		return;
	e = &k->ev;
	memset(e, 0, offsetof(struct ipcadm_trace_event, name) + 1);
	k->pending = true;
	e->call = d->call;
	e->key = (int32_t)field_num(d->f[S_KEY], r);
	e->size = (uint64_t)field_num(d->f[S_SIZE], r);
	e->flags = (int)field_num(d->f[S_FLAGS], r);
	e->mode = (unsigned int)field_num(d->f[S_MODE], r);
	e->id = (int)field_num(d->f[S_ID], r);
	e->cmd = (int)field_num(d->f[S_CMD], r);
	e->msgtyp = (long)field_num(d->f[S_MSGTYP], r);
	if (d->f[S_NAME])
		read_user_name(tid, (uint64_t)field_num(d->f[S_NAME], r), e->name,
			       sizeof(e->name));
	else
		e->name[0] = '\0';
}

/*
 * An exit paired with its thread's last enter of the same call: a thread makes one call at
 * a time, and the enters of every call followed are recorded, but for the ctl calls other
 * than IPC_RMID, whose exits then find nothing pending.
 */
static int on_exit_call(struct ipcadm_trace *t, const struct evdesc *d, pid_t tid,
			struct tep_record *r)
{
	struct task *k = task_get(t, tid, false);
	struct ipcadm_trace_event *e;

	if (k == NULL || !k->pending || k->ev.call != d->call)
		return 0;
	k->pending = false;
	e = &k->ev;
	e->ret = field_num(d->f[0], r);
	if (!(t->flags & IPCADM_TRACE_ALL) && e->ret >= 0)
		return 0;
	if (is_op(d->call) && e->ret >= 0)
		return 0;
	e->time_ns = (int64_t)r->ts + t->mono_to_real;
	e->pid = tid;
	/* where it is now, if it still runs: once a second at most (it changes by unshare
	 * and setns only, and exec, which reads it again) */
	if (k->ns == SIZE_MAX || (int64_t)r->ts - k->ns_read > 1000000000) {
		task_read_ns(t, k);
		k->ns_read = (int64_t)r->ts;
	}
	memcpy(e->comm, k->comm, sizeof(e->comm));
	e->ipcns = k->ns == SIZE_MAX ? 0 : t->ns[k->ns].ino;
	e->ppid = k->ppid;
	e->pcomm[0] = '\0';
	if (k->ppid > 0) {
		struct task *p = task_get(t, k->ppid, false);

		if (p)
			memcpy(e->pcomm, p->comm, sizeof(e->pcomm));
		else
			read_comm(k->ppid, e->pcomm, sizeof(e->pcomm));
	}
	memcpy(e->exe, k->exe, sizeof(e->exe));
	return t->fn(e, t->arg);
}

static void on_fork(struct ipcadm_trace *t, const struct evdesc *d, struct tep_record *r)
{
	pid_t parent = (pid_t)field_num(d->pid, r), child = (pid_t)field_num(d->pid2, r);
	struct task *p = task_get(t, parent, true), *c;

	task_drop(t, child); /* a PID used again */
	c = task_get(t, child, true); /* named and placed from /proc, if it runs yet */
	if (c == NULL)
		return;
	set_comm(c, field_str(d->str, r));
	c->ppid = parent;
	if (p) /* a fork keeps the program */
		memcpy(c->exe, p->exe, sizeof(c->exe));
	if (p && p->new_ipc_child) { /* in a namespace of its own: only /proc can tell */
		p->new_ipc_child = false;
		return;
	}
	if (c->ns == SIZE_MAX && p && p->ns != SIZE_MAX) /* gone already: as its parent */
		task_set_ns(t, c, t->ns[p->ns].ino, -1);
}

/*
 * unshare(CLONE_NEWIPC) or setns(): the namespace the task was seen in is no longer
 * known to be its own; /proc tells the new one while the task runs, else it is unknown
 * (and so are its children's), never the old one.
 */
static void on_ns_leave(struct ipcadm_trace *t, pid_t tid)
{
	struct task *k = task_get(t, tid, true);

	if (k == NULL)
		return;
	ns_unref(t, k->ns);
	k->ns = SIZE_MAX;
	k->ns_read = 0;
}

static void on_exec(struct ipcadm_trace *t, const struct evdesc *d, struct tep_record *r)
{
	pid_t pid = (pid_t)field_num(d->pid, r), old = (pid_t)field_num(d->pid2, r);
	const char *file = field_str(d->str, r), *base = strrchr(file, '/');
	struct task *k;

	if (old != pid) { /* a thread exec'd: it takes the leader's PID */
		struct task **o = task_slot(t, old);

		task_drop(t, pid);
		if (*o) {
			k = *o;
			*o = k->next;
			k->tid = pid;
			k->next = NULL;
			*task_slot(t, pid) = k;
		}
	}
	k = task_get(t, pid, true);
	if (k == NULL)
		return;
	set_comm(k, base ? base + 1 : file);
	snprintf(k->exe, sizeof(k->exe), "%s", file);
	task_read_ns(t, k);
}

static int on_record(struct ipcadm_trace *t, struct tep_record *r)
{
	const struct evdesc *d = NULL;
	int id = tep_data_type(t->tep, r);

	for (size_t i = 0; i < t->nev; i++) {
		if (t->ev[i].id == id) {
			d = &t->ev[i];
			break;
		}
	}
	if (d == NULL)
		return 0;
	switch (d->type) {
	case EV_ENTER:
		on_enter(t, d, tep_data_pid(t->tep, r), r);
		return 0;
	case EV_EXIT:
		return on_exit_call(t, d, tep_data_pid(t->tep, r), r);
	case EV_FORK:
		on_fork(t, d, r);
		return 0;
	case EV_EXEC:
		on_exec(t, d, r);
		return 0;
	case EV_TASK_EXIT:
		task_drop(t, tep_data_pid(t->tep, r));
		return 0;
	case EV_NS_LEAVE:
		on_ns_leave(t, tep_data_pid(t->tep, r));
		return 0;
	case EV_NS_CLONE: {
		struct task *k = task_get(t, tep_data_pid(t->tep, r), true);

		if (k)
			k->new_ipc_child = true;
		return 0;
	}
	}
	return 0;
}

/* ---- the instance ---- */

/* Parses one event's format: only the events used (all of them take a tenth of a second). */
static struct tep_event *load_event(struct ipcadm_trace *t, const char *sys,
				    const char *name)
{
	struct tep_event *ev = tep_find_event_by_name(t->tep, sys, name);
	char *fmt;
	int size = 0;

	if (ev)
		return ev;
	fmt = tracefs_event_file_read(NULL, sys, name, "format", &size);
	if (fmt == NULL)
		return NULL;
	if (tep_parse_event(t->tep, fmt, (unsigned long)size, sys) != TEP_ERRNO__SUCCESS) {
		free(fmt);
		return NULL;
	}
	free(fmt);
	return tep_find_event_by_name(t->tep, sys, name);
}

static int enable(struct ipcadm_trace *t, const char *sys, const char *name,
		  const char *filter, struct evdesc *d)
{
	struct tep_event *ev = load_event(t, sys, name);

	if (ev == NULL)
		return -ENOENT;
	d->id = ev->id;
	if (filter && tracefs_event_file_write(t->inst, sys, name, "filter", filter) < 0)
		return errno ? -errno : -EINVAL;
	if (tracefs_event_file_write(t->inst, sys, name, "enable", "1") < 0)
		return errno ? -errno : -EINVAL;
	return 0;
}

static int enable_call(struct ipcadm_trace *t, enum ipcadm_call c)
{
	const struct call_desc *cd = &call_descs[c];
	struct evdesc *en = &t->ev[t->nev], *ex = &t->ev[t->nev + 1];
	char name[64];
	const char *fexit = NULL;
	struct tep_event *ev;
	int r;

	snprintf(name, sizeof(name), "sys_enter_%s", cd->name);
	ev = load_event(t, "syscalls", name);
	if (ev == NULL)
		return -ENOENT;
	*en = (struct evdesc){ .type = EV_ENTER, .call = c };
	for (int s = 0; s < NSLOTS; s++)
		if (cd->field[s])
			en->f[s] = tep_find_field(ev, cd->field[s]);
	r = enable(t, "syscalls", name, is_ctl(c) ? FILTER_RMID : NULL, en);
	if (r < 0)
		return r;
	if (is_op(c))
		fexit = t->flags & IPCADM_TRACE_ALL ? FILTER_FAILED : FILTER_OP_FAILED;
	else if (!is_ctl(c) && !(t->flags & IPCADM_TRACE_ALL))
		fexit = FILTER_FAILED;
	snprintf(name, sizeof(name), "sys_exit_%s", cd->name);
	ev = load_event(t, "syscalls", name);
	if (ev == NULL)
		return -ENOENT;
	*ex = (struct evdesc){ .type = EV_EXIT, .call = c };
	ex->f[0] = tep_find_field(ev, "ret");
	r = enable(t, "syscalls", name, fexit, ex);
	if (r < 0)
		return r;
	t->nev += 2;
	return 0;
}

static int enable_other(struct ipcadm_trace *t, const char *sys, const char *name,
			enum ev_type type, const char *filter)
{
	struct evdesc *d = &t->ev[t->nev];
	int r;

	*d = (struct evdesc){ .type = type };
	r = enable(t, sys, name, filter, d);
	if (r == 0)
		t->nev++;
	return r;
}

static int enable_sched(struct ipcadm_trace *t, const char *name, enum ev_type type,
			const char *f1, const char *f2, const char *fs)
{
	struct tep_event *ev = load_event(t, "sched", name);
	struct evdesc *d = &t->ev[t->nev];
	int r;

	if (ev == NULL)
		return -ENOENT;
	*d = (struct evdesc){ .type = type };
	d->pid = f1 ? tep_find_field(ev, f1) : NULL;
	d->pid2 = f2 ? tep_find_field(ev, f2) : NULL;
	d->str = fs ? tep_find_field(ev, fs) : NULL;
	r = enable(t, "sched", name, NULL, d);
	if (r == 0)
		t->nev++;
	return r;
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int write_file(struct ipcadm_trace *t, const char *file, const char *text)
{
	if (tracefs_instance_file_write(t->inst, file, text) < 0)
		return errno ? -errno : -EIO;
	return 0;
}

/* The ring buffer's page header, which reading the raw buffers needs. */
static int load_header(const struct ipcadm_ctx *ctx, struct tep_handle *tep)
{
	char *buf;
	size_t len;
	int r;

	r = read_file(ctx, TRACEFS_DIR "/events/header_page", &buf, &len);
	if (r < 0)
		return r;
	r = tep_parse_header_page(tep, buf, len, sizeof(long)) < 0 ? -EBADMSG : 0;
	free(buf);
	return r;
}

/* Opens each CPU's trace_pipe_raw of the instance, for good. */
static int open_cpus(struct ipcadm_trace *t)
{
	long ncpus = sysconf(_SC_NPROCESSORS_CONF);
	long long kb = 0;
	enum kbuffer_long_size ls;

	if (ncpus < 1)
		ncpus = 1;
	/* the sub-buffer a read returns: buffer_subbuf_size_kb (6.8+), else a page */
	if (tracefs_instance_file_read_number(t->inst, "buffer_subbuf_size_kb", &kb) < 0 ||
	    kb <= 0)
		kb = 0;
	t->subbuf = kb ? (size_t)kb * 1024 : (size_t)sysconf(_SC_PAGESIZE);
	ls = tep_get_header_page_size(t->tep) == 8 ? KBUFFER_LSIZE_8 : KBUFFER_LSIZE_4;
	t->cpus = calloc((size_t)ncpus, sizeof(*t->cpus));
	if (t->cpus == NULL)
		return -ENOMEM;
	for (long cpu = 0; cpu < ncpus; cpu++) {
		struct cpubuf *c = &t->cpus[t->ncpus];
		char name[64], *path;

		snprintf(name, sizeof(name), "per_cpu/cpu%ld/trace_pipe_raw", cpu);
		path = tracefs_instance_get_file(t->inst, name);
		if (path == NULL)
			return -ENOMEM;
		c->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		tracefs_put_tracing_file(path);
		if (c->fd < 0) {
			if (errno == ENOENT) /* not possible on this machine */
				continue;
			return -errno;
		}
		c->pipe[0] = c->pipe[1] = -1;
		t->ncpus++;
		if (pipe2(c->pipe, O_NONBLOCK | O_CLOEXEC) < 0)
			return -errno;
		c->kbuf = kbuffer_alloc(ls, KBUFFER_ENDIAN_SAME_AS_HOST);
		c->page = malloc(t->subbuf);
		if (c->kbuf == NULL || c->page == NULL)
			return -ENOMEM;
	}
	return t->ncpus ? 0 : -ENODEV;
}

static void close_cpus(struct ipcadm_trace *t)
{
	for (size_t i = 0; i < t->ncpus; i++) {
		close(t->cpus[i].fd);
		if (t->cpus[i].pipe[0] >= 0) {
			close(t->cpus[i].pipe[0]);
			close(t->cpus[i].pipe[1]);
		}
		if (t->cpus[i].kbuf)
			kbuffer_free(t->cpus[i].kbuf);
		free(t->cpus[i].page);
	}
	free(t->cpus);
	t->cpus = NULL;
	t->ncpus = 0;
}

/*
 * One sub-buffer of the CPU into c->page: a full one moved through a pipe (splice) when
 * there is one; else, when partial is set, what the kernel has so far (read). Reading a
 * partial sub-buffer while the kernel writes to it loses events on Linux 6.18 (a fifth of
 * them at 500,000 events a second, none counted as dropped): full ones are taken whenever
 * events come fast enough to fill them. Returns the bytes, 0 when there is none, or -errno.
 */
static ssize_t cpu_read(struct ipcadm_trace *t, struct cpubuf *c, bool partial)
{
	ssize_t n = splice(c->fd, NULL, c->pipe[1], NULL, t->subbuf,
			   SPLICE_F_NONBLOCK | SPLICE_F_MOVE);

	if (n > 0) {
		size_t got = 0;

		while (got < (size_t)n) { /* the pipe holds it all already */
			ssize_t k = read(c->pipe[0], c->page + got, (size_t)n - got);

			if (k <= 0)
				return k < 0 ? -errno : -EIO;
			got += (size_t)k;
		}
		return n;
	}
	if (n < 0 && errno != EAGAIN && errno != EINTR)
		return -errno;
	if (!partial)
		return 0;
	n = read(c->fd, c->page, t->subbuf);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	return n;
}

/* Reads sub-buffers until one has an event; c->next stays NULL when the CPU has none. */
static int cpu_fill(struct ipcadm_trace *t, struct cpubuf *c)
{
	for (;;) {
		ssize_t n = cpu_read(t, c, t->partial);

		if (n <= 0) {
			c->next = NULL;
			return n < 0 ? (int)n : 0;
		}
		if (kbuffer_load_subbuffer(c->kbuf, c->page) < 0)
			continue;
		c->missed = kbuffer_missed_events(c->kbuf);
		c->next = kbuffer_read_event(c->kbuf, &c->ts);
		if (c->next)
			return 0;
	}
}

static int cpu_step(struct ipcadm_trace *t, struct cpubuf *c)
{
	c->missed = 0;
	c->next = kbuffer_next_event(c->kbuf, &c->ts);
	return c->next ? 0 : cpu_fill(t, c);
}

static int setup(struct ipcadm_trace *t, const struct ipcadm_trace_opts *o)
{
	char num[32], *pids;
	int r;

	t->tep = tep_alloc();
	if (t->tep == NULL)
		return -ENOMEM;
	r = load_header(t->ctx, t->tep);
	if (r < 0)
		return r;
	tep_set_cpus(t->tep, (int)sysconf(_SC_NPROCESSORS_CONF));
	tep_set_long_size(t->tep, tep_get_header_page_size(t->tep));
	r = write_file(t, "trace_clock", "mono");
	if (r < 0)
		return r;
	/* wake the reader when a hundredth of the buffer is full: full pages, read whole
	 * (see cpu_read); what trickles in is read after a tenth of a second */
	r = write_file(t, "buffer_percent", "1");
	if (r < 0)
		return r;
	if (tracefs_instance_set_buffer_size(t->inst, o->buffer_kb ? o->buffer_kb : 2048,
					     -1) < 0)
		return errno ? -errno : -ENOMEM;
	/* a full buffer drops the newest events, and counts them (per_cpu stats) */
	if (tracefs_option_disable(t->inst, TRACEFS_OPTION_OVERWRITE) < 0)
		return errno ? -errno : -EIO;
	/* not our own calls (the state we read to explain a failure), nor our children's */
	if (tracefs_option_enable(t->inst, TRACEFS_OPTION_EVENT_FORK) < 0)
		return errno ? -errno : -EIO;
	snprintf(num, sizeof(num), "%d", (int)t->self_pid);
	r = write_file(t, "set_event_notrace_pid", num);
	if (r < 0)
		return r;
	if (o->npids) {
		/* the kernel follows their forks from now on (event-fork); a second scan adds
		 * what they forked while the first ran */
		for (int pass = 0; pass < 2; pass++) {
			pids = pid_list(o->pids, o->npids);
			if (pids == NULL || *pids == '\0') {
				free(pids);
				return pass ? 0 : -ESRCH;
			}
			if (pass == 0)
				r = write_file(t, "set_event_pid", pids);
			else if (tracefs_instance_file_append(t->inst, "set_event_pid",
							      pids) < 0)
				r = -errno;
			free(pids);
			if (r < 0)
				return r;
		}
	}
	r = enable_sched(t, "sched_process_fork", EV_FORK, "parent_pid", "child_pid",
			 "child_comm");
	if (r == 0)
		r = enable_sched(t, "sched_process_exec", EV_EXEC, "pid", "old_pid",
				 "filename");
	if (r == 0)
		r = enable_sched(t, "sched_process_exit", EV_TASK_EXIT, NULL, NULL, NULL);
	/* a task that changes its IPC namespace (clone3's flags are in memory the kernel's
	 * filters cannot read: a child it makes so is taken for its parent's) */
	if (r == 0)
		r = enable_other(t, "syscalls", "sys_enter_unshare", EV_NS_LEAVE,
				 FILTER_NEWIPC_UNSHARE);
	if (r == 0)
		r = enable_other(t, "syscalls", "sys_enter_setns", EV_NS_LEAVE, NULL);
	if (r == 0)
		r = enable_other(t, "syscalls", "sys_enter_clone", EV_NS_CLONE,
				 FILTER_NEWIPC_CLONE);
	for (int c = 0; c < IPCADM_NCALLS && r == 0; c++)
		r = enable_call(t, (enum ipcadm_call)c);
	if (r < 0)
		return r;
	r = open_cpus(t);
	t->mono_to_real = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);
	return r;
}

int ipcadm_trace_start(struct ipcadm_ctx *ctx, const struct ipcadm_trace_opts *opts,
		       struct ipcadm_trace **tp)
{
	static char tracing_dir[] = TRACEFS_DIR;
	struct ipcadm_trace *t;
	char name[64];
	int r;

	if (!ctx->live)
		return -EOPNOTSUPP;
	r = check_tracefs();
	if (r < 0)
		return r;
	if (!ipcadm_trace_pids_global(ctx))
		return -EXDEV;
	for (size_t i = 0; i < opts->npids; i++)
		if (opts->pids[i] <= 0 || kill(opts->pids[i], 0) < 0)
			return -ESRCH;
	/* never let libtracefs look for tracefs elsewhere, or mount it */
	if (tracefs_set_tracing_dir(tracing_dir) < 0)
		return -ENODEV;
	tracefs_instances_walk(remove_stale, NULL);
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return -ENOMEM;
	t->ctx = ctx;
	t->flags = opts->flags;
	t->self_ns = path_ino("/proc/self/ns/ipc");
	t->self_pid = proc_self_pid();
	if (t->self_pid <= 0) {
		free(t);
		return -EXDEV;
	}
	snprintf(name, sizeof(name), INSTANCE_PREFIX "%d", (int)t->self_pid);
	t->inst = tracefs_instance_create(name);
	if (t->inst == NULL) {
		r = errno ? -errno : -EIO;
		free(t);
		return r;
	}
	r = setup(t, opts);
	if (r < 0) {
		ipcadm_trace_end(t);
		return r;
	}
	*tp = t;
	return 0;
}

int ipcadm_trace_wait(struct ipcadm_trace *t, int timeout_ms)
{
	struct pollfd p[64];
	size_t n = t->ncpus < 64 ? t->ncpus : 64;
	int r;

	if (t->stopped)
		return 0;
	for (size_t i = 0; i < t->ncpus; i++)
		if (t->cpus[i].next) /* left over from the last read */
			return 1;
	for (size_t i = 0; i < n; i++)
		p[i] = (struct pollfd){ .fd = t->cpus[i].fd, .events = POLLIN };
	r = poll(p, (nfds_t)n, timeout_ms);
	if (r < 0)
		return -errno;
	return r > 0;
}

/*
 * The events of every CPU in the order they happened, up to the moment the read began
 * (later ones wait for the next read, so that one busy CPU cannot hold the others back),
 * each taken from its buffer only after it was handled: a stop loses nothing.
 */
int ipcadm_trace_read(struct ipcadm_trace *t, bool final,
		      int (*fn)(const struct ipcadm_trace_event *ev, void *arg), void *arg)
{
	int64_t now = clock_ns(CLOCK_MONOTONIC);
	unsigned long long cutoff = (unsigned long long)now;
	int r;

	t->fn = fn;
	t->arg = arg;
	t->stopped = 0; /* a stop ends the read it interrupts, not the next */
	/* partial sub-buffers at most ten times a second, and when asked to (the end) */
	t->partial = final || now - t->last_partial >= 100000000;
	if (t->partial)
		t->last_partial = now;
	for (size_t i = 0; i < t->ncpus; i++) {
		if (t->cpus[i].next == NULL) {
			r = cpu_fill(t, &t->cpus[i]);
			if (r < 0)
				return r;
		}
	}
	while (!t->stopped) {
		struct cpubuf *c = NULL;
		struct tep_record rec;

		for (size_t i = 0; i < t->ncpus; i++)
			if (t->cpus[i].next && (c == NULL || t->cpus[i].ts < c->ts))
				c = &t->cpus[i];
		if (c == NULL || c->ts > cutoff)
			break;
		memset(&rec, 0, sizeof(rec));
		rec.ts = c->ts;
		rec.data = c->next;
		rec.size = kbuffer_event_size(c->kbuf);
		rec.cpu = (int)(c - t->cpus);
		rec.missed_events = c->missed;
		rec.ref_count = 1;
		r = on_record(t, &rec);
		if (cpu_step(t, c) < 0 && r == 0)
			r = -EIO;
		if (r)
			return r;
	}
	return 0;
}

void ipcadm_trace_stop(struct ipcadm_trace *t)
{
	t->stopped = 1;
}

/* The events each CPU's buffer dropped ("dropped events:", or "overrun:" when it
 * overwrites), summed. */
static uint64_t dropped(const struct ipcadm_trace *t)
{
	static const char *const keys[] = { "overrun: ", "dropped events: " };
	uint64_t sum = 0;
	long ncpus = sysconf(_SC_NPROCESSORS_CONF);

	for (long cpu = 0; cpu < ncpus; cpu++) {
		char name[64], *text, *p;
		uint64_t v;

		snprintf(name, sizeof(name), "per_cpu/cpu%ld/stats", cpu);
		text = tracefs_instance_file_read(t->inst, name, NULL);
		if (text == NULL)
			continue;
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			p = strstr(text, keys[k]);
			if (p == NULL)
				continue;
			p += strlen(keys[k]);
			if (mem_to_u64(p, strcspn(p, "\n"), &v) == 0)
				sum += v;
		}
		free(text);
	}
	return sum;
}

uint64_t ipcadm_trace_lost(const struct ipcadm_trace *t)
{
	return dropped(t);
}

/* True when the process tid runs, in the namespace of inode ino. */
static bool task_alive_in(pid_t tid, uint64_t ino)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/ipc", (int)tid);
	return path_ino(path) == ino;
}

int ipcadm_trace_ns(struct ipcadm_trace *t, uint64_t ipcns, struct ipcadm_ns *ns)
{
	size_t i = ns_find(t, ipcns);

	memset(ns, 0, sizeof(*ns));
	ns->ino = ipcns;
	if (ipcns != 0 && ipcns == t->self_ns) {
		ns->self = true;
		snprintf(ns->path, sizeof(ns->path), "/proc/self/ns/ipc");
		return 0;
	}
	if (i == SIZE_MAX || t->ns[i].fd < 0)
		return -ENOENT;
	snprintf(ns->path, sizeof(ns->path), "/proc/self/fd/%d", t->ns[i].fd);
	ns->id = ns_fd_id(t->ns[i].fd); /* to name it in commands (-N ipcid:ID) */
	/* a process in it now, to reach it (nsenter --target PID) */
	for (size_t b = 0; b < TASK_BUCKETS && ns->pid == 0; b++)
		for (struct task *k = t->tasks[b]; k && ns->pid == 0; k = k->next)
			if (k->ns == i && task_alive_in(k->tid, ipcns))
				ns->pid = k->tid;
	return 0;
}

void ipcadm_trace_end(struct ipcadm_trace *t)
{
	if (t == NULL)
		return;
	close_cpus(t); /* an open file of the instance would keep it (EBUSY) */
	if (t->inst) {
		tracefs_instance_destroy(t->inst);
		tracefs_instance_free(t->inst);
	}
	if (t->tep)
		tep_free(t->tep);
	for (size_t b = 0; b < TASK_BUCKETS; b++) {
		while (t->tasks[b]) {
			struct task *k = t->tasks[b];

			t->tasks[b] = k->next;
			free(k);
		}
	}
	for (size_t i = 0; i < t->nns; i++)
		if (t->ns[i].fd >= 0)
			close(t->ns[i].fd);
	free(t->ns);
	free(t);
}
