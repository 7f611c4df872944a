/* test-journal.c: the journal (lib/journal.c) on a database in a temporary directory:
 * what it records of an event, how objects are matched, removals, pruning, refusals. */
#include "fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ipcadm-journal.h"

#define NS 4026532999ULL

static char dir[64], path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test-journal-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/journal.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A semget that made array id, by this process. */
static struct ipcadm_trace_event made(int id, int32_t key, int64_t t)
{
	struct ipcadm_trace_event e;

	memset(&e, 0, sizeof(e));
	e.time_ns = t;
	e.pid = getpid();
	snprintf(e.comm, sizeof(e.comm), "%s", program_invocation_short_name);
	e.ipcns = NS;
	e.call = IPCADM_CALL_SEMGET;
	e.key = key;
	e.size = 1;
	e.flags = IPC_CREAT | 0600;
	e.ret = id;
	e.ppid = getppid();
	snprintf(e.pcomm, sizeof(e.pcomm), "parent");
	return e;
}

static struct ipcadm_obj sem(int id, int32_t key, int64_t ctime)
{
	struct ipcadm_obj o;

	memset(&o, 0, sizeof(o));
	o.kind = IPCADM_SEM;
	o.id = id;
	o.key = key;
	o.ctime = ctime;
	return o;
}

static long long count_rows(const char *where)
{
	char sql[256];
	sqlite3 *db;
	sqlite3_stmt *st;
	long long n = -1;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM objects WHERE %s", where);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void test_record_and_find(void **state)
{
	struct ipcadm_journal *j;
	enum ipcadm_file_fault fault;
	struct ipcadm_journal_rec rec;
	int64_t t = now_ns();
	struct ipcadm_trace_event e = made(32768, 0, t), f;
	struct ipcadm_obj o = sem(32768, 0, t / 1000000000);

	(void)state;
	/* nothing there yet: a reader finds none */
	assert_int_equal(ipcadm_journal_open(path, false, &j, &fault), -ENOENT);
	assert_int_equal(ipcadm_journal_open(path, true, &j, &fault), 0);
	assert_int_equal(fault, IPCADM_FILE_OK);
	assert_int_equal(ipcadm_journal_run(j, false), 0);
	assert_int_equal(ipcadm_journal_record(j, &e), 1);
	/* not a creation: a failure, a keyed get that does not create, an unknown namespace */
	f = made(7, 0, t);
	f.ret = -ENOSPC;
	assert_int_equal(ipcadm_journal_record(j, &f), 0);
	f = made(7, 0x1234, t);
	f.flags = 0;
	assert_int_equal(ipcadm_journal_record(j, &f), 0);
	f = made(7, 0, t);
	f.ipcns = 0;
	assert_int_equal(ipcadm_journal_record(j, &f), 0);

	/* what /proc told of us while we run */
	assert_int_equal(ipcadm_journal_find(j, &o, NS, &rec), 0);
	assert_int_equal(rec.pid, getpid());
	assert_string_equal(rec.comm, program_invocation_short_name);
	assert_non_null(strstr(rec.exe, "test-journal"));
	assert_non_null(strstr(rec.cmdline, "test-journal"));
	assert_int_equal(rec.uid, (int64_t)geteuid());
	assert_int_equal(rec.ppid, getppid());
	assert_string_equal(rec.pcomm, "parent");
	assert_true(rec.created_ns == t);

	/* every part must agree: namespace, ID, key, the second of ctime */
	assert_int_equal(ipcadm_journal_find(j, &o, NS + 1, &rec), -ENOENT);
	o = sem(32769, 0, t / 1000000000);
	assert_int_equal(ipcadm_journal_find(j, &o, NS, &rec), -ENOENT);
	o = sem(32768, 5, t / 1000000000);
	assert_int_equal(ipcadm_journal_find(j, &o, NS, &rec), -ENOENT);
	o = sem(32768, 0, t / 1000000000 + 1);
	assert_int_equal(ipcadm_journal_find(j, &o, NS, &rec), -ENOENT);
	o = sem(32768, 0, t / 1000000000 - 2);
	assert_int_equal(ipcadm_journal_find(j, &o, NS, &rec), -ENOENT);
	o = sem(32768, 0, t / 1000000000);
	o.kind = IPCADM_MSG;
	assert_int_equal(ipcadm_journal_find(j, &o, NS, &rec), -ENOENT);

	/* removed: no longer matched, even in the same second */
	f = made(32768, 0, t + 1000);
	f.call = IPCADM_CALL_SEMCTL;
	f.id = 32768;
	f.ret = 0;
	assert_int_equal(ipcadm_journal_record(j, &f), 1);
	o = sem(32768, 0, t / 1000000000);
	assert_int_equal(ipcadm_journal_find(j, &o, NS, &rec), -ENOENT);
	assert_int_equal(ipcadm_journal_run(j, true), 0);
	ipcadm_journal_close(j);

	/* read back by a reader */
	assert_int_equal(ipcadm_journal_open(path, false, &j, &fault), 0);
	assert_int_equal(ipcadm_journal_find(j, &o, NS, &rec), -ENOENT);
	ipcadm_journal_close(j);
	assert_int_equal(count_rows("removed_ns IS NOT NULL"), 1);
}

static void test_prune(void **state)
{
	struct ipcadm_journal *j;
	enum ipcadm_file_fault fault;
	struct ipcadm_journal_rec rec;
	int64_t t = now_ns();
	struct ipcadm_trace_event e;
	struct ipcadm_obj o;
	struct stat st;

	(void)state;
	assert_int_equal(ipcadm_journal_open(path, true, &j, &fault), 0);
	/* one removed an hour ago, one removed now, one live */
	e = made(1, 0, t - 7200000000000LL);
	assert_int_equal(ipcadm_journal_record(j, &e), 1);
	e.call = IPCADM_CALL_SEMCTL;
	e.id = 1;
	e.ret = 0;
	e.time_ns = t - 3600000000000LL;
	assert_int_equal(ipcadm_journal_record(j, &e), 1);
	e = made(2, 0, t);
	assert_int_equal(ipcadm_journal_record(j, &e), 1);
	e.call = IPCADM_CALL_SEMCTL;
	e.id = 2;
	e.ret = 0;
	assert_int_equal(ipcadm_journal_record(j, &e), 1);
	e = made(3, 0, t);
	assert_int_equal(ipcadm_journal_record(j, &e), 1);
	/* a retention of 30 minutes: only the one removed an hour ago goes */
	assert_int_equal(ipcadm_journal_prune(j, 1800, 1ULL << 30), 0);
	assert_int_equal(count_rows("objid = 1"), 0);
	assert_int_equal(count_rows("objid = 2"), 1);
	assert_int_equal(count_rows("objid = 3"), 1);

	/* a size bound: thousands of live records, then 64K: the newest stays */
	for (int i = 0; i < 3000; i++) {
		e = made(100 + i, 0, t - (3000 - i) * 1000000000LL);
		assert_int_equal(ipcadm_journal_record(j, &e), 1);
	}
	assert_int_equal(ipcadm_journal_prune(j, 1800, 65536), 0);
	assert_true(count_rows("1") < 1000);
	assert_int_equal(count_rows("objid = 2"), 0); /* the removed go first */
	o = sem(100 + 2999, 0, (t - 1000000000LL) / 1000000000);
	assert_int_equal(ipcadm_journal_find(j, &o, NS, &rec), 0);
	ipcadm_journal_close(j);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size <= 65536 + 4096);
}

