/* json.c: the one JSON writer (json.h): structure and escaping in one place. */
#include "json.h"

#include <math.h>
#include <string.h>

#include "escape.h"

void json_init(struct json *j, struct obuf *o)
{
	memset(j, 0, sizeof(*j));
	j->o = o;
}

void json_escape(struct obuf *o, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t plain = 0;

	/* the common case, printable ASCII, goes out in one piece */
	while (plain < n && p[plain] >= 0x20 && p[plain] < 0x7f && p[plain] != '"' &&
	       p[plain] != '\\')
		plain++;
	obuf_putc(o, '"');
	obuf_write(o, s, plain);
	p += plain;
	n -= plain;
	while (n > 0) {
		size_t k = utf8_seq_len(p, n);

		if (k == 0) { /* invalid UTF-8: U+FFFD */
			obuf_write(o, "\\ufffd", 6);
			k = 1;
		} else if (*p == '"' || *p == '\\') {
			obuf_putc(o, '\\');
			obuf_putc(o, (char)*p);
		} else if (*p < 0x20 || *p == 0x7f) {
			obuf_printf(o, "\\u%04x", *p);
		} else if (k == 2 && p[0] == 0xc2 && p[1] < 0xa0) { /* C1, for a terminal */
			obuf_printf(o, "\\u%04x", p[1]);
		} else if (k == 3 && p[0] == 0xe2 &&
			   ((p[1] == 0x80 && p[2] >= 0xa8 && p[2] <= 0xae) ||
			    (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9))) {
			/* U+2028..U+202E, U+2066..U+2069 (escape.h): a name's bidi override
			 * would turn the rest of its line around in a terminal */
			obuf_printf(o, "\\u%04x",
				    (unsigned int)(0x2000 | (p[1] & 0x3f) << 6 | (p[2] & 0x3f)));
		} else {
			obuf_write(o, (const char *)p, k);
		}
		p += k;
		n -= k;
	}
	obuf_putc(o, '"');
}

static void indent(struct obuf *o, unsigned int depth)
{
	/* one write a row of a table; depth < JSON_MAX_DEPTH, 2 spaces a level */
	static const char line[] = "\n"
				   "                                "
				   "                                ";

	_Static_assert(sizeof(line) >= 2 + 2 * JSON_MAX_DEPTH, "a line for every depth");
	obuf_write(o, line, 1 + 2 * (size_t)(depth < JSON_MAX_DEPTH ? depth : JSON_MAX_DEPTH));
}

static void separate(struct json *j, bool container)
{
	unsigned int d = j->depth;

	if (d > 0 && j->started[d])
		obuf_write(j->o, ", ", j->array[d] && container ? 1 : 2);
	if (d > 0 && j->array[d] && container) {
		indent(j->o, d);
		j->lined[d] = true;
	}
	j->started[d] = true;
}

static void next(struct json *j, const char *key, bool container)
{
	separate(j, container);
	if (key && j->depth > 0 && !j->array[j->depth]) {
		json_escape(j->o, key, strlen(key));
		obuf_write(j->o, ": ", 2);
	}
}

void json_next(struct json *j, const char *key)
{
	next(j, key, false);
}

void json_next_made(struct json *j, const char *member, size_t n)
{
	separate(j, false);
	if (j->depth > 0 && !j->array[j->depth])
		obuf_write(j->o, member, n);
}

static void begin(struct json *j, const char *key, bool array)
{
	next(j, key, true);
	obuf_putc(j->o, array ? '[' : '{');
	if (j->depth + 1 < JSON_MAX_DEPTH) /* deeper than that is a bug; it stays valid JSON */
		j->depth++;
	j->started[j->depth] = false;
	j->lined[j->depth] = false;
	j->array[j->depth] = array;
}

static void close_(struct json *j, char c)
{
	/* an array whose elements started lines ends on a line of its own */
	if (j->lined[j->depth])
		indent(j->o, j->depth - 1);
	obuf_putc(j->o, c);
	if (j->depth > 0)
		j->depth--;
}

void json_object_begin(struct json *j, const char *key)
{
	begin(j, key, false);
}

void json_object_end(struct json *j)
{
	close_(j, '}');
}

void json_array_begin(struct json *j, const char *key)
{
	begin(j, key, true);
}

void json_array_end(struct json *j)
{
	close_(j, ']');
}

void json_strn(struct json *j, const char *key, const char *s, size_t n)
{
	next(j, key, false);
	json_escape(j->o, s, n);
}

void json_str(struct json *j, const char *key, const char *s)
{
	if (s == NULL)
		json_null(j, key);
	else
		json_strn(j, key, s, strlen(s));
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	next(j, key, false);
	obuf_u64(j->o, v);
}

void json_i64(struct json *j, const char *key, int64_t v)
{
	next(j, key, false);
	obuf_i64(j->o, v);
}

void json_bool(struct json *j, const char *key, bool v)
{
	next(j, key, false);
	obuf_puts(j->o, v ? "true" : "false");
}

void json_null(struct json *j, const char *key)
{
	next(j, key, false);
	obuf_write(j->o, "null", 4);
}

void json_percent(struct json *j, const char *key, double v)
{
	if (!isfinite(v) || v < 0) {
		json_null(j, key);
		return;
	}
	next(j, key, false);
	obuf_printf(j->o, "%.2f", v);
}

void json_raw(struct json *j, const char *key, const char *text, size_t n)
{
	next(j, key, false);
	obuf_write(j->o, text, n);
}

void json_finish(struct json *j)
{
	while (j->depth > 0)
		close_(j, j->array[j->depth] ? ']' : '}');
	obuf_putc(j->o, '\n');
}
