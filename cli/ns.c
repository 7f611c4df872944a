/* ns.c: -A/--all-namespaces and -N/--namespace for the commands: which IPC namespaces to
 * read, each read (in a child that enters it) into a snapshot and, if asked, analysed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipcadm-cli.h"
#include "ns.h"
#include "obuf.h"
#include "sbuf.h"

const char ns_options_help[] =
	"  -A, --all-namespaces     every IPC namespace a process is in (each entered by a\n"
	"                           child process; PIDs are this namespace's)\n"
	"  -N, --namespace PID|PATH|ipc:INODE|ipcid:ID\n"
	"                           the IPC namespace of a process, a namespace file, or\n"
	"                           the namespace of that inode (as -A lists them) or\n"
	"                           kernel ID (never reused; Linux 6.18)\n"
	"      --all-visible        every process using the IPC namespace is visible here:\n"
	"                           judge by absence even outside the initial PID namespace\n";

int ns_option(const char *cmd, int c, const char *arg, struct ns_sel *sel)
{
	if (c == 'A') {
		sel->all = true;
	} else if (c == 'N') {
		sel->spec = arg;
	} else if (c == OPT_ALL_VISIBLE) {
		sel->all_visible = true;
		return 1;
	} else {
		return 0;
	}
	if (sel->all && sel->spec)
		return usage_error(cmd, "--all-namespaces and --namespace exclude each other"), -1;
	return 1;
}

int view_option(const char *cmd, int c, const char *arg, struct out_opts *opts,
		struct ns_sel *sel)
{
	int r = output_option(cmd, c, arg, opts);

	return r == 0 ? ns_option(cmd, c, arg, sel) : r;
}

int view_options(const char *cmd, void (*help)(void), int argc, char **argv,
		 struct out_opts *opts, struct ns_sel *sel)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		OUTPUT_LONGOPTS,
		NS_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int c, r;

	while ((c = getopt_long(argc, argv, "h" OUTPUT_SHORTOPTS NS_SHORTOPTS, longopts, NULL)) !=
	       -1) {
		r = view_option(cmd, c, optarg, opts, sel);
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
	return -1;
}

int ns_set_read(struct ipcadm_ctx *ctx, const struct ns_sel *sel, unsigned int kinds,
		unsigned int flags, int analyze, struct ns_set *set)
{
	struct ipcadm_ns *list = NULL;
	size_t n = 0;
	int r, rc = 0;

	memset(set, 0, sizeof(*set));
	ipcadm_ctx_set_all_visible(ctx, sel->all_visible);
	set->active = sel->all || sel->spec;
	if (sel->all) {
		r = ipcadm_ns_list(ctx, &list, &n);
		if (r < 0)
			return error_code(r, "cannot list the IPC namespaces below '%s'",
					  ipcadm_ctx_root(ctx));
	} else {
		list = calloc(1, sizeof(*list));
		if (list == NULL)
			return error_code(-ENOMEM, "cannot read the IPC state");
		n = 1;
		if (sel->spec) {
			r = ipcadm_ns_resolve(ctx, sel->spec, list);
			if (r < 0) {
				free(list);
				return error_code(r, "cannot find the IPC namespace '%s'", sel->spec);
			}
		} else {
			list->self = true;
		}
	}
	set->v = calloc(n ? n : 1, sizeof(*set->v));
	if (set->v == NULL) {
		free(list);
		return error_code(-ENOMEM, "cannot read the IPC state");
	}
	for (size_t i = 0; i < n; i++) {
		struct ns_view *v = &set->v[set->n];

		v->ns = list[i];
		if (set->active)
			r = ipcadm_snapshot_read_ns(ctx, &v->ns, kinds, flags, &v->snap);
		else
			r = ipcadm_snapshot_read(ctx, kinds, flags, &v->snap);
		if (r == -ESRCH && sel->all)
			continue; /* its last process exited meanwhile */
		if (r < 0) {
			if (set->active)
				error_code(r, "cannot read IPC namespace %llu",
					   (unsigned long long)v->ns.ino);
			else
				error_code(r, "cannot read the IPC state below '%s'",
					   ipcadm_ctx_root(ctx));
			rc = 1;
			continue;
		}
		if (analyze >= 0) {
			r = ipcadm_analyze(ctx, v->snap, (unsigned int)analyze, &v->an);
			if (r < 0) {
				error_code(r, "cannot read the process table below '%s'",
					   ipcadm_ctx_root(ctx));
				ipcadm_snapshot_free(v->snap);
				rc = 1;
				continue;
			}
		}
		set->n++;
	}
	free(list);
	if (set->n == 0) { /* callers return at once: nothing of the set is left to free */
		free(set->v);
		set->v = NULL;
		if (rc == 0)
			rc = 1;
	}
	return rc;
}

