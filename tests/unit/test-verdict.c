/* test-verdict.c: verdicts on the fixture tree tests/fixtures/holders: maps in and out of
 * the namespace, waiters (an i386 one too), PID reuse, clock steps, possible holders and
 * late daemons. */
#include "fixture.h"

#include <errno.h>
#include <signal.h>

/* A copied tree's PIDs are not this machine's: the library must never ask the kernel
 * about them. This kill() replaces libc's in this program and counts the calls. */
static int kill_calls;

int kill(pid_t pid, int sig)
{
	(void)pid;
	(void)sig;
	kill_calls++;
	return 0; /* "alive": a call would show in the verdicts too */
}

struct fx {
	struct ipcadm_ctx *ctx;
	struct ipcadm_snapshot *snap;
	struct ipcadm_analysis *an;
};

static int setup(void **state)
{
	static struct fx fx;

	fx.ctx = fixture_ctx("holders");
	/* the fixture runs in a PID namespace of its own (pid:[4026532001]) */
	ipcadm_ctx_set_all_visible(fx.ctx, true);
	assert_int_equal(ipcadm_snapshot_read(fx.ctx, IPCADM_SYSV_KINDS, 0, &fx.snap), 0);
	assert_int_equal(ipcadm_analyze(fx.ctx, fx.snap, 0, &fx.an), 0);
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	ipcadm_analysis_free(fx->an);
	ipcadm_snapshot_free(fx->snap);
	ipcadm_ctx_free(fx->ctx);
	return 0;
}

static enum ipcadm_verdict verdict(struct fx *fx, enum ipcadm_kind kind, int id,
				   const char **evidence)
{
	const struct ipcadm_obj *o = ipcadm_snapshot_find(fx->snap, kind, id);

	assert_non_null(o);
	return ipcadm_analysis_verdict(fx->an, o, evidence);
}

static void test_attached_segment(void **state)
{
	struct fx *fx = *state;
	const struct ipcadm_holder *h;
	const char *ev;
	size_t n;

	assert_int_equal(verdict(fx, IPCADM_SHM, 0, &ev), IPCADM_IN_USE);
	n = ipcadm_analysis_holders(fx->an, ipcadm_snapshot_find(fx->snap, IPCADM_SHM, 0), &h);
	assert_int_equal(n, 1); /* two mappings of one process make one holder */
	assert_int_equal(h[0].pid, 200);
	assert_string_equal(h[0].comm, "postgres");
	assert_int_equal(h[0].nmaps, 2);
	assert_true(h[0].how & IPCADM_HOLD_ATTACHED_RW);
	assert_true(h[0].how & IPCADM_HOLD_ATTACHED_RO);
	assert_true(h[0].how & IPCADM_HOLD_CREATOR);
	assert_int_equal(h[0].uid, 1000);
	assert_int_equal(h[0].start_time, 1700000010);
}

static void test_other_namespace_mapping_ignored(void **state)
{
	struct fx *fx = *state;
	const struct ipcadm_holder *h;

	/* pid 400 maps a shmid 1 of another IPC namespace */
	assert_int_equal(ipcadm_analysis_holders(fx->an,
						 ipcadm_snapshot_find(fx->snap, IPCADM_SHM, 1), &h),
			 0);
}

static void test_pid_reuse(void **state)
{
	struct fx *fx = *state;
	const struct ipcadm_holder *h;
	const char *ev;

	/* sshd (uid 74) started after root's 0600 segment and has no permission to it */
	assert_int_equal(verdict(fx, IPCADM_SHM, 1, &ev), IPCADM_ORPHANED);
	assert_non_null(strstr(ev, "creator 300 exited (PID now reused by sshd, which started "
				   "after it and has no permission to use it)"));
	/* other-ns started after the segment and runs in another IPC namespace */
	assert_int_equal(verdict(fx, IPCADM_SHM, 5, &ev), IPCADM_ORPHANED);
	assert_non_null(strstr(ev, "creator 400 exited (PID now reused by other-ns, which "
				   "started after it and runs in another IPC namespace)"));
	/* waiter (uid 1000, the owner) started 15 s after by the clocks: not proof of reuse */
	assert_int_equal(verdict(fx, IPCADM_SHM, 4, &ev), IPCADM_MAYBE_IN_USE);
	assert_non_null(strstr(ev, "creator 500 is alive (waiter) but started 15 s after its "
				   "recorded use by the clocks; a clock step cannot be ruled out"));
	assert_int_equal(ipcadm_analysis_holders(fx->an,
						 ipcadm_snapshot_find(fx->snap, IPCADM_SHM, 4), &h),
			 1);
	assert_int_equal(h[0].pid, 500);
	assert_int_equal(h[0].how, IPCADM_HOLD_POSSIBLE);
}

