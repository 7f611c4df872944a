/* object.h: one object on the screen: the object column table (cols-obj.c), its title and
 * the show/who front (object.c), its attributes (cmd-show.c) and holders (cmd-who.c). */
#ifndef IPCADM_OBJECT_H
#define IPCADM_OBJECT_H

#include <stdbool.h>
#include <stddef.h>

#include "ipcadm.h"
#include "output.h"

/* The object columns (cols-obj.c): what a getter may need beyond the object. */
struct obj_env {
	struct ipcadm_ctx *ctx;
	const struct ipcadm_analysis *an; /* for HOLDERS, VERDICT, EVIDENCE; may be NULL */
	char scratch[1024];
	char evidence[2048]; /* EVIDENCE with the journal's creator */
};
/* What an object column needs (its needs field): IPCADM_READ_* flags, and these. */
#define OBJ_NEEDS_HOLDERS (1u << 24)  /* the holder analysis (a process scan) */
#define OBJ_NEEDS_VERDICTS (1u << 25) /* the verdicts too, which look across kinds */
#define OBJ_NEEDS_READ 0xffffffu      /* the IPCADM_READ_* part */
extern const struct column obj_columns[];
extern const size_t obj_ncolumns;
extern const char *const obj_default_columns[IPCADM_NALL_KINDS];
/* Every attribute column of a kind (not HOLDERS, VERDICT, EVIDENCE), for show. */
size_t obj_columns_all(enum ipcadm_kind kind, const struct column **sel, size_t max);
/* The CREATOR column, and whether the journal knows the object (show omits it if not). */
bool column_is_creator(const struct column *c);
bool obj_has_creator(struct obj_env *env, const struct ipcadm_obj *o);
/* "Shared memory segments", ... (plural: the tables' titles). */
extern const char *const kind_titles[IPCADM_NALL_KINDS];

/* "Shared memory segment 7", "POSIX message queue /jobs" (" in IPC namespace N"), the
 * name escaped: buf of OBJ_TITLE_MAX bytes holds any. */
#define OBJ_TITLE_MAX 1200
const char *obj_title(const struct ipcadm_obj *o, char *buf, size_t len);

/*
 * What show and who share (object.c): their options, the object named ([KIND] ID, or
 * [pshm|psem|pmq] NAME, or /NAME), and the objects found by POSIX name or in other
 * namespaces (printed here). -1 when the caller goes on with the System V object *kind
 * (-1: any), *id of this namespace; else the exit status (errors reported).
 */
int object_command(struct ipcadm_ctx *ctx, const char *cmd, void (*help)(void), bool who,
		   int argc, char **argv, struct out_opts *opts, int *kind, int *id);
/* Reports that no object has that kind and ID or name; returns 1. */
int object_not_found(int kind, const char *name, int id);

/* One object's attributes (cmd-show.c) and its holders (cmd-who.c). */
/* In JSON: one element of the array of its kind, which the caller opens in j. */
void print_object(const struct out_opts *opts, struct json *j, const struct ipcadm_obj *o,
		  struct obj_env *env, bool first);
void print_who(const struct out_opts *opts, struct json *j, struct ipcadm_ctx *ctx,
	       const struct ipcadm_analysis *an, const struct ipcadm_obj *o, bool first);

#endif