void ns_set_free(struct ns_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		ipcadm_analysis_free(set->v[i].an);
		ipcadm_snapshot_free(set->v[i].snap);
	}
	free(set->v);
	memset(set, 0, sizeof(*set));
}

/* "4026532300 (pid 4242 postgres, /system.slice/docker-ab12.scope)": the command and the
 * cgroup (which a delegated user may name) escaped. */
const char *ns_hint(const struct ipcadm_ns *ns, char *buf, size_t len)
{
	struct sbuf b;

	sbuf_init(&b, buf, len);
	sbuf_u64(&b, (uint64_t)ns->ino);
	if (ns->pid > 0) {
		sbuf_label_i64(&b, " (pid ", (int64_t)ns->pid);
		sbuf_puts(&b, " ");
		sbuf_escaped(&b, ns->comm);
		if (ns->cgroup[0]) {
			sbuf_puts(&b, ", ");
			sbuf_escaped(&b, ns->cgroup);
		}
		sbuf_puts(&b, ns->self ? ", this one)" : ")");
	} else {
		sbuf_puts(&b, " (");
		sbuf_escaped(&b, ns->path);
		sbuf_puts(&b, ")");
	}
	return buf;
}

/* The namespaces as a table (or a JSON array "namespaces") above the objects. */
struct nsrow_env {
	char buf[32];
};

#define NSV(r) ((const struct ns_view *)(r))

static void get_ns(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_U64;
	v->u = NSV(r)->ns.ino;
}

static void get_pid(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = NSV(r)->ns.pid > 0 ? V_U64 : V_NONE;
	v->u = (uint64_t)NSV(r)->ns.pid;
}

static void get_procs(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_U64;
	v->u = NSV(r)->ns.nprocs;
}

static void get_comm(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = NSV(r)->ns.comm[0] ? V_STR : V_NONE;
	v->s = NSV(r)->ns.comm;
}

static void get_cgroup(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = NSV(r)->ns.cgroup[0] ? V_STR : V_NONE;
	v->s = NSV(r)->ns.cgroup;
}

static void get_self(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_BOOL;
	v->b = NSV(r)->ns.self;
}

static const struct column ns_columns[] = {
	{ "NAMESPACE", "IPC namespace inode", COL_RIGHT, get_ns, NULL, 0, 0 },
	{ "PROCS", "processes in it", COL_RIGHT, get_procs, NULL, 0, 0 },
	{ "PID", "its oldest process", COL_RIGHT, get_pid, NULL, 0, 0 },
	{ "COMMAND", "that process's command", 0, get_comm, NULL, 0, 0 },
	{ "CGROUP", "and its cgroup", 0, get_cgroup, NULL, 0, 0 },
	{ "SELF", "ipcadm's own namespace", 0, get_self, NULL, 0, 0 },
};

int ns_print_table(const struct out_opts *opts, const struct ns_set *set)
{
	const struct column *cols[6];
	struct table *t;

	for (size_t i = 0; i < 6; i++)
		cols[i] = &ns_columns[i];
	t = table_new(opts, "namespaces", "IPC namespaces", cols, 6, NULL);
	if (t == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < set->n; i++)
		table_add(t, &set->v[i]);
	return table_finish(t);
}
