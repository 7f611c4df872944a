/* procscan.h: the process table as the holder analysis needs it: one pass over
 * /proc/PID reading stat, status and ns/ipc; maps and syscall read on demand. */
#ifndef IPCADM_PROCSCAN_H
#define IPCADM_PROCSCAN_H

#include "internal.h"
#include "procparse.h"

struct proc {
	pid_t pid, ppid;
	uid_t ruid, euid;
	int64_t start; /* Unix seconds */
	int64_t start_ms; /* Unix milliseconds, as precise as the clocks allow */
	char comm[65];
	unsigned long ipcns; /* inode of its IPC namespace, 0 when unknown */
	long num_threads;
	bool kthread;
	bool uids_known;
	bool maps_unreadable;
	bool syscall_unreadable;
};

struct procs {
	struct proc *v; /* sorted by pid */
	size_t n;
	int64_t btime;
	int64_t boot_ms; /* realtime at boot in ms: btime, or the clocks' offset when live */
	long ticks;
	pid_t self; /* our own process, never a holder; 0 for a copied tree */
	unsigned long self_ipcns;
	unsigned long self_pidns;
	bool hidden; /* /proc is mounted with hidepid: others' processes are invisible */
	char *buf; /* a reusable read buffer */
	size_t bufcap;
};

int procs_scan(struct ipcadm_ctx *ctx, struct procs *ps);
void procs_release(struct procs *ps);
struct proc *procs_find(const struct procs *ps, pid_t pid);

/* Reads /proc/PID/maps and calls fn for each SysV mapping; -errno on failure. */
int proc_read_maps(struct ipcadm_ctx *ctx, struct procs *ps, struct proc *p,
		   int (*fn)(void *arg, const struct proc_sysv_map *m), void *arg);
/* Reads the syscall of each thread of p; calls fn(arg, nr, args) for blocked ones. */
int proc_read_syscalls(struct ipcadm_ctx *ctx, struct procs *ps, struct proc *p,
		       void (*fn)(void *arg, long nr, const uint64_t *args), void *arg);

#endif
