/* output.c: renders column tables as aligned text, raw, export (NAME="value") or JSON.
 * Every number is formatted by hand: this runs 100,000 rows at a time. */
#include "output.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "escape.h"
#include "json.h"
#include "obuf.h"
#include "strutil.h"

struct table {
	const struct out_opts *opts;
	const struct column *const *cols;
	size_t ncols;
	void *env;
	const char *name;
	size_t nrows;
	/* aligned tables: every cell's text in one arena */
	char *arena;
	size_t alen, acap;
	uint32_t *cell_end; /* end offset of each cell, CELL_WIDE when not all ASCII */
	size_t ncells, ccap;
	size_t *width;
	/* JSON: each column's '"key": ', made once */
	char *jkeys;
	size_t *jkey_end;
	bool own_doc; /* no document was begun: the table is one by itself */
	int err;
};

#define CELL_WIDE 0x80000000u /* the cell has UTF-8: its width is not its length */
#define CELL_MAX (CELL_WIDE - 1)

/* The JSON document on standard output that tables and commands write into. */
static struct json doc;
static bool doc_open;

/* ---- time ---- */

/* localtime is slow; cache the broken-down start of the last quarter hour seen. */
static struct tm *local_tm(int64_t t, struct tm *tm)
{
	static int64_t block = INT64_MIN;
	static struct tm base;
	int64_t b;

	if (t < -(INT64_C(1) << 60) || t > INT64_C(1) << 60) { /* beyond any year; no overflow */
		time_t tt = (time_t)t;

		return localtime_r(&tt, tm);
	}
	b = t - (t % 900 + 900) % 900;
	if (b != block) {
		time_t tt = (time_t)b;
		struct tm fresh; /* a failed localtime_r may have written it: not the cache */

		if (localtime_r(&tt, &fresh) == NULL)
			return NULL;
		base = fresh;
		block = b;
	}
	*tm = base;
	tm->tm_sec += (int)(t - b);
	tm->tm_min += tm->tm_sec / 60;
	tm->tm_sec %= 60;
	if (tm->tm_min >= 60) { /* an offset that is not whole quarter hours (old LMT) */
		time_t tt = (time_t)t;

		return localtime_r(&tt, tm);
	}
	return tm;
}

static size_t put2(char *b, int v)
{
	b[0] = (char)('0' + v / 10 % 10);
	b[1] = (char)('0' + v % 10);
	return 2;
}

static size_t format_time(enum time_format tf, int64_t t, char *buf)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	static struct tm now;
	static bool have_now;
	struct tm tm;
	size_t n = 0;

	if (local_tm(t, &tm) == NULL)
		return fmt_i64(buf, t);
	if (tf == TIME_FULL)
		return strftime(buf, 64, "%a %b %e %H:%M:%S %Y", &tm);
	if (tf == TIME_ISO) {
		n = strftime(buf, 64, "%Y-%m-%dT%H:%M:%S%z", &tm);
		if (n == 24) { /* +hhmm to +hh:mm */
			memmove(buf + 23, buf + 22, 2);
			buf[22] = ':';
			n = 25;
		}
		return n;
	}
	if (!have_now) {
		time_t tt = time(NULL);

		localtime_r(&tt, &now);
		have_now = true;
	}
	if (tm.tm_year == now.tm_year && tm.tm_yday == now.tm_yday) {
		n += put2(buf, tm.tm_hour);
		buf[n++] = ':';
		n += put2(buf + n, tm.tm_min);
		return n;
	}
	if (tm.tm_year != now.tm_year) {
		n = fmt_i64(buf, (int64_t)tm.tm_year + 1900);
		buf[n++] = '-';
	}
	memcpy(buf + n, months + 3 * tm.tm_mon, 3);
	n += 3;
	n += put2(buf + n, tm.tm_mday);
	return n;
}

/* ---- values ---- */

