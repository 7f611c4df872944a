/* object.c: the front that show and who share: their options, the operands that name one
 * object (by ID, or by POSIX name), finding it in the namespaces asked for, and its title. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ipcadm-cli.h"
#include "json.h"
#include "ns.h"
#include "object.h"
#include "sbuf.h"
#include "strutil.h"

const char *obj_title(const struct ipcadm_obj *o, char *buf, size_t len)
{
	const char *title = kind_titles[o->kind];
	struct sbuf b;

	sbuf_init(&b, buf, len);
	sbuf_mem(&b, title, strlen(title) - 1); /* the title, singular */
	if (IPCADM_IS_POSIX(o->kind)) {
		sbuf_puts(&b, " /");
		sbuf_escaped(&b, o->name);
	} else {
		sbuf_label_i64(&b, " ", o->id);
	}
	if (o->ipcns)
		sbuf_label_u64(&b, " in IPC namespace ", o->ipcns);
	return buf;
}

int object_not_found(int kind, const char *name, int id)
{
	if (name && kind >= 0)
		errorx("no %s named '%s'", ipcadm_kind_name(kind), name);
	else if (name)
		errorx("no POSIX shared memory segment, named semaphore or message queue named "
		       "'%s'",
		       name);
	else if (kind >= 0)
		errorx("no %s with ID %d", ipcadm_kind_name(kind), id);
	else
		errorx("no shared memory segment, semaphore array or message queue with ID %d", id);
	return 1;
}

/* 0, or EXIT_MISUSE (reported). */
static int parse_id_arg(const char *cmd, const char *s, int *id)
{
	int r = str_to_id(s, id);

	if (r < 0)
		return usage_error(cmd, "invalid ID '%s': %s", s,
				   r == -ERANGE ? "out of range" : "not a number");
	return 0;
}

/* The operands of show and who: [KIND] ID, or [pshm|psem|pmq] NAME, or /NAME. Sets kind
 * (-1 when not given) and either name (POSIX) or id; returns 0 or EXIT_MISUSE (reported). */
static int parse_object_args(const char *cmd, int argc, char **argv, int *kind,
			     const char **name, int *id)
{
	*kind = -1;
	*name = NULL;
	if (argc - optind == 2) {
		*kind = parse_any_kind_arg(argv[optind]);
		if (*kind < 0)
			return usage_error(cmd, "unknown kind '%s' (shm, sem, msg, pshm, psem or pmq)",
					   argv[optind]);
		optind++;
	} else if (argc - optind != 1) {
		return usage_error(cmd, "expected [shm|sem|msg] ID or [pshm|psem|pmq] NAME");
	}
	if (IPCADM_IS_POSIX(*kind) || (*kind < 0 && argv[optind][0] == '/')) {
		*name = argv[optind];
		return 0;
	}
	return parse_id_arg(cmd, argv[optind], id);
}

/* show and who of an object found by ID (name NULL) or POSIX name in the namespaces of
 * sel; kind -1: every System V kind, or every POSIX kind for a name. */
static int find_print(struct ipcadm_ctx *ctx, const struct out_opts *opts,
		      const struct ns_sel *sel, int kind, const char *name, int id, bool who)
{
	unsigned int kinds = kind >= 0 ? IPCADM_KIND_BIT(kind)
				       : (name ? IPCADM_POSIX_KINDS : IPCADM_SYSV_KINDS);
	struct obj_env env = { .ctx = ctx };
	struct json *j = NULL;
	struct ns_set set;
	int rc, found = 0;

	if (name) {
		name = posix_bare_name(name);
		if (!ipcadm_posix_name_valid(name))
			return usage_error(who ? "who" : "show",
					   "invalid name '%s': 1 to 250 bytes, no '/'", name);
	}
	/* verdicts look across kinds (companions) */
	rc = ns_set_read(ctx, sel, kinds | (who ? IPCADM_SYSV_KINDS : 0),
			 IPCADM_READ_SEMPIDS | IPCADM_READ_QBYTES, 0, &set);
	if (set.n == 0)
		return rc;
	/* kind by kind: in JSON one array per kind, whatever namespaces its objects are in */
	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		bool listed = false;

		if (!(kinds & IPCADM_KIND_BIT(k)))
			continue;
		for (size_t v = 0; v < set.n; v++) {
			const struct ipcadm_obj *o;

			if (kind >= 0 && (k == IPCADM_PMQ || set.v[v].ns.self || !set.active) &&
			    posix_read_failed(set.v[v].snap, k, true))
				rc = 1;
			o = name ? ipcadm_snapshot_find_name(set.v[v].snap, k, name)
				 : ipcadm_snapshot_find(set.v[v].snap, k, id);
			if (o == NULL)
				continue;
			if (found == 0)
				j = output_doc_begin(opts, true);
			if (!listed && opts->mode == OUT_JSON)
				json_array_begin(j, ipcadm_kind_name(k));
			listed = true;
			env.an = set.v[v].an;
			if (who)
				print_who(opts, j, ctx, env.an, o, found == 0);
			else
				print_object(opts, j, o, &env, found == 0);
			found++;
		}
		if (listed && opts->mode == OUT_JSON)
			json_array_end(j);
	}
	if (found)
		output_doc_end(opts, true);
	ns_set_free(&set);
	if (!found)
		return rc ? rc : object_not_found(kind, name, id);
	return rc;
}

int object_command(struct ipcadm_ctx *ctx, const char *cmd, void (*help)(void), bool who,
		   int argc, char **argv, struct out_opts *opts, int *kind, int *id)
{
	struct ns_sel nss = { 0 };
	const char *name;
	int r = view_options(cmd, help, argc, argv, opts, &nss);

	if (r >= 0)
		return r;
	r = parse_object_args(cmd, argc, argv, kind, &name, id);
	if (r)
		return r;
	if (name)
		return find_print(ctx, opts, &nss, *kind, name, 0, who);
	if (nss.all || nss.spec)
		return find_print(ctx, opts, &nss, *kind, NULL, *id, who);
	/* the caller reads this namespace itself, not through ns_set_read */
	ipcadm_ctx_set_all_visible(ctx, nss.all_visible);
	return -1;
}
