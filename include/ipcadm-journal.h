/* ipcadm-journal.h: the journal of who made each IPC object and when it went, written by
 * `ipcadm trace --journal` into SQLite (lib/journal.c) and read back to name creators. */
#ifndef IPCADM_JOURNAL_H
#define IPCADM_JOURNAL_H

#include "ipcadm-trace.h"

#define IPCADM_JOURNAL_PATH "/var/lib/ipcadm/journal.db"

/* One object's creation (and removal, when seen), and the process that made it. */
struct ipcadm_journal_rec {
	uint64_t ipcns; /* the IPC namespace's inode */
	enum ipcadm_kind kind;
	int id; /* System V ID; -1 for a POSIX queue */
	int32_t key;
	char name[256]; /* a POSIX queue's name without its '/', else "" */
	int64_t created_ns; /* wall clock, nanoseconds since the epoch */
	int64_t removed_ns; /* 0 while no removal was seen */
	pid_t pid; /* the creator, as the initial PID namespace numbers it */
	char comm[16]; /* its command at the event */
	char exe[256]; /* its executable, "" unknown */
	char cmdline[512]; /* its arguments joined by spaces, "" unknown */
	int64_t uid; /* its effective uid, -1 unknown */
	char cgroup[256]; /* its cgroup (v2 path), "" unknown */
	char unit[128]; /* the systemd unit or container named by the cgroup, "" none */
	pid_t ppid; /* its parent, 0 unknown */
	char pcomm[16]; /* the parent's command */
};

struct ipcadm_journal;

/*
 * Opens the journal at path; write: creates it (and its directory when it is the default
 * one) and its tables, in WAL mode. Opened root-safely (lib/safefile.c): its directory
 * must be one that no other user may write, the file a regular one of ours with one link;
 * no link is followed. -errno when it cannot be opened (-ENOENT: none there), else 0 with
 * *fault telling why it was refused (*jp NULL then) or IPCADM_FILE_OK. -EIO for an SQLite
 * error (ipcadm_journal_error() tells it).
 */
int ipcadm_journal_open(const char *path, bool write, struct ipcadm_journal **jp,
			enum ipcadm_file_fault *fault);
void ipcadm_journal_close(struct ipcadm_journal *j);
/* The last SQLite error, "" when none; NULL: why the last ipcadm_journal_open() failed. */
const char *ipcadm_journal_error(const struct ipcadm_journal *j);

/*
 * Records what a traced event tells (a get call that made a new object, an mq_open that
 * created a queue, IPC_RMID, mq_unlink; others are ignored): 1 when recorded, 0 when not
 * one of those. The creator's executable, command line, uid and cgroup are read from /proc
 * now, while it may still run; when it is gone, its parent's cgroup stands in (a fork
 * inherits it), and what is unknown stays empty.
 */
int ipcadm_journal_record(struct ipcadm_journal *j, const struct ipcadm_trace_event *e);
/* Notes that the journal runs from now (a run starts) or stopped (end is true). */
int ipcadm_journal_run(struct ipcadm_journal *j, bool end);
/*
 * Forgets objects removed more than retention_s seconds ago, then, while the database is
 * larger than max_bytes, the oldest removed objects, then the oldest of all.
 */
int ipcadm_journal_prune(struct ipcadm_journal *j, int64_t retention_s, uint64_t max_bytes);

/*
 * The record of a live object: same namespace, kind, ID (name for a queue) and key, no
 * removal seen, made in the second of ctime (a change of the object's ctime since, by
 * IPC_SET or SETVAL, makes it unknown: judged as before). 0 and *rec, or -ENOENT.
 */
int ipcadm_journal_find(struct ipcadm_journal *j, const struct ipcadm_obj *o, uint64_t ipcns,
			struct ipcadm_journal_rec *rec);
/* The unit (systemd service, scope, or container) a cgroup path names, "" when none. */
void ipcadm_cgroup_unit(const char *cgroup, char *unit, size_t len);

#endif