static void test_copied_tree_never_signalled(void **state)
{
	struct fx *fx = *state;
	const char *ev;

	/* creator 999 is not in the tree: dead, by the tree alone */
	assert_int_equal(verdict(fx, IPCADM_SHM, 2, &ev), IPCADM_IDLE);
	assert_int_equal(kill_calls, 0);
}

static void test_keyed_idle_and_invisible_creator(void **state)
{
	struct fx *fx = *state;
	const char *ev;

	assert_int_equal(verdict(fx, IPCADM_SHM, 2, &ev), IPCADM_IDLE);
	assert_non_null(strstr(ev, "creator 999 exited"));
	assert_int_equal(verdict(fx, IPCADM_SHM, 3, &ev), IPCADM_UNKNOWN_VERDICT);
	assert_non_null(strstr(ev, "outside this PID namespace"));
}

static void test_waiters(void **state)
{
	struct fx *fx = *state;
	const struct ipcadm_holder *h;
	const char *ev;

	/* blocked in semtimedop: in use even though the values cannot be read here */
	assert_int_equal(verdict(fx, IPCADM_SEM, 0, &ev), IPCADM_IN_USE);
	assert_int_equal(ipcadm_analysis_holders(fx->an,
						 ipcadm_snapshot_find(fx->snap, IPCADM_SEM, 0), &h),
			 1);
	assert_int_equal(h[0].pid, 500);
	assert_int_equal(h[0].how, IPCADM_HOLD_WAITING);
	/* a second thread of pid 600 is blocked in msgsnd on queue 32768 */
	assert_int_equal(verdict(fx, IPCADM_MSG, 32768, &ev), IPCADM_IN_USE);
	assert_non_null(strstr(ev, "600 (threaded) waiting"));
#if defined(__x86_64__) || defined(__i386__)
	/* an i386 program (its exe's ELF header) in ipc(2) MSGRCV: the queue is its 2nd arg */
	assert_int_equal(verdict(fx, IPCADM_MSG, 5, &ev), IPCADM_IN_USE);
	assert_non_null(strstr(ev, "800 (waiter32) waiting"));
#endif
}

/* What bulk removal (ipcrm -a, rm --all) must leave: attached, or waited on. */
static void test_busy(void **state)
{
	struct fx *fx = *state;
	struct ipcadm_busy why;
	struct ipcadm_obj o;

	assert_true(ipcadm_obj_busy(fx->an, ipcadm_snapshot_find(fx->snap, IPCADM_SHM, 0), &why));
	assert_int_equal(why.how, IPCADM_BUSY_ATTACHED);
	assert_int_equal(why.count, 2);
	assert_false(ipcadm_obj_busy(fx->an, ipcadm_snapshot_find(fx->snap, IPCADM_SHM, 1), &why));
	assert_int_equal(why.how, IPCADM_BUSY_NO);
	/* a waiter found by the process scan, the array's values unread */
	assert_true(ipcadm_obj_busy(fx->an, ipcadm_snapshot_find(fx->snap, IPCADM_SEM, 0), &why));
	assert_int_equal(why.how, IPCADM_BUSY_WAITING);
	assert_int_equal(why.count, 1);
	assert_true(ipcadm_obj_busy(fx->an, ipcadm_snapshot_find(fx->snap, IPCADM_MSG, 32768),
				    &why));
	assert_int_equal(why.how, IPCADM_BUSY_WAITING);
	/* without the process table, the waiters the kernel counts on a semaphore */
	assert_false(ipcadm_obj_busy(NULL, ipcadm_snapshot_find(fx->snap, IPCADM_SEM, 0), &why));
	o = *ipcadm_snapshot_find(fx->snap, IPCADM_SEM, 0);
	o.sems = &(struct ipcadm_semval){ .ncnt = 2, .zcnt = 1 };
	o.nsems = 1;
	assert_true(ipcadm_obj_busy(NULL, &o, &why));
	assert_int_equal(why.how, IPCADM_BUSY_WAITING);
	assert_int_equal(why.count, 3);
}

