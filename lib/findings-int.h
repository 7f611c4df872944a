/* findings-int.h: what the files of the doctor's findings (lib/findings*.c) share: the
 * findings while they are built, the builder's calls, and the words of their texts. */
#ifndef IPCADM_FINDINGS_INT_H
#define IPCADM_FINDINGS_INT_H

#include "internal.h"

#include <stdbool.h>
#include <stdint.h>

/* A finding while it is built: the public part and the arrays it points to. */
struct fitem {
	struct ipcadm_finding pub;
	char **details;
	struct ipcadm_remedy *remedies;
	size_t nd, capd, nr, capr;
	struct ipcadm_finding_group *groups;
	size_t order;
};

struct ipcadm_findings {
	struct fitem *v;
	size_t n, cap;
	char **pool; /* every string the findings point to */
	size_t npool, cappool;
	enum ipcadm_severity worst;
};

struct builder {
	struct ipcadm_ctx *ctx;
	const struct ipcadm_snapshot *snap;
	const struct ipcadm_limits *l;
	const struct ipcadm_usage *u;
	struct ipcadm_doctor_opts o;
	const struct ipcadm_analysis *an;
	struct ipcadm_findings *f;
	int64_t now;
	int err;
	enum ipcadm_severity shm_worst; /* of SHMMNI and SHMALL */
	uint64_t sem_values[4]; /* kernel.sem with SEMMNS and SEMMNI raised where they need it */
	bool sem_planned; /* and some raised */
};

/* ---- the builder (findings-build.c): each call does nothing once b->err is set ---- */

/* A string that lives as long as the findings. */
__attribute__((format(printf, 2, 3))) char *finding_printf(struct builder *b,
							  const char *fmt, ...);
/* Returns the new finding's index (pointers into the array move as it grows), SIZE_MAX
 * after a failure. */
size_t finding_new(struct builder *b, enum ipcadm_finding_type type, enum ipcadm_severity sev,
		   const char *name, enum ipcadm_kind kind);
/* The finding of an index, NULL for SIZE_MAX. */
struct fitem *finding_at(struct builder *b, size_t i);
void finding_counts(struct builder *b, size_t i, uint64_t limit, uint64_t used);
__attribute__((format(printf, 3, 4))) void finding_summary(struct builder *b, size_t i,
							   const char *fmt, ...);
__attribute__((format(printf, 3, 4))) void finding_detail(struct builder *b, size_t i,
							  const char *fmt, ...);

/* A new remedy of the finding, every field zero but its type: the caller fills it in (its
 * pointer holds until the next remedy of the finding). NULL after a failure. */
struct ipcadm_remedy *finding_remedy(struct builder *b, size_t i, enum ipcadm_remedy_type type);
/* The remedy's reason, in words ("removes the 3 orphaned segments of 'alice'"). */
__attribute__((format(printf, 3, 4))) void remedy_reason(struct builder *b,
							 struct ipcadm_remedy *r,
							 const char *fmt, ...);
/* A reap of kinds (IPCADM_KIND_BIT()s), with --yes or not; it assumes every process
 * visible when the analysis did. */
struct ipcadm_remedy *finding_reap(struct builder *b, size_t i, unsigned int kinds, bool yes);
/* Setting a limit's sysctl (the limits table's) to its n values; with persist, a second
 * remedy sets them at every boot. */
void finding_sysctl(struct builder *b, size_t i, enum ipcadm_limit id, const uint64_t *values,
		    unsigned int n, bool persist);

/* ---- words (findings-build.c) ---- */

struct words {
	char s[32];
};

struct words words_size(uint64_t bytes); /* "97.7K" */
struct words words_age(int64_t secs); /* "3 days" */
struct words words_key(int32_t key); /* "0x00001234", "0" */
/* 'alice' or uid 1234, for sentences. */
struct words words_owner(const struct ipcadm_finding_group *g);
extern const char *const kind_word_one[IPCADM_NSYSV_KINDS]; /* "semaphore array" */
extern const char *const kind_word_many[IPCADM_NSYSV_KINDS];
const char *kind_words(enum ipcadm_kind k, uint64_t n); /* one or many, as n says */

static inline double percent_of(uint64_t used, uint64_t limit)
{
	if (limit == 0)
		return 100.0;
	return 100.0 * (double)used / (double)limit;
}

static inline enum ipcadm_severity severity_of(const struct builder *b, double pct)
{
	if (pct >= (double)b->o.crit_percent)
		return IPCADM_SEV_CRITICAL;
	if (pct >= (double)b->o.warn_percent)
		return IPCADM_SEV_WARNING;
	return IPCADM_SEV_OK;
}

static inline enum ipcadm_verdict verdict_of(const struct builder *b,
					     const struct ipcadm_obj *o, const char **evidence)
{
	if (evidence)
		*evidence = NULL;
	if (b->an == NULL)
		return IPCADM_UNKNOWN_VERDICT;
	return ipcadm_analysis_verdict(b->an, o, evidence);
}

/* The facts of a limit (lib/limits.c's table), for the counted ones of the doctor. */
static inline const struct ipcadm_limit_info *info_of(enum ipcadm_limit id)
{
	return ipcadm_limit_info(id);
}

/* True when the usage counts amounts (pages, semaphores) rather than objects. */
static inline bool counts_amounts(enum ipcadm_limit id)
{
	return info_of(id)->count != IPCADM_COUNT_OBJECTS;
}

/* The sysctl value, the limit the kernel applies (capped), and the usage counted. */
static inline void limit_values(const struct builder *b, enum ipcadm_limit id,
				uint64_t *raw, uint64_t *limit, uint64_t *used)
{
	struct ipcadm_limit_value v = { IPCADM_UNKNOWN, IPCADM_UNKNOWN, IPCADM_UNKNOWN };

	ipcadm_limit_get(b->snap, id, &v);
	*raw = v.value;
	*limit = v.limit;
	*used = v.used;
}

/* ---- the checks, in the order ipcadm_findings_build (findings.c) runs them ---- */

/* findings-limits.c: the counted limits, who uses them up, and what raises them. */
void findings_plan_sem(struct builder *b);
void findings_limit(struct builder *b, enum ipcadm_limit id);
/* findings-shm.c: SHMMAX, and the segments removed while attached. */
void findings_shmmax(struct builder *b);
void findings_shm_dest(struct builder *b);
/* findings-leaks.c: the orphans of each System V kind, and shm_rmid_forced. */
void findings_leaks(struct builder *b, enum ipcadm_kind k, uint64_t *shm_leaks);
void findings_rmid_forced(struct builder *b, uint64_t leaks);
/* findings-posix.c: POSIX leaks, the /dev/shm tmpfs and fs.mqueue.queues_max. */
void findings_posix_leaks(struct builder *b);
void findings_posix(struct builder *b);
/* findings.c: what could not be read. */
void findings_unreadable(struct builder *b);

#endif
