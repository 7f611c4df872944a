/* doctor-common.h: what the doctor (cmd-doctor.c) shares with metrics, trace and the
 * overview (doctor-common.c): what it reads, its diagnosis, its options, its text. */
#ifndef IPCADM_DOCTOR_COMMON_H
#define IPCADM_DOCTOR_COMMON_H

#include <stdbool.h>
#include <sys/types.h>

#include "ipcadm.h"

/* What the doctor reads: every kind, with DOCTOR_READ(verdicts) (metrics too, so that its
 * status is the doctor's). */
#define DOCTOR_KINDS (IPCADM_SYSV_KINDS | IPCADM_POSIX_KINDS)
#define DOCTOR_READ(verdicts) (IPCADM_READ_SHM_MEM | ((verdicts) ? IPCADM_READ_SEMPIDS : 0))

/* The findings, with the holder analysis when verdicts is set (a failure to analyse is a
 * finding); the analysis is handed to *anp when anp is not NULL (the caller frees it).
 * Returns 0 or -errno (the caller reports). */
int doctor_diagnose(struct ipcadm_ctx *ctx, const struct ipcadm_snapshot *snap,
		    const struct ipcadm_doctor_opts *opts, bool verdicts,
		    struct ipcadm_findings **fp, struct ipcadm_analysis **anp);
/* -w/--warn and -c/--crit: 1 when c was one of them, 0 when not, -1 on misuse (reported). */
int doctor_threshold_option(const char *cmd, int c, const char *arg,
			    struct ipcadm_doctor_opts *opts);
/* 0, or EXIT_MISUSE (reported) when --crit is below --warn. */
int doctor_thresholds_check(const char *cmd, const struct ipcadm_doctor_opts *opts);
/* "CRITICAL", "WARNING" or "OK". */
const char *severity_upper(enum ipcadm_severity s);
/* Each finding (the OK ones too when include_ok) with its details and fixes, worded for
 * the namespace ns (NULL: ours; remedy_format); returns 0. */
int print_findings_text(const struct ipcadm_findings *f, bool include_ok,
			const struct ipcadm_ns *ns);
/* The doctor's problems (or that there are none), below the overview's table; returns 0
 * or -errno (the caller reports). */
int print_overview_findings(struct ipcadm_ctx *ctx, const struct ipcadm_snapshot *snap);

#endif
