/* limits-table.c: the table that `ipcadm limits` and the overview print: every limit of
 * the library's table (lib/limits.c), System V then POSIX, with the usage counted. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipcadm-cli.h"
#include "limits-table.h"
#include "ns.h"
#include "obuf.h"

struct limit_row {
	const char *resource;
	const char *desc;
	uint64_t limit; /* IPCADM_UNKNOWN when unreadable */
	uint64_t used;
	bool has_used;
};

/* With -A or -N: a row and its IPC namespace (the row first, for the getters). */
struct ns_limit_row {
	struct limit_row row;
	uint64_t ns;
};

#define ROW(r) ((const struct limit_row *)(r))

static void get_resource(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_STR;
	v->s = ROW(r)->resource;
}

static void get_desc(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_STR;
	v->s = ROW(r)->desc;
}

static void get_limit(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = ROW(r)->limit == IPCADM_UNKNOWN ? V_NONE : V_U64;
	v->u = ROW(r)->limit;
}

static void get_used(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = ROW(r)->has_used ? V_U64 : V_NONE;
	v->u = ROW(r)->used;
}

static bool percent_of(const struct limit_row *row, double *pct)
{
	if (!row->has_used || row->limit == IPCADM_UNKNOWN)
		return false;
	*pct = row->limit ? 100.0 * (double)row->used / (double)row->limit
			  : (row->used ? 100.0 : 0.0);
	return true;
}

static void get_percent(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = percent_of(ROW(r), &v->d) ? V_PERCENT : V_NONE;
}

static void get_bar(const void *r, void *e, struct value *v)
{
	static char bar[24];
	double pct;
	int fill;

	(void)e;
	if (!percent_of(ROW(r), &pct)) {
		v->type = V_NONE;
		return;
	}
	fill = pct >= 100 ? 20 : (int)(pct / 5.0 + (pct > 0 && pct < 5 ? 1 : 0));
	bar[0] = '[';
	for (int i = 0; i < 20; i++)
		bar[1 + i] = i < fill ? '#' : '.';
	bar[21] = ']';
	bar[22] = '\0';
	v->type = V_STR;
	v->s = bar;
}

static void get_ns(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_U64;
	v->u = ((const struct ns_limit_row *)r)->ns;
}

static const struct column ns_column = { "NAMESPACE", "IPC namespace inode", COL_RIGHT, get_ns,
					 NULL, 0, 0 };

static const struct column limit_columns[] = {
	{ "RESOURCE", "limit name", 0, get_resource, NULL, 0, 0 },
	{ "DESCRIPTION", "what it limits", 0, get_desc, NULL, 0, 0 },
	{ "LIMIT", "the limit in force", COL_RIGHT, get_limit, NULL, 0, 0 },
	{ "USED", "usage as the kernel counts it", COL_RIGHT, get_used, NULL, 0, 0 },
	{ "USE%", "usage in percent of the limit", COL_RIGHT, get_percent, "percent", 0, 0 },
	{ "USAGE", "usage bar", 0, get_bar, NULL, 0, 0 },
};

/* One row per limit of the library's table, in its order. */
static size_t limit_rows(const struct ipcadm_snapshot *snap, struct limit_row *rows)
{
	for (int id = 0; id < IPCADM_NLIMITS; id++) {
		const struct ipcadm_limit_info *info = ipcadm_limit_info(id);
		struct ipcadm_limit_value v;

		ipcadm_limit_get(snap, id, &v);
		rows[id] = (struct limit_row){ info->name, info->desc, v.limit, v.used,
					       v.used != IPCADM_UNKNOWN };
	}
	return IPCADM_NLIMITS;
}

int print_limits(const struct ipcadm_snapshot *snap, const struct out_opts *opts,
		 bool usage_only)
{
	const struct column *cols[6];
	struct limit_row rows[IPCADM_NLIMITS];
	size_t nrows = limit_rows(snap, rows), ncols = 0;
	struct table *t;

	for (size_t i = 0; i < 5; i++)
		cols[ncols++] = &limit_columns[i];
	if (opts->mode == OUT_TABLE && isatty(STDOUT_FILENO))
		cols[ncols++] = &limit_columns[5];
	t = table_new(opts, NULL, NULL, cols, ncols, NULL);
	if (t == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < nrows; i++)
		if (!usage_only || rows[i].has_used)
			table_add(t, &rows[i]);
	return table_finish(t);
}

int print_limits_ns(struct ipcadm_ctx *ctx, const struct ns_sel *nss, const struct out_opts *opts)
{
	const struct column *cols[7];
	struct limit_row rows[IPCADM_NLIMITS];
	struct ns_limit_row *nrows;
	struct ns_set set;
	size_t ncols = 0;
	struct table *t;
	int rc, r;

	rc = ns_set_read(ctx, nss, IPCADM_SYSV_KINDS | IPCADM_KIND_BIT(IPCADM_PMQ), 0, -1, &set);
	if (set.n == 0)
		return rc;
	cols[ncols++] = &ns_column;
	for (size_t i = 0; i < 5; i++)
		cols[ncols++] = &limit_columns[i];
	if (opts->mode == OUT_TABLE && isatty(STDOUT_FILENO))
		cols[ncols++] = &limit_columns[5];
	r = 0;
	output_doc_begin(opts, true);
	r = ns_print_table(opts, &set);
	if (opts->mode == OUT_TABLE)
		obuf_putc(out, '\n');
	t = table_new(opts, "limits", opts->mode == OUT_TABLE ? "Limits" : NULL, cols, ncols, NULL);
	if (t == NULL) {
		ns_set_free(&set);
		return error_code(-ENOMEM, "cannot print the limits");
	}
	nrows = calloc(set.n * IPCADM_NLIMITS, sizeof(*nrows));
	for (size_t v = 0; v < set.n && nrows; v++) {
		size_t n = limit_rows(set.v[v].snap, rows);

		for (size_t i = 0; i < n; i++) {
			nrows[v * IPCADM_NLIMITS + i] =
				(struct ns_limit_row){ rows[i], set.v[v].ns.ino };
			table_add(t, &nrows[v * IPCADM_NLIMITS + i]);
		}
	}
	if (nrows == NULL)
		r = -ENOMEM;
	r = table_finish(t) < 0 ? -ENOMEM : r;
	output_doc_end(opts, true);
	free(nrows);
	ns_set_free(&set);
	return r < 0 ? error_code(r, "cannot print the limits") : rc;
}
