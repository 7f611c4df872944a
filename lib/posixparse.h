/* posixparse.h: parsers for what POSIX IPC's holders and readers need: a queue file's
 * line, /proc/PID/mountinfo, /proc/PID/fd link text, every file mapping of /proc/PID/maps. */
#ifndef IPCADM_POSIXPARSE_H
#define IPCADM_POSIXPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* "QSIZE:128        NOTIFY:0     SIGNO:0     NOTIFY_PID:0     " (ipc/mqueue.c). */
struct mq_file_info {
	uint64_t qsize; /* bytes of messages queued */
	uint64_t msgs; /* messages queued: not in the text, which leaves it 0 (posix-read.c asks) */
	int notify, signo;
	pid_t notify_pid;
};

/* 0, or -EBADMSG when QSIZE or NOTIFY_PID is missing or a value is not a number. */
int posixparse_mqueue(const char *buf, size_t len, struct mq_file_info *mi);

/*
 * Finds the first mount of filesystem type fstype in a mountinfo text and copies its
 * mount point, unescaped (\040 and friends), to mnt. 0, -ENOENT when there is none,
 * -ENAMETOOLONG when it does not fit. Malformed lines are skipped.
 */
int posixparse_mountinfo(const char *buf, size_t len, const char *fstype, char *mnt,
			 size_t mntlen);

/* What a /proc/PID/fd link's text names. */
enum fd_link_type {
	FD_LINK_PATH, /* a path: "/dev/shm/x", "/x" for a queue opened with mq_open */
	FD_LINK_DELETED, /* a path that was unlinked: "/dev/shm/x (deleted)" */
	FD_LINK_OTHER, /* socket:[N], pipe:[N], anon_inode:..., and anything else */
};

/* Classifies a link's text; for paths, *pathlen is the path's length without " (deleted)". */
enum fd_link_type posixparse_fd_link(const char *link, size_t len, size_t *pathlen);

/* One file mapping of /proc/PID/maps (inode not 0). */
struct proc_file_map {
	unsigned int dev_major, dev_minor;
	uint64_t inode;
	bool writable, shared;
	const char *path; /* not NUL-terminated; pathlen bytes, "" when anonymous */
	size_t pathlen;
};

/* Calls fn for each mapping of a file; stops when fn returns non-zero. Returns the
 * number of file mappings, or -EBADMSG on a malformed line. */
int posixparse_maps(const char *buf, size_t len,
		    int (*fn)(void *arg, const struct proc_file_map *m), void *arg);

#endif
