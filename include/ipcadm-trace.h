/* ipcadm-trace.h: the System V and POSIX IPC calls followed as processes make them,
 * through the kernel's syscall tracepoints in a tracefs instance of our own (lib/trace.c). */
#ifndef IPCADM_TRACE_H
#define IPCADM_TRACE_H

#include "ipcadm.h"

/* The calls followed. The ctl calls are followed for IPC_RMID only; shmat and the
 * operation calls for their failures only. */
enum ipcadm_call {
	IPCADM_CALL_SHMGET,
	IPCADM_CALL_SEMGET,
	IPCADM_CALL_MSGGET,
	IPCADM_CALL_SHMCTL,
	IPCADM_CALL_SEMCTL,
	IPCADM_CALL_MSGCTL,
	IPCADM_CALL_SHMAT,
	IPCADM_CALL_SEMOP,
	IPCADM_CALL_SEMTIMEDOP,
	IPCADM_CALL_MSGSND,
	IPCADM_CALL_MSGRCV,
	IPCADM_CALL_MQ_OPEN,
	IPCADM_CALL_MQ_UNLINK,
	IPCADM_NCALLS,
};

/* "semget", "mq_open", ... */
const char *ipcadm_call_name(enum ipcadm_call call);
/* The kind of object a call is about (IPCADM_PMQ for the mq calls). */
enum ipcadm_kind ipcadm_call_kind(enum ipcadm_call call);
/* True for shmget, semget and msgget. */
bool ipcadm_call_is_get(enum ipcadm_call call);

/* One call, as the kernel recorded it when the process entered and left it. */
struct ipcadm_trace_event {
	int64_t time_ns; /* when it returned: wall clock, nanoseconds since the epoch */
	pid_t pid; /* the thread, numbered as the initial PID namespace numbers it */
	char comm[16]; /* its command then (from its fork and exec events), "" unknown */
	uint64_t ipcns; /* its IPC namespace's inode, 0 when it could not be told */
	enum ipcadm_call call;
	int32_t key; /* get calls */
	uint64_t size; /* shmget size, semget nsems, semop nsops, msgsnd and msgrcv msgsz */
	int flags; /* shmflg, semflg, msgflg; mq_open oflag */
	unsigned int mode; /* mq_open mode */
	int id; /* the ctl, shmat and operation calls */
	int cmd; /* the ctl calls */
	long msgtyp; /* msgrcv */
	char name[256]; /* mq_open, mq_unlink: the name read from the process, "" unknown */
	int64_t ret; /* the result: the ID, 0 or a descriptor; or -errno */
	/* who made it, as the events told it (a process may exit before it is read) */
	pid_t ppid; /* its parent: from its fork event, else /proc when first seen; 0 unknown */
	char pcomm[16]; /* the parent's command, "" unknown */
	char exe[256]; /* the file it last exec'd (sched_process_exec), "" unknown */
};

enum ipcadm_trace_flags {
	/* successful get, IPC_RMID and mq calls too, and the routine failures of the
	 * operation calls (EAGAIN, EINTR, ENOMSG): without it, failures only */
	IPCADM_TRACE_ALL = 1 << 0,
};

struct ipcadm_trace_opts {
	unsigned int flags; /* enum ipcadm_trace_flags */
	const pid_t *pids; /* follow these processes and their descendants; none: every one */
	size_t npids;
	size_t buffer_kb; /* the instance's buffer per CPU; 0: 2048 */
};

struct ipcadm_trace;

/*
 * Creates the tracefs instance "ipcadm-trace-PID" and starts tracing. -EPERM or -EACCES
 * when not allowed (root only), -ENODEV when no tracefs is mounted at /sys/kernel/tracing,
 * -ENOENT when the kernel has no syscall tracepoints (CONFIG_FTRACE_SYSCALLS), -EXDEV when
 * /proc does not number processes as the initial PID namespace does (the events' PIDs
 * could not be matched), -ESRCH when a PID to follow does not exist. Removes instances
 * that an earlier trace left behind when it was killed.
 */
int ipcadm_trace_start(struct ipcadm_ctx *ctx, const struct ipcadm_trace_opts *opts,
		       struct ipcadm_trace **tp);
/* Waits up to timeout_ms for events: 1 when there are some, 0 when not, -EINTR. */
int ipcadm_trace_wait(struct ipcadm_trace *t, int timeout_ms);
/*
 * Hands each event recorded so far to fn, oldest first; stops early when fn returns
 * non-zero (that value is returned) or after ipcadm_trace_stop(). Events of a CPU whose
 * buffer page is not full yet may wait for a later read, a tenth of a second at most;
 * final takes them all (the last read).
 */
int ipcadm_trace_read(struct ipcadm_trace *t, bool final,
		      int (*fn)(const struct ipcadm_trace_event *ev, void *arg), void *arg);
/* Makes a running ipcadm_trace_read() return soon (not the next one): safe in a signal
 * handler. */
void ipcadm_trace_stop(struct ipcadm_trace *t);
/* Events the kernel dropped because its buffer was full. */
uint64_t ipcadm_trace_lost(const struct ipcadm_trace *t);
/*
 * The IPC namespace of an event, to read its state with ipcadm_snapshot_read_ns(): it
 * stays open while a process followed is in it, so it can be read after the process that
 * made the call has exited. ns->pid is a process in it now (0 when none is known).
 * -ENOENT when it is not known.
 */
int ipcadm_trace_ns(struct ipcadm_trace *t, uint64_t ipcns, struct ipcadm_ns *ns);
/* Stops tracing and removes the instance. */
void ipcadm_trace_end(struct ipcadm_trace *t);

/* True when /proc numbers processes as the initial PID namespace (the kernel's events) do. */
bool ipcadm_trace_pids_global(const struct ipcadm_ctx *ctx);
/* True when 32-bit programs can make system calls that the tracepoints do not see (x86-64
 * with IA32 emulation: the kernel does not trace compat system calls). */
bool ipcadm_trace_misses_compat(void);

#endif