static void test_refused(void **state)
{
	struct ipcadm_journal *j = (void *)1;
	enum ipcadm_file_fault fault;
	char link[160], sub[160], inside[192];

	(void)state;
	snprintf(link, sizeof(link), "%s/link.db", dir);
	assert_int_equal(symlink("journal.db", link), 0);
	assert_int_equal(ipcadm_journal_open(link, true, &j, &fault), -ELOOP);
	assert_null(j);
	assert_int_equal(ipcadm_journal_open(link, false, &j, &fault), -ELOOP);
	if (geteuid() != 0)
		return; /* the ownership checks are root's */
	snprintf(sub, sizeof(sub), "%s/tmp", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(chmod(sub, 01777), 0);
	snprintf(inside, sizeof(inside), "%s/j.db", sub);
	assert_int_equal(ipcadm_journal_open(inside, true, &j, &fault), 0);
	assert_int_equal(fault, IPCADM_FILE_UNSAFE_PARENT);
	assert_null(j);
	assert_int_equal(access(inside, F_OK), -1);
}

static void test_unit(void **state)
{
	char u[128];

	(void)state;
	ipcadm_cgroup_unit("/system.slice/apache2.service", u, sizeof(u));
	assert_string_equal(u, "apache2.service");
	ipcadm_cgroup_unit("/system.slice/docker-0123abcd.scope", u, sizeof(u));
	assert_string_equal(u, "docker-0123abcd.scope");
	ipcadm_cgroup_unit("/user.slice/user-1000.slice/user@1000.service/app.slice/x.service",
			   u, sizeof(u));
	assert_string_equal(u, "x.service");
	ipcadm_cgroup_unit("/system.slice/foo.service/sub", u, sizeof(u));
	assert_string_equal(u, "foo.service");
	ipcadm_cgroup_unit("/", u, sizeof(u));
	assert_string_equal(u, "");
	ipcadm_cgroup_unit("", u, sizeof(u));
	assert_string_equal(u, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_record_and_find, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test(test_unit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
