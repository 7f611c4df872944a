/* test-procscan.c: the process table on the fixture tree tests/fixtures/procscan: PIDs
 * listed first and read on demand, a process that vanished, maps read as text, hidepid,
 * a container's PID 1 and PID 2. */
#include "fixture.h"

#include <errno.h>
#include <unistd.h>

#include "procscan.h"

struct seen {
	int n;
	struct proc_sysv_map m[4];
};

static int collect(void *arg, const struct proc_sysv_map *m)
{
	struct seen *s = arg;

	if (s->n < 4)
		s->m[s->n++] = *m;
	return 0;
}

static void test_listed_then_loaded(void **state)
{
	struct ipcadm_ctx *ctx = fixture_ctx("procscan");
	struct procs ps;
	struct proc *p;

	(void)state;
	assert_int_equal(procs_scan(ctx, &ps), 0);
	assert_int_equal(ps.n, 4); /* 1, 2, 10, 20: directories, not yet read */
	assert_false(ps.hidden);
	assert_true(ps.pid1_is_init); /* no PID namespace to read: PID 2 is kthreadd */
	assert_int_equal(ps.btime, 1700000000);
	assert_int_equal(ps.self_ipcns, 4026532000UL);
	p = procs_find(&ps, 10);
	assert_non_null(p);
	assert_int_equal(p->loaded, 0);
	assert_string_equal(p->comm, "");

	assert_int_equal(proc_load(&ps, p, PROC_UIDS), 0);
	assert_int_equal(p->loaded, PROC_STAT | PROC_UIDS); /* stat always comes first */
	assert_string_equal(p->comm, "post gres");
	assert_int_equal(p->ppid, 1);
	assert_int_equal(p->num_threads, 3);
	assert_int_equal(p->start_ms, 1700000000000LL + 250 * 1000 / sysconf(_SC_CLK_TCK));
	assert_true(p->uids_known);
	assert_int_equal(p->ruid, 1000);
	assert_int_equal(p->euid, 1001);
	assert_int_equal(p->ipcns, 0); /* not asked for yet */
	assert_int_equal(proc_load(&ps, p, PROC_NS), 0);
	assert_int_equal(p->ipcns, 4026532000UL);
	assert_false(p->kthread);

	p = procs_find(&ps, 2);
	assert_int_equal(proc_load(&ps, p, PROC_ALL), 0);
	assert_true(p->kthread);
	assert_false(p->uids_known); /* no status: kept, uids unknown */
	procs_release(&ps);
	ipcadm_ctx_free(ctx);
}

static void test_vanished_process(void **state)
{
	struct ipcadm_ctx *ctx = fixture_ctx("procscan");
	struct procs ps;
	struct proc *p;

	(void)state;
	assert_int_equal(procs_scan(ctx, &ps), 0);
	p = procs_find(&ps, 20); /* listed, but its stat cannot be read */
	assert_non_null(p);
	assert_int_equal(proc_load(&ps, p, PROC_STAT), -ENOENT);
	assert_true(p->gone);
	assert_null(procs_find(&ps, 20));
	assert_int_equal(proc_load(&ps, p, PROC_ALL), -ENOENT);
	procs_load_all(&ps, PROC_ALL);
	assert_null(procs_find(&ps, 20));
	assert_non_null(procs_find(&ps, 1));
	assert_null(procs_find(&ps, 3));
	assert_null(procs_find(&ps, 0));
	procs_release(&ps);
	ipcadm_ctx_free(ctx);
}

static void test_maps_as_text(void **state)
{
	struct ipcadm_ctx *ctx = fixture_ctx("procscan");
	struct seen s = { 0 };
	struct proc_buf buf = { 0 };
	struct procs ps;

	(void)state;
	assert_int_equal(procs_scan(ctx, &ps), 0);
	/* A regular file has no PROCMAP_QUERY: the text is parsed instead. */
	assert_int_equal(proc_read_maps(ctx, &ps, procs_find(&ps, 10), &buf, collect, &s), 0);
	assert_true(ps.no_query);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.m[0].inode, 32769);
	assert_int_equal(s.m[0].key, 0xabcd);
	assert_true(s.m[0].writable);
	assert_int_equal(s.m[1].inode, 5);
	assert_int_equal(s.m[1].key, 0);
	assert_false(s.m[1].writable);
	s.n = 0;
	/* a process need not be loaded to have its maps read */
	assert_int_equal(proc_read_maps(ctx, &ps, procs_find(&ps, 20), &buf, collect, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(proc_read_maps(ctx, &ps, procs_find(&ps, 1), &buf, collect, &s), -ENOENT);
	free(buf.p);
	procs_release(&ps);
	ipcadm_ctx_free(ctx);
}

static void test_hidepid(void **state)
{
	struct ipcadm_ctx *ctx = fixture_ctx("procscan-hidden");
	struct procs ps;

	(void)state;
	assert_int_equal(procs_scan(ctx, &ps), 0);
	assert_true(ps.hidden); /* PID 1 is not listed */
	procs_release(&ps);
	ipcadm_ctx_free(ctx);
}

/* A container's /proc: PID 1 is the application, PID 2 and its children are ordinary. */
static void test_container(void **state)
{
	struct ipcadm_ctx *ctx = fixture_ctx("procscan-container");
	struct procs ps;

	(void)state;
	assert_int_equal(procs_scan(ctx, &ps), 0);
	assert_false(ps.hidden);
	assert_false(ps.pid1_is_init); /* 1/ns/pid is not the initial PID namespace */
	procs_load_all(&ps, PROC_STAT);
	for (pid_t pid = 1; pid <= 3; pid++) {
		assert_non_null(procs_find(&ps, pid));
		assert_false(procs_find(&ps, pid)->kthread);
	}
	assert_int_equal(procs_find(&ps, 3)->ppid, 2);
	procs_release(&ps);
	ipcadm_ctx_free(ctx);
}

static void test_sysv_name(void **state)
{
	const char *ok[] = { "/SYSV0000abcd (deleted)", "/SYSVffffffff", "/SYSV00000000 (deleted)" };
	const char *bad[] = { "/SYSV0000abc", "/SYSVxyz00000", "/dev/zero (deleted)", "SYSV00000001x",
			      "" };
	uint32_t key = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_int_equal(procparse_sysv_name(ok[i], strlen(ok[i]), &key), 0);
	assert_int_equal(key, 0);
	assert_int_equal(procparse_sysv_name(ok[0], strlen(ok[0]), &key), 0);
	assert_int_equal(key, 0xabcd);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(procparse_sysv_name(bad[i], strlen(bad[i]), &key), -EINVAL);
	/* the length bounds the name: no reading past it */
	assert_int_equal(procparse_sysv_name("/SYSV0000abcd", 12, &key), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listed_then_loaded),
		cmocka_unit_test(test_vanished_process),
		cmocka_unit_test(test_maps_as_text),
		cmocka_unit_test(test_hidepid),
		cmocka_unit_test(test_container),
		cmocka_unit_test(test_sysv_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
