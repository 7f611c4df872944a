/* compat.h: the util-linux personalities (ipcs, ipcrm, ipcmk; compat.c dispatches) and
 * what they share: messages, number parsing, which follow util-linux 2.38.1 exactly. */
#ifndef IPCADM_COMPAT_H
#define IPCADM_COMPAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipcadm.h"

/* The version of util-linux whose tools the personalities reproduce. */
#define COMPAT_UTIL_LINUX "2.38.1"

/* "PROG: msg" on stderr (util-linux's warnx). */
__attribute__((format(printf, 1, 2))) void compat_warnx(const char *fmt, ...);
/* "PROG: msg: strerror(err)" on stderr (util-linux's warn); err is a positive errno. */
__attribute__((format(printf, 2, 3))) void compat_warn(int err, const char *fmt, ...);
/* "Try 'PROG --help' for more information." on stderr; returns 1 (util-linux exits 1). */
int compat_try_help(void);
/* "-V": "PROG from ipcadm VERSION (util-linux 2.38.1 compatible)"; returns 0. */
int compat_version(void);

/*
 * util-linux's number rules, kept because scripts rely on them: leading blanks and '+'
 * pass, trailing junk does not. Each returns 0 or -EINVAL / -ERANGE.
 */
int compat_strtos32(const char *s, int32_t *v);
/* A size as util-linux's strtosize: base 0 (010 is octal, 0x10 hex), a decimal part,
 * suffixes K M G T P E Z Y (k ... y too), "KiB" = "K" = 1024, "KB" = 1000. */
int compat_strtosize(const char *s, uint64_t *v);

/* Reports a bad number as util-linux's strto*_or_err do; returns 1. */
int compat_bad_number(const char *what, const char *s, int r);

/* "Nov 27 15:58:43 2026" pieces as ctime(3) gives them: a 24-character string. */
const char *compat_ctime(int64_t t, char buf[32]);

/*
 * Bulk removal (ipcrm -a, ipcadm rm --all) leaves objects in use alone: attached segments,
 * and arrays or queues that a process waits on (the library's ipcadm_obj_busy(), with the
 * holders of bulk_analyze(), which returns NULL when the process table cannot be read).
 * Returns why in words ("attached (nattch 2)", "1 waiting") or NULL.
 */
struct ipcadm_analysis *bulk_analyze(struct ipcadm_ctx *ctx, const struct ipcadm_snapshot *snap);
const char *bulk_in_use(const struct ipcadm_analysis *an, const struct ipcadm_obj *o, char *buf,
			size_t len);

/* The exit code when argv[0] names ipcs, ipcrm or ipcmk (compat.c's table), else -1. */
int compat_main(int argc, char **argv);

/* The personalities; each makes its own context on "/". They return the exit code. */
int compat_ipcs(int argc, char **argv);
int compat_ipcrm(int argc, char **argv);
int compat_ipcmk(int argc, char **argv);

#endif
