/* ipcadm.h: the public API of libipcadm, which reads System V and POSIX IPC state into
 * one snapshot and analyses it; returns -errno, never prints or exits. */
#ifndef IPCADM_H
#define IPCADM_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The kinds of IPC object. IPCADM_NSYSV_KINDS counts the System V kinds only, so every
 * loop to it (limits, findings, metrics, the compat tools) stays System V; the POSIX
 * kinds follow it and loops that want them too go to IPCADM_NALL_KINDS.
 */
enum ipcadm_kind {
	IPCADM_SHM,
	IPCADM_SEM,
	IPCADM_MSG,
	IPCADM_NSYSV_KINDS,
	IPCADM_PSHM = IPCADM_NSYSV_KINDS, /* POSIX shared memory: /dev/shm/NAME */
	IPCADM_PSEM, /* POSIX named semaphores: /dev/shm/sem.NAME */
	IPCADM_PMQ, /* POSIX message queues: the mqueue filesystem */
	IPCADM_NALL_KINDS,
};

#define IPCADM_KIND_BIT(k) (1u << (k))
/* Kind masks: the System V kinds, the POSIX kinds, every kind. */
#define IPCADM_SYSV_KINDS (IPCADM_KIND_BIT(IPCADM_SHM) | IPCADM_KIND_BIT(IPCADM_SEM) | \
			   IPCADM_KIND_BIT(IPCADM_MSG))
#define IPCADM_POSIX_KINDS (IPCADM_KIND_BIT(IPCADM_PSHM) | IPCADM_KIND_BIT(IPCADM_PSEM) | \
			    IPCADM_KIND_BIT(IPCADM_PMQ))
#define IPCADM_EVERY_KIND (IPCADM_SYSV_KINDS | IPCADM_POSIX_KINDS)
#define IPCADM_IS_POSIX(k) \
	((int)(k) >= IPCADM_NSYSV_KINDS && (int)(k) < IPCADM_NALL_KINDS)

/* Mode bits the kernel keeps in a segment's perms. */
#define IPCADM_SHM_DEST 01000
#define IPCADM_SHM_LOCKED 02000

/* A value the kernel did not report (RSS on old kernels, qbytes from /proc). */
#define IPCADM_UNKNOWN UINT64_MAX

/* The parts of a semaphore that were read (ipcadm_obj.sems_read). */
enum ipcadm_sem_parts {
	IPCADM_SEM_VALUE = 1 << 0,
	IPCADM_SEM_COUNTS = 1 << 1, /* ncnt and zcnt */
	IPCADM_SEM_PID = 1 << 2,
};

/* One semaphore of an array: read only with IPCADM_READ_SEMVALS or IPCADM_READ_SEMPIDS. */
struct ipcadm_semval {
	int value; /* 0 unless read with IPCADM_READ_SEMVALS */
	int ncnt; /* processes waiting for the value to increase */
	int zcnt; /* processes waiting for it to become zero */
	pid_t pid; /* last operator (also set by SEM_UNDO at exit) */
};

/*
 * One object. Fields that do not belong to the object's kind are zero.
 * Times are Unix seconds, 0 meaning "never".
 */
struct ipcadm_obj {
	enum ipcadm_kind kind;
	int id;
	int32_t key; /* signed, as /proc/sysvipc prints it */
	unsigned int mode; /* perms with SHM_DEST and SHM_LOCKED */
	uid_t uid, cuid;
	gid_t gid, cgid;
	int64_t ctime;

	/* shm */
	uint64_t size; /* bytes */
	uint64_t nattch;
	pid_t cpid, lpid;
	int64_t atime, dtime;
	uint64_t rss, swap; /* bytes, IPCADM_UNKNOWN when not reported */

	/* sem */
	uint64_t nsems;
	int64_t otime;
	struct ipcadm_semval *sems; /* nsems entries, or NULL */
	unsigned int sems_read; /* which fields of sems[] were read: enum ipcadm_sem_parts */
	int sems_err; /* -errno when values were asked for and could not be read */

	/* msg */
	uint64_t cbytes, qnum;
	uint64_t qbytes; /* IPCADM_UNKNOWN unless read by msgctl */
	pid_t lspid, lrpid;
	int64_t stime, rtime;

	/*
	 * POSIX objects (lib/posix-read.c): uid, gid, mode, size, atime and ctime come from the
	 * file (cuid and cgid are the owner's); id is -1 and key 0. A queue's cbytes is its
	 * QSIZE; qnum (messages) is IPCADM_UNKNOWN: the queue file does not tell it and
	 * mq_getattr() would need mq_open().
	 */
	char *name; /* without the leading '/' (and without "sem." for semaphores) */
	uint64_t dev, ino; /* the file's device and inode: how holders are matched */
	int64_t mtime;
	uint64_t alloc; /* bytes the tmpfs holds for it (st_blocks), IPCADM_UNKNOWN for queues */
	pid_t notify_pid; /* queue: the process registered by mq_notify(), 0 when none */
	int notify, signo; /* queue: NOTIFY (sigev_notify) and SIGNO */

	uint64_t ipcns; /* its IPC namespace's inode, when read with ipcadm_snapshot_read_ns() */
	int64_t seen; /* the realtime second its reading began: any later change of the kernel's
		       * times (atime, otime, ctime...) makes them differ from what was read */
};

