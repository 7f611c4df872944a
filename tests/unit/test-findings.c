/* test-findings.c: the doctor's findings on fixture trees: severities at the thresholds,
 * groups by owner and key with ages and memory, SHM_DEST, SHMMAX, leaks with and without
 * verdicts, shm_rmid_forced, the remedies, and the order of the findings. */
#include "fixture.h"

#include <errno.h>

#define NOW 1700259200 /* the fixtures' "now": three days after their oldest object */

struct diag {
	struct ipcadm_ctx *ctx;
	struct ipcadm_snapshot *snap;
	struct ipcadm_analysis *an;
	struct ipcadm_findings *f;
};

static void diagnose(struct diag *d, const char *fixture, bool verdicts, unsigned int warn,
		     unsigned int crit)
{
	struct ipcadm_doctor_opts o;

	memset(d, 0, sizeof(*d));
	d->ctx = fixture_ctx(fixture);
	assert_int_equal(ipcadm_snapshot_read(d->ctx, IPCADM_SYSV_KINDS, 0, &d->snap), 0);
	if (verdicts)
		assert_int_equal(ipcadm_analyze(d->ctx, d->snap, 0, &d->an), 0);
	ipcadm_doctor_opts_init(&o);
	o.now = NOW;
	o.analysis = d->an;
	if (warn)
		o.warn_percent = warn;
	if (crit)
		o.crit_percent = crit;
	assert_int_equal(ipcadm_findings_build(d->ctx, d->snap, &o, &d->f), 0);
}

static void release(struct diag *d)
{
	ipcadm_findings_free(d->f);
	ipcadm_analysis_free(d->an);
	ipcadm_snapshot_free(d->snap);
	ipcadm_ctx_free(d->ctx);
}

static const struct ipcadm_finding *find(const struct diag *d, const char *name)
{
	for (size_t i = 0; i < ipcadm_findings_count(d->f); i++)
		if (strcmp(ipcadm_findings_get(d->f, i)->name, name) == 0)
			return ipcadm_findings_get(d->f, i);
	return NULL;
}

static bool has_line(const char *const *v, size_t n, const char *text)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], text) == 0)
			return true;
	for (size_t i = 0; i < n; i++)
		print_message("  line: %s\n", v[i]);
	return false;
}

#define assert_detail(x, text) assert_true(has_line((x)->details, (x)->ndetails, text))

/* The finding's n-th remedy of a type (0: the first), or NULL. */
static const struct ipcadm_remedy *remedy_of(const struct ipcadm_finding *x,
					     enum ipcadm_remedy_type type, size_t n)
{
	for (size_t i = 0; i < x->nremedies; i++)
		if (x->remedies[i].type == type && n-- == 0)
			return &x->remedies[i];
	return NULL;
}

/* A sysctl set to its values now, then the same at every boot. */
static void assert_sysctl(const struct ipcadm_finding *x, enum ipcadm_limit limit,
			  const char *sysctl, const uint64_t *v, unsigned int n)
{
	for (size_t k = 0; k < 2; k++) {
		const struct ipcadm_remedy *r = remedy_of(x, IPCADM_REMEDY_SET_SYSCTL, k);

		assert_non_null(r);
		assert_int_equal(r->sysctl.limit, limit);
		assert_string_equal(r->sysctl.sysctl, sysctl);
		assert_int_equal(r->sysctl.nvalues, n);
		for (unsigned int i = 0; i < n; i++)
			assert_int_equal(r->sysctl.values[i], v[i]);
		assert_int_equal(r->sysctl.persist, k == 1);
	}
	assert_null(remedy_of(x, IPCADM_REMEDY_SET_SYSCTL, 2));
}

#define SYSCTL(x, limit, name, ...) \
	assert_sysctl(x, limit, name, (const uint64_t[]){ __VA_ARGS__ }, \
		      sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t))

