/* test-output.c: the CLI's output module: value formatting (sizes as util-linux prints
 * them, keys, perms, times), JSON string escaping, every output mode, column selection,
 * and the doctor's remedies as command lines and JSON (remedy.c). */
#include "capture.h"

#include <errno.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "obuf.h"
#include "output.h"
#include "remedy.h"

/* ---- value formatting ---- */

static const char *fmt(const struct out_opts *o, struct value v)
{
	static char buf[128];
	char tmp[64];
	const char *text;
	size_t n = value_format(o, &v, tmp, &text);

	assert_true(n < sizeof(buf));
	memcpy(buf, text, n);
	buf[n] = '\0';
	return buf;
}

#define SIZEV(x) ((struct value){ .type = V_SIZE, .u = (x) })
#define KEYV(x) ((struct value){ .type = V_KEY, .u = (uint32_t)(x) })
#define PERMV(x) ((struct value){ .type = V_PERMS, .u = (x) })
#define TIMEV(x) ((struct value){ .type = V_TIME, .i = (x) })

static void test_sizes(void **state)
{
	struct out_opts o = { 0 }, b = { .bytes = true };

	(void)state;
	/* as util-linux's lsipc prints them */
	assert_string_equal(fmt(&o, SIZEV(10000)), "9.8K");
	assert_string_equal(fmt(&o, SIZEV(1536)), "1.5K");
	assert_string_equal(fmt(&o, SIZEV(4096)), "4K");
	assert_string_equal(fmt(&o, SIZEV(1023)), "1023B");
	assert_string_equal(fmt(&o, SIZEV(0)), "0B");
	assert_string_equal(fmt(&o, SIZEV(1075)), "1K");
	assert_string_equal(fmt(&o, SIZEV(1048576)), "1M");
	assert_string_equal(fmt(&o, SIZEV(1100000)), "1M");
	assert_string_equal(fmt(&o, SIZEV(3ULL << 30)), "3G");
	/* --bytes */
	assert_string_equal(fmt(&b, SIZEV(10000)), "10000");
	assert_string_equal(fmt(&b, SIZEV(UINT64_MAX)), "18446744073709551615");
}

static void test_keys_perms(void **state)
{
	struct out_opts o = { 0 };

	(void)state;
	assert_string_equal(fmt(&o, KEYV(0)), "0x00000000");
	assert_string_equal(fmt(&o, KEYV(0x1234)), "0x00001234");
	assert_string_equal(fmt(&o, KEYV(0xdeadbeef)), "0xdeadbeef");
	assert_string_equal(fmt(&o, KEYV((uint32_t)(int32_t)-2)), "0xfffffffe");
	assert_string_equal(fmt(&o, KEYV((uint32_t)INT32_MIN)), "0x80000000");
	assert_string_equal(fmt(&o, PERMV(0644)), "644");
	assert_string_equal(fmt(&o, PERMV(0600)), "600");
	assert_string_equal(fmt(&o, PERMV(0)), "0");
	assert_string_equal(fmt(&o, PERMV(0777)), "777");
}

static void test_other_values(void **state)
{
	struct out_opts o = { 0 };

	(void)state;
	assert_string_equal(fmt(&o, ((struct value){ .type = V_NONE })), "-");
	assert_string_equal(fmt(&o, ((struct value){ .type = V_STR, .s = NULL })), "-");
	assert_string_equal(fmt(&o, ((struct value){ .type = V_STR, .s = "root" })), "root");
	assert_string_equal(fmt(&o, ((struct value){ .type = V_U64, .u = 32768 })), "32768");
	assert_string_equal(fmt(&o, ((struct value){ .type = V_I64, .i = -7 })), "-7");
	assert_string_equal(fmt(&o, ((struct value){ .type = V_PERCENT, .d = 12.5 })),
			    "12.50%");
	assert_string_equal(fmt(&o, ((struct value){ .type = V_PERCENT, .d = 100.0 / 3 })),
			    "33.33%");
	assert_string_equal(fmt(&o, ((struct value){ .type = V_BOOL, .b = true })), "yes");
	assert_string_equal(fmt(&o, ((struct value){ .type = V_BOOL, .b = false })), "no");
}

