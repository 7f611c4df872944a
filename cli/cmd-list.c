/* cmd-list.c: `ipcadm list [shm|sem|msg|pshm|psem|pmq]...`: one table per kind, columns
 * chosen with -o from the object column table, in every output format. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ipcadm-cli.h"
#include "obuf.h"

#define MAX_COLS 64

static void list_help(void)
{
	printf("Usage: %s list [OPTIONS] [shm|sem|msg|pshm|psem|pmq]...\n\n"
	       "List IPC objects, one table per kind. By default the System V kinds, and\n"
	       "the POSIX kinds (pshm, psem, pmq) that have objects.\n\n"
	       "Options:\n"
	       "  -o, --output LIST        columns to show; +LIST adds to the defaults\n"
	       "%s  -h, --help               this help\n\nColumns:\n",
	       progname, output_options_help);
	for (size_t i = 0; i < obj_ncolumns; i++) {
		const struct column *c = &obj_columns[i];
		unsigned int all = IPCADM_ALL_KINDS | IPCADM_POSIX_KINDS;
		char kinds[64] = "";

		for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
			if (!(c->kinds & IPCADM_KIND_BIT(k)) || c->kinds == IPCADM_ALL_KINDS ||
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

int cmd_list(struct ipcadm_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		OUTPUT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct out_opts opts = { 0 };
	const char *columns = NULL;
	unsigned int kinds = 0, flags = 0;
	struct ipcadm_snapshot *snap;
	struct obj_env env = { .ctx = ctx };
	struct ipcadm_analysis *an = NULL;
	bool verdicts = false, posix_implicit = false;
	int c, r, nkinds = 0, rc = 0;

	while ((c = getopt_long(argc, argv, "o:h" OUTPUT_SHORTOPTS, longopts, NULL)) != -1) {
		r = output_option("list", c, optarg, &opts);
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
		kinds = IPCADM_ALL_KINDS | IPCADM_POSIX_KINDS;
		posix_implicit = true; /* shown only when they have objects */
	}
	if (columns && check_columns(columns, kinds))
		return EXIT_MISUSE;
	if (columns && strcasestr(columns, "QBYTES"))
		flags |= IPCADM_READ_QBYTES;
	if (columns_need_analysis(columns, &verdicts))
		flags |= IPCADM_READ_SEMVALS;

	/* Verdicts look across kinds (companions): analyse every kind, print those asked. */
	r = ipcadm_snapshot_read(ctx,
				 (flags & IPCADM_READ_SEMVALS) ? IPCADM_ALL_KINDS | kinds : kinds,
				 flags, &snap);
	if (r < 0)
		return error_code(r, "cannot read the IPC state below '%s'", ipcadm_ctx_root(ctx));
	for (int k = IPCADM_NKINDS; k < IPCADM_NALL_KINDS; k++) {
		if (!(kinds & IPCADM_KIND_BIT(k)))
			continue;
		if (posix_read_failed(snap, k, !posix_implicit))
			rc = 1;
		if (posix_read_failed(snap, k, false) ||
		    (posix_implicit && ipcadm_snapshot_count(snap, k) == 0))
			kinds &= ~IPCADM_KIND_BIT(k);
		else if (!columns || *columns == '+')
			verdicts = true; /* the default POSIX columns have HOLDERS and VERDICT */
	}
	if ((flags & IPCADM_READ_SEMVALS) || verdicts) {
		r = ipcadm_analyze(ctx, snap, verdicts ? 0 : IPCADM_ANALYZE_NO_VERDICTS, &an);
		if (r < 0) {
			ipcadm_snapshot_free(snap);
			return error_code(r, "cannot read the process table below '%s'",
					  ipcadm_ctx_root(ctx));
		}
		env.an = an;
	}
	for (int k = 0; k < IPCADM_NALL_KINDS; k++)
		nkinds += !!(kinds & IPCADM_KIND_BIT(k));

	output_doc_begin(&opts, true);
	for (int k = 0; k < IPCADM_NALL_KINDS && r == 0; k++) {
		const struct column *sel[MAX_COLS];
		size_t nsel = MAX_COLS;
		const char *defaults[] = { obj_default_columns[k], NULL };
		struct table *t;

		if (!(kinds & IPCADM_KIND_BIT(k)))
			continue;
		r = columns_select(obj_columns, obj_ncolumns, IPCADM_KIND_BIT(k), defaults,
				   columns, sel, &nsel);
		if (r < 0 || nsel == 0)
			continue;
		if (opts.mode == OUT_TABLE && nkinds > 1 && k != __builtin_ctz(kinds))
			obuf_putc(out, '\n');
		t = table_new(&opts, ipcadm_kind_name(k), nkinds > 1 ? kind_titles[k] : NULL, sel,
			      nsel, &env);
		if (t == NULL) {
			r = -ENOMEM;
			break;
		}
		for (size_t i = 0; i < ipcadm_snapshot_count(snap, k); i++)
			table_add(t, ipcadm_snapshot_obj(snap, k, i));
		r = table_finish(t);
		if (ipcadm_snapshot_skipped(snap, k))
			errorx("warning: %zu unreadable lines of /proc/sysvipc/%s were skipped",
			       ipcadm_snapshot_skipped(snap, k), ipcadm_kind_name(k));
	}
	output_doc_end(&opts, true);
	ipcadm_analysis_free(an);
	ipcadm_snapshot_free(snap);
	return r < 0 ? error_code(r, "cannot print the list") : rc;
}
