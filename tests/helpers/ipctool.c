/* ipctool.c: the test and benchmark helper that makes, changes, holds and removes System V
 * IPC objects with exactly the attributes a test wants. Run it only in a private namespace.
 *
 * Usage: ipctool SUBCOMMAND ARGS...   (tests find it as $IPCTOOL)
 * Numbers are strict: KEY is decimal (may be negative) or 0x hex, 0 meaning IPC_PRIVATE;
 * MODE is octal (at most 0777); SIZE takes K, M, G suffixes; IDs are decimal or 0x hex.
 * Subcommands that make an object print its new ID on stdout. On any error ipctool prints
 * "ipctool: what failed: why" on stderr and exits 1 (bad usage too).
 *
 *   shm-create KEY SIZE MODE        shmget(KEY, SIZE, IPC_CREAT|IPC_EXCL|MODE)
 *   sem-create KEY NSEMS MODE       semget(KEY, NSEMS, IPC_CREAT|IPC_EXCL|MODE)
 *   msg-create KEY MODE             msgget(KEY, IPC_CREAT|IPC_EXCL|MODE)
 *   set-owner shm|sem|msg ID UID GID [MODE]
 *                                   IPC_SET of the owner (and the mode when given)
 *   set-owner-all shm|sem|msg UID GID
 *                                   the same for every object of the kind (benchmarks)
 *   sem-setall ID V...              SETALL; give one value per semaphore
 *   sem-op ID SEMNUM DELTA [undo]   one semop with IPC_NOWAIT (SEM_UNDO with "undo");
 *                                   it fails with EAGAIN rather than block
 *   msg-send ID TYPE TEXT           one msgsnd of TEXT (without its NUL), IPC_NOWAIT
 *   shm-lock ID                     SHM_LOCK
 *   shm-write ID TEXT               attaches, copies TEXT to the segment's start, detaches
 *   shm-fill ID                     attaches, writes every byte of the segment, detaches
 *                                   (no holes: a copy of it takes time)
 *   shm-read ID LEN                 attaches read-only, prints the first LEN bytes, detaches
 *   rm shm|sem|msg ID               IPC_RMID
 *
 * Holders stay until killed, or until SECONDS pass (then exit 0). They print "ready" and
 * flush stdout once they hold the object:
 *   shm-attach ID [ro] [SECONDS]    shmat (SHM_RDONLY with "ro")
 *   shm-visit ID [SECONDS]          shmat then shmdt, then stays alive as the segment's
 *                                   last user (an X server after a client went away)
 *   sem-wait ID SEMNUM [SECONDS]    blocks in semop decrementing SEMNUM by 1; "ready" is
 *                                   printed once the kernel has it waiting (ncnt counts it);
 *                                   if the operation completes, prints "done", exits 0
 *   msg-wait ID [SECONDS]           blocks in msgrcv for any type; "ready" once blocked;
 *                                   a message received is printed as "got TYPE TEXT"
 *   use-private [SECONDS]           a live program whose recorded PIDs are its own: makes
 *                                   a private segment (attached, written, detached), array
 *                                   (one semop) and queue (one msgsnd, one msgrcv), each
 *                                   mode 0600, prints "shm ID", "sem ID", "msg ID", then
 *                                   "ready"; holds none of them (no mapping, no wait)
 *
 *   fill shm|sem|msg COUNT [SIZE|NSEMS]
 *                                   makes COUNT private objects (mode 0644; size 4096 or
 *                                   1 semaphore by default) and prints how many were made;
 *                                   exits 1 if it stopped early (e.g. ENOSPC)
 *   drop-to UID GID -- CMD...       runs CMD with those credentials (setgroups, setgid,
 *                                   setuid, then exec)
 */
#include "guard.h"
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ipcadm.h"
#include "strutil.h"

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

static int32_t arg_key(const char *s)
{
	int32_t key;

	if (str_to_key(s, &key) < 0)
		usage("invalid key '%s'", s);
	return key;
}

static int arg_id(const char *s)
{
	int id;

	if (str_to_id(s, &id) < 0)
		usage("invalid ID '%s'", s);
	return id;
}