size_t value_format(const struct out_opts *opts, const struct value *v, char *buf,
		    const char **textp)
{
	*textp = buf;
	switch (v->type) {
	case V_NONE:
		*textp = "-";
		return 1;
	case V_U64:
		return fmt_u64(buf, v->u);
	case V_I64:
		return fmt_i64(buf, v->i);
	case V_STR:
		*textp = v->s ? v->s : "-";
		return strlen(*textp);
	case V_SIZE:
		return opts->bytes ? fmt_u64(buf, v->u) : fmt_size_human(buf, v->u);
	case V_TIME:
		if (v->i == 0) {
			*textp = "-";
			return 1;
		}
		return format_time(opts->time_format, v->i, buf);
	case V_KEY: {
		static const char hex[] = "0123456789abcdef";
		uint32_t k = (uint32_t)v->u;

		buf[0] = '0';
		buf[1] = 'x';
		for (int i = 0; i < 8; i++)
			buf[2 + i] = hex[(k >> (28 - 4 * i)) & 0xf];
		return 10;
	}
	case V_PERMS: {
		char tmp[24];
		size_t n = 0, len = 0;
		uint64_t m = v->u;

		do {
			tmp[n++] = (char)('0' + (m & 7));
			m >>= 3;
		} while (m);
		while (n > 0)
			buf[len++] = tmp[--n];
		return len;
	}
	case V_PERCENT: {
		/* snprintf returns the length it wanted: 1e300% must not run past buf */
		int n = snprintf(buf, 64, "%.2f%%", v->d);

		return n < 0 ? 0 : n < 64 ? (size_t)n : 63;
	}
	case V_BOOL:
		*textp = v->b ? "yes" : "no";
		return strlen(*textp);
	}
	return 0;
}

static void export_name(struct obuf *o, const char *name)
{
	for (; *name; name++) {
		if (*name == '%')
			obuf_write(o, "_PCT", 4);
		else
			obuf_putc(o, *name == '-' ? '_' : *name);
	}
}

/* Writes text inside a shell's double quotes: \ before " \ $ and `. */
static void shell_quoted(struct obuf *o, const char *s, size_t n)
{
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '"' && s[i] != '\\' && s[i] != '$' && s[i] != '`')
			continue;
		obuf_write(o, s + start, i - start);
		obuf_putc(o, '\\');
		start = i;
	}
	obuf_write(o, s + start, n - start);
}

/*
 * The value escaped as every text form is, then quoted for the shell, as lsipc does: no
 * name can end the quotes, start a line or expand, so `eval` sets exactly these variables
 * and a reader by lines sees one line per row.
 */
void export_pair(struct obuf *o, const char *name, const char *s, size_t n)
{
	char buf[256];

	export_name(o, name);
	obuf_write(o, "=\"", 2);
	if (!esc_needed(s, n, 0)) {
		shell_quoted(o, s, n);
	} else {
		while (n > 0) {
			size_t used, len = esc_some(buf, sizeof(buf), s, n, 0, &used);

			shell_quoted(o, buf, len);
			s += used;
			n -= used;
		}
	}
	obuf_putc(o, '"');
}

/* A value as JSON, once the writer has placed it (json_next). */
static void value_json(struct obuf *o, const struct value *v)
{
	char buf[64];

	switch (v->type) {
	case V_NONE:
		obuf_write(o, "null", 4);
		break;
	case V_U64:
	case V_SIZE:
		obuf_u64(o, v->u);
		break;
	case V_I64:
	case V_TIME:
		obuf_i64(o, v->i);
		break;
	case V_STR:
		if (v->s)
			json_escape(o, v->s, strlen(v->s));
		else
			obuf_write(o, "null", 4);
		break;
	case V_KEY:
	case V_PERMS: {
		const char *text;
		struct out_opts opts = { 0 };
		size_t n = value_format(&opts, v, buf, &text);

		obuf_putc(o, '"');
		obuf_write(o, text, n);
		obuf_putc(o, '"');
		break;
	}
	case V_PERCENT:
		if (isfinite(v->d))
			obuf_printf(o, "%.2f", v->d);
		else
			obuf_write(o, "null", 4); /* JSON has no NaN or infinity */
		break;
	case V_BOOL:
		obuf_puts(o, v->b ? "true" : "false");
		break;
	}
}

