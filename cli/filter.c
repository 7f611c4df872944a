/* filter.c: the --older-than filter of rm --all and reap: how AGE is read, and which
 * objects it lets through (the one place that decides both). */
#include "filter.h"
#include "ipcadm-cli.h"
#include "strutil.h"

int age_filter_parse(const char *cmd, const char *arg, struct age_filter *f)
{
	if (str_to_duration(arg, &f->seconds) < 0)
		return usage_error(cmd, "invalid age '%s' (e.g. 30s, 10m, 2h, 3d)", arg);
	f->set = true;
	return 0;
}

bool age_filter_match(const struct age_filter *f, const struct ipcadm_obj *o, int64_t now)
{
	if (!f->set)
		return true;
	/* ctime 0 (or below) is no time at all: a copied tree or a source without it */
	if (o->ctime <= 0)
		return false;
	/* now - ctime cannot overflow: ctime > 0 */
	return now - o->ctime >= f->seconds;
}
