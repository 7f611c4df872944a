/* test-snapshot.c: the snapshot library on fixture trees: both /proc formats,
 * reordered columns, negative keys, SHM_DEST and SHM_LOCKED, garbage, limits, names. */
#include "fixture.h"
#include "internal.h" /* ipcadm_sysvipc_parse */

#include <errno.h>

static struct ipcadm_snapshot *read_fixture(const char *name, struct ipcadm_ctx **ctxp)
{
	struct ipcadm_snapshot *snap = NULL;

	*ctxp = fixture_ctx(name);
	assert_int_equal(ipcadm_snapshot_read(*ctxp, IPCADM_SYSV_KINDS, 0, &snap), 0);
	return snap;
}

static void test_modern_shm(void **state)
{
	struct ipcadm_ctx *ctx;
	struct ipcadm_snapshot *snap = read_fixture("modern", &ctx);
	const struct ipcadm_obj *o;

	(void)state;
	assert_int_equal(ipcadm_snapshot_count(snap, IPCADM_SHM), 4);
	o = ipcadm_snapshot_obj(snap, IPCADM_SHM, 0);
	assert_int_equal(o->kind, IPCADM_SHM);
	assert_int_equal(o->key, 0);
	assert_int_equal(o->size, 10000);
	assert_int_equal(o->cpid, 4242);
	assert_int_equal(o->lpid, 4243);
	assert_int_equal(o->uid, 1000);
	assert_int_equal(o->atime, 1700000010);
	assert_int_equal(o->dtime, 1700000020);
	assert_int_equal(o->ctime, 1700000000);
	assert_int_equal(o->rss, 12288);
	assert_int_equal(o->swap, 0);

	o = ipcadm_snapshot_find(snap, IPCADM_SHM, 32769);
	assert_non_null(o);
	assert_int_equal(o->key, -2147483647); /* printed signed by the kernel */
	assert_int_equal((uint32_t)o->key, 0x80000001u);
	assert_true(o->mode & IPCADM_SHM_DEST);
	assert_false(o->mode & IPCADM_SHM_LOCKED);
	assert_int_equal(o->mode & 0777, 0640);
	assert_int_equal(o->nattch, 2);

	o = ipcadm_snapshot_find(snap, IPCADM_SHM, 65538);
	assert_true(o->mode & IPCADM_SHM_LOCKED);
	assert_int_equal(o->swap, 1048576);
	assert_null(ipcadm_snapshot_find(snap, IPCADM_SHM, 12345));
	ipcadm_snapshot_free(snap);
	ipcadm_ctx_free(ctx);
}

static void test_modern_sem_msg(void **state)
{
	struct ipcadm_ctx *ctx;
	struct ipcadm_snapshot *snap = read_fixture("modern", &ctx);
	const struct ipcadm_obj *o;

	(void)state;
	assert_int_equal(ipcadm_snapshot_count(snap, IPCADM_SEM), 2);
	o = ipcadm_snapshot_find(snap, IPCADM_SEM, 1);
	assert_int_equal(o->key, -1);
	assert_int_equal(o->nsems, 250);
	assert_int_equal(o->mode, 0666);
	o = ipcadm_snapshot_find(snap, IPCADM_SEM, 0);
	assert_int_equal(o->otime, 1700000100);
	assert_null(o->sems); /* values are read only when asked, and only live */

	assert_int_equal(ipcadm_snapshot_count(snap, IPCADM_MSG), 2);
	o = ipcadm_snapshot_find(snap, IPCADM_MSG, 0);
	assert_int_equal(o->key, 0x1234);
	assert_int_equal(o->cbytes, 100);
	assert_int_equal(o->qnum, 2);
	assert_int_equal(o->lspid, 555);
	assert_int_equal(o->gid, 100);
	assert_int_equal(o->qbytes, IPCADM_UNKNOWN);
	ipcadm_snapshot_free(snap);
	ipcadm_ctx_free(ctx);
}

static void test_usage_counts_as_kernel(void **state)
{
	struct ipcadm_ctx *ctx;
	struct ipcadm_snapshot *snap = read_fixture("modern", &ctx);
	const struct ipcadm_usage *u = ipcadm_snapshot_usage(snap);
	const struct ipcadm_limits *l = ipcadm_snapshot_limits(snap);
	uint64_t page = l->page_size;

	(void)state;
	/* each segment rounded up to whole pages; SHM_DEST segments still count */
	assert_int_equal(u->shm_segs, 4);
	assert_int_equal(u->shm_pages, ipcadm_shm_pages(10000, page) + 1 +
					       ipcadm_shm_pages(1048576, page) + 1);
	assert_int_equal(ipcadm_shm_pages(10000, 4096), 3); /* lsipc says 2 */
	assert_int_equal(ipcadm_shm_pages(4096, 4096), 1);
	assert_int_equal(ipcadm_shm_pages(0, 4096), 0);
	assert_int_equal(u->sem_sets, 2);
	assert_int_equal(u->sem_sems, 253);
	assert_int_equal(u->msg_queues, 2);
	assert_int_equal(u->msg_bytes, 100);
	assert_int_equal(u->msg_msgs, 2);
	ipcadm_snapshot_free(snap);
	ipcadm_ctx_free(ctx);
}

