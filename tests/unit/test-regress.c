/* test-regress.c: one test for each defect the fuzz targets (tests/fuzz) found, so each
 * stays fixed; they fail under the ASan/UBSan build of `make check` if one comes back. */
#include "capture.h"

#include <errno.h>
#include <math.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "obuf.h"
#include "output.h"
#include "posixparse.h"

struct row {
	const char *s;
	double d;
	int64_t t;
};

static void get_s(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_STR;
	v->s = ((const struct row *)r)->s;
}

static void get_pct(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_PERCENT;
	v->d = ((const struct row *)r)->d;
}

static const struct column cols[] = {
	{ "NAME", "a string", 0, get_s, NULL, 0, 0 },
	{ "USE%", "a percentage", COL_RIGHT, get_pct, "percent", 0, 0 },
};

static const char *render(enum out_mode mode, const struct row *row)
{
	const struct column *sel[] = { &cols[0], &cols[1] };
	struct out_opts opts = { .mode = mode };
	struct table *t;

	cap_start();
	output_doc_begin(&opts, false);
	t = table_new(&opts, NULL, NULL, sel, 2, NULL);
	assert_non_null(t);
	table_add(t, row);
	assert_int_equal(table_finish(t), 0);
	output_doc_end(&opts, false);
	return cap_end();
}

/* fuzz-output: value_format returned snprintf's wanted length (300+ for 1e300%), and the
 * caller read that many bytes from a 64-byte buffer (stack-buffer-overflow). */
static void test_percent_huge(void **state)
{
	struct out_opts opts = { 0 };
	struct value v = { .type = V_PERCENT, .d = 1e300 };
	struct row row = { "x", 1e300, 0 };
	char buf[64];
	const char *text;

	(void)state;
	assert_true(value_format(&opts, &v, buf, &text) < sizeof(buf));
	for (int m = OUT_TABLE; m <= OUT_EXPORT; m++)
		assert_non_null(strstr(render((enum out_mode)m, &row), "1000000000"));
}

/* fuzz-output: NaN and infinity were printed as "nan" and "inf": not JSON. */
static void test_percent_not_finite_json(void **state)
{
	struct row row = { "x", NAN, 0 };

	(void)state;
	assert_non_null(strstr(render(OUT_JSON, &row), "\"percent\": null"));
	row.d = INFINITY;
	assert_non_null(strstr(render(OUT_JSON, &row), "\"percent\": null"));
	row.d = 12.5;
	assert_non_null(strstr(render(OUT_JSON, &row), "\"percent\": 12.50"));
}

/* fuzz-output (UBSan): a first cell that is empty did arithmetic on the NULL arena. */
static void test_empty_first_cell(void **state)
{
	struct row row = { "", 1.0, 0 };

	(void)state;
	assert_string_equal(render(OUT_TABLE, &row), "NAME  USE%\n     1.00%\n");
}

static const char *format_time(int64_t t, char *buf)
{
	struct out_opts opts = { .time_format = TIME_FULL };
	struct value v = { .type = V_TIME, .i = t };
	const char *text;
	size_t n = value_format(&opts, &v, buf, &text);

	assert_true(n < 64);
	memmove(buf, text, n);
	buf[n] = '\0';
	return buf;
}

/* fuzz-output: a time localtime_r cannot convert clobbered the cached quarter hour, so
 * the next time in the cached block printed a wrong date. */
static void test_time_cache_not_clobbered(void **state)
{
	char a[64], b[64], c[64];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	format_time(8076024675827780, a);
	assert_string_equal(format_time(67768036191676800, b), "67768036191676800");
	assert_string_equal(format_time(8076024675827780, c), a);
	assert_string_equal(format_time(1700000000, a), "Tue Nov 14 22:13:20 2023");
	format_time(67768036191676800, b);
	assert_string_equal(format_time(1700000001, a), "Tue Nov 14 22:13:21 2023");
}

/* fuzz-output (UBSan): rounding INT64_MIN down to a quarter hour overflowed. */
static void test_time_extremes(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(format_time(INT64_MIN, buf), "-9223372036854775808");
	assert_string_equal(format_time(INT64_MAX, buf), "9223372036854775807");
}

/* fuzz-cli (UBSan): with no holder records, qsort was passed a NULL array. In doctor-shm
 * one process is running and it holds nothing. */
static void analyze_fixture(const char *name)
{
	struct ipcadm_ctx *ctx = fixture_ctx(name);
	struct ipcadm_snapshot *snap = NULL;
	struct ipcadm_analysis *an = NULL;

	assert_int_equal(ipcadm_snapshot_read(ctx, IPCADM_SYSV_KINDS, 0, &snap), 0);
	assert_int_equal(ipcadm_analyze(ctx, snap, 0, &an), 0);
	for (int k = 0; k < IPCADM_NSYSV_KINDS; k++) {
		for (size_t i = 0; i < ipcadm_snapshot_count(snap, k); i++) {
			const struct ipcadm_holder *h;

			assert_int_equal(ipcadm_analysis_holders(
						 an, ipcadm_snapshot_obj(snap, k, i), &h),
					 0);
		}
	}
	ipcadm_analysis_free(an);
	ipcadm_snapshot_free(snap);
	ipcadm_ctx_free(ctx);
}