/* What a snapshot reads beyond the /proc/sysvipc tables. */
enum ipcadm_read_flags {
	IPCADM_READ_SEMVALS = 1 << 0, /* each semaphore's value, ncnt, zcnt, pid */
	IPCADM_READ_QBYTES = 1 << 1, /* each queue's qbytes (one msgctl per queue) */
	/* each segment's resident and swapped bytes: only the text of /proc/sysvipc/shm
	 * tells them, and the kernel takes four times as long to write it as the calls */
	IPCADM_READ_SHM_MEM = 1 << 2,
	IPCADM_READ_SEMPIDS = 1 << 3, /* each semaphore's ncnt, zcnt, pid: what verdicts need */
};

/* Where object tables come from. AUTO: the *_STAT_ANY calls when live (the text of
 * /proc/sysvipc/shm when IPCADM_READ_SHM_MEM asks for it, and every table's text on
 * kernels before 4.17, which lack those calls); the /proc/sysvipc tables otherwise. */
enum ipcadm_source {
	IPCADM_SOURCE_AUTO,
	IPCADM_SOURCE_PROC,
	IPCADM_SOURCE_SYSCALL,
};

/* The context: a root prefix, a source, and the user and group name caches. */
struct ipcadm_ctx;

int ipcadm_ctx_new(struct ipcadm_ctx **ctxp, const char *root);
void ipcadm_ctx_free(struct ipcadm_ctx *ctx);
const char *ipcadm_ctx_root(const struct ipcadm_ctx *ctx);
/* True when the root is "/": syscalls then see the same state as the files. */
bool ipcadm_ctx_is_live(const struct ipcadm_ctx *ctx);
void ipcadm_ctx_set_source(struct ipcadm_ctx *ctx, enum ipcadm_source source);
/*
 * Asserts that every process using the IPC namespace is visible in our /proc (--all-visible).
 * Without it, verdicts that rest on the absence of a process are "unknown" when we run
 * outside the initial PID namespace: processes of other PID namespaces (the containers of
 * one pod, `unshare --pid`) may share the IPC namespace unseen.
 */
void ipcadm_ctx_set_all_visible(struct ipcadm_ctx *ctx, bool all_visible);
/* Opens ROOT/path; returns a file descriptor or -errno. */
int ipcadm_ctx_open(const struct ipcadm_ctx *ctx, const char *path, int flags);
/*
 * The files the library reads whole below the root (the /proc/sysvipc tables, sysctls,
 * a copied root's etc/passwd) must be regular: anything else gives IPCADM_ENOTREG (a
 * directory -EISDIR), and past IPCADM_READ_MAX bytes -EFBIG, found out before the file is
 * read whole (a FIFO under --root would wait forever, a huge file fill the memory).
 */
#define IPCADM_ENOTREG (-EMEDIUMTYPE)
#define IPCADM_READ_MAX ((size_t)256 << 20)

/* Name of a uid or gid; NULL when there is none. Cached: one lookup per id. */
const char *ipcadm_user_name(struct ipcadm_ctx *ctx, uid_t uid);
const char *ipcadm_group_name(struct ipcadm_ctx *ctx, gid_t gid);
/* Resolves a user name or a decimal uid; 0 or -ENOENT/-EINVAL. */
int ipcadm_user_lookup(struct ipcadm_ctx *ctx, const char *name, uid_t *uid);

/* The limits in force, and the usage of each as the kernel counts it. */
#define IPCADM_IPCMNI 32768 /* the cap on identifiers of each kind */

struct ipcadm_limits {
	/* IPCADM_UNKNOWN when the limit could not be read */
	uint64_t shmmax, shmall, shmmni, shm_rmid_forced;
	uint64_t semmsl, semmns, semopm, semmni;
	uint64_t msgmax, msgmnb, msgmni;
	uint64_t page_size;
};

struct ipcadm_usage {
	uint64_t shm_segs, shm_pages, shm_bytes, shm_rss, shm_swap;
	uint64_t sem_sets, sem_sems;
	uint64_t msg_queues, msg_bytes, msg_msgs;
};

int ipcadm_limits_read(const struct ipcadm_ctx *ctx, struct ipcadm_limits *lim);

/*
 * Every limit, System V and POSIX, in the order `ipcadm limits` shows them. Their facts
 * live in one table (lib/limits.c): a new limit is one more enum value and one more row.
 */
enum ipcadm_limit {
	IPCADM_LIMIT_SHMMNI,
	IPCADM_LIMIT_SHMALL,
	IPCADM_LIMIT_SHMMAX,
	IPCADM_LIMIT_SHMMIN,
	IPCADM_LIMIT_SHM_RMID_FORCED,
	IPCADM_LIMIT_SEMMNI,
	IPCADM_LIMIT_SEMMNS,
	IPCADM_LIMIT_SEMMSL,
	IPCADM_LIMIT_SEMOPM,
	IPCADM_LIMIT_SEMVMX,
	IPCADM_LIMIT_MSGMNI,
	IPCADM_LIMIT_MSGMAX,
	IPCADM_LIMIT_MSGMNB,
	IPCADM_LIMIT_IPCMNI,
	IPCADM_LIMIT_MQ_QUEUES_MAX,
	IPCADM_LIMIT_MQ_MSG_MAX,
	IPCADM_LIMIT_MQ_MSGSIZE_MAX,
	IPCADM_LIMIT_DEV_SHM,
	IPCADM_NLIMITS, /* also "no limit" where a limit is optional */
};

/* How the usage of a limit is counted. */
enum ipcadm_limit_count {
	IPCADM_COUNT_NONE, /* a bound on one object or call, or a switch: no usage */
	IPCADM_COUNT_OBJECTS, /* identifiers (objects) in use, one each */
	IPCADM_COUNT_PAGES, /* each segment's size rounded up to whole pages (shm_tot) */
	IPCADM_COUNT_SEMS, /* the semaphores of every array */
	IPCADM_COUNT_BYTES, /* bytes used on a filesystem */
};

