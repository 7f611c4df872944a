/* test-procparse.c: the /proc/PID parsers: stat with odd command names, status uids,
 * SysV lines of maps, syscall lines, btime; malformed input is an error. */
#include "fixture.h"

#include <errno.h>

#include "procparse.h"

static void test_stat(void **state)
{
	const char line[] = "4242 (a) b (c)) S 1 4242 4242 0 -1 4194560 10 0 0 0 1 2 0 0 20 0 3 0 "
			    "123456 1000 100 18446744073709551615\n";
	struct proc_stat st;

	(void)state;
	assert_int_equal(procparse_stat(line, sizeof(line) - 1, &st), 0);
	assert_int_equal(st.pid, 4242);
	assert_string_equal(st.comm, "a) b (c)");
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.ppid, 1);
	assert_int_equal(st.session, 4242);
	assert_int_equal(st.num_threads, 3);
	assert_int_equal(st.starttime, 123456);
	assert_int_equal(procparse_stat("4242 (x) S 1\n", 13, &st), -EBADMSG);
	assert_int_equal(procparse_stat("(x) S", 5, &st), -EBADMSG);
	assert_int_equal(procparse_stat("", 0, &st), -EBADMSG);
}

static void test_status(void **state)
{
	const char s[] = "Name:\tx\nPid:\t5\nUid:\t1000\t0\t7\t0\nGid:\t1\t1\t1\t1\n";
	uid_t r, e, su;

	(void)state;
	assert_int_equal(procparse_status_uids(s, sizeof(s) - 1, &r, &e, &su), 0);
	assert_int_equal(r, 1000);
	assert_int_equal(e, 0);
	assert_int_equal(su, 7);
	assert_int_equal(procparse_status_uids("Uid:\tx\n", 7, &r, &e, &su), -EBADMSG);
	assert_int_equal(procparse_status_uids("Name:\tx\n", 8, &r, &e, &su), -EBADMSG);
}

static void test_status_groups(void **state)
{
	const char s[] = "Uid:\t1\t1\t1\t1\nGid:\t100\t101\t102\t101\nFDSize:\t64\n"
			 "Groups:\t4 24 4343 \nNStgid:\t5\n";
	gid_t r, e, sg, v[2];

	(void)state;
	assert_int_equal(procparse_status_gids(s, sizeof(s) - 1, &r, &e, &sg), 0);
	assert_int_equal(r, 100);
	assert_int_equal(e, 101);
	assert_int_equal(sg, 102);
	/* counted whole, stored up to the room given */
	assert_int_equal(procparse_status_groups(s, sizeof(s) - 1, NULL, 0), 3);
	assert_int_equal(procparse_status_groups(s, sizeof(s) - 1, v, 2), 3);
	assert_int_equal(v[0], 4);
	assert_int_equal(v[1], 24);
	/* none: the kernel writes a space after the tab */
	assert_int_equal(procparse_status_groups("Groups:\t \n", 10, v, 2), 0);
	assert_int_equal(procparse_status_groups("Groups:\t\n", 9, v, 2), 0);
	/* a line cut short by the end of the buffer may have lost groups */
	assert_int_equal(procparse_status_groups("Groups:\t4 24", 12, v, 2), -EBADMSG);
	assert_int_equal(procparse_status_groups("Groups:\t4 x\n", 12, v, 2), -EBADMSG);
	assert_int_equal(procparse_status_groups("Groups:\t4 4294967296\n", 21, v, 2),
			 -EBADMSG);
	assert_int_equal(procparse_status_groups("Name:\tx\n", 8, v, 2), -EBADMSG);
	assert_int_equal(procparse_status_gids("Gid:\t1\t2\n", 9, &r, &e, &sg), -EBADMSG);
}

static void test_status_capeff(void **state)
{
	const char s[] = "Groups:\t4 \nCapInh:\t0000000000008000\nCapPrm:\t0000000000008000\n"
			 "CapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\n";
	uint64_t c = 7;

	(void)state;
	assert_int_equal(procparse_status_capeff(s, sizeof(s) - 1, &c), 0);
	assert_true(c == 0x000001ffffffffffULL);
	assert_int_equal(procparse_status_capeff("CapEff:\t0000000000008000\n", 25, &c), 0);
	assert_true(c == 0x8000);
	assert_int_equal(procparse_status_capeff("CapEff:\tFFFFFFFFFFFFFFFF\n", 25, &c), 0);
	assert_true(c == UINT64_MAX);
	/* strictly the kernel's %016llx: no line, a short, long or bad field, more fields,
	 * or a line cut short by the end of the buffer are no answer */
	c = 7;
	assert_int_equal(procparse_status_capeff("CapPrm:\t0000000000008000\n", 25, &c),
			 -EBADMSG);
	assert_int_equal(procparse_status_capeff("CapEff:\t8000\n", 13, &c), -EBADMSG);
	assert_int_equal(procparse_status_capeff("CapEff:\t00000000000080000\n", 26, &c),
			 -EBADMSG);
	assert_int_equal(procparse_status_capeff("CapEff:\t000000000000800x\n", 25, &c),
			 -EBADMSG);
	assert_int_equal(procparse_status_capeff("CapEff:\t0x00000000008000\n", 25, &c),
			 -EBADMSG);
	assert_int_equal(procparse_status_capeff("CapEff:\t0000000000008000 1\n", 27, &c),
			 -EBADMSG);
	assert_int_equal(procparse_status_capeff("CapEff:\t0000000000008000", 24, &c),
			 -EBADMSG);
	assert_int_equal(procparse_status_capeff("CapEff:\t\n", 9, &c), -EBADMSG);
	assert_true(c == 7);
}