static void test_analyze_without_holders(void **state)
{
	(void)state;
	analyze_fixture("doctor-shm");
}

/* Overwrites the stack below the caller, where a returned dangling pointer would point. */
__attribute__((noinline)) static void clobber_stack(void)
{
	volatile char big[65536];

	memset((char *)big, 'x', sizeof(big));
}

/* valgrind (tests/valgrind.sh): on a live root, the first lookup of a user returned a
 * pointer into getpwuid_r's buffer on the stack of the lookup, gone once it returned. */
static void test_user_name_not_on_the_stack(void **state)
{
	struct ipcadm_ctx *ctx = NULL;
	const char *name;

	(void)state;
	assert_int_equal(ipcadm_ctx_new(&ctx, "/"), 0);
	name = ipcadm_user_name(ctx, 0);
	assert_non_null(name);
	clobber_stack();
	assert_string_equal(name, "root");
	assert_ptr_equal(ipcadm_user_name(ctx, 0), name); /* the cached copy, every time */
	name = ipcadm_group_name(ctx, 0);
	clobber_stack();
	assert_string_equal(name, "root");
	ipcadm_ctx_free(ctx);
}

/* fuzz-posixparse: a mount point escaped as \000 came back cut at the NUL (""), a path
 * that does not exist; such a line is malformed, and skipped. */
static void test_mountinfo_nul_escape(void **state)
{
	static const char bad[] = "2 1 5 0 \\000\xff r - mqueue mqueue rw\n";
	static const char both[] = "2 1 5 0 /a\\000b r - mqueue mqueue rw\n"
				   "41 30 0:40 / /dev/mq\\040x rw - mqueue mqueue rw\n";
	char mnt[64];

	(void)state;
	assert_int_equal(posixparse_mountinfo(bad, sizeof(bad) - 1, "mqueue", mnt, sizeof(mnt)),
			 -ENOENT);
	assert_int_equal(posixparse_mountinfo(both, sizeof(both) - 1, "mqueue", mnt, sizeof(mnt)),
			 0);
	assert_string_equal(mnt, "/dev/mq x");
	assert_int_equal(posixparse_mountinfo(both, sizeof(both) - 1, "mqueue", mnt, 4),
			 -ENAMETOOLONG);
}

/* The sysctl number parser, exposed for fuzz-sysctl: exactly max numbers, blanks only. */
static void test_sysctl_numbers(void **state)
{
	uint64_t v[4];

	(void)state;
	assert_int_equal(sysctl_parse_numbers("32000\t1024000000\t500\t32000\n", 27, v, 4), 0);
	assert_int_equal(v[1], 1024000000);
	assert_int_equal(v[3], 32000);
	assert_int_equal(sysctl_parse_numbers("1 2 3\n", 6, v, 4), -EBADMSG);
	assert_int_equal(sysctl_parse_numbers("1 2 3 4 5\n", 10, v, 4), -EBADMSG);
	assert_int_equal(sysctl_parse_numbers("18446744073709551616\n", 21, v, 1), -EBADMSG);
	assert_int_equal(sysctl_parse_numbers("-1\n", 3, v, 1), -EBADMSG);
	assert_int_equal(sysctl_parse_numbers("", 0, v, 1), -EBADMSG);
	/* the length is respected: no terminator needed */
	assert_int_equal(sysctl_parse_numbers("12345", 2, v, 1), 0);
	assert_int_equal(v[0], 12);
}

/* fuzz-output: obuf_escaped drained its buffer only below 8 bytes of room, but a bidi
 * control escapes to 12 (\xe2\x80\xae): with 8 to 11 bytes left, esc_some wrote nothing
 * and the loop never ended. */
static void test_escaped_unit_at_buffer_end(void **state)
{
	static char pad[sizeof(out->buf) - 10];
	const char *text;

	(void)state;
	memset(pad, 'a', sizeof(pad) - 1);
	cap_start();
	obuf_write(out, pad, sizeof(pad) - 1); /* 11 bytes of room left */
	obuf_text(out, "\xe2\x80\xae!");
	text = cap_end();
	assert_int_equal(strlen(text), sizeof(pad) - 1 + 13);
	assert_string_equal(text + sizeof(pad) - 1, "\\xe2\\x80\\xae!");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percent_huge),
		cmocka_unit_test(test_percent_not_finite_json),
		cmocka_unit_test(test_empty_first_cell),
		cmocka_unit_test(test_time_cache_not_clobbered),
		cmocka_unit_test(test_time_extremes),
		cmocka_unit_test(test_analyze_without_holders),
		cmocka_unit_test(test_user_name_not_on_the_stack),
		cmocka_unit_test(test_mountinfo_nul_escape),
		cmocka_unit_test(test_sysctl_numbers),
		cmocka_unit_test(test_escaped_unit_at_buffer_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
