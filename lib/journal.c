/* journal.c: the journal of IPC objects' creators and removals in SQLite (WAL, pruned),
 * opened root-safely, written by `ipcadm trace --journal` and read to name creators. */
#include "internal.h"
#include "ipcadm-journal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

struct ipcadm_journal {
	sqlite3 *db;
	sqlite3_stmt *add, *rm_id, *rm_name, *find;
	char err[256];
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS objects ("
	" rowid INTEGER PRIMARY KEY, ipcns INTEGER NOT NULL, kind TEXT NOT NULL,"
	" objid INTEGER NOT NULL, key INTEGER NOT NULL, name TEXT NOT NULL,"
	" created_ns INTEGER NOT NULL, removed_ns INTEGER, removed_by INTEGER,"
	" pid INTEGER, comm TEXT, exe TEXT, cmdline TEXT, uid INTEGER, cgroup TEXT,"
	" unit TEXT, ppid INTEGER, pcomm TEXT);"
	"CREATE INDEX IF NOT EXISTS objects_by_id ON objects (ipcns, kind, objid, name);"
	"CREATE INDEX IF NOT EXISTS objects_by_removal ON objects (removed_ns);"
	"CREATE TABLE IF NOT EXISTS runs (started_ns INTEGER NOT NULL, ended_ns INTEGER);";

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int db_fail(struct ipcadm_journal *j)
{
	snprintf(j->err, sizeof(j->err), "%s", j->db ? sqlite3_errmsg(j->db) : "out of memory");
	return -EIO;
}

/* why the last open failed, for ipcadm_journal_error(NULL) */
static char open_err[256];

const char *ipcadm_journal_error(const struct ipcadm_journal *j)
{
	return j ? j->err : open_err;
}

static int exec_sql(struct ipcadm_journal *j, const char *sql)
{
	return sqlite3_exec(j->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : db_fail(j);
}

static int prepare(struct ipcadm_journal *j, const char *sql, sqlite3_stmt **st)
{
	return sqlite3_prepare_v2(j->db, sql, -1, st, NULL) == SQLITE_OK ? 0 : db_fail(j);
}

/*
 * The directory: one that no other user may write (a sticky one neither: there another
 * user could make the -wal or -shm file before us), so that the names SQLite opens in it
 * after our checks are still ours. The file: a regular one, ours, one link, no link
 * followed (ipcadm_file_open_at).
 */
static int open_checked(const char *path, bool write, enum ipcadm_file_fault *fault)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	int dfd, fd, r;

	if (*base == '\0')
		return -EISDIR;
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else if ((size_t)(slash - path) < sizeof(dir))
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	else
		return -ENAMETOOLONG;
	if (write && strcmp(path, IPCADM_JOURNAL_PATH) == 0 && mkdir(dir, 0755) < 0 &&
	    errno != EEXIST)
		return -errno;
	r = ipcadm_dir_open(dir, false, &dfd, fault);
	if (r == 0 && *fault != IPCADM_FILE_OK)
		*fault = IPCADM_FILE_UNSAFE_PARENT; /* its directory is one above it */
	if (r < 0 || *fault != IPCADM_FILE_OK)
		return r;
	r = ipcadm_file_open_at(dfd, base, write ? O_RDWR | O_CREAT : O_RDONLY, &fd, fault);
	close(dfd);
	if (r < 0 || *fault != IPCADM_FILE_OK)
		return r;
	close(fd);
	return 0;
}

int ipcadm_journal_open(const char *path, bool write, struct ipcadm_journal **jp,
			enum ipcadm_file_fault *fault)
{
	struct ipcadm_journal *j;
	int flags = SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_FULLMUTEX, r;

	*jp = NULL;
	*fault = IPCADM_FILE_OK;
	r = open_checked(path, write, fault);
	if (r < 0 || *fault != IPCADM_FILE_OK)
		return r;
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return -ENOMEM;
	/* a reader of a WAL database writes its -shm file: root reads read-write too */
	flags |= write || geteuid() == 0 ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
	if (sqlite3_open_v2(path, &j->db, flags, NULL) != SQLITE_OK) {
		r = db_fail(j);
		goto fail;
	}
	sqlite3_busy_timeout(j->db, 2000);
	if (write) {
		/* auto_vacuum before the first table: pruning can give pages back */
		r = exec_sql(j, "PRAGMA auto_vacuum = INCREMENTAL; PRAGMA journal_mode = WAL;"
				"PRAGMA synchronous = NORMAL;");
		if (r == 0)
			r = exec_sql(j, schema);
		if (r < 0)
			goto fail;
		r = prepare(j, "INSERT INTO objects (ipcns, kind, objid, key, name, created_ns,"
			       " pid, comm, exe, cmdline, uid, cgroup, unit, ppid, pcomm) VALUES"
			       " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
			    &j->add);
		if (r == 0)
			r = prepare(j, "UPDATE objects SET removed_ns = ?4, removed_by = ?5"
				       " WHERE ipcns = ?1 AND kind = ?2 AND objid = ?3"
				       " AND removed_ns IS NULL", &j->rm_id);
		if (r == 0)
			r = prepare(j, "UPDATE objects SET removed_ns = ?4, removed_by = ?5"
				       " WHERE ipcns = ?1 AND kind = ?2 AND name = ?3"
				       " AND removed_ns IS NULL", &j->rm_name);
		if (r < 0)
			goto fail;
	}
	/* the newest record first: a queue's name may have been made again */
	r = prepare(j, "SELECT created_ns, pid, comm, exe, cmdline, uid, cgroup, unit, ppid,"
		       " pcomm FROM objects WHERE ipcns = ?1 AND kind = ?2 AND objid = ?3"
		       " AND name = ?4 AND key = ?5 AND removed_ns IS NULL"
		       " ORDER BY created_ns DESC", &j->find);
	if (r < 0) {
		/* a journal not yet written by a trace has no tables: nothing is known */
		if (!write && strstr(j->err, "no such table"))
			r = -ENOENT;
		goto fail;
	}
	*jp = j;
	return 0;
fail:
	memcpy(open_err, j->err, sizeof(open_err));
	ipcadm_journal_close(j);
	return r;
}

void ipcadm_journal_close(struct ipcadm_journal *j)
{
	if (j == NULL)
		return;
	sqlite3_finalize(j->add);
	sqlite3_finalize(j->rm_id);
	sqlite3_finalize(j->rm_name);
	sqlite3_finalize(j->find);
	sqlite3_close(j->db);
	free(j);
}

/* ---- the creator, read at the event ---- */

static ssize_t read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/* src cut to fit dst (the command line may be longer than we keep). */
static void copy_cut(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void read_cgroup(pid_t pid, char *out, size_t len)
{
	char path[64], buf[4096], *line, *save = NULL;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p = strchr(line, ':');

		p = p ? strchr(p + 1, ':') : NULL;
		if (p && (strncmp(line, "0::", 3) == 0 || out[0] == '\0'))
			copy_cut(out, len, p + 1);
	}
}

void ipcadm_cgroup_unit(const char *cgroup, char *unit, size_t len)
{
	const char *end = cgroup + strlen(cgroup);

	unit[0] = '\0';
	/* the deepest unit: a service, a scope (docker-ID.scope, session-N.scope) */
	while (end > cgroup) {
		const char *start = end;
		size_t n;

		while (start > cgroup && start[-1] != '/')
			start--;
		n = (size_t)(end - start);
		if ((n > 8 && memcmp(end - 8, ".service", 8) == 0) ||
		    (n > 6 && memcmp(end - 6, ".scope", 6) == 0)) {
			snprintf(unit, len, "%.*s", (int)n, start);
			return;
		}
		end = start > cgroup ? start - 1 : cgroup;
	}
}

/* What /proc tells of the creator while it runs; its comm must still be the event's. */
static void read_creator(const struct ipcadm_trace_event *e, struct ipcadm_journal_rec *rec)
{
	char path[64], buf[4096], comm[32];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)e->pid);
	if (read_small(path, comm, sizeof(comm)) > 0) {
		comm[strcspn(comm, "\n")] = '\0';
		if (strcmp(comm, e->comm) != 0)
			goto parent; /* exec'd since, or another process: not what made it */
	} else {
		goto parent;
	}
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)e->pid);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		copy_cut(rec->exe, sizeof(rec->exe), buf);
	}
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)e->pid);
	n = read_small(path, buf, sizeof(buf));
	for (ssize_t i = 0; i < n - 1; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	if (n > 0)
		copy_cut(rec->cmdline, sizeof(rec->cmdline), buf);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)e->pid);
	if (read_small(path, buf, sizeof(buf)) > 0) {
		char *u = strstr(buf, "\nUid:");
		long long ruid, euid;

		if (u && sscanf(u + 5, "%lld %lld", &ruid, &euid) == 2)
			rec->uid = euid;
	}
	read_cgroup(e->pid, rec->cgroup, sizeof(rec->cgroup));
	if (rec->cgroup[0])
		return;