static unsigned int arg_mode(const char *s)
{
	unsigned int mode;

	if (str_to_mode(s, 0777, &mode) < 0)
		usage("invalid mode '%s' (octal, at most 777)", s);
	return mode;
}

static uint64_t arg_u64(const char *s, uint64_t max, const char *what)
{
	uint64_t v;

	if (str_to_u64(s, &v) < 0 || v > max)
		usage("invalid %s '%s'", what, s);
	return v;
}

static int64_t arg_i64(const char *s, int64_t lo, int64_t hi, const char *what)
{
	int64_t v;

	if (str_to_i64(s, &v) < 0 || v < lo || v > hi)
		usage("invalid %s '%s'", what, s);
	return v;
}

static uint64_t arg_size(const char *s)
{
	uint64_t v;

	if (str_to_size(s, &v) < 0)
		usage("invalid size '%s'", s);
	return v;
}

static enum ipcadm_kind arg_kind(const char *s)
{
	if (strcmp(s, "shm") == 0)
		return IPCADM_SHM;
	if (strcmp(s, "sem") == 0)
		return IPCADM_SEM;
	if (strcmp(s, "msg") == 0)
		return IPCADM_MSG;
	usage("unknown kind '%s' (shm, sem or msg)", s);
}

static void need(int argc, int min, int max, const char *synopsis)
{
	if (argc < min || argc > max)
		usage("usage: %s", synopsis);
}

static void ready(void)
{
	fputs("ready\n", stdout);
	fflush(stdout);
}

static void on_alarm(int sig)
{
	(void)sig;
	_exit(0);
}

/* A holder's optional SECONDS: exit 0 when they pass (SIGALRM also ends blocking calls). */
static void hold_for(const char *s)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	if (s == NULL)
		return;
	sigaction(SIGALRM, &sa, NULL);
	alarm((unsigned int)arg_u64(s, 86400 * 365, "number of seconds"));
}

static __attribute__((noreturn)) void hold_forever(void)
{
	for (;;)
		pause();
}

static int do_create(int argc, char **argv)
{
	const char *cmd = argv[0];
	int id;

	if (strcmp(cmd, "shm-create") == 0) {
		need(argc, 4, 4, "shm-create KEY SIZE MODE");
		id = shmget(arg_key(argv[1]), arg_size(argv[2]),
			    IPC_CREAT | IPC_EXCL | (int)arg_mode(argv[3]));
	} else if (strcmp(cmd, "sem-create") == 0) {
		need(argc, 4, 4, "sem-create KEY NSEMS MODE");
		id = semget(arg_key(argv[1]), (int)arg_u64(argv[2], INT_MAX, "number of semaphores"),
			    IPC_CREAT | IPC_EXCL | (int)arg_mode(argv[3]));
	} else {
		need(argc, 3, 3, "msg-create KEY MODE");
		id = msgget(arg_key(argv[1]), IPC_CREAT | IPC_EXCL | (int)arg_mode(argv[2]));
	}
	if (id < 0)
		fail("%s %s", cmd, argv[1]);
	printf("%d\n", id);
	return 0;
}

/* IPC_SET of one object's owner; mode < 0 keeps the mode. Returns 0 or -1 (errno set). */
static int set_owner(enum ipcadm_kind kind, int id, uid_t uid, gid_t gid, int mode)
{
	struct ipc_perm *p;
	struct shmid_ds shm;
	struct semid_ds sem;
	struct msqid_ds msg;
	union semun arg = { .buf = &sem };
	int r;

	if (kind == IPCADM_SHM) {
		r = shmctl(id, IPC_STAT, &shm);
		p = &shm.shm_perm;
	} else if (kind == IPCADM_SEM) {
		r = semctl(id, 0, IPC_STAT, arg);
		p = &sem.sem_perm;
	} else {
		r = msgctl(id, IPC_STAT, &msg);
		p = &msg.msg_perm;
	}
	if (r < 0)
		return -1;
	p->uid = uid;
	p->gid = gid;
	if (mode >= 0)
		p->mode = (unsigned short)((p->mode & ~0777u) | (unsigned int)mode);
	if (kind == IPCADM_SHM)
		return shmctl(id, IPC_SET, &shm);
	if (kind == IPCADM_SEM)
		return semctl(id, 0, IPC_SET, arg);
	return msgctl(id, IPC_SET, &msg);
}

