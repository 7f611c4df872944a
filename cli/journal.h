/* journal.h: the CLI's use of the creation journal (journal.c): opened once, and the
 * words it adds to what list, show, who, reap, doctor and trace print. */
#ifndef IPCADM_CLI_JOURNAL_H
#define IPCADM_CLI_JOURNAL_H

#include <stddef.h>

#include "ipcadm.h"

/* Opened at the first use, from $IPCADM_JOURNAL or the default path; NULL when there is
 * none (objects are judged without it). */
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

#endif