enum ipcadm_limit_flags {
	IPCADM_LIMIT_CHECKED = 1 << 0, /* the doctor tests it, says when it is unreadable */
};

struct ipcadm_limit_info {
	const char *name; /* stable: "SEMMNI" (the RESOURCE of `limits`, a finding's name) */
	const char *desc; /* "Semaphore arrays" */
	const char *sysctl; /* "kernel.sem", "fs.mqueue.queues_max"; NULL: no sysctl */
	unsigned int field, nfields; /* its number in the sysctl's line: SEMMNI is 3 of 4 */
	const char *unit; /* what its value counts: "semaphore arrays", "pages"; NULL: a switch */
	enum ipcadm_kind kind; /* the kind it limits, IPCADM_NALL_KINDS for none */
	const char *call; /* the call that fails at the limit ("semget"), or NULL */
	enum ipcadm_limit_count count;
	uint64_t cap; /* the kernel applies min(value, cap): IPCADM_IPCMNI; 0 for none */
	uint64_t sysctl_max; /* the most worth setting the sysctl to; 0 when not known */
	const char *metric; /* its gauge in `ipcadm metrics`, NULL for none of its own */
	const char *metric_help;
	unsigned int flags; /* enum ipcadm_limit_flags */
};

/* The facts of a limit; NULL for IPCADM_NLIMITS and beyond. */
const struct ipcadm_limit_info *ipcadm_limit_info(enum ipcadm_limit id);
/* The name of a limit ("SHMALL"); NULL for IPCADM_NLIMITS and beyond. */
const char *ipcadm_limit_name(enum ipcadm_limit id);

/* A limit of a snapshot: its value, what the kernel applies, and the usage counted. */
struct ipcadm_limit_value {
	uint64_t value; /* the sysctl (or constant); IPCADM_UNKNOWN when not readable */
	uint64_t limit; /* min(value, cap), what the kernel tests; IPCADM_UNKNOWN as value */
	uint64_t used; /* counted against it; IPCADM_UNKNOWN when not counted or not read */
};

struct ipcadm_snapshot;
/* 0, or -EINVAL for a bad id. */
int ipcadm_limit_get(const struct ipcadm_snapshot *snap, enum ipcadm_limit id,
		     struct ipcadm_limit_value *v);
/* Pages a segment of this size takes: rounded up, as the kernel counts shm_tot. */
uint64_t ipcadm_shm_pages(uint64_t size, uint64_t page_size);

/* A snapshot: every object of the chosen kinds, the limits and the usage. */
struct ipcadm_snapshot;

int ipcadm_snapshot_read(struct ipcadm_ctx *ctx, unsigned int kinds, unsigned int flags,
			 struct ipcadm_snapshot **snapp);
/*
 * A snapshot of one System V object only (read by itself, as ipcadm_obj_read), for
 * questions one object answers alone: the holders of an attached segment, say. Its
 * usage counts that object only. -ENOENT when there is no such object.
 */
int ipcadm_snapshot_read_object(struct ipcadm_ctx *ctx, enum ipcadm_kind kind, int id,
				unsigned int flags, struct ipcadm_snapshot **snapp);
void ipcadm_snapshot_free(struct ipcadm_snapshot *snap);
size_t ipcadm_snapshot_count(const struct ipcadm_snapshot *snap, enum ipcadm_kind kind);
const struct ipcadm_obj *ipcadm_snapshot_obj(const struct ipcadm_snapshot *snap,
					     enum ipcadm_kind kind, size_t i);
/* NULL when the object is not in the snapshot. */
const struct ipcadm_obj *ipcadm_snapshot_find(const struct ipcadm_snapshot *snap,
					      enum ipcadm_kind kind, int id);
const struct ipcadm_limits *ipcadm_snapshot_limits(const struct ipcadm_snapshot *snap);
const struct ipcadm_usage *ipcadm_snapshot_usage(const struct ipcadm_snapshot *snap);
/* Lines of /proc/sysvipc that could not be parsed and were skipped. */
size_t ipcadm_snapshot_skipped(const struct ipcadm_snapshot *snap, enum ipcadm_kind kind);

/*
 * POSIX IPC (lib/posix-read.c): with POSIX kinds, a snapshot holds the regular files of
 * /dev/shm (sem.NAME: semaphores; the rest: shared memory) and of this IPC namespace's
 * mqueue filesystem. Live, that filesystem is mounted privately with fsmount() (attached
 * to no mount namespace, gone when closed), which always shows this IPC namespace;
 * without the privilege, where /proc/self/mountinfo says it is mounted.
 */
struct ipcadm_posix_limits {
	/* IPCADM_UNKNOWN when not readable */
	uint64_t queues_max, msg_max, msgsize_max, msg_default, msgsize_default; /* fs.mqueue */
	uint64_t queues; /* queues that exist (when pmq was read) */
	uint64_t shm_size, shm_used, shm_avail; /* the /dev/shm filesystem, bytes (statvfs) */
	uint64_t shm_inodes, shm_inodes_used;
	uint64_t shm_objs_alloc; /* bytes the pshm and psem objects hold on it */
};

const struct ipcadm_posix_limits *
ipcadm_snapshot_posix_limits(const struct ipcadm_snapshot *snap);
/* Why a kind asked for could not be read (-errno), else 0. A POSIX kind that cannot be
 * read leaves the snapshot without it rather than failing it. */
