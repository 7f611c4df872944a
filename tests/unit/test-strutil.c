/* test-strutil.c: every strict parser of common/strutil.c (valid input, junk, overflow,
 * hex and negative keys), the fast decimal and size formatters, the sentence builder
 * (common/sbuf.c), the escaping of names (common/escape.c) and the parallel loop
 * (common/parallel.c). */
#include "fixture.h"

#include <errno.h>
#include <limits.h>

#include "escape.h"
#include "parallel.h"
#include "sbuf.h"
#include "strutil.h"

static void test_u64(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(str_to_u64("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(str_to_u64("42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(str_to_u64("007", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(str_to_u64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(str_to_u64("18446744073709551616", &v), -ERANGE);
	assert_int_equal(str_to_u64("99999999999999999999999", &v), -ERANGE);
	v = 5;
	assert_int_equal(str_to_u64("", &v), -EINVAL);
	assert_int_equal(str_to_u64("12x", &v), -EINVAL);
	assert_int_equal(str_to_u64("x12", &v), -EINVAL);
	assert_int_equal(str_to_u64(" 1", &v), -EINVAL);
	assert_int_equal(str_to_u64("1 ", &v), -EINVAL);
	assert_int_equal(str_to_u64("+1", &v), -EINVAL);
	assert_int_equal(str_to_u64("-1", &v), -EINVAL);
	assert_int_equal(str_to_u64("0x10", &v), -EINVAL);
	assert_int_equal(str_to_u64("1.5", &v), -EINVAL);
	assert_int_equal(v, 5); /* untouched on error */
}

static void test_i64(void **state)
{
	int64_t v = 3;

	(void)state;
	assert_int_equal(str_to_i64("-1", &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(str_to_i64("-0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(str_to_i64("9223372036854775807", &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(str_to_i64("-9223372036854775808", &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(str_to_i64("9223372036854775808", &v), -ERANGE);
	assert_int_equal(str_to_i64("-9223372036854775809", &v), -ERANGE);
	assert_int_equal(str_to_i64("-", &v), -EINVAL);
	assert_int_equal(str_to_i64("--1", &v), -EINVAL);
	assert_int_equal(str_to_i64("+5", &v), -EINVAL);
	assert_int_equal(str_to_i64("5-", &v), -EINVAL);
	assert_int_equal(str_to_i64("", &v), -EINVAL);
}

static void test_mem(void **state)
{
	int64_t i;
	uint64_t u;
	unsigned int o;

	(void)state;
	/* hex without 0x, as /proc writes device numbers, addresses and SysV names */
	assert_int_equal(mem_to_hex("00abCD12", 8, &u), 0);
	assert_int_equal(u, 0xabcd12);
	assert_int_equal(mem_to_hex("ffffffffffffffff", 16, &u), 0);
	assert_int_equal(u, UINT64_MAX);
	assert_int_equal(mem_to_hex("1ffffffffffffffff", 17, &u), -ERANGE);
	assert_int_equal(mem_to_hex("12g4", 4, &u), -EINVAL);
	assert_int_equal(mem_to_hex("", 0, &u), -EINVAL);
	assert_int_equal(mem_to_hex("0x12", 4, &u), -EINVAL);
	/* no terminator needed: only n bytes are read */
	assert_int_equal(mem_to_u64("123456", 3, &u), 0);
	assert_int_equal(u, 123);
	assert_int_equal(mem_to_i64("-42xyz", 3, &i), 0);
	assert_int_equal(i, -42);
	assert_int_equal(mem_to_u64("12", 0, &u), -EINVAL);
	assert_int_equal(mem_to_i64("-", 1, &i), -EINVAL);
	assert_int_equal(mem_to_u64("1a", 2, &u), -EINVAL);
	assert_int_equal(mem_to_octal("644", 3, &o), 0);
	assert_int_equal(o, 0644);
	assert_int_equal(mem_to_octal("3644", 4, &o), 0); /* SHM_LOCKED|SHM_DEST|0644 */
	assert_int_equal(o, 03644);
	assert_int_equal(mem_to_octal("0", 1, &o), 0);
	assert_int_equal(o, 0);
	assert_int_equal(mem_to_octal("648", 3, &o), -EINVAL);
	assert_int_equal(mem_to_octal("", 0, &o), -EINVAL);
	assert_int_equal(mem_to_octal("-1", 2, &o), -EINVAL);
	assert_int_equal(mem_to_octal("777777777", 9, &o), -EINVAL); /* too long */
}

static void test_id(void **state)
{
	int id = -5;

	(void)state;
	assert_int_equal(str_to_id("0", &id), 0);
	assert_int_equal(id, 0);
	assert_int_equal(str_to_id("32769", &id), 0);
	assert_int_equal(id, 32769);
	assert_int_equal(str_to_id("0x8001", &id), 0);
	assert_int_equal(id, 0x8001);
	assert_int_equal(str_to_id("0XfF", &id), 0);
	assert_int_equal(id, 255);
	assert_int_equal(str_to_id("2147483647", &id), 0);
	assert_int_equal(id, INT_MAX);
	assert_int_equal(str_to_id("0x7fffffff", &id), 0);
	assert_int_equal(id, INT_MAX);
	assert_int_equal(str_to_id("2147483648", &id), -ERANGE);
	assert_int_equal(str_to_id("0x80000000", &id), -ERANGE);
	assert_int_equal(str_to_id("99999999999", &id), -ERANGE);
	assert_int_equal(str_to_id("0x11112222333344445", &id), -ERANGE);
	assert_int_equal(str_to_id("-1", &id), -EINVAL);
	assert_int_equal(str_to_id("12x", &id), -EINVAL);
	assert_int_equal(str_to_id("0x", &id), -EINVAL);
	assert_int_equal(str_to_id("0xg", &id), -EINVAL);
	assert_int_equal(str_to_id("", &id), -EINVAL);
	assert_int_equal(str_to_id(" 1", &id), -EINVAL);
	assert_int_equal(id, INT_MAX);
}

static void test_key(void **state)
{
	int32_t key = 9;

	(void)state;
	assert_int_equal(str_to_key("0", &key), 0); /* IPC_PRIVATE */
	assert_int_equal(key, 0);
	assert_int_equal(str_to_key("4660", &key), 0);
	assert_int_equal(key, 0x1234);
	assert_int_equal(str_to_key("0x1234", &key), 0);
	assert_int_equal(key, 0x1234);
	/* negative keys, as /proc/sysvipc prints them, and their unsigned forms */
	assert_int_equal(str_to_key("-1", &key), 0);
	assert_int_equal(key, -1);
	assert_int_equal(str_to_key("0xffffffff", &key), 0);
	assert_int_equal(key, -1);
	assert_int_equal(str_to_key("4294967295", &key), 0);
	assert_int_equal(key, -1);
	assert_int_equal(str_to_key("-2147483648", &key), 0);
	assert_int_equal(key, INT32_MIN);
	assert_int_equal(str_to_key("0x80000001", &key), 0);
	assert_int_equal(key, -2147483647);
	assert_int_equal(str_to_key("-2147483649", &key), -ERANGE);
	assert_int_equal(str_to_key("4294967296", &key), -ERANGE);
	assert_int_equal(str_to_key("0x100000000", &key), -ERANGE);
	assert_int_equal(str_to_key("0x", &key), -EINVAL);
	assert_int_equal(str_to_key("0x12g4", &key), -EINVAL);
	assert_int_equal(str_to_key("-0x12", &key), -EINVAL);
	assert_int_equal(str_to_key("12x", &key), -EINVAL);
	assert_int_equal(str_to_key("", &key), -EINVAL);
	assert_int_equal(key, -2147483647);
}

static void test_mode(void **state)
{
	unsigned int m = 1;

	(void)state;
	assert_int_equal(str_to_mode("644", 0777, &m), 0);
	assert_int_equal(m, 0644);
	assert_int_equal(str_to_mode("0600", 0777, &m), 0);
	assert_int_equal(m, 0600);
	assert_int_equal(str_to_mode("777", 0777, &m), 0);
	assert_int_equal(m, 0777);
	assert_int_equal(str_to_mode("0", 0777, &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(str_to_mode("1777", 0777, &m), -ERANGE);
	assert_int_equal(str_to_mode("1777", 07777, &m), 0);
	assert_int_equal(m, 01777);
	assert_int_equal(str_to_mode("678", 0777, &m), -EINVAL);
	assert_int_equal(str_to_mode("rw", 0777, &m), -EINVAL);
	assert_int_equal(str_to_mode("", 0777, &m), -EINVAL);
	assert_int_equal(str_to_mode("-1", 0777, &m), -EINVAL);
	assert_int_equal(str_to_mode("0x1ff", 0777, &m), -EINVAL);
}

static void test_size(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(str_to_size("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(str_to_size("10000", &v), 0);
	assert_int_equal(v, 10000);
	assert_int_equal(str_to_size("10B", &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(str_to_size("4K", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(str_to_size("4k", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(str_to_size("4KiB", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(str_to_size("4KB", &v), 0);
	assert_int_equal(v, 4000);
	assert_int_equal(str_to_size("1M", &v), 0);
	assert_int_equal(v, 1048576);
	assert_int_equal(str_to_size("2G", &v), 0);
	assert_true(v == 2ULL << 30);
	assert_int_equal(str_to_size("1T", &v), 0);
	assert_true(v == 1ULL << 40);
	assert_int_equal(str_to_size("1PB", &v), 0);
	assert_true(v == 1000000000000000ULL);
	assert_int_equal(str_to_size("15E", &v), 0);
	assert_true(v == 15ULL << 60);
	assert_int_equal(str_to_size("16E", &v), -ERANGE);
	assert_int_equal(str_to_size("17179869184G", &v), -ERANGE);
	assert_int_equal(str_to_size("99999999999999999999", &v), -ERANGE);
	assert_int_equal(str_to_size("", &v), -EINVAL);
	assert_int_equal(str_to_size("K", &v), -EINVAL);
	assert_int_equal(str_to_size("1X", &v), -EINVAL);
	assert_int_equal(str_to_size("1 K", &v), -EINVAL);
	assert_int_equal(str_to_size("1Ki", &v), -EINVAL);
	assert_int_equal(str_to_size("1KiBs", &v), -EINVAL);
	assert_int_equal(str_to_size("1BB", &v), -EINVAL);
	assert_int_equal(str_to_size("-1", &v), -EINVAL);
	assert_int_equal(str_to_size("1.5K", &v), -EINVAL);
}

static void test_duration(void **state)
{
	int64_t s = 0;

	(void)state;
	assert_int_equal(str_to_duration("0", &s), 0);
	assert_int_equal(s, 0);
	assert_int_equal(str_to_duration("90", &s), 0);
	assert_int_equal(s, 90);
	assert_int_equal(str_to_duration("90s", &s), 0);
	assert_int_equal(s, 90);
	assert_int_equal(str_to_duration("5m", &s), 0);
	assert_int_equal(s, 300);
	assert_int_equal(str_to_duration("5min", &s), 0);
	assert_int_equal(s, 300);
	assert_int_equal(str_to_duration("2h", &s), 0);
	assert_int_equal(s, 7200);
	assert_int_equal(str_to_duration("3d", &s), 0);
	assert_int_equal(s, 3 * 86400);
	assert_int_equal(str_to_duration("1w", &s), 0);
	assert_int_equal(s, 604800);
	assert_int_equal(str_to_duration("9223372036854775807", &s), 0);
	assert_true(s == INT64_MAX);
	assert_int_equal(str_to_duration("9223372036854775808", &s), -ERANGE);
	assert_int_equal(str_to_duration("99999999999999999w", &s), -ERANGE);
	assert_int_equal(str_to_duration("", &s), -EINVAL);
	assert_int_equal(str_to_duration("h", &s), -EINVAL);
	assert_int_equal(str_to_duration("5y", &s), -EINVAL);
	assert_int_equal(str_to_duration("5 m", &s), -EINVAL);
	assert_int_equal(str_to_duration("-5m", &s), -EINVAL);
	assert_int_equal(str_to_duration("5mm", &s), -EINVAL);
}

static void check_fmt_u64(uint64_t v, const char *want)
{
	char buf[32];
	size_t n = fmt_u64(buf, v);

	buf[n] = '\0';
	assert_string_equal(buf, want);
}

static void check_fmt_i64(int64_t v, const char *want)
{
	char buf[32];
	size_t n = fmt_i64(buf, v);

	buf[n] = '\0';
	assert_string_equal(buf, want);
}

static void test_fmt_decimal(void **state)
{
	(void)state;
	check_fmt_u64(0, "0");
	check_fmt_u64(9, "9");
	check_fmt_u64(10, "10");
	check_fmt_u64(4294967295u, "4294967295");
	check_fmt_u64(UINT64_MAX, "18446744073709551615");
	check_fmt_i64(0, "0");
	check_fmt_i64(-1, "-1");
	check_fmt_i64(1795795121, "1795795121");
	check_fmt_i64(INT64_MAX, "9223372036854775807");
	check_fmt_i64(INT64_MIN, "-9223372036854775808");
}

static void check_size(uint64_t bytes, const char *want)
{
	char buf[32];
	size_t n = fmt_size_human(buf, bytes);

	buf[n] = '\0';
	assert_string_equal(buf, want);
}

/* The expectations are what util-linux's lsipc prints for these sizes. */
static void test_fmt_size(void **state)
{
	(void)state;
	check_size(0, "0B");
	check_size(1, "1B");
	check_size(1023, "1023B");
	check_size(1024, "1K");
	check_size(1075, "1K"); /* 0.049K rounds down */
	check_size(1076, "1.1K");
	check_size(1536, "1.5K");
	check_size(2047, "2K"); /* 1.999K rounds up to a whole number */
	check_size(4096, "4K");
	check_size(10000, "9.8K");
	check_size(10239, "10K");
	check_size(102400, "100K");
	check_size(1048063, "1023.5K");
	check_size(1048575, "1024K"); /* rounding does not change the unit */
	check_size(1048576, "1M");
	check_size(1100000, "1M");
	check_size(1572864, "1.5M");
	check_size(5ULL << 30, "5G");
	check_size(1288490188, "1.2G");
	check_size(1ULL << 40, "1T");
	check_size(3ULL << 50, "3P");
	check_size(1ULL << 60, "1E");
	check_size(UINT64_MAX, "16E");
	check_size(UINT64_MAX - (1ULL << 59), "15.5E");
}

static void test_sbuf(void **state)
{
	char buf[64], tiny[8];
	struct sbuf b;

	(void)state;
	sbuf_init(&b, buf, sizeof(buf));
	assert_string_equal(buf, "");
	sbuf_puts(&b, "key ");
	sbuf_key(&b, 0x1234abcd);
	sbuf_puts(&b, " mode ");
	sbuf_octal(&b, 0640);
	sbuf_puts(&b, " ");
	sbuf_octal(&b, 0);
	sbuf_label_i64(&b, " ", -42);
	sbuf_label_u64(&b, " ", UINT64_MAX);
	assert_string_equal(buf, "key 0x1234abcd mode 640 0 -42 18446744073709551615");
	assert_int_equal(b.len, strlen(buf));
	sbuf_append_to(&b, buf, sizeof(buf));
	assert_int_equal(b.len, strlen(buf));
	sbuf_init(&b, buf, sizeof(buf));
	sbuf_key(&b, 0xffffffffu);
	sbuf_key(&b, 0);
	assert_string_equal(buf, "0xffffffff0x00000000");
	/* what does not fit is cut off, and the string stays terminated */
	sbuf_init(&b, tiny, sizeof(tiny));
	sbuf_puts(&b, "abcdef");
	sbuf_u64(&b, 12345);
	assert_string_equal(tiny, "abcdef1");
	assert_int_equal(b.len, 7);
	sbuf_puts(&b, "more");
	assert_string_equal(tiny, "abcdef1");
}

struct cover {
	unsigned char seen[10000];
	size_t slices[PARALLEL_MAX];
};

static void cover_slice(void *arg, size_t lo, size_t hi, unsigned int slice)
{
	struct cover *c = arg;

	for (size_t i = lo; i < hi; i++)
		c->seen[i]++;
	c->slices[slice] = hi - lo;
}

static void cover_item(void *arg, size_t i)
{
	((struct cover *)arg)->seen[i]++;
}

static void test_parallel(void **state)
{
	static const size_t sizes[] = { 0, 1, 7, 100, 9999, 10000 };
	static struct cover c;

	(void)state;
	for (size_t t = 0; t < sizeof(sizes) / sizeof(sizes[0]); t++) {
		size_t n = sizes[t], total = 0;

		memset(&c, 0, sizeof(c));
		parallel_for(n, 10, cover_slice, &c);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(c.seen[i], 1); /* every item once */
		for (unsigned int s = 0; s < PARALLEL_MAX; s++)
			total += c.slices[s];
		assert_int_equal(total, n);
		memset(&c, 0, sizeof(c));
		parallel_each(n, 10, cover_item, &c);
		for (size_t i = 0; i < sizeof(c.seen); i++)
			assert_int_equal(c.seen[i], i < n); /* every item once, nothing more */
	}
	assert_int_equal(parallel_slices(5, 10), 1); /* too few to share out */
	assert_int_equal(parallel_slices(100, SIZE_MAX), 1);
	assert_true(parallel_slices(1000000, 1) <= PARALLEL_MAX);
}

static const char *esc(const char *s, unsigned int flags)
{
	static char buf[256];

	assert_true(ESC_MAX(strlen(s)) < sizeof(buf));
	buf[esc_mem(buf, s, strlen(s), flags)] = '\0';
	return buf;
}

static void test_escape(void **state)
{
	char buf[16], line[24];
	struct sbuf b;

	(void)state;
	/* printable ASCII and valid UTF-8 stay; the quick scan sends UTF-8 the slow way */
	assert_false(esc_needed("psm_1a2b ~!", 11, 0));
	assert_true(esc_needed("a b", 3, ESC_SPACE));
	assert_true(esc_needed("caf\xc3\xa9", 5, 0));
	assert_string_equal(esc("caf\xc3\xa9 \xe2\x82\xac\xf0\x9f\x98\x80\xc2\xa0", 0),
			    "caf\xc3\xa9 \xe2\x82\xac\xf0\x9f\x98\x80\xc2\xa0");
	/* C0, DEL, C1 (each byte of it), the backslash, and spaces when asked */
	assert_string_equal(esc("a\nb\tc\x1b]0;t\x07", 0), "a\\x0ab\\x09c\\x1b]0;t\\x07");
	assert_string_equal(esc("\x7f\\", 0), "\\x7f\\x5c");
	assert_string_equal(esc("\xc2\x9b" "2J\xc2\x80\xc2\x9f", 0),
			    "\\xc2\\x9b2J\\xc2\\x80\\xc2\\x9f");
	assert_string_equal(esc("a b", ESC_SPACE), "a\\x20b");
	/* the line and paragraph separators (not printable, to glibc and so util-linux), and
	 * the bidirectional overrides and isolates, which would show a line reordered */
	assert_string_equal(esc("a\xe2\x80\xa8" "b\xe2\x80\xa9", 0),
			    "a\\xe2\\x80\\xa8b\\xe2\\x80\\xa9");
	assert_string_equal(esc("\xe2\x80\xaa\xe2\x80\xae\xe2\x81\xa6\xe2\x81\xa9", 0),
			    "\\xe2\\x80\\xaa\\xe2\\x80\\xae\\xe2\\x81\\xa6\\xe2\\x81\\xa9");
	assert_string_equal(esc("\xe2\x80\x94\xe2\x80\xaf\xe2\x81\xa5", 0),
			    "\xe2\x80\x94\xe2\x80\xaf\xe2\x81\xa5"); /* dash, NNBSP, U+2065 */
	/* invalid UTF-8: each bad byte, and what follows is read afresh */
	assert_string_equal(esc("\xff" "a\x80", 0), "\\xffa\\x80");
	assert_string_equal(esc("\xc0\x80", 0), "\\xc0\\x80");		/* overlong */
	assert_string_equal(esc("\xed\xa0\x80", 0), "\\xed\\xa0\\x80");	/* surrogate */
	assert_string_equal(esc("\xf4\x90\x80\x80", 0), "\\xf4\\x90\\x80\\x80"); /* > U+10FFFF */
	assert_string_equal(esc("a\xe2\x82", 0), "a\\xe2\\x82");		/* truncated */
	assert_string_equal(esc("\xc3" "(\xc3\xa9", 0), "\\xc3(\xc3\xa9");
	/* a bounded copy cuts between whole characters and whole escapes */
	assert_int_equal(esc_str(buf, 5, "\n\n", 0), 4);
	assert_string_equal(buf, "\\x0a");
	assert_int_equal(esc_str(buf, 4, "\n", 0), 0);
	assert_string_equal(buf, "");
	assert_int_equal(esc_str(buf, 3, "a\xc3\xa9", 0), 1);
	assert_string_equal(buf, "a");
	assert_int_equal(esc_str(buf, 8, "\xc2\x85", 0), 0); /* a C1's two escapes, or none */
	assert_int_equal(esc_str(buf, 1, "abc", 0), 0);
	assert_string_equal(esc_str(buf, sizeof(buf), "ok", 0) ? buf : "", "ok");
	/* sbuf: names escaped in a sentence, and a cut never splits a UTF-8 sequence */
	sbuf_init(&b, line, sizeof(line));
	sbuf_puts(&b, "reused by ");
	sbuf_escaped(&b, "\nmode 666");
	assert_string_equal(line, "reused by \\x0amode 666");
	assert_int_equal(b.len, strlen(line));
	sbuf_escaped(&b, "\n");
	assert_string_equal(line, "reused by \\x0amode 666"); /* no room for the escape */
	sbuf_init(&b, buf, 4);
	sbuf_puts(&b, "ab\xc3\xa9");
	assert_string_equal(buf, "ab");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64),	    cmocka_unit_test(test_i64),
		cmocka_unit_test(test_mem),	    cmocka_unit_test(test_id),
		cmocka_unit_test(test_key),	    cmocka_unit_test(test_mode),
		cmocka_unit_test(test_size),	    cmocka_unit_test(test_duration),
		cmocka_unit_test(test_fmt_decimal), cmocka_unit_test(test_fmt_size),
		cmocka_unit_test(test_sbuf),	    cmocka_unit_test(test_parallel),
		cmocka_unit_test(test_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