parent:
	/* gone: a child stays in its parent's cgroup unless moved */
	if (e->ppid > 0)
		read_cgroup(e->ppid, rec->cgroup, sizeof(rec->cgroup));
}

static const char *kind_text(enum ipcadm_kind k)
{
	return ipcadm_kind_name(k);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static int step_reset(struct ipcadm_journal *j, sqlite3_stmt *st)
{
	int r = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r == SQLITE_DONE ? 0 : db_fail(j);
}

static int record_creation(struct ipcadm_journal *j, const struct ipcadm_trace_event *e)
{
	struct ipcadm_journal_rec rec;
	sqlite3_stmt *st = j->add;

	memset(&rec, 0, sizeof(rec));
	rec.uid = -1;
	snprintf(rec.exe, sizeof(rec.exe), "%s", e->exe);
	read_creator(e, &rec);
	ipcadm_cgroup_unit(rec.cgroup, rec.unit, sizeof(rec.unit));
	sqlite3_bind_int64(st, 1, (sqlite3_int64)e->ipcns);
	bind_text(st, 2, kind_text(ipcadm_call_kind(e->call)));
	sqlite3_bind_int(st, 3, e->call == IPCADM_CALL_MQ_OPEN ? -1 : (int)e->ret);
	sqlite3_bind_int(st, 4, e->call == IPCADM_CALL_MQ_OPEN ? 0 : e->key);
	bind_text(st, 5, e->call == IPCADM_CALL_MQ_OPEN ? e->name : "");
	sqlite3_bind_int64(st, 6, e->time_ns);
	sqlite3_bind_int(st, 7, e->pid);
	bind_text(st, 8, e->comm);
	bind_text(st, 9, rec.exe);
	bind_text(st, 10, rec.cmdline);
	if (rec.uid >= 0)
		sqlite3_bind_int64(st, 11, rec.uid);
	bind_text(st, 12, rec.cgroup);
	bind_text(st, 13, rec.unit);
	sqlite3_bind_int(st, 14, e->ppid);
	bind_text(st, 15, e->pcomm);
	return step_reset(j, st);
}

int ipcadm_journal_record(struct ipcadm_journal *j, const struct ipcadm_trace_event *e)
{
	enum ipcadm_kind kind = ipcadm_call_kind(e->call);
	sqlite3_stmt *st;
	int r;

	if (e->ret < 0 || e->ipcns == 0)
		return 0; /* failed, or its namespace unknown: nothing to match it by */
	switch (e->call) {
	case IPCADM_CALL_SHMGET:
	case IPCADM_CALL_SEMGET:
	case IPCADM_CALL_MSGGET:
		/*
		 * A new object only: IPC_PRIVATE, or IPC_CREAT|IPC_EXCL. A keyed IPC_CREAT
		 * without IPC_EXCL may have found an old one: recorded as well, and told apart
		 * when read by its ctime (an old object's is older than the call).
		 */
		if (e->key != 0 && !(e->flags & IPC_CREAT))
			return 0;
		r = record_creation(j, e);
		break;
	case IPCADM_CALL_MQ_OPEN:
		if (!(e->flags & O_CREAT) || e->name[0] == '\0')
			return 0;
		r = record_creation(j, e);
		break;
	case IPCADM_CALL_SHMCTL:
	case IPCADM_CALL_SEMCTL:
	case IPCADM_CALL_MSGCTL:
	case IPCADM_CALL_MQ_UNLINK:
		if (e->call == IPCADM_CALL_MQ_UNLINK && e->name[0] == '\0')
			return 0;
		st = e->call == IPCADM_CALL_MQ_UNLINK ? j->rm_name : j->rm_id;
		sqlite3_bind_int64(st, 1, (sqlite3_int64)e->ipcns);
		bind_text(st, 2, kind_text(kind));
		if (e->call == IPCADM_CALL_MQ_UNLINK)
			bind_text(st, 3, e->name);
		else
			sqlite3_bind_int(st, 3, e->id);
		sqlite3_bind_int64(st, 4, e->time_ns);
		sqlite3_bind_int(st, 5, e->pid);
		r = step_reset(j, st);
		break;
	default:
		return 0;
	}
	return r < 0 ? r : 1;
}

int ipcadm_journal_run(struct ipcadm_journal *j, bool end)
{
	char sql[160];

	if (end)
		snprintf(sql, sizeof(sql), "UPDATE runs SET ended_ns = %lld WHERE ended_ns IS NULL",
			 (long long)now_ns());
	else
		/* a run that ended unseen (killed) ended when it was last known to run */
		snprintf(sql, sizeof(sql), "UPDATE runs SET ended_ns = started_ns WHERE ended_ns"
					   " IS NULL; INSERT INTO runs VALUES (%lld, NULL)",
			 (long long)now_ns());
	return exec_sql(j, sql);
}

static int64_t db_size(struct ipcadm_journal *j)
{
	sqlite3_stmt *st;
	int64_t size = -1;

	if (prepare(j, "SELECT page_count * page_size FROM pragma_page_count(),"
		       " pragma_page_size()", &st) < 0)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		size = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return size;
}

int ipcadm_journal_prune(struct ipcadm_journal *j, int64_t retention_s, uint64_t max_bytes)
{
	char sql[256];
	int r;

	snprintf(sql, sizeof(sql), "DELETE FROM objects WHERE removed_ns IS NOT NULL AND"
				   " removed_ns < %lld",
		 (long long)(now_ns() - retention_s * 1000000000LL));
	r = exec_sql(j, sql);
	for (int round = 0; r == 0 && round < 64; round++) {
		int64_t size = db_size(j);

		if (size < 0 || (uint64_t)size <= max_bytes)
			break;
		/* a tenth at a time: the removed first, then the oldest */
		r = exec_sql(j, "DELETE FROM objects WHERE rowid IN (SELECT rowid FROM objects"
				" ORDER BY removed_ns IS NULL, coalesce(removed_ns, created_ns)"
				" LIMIT max(1, (SELECT count(*) FROM objects) / 10));"
				"PRAGMA incremental_vacuum;");
	}
	if (r == 0)
		r = exec_sql(j, "PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);");
	return r;
}

/* ---- reading ---- */

static void col_text(sqlite3_stmt *st, int i, char *out, size_t len)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	snprintf(out, len, "%s", s ? (const char *)s : "");
}

