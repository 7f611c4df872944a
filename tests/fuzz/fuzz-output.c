/* fuzz-output.c: libFuzzer target for the output module (cli/output.c, cli/obuf.c) and the
 * one escaping rule (common/escape.c): hostile strings and numbers rendered as table, raw,
 * export, JSON and the text lines (titles, evidence, logs, .meta), each form checked. */
#include <inttypes.h>
#include <math.h>
#include <time.h>

#include "escape.h"
#include "fuzz.h"
#include "ipcadm-cli.h"
#include "object.h"
#include "obuf.h"
#include "output.h"
#include "sbuf.h"

struct row {
	const char *s1, *s2;
	uint64_t u;
	int64_t i;
	double d;
};

#define ROW(r) ((const struct row *)(r))

static void get_s1(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_STR;
	v->s = ROW(r)->s1;
}

static void get_s2(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = ROW(r)->s2 ? V_STR : V_NONE;
	v->s = ROW(r)->s2;
}

#define GETTER(name, T, field, member)                            \
	static void name(const void *r, void *e, struct value *v) \
	{                                                         \
		(void)e;                                          \
		v->type = T;                                      \
		v->member = ROW(r)->field;                        \
	}
GETTER(get_u64, V_U64, u, u)
GETTER(get_size, V_SIZE, u, u)
GETTER(get_key, V_KEY, u, u)
GETTER(get_perms, V_PERMS, u, u)
GETTER(get_i64, V_I64, i, i)
GETTER(get_time, V_TIME, i, i)
GETTER(get_pct, V_PERCENT, d, d)

static void get_bool(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_BOOL;
	v->b = ROW(r)->u & 1;
}

static void get_none(const void *r, void *e, struct value *v)
{
	(void)r;
	(void)e;
	v->type = V_NONE;
}

static const struct column columns[] = {
	{ "NAME", "a string", 0, get_s1, NULL, 0, 0 },
	{ "OTHER", "a string or none", 0, get_s2, "other-key", 0, 0 },
	{ "NUM", "u64", COL_RIGHT, get_u64, NULL, 0, 0 },
	{ "SIZE", "size", COL_RIGHT, get_size, NULL, 0, 0 },
	{ "KEY", "key", 0, get_key, NULL, 0, 0 },
	{ "PERMS", "perms", 0, get_perms, NULL, 0, 0 },
	{ "I64", "i64", COL_RIGHT, get_i64, NULL, 0, 0 },
	{ "TIME", "time", 0, get_time, NULL, 0, 0 },
	{ "USE%", "percent", COL_RIGHT, get_pct, "percent", 0, 0 },
	{ "BOOL", "bool", 0, get_bool, NULL, 0, 0 },
	{ "NONE", "nothing", 0, get_none, NULL, 0, 0 },
	{ "LAST", "u64, right-aligned, so every table line has the same width", COL_RIGHT,
	  get_u64, NULL, 0, 0 },
};
#define NCOLS (sizeof(columns) / sizeof(columns[0]))

static struct fz_capture cap;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* a zone with a seconds offset in its history (+00:19:32 until 1937) */
	setenv("TZ", getenv("IPCADM_FUZZ_TZ") ? getenv("IPCADM_FUZZ_TZ") : "Europe/Amsterdam", 1);
	tzset();
	fz_capture_init(&cap);
	obuf_init(out, cap.fd);
	return 0;
}

/* What json_escape should decode back to: invalid UTF-8 bytes become U+FFFD. */
static size_t expected_json(const char *s, char *buf)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), o = 0;

	while (n > 0) {
		size_t k = fz_utf8_len(p, n);

		if (k == 0) {
			memcpy(buf + o, "\xef\xbf\xbd", 3);
			o += 3;
			k = 1;
		} else {
			memcpy(buf + o, p, k);
			o += k;
		}
		p += k;
		n -= k;
	}
	return o;
}

struct seen {
	const char *want;
	size_t wlen;
	size_t hits;
};

static void on_string(void *arg, const char *s, size_t n, bool key)
{
	struct seen *w = arg;

	if (!key && n == w->wlen && memcmp(s, w->want, n) == 0)
		w->hits++;
}

/* Undoes the escaping (escape.h): \xNN back to the byte; returns the length. */
static size_t unescape_cell(const char *s, size_t n, char *out_)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\') {
			static const char hex[] = "0123456789abcdef";
			const char *hi, *lo;

			/* s need not be terminated: no sscanf */
			CHECK(i + 3 < n && s[i + 1] == 'x');
			hi = s[i + 2] ? strchr(hex, s[i + 2]) : NULL;
			lo = s[i + 3] ? strchr(hex, s[i + 3]) : NULL;
			CHECK(hi != NULL && lo != NULL);
			out_[o++] = (char)((hi - hex) << 4 | (lo - hex));
			i += 3;
		} else {
			out_[o++] = s[i];
		}
	}
	return o;
}

