/* compat-util.c: messages, version and number parsing of the util-linux personalities,
 * following util-linux 2.38.1's rules (its scripts' users rely on them); compat.c
 * dispatches to them. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compat.h"
#include "ipcadm-cli.h"
#include "obuf.h"

void compat_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(false, 0, fmt, ap);
	va_end(ap);
}

void compat_warn(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(true, err, fmt, ap);
	va_end(ap);
}

int compat_try_help(void)
{
	obuf_flush(out);
	fprintf(stderr, "Try '%s --help' for more information.\n", progname);
	return 1;
}

int compat_version(void)
{
	obuf_printf(out, "%s from ipcadm %s (util-linux %s compatible)\n", progname, IPCADM_VERSION,
		    COMPAT_UTIL_LINUX);
	return 0;
}

int compat_strtos32(const char *s, int32_t *v)
{
	char *end = NULL;
	long long n;

	if (*s == '\0')
		return -EINVAL;
	errno = 0;
	n = strtoll(s, &end, 10); /* leading blanks and '+' are accepted, as util-linux does */
	if (errno == ERANGE)
		return -ERANGE;
	if (end == s || *end != '\0')
		return -EINVAL;
	if (n < INT32_MIN || n > INT32_MAX)
		return -ERANGE;
	*v = (int32_t)n;
	return 0;
}

/* Multiplies by base, power times; stops at the first overflow, as util-linux does. */
static int scale(uintmax_t *x, unsigned int base, unsigned int power)
{
	while (power--) {
		if (UINTMAX_MAX / base < *x)
			return -ERANGE;
		*x *= base;
	}
	return 0;
}

/* Adds the decimal part: each digit of frac (after zeros leading zeros) counts as
 * digit / 10^position of one unit, integer-divided, the way util-linux sums it. */
static uintmax_t add_fraction(uintmax_t x, uintmax_t frac, unsigned int zeros,
			      unsigned int base, unsigned int power)
{
	uintmax_t div = 10, pos = 1, unit = 1;

	scale(&unit, base, power);
	while (div < frac) {
		if (div <= UINTMAX_MAX / 10)
			div *= 10;
		else
			frac /= 10;
	}
	for (unsigned int i = 0; i < zeros; i++) {
		if (div <= UINTMAX_MAX / 10)
			div *= 10;
		else
			frac /= 10;
	}
	do {
		unsigned int digit = (unsigned int)(frac % 10);
		uintmax_t digit_div = div / pos;

		frac /= 10;
		pos *= 10;
		if (digit && digit_div / digit)
			x += unit / (digit_div / digit);
	} while (frac);
	return x;
}

int compat_strtosize(const char *s, uint64_t *v)
{
	static const char upper[] = "KMGTPEZY", lower[] = "kmgtpezy";
	const char *p = s, *sp;
	char *end = NULL;
	uintmax_t x, frac = 0;
	unsigned int base = 1024, power, zeros = 0;
	int r;

	if (*s == '\0')
		return -EINVAL;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '-')
		return -EINVAL;
	errno = 0;
	x = strtoumax(s, &end, 0); /* base 0: 010 is octal and 0x10 hex, as in util-linux */
	if (end == s || (errno != 0 && (x == UINTMAX_MAX || x == 0)))
		return errno ? -errno : -EINVAL;
	if (*end == '\0') {
		*v = x;
		return 0;
	}
	p = end;
	for (;;) {
		if (p[0] != '\0' && p[1] == 'i' && (p[2] == 'B' || p[2] == 'b') && p[3] == '\0') {
			base = 1024;
		} else if (p[0] != '\0' && (p[1] == 'B' || p[1] == 'b') && p[2] == '\0') {
			base = 1000;
		} else if (p[0] != '\0' && p[1] != '\0') {
			const char *f;

			if (frac != 0 || *p != '.')
				return -EINVAL; /* an unexpected suffix */
			for (f = p + 1; *f == '0'; f++)
				zeros++;
			end = (char *)f;
			if (isdigit((unsigned char)*f)) {
				errno = 0;
				frac = strtoumax(f, &end, 0);
				if (end == f || (errno != 0 && (frac == UINTMAX_MAX || frac == 0)))
					return errno ? -errno : -EINVAL;
			}
			if (frac && *end == '\0')
				return -EINVAL; /* a decimal part without a unit */
			p = end;
			continue;
		}
		break;
	}
	/* "1.0": nothing is left for a unit; util-linux then reads past the string. */
	if (*p == '\0')
		return -EINVAL;
	sp = strchr(upper, *p);
	if (sp) {
		power = (unsigned int)(sp - upper) + 1;
	} else {
		sp = strchr(lower, *p);
		if (sp == NULL)
			return -EINVAL;
		power = (unsigned int)(sp - lower) + 1;
	}
	r = scale(&x, base, power);
	if (frac)
		x = add_fraction(x, frac, zeros, base, power);
	if (r < 0)
		return r;
	*v = x;
	return 0;
}

int compat_bad_number(const char *what, const char *s, int r)
{
	if (r == -EINVAL || r == 0)
		compat_warnx("%s: '%s'", what, s);
	else
		compat_warn(-r, "%s: '%s'", what, s);
	return 1;
}

const char *compat_ctime(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;

	if (ctime_r(&tt, buf) == NULL)
		return "(null)";
	return buf;
}

const char *bulk_in_use(const struct ipcadm_analysis *an, const struct ipcadm_obj *o, char *buf,
			size_t len)
{
	struct ipcadm_busy why;

	if (!ipcadm_obj_busy(an, o, &why))
		return NULL;
	if (why.how == IPCADM_BUSY_ATTACHED)
		snprintf(buf, len, "attached (nattch %llu)", (unsigned long long)why.count);
	else
		snprintf(buf, len, "%llu waiting", (unsigned long long)why.count);
	return buf;
}

struct ipcadm_analysis *bulk_analyze(struct ipcadm_ctx *ctx, const struct ipcadm_snapshot *snap)
{
	struct ipcadm_analysis *an = NULL;

	if (ipcadm_analyze(ctx, snap, IPCADM_ANALYZE_NO_VERDICTS, &an) < 0)
		return NULL; /* then the snapshot's own counts decide */
	return an;
}
