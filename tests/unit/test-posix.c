/* test-posix.c: the POSIX IPC parsers (queue file, mountinfo, fd links, maps) on buffers,
 * and a fixture tree read as a snapshot: names, kinds, queue attributes, holders, verdicts. */
#include "fixture.h"
#include "posix-names.h"

#include <errno.h>

#include "posixparse.h"

static void test_mqueue_line(void **state)
{
	static const char line[] = "QSIZE:11         NOTIFY:2     SIGNO:10    NOTIFY_PID:4242  \n";
	struct mq_file_info mi;

	(void)state;
	assert_int_equal(posixparse_mqueue(line, sizeof(line) - 1, &mi), 0);
	assert_int_equal(mi.qsize, 11);
	assert_int_equal(mi.notify, 2);
	assert_int_equal(mi.signo, 10);
	assert_int_equal(mi.notify_pid, 4242);
	/* a key a later kernel adds is skipped; the order does not matter */
	assert_int_equal(posixparse_mqueue("NOTIFY_PID:0 NEW:7 QSIZE:0", 26, &mi), 0);
	assert_int_equal(mi.qsize, 0);
	assert_int_equal(posixparse_mqueue("QSIZE:11", 8, &mi), -EBADMSG);
	assert_int_equal(posixparse_mqueue("QSIZE:x NOTIFY_PID:0", 20, &mi), -EBADMSG);
	assert_int_equal(posixparse_mqueue("QSIZE:-1 NOTIFY_PID:0", 21, &mi), -EBADMSG);
	assert_int_equal(posixparse_mqueue("QSIZE NOTIFY_PID:0", 18, &mi), -EBADMSG);
	assert_int_equal(posixparse_mqueue("", 0, &mi), -EBADMSG);
}

static void test_mountinfo(void **state)
{
	static const char mi[] =
		"22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
		"garbage\n"
		"30 22 0:5 / /dev rw shared:2 - devtmpfs udev rw,size=10m\n"
		"41 30 0:40 / /my\\040queues rw,relatime master:7 shared:9 - mqueue mqueue rw\n"
		"42 30 0:41 / /dev/mqueue rw - mqueue mqueue rw\n";
	char mnt[64];

	(void)state;
	assert_int_equal(posixparse_mountinfo(mi, sizeof(mi) - 1, "mqueue", mnt, sizeof(mnt)), 0);
	assert_string_equal(mnt, "/my queues"); /* the first, unescaped */
	assert_int_equal(posixparse_mountinfo(mi, sizeof(mi) - 1, "devtmpfs", mnt, sizeof(mnt)),
			 0);
	assert_string_equal(mnt, "/dev");
	assert_int_equal(posixparse_mountinfo(mi, sizeof(mi) - 1, "tmpfs", mnt, sizeof(mnt)),
			 -ENOENT);
	/* an fstype that is only a source or an option does not count */
	assert_int_equal(posixparse_mountinfo(mi, sizeof(mi) - 1, "udev", mnt, sizeof(mnt)),
			 -ENOENT);
	assert_int_equal(posixparse_mountinfo(mi, sizeof(mi) - 1, "mqueue", mnt, 5),
			 -ENAMETOOLONG);
	assert_int_equal(posixparse_mountinfo("", 0, "mqueue", mnt, sizeof(mnt)), -ENOENT);
}

static void test_fd_links(void **state)
{
	size_t n;

	(void)state;
	assert_int_equal(posixparse_fd_link("/dev/shm/psm_1", 14, &n), FD_LINK_PATH);
	assert_int_equal(n, 14);
	assert_int_equal(posixparse_fd_link("/jobs", 5, &n), FD_LINK_PATH); /* an mq_open fd */
	assert_int_equal(posixparse_fd_link("/dev/shm/x (deleted)", 20, &n), FD_LINK_DELETED);
	assert_int_equal(n, 10);
	assert_int_equal(posixparse_fd_link("socket:[123]", 12, &n), FD_LINK_OTHER);
	assert_int_equal(posixparse_fd_link("anon_inode:[eventfd]", 20, &n), FD_LINK_OTHER);
	assert_int_equal(posixparse_fd_link("pipe:[9]", 8, &n), FD_LINK_OTHER);
	assert_int_equal(posixparse_fd_link("", 0, &n), FD_LINK_OTHER);
	assert_int_equal(posixparse_fd_link(" (deleted)", 10, &n), FD_LINK_OTHER);
}

struct seen {
	struct proc_file_map m[8];
	char path[8][64];
	int n;
};

static int on_map(void *arg, const struct proc_file_map *m)
{
	struct seen *s = arg;

	if (s->n < 8) {
		s->m[s->n] = *m;
		snprintf(s->path[s->n], sizeof(s->path[0]), "%.*s", (int)m->pathlen, m->path);
		s->n++;
	}
	return 0;
}

