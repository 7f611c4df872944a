/* posix-names.h: POSIX names that a library generates for its own use (posix-names.c):
 * such an object is private like a System V key 0, and judged by its program's processes. */
#ifndef IPCADM_POSIX_NAMES_H
#define IPCADM_POSIX_NAMES_H

#include "internal.h"

#define NAMES_CONF "/etc/ipcadm/names.conf"

struct name_rule {
	unsigned int kinds; /* IPCADM_KIND_BIT() of the POSIX kinds it applies to */
	char glob[96]; /* fnmatch(3) pattern on the name (no leading '/', no "sem.") */
	char program[32]; /* the program that makes such names, for the evidence */
	char shown[96]; /* the pattern as people read it: "psm_XXXXXXXX" (else glob) */
	/* how to tell its processes: any one that is set and matches */
	char comm[32]; /* fnmatch on the command name */
	char exe[64]; /* fnmatch on the executable's file name */
	char maps[64]; /* text in the path of a mapped file (a library: "libpython") */
};

struct name_rules {
	struct name_rule *v;
	size_t n, cap;
	size_t bad_line; /* names.conf could not be parsed: its first bad line */
};

/* Parses names.conf text (lines "KINDS GLOB PROGRAM [comm=GLOB] [exe=GLOB] [maps=TEXT]",
 * '#' comments); -EBADMSG with *bad_line set on the first malformed line. */
int name_rules_parse(const char *buf, size_t len, struct name_rules *rs, size_t *bad_line);
/* The admin's rules from ROOT/etc/ipcadm/names.conf (none when it is missing). */
int name_rules_load(struct ipcadm_ctx *ctx, struct name_rules *rs);
void name_rules_release(struct name_rules *rs);
/* The rule (the admin's first, then the built-in ones) whose pattern the name matches. */
const struct name_rule *name_rules_match(const struct name_rules *rs, enum ipcadm_kind kind,
					 const char *name);
/* Whether process pid (command comm) runs the rule's program. */
bool name_rule_is_program(const struct name_rule *r, int procfd, pid_t pid, const char *comm);

#endif
