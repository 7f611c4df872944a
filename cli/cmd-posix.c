/* cmd-posix.c: POSIX objects by name in show and who (`ipcadm show pshm NAME`), and the
 * warning when a POSIX kind could not be read (mqueue not mounted and not mountable). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ipcadm-cli.h"
#include "obuf.h"

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

/* Reads the POSIX kinds asked for (all when kind < 0) and their holders. */
static int read_posix(struct ipcadm_ctx *ctx, int kind, const char *name,
		      struct ipcadm_snapshot **snapp, struct ipcadm_analysis **anp)
{
	unsigned int kinds = kind >= 0 ? IPCADM_KIND_BIT(kind) : IPCADM_POSIX_KINDS;
	int r;

	if (!ipcadm_posix_name_valid(name)) {
		errorx("invalid name '%s': 1 to 250 bytes, no '/'", name);
		return EXIT_MISUSE;
	}
	r = ipcadm_snapshot_read(ctx, kinds, 0, snapp);
	if (r < 0)
		return error_code(r, "cannot read the IPC state below '%s'", ipcadm_ctx_root(ctx));
	if (kind >= 0 && posix_read_failed(*snapp, kind, true)) {
		ipcadm_snapshot_free(*snapp);
		return 1;
	}
	r = ipcadm_analyze(ctx, *snapp, 0, anp);
	if (r < 0) {
		ipcadm_snapshot_free(*snapp);
		return error_code(r, "cannot read the process table below '%s'",
				  ipcadm_ctx_root(ctx));
	}
	return 0;
}

static int not_found(int kind, const char *name)
{
	if (kind >= 0)
		errorx("no %s named '%s'", ipcadm_kind_name(kind), name);
	else
		errorx("no POSIX shared memory segment, named semaphore or message queue named "
		       "'%s'",
		       name);
	return 1;
}

/* A leading '/' is how programs name them (shm_open("/x")): accept it. */
static const char *bare(const char *name)
{
	return name[0] == '/' && name[1] ? name + 1 : name;
}

int posix_show(struct ipcadm_ctx *ctx, const struct out_opts *opts, int kind, const char *name)
{
	struct ipcadm_snapshot *snap;
	struct ipcadm_analysis *an;
	struct obj_env env = { .ctx = ctx };
	int r, found = 0;

	name = bare(name);
	r = read_posix(ctx, kind, name, &snap, &an);
	if (r)
		return r;
	env.an = an;
	for (int k = IPCADM_NKINDS; k < IPCADM_NALL_KINDS; k++) {
		const struct ipcadm_obj *o = ipcadm_snapshot_find_name(snap, k, name);

		if (o == NULL || (kind >= 0 && k != kind))
			continue;
		if (found == 0)
			output_doc_begin(opts, true);
		print_object(opts, o, &env, found == 0);
		found++;
	}
	if (found)
		output_doc_end(opts, true);
	ipcadm_analysis_free(an);
	ipcadm_snapshot_free(snap);
	return found ? 0 : not_found(kind, name);
}

int posix_who(struct ipcadm_ctx *ctx, const struct out_opts *opts, int kind, const char *name)
{
	struct ipcadm_snapshot *snap;
	struct ipcadm_analysis *an;
	int r, found = 0;

	name = bare(name);
	r = read_posix(ctx, kind, name, &snap, &an);
	if (r)
		return r;
	for (int k = IPCADM_NKINDS; k < IPCADM_NALL_KINDS; k++) {
		const struct ipcadm_obj *o = ipcadm_snapshot_find_name(snap, k, name);

		if (o == NULL || (kind >= 0 && k != kind))
			continue;
		if (found == 0)
			output_doc_begin(opts, true);
		print_who(opts, ctx, an, o, found == 0);
		found++;
	}
	if (found)
		output_doc_end(opts, true);
	ipcadm_analysis_free(an);
	ipcadm_snapshot_free(snap);
	return found ? 0 : not_found(kind, name);
}

int posix_rm(struct ipcadm_ctx *ctx, int kind, const char *name)
{
	int r;

	name = bare(name);
	r = ipcadm_posix_remove(ctx, kind, name, NULL);
	if (r == -ENOENT)
		return not_found(kind, name);
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