int ipcadm_snapshot_error(const struct ipcadm_snapshot *snap, enum ipcadm_kind kind);
/* A POSIX object by name (without '/'); NULL when not in the snapshot. */
const struct ipcadm_obj *ipcadm_snapshot_find_name(const struct ipcadm_snapshot *snap,
						   enum ipcadm_kind kind, const char *name);
/*
 * Removes a POSIX object (unlinks its name, as shm_unlink, sem_unlink, mq_unlink do).
 * With expect, the file is checked first: same inode, owner, mode, size and mtime (and
 * QSIZE for a queue), and no process maps or opens it now; else -ESTALE. -ENOENT when it
 * is gone. Only live roots (-EOPNOTSUPP otherwise).
 */
int ipcadm_posix_remove(struct ipcadm_ctx *ctx, enum ipcadm_kind kind, const char *name,
			const struct ipcadm_obj *expect);
/*
 * ipcadm_posix_remove() of objs[0..n) (each its own expect: kind, name and what was read),
 * with the same checks, in one pass over the processes rather than one per object: every
 * file is checked unchanged, then one pass finds the files any process maps or holds open
 * now, then each file not seen held is checked unchanged again right before its unlink.
 * results[i] gets objs[i]'s result, as ipcadm_posix_remove() returns it: -ESTALE when
 * changed or held, -errno (kept) when a process could not be read. The remove hook is
 * called around each unlink, in the order of objs. Returns 0, or -errno when none was
 * tried (results untouched): -EOPNOTSUPP when not live, -ENOMEM.
 */
int ipcadm_posix_remove_many(struct ipcadm_ctx *ctx, const struct ipcadm_obj *const *objs,
			     size_t n, int *results);
/* A new POSIX object: shm of size bytes, a semaphore of value, a queue of maxmsg messages
 * of msgsize bytes (0: the namespace's defaults). Fails with -EEXIST when it exists. */
struct ipcadm_posix_new {
	enum ipcadm_kind kind;
	const char *name;
	unsigned int mode;
	uint64_t size;
	unsigned int value;
	long maxmsg, msgsize;
};
int ipcadm_posix_create(struct ipcadm_ctx *ctx, const struct ipcadm_posix_new *n);

/* How ipcadm_sysv_create() makes an object (bits). */
enum ipcadm_create_flags {
	IPCADM_CREATE_EXCL = 1 << 0, /* -EEXIST when the key is taken (IPC_EXCL) */
	IPCADM_CREATE_HUGETLB = 1 << 1, /* shm: back the segment with huge pages */
	IPCADM_CREATE_RANDOM_KEY = 1 << 2, /* a random key, another on each collision (ipcmk) */
};
/* A new System V object (lib/create.c): a segment of size bytes, an array of nsems
 * semaphores set to values (one for all, or nsems; NULL: zeros), or a queue. */
struct ipcadm_sysv_new {
	enum ipcadm_kind kind;
	int32_t key; /* 0 (IPC_PRIVATE): a private object; not used with RANDOM_KEY */
	unsigned int mode; /* permissions; bits above 0777 reach the get call as flags, as
			    * ipcmk passes them (04000 is SHM_HUGETLB) */
	unsigned int flags; /* enum ipcadm_create_flags */
	uint64_t size;
	int nsems;
	const unsigned short *values;
	size_t nvalues;
};
/*
 * Creates a System V object: 0 with *idp its ID (and *keyp, if not NULL, its key), 1 when
 * the key was taken and the get call handed back that object as it is (without
 * IPCADM_CREATE_EXCL), or -errno from the get call (-EEXIST: the key is taken; random keys:
 * 64 collisions). An array whose values cannot be set is removed again. -EINVAL for
 * values of a wrong count; only live roots (-EOPNOTSUPP otherwise).
 */
int ipcadm_sysv_create(struct ipcadm_ctx *ctx, const struct ipcadm_sysv_new *n, int32_t *keyp,
		       int *idp);
/* True when a POSIX name is valid: 1 to 250 bytes, no '/', not "." or "..". */
bool ipcadm_posix_name_valid(const char *name);

/*
 * Reads one object by its ID, without reading the others when the root is live.
 * Returns 0, -ENOENT when no object of that kind has the ID, or another -errno.
 * Free with ipcadm_obj_release().
 */
int ipcadm_obj_read(struct ipcadm_ctx *ctx, enum ipcadm_kind kind, int id, unsigned int flags,
		    struct ipcadm_obj *obj);
void ipcadm_obj_release(struct ipcadm_obj *obj);

/*
 * Removes one object (IPC_RMID). With expect (an earlier read of the object), the
 * object is read again right before and removed only when nothing changed: same
 * key, ctime, mode, nattch, times and last PIDs, and, when expect carries semaphore
 * values, the same waiter counts (read again for every array) and each semaphore's pid
 * (read again when the times cannot show a change); otherwise -ESTALE, or -EBUSY when
 * more processes now wait on the array. -ENOENT when it is gone, -EPERM when not allowed.
 * A segment already marked SHM_DEST gives -EALREADY: it is freed at its last detach.
 * Only live roots can remove (-EOPNOTSUPP otherwise).
 */
int ipcadm_obj_remove(struct ipcadm_ctx *ctx, enum ipcadm_kind kind, int id,
		      const struct ipcadm_obj *expect);
/*
 * Marks again a segment already marked for destruction (SHM_DEST), as util-linux's ipcrm
 * does: nothing changes (it goes at its last detach), but the kernel checks that the
 * caller may remove it: 0, or -errno (-EPERM). -ESTALE when it is not marked.
 */
int ipcadm_shm_mark_again(struct ipcadm_ctx *ctx, int id);
/* The ID of the System V object with the key (shmget, semget or msgget of nothing new),
 * or -errno: -ENOENT none, -EACCES not allowed, -EIDRM being removed. Live roots only. */
