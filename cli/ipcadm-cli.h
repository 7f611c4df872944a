/* ipcadm-cli.h: what the command files share: the command table, error reporting in
 * one place, the common output options, and the object column table. */
#ifndef IPCADM_CLI_H
#define IPCADM_CLI_H

#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>

#include "ipcadm.h"
#include "output.h"

/* The version: the Makefile passes the VERSION file's (the one place it is written). */
#ifndef IPCADM_VERSION
#error "IPCADM_VERSION is not defined: build with the Makefile (it reads VERSION)"
#endif

/* Exit codes: 0 done, 1 failed, 2 misused. */
#define EXIT_MISUSE 2

struct cmd {
	const char *name;
	int (*run)(struct ipcadm_ctx *ctx, int argc, char **argv);
	const char *help;
};

extern const char *progname;

/* Messages: "ipcadm: what failed: why" on stderr (why: strerror(code) when reason). */
void verror(bool reason, int code, const char *fmt, va_list ap);
__attribute__((format(printf, 1, 2))) void errorx(const char *fmt, ...);
__attribute__((format(printf, 2, 3))) int error_code(int code, const char *fmt, ...);
/* Prints "ipcadm CMD: msg" and the --help hint; returns EXIT_MISUSE. */
__attribute__((format(printf, 2, 3))) int usage_error(const char *cmd, const char *fmt, ...);
/* Flushes standard output and reports a write error; returns rc or 1. */
int finish_output(int rc);

/* Options shared by list, show, limits: -J -r -e -n -b --time-format. */
#define OUTPUT_SHORTOPTS "Jrenb"
enum { OPT_TIME_FORMAT = 0x100, OPT_NOHEADINGS };
#define OUTPUT_LONGOPTS                                                          \
	{ "json", no_argument, NULL, 'J' }, { "raw", no_argument, NULL, 'r' },       \
	{ "export", no_argument, NULL, 'e' }, { "noheadings", no_argument, NULL, 'n' }, \
	{ "bytes", no_argument, NULL, 'b' },                                         \
	{ "time-format", required_argument, NULL, OPT_TIME_FORMAT }
/* 1 when the option was an output option, 0 when not, -1 on a bad argument. */
int output_option(const char *cmd, int c, const char *arg, struct out_opts *opts);
extern const char output_options_help[];

/* The object columns (cols-obj.c). */
struct obj_env {
	struct ipcadm_ctx *ctx;
	const struct ipcadm_analysis *an; /* for HOLDERS, VERDICT, EVIDENCE; may be NULL */
	char scratch[1024];
	char evidence[2048]; /* EVIDENCE with the journal's creator */
};
extern const struct column obj_columns[];
extern const size_t obj_ncolumns;
extern const char *const obj_default_columns[IPCADM_NALL_KINDS];
/* Every attribute column of a kind (not HOLDERS, VERDICT, EVIDENCE), for show. */
size_t obj_columns_all(enum ipcadm_kind kind, const struct column **sel, size_t max);
/* The CREATOR column, and whether the journal knows the object (show omits it if not). */
bool column_is_creator(const struct column *c);
bool obj_has_creator(struct obj_env *env, const struct ipcadm_obj *o);
/* True when a -o list names a column that needs the holder analysis. */
bool columns_need_analysis(const char *list, bool *verdicts);
extern const char *const kind_titles[IPCADM_NALL_KINDS];

/* The journal (cli/journal.c): opened at the first use, from $IPCADM_JOURNAL or the
 * default path; NULL when there is none (objects are judged without it). */
struct ipcadm_journal;
struct ipcadm_journal_rec;
struct ipcadm_journal *journal_get(void);
void journal_put(void);
/* Reports why a journal cannot be opened or is refused; returns 1. */
int journal_open_error(const char *path, int r, enum ipcadm_file_fault fault,
		       struct ipcadm_journal *j);
/* The journal's record of an object: 0, or -ENOENT (none, or a copied tree). */
int journal_find(struct ipcadm_ctx *ctx, const struct ipcadm_obj *o,
		 struct ipcadm_journal_rec *rec);
/* "comm[pid] of unit". */
void journal_creator_words(const struct ipcadm_journal_rec *rec, char *buf, size_t len);
/* When it was made: "12:00:03", or with the date when more than a day ago. */
void journal_when(const struct ipcadm_journal_rec *rec, char *buf, size_t len);
/* evidence with "; created by ..." appended in buf when the journal knows the object. */
const char *journal_evidence(struct ipcadm_ctx *ctx, const struct ipcadm_obj *o,
			     const char *evidence, char *buf, size_t len);
/* The same in memory kept until journal_put(); evidence itself when not known (or no
 * memory). */
const char *journal_evidence_keep(struct ipcadm_ctx *ctx, const struct ipcadm_obj *o,
				  const char *evidence);

/* Why root refuses a file or directory (ipcadm_file_open()), in words. */
const char *file_fault_words(enum ipcadm_file_fault fault);
/* Parses "shm", "sem", "msg"; returns the kind or -1. */
int parse_kind_arg(const char *s);
/* The same, and "pshm", "psem", "pmq". */
int parse_any_kind_arg(const char *s);
/* "shm,sem" to kind bits (the POSIX kinds too when posix); -1 when empty or unknown. */
int parse_kind_list(const char *list, bool posix, unsigned int *kinds);
/*
 * The operands of show and who: [KIND] ID, or [pshm|psem|pmq] NAME, or /NAME. Sets kind
 * (-1 when not given) and either name (POSIX) or id; returns 0 or EXIT_MISUSE (reported).
 */