static void test_times(void **state)
{
	struct out_opts iso = { .time_format = TIME_ISO }, full = { .time_format = TIME_FULL };
	struct out_opts shrt = { .time_format = TIME_SHORT };
	time_t now = time(NULL);
	struct tm tm;
	char want[64];

	(void)state;
	/* TZ is UTC (main sets it) */
	assert_string_equal(fmt(&shrt, TIMEV(0)), "-");
	assert_string_equal(fmt(&iso, TIMEV(0)), "-");
	assert_string_equal(fmt(&iso, TIMEV(1700000000)), "2023-11-14T22:13:20+00:00");
	assert_string_equal(fmt(&full, TIMEV(1700000000)), "Tue Nov 14 22:13:20 2023");
	assert_string_equal(fmt(&full, TIMEV(1700000000 + 899)), "Tue Nov 14 22:28:19 2023");
	assert_string_equal(fmt(&full, TIMEV(1700000000 + 900)), "Tue Nov 14 22:28:20 2023");
	assert_string_equal(fmt(&iso, TIMEV(86400 * 365)), "1971-01-01T00:00:00+00:00");
	/* short: another year gives the year, today the time of day */
	assert_string_equal(fmt(&shrt, TIMEV(1700000000)), "2023-Nov14");
	gmtime_r(&now, &tm);
	strftime(want, sizeof(want), "%H:%M", &tm);
	assert_string_equal(fmt(&shrt, TIMEV(now)), want);
}

/* ---- JSON strings ---- */

static const char *json_of(const char *s)
{
	cap_start();
	json_escape(out, s, strlen(s));
	return cap_end();
}