int ipcadm_sysv_key_id(struct ipcadm_ctx *ctx, enum ipcadm_kind kind, int32_t key);
/* 0 when the caller may read the object with IPC_STAT (as *_STAT, without _ANY, asks),
 * else -errno (-EACCES). Live roots only. */
int ipcadm_sysv_may_read(struct ipcadm_ctx *ctx, enum ipcadm_kind kind, int id);
/*
 * Called around every guarded removal (one given expect, System V or POSIX, in the child
 * too when the object is in another namespace), after the object was found unchanged:
 * before() right before IPC_RMID or unlink, with expect; a negative return keeps the
 * object and is what the removal returns. after() right after, with the result (0 or
 * -errno), only when before() let it go ahead. reap logs its removals there: a removal
 * whose line cannot be written does not happen. before() may take long: the object is
 * read again after it, and kept (after() gets -ESTALE) when it changed meanwhile. From
 * several threads at once.
 */
struct ipcadm_remove_hook {
	int (*before)(void *arg, const struct ipcadm_obj *expect);
	void (*after)(void *arg, const struct ipcadm_obj *expect, int r);
	void *arg;
};
void ipcadm_ctx_set_remove_hook(struct ipcadm_ctx *ctx, const struct ipcadm_remove_hook *hook);
/*
 * Files at paths a user may control (lib/safefile.c): backups, restores, logs. No link is
 * followed; files must be regular (a FIFO or a device is refused before it is read). As
 * root, a file or directory is trusted only when root (or the user ipcadm runs as) owns
 * it and no other user may write it, a file has one link, and each directory on the way
 * to it (from "/", through the targets of links, which must be root's or ours) and above
 * it is owned by root or us and writable by no one else unless sticky (/tmp). These return
 * -errno when the path cannot be opened, else 0 with *fault saying why it was refused
 * (*fdp is -1 then) or IPCADM_FILE_OK.
 */
enum ipcadm_file_fault {
	IPCADM_FILE_OK,
	IPCADM_FILE_NOT_REGULAR, /* a FIFO, a device, a socket, a directory */
	IPCADM_FILE_OTHER_OWNER, /* owned by another user */
	IPCADM_FILE_OTHER_WRITABLE, /* writable by another user (group or world) */
	IPCADM_FILE_LINKED, /* a regular file with another hard link */
	IPCADM_FILE_UNSAFE_PARENT, /* a directory on the way or above is another user's */
	IPCADM_FILE_OTHER_LINK, /* a symbolic link on the way is another user's */
};
/* A directory (not a link to one); sticky_ok: a sticky directory others may write is fine. */
int ipcadm_dir_open(const char *path, bool sticky_ok, int *fdp,
		    enum ipcadm_file_fault *fault);
/* A regular file in dirfd, opened with flags (O_CREAT makes it 0600). */
int ipcadm_file_open_at(int dirfd, const char *name, int flags, int *fdp,
			enum ipcadm_file_fault *fault);
/* The same at a path, whose directory (sticky allowed) and those above are checked too. */
int ipcadm_file_open(const char *path, int flags, int *fdp, enum ipcadm_file_fault *fault);

/*
 * Saves a segment's contents (attached read-only) and attributes into dirfd as
 * shm-NS-ID-CTIME.data and .meta (NS: the IPC namespace's inode; -N appended when taken),
 * each written to an unnamed file, synced and linked into place: no existing name or link
 * is followed or replaced. Evidence is written with control characters escaped.
 * Attaching changes the segment's atime, dtime and lpid: see ipcadm_obj_remove_backup.
 * -ESTALE, and no backup, when another process attached the segment during the copy, or
 * detached it since obj was read: only our own attachment may show.
 */
int ipcadm_shm_backup(const struct ipcadm_obj *obj, int dirfd, const char *evidence);
/*
 * A backup read back (ipcadm_shm_backup_load) and recreated (ipcadm_shm_backup_create, in
 * lib/create.c, in the caller's IPC namespace: same key, size, mode, owner, contents).
 * Loading opens both files as ipcadm_file_open_at() does, parses the .meta strictly (each
 * known field once; line tells where it failed), and reads exactly the size it gives.
 */
struct ipcadm_shm_backup {
	int32_t key;
	uint64_t size;
	unsigned int mode;
	uid_t uid;
	gid_t gid;
	void *data;
	unsigned int line; /* the .meta line a -EBADMSG is about (0: the file as a whole) */
	char field[32]; /* the field that line names, when known */
	enum ipcadm_file_fault fault; /* the file that was refused, and why */
	bool data_faulted; /* fault is the .data file's, else the .meta's */
};
int ipcadm_shm_backup_load(int dirfd, const char *meta_name, struct ipcadm_shm_backup *b);
int ipcadm_shm_backup_create(const struct ipcadm_shm_backup *b, int *idp);
void ipcadm_shm_backup_release(struct ipcadm_shm_backup *b);
/*
 * ipcadm_obj_remove() with a backup first: the object is verified unchanged, backed up,
 * verified again (nothing but our own attach and detach may have changed), removed.
 */
int ipcadm_obj_remove_backup(struct ipcadm_ctx *ctx, const struct ipcadm_obj *expect,
			     int dirfd, const char *evidence);
