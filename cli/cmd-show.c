/* cmd-show.c: `ipcadm show [shm|sem|msg] ID`: every attribute of one object, read by
 * itself (not the whole table); each semaphore's value, waiters and last PID. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "ipcadm-cli.h"
#include "json.h"
#include "ns.h"
#include "object.h"
#include "obuf.h"

#define MAX_COLS 64

static void show_help(void)
{
	printf("Usage: %s show [OPTIONS] [shm|sem|msg] ID\n"
	       "       %s show [OPTIONS] pshm|psem|pmq NAME | /NAME\n\n"
	       "Show every attribute of one object. With a bare ID, every kind that has\n"
	       "an object with that ID is shown (IDs of different kinds can be equal);\n"
	       "with a bare /NAME, every POSIX kind that has it.\n\n"
	       "Options:\n%s%s  -h, --help               this help\n",
	       progname, progname, output_options_help, ns_options_help);
}

static void print_sems_json(struct json *j, const struct ipcadm_obj *o)
{
	if (o->sems == NULL) {
		json_null(j, "sems");
		return;
	}
	json_array_begin(j, "sems");
	for (size_t i = 0; i < o->nsems; i++) {
		const struct ipcadm_semval *s = &o->sems[i];

		json_object_begin(j, NULL);
		json_u64(j, "semnum", i);
		json_i64(j, "value", s->value);
		json_i64(j, "ncnt", s->ncnt);
		json_i64(j, "zcnt", s->zcnt);
		json_i64(j, "pid", s->pid);
		json_object_end(j);
	}
	json_array_end(j);
}

static void print_sems_text(const struct ipcadm_obj *o)
{
	if (o->sems == NULL) {
		if (o->sems_err)
			obuf_printf(out, "semaphore values not readable: %s\n",
				    strerror(-o->sems_err));
		return;
	}
	obuf_puts(out, "\nSEMNUM  VALUE   NCNT   ZCNT    PID\n");
	for (size_t i = 0; i < o->nsems; i++) {
		const struct ipcadm_semval *s = &o->sems[i];

		obuf_printf(out, "%6zu %6d %6d %6d %6d\n", i, s->value, s->ncnt, s->zcnt,
			    (int)s->pid);
	}
}

void print_object(const struct out_opts *opts, struct json *j, const struct ipcadm_obj *o,
		  struct obj_env *env, bool first)
{
	const struct column *cols[MAX_COLS];
	size_t n = obj_columns_all(o->kind, cols, MAX_COLS);
	char buf[64], title[OBJ_TITLE_MAX];

	/* NAMESPACE only for an object read with -A or -N; CREATOR when the journal knows */
	for (size_t c = 0; c < n; c++) {
		if ((strcmp(cols[c]->name, "NAMESPACE") == 0 && o->ipcns == 0) ||
		    (column_is_creator(cols[c]) && !obj_has_creator(env, o))) {
			memmove(&cols[c], &cols[c + 1], (n - c - 1) * sizeof(cols[0]));
			n--;
			c--;
		}
	}

	if (opts->mode == OUT_JSON) {
		json_object_begin(j, NULL);
		json_columns(j, cols, n, o, env);
		if (o->kind == IPCADM_SEM)
			print_sems_json(j, o);
		json_object_end(j);
		return;
	}
	if (!first)
		obuf_putc(out, '\n');
	if (opts->mode == OUT_TABLE && !opts->noheadings)
		obuf_printf(out, "%s\n", obj_title(o, title, sizeof(title)));
	for (size_t c = 0; c < n; c++) {
		struct value v = { .type = V_NONE };
		const char *text;
		size_t len;

		cols[c]->get(o, env, &v);
		len = value_format(opts, &v, buf, &text);
		if (opts->mode == OUT_EXPORT) {
			export_pair(out, cols[c]->name, text, len);
		} else if (opts->mode == OUT_RAW) {
			obuf_printf(out, "%s ", cols[c]->name);
			obuf_escaped(out, text, len, ESC_SPACE);
		} else {
			obuf_printf(out, "%-10s ", cols[c]->name);
			obuf_escaped(out, text, len, 0);
		}
		obuf_putc(out, '\n');
	}
	if (o->kind == IPCADM_SEM)
		print_sems_text(o);
}

int cmd_show(struct ipcadm_ctx *ctx, int argc, char **argv)
{
	struct out_opts opts = { 0 };
	struct obj_env env = { .ctx = ctx };
	struct json *j = NULL;
	int r, kind = -1, id = 0, found = 0;

	r = object_command(ctx, "show", show_help, false, argc, argv, &opts, &kind, &id);
	if (r >= 0)
		return r;

	for (int k = 0; k < IPCADM_NSYSV_KINDS; k++) {
		struct ipcadm_obj o;

		if (kind >= 0 && k != kind)
			continue;
		r = ipcadm_obj_read(ctx, k, id, IPCADM_READ_SEMVALS | IPCADM_READ_QBYTES, &o);
		if (r == -ENOENT)
			continue;
		if (r < 0) {
			if (found)
				output_doc_end(&opts, true);
			error_code(r, "cannot read %s %d", ipcadm_kind_name(k), id);
			return 1;
		}
		/* The document starts with the first object, so a miss prints nothing. */
		if (found == 0)
			j = output_doc_begin(&opts, true);
		if (opts.mode == OUT_JSON)
			json_array_begin(j, ipcadm_kind_name(k));
		print_object(&opts, j, &o, &env, found == 0);
		if (opts.mode == OUT_JSON)
			json_array_end(j);
		ipcadm_obj_release(&o);
		found++;
	}
	if (!found)
		return object_not_found(kind, NULL, id);
	output_doc_end(&opts, true);
	return 0;
}