static void test_possible_holders(void **state)
{
	struct fx *fx = *state;
	const char *ev;

	/* owner 1000's processes started before the queue: they may hold it */
	assert_int_equal(verdict(fx, IPCADM_MSG, 0, &ev), IPCADM_MAYBE_IN_USE);
	assert_non_null(strstr(ev, "200 (postgres) may hold it"));
	assert_null(strstr(ev, "(init)")); /* PID 1 never counts */
	/* nobody runs as 4242 */
	assert_int_equal(verdict(fx, IPCADM_MSG, 1, &ev), IPCADM_ORPHANED);
}

/* Outside the initial PID namespace, without --all-visible, nothing is judged by the
 * absence of a process: processes of other PID namespaces may share the IPC namespace. */
static void test_pidns_blind_spot(void **state)
{
	struct ipcadm_ctx *ctx = fixture_ctx("holders");
	struct ipcadm_snapshot *snap;
	struct ipcadm_analysis *an;
	const struct ipcadm_obj *o;
	const char *ev;

	(void)state;
	assert_int_equal(ipcadm_snapshot_read(ctx, IPCADM_SYSV_KINDS, 0, &snap), 0);
	assert_int_equal(ipcadm_analyze(ctx, snap, 0, &an), 0);
	o = ipcadm_snapshot_find(snap, IPCADM_MSG, 1); /* orphaned with --all-visible */
	assert_int_equal(ipcadm_analysis_verdict(an, o, &ev), IPCADM_UNKNOWN_VERDICT);
	assert_non_null(strstr(ev, "other PID namespaces"));
	assert_non_null(strstr(ev, "--all-visible"));
	o = ipcadm_snapshot_find(snap, IPCADM_SHM, 0); /* in use by its own evidence */
	assert_int_equal(ipcadm_analysis_verdict(an, o, &ev), IPCADM_IN_USE);
	ipcadm_analysis_free(an);
	ipcadm_snapshot_free(snap);
	ipcadm_ctx_free(ctx);
}

static void test_late_daemons(void **state)
{
	struct fx *fx = *state;
	const struct ipcadm_holder *h;
	const char *ev;

	/* daemon (uid 2000, parent PID 1) started 10 s after queue 2: it may hold it */
	assert_int_equal(verdict(fx, IPCADM_MSG, 2, &ev), IPCADM_MAYBE_IN_USE);
	assert_non_null(strstr(ev, "700 (daemon) may hold it; "));
	assert_non_null(strstr(ev, "1 daemon that may use it (parent exited, or another session) "
				   "started less than 60 s after it"));
	assert_int_equal(ipcadm_analysis_holders(fx->an,
						 ipcadm_snapshot_find(fx->snap, IPCADM_MSG, 2), &h),
			 1);
	assert_int_equal(h[0].how, IPCADM_HOLD_POSSIBLE);
	/* worker (uid 2001) started 10 s after queue 3, its parent alive in its session */
	assert_int_equal(verdict(fx, IPCADM_MSG, 3, &ev), IPCADM_ORPHANED);
	/* daemon started 70 s after queue 4: past the minute */
	assert_int_equal(verdict(fx, IPCADM_MSG, 4, &ev), IPCADM_ORPHANED);
}

/* Possible holders by the mode, as the kernel's ipcperms() lets processes use an object:
 * the group bits for members of its group (by any of the real, effective and saved gids,
 * or a supplementary group), the other bits for everyone. */
static void test_mode_holders(void **state)
{
	struct fx *fx = *state;
	const char *ev;

	/* grpworker's gid is the queue's group */
	assert_int_equal(verdict(fx, IPCADM_MSG, 6, &ev), IPCADM_MAYBE_IN_USE);
	assert_non_null(strstr(ev, "900 (grpworker) may hold it"));
	assert_non_null(strstr(ev, "1 live process that may use it started before it"));
	/* suppworker has it among its supplementary groups */
	assert_int_equal(verdict(fx, IPCADM_MSG, 7, &ev), IPCADM_MAYBE_IN_USE);
	assert_non_null(strstr(ev, "901 (suppworker) may hold it"));
	/* setids has it as its saved gid (setegid takes it back) */
	assert_int_equal(verdict(fx, IPCADM_MSG, 8, &ev), IPCADM_MAYBE_IN_USE);
	assert_non_null(strstr(ev, "902 (setids) may hold it"));
	/* ... and the owner's uid as its saved uid */
	assert_int_equal(verdict(fx, IPCADM_MSG, 9, &ev), IPCADM_MAYBE_IN_USE);
	assert_non_null(strstr(ev, "902 (setids) may hold it"));
	/* the other bits: every process that started before it */
	assert_int_equal(verdict(fx, IPCADM_MSG, 10, &ev), IPCADM_MAYBE_IN_USE);
	assert_null(strstr(ev, "(init)"));
	assert_null(strstr(ev, "(other-ns)"));
	assert_non_null(strstr(ev, "11 live processes that may use it started before it"));
	/* group bits, but nobody is in its group */
	assert_int_equal(verdict(fx, IPCADM_MSG, 11, &ev), IPCADM_ORPHANED);
}