static int do_set_owner(int argc, char **argv)
{
	enum ipcadm_kind kind;
	int id;

	need(argc, 5, 6, "set-owner shm|sem|msg ID UID GID [MODE]");
	kind = arg_kind(argv[1]);
	id = arg_id(argv[2]);
	if (set_owner(kind, id, (uid_t)arg_u64(argv[3], UINT32_MAX - 1, "uid"),
		      (gid_t)arg_u64(argv[4], UINT32_MAX - 1, "gid"),
		      argc == 6 ? (int)arg_mode(argv[5]) : -1) < 0)
		fail("cannot set the owner of %s %d", argv[1], id);
	return 0;
}

static int do_set_owner_all(int argc, char **argv)
{
	struct ipcadm_ctx *ctx;
	struct ipcadm_snapshot *snap;
	enum ipcadm_kind kind;
	uid_t uid;
	gid_t gid;
	int r;

	need(argc, 4, 4, "set-owner-all shm|sem|msg UID GID");
	kind = arg_kind(argv[1]);
	uid = (uid_t)arg_u64(argv[2], UINT32_MAX - 1, "uid");
	gid = (gid_t)arg_u64(argv[3], UINT32_MAX - 1, "gid");
	r = ipcadm_ctx_new(&ctx, "/");
	if (r == 0)
		r = ipcadm_snapshot_read(ctx, IPCADM_KIND_BIT(kind), 0, &snap);
	if (r < 0) {
		errno = -r;
		fail("cannot read the %s objects", argv[1]);
	}
	for (size_t i = 0; i < ipcadm_snapshot_count(snap, kind); i++) {
		int id = ipcadm_snapshot_obj(snap, kind, i)->id;

		if (set_owner(kind, id, uid, gid, -1) < 0)
			fail("cannot set the owner of %s %d", argv[1], id);
	}
	ipcadm_snapshot_free(snap);
	ipcadm_ctx_free(ctx);
	return 0;
}

static int do_sem_setall(int argc, char **argv)
{
	struct semid_ds ds;
	union semun arg = { .buf = &ds };
	unsigned short *vals;
	int id;

	if (argc < 3)
		usage("usage: sem-setall ID V...");
	id = arg_id(argv[1]);
	if (semctl(id, 0, IPC_STAT, arg) < 0)
		fail("cannot read sem %d", id);
	if ((unsigned long)(argc - 2) != ds.sem_nsems)
		usage("sem %d has %lu semaphores, %d values given", id,
		      (unsigned long)ds.sem_nsems, argc - 2);
	vals = calloc((size_t)argc, sizeof(*vals));
	if (vals == NULL)
		fail("out of memory");
	for (int i = 2; i < argc; i++)
		vals[i - 2] = (unsigned short)arg_u64(argv[i], USHRT_MAX, "semaphore value");
	arg.array = vals;
	if (semctl(id, 0, SETALL, arg) < 0)
		fail("cannot set the values of sem %d", id);
	free(vals);
	return 0;
}

static int do_sem_op(int argc, char **argv)
{
	struct sembuf op;
	int id;

	need(argc, 4, 5, "sem-op ID SEMNUM DELTA [undo]");
	id = arg_id(argv[1]);
	op.sem_num = (unsigned short)arg_u64(argv[2], USHRT_MAX, "semaphore number");
	op.sem_op = (short)arg_i64(argv[3], SHRT_MIN, SHRT_MAX, "delta");
	op.sem_flg = IPC_NOWAIT;
	if (argc == 5) {
		if (strcmp(argv[4], "undo") != 0)
			usage("expected 'undo', not '%s'", argv[4]);
		op.sem_flg |= SEM_UNDO;
	}
	if (semop(id, &op, 1) < 0)
		fail("semop on sem %d", id);
	return 0;
}