/* Output for a terminal: valid UTF-8, no control character (C0 but the newline, DEL, C1). */
static void check_text(const char *s, size_t n)
{
	CHECK(fz_utf8_valid(s, n));
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		CHECK((c >= 0x20 && c != 0x7f) || c == '\n');
		CHECK(c != 0xc2 || i + 1 >= n || (unsigned char)s[i + 1] >= 0xa0);
	}
	CHECK(n == 0 || s[n - 1] == '\n');
}

static size_t codepoints(const char *s, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xc0) != 0x80;
	return w;
}

static void check_table(const char *s, size_t n, size_t nrows, const struct out_opts *o,
			bool title)
{
	size_t lines = 0, width = SIZE_MAX;

	check_text(s, n);
	for (const char *p = s, *e; p < s + n; p = e + 1) {
		e = memchr(p, '\n', (size_t)(s + n - p));
		CHECK(e != NULL);
		if (lines++ == 0 && title && !o->noheadings)
			continue;
		/* the last column is right-aligned: every line is exactly as wide */
		if (width == SIZE_MAX)
			width = codepoints(p, (size_t)(e - p));
		CHECK(codepoints(p, (size_t)(e - p)) == width);
	}
	CHECK(lines == nrows + !o->noheadings + (title && !o->noheadings));
}

static void check_raw(const char *s, size_t n, size_t nrows, const struct out_opts *o,
		      const char *s1)
{
	char *cell = malloc(n + 1);
	size_t lines = 0;

	CHECK(cell != NULL);
	check_text(s, n);
	for (const char *p = s, *e; p < s + n; p = e + 1) {
		size_t fields = 1;
		const char *f = p;

		e = memchr(p, '\n', (size_t)(s + n - p));
		CHECK(e != NULL);
		for (const char *q = p; q < e; q++)
			fields += *q == ' ';
		CHECK(fields == NCOLS);
		if (lines++ > 0 || o->noheadings) {
			/* the first field is NAME: unescaped, it is the string given */
			size_t len = (size_t)((const char *)memchr(f, ' ', (size_t)(e - f)) - f);
			size_t k = unescape_cell(f, len, cell);

			CHECK(k == strlen(s1) && memcmp(cell, s1, k) == 0);
		}
	}
	CHECK(lines == nrows + !o->noheadings);
	free(cell);
}

