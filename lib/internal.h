/* internal.h: what the library's files share and the public API does not show.
 * The context's layout, the whole-file reader, and the kernel readers. */
#ifndef IPCADM_INTERNAL_H
#define IPCADM_INTERNAL_H

#include "ipcadm.h"

#include <dirent.h>
#include <limits.h>

struct name_cache;

struct ipcadm_ctx {
	char root[PATH_MAX];
	bool live;
	enum ipcadm_source source;
	struct name_cache *users;
	struct name_cache *groups;
	int mqfd; /* this IPC namespace's mqueue filesystem (posix-read.c), -1 until opened */
	bool ns_entered; /* in a child that entered another IPC namespace (nsenter.c): the
			  * mounts we see belong to our own */
	bool all_visible; /* the admin says every process using the namespace is visible */
	struct ipcadm_remove_hook hook; /* around each guarded removal (see ipcadm.h) */
};

struct ipcadm_snapshot {
	struct ipcadm_obj *objs[IPCADM_NALL_KINDS];
	size_t n[IPCADM_NALL_KINDS];
	size_t skipped[IPCADM_NALL_KINDS];
	int err[IPCADM_NALL_KINDS]; /* a POSIX kind that could not be read */
	struct ipcadm_posix_limits plimits;
	uint64_t ipcns; /* the namespace it was read in (nsenter.c), 0: not told */
	struct ipcadm_limits limits;
	struct ipcadm_usage usage;
};

/* The remove hook around a guarded removal of expect (NULL: not guarded, no hook). */
int hook_before(const struct ipcadm_ctx *ctx, const struct ipcadm_obj *expect);
void hook_after(const struct ipcadm_ctx *ctx, const struct ipcadm_obj *expect, int r);

/* Reads a whole file below the root into a malloc'd, NUL-terminated buffer. */
int read_file(const struct ipcadm_ctx *ctx, const char *path, char **bufp, size_t *lenp);
int read_fd_all(int fd, char **bufp, size_t *lenp);
/* The same for a file relative to a directory descriptor. */
int read_file_at(int dirfd, const char *name, char **bufp, size_t *lenp);
/* A directory stream of fd (or fd's -errno, returned as is); fd is closed on failure. */
int dir_from_fd(int fd, DIR **dirp);
/* A directory stream of path relative to dirfd; 0 or -errno. */
int dir_at(int dirfd, const char *path, DIR **dirp);
/*
 * A backup's .meta (backup.c): written as "field value" lines, the evidence escaped
 * (returns the length, at most cap, ending in a newline); read back with each known field
 * once: 0, or -EBADMSG (a line or value), -ENOKEY (an unknown field), -ENOTUNIQ (a field
 * twice), -ENODATA (a required one missing), with b->line and b->field saying where.
 */
size_t backup_meta_format(const struct ipcadm_obj *o, uint64_t ns, const char *evidence,
			  char *buf, size_t cap);
int backup_meta_parse(char *buf, size_t len, struct ipcadm_shm_backup *b);
/* Parses exactly max numbers of a sysctl file (limits.c); 0 or -EBADMSG. */
int sysctl_parse_numbers(const char *buf, size_t len, uint64_t *v, size_t max);
/* What one object of the limit's kind counts against a limit counted so (limits.c's
 * table says how each limit counts). */
static inline uint64_t limit_amount(enum ipcadm_limit_count count, const struct ipcadm_obj *o,
				    uint64_t page_size)
{
	switch (count) {
	case IPCADM_COUNT_OBJECTS:
		return 1;
	case IPCADM_COUNT_PAGES:
		return ipcadm_shm_pages(o->size, page_size);
	case IPCADM_COUNT_SEMS:
		return o->nsems;
	case IPCADM_COUNT_BYTES:
		return o->size;
	default:
		return 0;
	}
}

/* The *_STAT_ANY readers (sysvipc-syscall.c). */
/* Every object of a kind; any_only: -ENOSYS when the kernel has no *_STAT_ANY, rather than
 * the plain *_STAT walk (which skips what we may not read). each, if not NULL, is called
 * for every object right after it is read, from several threads at once. */
int syscall_read_all(enum ipcadm_kind kind, bool any_only,
		     void (*each)(void *arg, struct ipcadm_obj *o), void *arg,
		     struct ipcadm_obj **objsp, size_t *np);
int syscall_read_one(enum ipcadm_kind kind, int id, struct ipcadm_obj *obj);
/* The parts (enum ipcadm_sem_parts) of each semaphore of an array. */
int syscall_read_semvals(struct ipcadm_obj *obj, unsigned int parts);
int syscall_read_qbytes(struct ipcadm_obj *obj);
/* shmctl, semctl or msgctl, as kind says, of cmd on id; buf is that call's struct for cmd
 * (a *id_ds, or an *info for IPC_INFO and *_INFO). What the call returns, errno set. */
int syscall_ctl(enum ipcadm_kind kind, int id, int cmd, void *buf);

void name_cache_free(struct name_cache *c);

/* POSIX IPC (posix-read.c): reads one POSIX kind, and the fs.mqueue and /dev/shm limits. */
int posix_read_kind(struct ipcadm_ctx *ctx, enum ipcadm_kind kind, struct ipcadm_obj **objsp,
		    size_t *np);
void posix_read_limits(struct ipcadm_ctx *ctx, struct ipcadm_snapshot *snap);
/* A fresh descriptor of the directory that holds a kind's files, or -errno. */
int posix_kind_dir(struct ipcadm_ctx *ctx, enum ipcadm_kind kind);
/*
 * The file name of an object in its directory. Any name the directory can hold (NAME_MAX
 * with "sem." for a semaphore), not only those that glibc's shm_open and sem_open accept:
 * anyone may create a file of 255 bytes in /dev/shm, and removal goes through the
 * directory (unlinkat), never shm_unlink. 0, or -EINVAL.
 */
int posix_file_name(enum ipcadm_kind kind, const char *name, char *buf, size_t len);
/* Reads a queue file of the directory dfd (QSIZE, NOTIFY ...; the message count). */
struct mq_file_info;
int posix_read_queue_file(int dfd, const char *fname, struct mq_file_info *mi);

/* The rule for a leak without verdicts (verdict.c; findings without a process scan): a
 * private segment, unattached, not marked for destruction. Only a candidate. */
bool verdict_unattached_private(const struct ipcadm_obj *o);

/* Parses one /proc/sysvipc table held in memory (snapshot.c; the fuzz and unit entry
 * point). Not exported from the shared library (libipcadm.map). */
int ipcadm_sysvipc_parse(enum ipcadm_kind kind, const char *buf, size_t len,
			 struct ipcadm_obj **objsp, size_t *np, size_t *skippedp);

/* The kernel's ID of an open namespace (NS_GET_ID, Linux 6.18; nsenter.c): unique while
 * the machine runs, never reused, as an inode number is once its namespace is gone; 0
 * where the kernel has none. */
uint64_t ns_fd_id(int fd);

#endif
