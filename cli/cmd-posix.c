/* cmd-posix.c: what show and who share (options, objects by POSIX name or in other
 * namespaces: `ipcadm show pshm NAME`), and the warning when a POSIX kind could not be
 * read (mqueue not mounted and not mountable). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ipcadm-cli.h"
#include "obuf.h"
#include "sbuf.h"

bool posix_read_failed(const struct ipcadm_snapshot *snap, int kind, bool asked)
{
	int err = ipcadm_snapshot_error(snap, kind);

	if (err == 0)
		return false;
	if (asked && kind == IPCADM_PMQ && (err == -EPERM || err == -ENOENT))
		errorx("cannot read POSIX message queues: the mqueue filesystem is not mounted "
		       "and mounting it privately needs CAP_SYS_ADMIN");
	else if (asked)
		errorx("cannot read %s objects: %s", ipcadm_kind_name(kind), strerror(-err));
	return true;
}

int object_command(struct ipcadm_ctx *ctx, const char *cmd, void (*help)(void), bool who,
		   int argc, char **argv, struct out_opts *opts, int *kind, int *id)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		OUTPUT_LONGOPTS,
		NS_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct ns_sel nss = { 0 };
	const char *name;
	int c, r;

	while ((c = getopt_long(argc, argv, "h" OUTPUT_SHORTOPTS NS_SHORTOPTS, longopts, NULL)) !=
	       -1) {
		r = view_option(cmd, c, optarg, opts, &nss);
		if (r < 0)
			return EXIT_MISUSE;
		if (r > 0)
			continue;
		if (c == 'h') {
			help();
			return 0;
		}
		return usage_error(cmd, "bad usage");
	}
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

/* A leading '/' is how programs name them (shm_open("/x")): accept it. */
static const char *bare(const char *name)
{
	return name[0] == '/' && name[1] ? name + 1 : name;
}

int find_print(struct ipcadm_ctx *ctx, const struct out_opts *opts, const struct ns_sel *sel,
	       int kind, const char *name, int id, bool who)
{
	unsigned int kinds = kind >= 0 ? IPCADM_KIND_BIT(kind)
				       : (name ? IPCADM_POSIX_KINDS : IPCADM_ALL_KINDS);
	struct obj_env env = { .ctx = ctx };
	struct ns_set set;
	int rc, found = 0;

	if (name) {
		name = bare(name);
		if (!ipcadm_posix_name_valid(name))
			return usage_error(who ? "who" : "show",
					   "invalid name '%s': 1 to 250 bytes, no '/'", name);
	}
	/* verdicts look across kinds (companions) */
	rc = ns_set_read(ctx, sel, kinds | (who ? IPCADM_ALL_KINDS : 0),
			 IPCADM_READ_SEMPIDS | IPCADM_READ_QBYTES, 0, &set);
	if (set.n == 0)
		return rc;
	for (size_t v = 0; v < set.n; v++) {
		for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
			const struct ipcadm_obj *o;

			if (!(kinds & IPCADM_KIND_BIT(k)))
				continue;
			if (kind >= 0 && (k == IPCADM_PMQ || set.v[v].ns.self || !set.active) &&
			    posix_read_failed(set.v[v].snap, k, true))
				rc = 1;
			o = name ? ipcadm_snapshot_find_name(set.v[v].snap, k, name)
				 : ipcadm_snapshot_find(set.v[v].snap, k, id);
			if (o == NULL)
				continue;
			if (found == 0)
				output_doc_begin(opts, true);
			env.an = set.v[v].an;
			if (who)
				print_who(opts, ctx, env.an, o, found == 0);
			else
				print_object(opts, o, &env, found == 0);
			found++;
		}
	}
	if (found)
		output_doc_end(opts, true);
	ns_set_free(&set);
	if (!found)
		return rc ? rc : object_not_found(kind, name, id);
	return rc;
}

int posix_show(struct ipcadm_ctx *ctx, const struct out_opts *opts, int kind, const char *name)
{
	struct ns_sel own = { 0 };

	return find_print(ctx, opts, &own, kind, name, 0, false);
}

int posix_who(struct ipcadm_ctx *ctx, const struct out_opts *opts, int kind, const char *name)
{
	struct ns_sel own = { 0 };

	return find_print(ctx, opts, &own, kind, name, 0, true);
}

int posix_rm(struct ipcadm_ctx *ctx, int kind, const char *name)
{
	int r;

	name = bare(name);
	r = ipcadm_posix_remove(ctx, kind, name, NULL);
	if (r == -ENOENT)
		return object_not_found(kind, name, 0);
	if (r == -EINVAL)
		return usage_error("rm", "invalid name '%s': 1 to 250 bytes, no '/'", name);
	if (r < 0)
		return error_code(r, "cannot remove %s '%s'", ipcadm_kind_name(kind), name);
	return 0;
}

int posix_mk(struct ipcadm_ctx *ctx, const struct ipcadm_posix_new *n)
{
	struct ipcadm_posix_new c = *n;
	int r;

	c.name = bare(n->name);
	r = ipcadm_posix_create(ctx, &c);
	if (r == -EINVAL)
		return usage_error("mk", "invalid name '%s', mode or queue attributes", c.name);
	if (r < 0)
		return error_code(r, "cannot create %s '%s'", ipcadm_kind_name(c.kind), c.name);
	return 0;
}
