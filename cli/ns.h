/* ns.h: IPC namespaces in the CLI (ns.c): the -A/--all-namespaces, -N/--namespace and
 * --all-visible options, reading each selected namespace, and the namespaces' table. */
#ifndef IPCADM_NS_H
#define IPCADM_NS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "ipcadm.h"
#include "output.h"

struct ns_sel {
	bool all;
	const char *spec;
	bool all_visible; /* --all-visible: every process using the namespace is visible */
};
#define OPT_ALL_VISIBLE 0x180
#define NS_SHORTOPTS "AN:"
#define NS_LONGOPTS                                                                  \
	{ "all-namespaces", no_argument, NULL, 'A' },                                \
	{ "namespace", required_argument, NULL, 'N' },                               \
	{ "all-visible", no_argument, NULL, OPT_ALL_VISIBLE }
extern const char ns_options_help[];
/* 1 when the option was -A, -N or --all-visible, 0 when not, -1 on misuse (reported). */
int ns_option(const char *cmd, int c, const char *arg, struct ns_sel *sel);
/* The same for an output option (output_option()) or -A, -N: what list, show, who and
 * limits share. */
int view_option(const char *cmd, int c, const char *arg, struct out_opts *opts,
		struct ns_sel *sel);
/* The options of a command that takes no others than -h, the output options and -A, -N
 * (limits, show, who); help() prints its help. -1 when the caller goes on (optind at the
 * first argument); else the exit status: 0 after the help, EXIT_MISUSE (reported). */
int view_options(const char *cmd, void (*help)(void), int argc, char **argv,
		 struct out_opts *opts, struct ns_sel *sel);

/* One namespace's snapshot, and its analysis when asked for. */
struct ns_view {
	struct ipcadm_ns ns;
	struct ipcadm_snapshot *snap;
	struct ipcadm_analysis *an;
};
struct ns_set {
	struct ns_view *v;
	size_t n;
	bool active; /* -A or -N: objects carry their namespace */
};
/* Reads the selected namespaces (this one without -A/-N); analyze: the ipcadm_analyze()
 * flags, or -1 for none. Reports errors; returns 0, or 1 when one could not be read. */
int ns_set_read(struct ipcadm_ctx *ctx, const struct ns_sel *sel, unsigned int kinds,
		unsigned int flags, int analyze, struct ns_set *set);
void ns_set_free(struct ns_set *set);
/* "4026532300 (pid 4242 postgres, /system.slice/docker-ab12.scope)": a namespace in a
 * message, the command and the cgroup escaped. */
const char *ns_hint(const struct ipcadm_ns *ns, char *buf, size_t len);
/* The namespaces as a table titled "IPC namespaces" (JSON: an array "namespaces");
 * returns 0 or -errno (the caller reports). */
int ns_print_table(const struct out_opts *opts, const struct ns_set *set);

#endif