static int do_msg_send(int argc, char **argv)
{
	size_t len;
	struct msgbuf *m;
	int id;

	need(argc, 4, 4, "msg-send ID TYPE TEXT");
	id = arg_id(argv[1]);
	len = strlen(argv[3]);
	m = malloc(sizeof(*m) + len);
	if (m == NULL)
		fail("out of memory");
	m->mtype = (long)arg_i64(argv[2], 1, LONG_MAX, "message type");
	memcpy(m->mtext, argv[3], len);
	if (msgsnd(id, m, len, IPC_NOWAIT) < 0)
		fail("msgsnd to msg %d", id);
	free(m);
	return 0;
}

static int do_shm_lock(int argc, char **argv)
{
	int id;

	need(argc, 2, 2, "shm-lock ID");
	id = arg_id(argv[1]);
	if (shmctl(id, SHM_LOCK, NULL) < 0)
		fail("cannot lock shm %d", id);
	return 0;
}

static int do_shm_write(int argc, char **argv)
{
	struct shmid_ds ds;
	size_t len;
	char *addr;
	int id;

	need(argc, 3, 3, "shm-write ID TEXT");
	id = arg_id(argv[1]);
	len = strlen(argv[2]);
	if (shmctl(id, IPC_STAT, &ds) < 0)
		fail("cannot stat shm %d", id);
	if (len > ds.shm_segsz)
		usage("shm-write: TEXT is longer than the segment");
	addr = shmat(id, NULL, 0);
	if (addr == (void *)-1)
		fail("cannot attach shm %d", id);
	memcpy(addr, argv[2], len);
	shmdt(addr);
	return 0;
}

static int do_shm_fill(int argc, char **argv)
{
	struct shmid_ds ds;
	char *addr;
	int id;

	need(argc, 2, 2, "shm-fill ID");
	id = arg_id(argv[1]);
	if (shmctl(id, IPC_STAT, &ds) < 0)
		fail("cannot stat shm %d", id);
	addr = shmat(id, NULL, 0);
	if (addr == (void *)-1)
		fail("cannot attach shm %d", id);
	memset(addr, 0xa5, ds.shm_segsz);
	shmdt(addr);
	return 0;
}

static int do_shm_read(int argc, char **argv)
{
	struct shmid_ds ds;
	char *addr;
	int id, len;

	need(argc, 3, 3, "shm-read ID LEN");
	id = arg_id(argv[1]);
	len = arg_id(argv[2]);
	if (shmctl(id, IPC_STAT, &ds) < 0)
		fail("cannot stat shm %d", id);
	if ((size_t)len > ds.shm_segsz)
		usage("shm-read: LEN is longer than the segment");
	addr = shmat(id, NULL, SHM_RDONLY);
	if (addr == (void *)-1)
		fail("cannot attach shm %d", id);
	fwrite(addr, 1, (size_t)len, stdout);
	shmdt(addr);
	return 0;
}

static int do_rm(int argc, char **argv)
{
	enum ipcadm_kind kind;
	int id, r;

	need(argc, 3, 3, "rm shm|sem|msg ID");
	kind = arg_kind(argv[1]);
	id = arg_id(argv[2]);
	if (kind == IPCADM_SHM)
		r = shmctl(id, IPC_RMID, NULL);
	else if (kind == IPCADM_SEM)
		r = semctl(id, 0, IPC_RMID);
	else
		r = msgctl(id, IPC_RMID, NULL);
	if (r < 0)
		fail("cannot remove %s %d", argv[1], id);
	return 0;
}

static int do_shm_attach(int argc, char **argv)
{
	const char *seconds = NULL;
	int id, flags = 0;

	need(argc, 2, 4, "shm-attach ID [ro] [SECONDS]");
	id = arg_id(argv[1]);
	if (argc >= 3 && strcmp(argv[2], "ro") == 0) {
		flags = SHM_RDONLY;
		seconds = argc == 4 ? argv[3] : NULL;
	} else if (argc == 4) {
		usage("expected 'ro', not '%s'", argv[2]);
	} else if (argc == 3) {
		seconds = argv[2];
	}
	hold_for(seconds);
	if (shmat(id, NULL, flags) == (void *)-1)
		fail("cannot attach shm %d", id);
	ready();
	hold_forever();
}