/* True when two reads of one object show no sign of use between them. */
bool ipcadm_obj_unchanged(const struct ipcadm_obj *a, const struct ipcadm_obj *b);
/*
 * The last look before removals (lib/holders.c): one pass over /proc/PID for threads
 * blocked in semop, semtimedop, msgrcv or msgsnd on objs[0..n), arrays and queues of one
 * IPC namespace (their ipcns; other kinds are passed over, and no pass is made without
 * arrays or queues). Sets waiting[i] for each object found waited on. Returns how many
 * processes that may be in that namespace could not be inspected (their waits are
 * unknown: nothing counts a queue's waiters), or -errno. Only live roots (-EOPNOTSUPP).
 */
int ipcadm_waiters_find(struct ipcadm_ctx *ctx, const struct ipcadm_obj *const *objs,
			size_t n, bool *waiting);

/*
 * Would a get call that creates a new object succeed right now? amount is the size in
 * bytes for shm, the number of semaphores for sem, unused for msg. Tests exactly what
 * the kernel tests, in its order: shm size < SHMMIN or > SHMMAX gives EINVAL, then
 * pages + ceil(size / page) > shmall, then segments >= min(shmmni, IPCMNI) ENOSPC;
 * sem nsems 0 or > SEMMSL EINVAL, then sems + nsems > SEMMNS, then sets >=
 * min(SEMMNI, IPCMNI) ENOSPC; msg queues >= min(MSGMNI, IPCMNI) ENOSPC. limit is the
 * first test that fails (IPCMNI when the cap binds rather than the sysctl).
 * -ENODATA when a limit it needs could not be read. (Implemented in lib/predict.c.)
 */
struct ipcadm_prediction {
	int err; /* 0 when the call would succeed, else -EINVAL or -ENOSPC */
	enum ipcadm_limit limit; /* SHMMAX, SHMMNI, IPCMNI, ..., IPCADM_NLIMITS when none */
	uint64_t limit_value; /* the limit in force */
	uint64_t used; /* what is counted against it now */
	uint64_t requested; /* what the new object would add */
};

int ipcadm_predict_get(const struct ipcadm_snapshot *snap, enum ipcadm_kind kind,
		       uint64_t amount, struct ipcadm_prediction *p);
/* One line saying why, e.g. "SEMMNI: 128 of 128 semaphore arrays in use". */
int ipcadm_prediction_explain(const struct ipcadm_prediction *p, char *buf, size_t len);

/*
 * Holders and verdicts (lib/holders.c, lib/procscan.c, lib/verdict.c): one pass over
 * /proc/PID finds who maps, waits on or is the live recorded PID of each object, and
 * each object gets a verdict with its evidence (rules in DESIGN.md, "Verdicts").
 */
enum ipcadm_verdict {
	IPCADM_IN_USE,
	IPCADM_MAYBE_IN_USE,
	IPCADM_IDLE,
	IPCADM_ORPHANED,
	IPCADM_UNKNOWN_VERDICT,
};

/* How a process holds an object (bits). */
enum ipcadm_hold {
	IPCADM_HOLD_ATTACHED_RW = 1 << 0, /* maps the segment read-write */
	IPCADM_HOLD_ATTACHED_RO = 1 << 1, /* maps it read-only */
	IPCADM_HOLD_WAITING = 1 << 2, /* blocked in semop/msgrcv/msgsnd on it */
	IPCADM_HOLD_CREATOR = 1 << 3, /* the live creator (shm cpid) */
	IPCADM_HOLD_LAST_OP = 1 << 4, /* live last attacher/operator/sender/receiver */
	IPCADM_HOLD_POSSIBLE = 1 << 5, /* a possible holder of a private sem/msg */
	IPCADM_HOLD_COMPANION = 1 << 6, /* made with an in-use object (same creator, second) */
	IPCADM_HOLD_OPEN = 1 << 7, /* holds a POSIX object open (a file descriptor) */
};

struct ipcadm_holder {
	pid_t pid;
	uid_t uid;
	const char *comm; /* the command name, NULL if unknown */
	int64_t start_time; /* Unix seconds */
	unsigned int how; /* enum ipcadm_hold bits */
	unsigned int nmaps; /* mappings of the segment */
};

struct ipcadm_analysis;

enum ipcadm_analyze_flags {
	IPCADM_ANALYZE_NO_VERDICTS = 1 << 0, /* holders only */
};

int ipcadm_analyze(struct ipcadm_ctx *ctx, const struct ipcadm_snapshot *snap,
		   unsigned int flags, struct ipcadm_analysis **ap);
void ipcadm_analysis_free(struct ipcadm_analysis *a);
/* The verdict of an object of the snapshot, and a one-line evidence sentence. */
enum ipcadm_verdict ipcadm_analysis_verdict(const struct ipcadm_analysis *a,
					    const struct ipcadm_obj *o, const char **evidence);
/* A segment with nattch 0 whose live last user detached it (shm_lpid): that process's
 * PID, else 0. Such a segment is maybe-in-use, never in-use: its creator is dead, and the
 * last user (an X server that attached a killed MIT-SHM client's segment) may attach it
 * again, or may never. */
pid_t ipcadm_analysis_detached_by(const struct ipcadm_analysis *a, const struct ipcadm_obj *o);
/* The program that generates a POSIX object's name for its own use ("python" for
 * psm_XXXXXXXX; see ipcadm(8), "GENERATED NAMES"), or NULL for a name that is a key. */
const char *ipcadm_analysis_program(const struct ipcadm_analysis *a, const struct ipcadm_obj *o);
/* The holders of an object; returns how many. */
size_t ipcadm_analysis_holders(const struct ipcadm_analysis *a, const struct ipcadm_obj *o,
			       const struct ipcadm_holder **holders);
