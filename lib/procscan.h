/* procscan.h: the process table as the holder analysis needs it: the PIDs in one pass over
 * /proc, then each process's stat, uids and IPC namespace read when first needed. */
#ifndef IPCADM_PROCSCAN_H
#define IPCADM_PROCSCAN_H

#include "internal.h"
#include "procparse.h"
#include "syscall-abi.h"

/* The initial PID namespace's inode number (include/linux/proc_ns.h). */
#define PROC_INIT_PID_NS 4026531836UL
/* The initial user namespace's inode number. */
#define PROC_INIT_USER_NS 4026531837UL
/* CAP_IPC_OWNER (linux/capability.h): ipcperms() lets its holder use any object. */
#define PROC_CAP_IPC_OWNER (1ULL << 15)
/* The deepest chain of user namespaces kept (the kernel allows 32 levels). */
#define PROC_USERNS_DEPTH 33

/* The parts of a process that proc_load() reads. */
enum proc_part {
	PROC_STAT = 1 << 0, /* ppid, sid, start, comm, num_threads, kthread: read first */
	PROC_UIDS = 1 << 1, /* ruid, euid, suid, rgid, egid, sgid; uids_known says whether
			     * they were read */
	PROC_NS = 1 << 2, /* ipcns */
	PROC_ALL = PROC_STAT | PROC_UIDS | PROC_NS,
	PROC_ABI = 1 << 3, /* abi, from its executable's ELF header: only when asked for */
	PROC_GROUPS = 1 << 4, /* groups, ngroups: only when asked for (status is read) */
	PROC_CAPS = 1 << 5, /* cap_eff, caps_known: only when asked for (read with
			     * PROC_GROUPS, from the same status: asking for one loads both) */
	PROC_THREADS = 1 << 6, /* tcreds, ntcreds: only when asked for (each thread's
				* status) */
	PROC_THREAD_NS = 1 << 7, /* tns, ntns: only when asked for (thread ns/ipc links) */
};

/* The credentials of one thread. */
struct proc_cred {
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
	gid_t *groups; /* its supplementary groups, ngroups of them */
	int ngroups;
	unsigned long ipcns; /* the thread's IPC namespace, 0 when unknown */
};

struct proc {
	pid_t pid, ppid;
	pid_t sid; /* its session */
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
	gid_t *groups; /* its supplementary groups (PROC_GROUPS), ngroups of them */
	int ngroups; /* -1 when they could not be read */
	uint64_t cap_eff; /* its effective capabilities (PROC_CAPS), when caps_known */
	unsigned long userns; /* inode of its user namespace (procs_ipc_owner()), or 0 */
	/* the credentials of its other threads, each distinct set once (PROC_THREADS):
	 * ntcreds of them, -1 when a thread's could not be read */
	struct proc_cred *tcreds;
	int ntcreds;
	/* the IPC namespaces of its other threads, each once (PROC_THREAD_NS): a thread
	 * that called unshare or setns left the others where they were; -1 when
	 * unreadable */
	unsigned long *tns;
	int ntns;
	int64_t start; /* Unix seconds */
	int64_t start_ms; /* Unix milliseconds, as precise as the clocks allow */
	char comm[65];
	unsigned long ipcns; /* inode of its IPC namespace, 0 when unknown */
	enum syscall_abi abi; /* the system call ABI its program uses */
	long num_threads;
	bool kthread; /* PF_KTHREAD: a kernel thread, whatever its PID */
	bool uids_known;
	bool caps_known;
	bool maps_unreadable;
	bool syscall_unreadable;
	bool gone; /* its stat could not be read (it exited): procs_find() skips it */
	unsigned char loaded; /* the enum proc_part bits read so far */
};

