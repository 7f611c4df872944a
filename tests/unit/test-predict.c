/* test-predict.c: ipcadm_predict_get() against the kernel's rules at every boundary
 * (SHMMIN, SHMMAX, SHMALL with page rounding, SHMMNI and the IPCMNI cap, SEMMSL, SEMMNS,
 * SEMMNI, MSGMNI, the order of the checks), and the explanation text. */
#include "fixture.h"

#include <errno.h>

#include "internal.h"

/* A snapshot with chosen limits and usage: the state the kernel would count. */
static struct ipcadm_snapshot *state(void)
{
	struct ipcadm_snapshot *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	s->limits = (struct ipcadm_limits){
		.shmmax = 8192, .shmall = 10, .shmmni = 4, .shm_rmid_forced = 0,
		.semmsl = 5, .semmns = 12, .semopm = 32, .semmni = 3,
		.msgmax = 8192, .msgmnb = 16384, .msgmni = 2, .page_size = 4096,
	};
	return s;
}

static struct ipcadm_prediction predict(const struct ipcadm_snapshot *s, enum ipcadm_kind k,
					uint64_t amount)
{
	struct ipcadm_prediction p;

	assert_int_equal(ipcadm_predict_get(s, k, amount, &p), 0);
	return p;
}

#define assert_yes(p) \
	do { \
		assert_int_equal((p).err, 0); \
		assert_null(ipcadm_limit_name((p).limit)); \
	} while (0)
#define assert_no(p, e, name) \
	do { \
		assert_int_equal((p).err, e); \
		assert_string_equal(ipcadm_limit_name((p).limit), name); \
	} while (0)

static void test_shm_size(void **st)
{
	struct ipcadm_snapshot *s = state();
	struct ipcadm_prediction p;

	(void)st;
	p = predict(s, IPCADM_SHM, 0);
	assert_no(p, -EINVAL, "SHMMIN");
	assert_yes(predict(s, IPCADM_SHM, 1));
	assert_yes(predict(s, IPCADM_SHM, 8192)); /* size == shmmax is allowed */
	p = predict(s, IPCADM_SHM, 8193);
	assert_no(p, -EINVAL, "SHMMAX");
	assert_int_equal(p.limit_value, 8192);
	assert_int_equal(p.requested, 8193);
	ipcadm_snapshot_free(s);
}

static void test_shm_pages(void **st)
{
	struct ipcadm_snapshot *s = state();
	struct ipcadm_prediction p;

	(void)st;
	s->limits.shmmax = 1 << 20;
	s->usage.shm_segs = 1;
	s->usage.shm_pages = 8;
	/* 8 + 2 pages == shmall: allowed ("> shmall" fails, not ">=") */
	assert_yes(predict(s, IPCADM_SHM, 8192));
	/* 8193 bytes round up to 3 pages: 11 > 10 */
	p = predict(s, IPCADM_SHM, 8193);
	assert_no(p, -ENOSPC, "SHMALL");
	assert_int_equal(p.used, 8);
	assert_int_equal(p.requested, 3);
	assert_int_equal(p.limit_value, 10);
	/* EINVAL for the size comes before ENOSPC for the pages */
	s->usage.shm_pages = 10;
	p = predict(s, IPCADM_SHM, 2 << 20);
	assert_no(p, -EINVAL, "SHMMAX");
	p = predict(s, IPCADM_SHM, 1);
	assert_no(p, -ENOSPC, "SHMALL");
	ipcadm_snapshot_free(s);
}