int ipcadm_journal_find(struct ipcadm_journal *j, const struct ipcadm_obj *o, uint64_t ipcns,
			struct ipcadm_journal_rec *rec)
{
	sqlite3_stmt *st = j->find;
	bool pmq = o->kind == IPCADM_PMQ;
	int r = -ENOENT;

	if (o->kind != IPCADM_SHM && o->kind != IPCADM_SEM && o->kind != IPCADM_MSG && !pmq)
		return -ENOENT;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)ipcns);
	bind_text(st, 2, kind_text(o->kind));
	sqlite3_bind_int(st, 3, pmq ? -1 : o->id);
	bind_text(st, 4, pmq && o->name ? o->name : "");
	sqlite3_bind_int(st, 5, pmq ? 0 : o->key);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t created = sqlite3_column_int64(st, 0);

		/*
		 * The kernel stamps ctime in the call, the event is its return: the same
		 * second, or the one before when the call straddled it.
		 */
		if (o->ctime != created / 1000000000 &&
		    o->ctime != (created - 50000000) / 1000000000)
			continue;
		memset(rec, 0, sizeof(*rec));
		rec->ipcns = ipcns;
		rec->kind = o->kind;
		rec->id = pmq ? -1 : o->id;
		rec->key = o->key;
		snprintf(rec->name, sizeof(rec->name), "%s", pmq && o->name ? o->name : "");
		rec->created_ns = created;
		rec->pid = sqlite3_column_int(st, 1);
		col_text(st, 2, rec->comm, sizeof(rec->comm));
		col_text(st, 3, rec->exe, sizeof(rec->exe));
		col_text(st, 4, rec->cmdline, sizeof(rec->cmdline));
		rec->uid = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 :
								      sqlite3_column_int64(st, 5);
		col_text(st, 6, rec->cgroup, sizeof(rec->cgroup));
		col_text(st, 7, rec->unit, sizeof(rec->unit));
		rec->ppid = sqlite3_column_int(st, 8);
		col_text(st, 9, rec->pcomm, sizeof(rec->pcomm));
		r = 0;
		break;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}