static void test_limits(void **state)
{
	struct ipcadm_ctx *ctx = fixture_ctx("old14");
	struct ipcadm_snapshot snap = { 0 };
	struct ipcadm_limit_value v;
	struct ipcadm_limits l;

	(void)state;
	assert_int_equal(ipcadm_limits_read(ctx, &l), 0);
	assert_int_equal(l.shmmax, 33554432);
	assert_int_equal(l.shmall, 2097152);
	assert_int_equal(l.semmsl, 250);
	assert_int_equal(l.semmns, 32000);
	assert_int_equal(l.semopm, 32);
	assert_int_equal(l.semmni, 128);
	assert_int_equal(l.msgmni, 16);
	assert_int_equal(l.shm_rmid_forced, IPCADM_UNKNOWN); /* file absent */
	snap.limits = l;
	snap.limits.shmmni = 100000;
	assert_int_equal(ipcadm_limit_get(&snap, IPCADM_LIMIT_SHMMNI, &v), 0);
	assert_int_equal(v.value, 100000);
	assert_int_equal(v.limit, 32768); /* the IPCMNI cap */
	snap.limits.shmmni = 4096;
	assert_int_equal(ipcadm_limit_get(&snap, IPCADM_LIMIT_SHMMNI, &v), 0);
	assert_int_equal(v.limit, 4096);
	assert_int_equal(ipcadm_limit_get(&snap, IPCADM_LIMIT_SEMMNI, &v), 0);
	assert_int_equal(v.value, 128); /* field 3 of kernel.sem */
	assert_int_equal(ipcadm_limit_get(&snap, IPCADM_LIMIT_SHM_RMID_FORCED, &v), 0);
	assert_true(v.value == IPCADM_UNKNOWN && v.limit == IPCADM_UNKNOWN);
	assert_int_equal(ipcadm_limit_get(&snap, IPCADM_LIMIT_SEMVMX, &v), 0);
	assert_int_equal(v.limit, 32767);
	assert_int_equal(ipcadm_limit_get(&snap, IPCADM_NLIMITS, &v), -EINVAL);
	ipcadm_ctx_free(ctx);
}

static void test_old_14_columns(void **state)
{
	struct ipcadm_ctx *ctx;
	struct ipcadm_snapshot *snap = read_fixture("old14", &ctx);
	const struct ipcadm_obj *o;

	(void)state;
	assert_int_equal(ipcadm_snapshot_count(snap, IPCADM_SHM), 2);
	o = ipcadm_snapshot_obj(snap, IPCADM_SHM, 1);
	assert_int_equal(o->key, 5);
	assert_int_equal(o->size, 8192);
	assert_int_equal(o->rss, IPCADM_UNKNOWN);
	assert_int_equal(ipcadm_snapshot_count(snap, IPCADM_SEM), 0);
	assert_int_equal(ipcadm_snapshot_count(snap, IPCADM_MSG), 0);
	ipcadm_snapshot_free(snap);
	ipcadm_ctx_free(ctx);
}

static void test_reordered_and_empty(void **state)
{
	struct ipcadm_ctx *ctx;
	struct ipcadm_snapshot *snap = read_fixture("reordered", &ctx);
	const struct ipcadm_obj *o;

	(void)state;
	o = ipcadm_snapshot_obj(snap, IPCADM_SHM, 0);
	assert_non_null(o);
	assert_int_equal(o->id, 7);
	assert_int_equal(o->key, -5);
	assert_int_equal(o->size, 5000);
	assert_int_equal(o->mode, 0600);
	o = ipcadm_snapshot_obj(snap, IPCADM_SEM, 0);
	assert_int_equal(o->id, 9);
	assert_int_equal(o->nsems, 2);
	assert_int_equal(ipcadm_snapshot_count(snap, IPCADM_MSG), 0); /* empty file */
	ipcadm_snapshot_free(snap);
	ipcadm_ctx_free(ctx);
}

