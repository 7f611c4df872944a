/* json.h: the one JSON writer. A command says what it writes (objects, arrays, members,
 * values); commas, escaping, null for the unknown and line breaks are the writer's. */
#ifndef IPCADM_JSON_H
#define IPCADM_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "obuf.h"

#define JSON_MAX_DEPTH 32

struct json {
	struct obuf *o;
	unsigned int depth;
	bool started[JSON_MAX_DEPTH]; /* something written already at this depth */
	bool array[JSON_MAX_DEPTH];   /* the container at this depth is an array */
	bool lined[JSON_MAX_DEPTH];   /* an element of it started a line */
};

void json_init(struct json *j, struct obuf *o);

/*
 * key: the member's name inside an object, NULL for an element of an array (or the
 * document itself). Every function below writes one value. An object or array that is an
 * element of an array starts a line of its own, indented by its depth; the rest of a
 * document stays on the line.
 */
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);

void json_str(struct json *j, const char *key, const char *s); /* NULL: null */
void json_strn(struct json *j, const char *key, const char *s, size_t n);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_i64(struct json *j, const char *key, int64_t v);
void json_bool(struct json *j, const char *key, bool v);
void json_null(struct json *j, const char *key);
/* Two decimals; NaN, infinities and negative values (the "not known" of a percentage) as
 * null. */
void json_percent(struct json *j, const char *key, double v);
/* A value the caller formats (a number it printed): the writer places it. */
void json_raw(struct json *j, const char *key, const char *text, size_t n);

/* Closes what is open and ends the document with a newline. */
void json_finish(struct json *j);

/* JSON's own escaping of one string, quotes included: ", \, control characters (C1 too)
 * as \uNNNN, invalid UTF-8 as U+FFFD. */
void json_escape(struct obuf *o, const char *s, size_t n);

/* Writes what comes before a value: a comma if needed, a line break, the key. For
 * writers of many values at once (the column tables); the caller then writes the value. */
void json_next(struct json *j, const char *key);
/* The same for a key made once by the caller, escaped and quoted with its ": " after it
 * (the column tables write 100,000 rows with the same keys). */
void json_next_made(struct json *j, const char *member, size_t n);

#endif