/* Why an object must not be removed in bulk (ipcrm -a, ipcadm rm --all; lib/verdict.c). */
enum ipcadm_busy_how {
	IPCADM_BUSY_NO,
	IPCADM_BUSY_ATTACHED, /* a segment with nattch > 0: count is nattch */
	IPCADM_BUSY_WAITING, /* count processes wait on it (the holders, or semncnt+semzcnt) */
};
struct ipcadm_busy {
	enum ipcadm_busy_how how;
	uint64_t count;
};
/*
 * Whether the kernel shows an object in use right now, without a verdict: attached, or
 * waited on (from a's holders, which may be NULL or from IPCADM_ANALYZE_NO_VERDICTS, and
 * from an array's counts when read). why says by what. An object that is not busy may
 * still be in use: see ipcadm_analysis_verdict().
 */
bool ipcadm_obj_busy(const struct ipcadm_analysis *a, const struct ipcadm_obj *o,
		     struct ipcadm_busy *why);
const char *ipcadm_verdict_name(enum ipcadm_verdict v); /* "in-use", "orphaned", ... */
/* How a holder holds it, in words: "attached rw, creator". */
int ipcadm_holder_describe(const struct ipcadm_holder *h, char *buf, size_t len);

/*
 * Findings (lib/findings*.c): the doctor's diagnosis of a snapshot, as data. Each finding
 * has a severity, a one-line summary, detail lines (the evidence, who uses a resource
 * up) and remedies (actions that fix it, as data: the program words them as commands).
 * Limits are tested exactly as the kernel tests them; with an analysis, groups carry
 * verdict counts and the remedies reap the orphans they count.
 */
enum ipcadm_severity {
	IPCADM_SEV_OK,
	IPCADM_SEV_WARNING,
	IPCADM_SEV_CRITICAL,
};

enum ipcadm_finding_type {
	IPCADM_FINDING_LIMIT, /* a counted limit (SHMMNI SHMALL SEMMNI SEMMNS MSGMNI) */
	IPCADM_FINDING_SHMMAX, /* segments larger than SHMMAX, or SHMMAX beyond SHMALL */
	IPCADM_FINDING_SHM_DEST, /* removed segments that still count against the limits */
	IPCADM_FINDING_RMID_FORCED, /* kernel.shm_rmid_forced off while segments leak */
	IPCADM_FINDING_LEAKED, /* orphaned objects of one kind, and the memory they hold */
	IPCADM_FINDING_UNREADABLE, /* limits, lines or processes that could not be read */
	IPCADM_FINDING_POSIX, /* /dev/shm nearly full, fs.mqueue.queues_max nearly reached */
};

/* The objects of one owner and key that count against a limit (key 0: all private ones). */
struct ipcadm_finding_group {
	uid_t uid;
	const char *owner; /* the user's name, NULL when it has none */
	int32_t key;
	uint64_t count; /* objects */
	uint64_t amount; /* what the limit counts: objects, pages or semaphores */
	int64_t oldest, newest; /* ctime */
	uint64_t bytes, rss, swap; /* shm; rss and swap IPCADM_UNKNOWN when not reported */
	uint64_t verdicts[IPCADM_UNKNOWN_VERDICT + 1]; /* objects per verdict, with an analysis */
	bool has_verdicts;
};

/* What a remedy does. A new type: here, where a finding builds it, and cli/remedy.c. */
enum ipcadm_remedy_type {
	IPCADM_REMEDY_REAP, /* remove leaked objects (`ipcadm reap`) */
	IPCADM_REMEDY_SET_SYSCTL, /* set a sysctl now, or (persist) at every boot */
	IPCADM_REMEDY_WHO, /* show the processes that hold an object (`ipcadm who`) */
	IPCADM_REMEDY_REMOUNT_DEV_SHM, /* a larger /dev/shm tmpfs */
};

struct ipcadm_remedy_reap {
	unsigned int kinds; /* IPCADM_KIND_BIT()s */
	bool has_owner; /* only the objects of owner */
	uid_t owner;
	const char *owner_name; /* the owner's name, NULL when none is known */
	bool include_idle; /* idle keyed objects too */
	const char *name; /* a name pattern; "NAME*" is for the admin to fill in; or NULL */
	bool all_visible; /* the analysis assumed every process visible: the reap must too */
	bool yes; /* remove; false: list what it would remove, with the evidence */
	uint64_t count; /* the objects it would act on, 0 when not counted */
};

struct ipcadm_remedy_sysctl {
	enum ipcadm_limit limit; /* the limit it sets, IPCADM_NLIMITS for none */
	const char *sysctl; /* the name as /proc/sys has it, dotted: "kernel.sem" */
	uint64_t values[4]; /* its fields in the sysctl's order: kernel.sem has four */
	unsigned int nvalues;
	bool persist; /* at every boot (a file in /etc/sysctl.d), not now */
};

struct ipcadm_remedy_who {
	enum ipcadm_kind kind;
	int id;
};

struct ipcadm_remedy_remount {
	uint64_t size; /* the new size, bytes */
};

struct ipcadm_remedy {
	enum ipcadm_remedy_type type;
	const char *reason; /* what it does or why, in words; NULL for none */
	union {
		struct ipcadm_remedy_reap reap; /* IPCADM_REMEDY_REAP */
		struct ipcadm_remedy_sysctl sysctl; /* IPCADM_REMEDY_SET_SYSCTL */
		struct ipcadm_remedy_who who; /* IPCADM_REMEDY_WHO */
		struct ipcadm_remedy_remount remount; /* IPCADM_REMEDY_REMOUNT_DEV_SHM */
	};
};