static void test_garbage_lines_skipped(void **state)
{
	struct ipcadm_ctx *ctx = fixture_ctx("garbage");
	struct ipcadm_snapshot *snap = NULL;
	struct ipcadm_limits l;

	(void)state;
	/* the sem table has no valid header: a clear error, not a guess */
	assert_int_equal(ipcadm_snapshot_read(ctx, IPCADM_SYSV_KINDS, 0, &snap), -EBADMSG);
	assert_int_equal(ipcadm_snapshot_read(ctx, IPCADM_KIND_BIT(IPCADM_SHM), 0, &snap), 0);
	/* ids 0 and 5 are good; 1,2,3,4,6 are garbage; 7 is complete without a newline */
	assert_int_equal(ipcadm_snapshot_count(snap, IPCADM_SHM), 3);
	assert_non_null(ipcadm_snapshot_find(snap, IPCADM_SHM, 0));
	assert_non_null(ipcadm_snapshot_find(snap, IPCADM_SHM, 5));
	assert_non_null(ipcadm_snapshot_find(snap, IPCADM_SHM, 7));
	assert_int_equal(ipcadm_snapshot_skipped(snap, IPCADM_SHM), 5);
	ipcadm_snapshot_free(snap);
	assert_int_equal(ipcadm_snapshot_read(ctx, IPCADM_KIND_BIT(IPCADM_MSG), 0, &snap), 0);
	assert_int_equal(ipcadm_snapshot_count(snap, IPCADM_MSG), 0);
	assert_int_equal(ipcadm_snapshot_skipped(snap, IPCADM_MSG), 1);
	ipcadm_snapshot_free(snap);
	/* garbled limit files are unknown, not zero */
	assert_int_equal(ipcadm_limits_read(ctx, &l), 0);
	assert_int_equal(l.shmmni, IPCADM_UNKNOWN);
	assert_int_equal(l.semmni, IPCADM_UNKNOWN);
	ipcadm_ctx_free(ctx);
}

static void test_missing_root(void **state)
{
	struct ipcadm_ctx *ctx = fixture_ctx("does-not-exist");
	struct ipcadm_snapshot *snap = NULL;

	(void)state;
	assert_int_equal(ipcadm_snapshot_read(ctx, IPCADM_SYSV_KINDS, 0, &snap), -ENOENT);
	ipcadm_ctx_free(ctx);
}

static void test_obj_read_from_tree(void **state)
{
	struct ipcadm_ctx *ctx = fixture_ctx("modern");
	struct ipcadm_obj o;

	(void)state;
	assert_int_equal(ipcadm_obj_read(ctx, IPCADM_MSG, 32768, 0, &o), 0);
	assert_int_equal(o.id, 32768);
	assert_int_equal(o.mode, 0600);
	ipcadm_obj_release(&o);
	assert_int_equal(ipcadm_obj_read(ctx, IPCADM_MSG, 32769, 0, &o), -ENOENT);
	ipcadm_ctx_free(ctx);
}

static void test_names_from_tree(void **state)
{
	struct ipcadm_ctx *ctx = fixture_ctx("modern");
	uid_t uid;

	(void)state;
	assert_string_equal(ipcadm_user_name(ctx, 33), "www-data");
	assert_string_equal(ipcadm_user_name(ctx, 1000), "alice");
	assert_null(ipcadm_user_name(ctx, 4711)); /* unknown, and cached as unknown */
	assert_null(ipcadm_user_name(ctx, 4711));
	assert_string_equal(ipcadm_group_name(ctx, 100), "users");
	assert_int_equal(ipcadm_user_lookup(ctx, "alice", &uid), 0);
	assert_int_equal(uid, 1000);
	assert_int_equal(ipcadm_user_lookup(ctx, "42", &uid), 0);
	assert_int_equal(uid, 42);
	assert_int_equal(ipcadm_user_lookup(ctx, "nobody-here", &uid), -ENOENT);
	ipcadm_ctx_free(ctx);
}

static void test_parse_header_errors(void **state)
{
	struct ipcadm_obj *objs;
	size_t n, skipped;
	const char dup[] = "key shmid shmid perms size cpid lpid nattch uid gid cuid cgid atime "
			   "dtime ctime\n";
	const char missing[] = "key shmid perms\n1 2 600\n";

	(void)state;
	assert_int_equal(ipcadm_sysvipc_parse(IPCADM_SHM, dup, sizeof(dup) - 1, &objs, &n,
					      &skipped),
			 -EBADMSG);
	assert_int_equal(ipcadm_sysvipc_parse(IPCADM_SHM, missing, sizeof(missing) - 1, &objs,
					      &n, &skipped),
			 -EBADMSG);
	assert_int_equal(ipcadm_sysvipc_parse(IPCADM_SHM, "", 0, &objs, &n, &skipped), 0);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modern_shm),
		cmocka_unit_test(test_modern_sem_msg),
		cmocka_unit_test(test_usage_counts_as_kernel),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_old_14_columns),
		cmocka_unit_test(test_reordered_and_empty),
		cmocka_unit_test(test_garbage_lines_skipped),
		cmocka_unit_test(test_missing_root),
		cmocka_unit_test(test_obj_read_from_tree),
		cmocka_unit_test(test_names_from_tree),
		cmocka_unit_test(test_parse_header_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