static void test_maps(void **state)
{
	static const char maps[] =
		"7f00-7f02 rw-s 00000000 00:1a 12345                      /dev/shm/psm_ab\n"
		"7f03-7f04 r--s 00000000 103:05 77 /dev/shm/sem.x\n"
		"7f05-7f06 rw-p 00000000 00:00 0 \n"
		"7f07-7f08 r-xp 00001000 fd:01 4242 /usr/lib/with space (deleted)\n"
		"\n";
	struct seen s = { 0 };

	(void)state;
	assert_int_equal(posixparse_maps(maps, sizeof(maps) - 1, on_map, &s), 3);
	assert_int_equal(s.n, 3);
	assert_true(s.m[0].writable && s.m[0].shared);
	assert_int_equal(s.m[0].dev_major, 0);
	assert_int_equal(s.m[0].dev_minor, 0x1a);
	assert_int_equal(s.m[0].inode, 12345);
	assert_string_equal(s.path[0], "/dev/shm/psm_ab");
	assert_false(s.m[1].writable);
	assert_int_equal(s.m[1].dev_major, 0x103);
	assert_int_equal(s.m[2].dev_major, 0xfd);
	assert_string_equal(s.path[2], "/usr/lib/with space (deleted)");
	assert_int_equal(posixparse_maps("7f00-7f02 rw-s 0 zz:1a 1 /x\n", 27, on_map, &s),
			 -EBADMSG);
	assert_int_equal(posixparse_maps("7f00-7f02 rw-s 0 00:1a x1 /x\n", 28, on_map, &s),
			 -EBADMSG);
	assert_int_equal(posixparse_maps("7f00", 4, on_map, &s), -EBADMSG);
}

static void test_fixture(void **state)
{
	struct ipcadm_ctx *ctx = fixture_ctx("posix");
	struct ipcadm_snapshot *snap;
	struct ipcadm_analysis *an;
	const struct ipcadm_holder *h;
	const struct ipcadm_obj *o;
	const char *ev;

	(void)state;
	ipcadm_ctx_set_all_visible(ctx, true); /* the fixture's PID namespace is not the host's */
	assert_int_equal(ipcadm_snapshot_read(ctx, IPCADM_POSIX_KINDS, 0, &snap), 0);
	assert_int_equal(ipcadm_snapshot_count(snap, IPCADM_PSHM), 2); /* not sem.*, not sub/ */
	assert_string_equal(ipcadm_snapshot_obj(snap, IPCADM_PSHM, 0)->name, "idle1");
	o = ipcadm_snapshot_find_name(snap, IPCADM_PSHM, "seg");
	assert_non_null(o);
	assert_int_equal(o->size, 10);
	assert_int_equal(o->id, -1);
	assert_int_equal(ipcadm_snapshot_count(snap, IPCADM_PSEM), 1);
	assert_string_equal(ipcadm_snapshot_obj(snap, IPCADM_PSEM, 0)->name, "lock");
	assert_int_equal(ipcadm_snapshot_count(snap, IPCADM_PMQ), 2);
	o = ipcadm_snapshot_find_name(snap, IPCADM_PMQ, "jobs");
	assert_int_equal(o->cbytes, 11);
	assert_int_equal(o->notify_pid, 200);
	assert_int_equal(o->qnum, IPCADM_UNKNOWN);
	assert_int_equal(ipcadm_snapshot_posix_limits(snap)->queues, 2);
	assert_null(ipcadm_snapshot_find_name(snap, IPCADM_PSHM, "sem.lock"));
	assert_null(ipcadm_snapshot_find_name(snap, IPCADM_SHM, "seg"));

	assert_int_equal(ipcadm_analyze(ctx, snap, 0, &an), 0);
	o = ipcadm_snapshot_find_name(snap, IPCADM_PSHM, "seg");
	assert_int_equal(ipcadm_analysis_verdict(an, o, &ev), IPCADM_IN_USE);
	assert_int_equal(ipcadm_analysis_holders(an, o, &h), 1);
	assert_int_equal(h[0].pid, 200);
	assert_int_equal(h[0].how, IPCADM_HOLD_ATTACHED_RW);
	o = ipcadm_snapshot_find_name(snap, IPCADM_PSEM, "lock");
	assert_int_equal(ipcadm_analysis_verdict(an, o, NULL), IPCADM_IN_USE);
	assert_int_equal(ipcadm_analysis_holders(an, o, &h), 1);
	assert_int_equal(h[0].pid, 300);
	o = ipcadm_snapshot_find_name(snap, IPCADM_PMQ, "jobs");
	assert_int_equal(ipcadm_analysis_verdict(an, o, NULL), IPCADM_IN_USE);
	assert_int_equal(ipcadm_analysis_holders(an, o, &h), 1);
	assert_int_equal(h[0].how, IPCADM_HOLD_OPEN);
	o = ipcadm_snapshot_find_name(snap, IPCADM_PMQ, "lonely");
	assert_int_equal(ipcadm_analysis_verdict(an, o, &ev), IPCADM_IDLE);
	assert_non_null(strstr(ev, "its name is its key"));
	o = ipcadm_snapshot_find_name(snap, IPCADM_PSHM, "idle1");
	assert_int_equal(ipcadm_analysis_verdict(an, o, NULL), IPCADM_IDLE);
	assert_int_equal(ipcadm_analysis_holders(an, o, &h), 0);
	ipcadm_analysis_free(an);
	/* a copied tree is never changed */
	assert_int_equal(ipcadm_posix_remove(ctx, IPCADM_PSHM, "idle1", NULL), -EOPNOTSUPP);
	{
		const struct ipcadm_obj *objs[] = { o };
		int res[1] = { 1 };

		assert_int_equal(ipcadm_posix_remove_many(ctx, objs, 1, res), -EOPNOTSUPP);
		assert_int_equal(res[0], 1); /* untouched: none tried */
	}
	ipcadm_snapshot_free(snap);
	ipcadm_ctx_free(ctx);
}