static void test_shm_count(void **st)
{
	struct ipcadm_snapshot *s = state();
	struct ipcadm_prediction p;

	(void)st;
	s->usage.shm_segs = 3;
	s->usage.shm_pages = 3;
	assert_yes(predict(s, IPCADM_SHM, 4096));
	s->usage.shm_segs = 4;
	p = predict(s, IPCADM_SHM, 4096);
	assert_no(p, -ENOSPC, "SHMMNI");
	assert_int_equal(p.used, 4);
	assert_int_equal(p.limit_value, 4);
	/* the kernel tests the pages (newseg) before the count (ipc_addid) */
	s->usage.shm_pages = 10;
	p = predict(s, IPCADM_SHM, 4096);
	assert_no(p, -ENOSPC, "SHMALL");
	/* above 32768 the cap binds, not the sysctl */
	s->usage.shm_pages = 0;
	s->limits.shmmni = 100000;
	s->usage.shm_segs = 32767;
	assert_yes(predict(s, IPCADM_SHM, 1));
	s->usage.shm_segs = 32768;
	p = predict(s, IPCADM_SHM, 1);
	assert_no(p, -ENOSPC, "IPCMNI");
	assert_int_equal(p.limit_value, 32768);
	ipcadm_snapshot_free(s);
}

static void test_shm_overflow(void **st)
{
	struct ipcadm_snapshot *s = state();
	struct ipcadm_prediction p;

	(void)st;
	s->limits.shmmax = UINT64_MAX - 1;
	s->limits.shmall = UINT64_MAX - 1;
	s->usage.shm_pages = UINT64_MAX - 10;
	p = predict(s, IPCADM_SHM, 100 * 4096);
	assert_no(p, -ENOSPC, "SHMALL"); /* shm_tot + numpages wraps */
	ipcadm_snapshot_free(s);
}

static void test_sem(void **st)
{
	struct ipcadm_snapshot *s = state();
	struct ipcadm_prediction p;

	(void)st;
	p = predict(s, IPCADM_SEM, 0);
	assert_no(p, -EINVAL, "SEMMSL");
	assert_yes(predict(s, IPCADM_SEM, 5)); /* nsems == semmsl is allowed */
	p = predict(s, IPCADM_SEM, 6);
	assert_no(p, -EINVAL, "SEMMSL");
	assert_int_equal(p.limit_value, 5);
	s->usage.sem_sets = 2;
	s->usage.sem_sems = 8;
	assert_yes(predict(s, IPCADM_SEM, 4)); /* 8 + 4 == semmns */
	p = predict(s, IPCADM_SEM, 5);
	assert_no(p, -ENOSPC, "SEMMNS");
	assert_int_equal(p.used, 8);
	assert_int_equal(p.requested, 5);
	/* EINVAL for nsems comes before any ENOSPC */
	s->usage.sem_sets = 3;
	p = predict(s, IPCADM_SEM, 6);
	assert_no(p, -EINVAL, "SEMMSL");
	p = predict(s, IPCADM_SEM, 1);
	assert_no(p, -ENOSPC, "SEMMNI");
	/* newary tests SEMMNS before ipc_addid counts the arrays */
	p = predict(s, IPCADM_SEM, 5);
	assert_no(p, -ENOSPC, "SEMMNS");
	ipcadm_snapshot_free(s);
}

static void test_msg(void **st)
{
	struct ipcadm_snapshot *s = state();
	struct ipcadm_prediction p;

	(void)st;
	s->usage.msg_queues = 1;
	assert_yes(predict(s, IPCADM_MSG, 0));
	s->usage.msg_queues = 2;
	p = predict(s, IPCADM_MSG, 0);
	assert_no(p, -ENOSPC, "MSGMNI");
	s->limits.msgmni = 0;
	s->usage.msg_queues = 0;
	p = predict(s, IPCADM_MSG, 0);
	assert_no(p, -ENOSPC, "MSGMNI");
	ipcadm_snapshot_free(s);
}

