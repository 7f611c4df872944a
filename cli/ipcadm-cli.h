/* ipcadm-cli.h: what every command file needs: the return conventions, the command table,
 * error reporting in one place (util.c), the output options and the command line's kinds. */
#ifndef IPCADM_CLI_H
#define IPCADM_CLI_H

/*
 * Return conventions, one per layer:
 *  - lib/ (ipcadm_*): 0 or a count on success, -errno on failure; it never prints.
 *  - cli/, a function that reports its own failures (every cmd_*(), compat_*(), and the
 *    helpers whose comment says "reported"): the exit status, 0 done, 1 failed,
 *    EXIT_MISUSE misused. A caller returns it as it is.
 *  - cli/, a function that leaves the reporting to its caller (print_*(), doctor_diagnose,
 *    metrics_merge): 0 or -errno, as the library; the caller reports with error_code().
 *  - cli/, an option recognizer (*_option()): 1 it took the option, 0 not its option,
 *    -1 misused (reported: the caller returns EXIT_MISUSE).
 *
 * The rooms of cli/ (docs/ARCHITECTURE.md has the map): ipcadm.c the command table;
 * cmd-*.c one command each; compat.c and compat-*.c the ipcs, ipcrm, ipcmk personalities
 * (compat.h); object.c the front of show and who (object.h); ns.c the namespaces (ns.h);
 * doctor-common.c what doctor, metrics, trace and the overview share (doctor-common.h);
 * limits-table.c the limits table (limits-table.h); filter.c the --older-than of rm and
 * reap (filter.h); journal.c the creation journal (journal.h); output.c, obuf.c the
 * output (output.h, obuf.h); util.c this header.
 */

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

/* The commands (ipcadm.c's table); each returns the exit status. */
struct cmd {
	const char *name;
	int (*run)(struct ipcadm_ctx *ctx, int argc, char **argv);
	const char *help;
};

int cmd_overview(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_list(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_show(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_limits(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_who(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_reap(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_restore(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_rm(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_mk(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_doctor(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_check(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_metrics(struct ipcadm_ctx *ctx, int argc, char **argv);
int cmd_trace(struct ipcadm_ctx *ctx, int argc, char **argv);

/* Messages (util.c): "ipcadm: what failed: why" on stderr (why: strerror(code) when
 * reason), the whole message escaped. */
extern const char *progname;
void verror(bool reason, int code, const char *fmt, va_list ap);
__attribute__((format(printf, 1, 2))) void errorx(const char *fmt, ...);
/* Reports fmt and strerror(-code); returns 1. */
__attribute__((format(printf, 2, 3))) int error_code(int code, const char *fmt, ...);
/* Prints "ipcadm CMD: msg" and the --help hint; returns EXIT_MISUSE. */
__attribute__((format(printf, 2, 3))) int usage_error(const char *cmd, const char *fmt, ...);
/* Flushes standard output and reports a write error; returns rc or 1. */
int finish_output(int rc);
/* Why root refuses a file or directory (ipcadm_file_open()), in words. */
const char *file_fault_words(enum ipcadm_file_fault fault);
/* Warns (once per kind, when asked) that a POSIX kind could not be read (mqueue not
 * mounted and not mountable); returns true when it was not. */
bool posix_read_failed(const struct ipcadm_snapshot *snap, int kind, bool asked);

/* Options shared by list, show, who, limits (util.c): -J -r -e -n -b --time-format. */
#define OUTPUT_SHORTOPTS "Jrenb"
enum { OPT_TIME_FORMAT = 0x100, OPT_NOHEADINGS };
#define OUTPUT_LONGOPTS                                                          \
	{ "json", no_argument, NULL, 'J' }, { "raw", no_argument, NULL, 'r' },       \
	{ "export", no_argument, NULL, 'e' }, { "noheadings", no_argument, NULL, 'n' }, \
	{ "bytes", no_argument, NULL, 'b' },                                         \
	{ "time-format", required_argument, NULL, OPT_TIME_FORMAT }
/* 1 when the option was an output option, 0 when not, -1 on a bad argument (reported). */
int output_option(const char *cmd, int c, const char *arg, struct out_opts *opts);
extern const char output_options_help[];

/* Kinds and names on the command line (util.c). */
/* Parses "shm", "sem", "msg"; returns the kind or -1. */
int parse_kind_arg(const char *s);
/* The same, and "pshm", "psem", "pmq". */
int parse_any_kind_arg(const char *s);
/* "shm,sem" to kind bits (the POSIX kinds too when posix); -1 when empty or unknown. */
int parse_kind_list(const char *list, bool posix, unsigned int *kinds);
/* A POSIX name without its leading '/' ("/jobs" is how programs name "jobs"). */
const char *posix_bare_name(const char *name);

#endif