static int collect(void *arg, const struct proc_sysv_map *m)
{
	struct proc_sysv_map *out = arg;

	*out = *m;
	return 0;
}

static void test_maps(void **state)
{
	const char maps[] = "55d0a0000000-55d0a0001000 r-xp 00000000 fd:01 1234 /usr/bin/x\n"
			    "7f0000000000-7f0000002000 r--s 00000000 00:01 32769   "
			    "/SYSV0000abcd (deleted)\n"
			    "7f0000003000-7f0000004000 rw-p 00000000 00:00 0\n";
	struct proc_sysv_map m;

	(void)state;
	assert_int_equal(procparse_maps_sysv(maps, sizeof(maps) - 1, collect, &m), 1);
	assert_int_equal(m.inode, 32769);
	assert_int_equal(m.key, 0xabcd);
	assert_false(m.writable);
	assert_int_equal(m.dev_major, 0);
	assert_int_equal(m.dev_minor, 1);
	assert_int_equal(procparse_maps_sysv("x /SYSV1\n", 9, collect, &m), -EBADMSG);
	assert_int_equal(procparse_maps_sysv("", 0, collect, &m), 0);
}

static void test_syscall(void **state)
{
	uint64_t args[6];
	long nr;

	(void)state;
	assert_int_equal(procparse_syscall("running\n", 8, &nr, args), 0);
	assert_int_equal(procparse_syscall("-1 0x7ffd 0x7f00\n", 17, &nr, args), 0);
	assert_int_equal(procparse_syscall("220 0x8001 0x7ffd0 0x1 0x0 0x0 0x0 0x7ffd 0x7f\n", 47,
					   &nr, args),
			 1);
	assert_int_equal(nr, 220);
	assert_int_equal(args[0], 0x8001);
	assert_int_equal(args[2], 1);
	assert_int_equal(procparse_syscall("220 0x1 zz\n", 11, &nr, args), -EBADMSG);
	assert_int_equal(procparse_syscall("", 0, &nr, args), -EBADMSG);
}

static void test_btime(void **state)
{
	int64_t b;

	(void)state;
	assert_int_equal(procparse_btime("cpu 1\nbtime 1700000000\nx 1\n", 27, &b), 0);
	assert_int_equal(b, 1700000000);
	assert_int_equal(procparse_btime("cpu 1\n", 6, &b), -EBADMSG);
}

static void test_proc_hidepid(void **state)
{
	const char mi[] = "22 1 0:5 / /dev rw,nosuid - devtmpfs udev rw,size=1k\n"
			  "24 22 0:22 / /proc rw,nosuid,nodev shared:12 - proc proc rw\n"
			  "40 24 0:40 / /proc rw - proc proc rw,hidepid=invisible\n"
			  "41 24 0:41 / /proc rw - proc proc rw,hidepid=2,gid=10\n"
			  "42 24 0:42 / /proc rw - proc proc rw,hidepid=off\n"
			  "43 24 0:43 / /proc rw - proc proc rw,hidepid=0,gid=x\n"
			  "44 22 0:44 / /x rw - tmpfs tmpfs rw\n";
	int64_t gid = 7;

	(void)state;
	assert_int_equal(procparse_proc_hidepid(mi, sizeof(mi) - 1, 24, &gid), 0);
	assert_int_equal(gid, -1);
	assert_int_equal(procparse_proc_hidepid(mi, sizeof(mi) - 1, 40, &gid), 1);
	assert_int_equal(procparse_proc_hidepid(mi, sizeof(mi) - 1, 41, &gid), 1);
	assert_int_equal(gid, 10);
	assert_int_equal(procparse_proc_hidepid(mi, sizeof(mi) - 1, 42, &gid), 0);
	assert_int_equal(procparse_proc_hidepid(mi, sizeof(mi) - 1, 43, &gid), 0);
	assert_int_equal(gid, -1);
	assert_int_equal(procparse_proc_hidepid(mi, sizeof(mi) - 1, 44, &gid), -EBADMSG);
	assert_int_equal(procparse_proc_hidepid(mi, sizeof(mi) - 1, 99, &gid), -ENOENT);
	assert_int_equal(procparse_proc_hidepid("", 0, 1, &gid), -ENOENT);
	assert_int_equal(procparse_proc_hidepid("1 2 3 4 5 6 -\n", 14, 1, &gid), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat),	cmocka_unit_test(test_status),
		cmocka_unit_test(test_status_groups),
		cmocka_unit_test(test_status_capeff),
		cmocka_unit_test(test_maps),	cmocka_unit_test(test_syscall),
		cmocka_unit_test(test_btime),	cmocka_unit_test(test_proc_hidepid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