static void test_unknown_and_bad(void **st)
{
	struct ipcadm_snapshot *s = state();
	struct ipcadm_prediction p;

	(void)st;
	assert_int_equal(ipcadm_predict_get(s, IPCADM_NSYSV_KINDS, 1, &p), -EINVAL);
	assert_int_equal(ipcadm_predict_get(NULL, IPCADM_SHM, 1, &p), -EINVAL);
	s->limits.semmni = IPCADM_UNKNOWN;
	assert_int_equal(ipcadm_predict_get(s, IPCADM_SEM, 1, &p), -ENODATA);
	s->limits.shmall = IPCADM_UNKNOWN;
	assert_int_equal(ipcadm_predict_get(s, IPCADM_SHM, 1, &p), -ENODATA);
	ipcadm_snapshot_free(s);
}

static void test_explain(void **st)
{
	struct ipcadm_snapshot *s = state();
	struct ipcadm_prediction p;
	char buf[160], tiny[8];

	(void)st;
	s->usage.sem_sets = 3;
	p = predict(s, IPCADM_SEM, 1);
	assert_true(ipcadm_prediction_explain(&p, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "SEMMNI: 3 of 3 semaphore arrays in use");
	s->usage.sem_sets = 0;
	s->usage.sem_sems = 10;
	p = predict(s, IPCADM_SEM, 3);
	ipcadm_prediction_explain(&p, buf, sizeof(buf));
	assert_string_equal(buf, "SEMMNS: 10 of 12 semaphores in use, the new array needs 3 more");
	s->usage.sem_sets = 3;
	s->usage.shm_pages = 9;
	p = predict(s, IPCADM_SHM, 4097);
	ipcadm_prediction_explain(&p, buf, sizeof(buf));
	assert_string_equal(buf, "SHMALL: 9 of 10 pages in use, the new segment needs 2 more");
	p = predict(s, IPCADM_SHM, 9000);
	ipcadm_prediction_explain(&p, buf, sizeof(buf));
	assert_string_equal(buf, "SHMMAX: a segment may have at most 8192 bytes, 9000 requested");
	p = predict(s, IPCADM_MSG, 0);
	ipcadm_prediction_explain(&p, buf, sizeof(buf));
	assert_string_equal(buf, "no limit stands in the way");
	/* truncates like snprintf and says how long the whole text is */
	p = predict(s, IPCADM_SEM, 1);
	assert_int_equal(ipcadm_prediction_explain(&p, tiny, sizeof(tiny)), 38);
	assert_string_equal(tiny, "SEMMNI:");
	ipcadm_snapshot_free(s);
}

/* The counts come from a real snapshot: SHM_DEST segments count, pages round up. */
static void test_fixture(void **st)
{
	struct ipcadm_ctx *ctx = fixture_ctx("doctor-shm");
	struct ipcadm_snapshot *snap = NULL;
	struct ipcadm_prediction p;

	(void)st;
	assert_int_equal(ipcadm_snapshot_read(ctx, IPCADM_SYSV_KINDS, 0, &snap), 0);
	/* 7 of 8 segments, 95 of 100 pages: one page fits, two do not */
	assert_int_equal(ipcadm_predict_get(snap, IPCADM_SHM, 4096 * 5, &p), 0);
	assert_int_equal(p.err, 0);
	assert_int_equal(ipcadm_predict_get(snap, IPCADM_SHM, 4096 * 5 + 1, &p), 0);
	assert_int_equal(p.err, -ENOSPC);
	assert_int_equal(p.limit, IPCADM_LIMIT_SHMALL);
	assert_int_equal(p.used, 95);
	assert_int_equal(ipcadm_predict_get(snap, IPCADM_SEM, 1, &p), 0);
	assert_int_equal(p.err, 0);
	ipcadm_snapshot_free(snap);
	ipcadm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shm_size),   cmocka_unit_test(test_shm_pages),
		cmocka_unit_test(test_shm_count),  cmocka_unit_test(test_shm_overflow),
		cmocka_unit_test(test_sem),	   cmocka_unit_test(test_msg),
		cmocka_unit_test(test_unknown_and_bad), cmocka_unit_test(test_explain),
		cmocka_unit_test(test_fixture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
