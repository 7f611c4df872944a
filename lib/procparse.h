/* procparse.h: parsers for the /proc/PID files the holder scan reads (stat, status, maps,
 * syscall), /proc/stat's btime and proc's hidepid. Pure functions on buffers: fuzzed. */
#ifndef IPCADM_PROCPARSE_H
#define IPCADM_PROCPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct proc_stat {
	pid_t pid, ppid;
	pid_t session; /* the session ID (field 6) */
	char comm[16 * 4 + 1]; /* the kernel's 16 bytes; room for odd bytes */
	char state;
	unsigned long flags;
	long num_threads;
	uint64_t starttime; /* clock ticks after boot */
};

/* PF_KTHREAD in /proc/PID/stat's flags. */
#define PROC_PF_KTHREAD 0x00200000UL

int procparse_stat(const char *buf, size_t len, struct proc_stat *st);
/* The real, effective and saved uids from /proc/PID/status. */
int procparse_status_uids(const char *buf, size_t len, uid_t *ruid, uid_t *euid,
			  uid_t *suid);
/* The real, effective and saved gids from /proc/PID/status. */
int procparse_status_gids(const char *buf, size_t len, gid_t *rgid, gid_t *egid,
			  gid_t *sgid);
/* The supplementary groups ("Groups:") from /proc/PID/status: the first cap stored in v;
 * returns how many there are, or -EBADMSG (no such line, a bad number, or the line cut
 * short by the end of buf: a status longer than the buffer read). */
int procparse_status_groups(const char *buf, size_t len, gid_t *v, size_t cap);

/* The effective capabilities ("CapEff:", 16 hex digits) from /proc/PID/status; -EBADMSG
 * when there is no such line, it is garbled, or cut short by the end of buf. */
int procparse_status_capeff(const char *buf, size_t len, uint64_t *caps);

/* One System V segment mapping from /proc/PID/maps. */
struct proc_sysv_map {
	unsigned long inode; /* the shmid (for non-hugetlb segments) */
	uint32_t key; /* from the /SYSV%08x name */
	bool writable;
	unsigned int dev_major, dev_minor;
};

/* A segment's mapped name, "/SYSVkkkkkkkk" (then " (deleted)"), to its key; -EINVAL when
 * name is not one. */
int procparse_sysv_name(const char *name, size_t len, uint32_t *key);

/* Calls fn for each /SYSVxxxxxxxx mapping; stops early when fn returns non-zero.
 * Returns the number of mappings seen, or -EBADMSG on a malformed SysV line. */
int procparse_maps_sysv(const char *buf, size_t len,
			int (*fn)(void *arg, const struct proc_sysv_map *m), void *arg);

/* /proc/PID/syscall: "NR a1 a2 a3 a4 a5 a6 sp pc", "-1 sp pc" or "running".
 * Returns 1 with nr and args when blocked in a syscall, 0 when not, -EBADMSG. */
int procparse_syscall(const char *buf, size_t len, long *nr, uint64_t args[6]);

/* btime from /proc/stat. */
int procparse_btime(const char *buf, size_t len, int64_t *btime);

/* Whether the proc mount with this mount ID in a mountinfo text hides processes (its
 * hidepid option is not 0/off): 1 or 0, with *gid set to its gid= option (-1 without
 * one); -ENOENT when no line has that ID, -EBADMSG when that line is not a proc mount. */
int procparse_proc_hidepid(const char *buf, size_t len, uint64_t mnt_id, int64_t *gid);

#endif
