/* cmd-list.c: `ipcadm list [shm|sem|msg|pshm|psem|pmq]...`: one table per kind, columns
 * chosen with -o from the object column table, in every output format. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ipcadm-cli.h"
#include "ns.h"
#include "object.h"
#include "obuf.h"

#define MAX_COLS 64

static void list_help(void)
{
	printf("Usage: %s list [OPTIONS] [shm|sem|msg|pshm|psem|pmq]...\n\n"
	       "List IPC objects, one table per kind. By default the System V kinds, and\n"
	       "the POSIX kinds (pshm, psem, pmq) that have objects.\n\n"
	       "Options:\n"
	       "  -o, --output LIST        columns to show; +LIST adds to the defaults\n"
	       "%s%s  -h, --help               this help\n\nColumns:\n",
	       progname, output_options_help, ns_options_help);
	for (size_t i = 0; i < obj_ncolumns; i++) {
		const struct column *c = &obj_columns[i];
		unsigned int all = IPCADM_EVERY_KIND;
		char kinds[64] = "";

		for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
			if (!(c->kinds & IPCADM_KIND_BIT(k)) || c->kinds == IPCADM_SYSV_KINDS ||
			    c->kinds == all)
				continue;
			strcat(kinds, kinds[0] ? "," : " (");
			strcat(kinds, ipcadm_kind_name(k));
		}
		if (kinds[0])
			strcat(kinds, ")");
		printf("  %-10s %s%s\n", c->name, c->help, kinds);
	}
	printf("\nDefault columns:\n");
	for (int k = 0; k < IPCADM_NALL_KINDS; k++)
		printf("  %s: %s\n", ipcadm_kind_name(k), obj_default_columns[k]);
}

/* Every name in the -o list must be a column of at least one listed kind. */
static int check_columns(const char *list, unsigned int kinds)
{
	char name[64];

	if (*list == '\0')
		return usage_error("list", "no columns given to -o");
	if (*list == '+')
		list++;
	while (*list) {
		size_t len = strcspn(list, ",");
		const struct column *c;

		if (len == 0 || len >= sizeof(name))
			return usage_error("list", "empty or overlong column name in '%s'", list);
		memcpy(name, list, len);
		name[len] = '\0';
		c = column_find(obj_columns, obj_ncolumns, name);
		if (c == NULL || !(c->kinds & kinds)) {
			char valid[1024] = "";

			for (size_t i = 0; i < obj_ncolumns; i++) {
				if (!(obj_columns[i].kinds & kinds))
					continue;
				strcat(valid, valid[0] ? "," : "");
				strcat(valid, obj_columns[i].name);
			}
			return usage_error("list", "unknown column '%s'; valid columns: %s", name,
					   valid);
		}
		list += len + (list[len] == ',');
	}
	return 0;
}

/* What the columns shown for these kinds need (OBJ_NEEDS_*), from the -o list or the
 * kinds' defaults. */
static unsigned int list_needs(const char *columns, unsigned int kinds)
{
	unsigned int needs = 0;

	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		const char *defaults[] = { obj_default_columns[k], NULL };
		const struct column *sel[MAX_COLS];
		size_t nsel = MAX_COLS;

		if (!(kinds & IPCADM_KIND_BIT(k)))
			continue;
		columns_select(obj_columns, obj_ncolumns, IPCADM_KIND_BIT(k), defaults, columns,
			       sel, &nsel);
		needs |= columns_needs(sel, nsel);
	}
	return needs;
}