/* A column's JSON key: its json name, or its name in lower case. */
static void json_key_name(const struct column *c, char *key, size_t max)
{
	size_t i;

	if (c->json) {
		snprintf(key, max, "%s", c->json);
		return;
	}
	for (i = 0; c->name[i] && i < max - 1; i++)
		key[i] = (char)(c->name[i] >= 'A' && c->name[i] <= 'Z' ? c->name[i] - 'A' + 'a'
								       : c->name[i]);
	key[i] = '\0';
}

/* The '"key": ' text of every column, made once per table (column names are ASCII). */
static int json_keys_make(struct table *t)
{
	size_t len = 0;

	t->jkeys = malloc(t->ncols * 72);
	t->jkey_end = calloc(t->ncols, sizeof(*t->jkey_end));
	if (t->jkeys == NULL || t->jkey_end == NULL)
		return -ENOMEM;
	for (size_t c = 0; c < t->ncols; c++) {
		char key[64];

		json_key_name(t->cols[c], key, sizeof(key));
		t->jkeys[len++] = '"';
		for (size_t i = 0; key[i]; i++) {
			if (key[i] == '"' || key[i] == '\\')
				t->jkeys[len++] = '\\';
			t->jkeys[len++] = key[i];
		}
		memcpy(t->jkeys + len, "\": ", 3);
		len += 3;
		t->jkey_end[c] = len;
	}
	return 0;
}

void json_columns(struct json *j, const struct column *const *cols, size_t ncols,
		  const void *row, void *env)
{
	for (size_t c = 0; c < ncols; c++) {
		struct value v = { .type = V_NONE };
		char key[64];

		cols[c]->get(row, env, &v);
		json_key_name(cols[c], key, sizeof(key));
		json_next(j, key);
		value_json(j->o, &v);
	}
}

/* ---- documents and tables ---- */

struct json *output_doc_begin(const struct out_opts *opts, bool object)
{
	json_init(&doc, out);
	doc_open = true;
	if (opts->mode == OUT_JSON && object)
		json_object_begin(&doc, NULL);
	return &doc;
}

void output_doc_end(const struct out_opts *opts, bool object)
{
	(void)object;
	if (opts->mode == OUT_JSON && doc_open)
		json_finish(&doc);
	doc_open = false;
}

struct table *table_new(const struct out_opts *opts, const char *name, const char *title,
			const struct column *const *cols, size_t ncols, void *env)
{
	struct table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->opts = opts;
	t->cols = cols;
	t->ncols = ncols;
	t->env = env;
	t->name = name;
	if (opts->mode == OUT_JSON) {
		if (!doc_open) {
			json_init(&doc, out);
			t->own_doc = doc_open = true;
		}
		json_array_begin(&doc, name);
		if (json_keys_make(t) < 0)
			t->err = -ENOMEM;
		return t;
	}
	if (title && opts->mode == OUT_TABLE && !opts->noheadings) {
		obuf_text(out, title); /* the program's words, but one rule for all text */
		obuf_putc(out, '\n');
	}
	if (opts->mode == OUT_TABLE) {
		t->width = calloc(ncols, sizeof(*t->width));
		if (t->width == NULL) {
			free(t);
			return NULL;
		}
		for (size_t c = 0; c < ncols && !opts->noheadings; c++)
			t->width[c] = strlen(cols[c]->name);
		return t;
	}
	if (opts->mode == OUT_RAW && !opts->noheadings) {
		for (size_t c = 0; c < ncols; c++) {
			if (c)
				obuf_putc(out, ' ');
			obuf_puts(out, cols[c]->name);
		}
		obuf_putc(out, '\n');
	}
	return t;
}