static void test_json_escaping(void **state)
{
	(void)state;
	assert_string_equal(json_of(""), "\"\"");
	assert_string_equal(json_of("root"), "\"root\"");
	assert_string_equal(json_of("a\"b"), "\"a\\\"b\"");
	assert_string_equal(json_of("a\\b"), "\"a\\\\b\"");
	assert_string_equal(json_of("\x01"), "\"\\u0001\"");
	assert_string_equal(json_of("tab\there\nnl"), "\"tab\\u0009here\\u000anl\"");
	assert_string_equal(json_of("\x1f\x7f"), "\"\\u001f\\u007f\"");
	assert_string_equal(json_of("/"), "\"/\"");
	/* valid UTF-8 passes unchanged */
	assert_string_equal(json_of("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
	assert_string_equal(json_of("\xe2\x82\xac"), "\"\xe2\x82\xac\"");
	assert_string_equal(json_of("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");
	assert_string_equal(json_of("\xf4\x8f\xbf\xbf"), "\"\xf4\x8f\xbf\xbf\"");
	/* invalid UTF-8: each bad byte becomes U+FFFD */
	assert_string_equal(json_of("\xff"), "\"\\ufffd\"");
	assert_string_equal(json_of("a\xc3"), "\"a\\ufffd\"");	     /* truncated */
	assert_string_equal(json_of("\xc3(x"), "\"\\ufffd(x\"");     /* bad continuation */
	assert_string_equal(json_of("\x80"), "\"\\ufffd\"");	     /* lone continuation */
	assert_string_equal(json_of("\xc0\x80"), "\"\\ufffd\\ufffd\""); /* overlong NUL */
	assert_string_equal(json_of("\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\""); /* overlong */
	assert_string_equal(json_of("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate */
	assert_string_equal(json_of("\xf4\x90\x80\x80"),
			    "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* above U+10FFFF */
	assert_string_equal(json_of("we\"ird\\\x01\xff"), "\"we\\\"ird\\\\\\u0001\\ufffd\"");
	/* C1 controls (U+0080..U+009F) too, for whoever reads the JSON on a terminal */
	assert_string_equal(json_of("\xc2\x9b" "2J\xc2\x85\xc2\xa0"),
			    "\"\\u009b2J\\u0085\xc2\xa0\"");
	/* the separators and bidi controls that escape.h names; their neighbours pass */
	assert_string_equal(json_of("\xe2\x80\xa7\xe2\x80\xa8\xe2\x80\xae\xe2\x80\xaf"),
			    "\"\xe2\x80\xa7\\u2028\\u202e\xe2\x80\xaf\"");
	assert_string_equal(json_of("\xe2\x81\xa5\xe2\x81\xa6\xe2\x81\xa9\xe2\x81\xaa"),
			    "\"\xe2\x81\xa5\\u2066\\u2069\xe2\x81\xaa\"");
}

/* ---- export ---- */

static const char *export_of(const char *s)
{
	cap_start();
	export_pair(out, "USE%-X", s, strlen(s));
	return cap_end();
}

static void test_export_quoting(void **state)
{
	(void)state;
	assert_string_equal(export_of("plain"), "USE_PCT_X=\"plain\"");
	/* escaped as every text form is, then quoted for the shell as lsipc does */
	assert_string_equal(export_of("a\"$(id)`x`"), "USE_PCT_X=\"a\\\"\\$(id)\\`x\\`\"");
	assert_string_equal(export_of("a\nB=\"1\""), "USE_PCT_X=\"a\\\\x0aB=\\\"1\\\"\"");
	assert_string_equal(export_of("back\\slash"), "USE_PCT_X=\"back\\\\x5cslash\"");
	assert_string_equal(export_of("\x1b]0;t\x07\xc2\x9b\xff caf\xc3\xa9"),
			    "USE_PCT_X=\"\\\\x1b]0;t\\\\x07\\\\xc2\\\\x9b\\\\xff caf\xc3\xa9\"");
}

/* A strict checker of one JSON string (RFC 8259, UTF-8 per RFC 3629); returns its end. */
static const char *json_string_end(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (*p++ != '"')
		return NULL;
	for (;;) {
		unsigned char c = *p;

		if (c == '"')
			return (const char *)p + 1;
		if (c < 0x20)
			return NULL;
		if (c == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
						return NULL;
				p += 5;
			} else if (*p && strchr("\"\\/bfnrt", *p)) {
				p++;
			} else {
				return NULL;
			}
			continue;
		}
		if (c < 0x80) {
			p++;
			continue;
		}
		/* a multi-byte sequence: decode and check the code point */
		{
			int k = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
			uint32_t cp = c & (k == 4 ? 0x07 : k == 3 ? 0x0f : 0x1f);
			static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };

			if (k == 0 || c > 0xf4)
				return NULL;
			for (int i = 1; i < k; i++) {
				if ((p[i] & 0xc0) != 0x80)
					return NULL;
				cp = cp << 6 | (p[i] & 0x3f);
			}
			if (cp < min[k] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
				return NULL;
			p += k;
		}
	}
}

/* Random bytes (a fixed seed) always give one valid JSON string. */
static void test_json_random(void **state)
{
	unsigned int seed = 12345;
	char s[64];

	(void)state;
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(rand_r(&seed) % 40);
		const char *j, *end;

		for (size_t i = 0; i < n; i++) {
			int r = rand_r(&seed);

			/* favour the interesting bytes: high ones, controls, quotes */
			s[i] = (char)(r % 3 == 0 ? 0x80 + (r >> 8) % 0x80
				      : r % 3 == 1 ? (r >> 8) % 0x28 : (r >> 8) % 0xff + 1);
			if (s[i] == '\0')
				s[i] = 'x';
		}
		s[n] = '\0';
		j = json_of(s);
		end = json_string_end(j);
		if (end == NULL || *end != '\0')
			fail_msg("invalid JSON %s for input of %zu bytes", j, n);
	}
}

/* ---- tables in every mode ---- */

struct row {
	const char *name;
	uint64_t size;
	int32_t key;
	bool has_pid;
};

static void get_name(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_STR;
	v->s = ((const struct row *)r)->name;
}

static void get_size(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_SIZE;
	v->u = ((const struct row *)r)->size;
}

static void get_key(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_KEY;
	v->u = (uint32_t)((const struct row *)r)->key;
}

static void get_pid(const void *r, void *e, struct value *v)
{
	(void)e;
	if (((const struct row *)r)->has_pid) {
		v->type = V_U64;
		v->u = 42;
	}
}

static const struct column test_cols[] = {
	{ "NAME", "a name", 0, get_name, NULL, 1, 0 },
	{ "SIZE", "a size", COL_RIGHT, get_size, NULL, 1, 4 },
	{ "KEY", "a key", 0, get_key, NULL, 3, 0 },
	{ "LAST-PID", "a pid", COL_RIGHT, get_pid, "pid", 2, 1 | 8 },
};
#define NCOLS (sizeof(test_cols) / sizeof(test_cols[0]))

static const struct row rows[] = {
	{ "root", 10000, 0x1234, true },
	{ "a b\x01\\", 4096, -2, false },
};

static const char *render(struct out_opts o, bool object)
{
	const struct column *cols[NCOLS];
	struct table *t;

	for (size_t i = 0; i < NCOLS; i++)
		cols[i] = &test_cols[i];
	cap_start();
	output_doc_begin(&o, object);
	t = table_new(&o, object ? "things" : NULL, "Some things", cols, NCOLS, NULL);
	assert_non_null(t);
	for (size_t i = 0; i < 2; i++)
		table_add(t, &rows[i]);
	assert_int_equal(table_finish(t), 0);
	output_doc_end(&o, object);
	return cap_end();
}

static void test_table_modes(void **state)
{
	(void)state;
	assert_string_equal(render((struct out_opts){ .mode = OUT_TABLE }, true),
			    "Some things\n"
			    "NAME        SIZE KEY        LAST-PID\n"
			    "root        9.8K 0x00001234       42\n"
			    "a b\\x01\\x5c   4K 0xfffffffe        -\n");
	assert_string_equal(render((struct out_opts){ .mode = OUT_TABLE, .noheadings = true,
						      .bytes = true },
				   true),
			    "root        10000 0x00001234 42\n"
			    "a b\\x01\\x5c  4096 0xfffffffe  -\n");
	assert_string_equal(render((struct out_opts){ .mode = OUT_RAW }, true),
			    "NAME SIZE KEY LAST-PID\n"
			    "root 9.8K 0x00001234 42\n"
			    "a\\x20b\\x01\\x5c 4K 0xfffffffe -\n");
	assert_string_equal(render((struct out_opts){ .mode = OUT_RAW, .noheadings = true },
				   true),
			    "root 9.8K 0x00001234 42\n"
			    "a\\x20b\\x01\\x5c 4K 0xfffffffe -\n");
	assert_string_equal(render((struct out_opts){ .mode = OUT_EXPORT }, true),
			    "NAME=\"root\" SIZE=\"9.8K\" KEY=\"0x00001234\" LAST_PID=\"42\"\n"
			    "NAME=\"a b\\\\x01\\\\x5c\" SIZE=\"4K\" KEY=\"0xfffffffe\" LAST_PID=\"-\"\n");
	assert_string_equal(render((struct out_opts){ .mode = OUT_JSON }, true),
			    "{\"things\": [\n"
			    "    {\"name\": \"root\", \"size\": 10000, \"key\": \"0x00001234\", "
			    "\"pid\": 42},\n"
			    "    {\"name\": \"a b\\u0001\\\\\", \"size\": 4096, "
			    "\"key\": \"0xfffffffe\", \"pid\": null}\n"
			    "  ]}\n");
	assert_string_equal(render((struct out_opts){ .mode = OUT_JSON }, false),
			    "[\n"
			    "  {\"name\": \"root\", \"size\": 10000, \"key\": \"0x00001234\", "
			    "\"pid\": 42},\n"
			    "  {\"name\": \"a b\\u0001\\\\\", \"size\": 4096, "
			    "\"key\": \"0xfffffffe\", \"pid\": null}\n"
			    "]\n");
}

/* Valid UTF-8 takes one column a character; invalid bytes are escaped (4 columns). */
static void test_table_utf8_width(void **state)
{
	static const struct row urows[] = {
		{ "caf\xc3\xa9", 4096, 0, false },
		{ "ab", 4096, 0, false },
		{ "x\xff", 4096, 0, false },
	};
	struct out_opts o = { .mode = OUT_TABLE };
	const struct column *cols[2] = { &test_cols[0], &test_cols[1] };
	struct table *t;

	(void)state;
	cap_start();
	t = table_new(&o, NULL, NULL, cols, 2, NULL);
	for (size_t i = 0; i < 3; i++)
		table_add(t, &urows[i]);
	assert_int_equal(table_finish(t), 0);
	assert_string_equal(cap_end(), "NAME  SIZE\n"
				       "caf\xc3\xa9    4K\n"
				       "ab      4K\n"
				       "x\\xff   4K\n");
}

static void test_json_two_tables(void **state)
{
	struct out_opts o = { .mode = OUT_JSON };
	const struct column *cols[1] = { &test_cols[2] };
	struct table *t;

	(void)state;
	cap_start();
	output_doc_begin(&o, true);
	t = table_new(&o, "a", NULL, cols, 1, NULL);
	table_add(t, &rows[0]);
	assert_int_equal(table_finish(t), 0);
	t = table_new(&o, "b", NULL, cols, 1, NULL);
	assert_int_equal(table_finish(t), 0);
	output_doc_end(&o, true);
	assert_string_equal(cap_end(), "{\"a\": [\n"
				       "    {\"key\": \"0x00001234\"}\n"
				       "  ], \"b\": []}\n");
}

static void get_perms(const void *r, void *e, struct value *v)
{
	(void)r;
	(void)e;
	v->type = V_PERMS;
	v->u = 0640;
}

static void get_time(const void *r, void *e, struct value *v)
{
	(void)r;
	(void)e;
	v->type = V_TIME;
	v->i = 1700000000;
}

static void get_percent(const void *r, void *e, struct value *v)
{
	(void)r;
	(void)e;
	v->type = V_PERCENT;
	v->d = 12.5;
}

static void get_bool(const void *r, void *e, struct value *v)
{
	(void)r;
	(void)e;
	v->type = V_BOOL;
	v->b = true;
}

static void get_i64(const void *r, void *e, struct value *v)
{
	(void)r;
	(void)e;
	v->type = V_I64;
	v->i = -3;
}

/* Keys are the lower-cased names; perms an octal string; times and numbers numbers. */
static void test_json_columns(void **state)
{
	static const struct column cols[] = {
		{ "PERMS", "p", 0, get_perms, NULL, 0, 0 },
		{ "CTIME", "t", 0, get_time, NULL, 0, 0 },
		{ "USE%", "u", 0, get_percent, "percent", 0, 0 },
		{ "OK", "b", 0, get_bool, NULL, 0, 0 },
		{ "DELTA", "i", 0, get_i64, NULL, 0, 0 },
	};
	const struct column *sel[5];
	struct json j;

	(void)state;
	for (size_t i = 0; i < 5; i++)
		sel[i] = &cols[i];
	cap_start();
	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_str(&j, "before", "x");
	json_columns(&j, sel, 5, NULL, NULL);
	json_finish(&j);
	assert_string_equal(cap_end(), "{\"before\": \"x\", \"perms\": \"640\", "
				       "\"ctime\": 1700000000, \"percent\": 12.50, \"ok\": true, "
				       "\"delta\": -3}\n");
}

/* ---- column selection ---- */

static const char *selected(unsigned int kinds, const char *list, int *rp)
{
	static const char *const defaults[] = { "NAME,SIZE", "KEY", NULL };
	static char names[256];
	const struct column *sel[8];
	size_t n = 8;

	*rp = columns_select(test_cols, NCOLS, kinds, defaults, list, sel, &n);
	names[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(names, ",");
		strcat(names, sel[i]->name);
	}
	return names;
}

static void test_column_selection(void **state)
{
	int r;

	(void)state;
	assert_string_equal(selected(0, NULL, &r), "NAME,SIZE,KEY");
	assert_int_equal(r, 0);
	assert_string_equal(selected(0, "KEY,name", &r), "KEY,NAME"); /* any case */
	assert_int_equal(r, 0);
	assert_string_equal(selected(0, "+last-pid", &r), "NAME,SIZE,KEY,LAST-PID");
	assert_string_equal(selected(0, "+SIZE,KEY", &r), "NAME,SIZE,KEY,SIZE,KEY");
	assert_string_equal(selected(0, "+", &r), "NAME,SIZE,KEY");
	/* a name not in the table is skipped (the command checks names first) */
	assert_string_equal(selected(0, "NAME,BOGUS,KEY", &r), "NAME,KEY");
	assert_int_equal(r, 0);
	/* kinds keep only the columns that apply */
	assert_string_equal(selected(2, NULL, &r), "KEY");
	assert_string_equal(selected(2, "+LAST-PID,NAME", &r), "KEY,LAST-PID");
	assert_string_equal(selected(1, "LAST-PID,KEY", &r), "KEY");
	/* overlong names and too many columns are errors */
	selected(0, "NAMEXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", &r);
	assert_int_equal(r, -EINVAL);
	selected(0, "KEY,KEY,KEY,KEY,KEY,KEY,KEY,KEY,KEY", &r);
	assert_int_equal(r, -E2BIG);

	assert_ptr_equal(column_find(test_cols, NCOLS, "size"), &test_cols[1]);
	assert_ptr_equal(column_find(test_cols, NCOLS, "Last-Pid"), &test_cols[3]);
	assert_null(column_find(test_cols, NCOLS, "SIZ"));
	assert_null(column_find(test_cols, NCOLS, ""));

	/* a name inside another's is not that column (SIZE is not in "+SIZEX") */
	assert_true(columns_list_has("NAME,size", "SIZE"));
	assert_true(columns_list_has("+KEY,LAST-PID", "last-pid"));
	assert_false(columns_list_has("+LAST-PIDS,XSIZE,SIZEX,PID", "LAST-PID"));
	assert_false(columns_list_has("XSIZE,SIZEX", "SIZE"));
	assert_false(columns_list_has("", "SIZE"));
}

/* What columns need is what the selected ones need, not what their names contain. */
static void test_column_needs(void **state)
{
	static const char *const defaults[] = { "NAME,SIZE", NULL };
	const struct column *sel[8];
	size_t n = 8;

	(void)state;
	assert_int_equal(columns_select(test_cols, NCOLS, 0, defaults, NULL, sel, &n), 0);
	assert_int_equal(columns_needs(sel, n), 4);
	n = 8;
	columns_select(test_cols, NCOLS, 0, defaults, "+LAST-PID", sel, &n);
	assert_int_equal(columns_needs(sel, n), 4 | 1 | 8);
	n = 8;
	columns_select(test_cols, NCOLS, 0, defaults, "KEY,NAME", sel, &n);
	assert_int_equal(columns_needs(sel, n), 0);
	/* a kind's table leaves out what does not apply to it, and its needs */
	n = 8;
	columns_select(test_cols, NCOLS, 1, defaults, "+LAST-PID", sel, &n);
	assert_int_equal(columns_needs(sel, n), 4);
	assert_int_equal(columns_needs(sel, 0), 0);
}

/* ---- the JSON writer ---- */

static void test_json_writer(void **state)
{
	struct json j;

	(void)state;
	cap_start();
	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_str(&j, "status", "ok");
	json_array_begin(&j, "findings");
	json_object_begin(&j, NULL);
	json_u64(&j, "n", 3);
	json_i64(&j, "t", -1);
	json_str(&j, "owner", NULL);
	json_percent(&j, "pct", 12.345);
	json_percent(&j, "none", -1);
	json_array_begin(&j, "remedies");
	json_str(&j, NULL, "a\"b");
	json_bool(&j, NULL, true);
	json_array_end(&j);
	json_object_end(&j);
	json_object_begin(&j, NULL);
	json_object_end(&j);
	json_array_end(&j);
	json_array_begin(&j, "empty");
	json_array_end(&j);
	json_finish(&j);
	assert_string_equal(cap_end(),
			    "{\"status\": \"ok\", \"findings\": [\n"
			    "    {\"n\": 3, \"t\": -1, \"owner\": null, \"pct\": 12.35, "
			    "\"none\": null, \"remedies\": [\"a\\\"b\", true]},\n"
			    "    {}\n  ], \"empty\": []}\n");

	/* a bare array of objects; json_finish closes what is left open */
	cap_start();
	json_init(&j, out);
	json_array_begin(&j, NULL);
	json_object_begin(&j, NULL);
	json_raw(&j, "key", "\"0x00000001\"", 12);
	json_finish(&j);
	assert_string_equal(cap_end(), "[\n  {\"key\": \"0x00000001\"}\n]\n");
}

/* ---- the doctor's remedies: data in, command lines and JSON out ---- */

/* The remedy as remedy_json writes it, a document of its own. */
static const char *remedy_json_text(const struct ipcadm_remedy *r)
{
	struct json j;

	cap_start();
	json_init(&j, out);
	remedy_json(&j, NULL, r);
	json_finish(&j);
	return cap_end();
}

static void test_remedy_format(void **state)
{
	/* other namespaces: reached through a process in it, or not at all */
	const struct ipcadm_ns ns9 = { .ino = 4026532009, .pid = 9 },
			       ns42 = { .ino = 4026532042, .pid = 42 },
			       ns7 = { .ino = 4026532007, .pid = 7 }, nsgone = { .ino = 4026532001 },
			       nsid = { .ino = 4026532005, .pid = 5, .id = 4099 };
	struct ipcadm_remedy r = { .type = IPCADM_REMEDY_REAP };
	char buf[256];

	(void)state;
	r.reap = (struct ipcadm_remedy_reap){
		.kinds = IPCADM_KIND_BIT(IPCADM_SEM), .has_owner = true, .owner = 1234,
		.owner_name = "alice", .all_visible = true, .yes = true, .count = 7,
	};
	r.reason = "removes the 7 orphaned semaphore arrays of 'alice'";
	assert_string_equal(remedy_format(&r, NULL, true, buf, sizeof(buf)),
			    "ipcadm reap --all-visible --kind sem --owner alice --yes  # removes "
			    "the 7 orphaned semaphore arrays of 'alice'");
	/* a name a shell would split, or take for an option, goes as the UID */
	r.reap.owner_name = "sp ace;id";
	assert_string_equal(remedy_format(&r, NULL, false, buf, sizeof(buf)),
			    "ipcadm reap --all-visible --kind sem --owner 1234 --yes");
	assert_string_equal(remedy_format(&r, &ns9, false, buf, sizeof(buf)),
			    "ipcadm reap -N ipc:4026532009 --all-visible --kind sem --owner 1234 --yes");
	r.reap.owner_name = "-rf";
	assert_string_equal(remedy_format(&r, NULL, false, buf, sizeof(buf)),
			    "ipcadm reap --all-visible --kind sem --owner 1234 --yes");
	/* digits are a UID to --owner: a user named "4244" goes by its own UID */
	r.reap.owner_name = "4244";
	assert_string_equal(remedy_format(&r, NULL, false, buf, sizeof(buf)),
			    "ipcadm reap --all-visible --kind sem --owner 1234 --yes");
	r.reap.owner_name = "4244a";
	assert_string_equal(remedy_format(&r, NULL, false, buf, sizeof(buf)),
			    "ipcadm reap --all-visible --kind sem --owner 4244a --yes");
	/* a name pattern in single quotes, its own quotes too */
	r.reap = (struct ipcadm_remedy_reap){
		.kinds = IPCADM_KIND_BIT(IPCADM_PSHM) | IPCADM_KIND_BIT(IPCADM_PSEM),
		.include_idle = true, .name = "it's*",
	};
	assert_string_equal(remedy_format(&r, NULL, false, buf, sizeof(buf)),
			    "ipcadm reap --include-idle --kind pshm,psem --name 'it'\\''s*'");

	r = (struct ipcadm_remedy){ .type = IPCADM_REMEDY_SET_SYSCTL };
	r.sysctl = (struct ipcadm_remedy_sysctl){
		.limit = IPCADM_LIMIT_SEMMNI, .sysctl = "kernel.sem",
		.values = { 250, 32000, 32, 256 }, .nvalues = 4,
	};
	assert_string_equal(remedy_format(&r, NULL, true, buf, sizeof(buf)),
			    "sysctl -w kernel.sem='250 32000 32 256'");
	r.sysctl.persist = true;
	r.reason = "keeps it after a reboot";
	assert_string_equal(remedy_format(&r, NULL, true, buf, sizeof(buf)),
			    "echo 'kernel.sem = 250 32000 32 256' > /etc/sysctl.d/60-ipcadm-sem.conf"
			    "  # keeps it after a reboot");
	/* another namespace's setting: the host's /etc/sysctl.d is not its place */
	assert_string_equal(remedy_format(&r, &ns42, true, buf, sizeof(buf)),
			    "# kernel.sem = 250 32000 32 256 where this namespace's processes are "
			    "started (not the host's /etc/sysctl.d)  # keeps it after a reboot");
	r.sysctl = (struct ipcadm_remedy_sysctl){ .sysctl = "kernel.shmmni", .values = { 16 },
						  .nvalues = 1 };
	assert_string_equal(remedy_format(&r, NULL, false, buf, sizeof(buf)),
			    "sysctl -w kernel.shmmni=16");
	/* in another namespace: nsenter, ipcadm's own -N */
	assert_string_equal(remedy_format(&r, &ns42, false, buf, sizeof(buf)),
			    "nsenter --ipc --target 42 sysctl -w kernel.shmmni=16");
	/* another namespace that no process reaches: nothing to paste */
	assert_string_equal(remedy_format(&r, &nsgone, false, buf, sizeof(buf)),
			    "# no process to enter its namespace: sysctl -w kernel.shmmni=16");

	r = (struct ipcadm_remedy){ .type = IPCADM_REMEDY_WHO, .who = { IPCADM_SHM, 2 } };
	assert_string_equal(remedy_format(&r, NULL, true, buf, sizeof(buf)), "ipcadm who shm 2");
	assert_string_equal(remedy_format(&r, &ns42, true, buf, sizeof(buf)),
			    "ipcadm who -N ipc:4026532042 shm 2");
	/* the kernel's ID, where it has one: never reused, unlike an inode number */
	assert_string_equal(remedy_format(&r, &nsid, true, buf, sizeof(buf)),
			    "ipcadm who -N ipcid:4099 shm 2");
	r = (struct ipcadm_remedy){ .type = IPCADM_REMEDY_REMOUNT_DEV_SHM,
				    .remount = { 2 << 20 } };
	assert_string_equal(remedy_format(&r, NULL, true, buf, sizeof(buf)),
			    "mount -o remount,size=2M /dev/shm");
	assert_string_equal(remedy_format(&r, &ns7, true, buf, sizeof(buf)),
			    "nsenter --mount --target 7 mount -o remount,size=2M /dev/shm");
	/* cut to the buffer, and terminated */
	assert_string_equal(remedy_format(&r, NULL, true, buf, 6), "mount");

	/* JSON: the fields, not a command line */
	r = (struct ipcadm_remedy){ .type = IPCADM_REMEDY_SET_SYSCTL, .reason = "a \"why\"" };
	r.sysctl = (struct ipcadm_remedy_sysctl){
		.limit = IPCADM_LIMIT_SEMMNI, .sysctl = "kernel.sem",
		.values = { 250, 32000, 32, 256 }, .nvalues = 4, .persist = true,
	};
	assert_string_equal(remedy_json_text(&r), "{\"type\": \"set_sysctl\", \"sysctl\": \"kernel.sem\", "
				       "\"limit\": \"SEMMNI\", \"value\": \"250 32000 32 256\", "
				       "\"values\": [250, 32000, 32, 256], \"persist\": true, "
				       "\"reason\": \"a \\\"why\\\"\"}\n");
	r = (struct ipcadm_remedy){ .type = IPCADM_REMEDY_REAP };
	r.reap = (struct ipcadm_remedy_reap){ .kinds = IPCADM_KIND_BIT(IPCADM_SHM) |
						       IPCADM_KIND_BIT(IPCADM_PMQ),
					      .count = 3 };
	assert_string_equal(remedy_json_text(&r), "{\"type\": \"reap\", \"kinds\": [\"shm\", \"pmq\"], "
				       "\"owner\": null, \"owner_name\": null, "
				       "\"include_idle\": false, \"name\": null, "
				       "\"all_visible\": false, \"yes\": false, \"count\": 3, "
				       "\"reason\": null}\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_keys_perms),
		cmocka_unit_test(test_other_values),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_export_quoting),
		cmocka_unit_test(test_json_random),
		cmocka_unit_test(test_table_modes),
		cmocka_unit_test(test_table_utf8_width),
		cmocka_unit_test(test_json_two_tables),
		cmocka_unit_test(test_json_columns),
		cmocka_unit_test(test_json_writer),
		cmocka_unit_test(test_remedy_format),
		cmocka_unit_test(test_column_selection),
		cmocka_unit_test(test_column_needs),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