static void test_shm_limits(void **st)
{
	struct diag d;
	const struct ipcadm_finding *x;

	(void)st;
	diagnose(&d, "doctor-shm", false, 0, 0);
	assert_int_equal(ipcadm_findings_worst(d.f), IPCADM_SEV_CRITICAL);

	/* 95 of 100 pages (SHM_DEST included, each segment rounded up): critical at 95% */
	x = find(&d, "SHMALL");
	assert_non_null(x);
	assert_int_equal(x->severity, IPCADM_SEV_CRITICAL);
	assert_int_equal(x->type, IPCADM_FINDING_LIMIT);
	assert_int_equal(x->limit, 100);
	assert_int_equal(x->used, 95);
	assert_string_equal(x->summary, "SHMALL: 95 of 100 pages in use (95%)");
	assert_detail(x, "the largest segment shmget can create now has 20480 bytes (20K)");
	assert_detail(x, "48 of 100 pages belong to 'alice', key 0 (4 segments), created over "
			 "the last 3 days; 188K, 44K resident, 40K swapped");
	assert_detail(x, "25 of 100 pages belong to 'postgres', key 0x00001234 (1 segment), "
			 "created 3 days ago; 97.7K, 97.7K resident");
	SYSCTL(x, IPCADM_LIMIT_SHMALL, "kernel.shmall", 200);
	assert_string_equal(remedy_of(x, IPCADM_REMEDY_SET_SYSCTL, 1)->reason,
			    "keeps it after a reboot");
	/* without verdicts, a reap that only lists */
	assert_int_equal(x->remedies[0].type, IPCADM_REMEDY_REAP);
	assert_int_equal(x->remedies[0].reap.kinds, IPCADM_KIND_BIT(IPCADM_SHM));
	assert_false(x->remedies[0].reap.yes);
	assert_false(x->remedies[0].reap.has_owner);
	/* the groups as data, largest first */
	assert_int_equal(x->ngroups, 4);
	assert_int_equal(x->groups[0].uid, 1000);
	assert_string_equal(x->groups[0].owner, "alice");
	assert_int_equal(x->groups[0].key, 0);
	assert_int_equal(x->groups[0].count, 4);
	assert_int_equal(x->groups[0].amount, 48);
	assert_int_equal(x->groups[0].oldest, 1700000000);
	assert_int_equal(x->groups[0].newest, 1700259000);
	assert_int_equal(x->groups[0].rss, 45056);
	assert_int_equal(x->groups[0].swap, 40960);
	assert_false(x->groups[0].has_verdicts);
	assert_int_equal(x->groups[1].key, 0x1234);

	/* 7 of 8 segments is 87.5%: a warning */
	x = find(&d, "SHMMNI");
	assert_int_equal(x->severity, IPCADM_SEV_WARNING);
	assert_string_equal(x->summary, "SHMMNI: 7 of 8 shared memory segments in use (87%)");
	assert_detail(x, "1 of 8 shared memory segments belongs to 'www-data', key 0, created "
			 "44 hours ago; 80K, 80K resident");
	SYSCTL(x, IPCADM_LIMIT_SHMMNI, "kernel.shmmni", 16);

	/* the other kinds are fine */
	assert_int_equal(find(&d, "SEMMNI")->severity, IPCADM_SEV_OK);
	assert_int_equal(find(&d, "SEMMNI")->ndetails, 0);
	assert_int_equal(find(&d, "MSGMNI")->nremedies, 0);
	release(&d);
}

static void test_shm_other(void **st)
{
	struct diag d;
	const struct ipcadm_finding *x;

	(void)st;
	diagnose(&d, "doctor-shm", false, 0, 0);
	x = find(&d, "SHMMAX");
	assert_int_equal(x->severity, IPCADM_SEV_WARNING);
	assert_string_equal(x->summary, "SHMMAX: 3 segments are larger than SHMMAX (65536 "
					"bytes): their programs cannot create them again at that "
					"size");
	assert_detail(x, "segment 3 of 'postgres', key 0x00001234: 100000 bytes (97.7K)");
	SYSCTL(x, IPCADM_LIMIT_SHMMAX, "kernel.shmmax", 110592);

	x = find(&d, "shm-dest");
	assert_int_equal(x->severity, IPCADM_SEV_WARNING); /* the shm limits are strained */
	assert_string_equal(x->summary, "1 removed segment (SHM_DEST) still counts against "
					"SHMMNI and SHMALL: 20 pages, 80K, 80K resident; no ipcrm "
					"can free it");
	assert_detail(x, "segment 2 of 'www-data': 80K, nattch 2; creator pid 500, last attach "
			 "or detach by pid 501");
	assert_int_equal(x->nremedies, 1);
	assert_int_equal(x->remedies[0].type, IPCADM_REMEDY_WHO);
	assert_int_equal(x->remedies[0].who.kind, IPCADM_SHM);
	assert_int_equal(x->remedies[0].who.id, 2);
	assert_string_equal(x->remedies[0].reason, "the processes attached: the segment is freed "
						   "when the last of them detaches or exits");

	/* without verdicts: private, unattached, not SHM_DEST are only candidates */
	x = find(&d, "leaked-shm");
	assert_int_equal(x->severity, IPCADM_SEV_WARNING);
	assert_string_equal(x->summary, "4 unattached private segments hold 44K resident and "
					"40K swapped (188K in all)");
	x = find(&d, "shm_rmid_forced");
	assert_int_equal(x->severity, IPCADM_SEV_WARNING);
	SYSCTL(x, IPCADM_LIMIT_SHM_RMID_FORCED, "kernel.shm_rmid_forced", 1);
	assert_null(find(&d, "leaked-sem")); /* nothing to say about sem without verdicts */
	release(&d);
}

