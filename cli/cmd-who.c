/* cmd-who.c: `ipcadm who [shm|sem|msg] ID`: the processes that hold an object, how
 * they hold it (attached, waiting, creator, last user), and the object's verdict. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ipcadm-cli.h"
#include "journal.h"
#include "json.h"
#include "ns.h"
#include "object.h"
#include "obuf.h"
#include "strutil.h"

struct holder_env {
	struct ipcadm_ctx *ctx;
	char how[128];
	char user[16];
};

#define H(r) ((const struct ipcadm_holder *)(r))
#define HENV(e) ((struct holder_env *)(e))

static void get_pid(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_U64;
	v->u = (uint64_t)H(r)->pid;
}

static void get_user(const void *r, void *e, struct value *v)
{
	const char *name;

	if (H(r)->uid == (uid_t)-1) {
		v->type = V_NONE;
		return;
	}
	name = ipcadm_user_name(HENV(e)->ctx, H(r)->uid);
	if (name == NULL) {
		HENV(e)->user[fmt_u64(HENV(e)->user, H(r)->uid)] = '\0';
		name = HENV(e)->user;
	}
	v->type = V_STR;
	v->s = name;
}

static void get_command(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = H(r)->comm ? V_STR : V_NONE;
	v->s = H(r)->comm;
}

static void get_how(const void *r, void *e, struct value *v)
{
	ipcadm_holder_describe(H(r), HENV(e)->how, sizeof(HENV(e)->how));
	v->type = V_STR;
	v->s = HENV(e)->how;
}

static void get_maps(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_U64;
	v->u = H(r)->nmaps;
}

static void get_started(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_TIME;
	v->i = H(r)->start_time;
}

static const struct column holder_columns[] = {
	{ "PID", "process ID", COL_RIGHT, get_pid, NULL, 0, 0 },
	{ "USER", "effective user", 0, get_user, NULL, 0, 0 },
	{ "COMMAND", "command name", 0, get_command, NULL, 0, 0 },
	{ "HOW", "attached rw/ro, waiting, creator, last user, may hold it", 0, get_how, NULL,
	  0, 0 },
	{ "MAPS", "mappings of the segment", COL_RIGHT, get_maps, NULL, 0, 0 },
	{ "STARTED", "process start time", 0, get_started, "start_time", 0, 0 },
};
#define NHCOLS (sizeof(holder_columns) / sizeof(holder_columns[0]))

void print_who(const struct out_opts *opts, struct json *j, struct ipcadm_ctx *ctx,
	       const struct ipcadm_analysis *an, const struct ipcadm_obj *o, bool first)
{
	const struct column *cols[NHCOLS];
	struct holder_env env = { .ctx = ctx };
	const struct ipcadm_holder *h;
	size_t n = ipcadm_analysis_holders(an, o, &h);
	const char *evidence;
	enum ipcadm_verdict v = ipcadm_analysis_verdict(an, o, &evidence);
	struct table *t;
	char ebuf[2048];

	evidence = journal_evidence(ctx, o, evidence, ebuf, sizeof(ebuf));
	for (size_t i = 0; i < NHCOLS; i++)
		cols[i] = &holder_columns[i];
	if (opts->mode == OUT_JSON) {
		json_object_begin(j, NULL);
		if (IPCADM_IS_POSIX(o->kind))
			json_str(j, "name", o->name);
		else
			json_i64(j, "id", o->id);
		json_str(j, "verdict", ipcadm_verdict_name(v));
		json_str(j, "evidence", evidence);
		if (o->ipcns)
			json_u64(j, "namespace", o->ipcns);
		json_array_begin(j, "holders");
		for (size_t i = 0; i < n; i++) {
			json_object_begin(j, NULL);
			json_columns(j, cols, NHCOLS, &h[i], &env);
			json_object_end(j);
		}
		json_array_end(j);
		json_object_end(j);
		return;
	}
	if (!first)
		obuf_putc(out, '\n');
	if (!opts->noheadings) {
		char title[OBJ_TITLE_MAX];

		obuf_printf(out, "%s: %s: ", obj_title(o, title, sizeof(title)),
			    ipcadm_verdict_name(v));
		obuf_text(out, evidence); /* process and POSIX names in it */
		obuf_putc(out, '\n');
	}
	if (n == 0)
		return;
	t = table_new(opts, NULL, NULL, cols, NHCOLS, &env);
	if (t == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		table_add(t, &h[i]);
	table_finish(t);
}

static void who_help(void)
{
	printf("Usage: %s who [OPTIONS] [shm|sem|msg] ID | pshm|psem|pmq NAME | /NAME\n\n"
	       "The processes that hold an object and how: attached (rw or ro,\n"
	       "with the number of mappings), waiting in semop/msgrcv/msgsnd,\n"
	       "its live creator or last user; for POSIX objects, mapped or open;\n"
	       "and the object's verdict.\n\n"
	       "Options:\n%s%s  -h, --help               this help\n",
	       progname, output_options_help, ns_options_help);
}

int cmd_who(struct ipcadm_ctx *ctx, int argc, char **argv)
{
	struct out_opts opts = { 0 };
	struct ipcadm_snapshot *snap;
	struct ipcadm_analysis *an;
	struct json *j = NULL;
	unsigned int kinds = IPCADM_SYSV_KINDS;
	int r, kind = -1, id = 0, found = 0;

	r = object_command(ctx, "who", who_help, true, argc, argv, &opts, &kind, &id);
	if (r >= 0)
		return r;
	/*
	 * An attached segment proves its use by itself, so its holders are all that is left
	 * to find: read that one object and stop once its attachments are found. Anything
	 * else may need the whole tables (companions, possible holders).
	 */
	if (kind == IPCADM_SHM &&
	    ipcadm_snapshot_read_object(ctx, IPCADM_SHM, id, 0, &snap) == 0) {
		if (ipcadm_snapshot_obj(snap, IPCADM_SHM, 0)->nattch > 0)
			kinds = 0;
		else
			ipcadm_snapshot_free(snap);
	}
	if (kinds)
		r = ipcadm_snapshot_read(ctx, kinds, IPCADM_READ_SEMPIDS, &snap);
	else
		r = 0;
	if (r < 0)
		return error_code(r, "cannot read the IPC state below '%s'", ipcadm_ctx_root(ctx));
	r = ipcadm_analyze(ctx, snap, 0, &an);
	if (r < 0) {
		ipcadm_snapshot_free(snap);
		return error_code(r, "cannot read the process table below '%s'",
				  ipcadm_ctx_root(ctx));
	}
	for (int k = 0; k < IPCADM_NSYSV_KINDS; k++) {
		const struct ipcadm_obj *o;

		if (kind >= 0 && k != kind)
			continue;
		o = ipcadm_snapshot_find(snap, k, id);
		if (o == NULL)
			continue;
		/* the document starts with the first object, so a miss prints nothing */
		if (found == 0)
			j = output_doc_begin(&opts, true);
		if (opts.mode == OUT_JSON)
			json_array_begin(j, ipcadm_kind_name(k));
		print_who(&opts, j, ctx, an, o, found == 0);
		if (opts.mode == OUT_JSON)
			json_array_end(j);
		found++;
	}
	if (found)
		output_doc_end(&opts, true);
	ipcadm_analysis_free(an);
	ipcadm_snapshot_free(snap);
	if (!found)
		return object_not_found(kind, NULL, id);
	return 0;
}
