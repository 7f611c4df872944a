/* filter.h: the filters that choose objects for removal and that rm --all and reap share:
 * --older-than, with one parser, one predicate and one help line (filter.c). */
#ifndef IPCADM_FILTER_H
#define IPCADM_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "ipcadm.h"

/* --older-than AGE: only objects whose ctime is at least AGE seconds ago. */
struct age_filter {
	bool set;
	int64_t seconds;
};

#define AGE_FILTER_HELP                                                                  \
	"      --older-than AGE     only objects last changed (ctime) at least AGE ago:\n" \
	"                           30s, 10m, 2h, 3d\n"

/* Reads AGE for cmd's --older-than; 0, or EXIT_MISUSE (reported). */
int age_filter_parse(const char *cmd, const char *arg, struct age_filter *f);
/*
 * True when no age was asked for, or when o's ctime is known (not 0) and at least the
 * age before now. An unknown ctime never passes: the filter narrows a removal, and an
 * object whose age cannot be shown is not old enough to remove.
 */
bool age_filter_match(const struct age_filter *f, const struct ipcadm_obj *o, int64_t now);

#endif