/* Room for n more bytes and one more cell; NULL when out of memory. The arena is
 * allocated by the first cell, even an empty one: no arithmetic on NULL later. */
static char *arena_reserve(struct table *t, size_t n)
{
	if (t->alen + n > t->acap || t->arena == NULL) {
		size_t cap = t->acap ? t->acap * 2 : 1 << 16;
		char *a;

		while (cap < t->alen + n)
			cap *= 2;
		a = realloc(t->arena, cap);
		if (a == NULL)
			return NULL;
		t->arena = a;
		t->acap = cap;
	}
	if (t->ncells == t->ccap) {
		size_t cap = t->ccap ? t->ccap * 2 : 1024;
		uint32_t *e = realloc(t->cell_end, cap * sizeof(*e));

		if (e == NULL)
			return NULL;
		t->cell_end = e;
		t->ccap = cap;
	}
	if (t->alen + n > CELL_MAX)
		return NULL;
	return t->arena + t->alen;
}

/* Columns a cell of printable text (ASCII or valid UTF-8) takes: one per character. */
static size_t text_width(const char *s, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xc0) != 0x80;
	return w;
}

/* Adds one cell, escaped when it is a string that needs it; updates the column's width. */
static int arena_add(struct table *t, size_t c, const char *s, size_t n, bool is_str)
{
	char *dst = arena_reserve(t, is_str ? ESC_MAX(n) : n);
	bool wide = false;
	size_t w;

	if (dst == NULL)
		return -ENOMEM;
	if (is_str && esc_needed(s, n, 0)) {
		n = esc_mem(dst, s, n, 0);
		for (size_t i = 0; i < n && !wide; i++)
			wide = (unsigned char)dst[i] >= 0x80;
	} else {
		memcpy(dst, s, n);
	}
	w = wide ? text_width(dst, n) : n;
	if (w > t->width[c])
		t->width[c] = w;
	t->alen += n;
	t->cell_end[t->ncells++] = (uint32_t)t->alen | (wide ? CELL_WIDE : 0);
	return 0;
}

void table_add(struct table *t, const void *row)
{
	const struct out_opts *opts = t->opts;
	char buf[64];

	if (t->err)
		return;
	if (opts->mode == OUT_JSON) {
		size_t kstart = 0;

		json_object_begin(&doc, NULL);
		for (size_t c = 0; c < t->ncols; c++) {
			struct value v = { .type = V_NONE };

			t->cols[c]->get(row, t->env, &v);
			json_next_made(&doc, t->jkeys + kstart, t->jkey_end[c] - kstart);
			kstart = t->jkey_end[c];
			value_json(out, &v);
		}
		json_object_end(&doc);
		t->nrows++;
		return;
	}
	for (size_t c = 0; c < t->ncols; c++) {
		struct value v = { .type = V_NONE };
		const char *text;
		size_t n;

		t->cols[c]->get(row, t->env, &v);
		n = value_format(opts, &v, buf, &text);
		if (opts->mode == OUT_TABLE) {
			if (arena_add(t, c, text, n, v.type == V_STR) < 0) {
				t->err = -ENOMEM;
				return;
			}
			continue;
		}
		if (c)
			obuf_putc(out, ' ');
		if (opts->mode == OUT_EXPORT) {
			export_pair(out, t->cols[c]->name, text, n);
		} else if (v.type == V_NONE) {
			obuf_write(out, text, n);
		} else {
			obuf_escaped(out, text, n, ESC_SPACE);
		}
	}
	if (opts->mode != OUT_TABLE)
		obuf_putc(out, '\n');
	t->nrows++;
}