static int do_shm_visit(int argc, char **argv)
{
	void *p;
	int id;

	need(argc, 2, 3, "shm-visit ID [SECONDS]");
	id = arg_id(argv[1]);
	hold_for(argc == 3 ? argv[2] : NULL);
	p = shmat(id, NULL, 0);
	if (p == (void *)-1)
		fail("cannot attach shm %d", id);
	if (shmdt(p) < 0)
		fail("cannot detach shm %d", id);
	ready();
	hold_forever();
}

/* The blocking holders: a watcher thread prints "ready" once /proc shows the main thread
 * asleep in the expected system call on the object, so a test never sees it early. */
struct watch {
	pid_t tid;
	long nr[2];
	int id;
};

static bool in_syscall(const struct watch *w)
{
	char path[64], buf[256];
	long nr;
	unsigned long arg0;
	FILE *f;
	bool yes = false;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)w->tid);
	f = fopen(path, "re");
	if (f == NULL)
		return false;
	if (fgets(buf, sizeof(buf), f) && sscanf(buf, "%ld %lx", &nr, &arg0) == 2)
		yes = (nr == w->nr[0] || nr == w->nr[1]) && (int)arg0 == w->id;
	fclose(f);
	return yes;
}

static void *watcher(void *p)
{
	const struct watch *w = p;
	struct timespec ts = { .tv_nsec = 1000000 };

	for (int i = 0; i < 30000; i++) { /* 30 s at most */
		if (in_syscall(w)) {
			ready();
			return NULL;
		}
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "ipctool: the wait never showed in /proc\n");
	return NULL;
}

static void start_watcher(struct watch *w)
{
	pthread_t t;

	w->tid = (pid_t)syscall(SYS_gettid);
	errno = pthread_create(&t, NULL, watcher, w);
	if (errno)
		fail("cannot start a thread");
	pthread_detach(t);
}

static int do_sem_wait(int argc, char **argv)
{
	static struct watch w = { .nr = { SYS_semop, SYS_semtimedop } };
	struct sembuf op = { .sem_op = -1 };

	need(argc, 3, 4, "sem-wait ID SEMNUM [SECONDS]");
	w.id = arg_id(argv[1]);
	op.sem_num = (unsigned short)arg_u64(argv[2], USHRT_MAX, "semaphore number");
	hold_for(argc == 4 ? argv[3] : NULL);
	start_watcher(&w);
	if (semop(w.id, &op, 1) < 0)
		fail("semop on sem %d", w.id);
	fputs("done\n", stdout);
	return 0;
}

static int do_msg_wait(int argc, char **argv)
{
	static struct watch w = { .nr = { SYS_msgrcv, SYS_msgrcv } };
	static struct {
		long mtype;
		char mtext[65536];
	} m;
	ssize_t n;

	need(argc, 2, 3, "msg-wait ID [SECONDS]");
	w.id = arg_id(argv[1]);
	hold_for(argc == 3 ? argv[2] : NULL);
	start_watcher(&w);
	n = msgrcv(w.id, &m, sizeof(m.mtext), 0, MSG_NOERROR);
	if (n < 0)
		fail("msgrcv from msg %d", w.id);
	printf("got %ld %.*s\n", m.mtype, (int)n, m.mtext);
	return 0;
}