/* CAP_IPC_OWNER, in the effective set of the status file, lets a process use any object
 * like root: capsvc (a service with ambient CAP_IPC_OWNER) may hold a 0600 queue of
 * another user, capnone (no capabilities) may not; a garbled or cut CapEff line counts
 * as the capability (the safe side). A copied tree has no namespaces to compare. */
static void test_cap_ipc_owner(void **state)
{
	struct fx *fx = *state;
	const char *ev;

	assert_int_equal(verdict(fx, IPCADM_MSG, 14, &ev), IPCADM_MAYBE_IN_USE);
	assert_non_null(strstr(ev, "905 (capsvc) may hold it"));
	assert_null(strstr(ev, "(capnone)"));
	assert_non_null(strstr(ev, "3 live processes that may use it started before it"));
}

/* The reuse rule asks the same question: stranger2 runs under the recorded sender's PID,
 * started after the send by the clocks, and may send by the other bits of one queue (a
 * clock step cannot be ruled out), not to the other (the PID was reused). */
static void test_mode_reuse(void **state)
{
	struct fx *fx = *state;
	const char *ev;

	assert_int_equal(verdict(fx, IPCADM_MSG, 12, &ev), IPCADM_MAYBE_IN_USE);
	assert_non_null(strstr(ev, "last sender 904 is alive (stranger2) but started 400 s "
				   "after its recorded use"));
	assert_int_equal(verdict(fx, IPCADM_MSG, 13, &ev), IPCADM_ORPHANED);
	assert_non_null(strstr(ev, "last sender 904 exited (PID now reused by stranger2, "
				   "which started after it and has no permission to use it)"));
}

/* Credentials are a thread's own: credthreads (uid 3900) has a thread running as 3800 in
 * group 3950, which /proc/PID/status of its main thread does not say. */
static void test_thread_creds(void **state)
{
	struct fx *fx = *state;
	const char *ev;

	/* the thread runs as the owner */
	assert_int_equal(verdict(fx, IPCADM_MSG, 20, &ev), IPCADM_MAYBE_IN_USE);
	assert_non_null(strstr(ev, "950 (credthreads) may hold it"));
	/* the thread is in its group */
	assert_int_equal(verdict(fx, IPCADM_MSG, 21, &ev), IPCADM_MAYBE_IN_USE);
	assert_non_null(strstr(ev, "950 (credthreads) may hold it"));
	/* no thread may use it */
	assert_int_equal(verdict(fx, IPCADM_MSG, 22, &ev), IPCADM_ORPHANED);
}

static void test_foreign_object(void **state)
{
	struct fx *fx = *state;
	struct ipcadm_obj o = { .kind = IPCADM_SHM, .id = 0 };
	const char *ev;

	assert_int_equal(ipcadm_analysis_verdict(fx->an, &o, &ev), IPCADM_UNKNOWN_VERDICT);
	assert_string_equal(ipcadm_verdict_name(IPCADM_MAYBE_IN_USE), "maybe-in-use");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attached_segment),
		cmocka_unit_test(test_other_namespace_mapping_ignored),
		cmocka_unit_test(test_pid_reuse),
		cmocka_unit_test(test_copied_tree_never_signalled),
		cmocka_unit_test(test_keyed_idle_and_invisible_creator),
		cmocka_unit_test(test_waiters),
		cmocka_unit_test(test_busy),
		cmocka_unit_test(test_possible_holders),
		cmocka_unit_test(test_pidns_blind_spot),
		cmocka_unit_test(test_late_daemons),
		cmocka_unit_test(test_mode_holders),
		cmocka_unit_test(test_mode_reuse),
		cmocka_unit_test(test_cap_ipc_owner),
		cmocka_unit_test(test_thread_creds),
		cmocka_unit_test(test_foreign_object),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