/* Writes one cell (already escaped) with its padding. */
static void print_cell(const struct table *t, size_t c, const char *s, size_t n, size_t w,
		       bool last)
{
	size_t pad = t->width[c] > w ? t->width[c] - w : 0;

	if (t->cols[c]->flags & COL_RIGHT)
		obuf_pad(out, pad);
	obuf_write(out, s, n);
	if (!last)
		obuf_pad(out, (t->cols[c]->flags & COL_RIGHT) ? 1 : pad + 1);
}

int table_finish(struct table *t)
{
	int err = t->err;

	if (t->opts->mode == OUT_JSON) {
		json_array_end(&doc);
		if (t->own_doc) {
			json_finish(&doc);
			doc_open = false;
		}
	} else if (t->opts->mode == OUT_TABLE && !err) {
		size_t cell = 0, start = 0;

		if (!t->opts->noheadings) {
			for (size_t c = 0; c < t->ncols; c++) {
				size_t n = strlen(t->cols[c]->name);

				print_cell(t, c, t->cols[c]->name, n, n, c + 1 == t->ncols);
			}
			obuf_putc(out, '\n');
		}
		for (size_t r = 0; r < t->nrows; r++) {
			for (size_t c = 0; c < t->ncols; c++, cell++) {
				size_t end = t->cell_end[cell] & CELL_MAX, n = end - start;
				const char *s = t->arena + start;

				print_cell(t, c, s, n,
					   (t->cell_end[cell] & CELL_WIDE) ? text_width(s, n) : n,
					   c + 1 == t->ncols);
				start = end;
			}
			obuf_putc(out, '\n');
		}
	}
	free(t->jkeys);
	free(t->jkey_end);
	free(t->arena);
	free(t->cell_end);
	free(t->width);
	free(t);
	return err;
}

/* ---- column selection ---- */

const struct column *column_find(const struct column *all, size_t nall, const char *name)
{
	for (size_t i = 0; i < nall; i++)
		if (strcasecmp(all[i].name, name) == 0)
			return &all[i];
	return NULL;
}

bool columns_list_has(const char *list, const char *name)
{
	size_t len = strlen(name);

	if (*list == '+')
		list++;
	while (*list) {
		size_t n = strcspn(list, ",");

		if (n == len && strncasecmp(list, name, n) == 0)
			return true;
		list += n + (list[n] == ',');
	}
	return false;
}

unsigned int columns_needs(const struct column *const *sel, size_t n)
{
	unsigned int needs = 0;

	for (size_t i = 0; i < n; i++)
		needs |= sel[i]->needs;
	return needs;
}

/* Appends the columns named in a comma-separated list; names not in this table are
 * skipped (the caller checked that each exists somewhere). */
static int add_list(const struct column *all, size_t nall, unsigned int kinds, const char *list,
		    const struct column **sel, size_t *n, size_t max)
{
	char name[64];

	while (*list) {
		size_t len = strcspn(list, ",");
		const struct column *c;

		if (len >= sizeof(name))
			return -EINVAL;
		memcpy(name, list, len);
		name[len] = '\0';
		list += len + (list[len] == ',');
		c = column_find(all, nall, name);
		if (c == NULL || (kinds && c->kinds && !(c->kinds & kinds)))
			continue;
		if (*n == max)
			return -E2BIG;
		sel[(*n)++] = c;
	}
	return 0;
}

int columns_select(const struct column *all, size_t nall, unsigned int kinds,
		   const char *const *defaults, const char *list, const struct column **sel,
		   size_t *nsel)
{
	size_t n = 0, max = *nsel;
	int r = 0;

	if (list == NULL || *list == '+') {
		for (size_t i = 0; defaults[i] && r == 0; i++)
			r = add_list(all, nall, kinds, defaults[i], sel, &n, max);
		if (list && r == 0)
			r = add_list(all, nall, kinds, list + 1, sel, &n, max);
	} else {
		r = add_list(all, nall, kinds, list, sel, &n, max);
	}
	*nsel = n;
	return r;
}