struct ipcadm_finding {
	enum ipcadm_finding_type type;
	enum ipcadm_severity severity;
	const char *name; /* stable: "SEMMNI", "SHMMAX", "shm-dest", "shm_rmid_forced", ... */
	enum ipcadm_kind kind; /* IPCADM_NALL_KINDS when it concerns no one kind */
	uint64_t limit, used; /* IPCADM_UNKNOWN when they do not apply */
	double percent; /* used of limit, -1 when it does not apply */
	const char *summary;
	const char *const *details;
	size_t ndetails;
	const struct ipcadm_remedy *remedies; /* in the order to try them */
	size_t nremedies;
	const struct ipcadm_finding_group *groups; /* largest first */
	size_t ngroups;
};

struct ipcadm_doctor_opts {
	unsigned int warn_percent; /* a counted limit this full is a warning (80) */
	unsigned int crit_percent; /* and this full critical (95) */
	size_t max_groups; /* groups listed per limit (5) */
	size_t max_objects; /* objects named per finding (5) */
	int64_t now; /* Unix seconds for ages; 0: the clock */
	const struct ipcadm_analysis *analysis; /* verdicts and holders, or NULL */
	int analysis_err; /* why there is no analysis (-errno), 0 when none was tried */
};

struct ipcadm_findings;

void ipcadm_doctor_opts_init(struct ipcadm_doctor_opts *opts);
int ipcadm_findings_build(struct ipcadm_ctx *ctx, const struct ipcadm_snapshot *snap,
			  const struct ipcadm_doctor_opts *opts, struct ipcadm_findings **fp);
void ipcadm_findings_free(struct ipcadm_findings *f);
/* Sorted: critical first, then warnings, then ok; in a fixed order within each. */
size_t ipcadm_findings_count(const struct ipcadm_findings *f);
const struct ipcadm_finding *ipcadm_findings_get(const struct ipcadm_findings *f, size_t i);
enum ipcadm_severity ipcadm_findings_worst(const struct ipcadm_findings *f);
const char *ipcadm_severity_name(enum ipcadm_severity s); /* "ok", "warning", "critical" */

/*
 * IPC namespaces (lib/nsenter.c). Every namespace is found from /proc/PID/ns/ipc; another
 * namespace is read, and its objects removed, in a child process that setns()es into it
 * (the IPC namespace only: PIDs stay the host's, and so do the tool's own namespaces).
 */
struct ipcadm_ns {
	uint64_t ino; /* the namespace's inode */
	pid_t pid; /* its oldest process (0 for a namespace named by a file) */
	char comm[65]; /* that process's command */
	char cgroup[256]; /* and its cgroup (the v2 path, else the first line's) */
	size_t nprocs; /* processes in it */
	bool self; /* the tool's own */
	char path[256]; /* what to open to enter it: /proc/PID/ns/ipc or a bind mount */
	uint64_t id; /* the kernel's ID (NS_GET_ID, Linux 6.18): never reused; 0 if none */
};

/* Every IPC namespace that a process is in, the tool's own first, then by inode. */
int ipcadm_ns_list(struct ipcadm_ctx *ctx, struct ipcadm_ns **nsp, size_t *np);
/*
 * A namespace named by a PID, by its inode ("ipc:4026532123" or "ipc:[4026532123]") or
 * the kernel's ID ("ipcid:4099", never reused), both entered through its oldest process
 * (-ESRCH when no process is in it), or by a path
 * (/proc/PID/ns/ipc, a bind-mounted ns file). Anything else at the path (a FIFO, which would block the open, or a plain file) gives
 * IPCADM_ENOTIPCNS, found out without waiting.
 */
#define IPCADM_ENOTIPCNS (-ENOTNAM)
int ipcadm_ns_resolve(struct ipcadm_ctx *ctx, const char *spec, struct ipcadm_ns *ns);
/* ipcadm_snapshot_read() in that namespace; POSIX shm and semaphores belong to mount
 * namespaces, so only the tool's own namespace reads them. Every object carries ipcns. */
int ipcadm_snapshot_read_ns(struct ipcadm_ctx *ctx, const struct ipcadm_ns *ns,
			    unsigned int kinds, unsigned int flags,
			    struct ipcadm_snapshot **snapp);
/* The namespace a snapshot was read in (0 when read with ipcadm_snapshot_read()). */
uint64_t ipcadm_snapshot_ns(const struct ipcadm_snapshot *snap);
/* ipcadm_obj_remove(), ipcadm_obj_remove_backup() (dirfd >= 0) or, for a POSIX queue,
 * ipcadm_posix_remove() run in the namespace, with the same checks. */
int ipcadm_obj_remove_ns(struct ipcadm_ctx *ctx, const struct ipcadm_ns *ns,
			 const struct ipcadm_obj *expect, int dirfd, const char *evidence);
/*
 * ipcadm_posix_remove_many() run in the namespace (queues only: -EOPNOTSUPP for a batch
 * with any other kind), in one child process. When that child fails (-errno, results
 * untouched), some of the objects may have been removed all the same.
 */
int ipcadm_posix_remove_many_ns(struct ipcadm_ctx *ctx, const struct ipcadm_ns *ns,
				const struct ipcadm_obj *const *objs, size_t n, int *results);
/* ipcadm_shm_backup_create() run in the namespace. */
int ipcadm_shm_backup_create_ns(struct ipcadm_ctx *ctx, const struct ipcadm_ns *ns,
				const struct ipcadm_shm_backup *b, int *idp);

const char *ipcadm_kind_name(enum ipcadm_kind kind);
/* "shm", "sem", "msg" (and the ipcs words), "pshm", "psem", "pmq" to a kind; -EINVAL. */
int ipcadm_kind_parse(const char *name);

#ifdef __cplusplus
}
#endif

#endif