int parse_object_args(const char *cmd, int argc, char **argv, int *kind, const char **name,
		      int *id);
/* Reports that no object has that kind and ID or name; returns 1. */
int object_not_found(int kind, const char *name, int id);

/* One object's attributes (cmd-show.c) and its holders (cmd-who.c). */
void print_object(const struct out_opts *opts, const struct ipcadm_obj *o, struct obj_env *env,
		  bool first);
void print_who(const struct out_opts *opts, struct ipcadm_ctx *ctx,
	       const struct ipcadm_analysis *an, const struct ipcadm_obj *o, bool first);
/* show and who of an object found by ID (name NULL) or POSIX name in the namespaces of
 * sel (cmd-posix.c); kind -1: every System V kind, or every POSIX kind for a name. */
/* "Shared memory segment 7", "POSIX message queue /jobs" (" in IPC namespace N"), the
 * name escaped: buf of OBJ_TITLE_MAX bytes holds any. */
#define OBJ_TITLE_MAX 1200
const char *obj_title(const struct ipcadm_obj *o, char *buf, size_t len);
struct ns_sel;
int find_print(struct ipcadm_ctx *ctx, const struct out_opts *opts, const struct ns_sel *sel,
	       int kind, const char *name, int id, bool who);
/* What show and who share: their options, the object named, and the objects found by POSIX
 * name or in other namespaces (printed here). -1 when the caller goes on with the System V
 * object *kind (-1: any), *id of this namespace; else the exit status. */
int object_command(struct ipcadm_ctx *ctx, const char *cmd, void (*help)(void), bool who,
		   int argc, char **argv, struct out_opts *opts, int *kind, int *id);
/* POSIX objects by name in show and who (cmd-posix.c); kind -1: every POSIX kind. */
int posix_show(struct ipcadm_ctx *ctx, const struct out_opts *opts, int kind, const char *name);
int posix_who(struct ipcadm_ctx *ctx, const struct out_opts *opts, int kind, const char *name);
/* For rm and mk: removes a POSIX object by name (no checks: the user asked for it), creates
 * one; both report errors and return the exit code. */
int posix_rm(struct ipcadm_ctx *ctx, int kind, const char *name);
int posix_mk(struct ipcadm_ctx *ctx, const struct ipcadm_posix_new *n);
/* Warns (once per kind) that a POSIX kind could not be read; returns true when it was not. */
bool posix_read_failed(const struct ipcadm_snapshot *snap, int kind, bool asked);
int parse_id_arg(const char *cmd, const char *s, int *id);

int cmd_overview(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_list(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_show(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_limits(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_rm(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_mk(struct ipcadm_ctx *ctx, int argc, char **argv);
/* The ipcs, ipcrm and ipcmk personalities (compat-*.c): the exit code when argv[0]
 * names one of them, else -1. */
int compat_main(int argc, char **argv);
int cmd_who(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_reap(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_restore(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_doctor(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_check(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_metrics(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_trace(struct ipcadm_ctx *ctx, int argc, char **argv);

/* IPC namespaces (ns.c): -A/--all-namespaces and -N/--namespace PID|PATH. */
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
const char *ns_hint(const struct ipcadm_ns *ns, char *buf, size_t len);
/* The namespaces as a table titled "IPC namespaces" (JSON: an array "namespaces"). */
int ns_print_table(const struct out_opts *opts, const struct ns_set *set);

/* Joins the Prometheus text of several namespaces: each family once (metrics-merge.c). */
struct obuf;
int metrics_merge(const char *const *texts, const size_t *lens, size_t ntexts, struct obuf *o);

/* The doctor (cmd-doctor.c), shared with the overview and metrics. What it reads: every
 * kind, with DOCTOR_READ(verdicts) (metrics too, so that its status is the doctor's). */
#define DOCTOR_KINDS (IPCADM_ALL_KINDS | IPCADM_POSIX_KINDS)
#define DOCTOR_READ(verdicts) (IPCADM_READ_SHM_MEM | ((verdicts) ? IPCADM_READ_SEMPIDS : 0))
/* The findings, with the holder analysis when verdicts is set (a failure to analyse is a
 * finding); the analysis is handed to *anp when anp is not NULL (the caller frees it). */
int doctor_diagnose(struct ipcadm_ctx *ctx, const struct ipcadm_snapshot *snap,
		    const struct ipcadm_doctor_opts *opts, bool verdicts,
		    struct ipcadm_findings **fp, struct ipcadm_analysis **anp);
/* -w/--warn and -c/--crit: 1 when c was one of them, 0 when not, -1 on misuse (reported). */
int doctor_threshold_option(const char *cmd, int c, const char *arg,
			    struct ipcadm_doctor_opts *opts);
/* 0, or EXIT_MISUSE (reported) when --crit is below --warn. */
int doctor_thresholds_check(const char *cmd, const struct ipcadm_doctor_opts *opts);
int print_findings_text(const struct ipcadm_findings *f, bool include_ok);
/* The doctor's problems (or that there are none), below the overview's table. */
int print_overview_findings(struct ipcadm_ctx *ctx, const struct ipcadm_snapshot *snap);

/* The limit rows (cmd-limits.c), shared with the overview. */
int print_limits(const struct ipcadm_snapshot *snap, const struct out_opts *opts,
		 bool usage_only);

#endif