int cmd_list(struct ipcadm_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		OUTPUT_LONGOPTS,
		NS_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct out_opts opts = { 0 };
	const char *columns = NULL;
	unsigned int kinds = 0, needs, read;
	struct obj_env env = { .ctx = ctx };
	struct ns_sel nss = { 0 };
	struct ns_set set;
	char colbuf[1024];
	bool verdicts, posix_implicit = false, ns_column;
	int c, r, nkinds = 0, rc = 0;

	while ((c = getopt_long(argc, argv, "o:h" OUTPUT_SHORTOPTS NS_SHORTOPTS, longopts, NULL)) !=
	       -1) {
		r = view_option("list", c, optarg, &opts, &nss);
		if (r < 0)
			return EXIT_MISUSE;
		if (r > 0)
			continue;
		switch (c) {
		case 'o':
			columns = optarg;
			break;
		case 'h':
			list_help();
			return 0;
		default:
			return usage_error("list", "bad usage");
		}
	}
	for (; optind < argc; optind++) {
		int k = parse_any_kind_arg(argv[optind]);

		if (k < 0)
			return usage_error("list",
					   "unknown kind '%s' (shm, sem, msg, pshm, psem or pmq)",
					   argv[optind]);
		kinds |= IPCADM_KIND_BIT(k);
	}
	if (kinds == 0) {
		kinds = IPCADM_EVERY_KIND;
		posix_implicit = true; /* shown only when they have objects */
	}
	if (columns && check_columns(columns, kinds))
		return EXIT_MISUSE;
	/* What the columns need read; the POSIX kinds that are listed only when they have
	 * objects count once that is known. */
	needs = list_needs(columns, posix_implicit ? kinds & ~IPCADM_POSIX_KINDS : kinds);
	read = kinds;

	/* Verdicts look across kinds (companions): analyse every kind, print those asked (the
	 * POSIX kinds' default columns have verdicts). Holders alone need only their kind. */
	if ((needs & OBJ_NEEDS_VERDICTS) || (kinds & IPCADM_POSIX_KINDS))
		read = IPCADM_SYSV_KINDS | kinds;
	rc = ns_set_read(ctx, &nss, read, needs & OBJ_NEEDS_READ, -1, &set);
	if (set.n == 0)
		return rc;
	for (int k = IPCADM_NSYSV_KINDS; k < IPCADM_NALL_KINDS; k++) {
		size_t count = 0;
		bool failed = false;

		if (!(kinds & IPCADM_KIND_BIT(k)))
			continue;
		for (size_t v = 0; v < set.n; v++) {
			if (k != IPCADM_PMQ && !set.v[v].ns.self && set.active)
				continue; /* shm and semaphores belong to mount namespaces */
			if (posix_read_failed(set.v[v].snap, k, !posix_implicit))
				rc = 1;
			failed |= posix_read_failed(set.v[v].snap, k, false);
			count += ipcadm_snapshot_count(set.v[v].snap, k);
		}
		if ((failed && count == 0) || (posix_implicit && count == 0))
			kinds &= ~IPCADM_KIND_BIT(k);
	}
	needs |= list_needs(columns, kinds & IPCADM_POSIX_KINDS);
	verdicts = needs & OBJ_NEEDS_VERDICTS;
	for (size_t v = 0; v < set.n && (needs & OBJ_NEEDS_HOLDERS); v++) {
		r = ipcadm_analyze(ctx, set.v[v].snap, verdicts ? 0 : IPCADM_ANALYZE_NO_VERDICTS,
				   &set.v[v].an);
		if (r < 0) {
			ns_set_free(&set);
			return error_code(r, "cannot read the process table below '%s'",
					  ipcadm_ctx_root(ctx));
		}
	}
	/* with -A or -N, every entry names its namespace, once */
	ns_column = set.active && !(columns && columns_list_has(columns, "NAMESPACE"));
	if (ns_column && columns && *columns != '+') {
		snprintf(colbuf, sizeof(colbuf), "NAMESPACE,%s", columns);
		columns = colbuf;
	}
	for (int k = 0; k < IPCADM_NALL_KINDS; k++)
		nkinds += !!(kinds & IPCADM_KIND_BIT(k));

	r = 0;
	output_doc_begin(&opts, true);
	if (set.active) {
		r = ns_print_table(&opts, &set);
		if (opts.mode == OUT_TABLE)
			obuf_putc(out, '\n');
	}
	for (int k = 0; k < IPCADM_NALL_KINDS && r == 0; k++) {
		const struct column *sel[MAX_COLS];
		size_t nsel = MAX_COLS;
		char defbuf[512];
		const char *defaults[] = { obj_default_columns[k], NULL };
		struct table *t;

		if (!(kinds & IPCADM_KIND_BIT(k)))
			continue;
		if (ns_column) {
			snprintf(defbuf, sizeof(defbuf), "NAMESPACE,%s", obj_default_columns[k]);
			defaults[0] = defbuf;
		}
		r = columns_select(obj_columns, obj_ncolumns, IPCADM_KIND_BIT(k), defaults,
				   columns, sel, &nsel);
		if (r < 0 || nsel == 0)
			continue;
		if (opts.mode == OUT_TABLE && nkinds > 1 && k != __builtin_ctz(kinds))
			obuf_putc(out, '\n');
		t = table_new(&opts, ipcadm_kind_name(k),
			      nkinds > 1 || set.active ? kind_titles[k] : NULL, sel, nsel, &env);
		if (t == NULL) {
			r = -ENOMEM;
			break;
		}
		for (size_t v = 0; v < set.n; v++) {
			const struct ipcadm_snapshot *snap = set.v[v].snap;

			env.an = set.v[v].an; /* cells are made when a row is added */
			for (size_t i = 0; i < ipcadm_snapshot_count(snap, k); i++)
				table_add(t, ipcadm_snapshot_obj(snap, k, i));
			if (ipcadm_snapshot_skipped(snap, k))
				errorx("warning: %zu unreadable lines of /proc/sysvipc/%s were "
				       "skipped",
				       ipcadm_snapshot_skipped(snap, k), ipcadm_kind_name(k));
		}
		r = table_finish(t);
	}
	output_doc_end(&opts, true);
	ns_set_free(&set);
	return r < 0 ? error_code(r, "cannot print the list") : rc;
}
