/* output.h: the one output module: tables, raw, export and JSON from column tables,
 * streamed (raw, export, JSON) or formatted once into an arena (aligned tables). */
#ifndef IPCADM_OUTPUT_H
#define IPCADM_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum val_type {
	V_NONE,	   /* no value: "-" in tables, null in JSON */
	V_U64,
	V_I64,
	V_STR,
	V_SIZE,	   /* bytes: "4K" unless --bytes; a number in JSON */
	V_TIME,	   /* Unix seconds, 0 = never */
	V_KEY,	   /* 0x%08x, a string in JSON too */
	V_PERMS,   /* octal, a string in JSON too */
	V_PERCENT, /* 12.50% */
	V_BOOL,
};

struct value {
	enum val_type type;
	union {
		uint64_t u;
		int64_t i;
		const char *s;
		double d;
		bool b;
	};
};

#define COL_RIGHT 1u

struct json;
struct obuf;

struct column {
	const char *name;
	const char *help;
	unsigned int flags;
	void (*get)(const void *row, void *env, struct value *v);
	const char *json; /* JSON key when not the lower-cased name */
	unsigned int kinds; /* object columns: the kinds it applies to (IPCADM_KIND_BIT) */
	unsigned int needs; /* what must be read for it (object columns: OBJ_NEEDS_*) */
};

enum out_mode { OUT_TABLE, OUT_RAW, OUT_EXPORT, OUT_JSON };
enum time_format { TIME_SHORT, TIME_FULL, TIME_ISO };

struct out_opts {
	enum out_mode mode;
	bool noheadings;
	bool bytes;
	enum time_format time_format;
};

struct table;

/* A JSON document on standard output wraps the tables: an object of named arrays, or one
 * bare array. Returns its writer, for members the command writes itself (any mode; it
 * writes only what the command asks in JSON mode). A table with no document begun is a
 * document by itself. */
struct json *output_doc_begin(const struct out_opts *opts, bool object);
void output_doc_end(const struct out_opts *opts, bool object);

/* name: the JSON array's key (NULL for a bare array); title: a line above a table. */
struct table *table_new(const struct out_opts *opts, const char *name, const char *title,
			const struct column *const *cols, size_t ncols, void *env);
void table_add(struct table *t, const void *row);
/* Prints what is buffered and frees the table; returns 0 or -ENOMEM. */
int table_finish(struct table *t);

/* Text of one value as a table cell (buf at least 64 bytes); returns its length. */
size_t value_format(const struct out_opts *opts, const struct value *v, char *buf,
		    const char **textp);
/* NAME="value": the value escaped as escape.h says, then ", \, $ and ` escaped for the
 * shell: one line, and `eval` sets NAME only. */
void export_pair(struct obuf *o, const char *name, const char *s, size_t n);
/* The columns of one row as members of the object j has open. */
void json_columns(struct json *j, const struct column *const *cols, size_t ncols,
		  const void *row, void *env);

/* Column selection: "-o LIST" or "-o +LIST" against a column table. */
/* kinds: keep only columns for these kinds (0: all); defaults: NULL-terminated lists;
 * names not in the table are skipped (check them with column_find first). */
int columns_select(const struct column *all, size_t nall, unsigned int kinds,
		   const char *const *defaults, const char *list, const struct column **sel,
		   size_t *nsel);
const struct column *column_find(const struct column *all, size_t nall, const char *name);
/* Whether a comma-separated -o list (a leading + aside) names the column, in any case. */
bool columns_list_has(const char *list, const char *name);
/* What the selected columns need, their needs OR-ed. */
unsigned int columns_needs(const struct column *const *sel, size_t n);

#endif