static void test_names(void **state)
{
	(void)state;
	assert_true(ipcadm_posix_name_valid("psm_0af3"));
	assert_false(ipcadm_posix_name_valid(""));
	assert_false(ipcadm_posix_name_valid("a/b"));
	assert_false(ipcadm_posix_name_valid(".."));
	assert_int_equal(ipcadm_kind_parse("pmq"), IPCADM_PMQ);
	assert_string_equal(ipcadm_kind_name(IPCADM_PSEM), "psem");
	assert_true(IPCADM_IS_POSIX(IPCADM_PSHM));
	assert_false(IPCADM_IS_POSIX(IPCADM_MSG));
	assert_false(IPCADM_IS_POSIX(-1));
}

/* names.conf: the admin's rules come before the built-in ones; malformed lines are named. */
static void test_names_conf(void **state)
{
	static const char conf[] = "# generated names\n"
				   "pshm,psem jack-* jackd comm=jackd maps=libjack\n"
				   "  pshm psm_* mypy exe=python3*\n";
	static const char *const bad[] = {
		"pshm x\n", /* too few fields */
		"shm x prog\n", /* not a POSIX kind */
		"pshm x prog comm=a comm=b\n", /* a field twice */
		"pshm x prog user=a\n", /* an unknown field */
		"pshm x prog comm=\n", /* an empty one */
	};
	struct name_rules rs = { 0 };
	const struct name_rule *r;
	size_t line = 0;

	(void)state;
	assert_int_equal(name_rules_parse(conf, sizeof(conf) - 1, &rs, &line), 0);
	assert_int_equal(rs.n, 2);
	r = name_rules_match(&rs, IPCADM_PSEM, "jack-sem");
	assert_non_null(r);
	assert_string_equal(r->program, "jackd");
	assert_string_equal(r->maps, "libjack");
	assert_null(name_rules_match(&rs, IPCADM_PMQ, "jack-q"));
	r = name_rules_match(&rs, IPCADM_PSHM, "psm_0123abcd"); /* the admin's rule first */
	assert_string_equal(r->program, "mypy");
	name_rules_release(&rs);
	/* the built-in rules: CPython's names, exactly */
	assert_string_equal(name_rules_match(&rs, IPCADM_PSHM, "psm_0123abcd")->program, "python");
	assert_null(name_rules_match(&rs, IPCADM_PSHM, "psm_0123abc"));
	assert_null(name_rules_match(&rs, IPCADM_PSHM, "psm_0123ABCD"));
	assert_null(name_rules_match(&rs, IPCADM_PSEM, "psm_0123abcd"));
	assert_non_null(name_rules_match(&rs, IPCADM_PSEM, "mp-ab_9z0cd"));
	assert_null(name_rules_match(&rs, IPCADM_PSEM, "mp-ab-9z0cd"));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char buf[128];
		int n = snprintf(buf, sizeof(buf), "# ok\npmq q* app\n%s", bad[i]);

		memset(&rs, 0, sizeof(rs));
		assert_int_equal(name_rules_parse(buf, (size_t)n, &rs, &line), -EBADMSG);
		assert_int_equal(line, 3);
		name_rules_release(&rs);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mqueue_line), cmocka_unit_test(test_mountinfo),
		cmocka_unit_test(test_fd_links),    cmocka_unit_test(test_maps),
		cmocka_unit_test(test_fixture),	    cmocka_unit_test(test_names),
		cmocka_unit_test(test_names_conf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
