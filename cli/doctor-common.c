/* doctor-common.c: what the doctor shares with metrics, trace and the overview: the
 * diagnosis of one snapshot, the --warn/--crit options, and the findings as text. */
#include <stdio.h>

#include "doctor-common.h"
#include "ipcadm-cli.h"
#include "obuf.h"
#include "remedy.h"
#include "strutil.h"

const char *severity_upper(enum ipcadm_severity s)
{
	return s == IPCADM_SEV_CRITICAL ? "CRITICAL" : s == IPCADM_SEV_WARNING ? "WARNING" : "OK";
}

int doctor_diagnose(struct ipcadm_ctx *ctx, const struct ipcadm_snapshot *snap,
		    const struct ipcadm_doctor_opts *opts, bool verdicts,
		    struct ipcadm_findings **fp, struct ipcadm_analysis **anp)
{
	struct ipcadm_doctor_opts o = *opts; /* each snapshot its own analysis */
	struct ipcadm_analysis *an = NULL;
	int r;

	if (verdicts) {
		r = ipcadm_analyze(ctx, snap, 0, &an);
		if (r < 0) {
			o.analysis_err = r;
			an = NULL;
		}
	}
	o.analysis = an;
	r = ipcadm_findings_build(ctx, snap, &o, fp);
	if (r == 0 && anp)
		*anp = an;
	else
		ipcadm_analysis_free(an);
	return r;
}

int doctor_threshold_option(const char *cmd, int c, const char *arg,
			    struct ipcadm_doctor_opts *opts)
{
	unsigned int *v = c == 'w' ? &opts->warn_percent : &opts->crit_percent;
	uint64_t n;

	if (c != 'w' && c != 'c')
		return 0;
	if (str_to_u64(arg, &n) < 0 || n > 100) {
		usage_error(cmd, "invalid %s '%s': a percentage from 0 to 100",
			    c == 'w' ? "--warn" : "--crit", arg);
		return -1;
	}
	*v = (unsigned int)n;
	return 1;
}

int doctor_thresholds_check(const char *cmd, const struct ipcadm_doctor_opts *opts)
{
	if (opts->crit_percent >= opts->warn_percent)
		return 0;
	return usage_error(cmd, "--crit (%u) is below --warn (%u)", opts->crit_percent,
			   opts->warn_percent);
}

int print_findings_text(const struct ipcadm_findings *f, bool include_ok,
			const struct ipcadm_ns *ns)
{
	bool gap = false;

	for (size_t i = 0; i < ipcadm_findings_count(f); i++) {
		const struct ipcadm_finding *x = ipcadm_findings_get(f, i);
		bool more = x->ndetails || x->nremedies;

		if (x->severity == IPCADM_SEV_OK && !include_ok)
			continue;
		if (gap || (more && i > 0))
			obuf_putc(out, '\n');
		/* the texts name POSIX objects and processes, with their evidence */
		obuf_printf(out, "%-9s ", severity_upper(x->severity));
		obuf_text(out, x->summary);
		obuf_putc(out, '\n');
		for (size_t j = 0; j < x->ndetails; j++) {
			obuf_puts(out, "          - ");
			obuf_text(out, x->details[j]);
			obuf_putc(out, '\n');
		}
		for (size_t j = 0; j < x->nremedies; j++) {
			char fix[1024];

			obuf_printf(out, "          %s ", j ? "    " : "fix:");
			obuf_text(out,
				  remedy_format(&x->remedies[j], ns, true, fix, sizeof(fix)));
			obuf_putc(out, '\n');
		}
		gap = more;
	}
	return 0;
}

int print_overview_findings(struct ipcadm_ctx *ctx, const struct ipcadm_snapshot *snap)
{
	struct ipcadm_doctor_opts dopts;
	struct ipcadm_findings *f;
	int r;

	ipcadm_doctor_opts_init(&dopts);
	r = doctor_diagnose(ctx, snap, &dopts, true, &f, NULL);
	if (r < 0)
		return r;
	obuf_putc(out, '\n');
	if (ipcadm_findings_worst(f) == IPCADM_SEV_OK) {
		obuf_puts(out, "Doctor: no limit near exhaustion, nothing leaked.\n");
	} else {
		obuf_puts(out, "Doctor:\n");
		print_findings_text(f, false, NULL);
		obuf_putc(out, '\n');
	}
	obuf_puts(out, "'ipcadm doctor' shows every check; 'ipcadm --help' lists the commands.\n");
	ipcadm_findings_free(f);
	return 0;
}