/* Critical first, then warnings, then ok, each in the fixed order of the checks. */
static void test_order(void **st)
{
	static const char *const expect[] = {
		"SHMALL", "SHMMNI", "SHMMAX", "shm-dest", "leaked-shm", "shm_rmid_forced",
		"SEMMNI", "SEMMNS", "MSGMNI",
	};
	struct diag d;

	(void)st;
	diagnose(&d, "doctor-shm", false, 0, 0);
	assert_int_equal(ipcadm_findings_count(d.f), sizeof(expect) / sizeof(expect[0]));
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
		assert_string_equal(ipcadm_findings_get(d.f, i)->name, expect[i]);
	assert_null(ipcadm_findings_get(d.f, 99));
	release(&d);
}

/* With the process table of the fixture (only init): every creator is dead. */
static void test_verdicts(void **st)
{
	struct diag d;
	const struct ipcadm_finding *x;
	const struct ipcadm_remedy *r;

	(void)st;
	diagnose(&d, "doctor-shm", true, 0, 0);
	x = find(&d, "SHMALL");
	assert_true(x->groups[0].has_verdicts);
	assert_int_equal(x->groups[0].verdicts[IPCADM_ORPHANED], 4);
	assert_int_equal(x->groups[1].verdicts[IPCADM_IN_USE], 1);
	assert_detail(x, "48 of 100 pages belong to 'alice', key 0 (4 segments), created over "
			 "the last 3 days; 188K, 44K resident, 40K swapped; 4 are orphaned");
	r = remedy_of(x, IPCADM_REMEDY_REAP, 0);
	assert_non_null(r);
	assert_int_equal(r->reap.kinds, IPCADM_KIND_BIT(IPCADM_SHM));
	assert_true(r->reap.has_owner);
	assert_int_equal(r->reap.owner, 1000);
	assert_string_equal(r->reap.owner_name, "alice");
	assert_true(r->reap.yes);
	assert_false(r->reap.include_idle);
	assert_false(r->reap.all_visible);
	assert_null(r->reap.name);
	assert_int_equal(r->reap.count, 4);
	assert_string_equal(r->reason, "removes the 4 orphaned segments of 'alice'");
	assert_null(remedy_of(x, IPCADM_REMEDY_REAP, 1)); /* postgres's segment is in use */
	x = find(&d, "leaked-shm");
	assert_string_equal(x->summary, "4 orphaned segments hold 44K resident and 40K swapped "
					"(188K in all)");
	assert_detail(x, "segment 0 of 'alice': key 0x00000000, nattch 0, creator 4242 exited, "
			 "last user 4243 exited");
	x = find(&d, "leaked-msg");
	assert_int_equal(x->severity, IPCADM_SEV_OK);
	assert_string_equal(x->summary, "no orphaned message queues");
	x = find(&d, "shm-dest");
	assert_detail(x, "segment 2 of 'www-data': 80K, nattch 2; no attached process is "
			 "visible from here");
	release(&d);
}