static int do_use_private(int argc, char **argv)
{
	struct sembuf op = { .sem_op = 1 };
	struct {
		long mtype;
		char mtext[8];
	} m = { .mtype = 1, .mtext = "hello" };
	int shm, sem, msg;
	char *addr;

	need(argc, 1, 2, "use-private [SECONDS]");
	hold_for(argc == 2 ? argv[1] : NULL);
	shm = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	sem = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	msg = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (shm < 0 || sem < 0 || msg < 0)
		fail("cannot make the private objects");
	addr = shmat(shm, NULL, 0);
	if (addr == (void *)-1)
		fail("cannot attach shm %d", shm);
	memcpy(addr, "in use", 6);
	if (shmdt(addr) < 0 || semop(sem, &op, 1) < 0 ||
	    msgsnd(msg, &m, sizeof(m.mtext), IPC_NOWAIT) < 0 ||
	    msgsnd(msg, &m, sizeof(m.mtext), IPC_NOWAIT) < 0 ||
	    msgrcv(msg, &m, sizeof(m.mtext), 0, IPC_NOWAIT) < 0)
		fail("cannot use the private objects");
	printf("shm %d\nsem %d\nmsg %d\n", shm, sem, msg);
	ready();
	hold_forever();
}

static int do_fill(int argc, char **argv)
{
	enum ipcadm_kind kind;
	uint64_t count, amount, made = 0;
	int r = 0;

	need(argc, 3, 4, "fill shm|sem|msg COUNT [SIZE|NSEMS]");
	kind = arg_kind(argv[1]);
	count = arg_u64(argv[2], INT_MAX, "count");
	if (argc == 4)
		amount = kind == IPCADM_SEM ? arg_u64(argv[3], INT_MAX, "number of semaphores")
					    : arg_size(argv[3]);
	else
		amount = kind == IPCADM_SEM ? 1 : 4096;
	for (; made < count; made++) {
		if (kind == IPCADM_SHM)
			r = shmget(IPC_PRIVATE, amount, IPC_CREAT | 0644);
		else if (kind == IPCADM_SEM)
			r = semget(IPC_PRIVATE, (int)amount, IPC_CREAT | 0644);
		else
			r = msgget(IPC_PRIVATE, IPC_CREAT | 0644);
		if (r < 0)
			break;
	}
	printf("%llu\n", (unsigned long long)made);
	if (r < 0) {
		fflush(stdout);
		fail("fill stopped after %llu of %llu", (unsigned long long)made,
		     (unsigned long long)count);
	}
	return 0;
}

static int do_drop_to(int argc, char **argv)
{
	uid_t uid;
	gid_t gid;

	if (argc < 5 || strcmp(argv[3], "--") != 0)
		usage("usage: drop-to UID GID -- CMD...");
	uid = (uid_t)arg_u64(argv[1], UINT32_MAX - 1, "uid");
	gid = (gid_t)arg_u64(argv[2], UINT32_MAX - 1, "gid");
	if (setgroups(1, &gid) < 0)
		fail("setgroups");
	if (setgid(gid) < 0)
		fail("setgid %u", (unsigned int)gid);
	if (setuid(uid) < 0)
		fail("setuid %u", (unsigned int)uid);
	execvp(argv[4], argv + 4);
	fail("cannot run '%s'", argv[4]);
}


int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} cmds[] = {
		{ "shm-create", do_create },	{ "sem-create", do_create },
		{ "msg-create", do_create },	{ "set-owner", do_set_owner },
		{ "set-owner-all", do_set_owner_all },
		{ "sem-setall", do_sem_setall }, { "sem-op", do_sem_op },
		{ "msg-send", do_msg_send },	{ "shm-lock", do_shm_lock },
		{ "shm-write", do_shm_write },	{ "shm-read", do_shm_read },
		{ "rm", do_rm },		{ "shm-attach", do_shm_attach },
		{ "shm-visit", do_shm_visit },	{ "shm-fill", do_shm_fill },
		{ "sem-wait", do_sem_wait },	{ "msg-wait", do_msg_wait },
		{ "fill", do_fill },		{ "drop-to", do_drop_to },
		{ "use-private", do_use_private },
	};

	refuse_host_namespace("ipctool");
	if (argc < 2)
		usage("usage: ipctool SUBCOMMAND ARGS...");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[1], cmds[i].name) == 0) {
			int r = cmds[i].run(argc - 1, argv + 1);

			if (fflush(stdout) != 0)
				fail("cannot write to standard output");
			return r;
		}
	}
	usage("unknown subcommand '%s'", argv[1]);
}