/* export: NAME="value" pairs; inside the quotes \ escapes " \ $ and `. */
static void check_export(const char *s, size_t n, size_t nrows, const char *s1)
{
	const char *p = s, *end = s + n;
	char *val = malloc(n + 1);
	size_t rows = 0;

	CHECK(val != NULL);
	check_text(s, n); /* so one line a row: no newline inside a value */
	while (p < end) {
		for (size_t c = 0; c < NCOLS; c++) {
			size_t k = 0;
			const char *eq = memchr(p, '=', (size_t)(end - p));

			CHECK(eq != NULL && eq + 1 < end && eq[1] == '"');
			for (const char *q = p; q < eq; q++)
				CHECK((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
				      *q == '_');
			p = eq + 2;
			while (p < end && *p != '"') {
				if (*p == '\\') {
					p++;
					CHECK(p < end && strchr("\"\\$`", *p) && *p);
				} else {
					CHECK(*p != '$' && *p != '`');
				}
				val[k++] = *p++;
			}
			CHECK(p < end);
			p++;
			if (c == 0) { /* escaped as a text cell is, then quoted */
				char *raw = malloc(k + 1);

				CHECK(raw != NULL);
				k = unescape_cell(val, k, raw);
				CHECK(k == strlen(s1) && memcmp(raw, s1, k) == 0);
				free(raw);
			}
			CHECK(p < end && *p == (c + 1 == NCOLS ? '\n' : ' '));
			p++;
		}
		rows++;
	}
	CHECK(rows == nrows);
	free(val);
}

static void check_json(const char *s, size_t n, size_t nrows, const char *s1)
{
	char *want = malloc(strlen(s1) * 3 + 1);
	struct seen w = { .want = want };

	CHECK(want != NULL);
	w.wlen = expected_json(s1, want);
	check_text(s, n); /* JSON escapes control characters its own way */
	if (!fz_json_valid(s, n, on_string, &w)) {
		fprintf(stderr, "invalid JSON:\n%.*s\n", (int)n, s);
		abort();
	}
	CHECK(w.hits >= nrows);
	free(want);
}

/* A time as a cell: the reference is strftime on localtime_r, no cache. */
static void check_time(int64_t t)
{
	static const char *const fmts[] = { "%a %b %e %H:%M:%S %Y", "%Y-%m-%dT%H:%M:%S" };
	struct out_opts o = { 0 };
	struct value v = { .type = V_TIME, .i = t };
	char buf[64], ref[128];
	const char *text;
	time_t tt = (time_t)t;
	struct tm tm;
	size_t n;

	if (t == 0 || localtime_r(&tt, &tm) == NULL)
		return;
	for (int f = 0; f < 2; f++) {
		o.time_format = f == 0 ? TIME_FULL : TIME_ISO;
		n = value_format(&o, &v, buf, &text);
		CHECK(n < sizeof(buf));
		strftime(ref, sizeof(ref), fmts[f], &tm);
		if (n < strlen(ref) || memcmp(text, ref, strlen(ref)) != 0) {
			fprintf(stderr, "time %" PRId64 ": '%.*s', expected '%s'\n", t, (int)n,
				text, ref);
			abort();
		}
	}
}

/*
 * The text lines: a name as obuf_text writes it (who's and show's headers, the doctor, rm,
 * mk), in a bounded sentence as sbuf_escaped builds it (the reap report, --log, syslog, the
 * .meta evidence line), and in obj_title. Each is one clean line that reads back whole, or
 * (cut to fit) reads back as a prefix, cut between whole characters.
 */
static void check_lines(const char *s1, size_t len1, size_t room)
{
	struct ipcadm_obj o = { .kind = IPCADM_PMQ, .name = (char *)s1 };
	char *raw = malloc(ESC_MAX(len1) + 1), *line = malloc(room + 16), title[OBJ_TITLE_MAX];
	struct sbuf b;
	size_t k;

	CHECK(raw != NULL && line != NULL);
	fz_capture_reset(&cap);
	obuf_text(out, s1);
	obuf_putc(out, '\n');
	CHECK(obuf_flush(out) == 0);
	fz_capture_read(&cap);
	check_text(cap.buf, cap.len);
	CHECK(memchr(cap.buf, '\n', cap.len) == cap.buf + cap.len - 1);
	CHECK(unescape_cell(cap.buf, cap.len - 1, raw) == len1 && memcmp(raw, s1, len1) == 0);

	sbuf_init(&b, line, room + 16);
	sbuf_puts(&b, "evidence ");
	sbuf_escaped(&b, s1);
	CHECK(b.len == strlen(line) && b.len < room + 16);
	line[b.len] = '\n';
	check_text(line, b.len + 1);
	k = unescape_cell(line + 9, b.len - 9, raw);
	CHECK(k <= len1 && memcmp(raw, s1, k) == 0);
	CHECK(k == len1 || room + 15 - b.len < ESC_UNIT_MAX); /* cut: the next unit did not fit */

	obj_title(&o, title, sizeof(title));
	k = strlen(title);
	title[k] = '\n';
	check_text(title, k + 1);
	if (len1 <= 255) /* a POSIX name: the title holds it whole */
		CHECK(unescape_cell(title + 21, k - 21, raw) == len1 && memcmp(raw, s1, len1) == 0);
	free(raw);
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct out_opts opts = { 0 };
	struct row row;
	const struct column *cols[NCOLS];
	char *strs;
	size_t nrows, len1;
	bool title, object;
	uint8_t flags;
	struct table *t;

	if (size < 26)
		return 0;
	flags = data[0];
	opts.mode = (enum out_mode)(flags & 3);
	opts.noheadings = flags & 4;
	opts.bytes = flags & 8;
	opts.time_format = (enum time_format)((flags >> 4) % 3);
	title = flags & 0x40;
	object = flags & 0x80;
	nrows = data[1] % 4;
	memcpy(&row.u, data + 2, 8);
	memcpy(&row.i, data + 10, 8);
	memcpy(&row.d, data + 18, 8);
	data += 26;
	size -= 26;
	strs = malloc(size + 2);
	CHECK(strs != NULL);
	memcpy(strs, data, size);
	strs[size] = strs[size + 1] = '\0';
	row.s1 = strs;
	len1 = strlen(strs);
	row.s2 = len1 < size ? strs + len1 + 1 : NULL;
	for (size_t c = 0; c < NCOLS; c++)
		cols[c] = &columns[c];

	fz_capture_reset(&cap);
	output_doc_begin(&opts, object);
	t = table_new(&opts, object ? row.s1 : NULL, title ? row.s1 : NULL, cols, NCOLS, NULL);
	CHECK(t != NULL);
	for (size_t i = 0; i < nrows; i++)
		table_add(t, &row);
	CHECK(table_finish(t) == 0);
	output_doc_end(&opts, object);
	CHECK(obuf_flush(out) == 0);
	fz_capture_read(&cap);

	switch (opts.mode) {
	case OUT_TABLE:
		check_table(cap.buf, cap.len, nrows, &opts, title);
		break;
	case OUT_RAW:
		check_raw(cap.buf, cap.len, nrows, &opts, row.s1);
		break;
	case OUT_EXPORT:
		check_export(cap.buf, cap.len, nrows, row.s1);
		break;
	case OUT_JSON:
		check_json(cap.buf, cap.len, nrows, row.s1);
		break;
	}
	check_time(row.i);
	check_lines(row.s1, len1, (size_t)(row.u % 512) + 1);
	free(strs);
	return 0;
}
