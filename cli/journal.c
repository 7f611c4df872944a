/* journal.c: the journal as the reading commands use it: opened once (IPCADM_JOURNAL or
 * the default path), and the creator it names appended to an object's evidence. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipcadm-cli.h"
#include "ipcadm-journal.h"
#include "ipcadm-trace.h"
#include "journal.h"

static struct ipcadm_journal *journal;
static bool journal_tried;
static uint64_t self_ns;
static char **kept; /* journal_evidence_keep()'s texts */
static size_t nkept;

/* Reports why a journal cannot be used; returns 1. */
int journal_open_error(const char *path, int r, enum ipcadm_file_fault fault,
		       struct ipcadm_journal *j)
{
	if (r == -ELOOP)
		errorx("refusing journal '%s': a symbolic link", path);
	else if (r == -EIO)
		errorx("cannot open journal '%s': %s", path, ipcadm_journal_error(j));
	else if (r < 0)
		error_code(r, "cannot open journal '%s'", path);
	else
		errorx("refusing journal '%s': %s", path, file_fault_words(fault));
	return 1;
}

/*
 * The journal, opened at the first use: $IPCADM_JOURNAL (an error when it cannot be
 * used, reported once; "" for none) or the default path (silently none when absent).
 * NULL when there is none: objects are judged as without one.
 */
struct ipcadm_journal *journal_get(void)
{
	const char *env = getenv("IPCADM_JOURNAL"), *path = env ? env : IPCADM_JOURNAL_PATH;
	enum ipcadm_file_fault fault;
	int r;

	if (journal_tried)
		return journal;
	journal_tried = true;
	if (env && env[0] == '\0')
		return NULL;
	r = ipcadm_journal_open(path, false, &journal, &fault);
	if (r == -ENOENT && env == NULL)
		return NULL;
	if (r < 0 || fault != IPCADM_FILE_OK) {
		journal_open_error(path, r, fault, NULL);
		errorx("objects are judged without the journal");
		journal = NULL;
	}
	return journal;
}

void journal_put(void)
{
	for (size_t i = 0; i < nkept; i++)
		free(kept[i]);
	free(kept);
	kept = NULL;
	nkept = 0;
	ipcadm_journal_close(journal);
	journal = NULL;
	journal_tried = false;
}

/* The journal's record of an object (of our own namespace when o->ipcns is 0). */
int journal_find(struct ipcadm_ctx *ctx, const struct ipcadm_obj *o,
		 struct ipcadm_journal_rec *rec)
{
	const char *root = ipcadm_ctx_root(ctx);
	struct ipcadm_journal *j;
	struct stat st;

	/* a copied tree (--root) is another machine's: this journal is not about it */
	if (root && strcmp(root, "/") != 0)
		return -ENOENT;
	j = journal_get();
	if (j == NULL)
		return -ENOENT;
	if (o->ipcns == 0 && self_ns == 0 && stat("/proc/self/ns/ipc", &st) == 0)
		self_ns = (uint64_t)st.st_ino;
	return ipcadm_journal_find(j, o, o->ipcns ? o->ipcns : self_ns, rec);
}

/* "apache2[812] of apache2.service" (the unit left out when none is known). */
void journal_creator_words(const struct ipcadm_journal_rec *rec, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "%s[%d]", rec->comm[0] ? rec->comm : "?",
				    (int)rec->pid);

	if (n < len && rec->unit[0])
		snprintf(buf + n, len - n, " of %s", rec->unit);
}

void journal_when(const struct ipcadm_journal_rec *rec, char *buf, size_t len)
{
	time_t sec = (time_t)(rec->created_ns / 1000000000);
	struct tm tm;

	localtime_r(&sec, &tm);
	strftime(buf, len, time(NULL) - sec > 86400 ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
}

/* /proc/PID/comm, "" when there is no such process. */
static void proc_comm(pid_t pid, char *comm, size_t len)
{
	char path[64];
	FILE *f;

	comm[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return;
	if (fgets(comm, (int)len, f) == NULL)
		comm[0] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
	fclose(f);
}

/*
 * "created by apache2[812] of apache2.service at 12:00:03, exited". The journal's PIDs are
 * the initial PID namespace's: only there does /proc tell whether the creator exited (no
 * process has its PID, or one of another command); words, never a verdict's ground.
 */
static void creator_text(struct ipcadm_ctx *ctx, const struct ipcadm_journal_rec *rec,
			 char *buf, size_t len)
{
	char who[256], when[32], comm[32];
	const char *state = "";
	size_t n;

	journal_creator_words(rec, who, sizeof(who));
	journal_when(rec, when, sizeof(when));
	if (ipcadm_trace_pids_global(ctx)) {
		proc_comm(rec->pid, comm, sizeof(comm));
		if (comm[0] == '\0' || strcmp(comm, rec->comm) != 0)
			state = ", exited";
		else
			state = ", its PID runs the same command";
	}
	n = (size_t)snprintf(buf, len, "created by %s at %s%s", who, when, state);
	if (n < len && rec->ppid > 0 && rec->pcomm[0])
		snprintf(buf + n, len - n, " (parent %s[%d])", rec->pcomm, (int)rec->ppid);
}

const char *journal_evidence(struct ipcadm_ctx *ctx, const struct ipcadm_obj *o,
			     const char *evidence, char *buf, size_t len)
{
	struct ipcadm_journal_rec rec;
	char who[512];

	if (journal_find(ctx, o, &rec) < 0)
		return evidence;
	creator_text(ctx, &rec, who, sizeof(who));
	if (evidence == NULL || evidence[0] == '\0')
		snprintf(buf, len, "%s", who);
	else
		snprintf(buf, len, "%s; %s", evidence, who);
	return buf;
}

const char *journal_evidence_keep(struct ipcadm_ctx *ctx, const struct ipcadm_obj *o,
				  const char *evidence)
{
	char buf[2048], **nk, *dup;
	const char *text = journal_evidence(ctx, o, evidence, buf, sizeof(buf));

	if (text == evidence)
		return evidence;
	nk = realloc(kept, (nkept + 1) * sizeof(*kept));
	if (nk == NULL)
		return evidence;
	kept = nk;
	dup = strdup(text);
	if (dup == NULL)
		return evidence;
	kept[nkept++] = dup;
	return dup;
}