struct procs {
	struct proc *v; /* sorted by pid; an entry's fields are valid once loaded */
	size_t n;
	int64_t btime;
	int64_t boot_ms; /* realtime at boot in ms: btime, or the clocks' offset when live */
	int64_t clock_step_ms; /* how far the wall clock was stepped forward since boot */
	long ticks;
	pid_t self; /* our own process, never a holder; 0 for a copied tree */
	unsigned long self_ipcns;
	unsigned long self_pidns;
	bool hidden; /* /proc is mounted with hidepid: others' processes are invisible */
	bool all_visible; /* ipcadm_ctx_set_all_visible(): no PID namespace blind spot */
	bool pid1_is_init; /* /proc shows the initial PID namespace: PID 1 is the init */
	bool unsettled; /* procs_settle(): processes kept exiting and starting meanwhile */
	int procfd; /* the root's /proc: every per-process file is opened relative to it */
	bool procfd_open;
	signed char pidfd; /* uids from pidfd's PIDFD_GET_INFO: 1 yes, -1 no (status) */
	bool signals; /* live, and /proc shows our PID namespace: kill(pid, 0) may ask the
		       * kernel about a PID that /proc does not show */
	bool no_query; /* PROCMAP_QUERY is missing: maps are read as text */
	/* The user namespace that owns the IPC namespace self_ipcns, then its ancestors
	 * (procs_owner_userns()): inodes, and each one's owner uid. */
	struct {
		unsigned long ino[PROC_USERNS_DEPTH];
		uid_t owner[PROC_USERNS_DEPTH];
		int n; /* 0: not known */
		bool complete; /* it ends at the initial user namespace */
		bool failed; /* it cannot be read (a copied tree, an old kernel) */
	} owner_userns;
};

/* A read buffer for maps text, one per thread, reused from process to process. */
struct proc_buf {
	char *p;
	size_t cap;
};

/* Whether the /proc open at procfd shows our PID namespace, so that system calls that
 * take a PID (pidfd_open, kill, kcmp) find the same processes by the same PIDs. */
bool proc_shows_us(int procfd);
/* Lists the processes of the root's /proc (and reads PID 1, to detect hidepid). */
int procs_scan(struct ipcadm_ctx *ctx, struct procs *ps);
void procs_release(struct procs *ps);
/* Reads the parts of p not read yet (PROC_STAT first); -ENOENT, and p->gone, when its
 * stat cannot be read. A process whose uids or namespace cannot be read is kept.
 * Threads may load different processes of one table at once (never the same one): the
 * table's own flags (pidfd, no_query) are read and written atomically. */
int proc_load(struct procs *ps, struct proc *p, unsigned int parts);
/* proc_load() of every process, the table shared out among the cores. */
void procs_load_all(struct procs *ps, unsigned int parts);
/*
 * After procs_load_all(): a process listed but gone when loaded may have forked, before
 * it exited, a child that the listing missed: a daemon handed its objects (Apache's
 * pre-daemon forks its master and exits). While some are gone, /proc is listed again and
 * the newcomers loaded (parts), at most PROCS_SETTLE_ROUNDS times; ps->unsettled when
 * newcomers were still gone then. Entries move: no pointer into the table may be kept.
 */
#define PROCS_SETTLE_ROUNDS 8
int procs_settle(struct procs *ps, unsigned int parts);
/*
 * Whether the capabilities of p (PROC_CAPS loaded) give it CAP_IPC_OWNER over the objects
 * of the IPC namespace self_ipcns, as ns_capable() does: it has the capability in the
 * user namespace that owns the IPC namespace or in an ancestor, or owns the child of its
 * own namespace on the way (then it has every capability). A process of a child user
 * namespace (a rootless container) has not. When the owner's chain or p's namespace
 * cannot be read, the capability counts; without it, owning a child namespace is not
 * looked for. Not thread-safe: the chain is read on first use.
 */
bool procs_ipc_owner(struct procs *ps, struct proc *p);
/* The process with that PID, or NULL (also when gone); it may not be loaded yet. */
struct proc *procs_find(const struct procs *ps, pid_t pid);

/* Calls fn for each SysV mapping of p (a shared file mapping named /SYSVxxxxxxxx): with
 * the PROCMAP_QUERY ioctl (Linux 6.11+), else by reading /proc/PID/maps into buf (free
 * buf->p when done); -errno on failure. fn returns non-zero to stop. p need not be loaded.
 * Threads may read the maps of different processes at once, each with its own buf. */
int proc_read_maps(struct ipcadm_ctx *ctx, struct procs *ps, struct proc *p,
		   struct proc_buf *buf,
		   int (*fn)(void *arg, const struct proc_sysv_map *m), void *arg);
/* Reads the syscall of each thread of p (PROC_STAT loaded); calls fn(arg, tid, nr, args)
 * for blocked ones (tid is p's PID when p has one thread). */
int proc_read_syscalls(struct ipcadm_ctx *ctx, struct procs *ps, struct proc *p,
		       void (*fn)(void *arg, pid_t tid, long nr, const uint64_t *args),
		       void *arg);
/* The IPC namespace (inode) of one thread of pid, which may differ from its process's
 * (setns and unshare act on the calling thread); 0 when it cannot be read. */
unsigned long proc_task_ipcns(const struct procs *ps, pid_t pid, pid_t tid);

#endif
