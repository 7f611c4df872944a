/* analysis.h: the holder analysis's private state, shared by holders.c (who holds
 * what, from the process table) and verdict.c (the rules that judge each object). */
#ifndef IPCADM_ANALYSIS_H
#define IPCADM_ANALYSIS_H

#include "posix-names.h"
#include "procscan.h"

/* Seconds of clock granularity and daemonizing allowed between times (DESIGN.md). */
#define IPCADM_SLACK 2
/* Seconds a daemon (a process whose parent exited) may start after its object's ctime
 * and still hold it: programs initialise before they daemonize (verdict.c). */
#define IPCADM_DAEMON_SLACK 60

struct obj_info {
	enum ipcadm_verdict verdict;
	size_t evidence; /* offset in the text arena */
	size_t first, count; /* range in the holders array, after sorting */
	uint64_t maps_found; /* mappings found in maps (shm) */
	bool waiters; /* a process was found blocked on it */
	bool own_evidence; /* in use by its own evidence (not a companion) */
	pid_t detached_by; /* shm: the live last user that detached it (maybe-in-use) */
	const struct name_rule *rule; /* POSIX: the generated-name rule its name matches */
};

struct holder_rec {
	enum ipcadm_kind kind;
	size_t idx;
	struct ipcadm_holder h;
};

/* A growing list of holder records. */
struct holder_recs {
	struct holder_rec *v;
	size_t n, cap;
};

struct ipcadm_analysis {
	const struct ipcadm_snapshot *snap;
	struct procs procs;
	struct obj_info *info[IPCADM_NALL_KINDS]; /* POSIX kinds too (posix-holders.c) */
	struct holder_recs recs;
	bool holders_only; /* no verdicts: holders need only their PID, command, namespace */
	struct ipcadm_holder *holders; /* sorted by object, after holders_finish() */
	char *text;
	size_t tlen, tcap;
	bool maps_incomplete; /* some process's maps could not be read */
	size_t syscall_unreadable; /* processes whose syscall could not be read */
	bool scanned_syscalls;
	size_t posix_unreadable; /* processes whose maps or fds could not be read */
	struct name_rules names; /* generated POSIX names: the admin's (names.conf) */
};

/* Adds how to the holder record of (kind, idx, p), creating it if needed. */
int analysis_add_holder(struct ipcadm_analysis *a, enum ipcadm_kind kind, size_t idx,
			const struct proc *p, unsigned int how);
int holder_recs_add(struct holder_recs *l, enum ipcadm_kind kind, size_t idx,
		    const struct proc *p, unsigned int how);
/* Appends printf-formatted text to the arena; returns its offset (or 0 on ENOMEM). */
__attribute__((format(printf, 2, 3))) size_t analysis_text(struct ipcadm_analysis *a,
							   const char *fmt, ...);
/* The same for a plain string, without printf. */
size_t analysis_text_copy(struct ipcadm_analysis *a, const char *s);
/* Whether p started no later than time t (a kernel time in whole seconds), with slack. */
bool analysis_started_by(const struct ipcadm_analysis *a, const struct proc *p, int64_t t);
/* The latest start, in Unix ms, of a process that was there at time t (whole seconds):
 * t, its second, slack seconds, and any forward step of the wall clock since boot. */
int64_t analysis_deadline(const struct ipcadm_analysis *a, int64_t t, int64_t slack);
/* Why the process table cannot rule out a holder (hidepid, processes of other PID
 * namespaces sharing ours), or NULL. */
const char *analysis_blind_spot(const struct ipcadm_analysis *a);
/* What runs under a PID that the kernel recorded with an object at time t (creator, last
 * attacher, operator, sender, receiver), for a use that needed the permission bits perm
 * (S_IROTH, S_IWOTH or both). *pp is the process under that PID, when /proc shows one. */
enum recorded {
	RECORDED_DEAD, /* no such PID: kill(pid, 0) says ESRCH, or nothing asked (--root) */
	RECORDED_ALIVE, /* started before t (and the slack): the recorded user */
	RECORDED_LATE, /* started after t by the clocks, and nothing else says it is another
			* process: a stepped clock cannot be ruled out */
	RECORDED_REUSED, /* started after t, and cannot have made that use (another IPC
			  * namespace, no permission): the PID was reused */
	RECORDED_HIDDEN, /* the kernel has the PID, /proc does not show it (hidepid) */
};
enum recorded analysis_recorded(struct ipcadm_analysis *a, const struct ipcadm_obj *o,
				pid_t pid, int64_t t, unsigned int perm, struct proc **pp);
/* Whether the kernel's ipcperms() may let p make a use of o that needs the permission
 * bits perm (S_IROTH, S_IWOTH or both: any of them counts), by any of its real, effective
 * and saved uids and gids and its supplementary groups (read when first needed): as root,
 * owner or creator, or by o's group or other bits, from o's IPC namespace; or so may one
 * of its other threads, each with credentials and a namespace of its own. When in doubt
 * (uids, groups or threads not read), it may. The one test of permission for possible
 * holders and PID reuse alike. */
bool analysis_may_use(struct ipcadm_analysis *a, const struct ipcadm_obj *o, struct proc *p,
		      unsigned int perm);
/* Whether p may be in the IPC namespace of the objects: its main thread, or another one
 * (each thread has its own; one that called unshare or setns left the others). */
bool analysis_in_ns(struct ipcadm_analysis *a, struct proc *p);
/* Whether a thread of p other than its main one (credentials are a thread's own) may
 * use o as analysis_may_use() says, and not only as root: it runs as o's owner or
 * creator, or not as root at all. Threads that cannot be read may. */
bool analysis_thread_user_may_use(struct ipcadm_analysis *a, const struct ipcadm_obj *o,
				  struct proc *p, unsigned int perm);
/* Why p, whatever its start time, cannot have made that use of o (another IPC namespace,
 * no permission by analysis_may_use()), or NULL. */
const char *analysis_reused_why(struct ipcadm_analysis *a, const struct ipcadm_obj *o,
				struct proc *p, unsigned int perm);

int holders_scan(struct ipcadm_ctx *ctx, struct ipcadm_analysis *a);
int holders_finish(struct ipcadm_analysis *a);
int verdicts_judge(struct ipcadm_analysis *a);
/* Judges each POSIX object: in-use when held, unknown when a process could not be read;
 * a name a library generates is private (orphaned or maybe-in-use by its program's
 * processes); any other name is a key (idle). */
void posix_judge(struct ipcadm_analysis *a);

#endif