static void test_sem_groups(void **st)
{
	struct diag d;
	const struct ipcadm_finding *x;

	(void)st;
	diagnose(&d, "doctor-sem", false, 0, 0);
	x = find(&d, "SEMMNI");
	assert_int_equal(x->severity, IPCADM_SEV_WARNING); /* 121 of 128 is 94.5% */
	assert_detail(x, "97 of 128 semaphore arrays belong to 'apache', key 0, created over the "
			 "last 3 days");
	assert_detail(x, "20 more semaphore arrays in 20 other groups");
	assert_int_equal(x->ngroups, 5);
	/* kernel.sem is one line: SEMMNI doubled, SEMMSL SEMMNS SEMOPM kept */
	SYSCTL(x, IPCADM_LIMIT_SEMMNI, "kernel.sem", 250, 32000, 32, 256);
	x = find(&d, "MSGMNI");
	assert_int_equal(x->severity, IPCADM_SEV_CRITICAL);
	assert_string_equal(x->summary, "MSGMNI: 16 of 16 message queues in use (100%): the next "
					"msgget fails with ENOSPC");
	SYSCTL(x, IPCADM_LIMIT_MSGMNI, "kernel.msgmni", 32);
	/* shm_rmid_forced is 1 here, and no segment leaks */
	assert_null(find(&d, "shm_rmid_forced"));
	release(&d);

	/* the thresholds are the caller's: 94.5% is critical at 90 */
	diagnose(&d, "doctor-sem", false, 50, 90);
	assert_int_equal(find(&d, "SEMMNI")->severity, IPCADM_SEV_CRITICAL);
	assert_int_equal(find(&d, "SEMMNS")->severity, IPCADM_SEV_OK); /* 441 of 32000 */
	release(&d);
	diagnose(&d, "doctor-sem", false, 95, 99);
	assert_int_equal(find(&d, "SEMMNI")->severity, IPCADM_SEV_OK);
	assert_int_equal(find(&d, "SEMMNI")->nremedies, 0);
	release(&d);
}

static void test_ok(void **st)
{
	struct diag d;

	(void)st;
	diagnose(&d, "doctor-ok", false, 0, 0);
	assert_int_equal(ipcadm_findings_worst(d.f), IPCADM_SEV_OK);
	for (size_t i = 0; i < ipcadm_findings_count(d.f); i++) {
		assert_int_equal(ipcadm_findings_get(d.f, i)->severity, IPCADM_SEV_OK);
		assert_int_equal(ipcadm_findings_get(d.f, i)->nremedies, 0);
	}
	release(&d);
}

static void test_bad(void **st)
{
	struct ipcadm_ctx *ctx = fixture_ctx("doctor-ok");
	struct ipcadm_snapshot *snap;
	struct ipcadm_findings *f = NULL;
	struct ipcadm_doctor_opts o;

	(void)st;
	assert_int_equal(ipcadm_snapshot_read(ctx, IPCADM_SYSV_KINDS, 0, &snap), 0);
	ipcadm_doctor_opts_init(&o);
	o.warn_percent = 90;
	o.crit_percent = 80;
	assert_int_equal(ipcadm_findings_build(ctx, snap, &o, &f), -EINVAL);
	assert_null(f);
	assert_string_equal(ipcadm_severity_name(IPCADM_SEV_WARNING), "warning");
	assert_int_equal(ipcadm_findings_count(NULL), 0);
	ipcadm_snapshot_free(snap);
	ipcadm_ctx_free(ctx);
}

/* An unreadable limit and skipped lines are findings of their own. */
static void test_unreadable(void **st)
{
	struct diag d;
	bool any = false;

	(void)st;
	diagnose(&d, "doctor-unreadable", false, 0, 0);
	for (size_t i = 0; i < ipcadm_findings_count(d.f); i++) {
		const struct ipcadm_finding *x = ipcadm_findings_get(d.f, i);

		if (x->type == IPCADM_FINDING_UNREADABLE) {
			any = true;
			assert_int_equal(x->severity, IPCADM_SEV_WARNING);
		}
		if (strcmp(x->name, "kernel.sem") == 0)
			assert_int_equal(x->kind, IPCADM_NALL_KINDS); /* no one kind */
	}
	assert_true(any);
	release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shm_limits), cmocka_unit_test(test_shm_other),
		cmocka_unit_test(test_order),	   cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_sem_groups), cmocka_unit_test(test_ok),
		cmocka_unit_test(test_bad),	   cmocka_unit_test(test_unreadable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
