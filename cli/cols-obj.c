/* cols-obj.c: the one column table for System V and POSIX objects; it drives list, show,
 * the -o check and the column list in --help (the lsipc pattern). */
#include <stdio.h>
#include <string.h>

#include "ipcadm-cli.h"
#include "ipcadm-journal.h"
#include "journal.h"
#include "object.h"
#include "strutil.h"

#define O(row) ((const struct ipcadm_obj *)(row))
#define ENV(env) ((struct obj_env *)(env))

#define SHM IPCADM_KIND_BIT(IPCADM_SHM)
#define SEM IPCADM_KIND_BIT(IPCADM_SEM)
#define MSG IPCADM_KIND_BIT(IPCADM_MSG)
#define ALL IPCADM_SYSV_KINDS
#define PSHM IPCADM_KIND_BIT(IPCADM_PSHM)
#define PSEM IPCADM_KIND_BIT(IPCADM_PSEM)
#define PMQ IPCADM_KIND_BIT(IPCADM_PMQ)
#define POSIX IPCADM_POSIX_KINDS

const char *const kind_titles[IPCADM_NALL_KINDS] = {
	"Shared memory segments", "Semaphore arrays", "Message queues",
	"POSIX shared memory segments", "POSIX named semaphores", "POSIX message queues",
};

/* POSIX objects show their verdict by default: they are listed only when they exist, and
 * "nobody holds it" is what one asks of a file in /dev/shm. */
const char *const obj_default_columns[IPCADM_NALL_KINDS] = {
	"KEY,ID,OWNER,PERMS,SIZE,NATTCH,STATUS,CTIME,CPID,LPID",
	"KEY,ID,OWNER,PERMS,NSEMS,OTIME,CTIME",
	"KEY,ID,OWNER,PERMS,USEDBYTES,QNUM,STIME,RTIME,CTIME,LSPID,LRPID",
	"NAME,OWNER,PERMS,SIZE,ALLOC,MTIME,CTIME,HOLDERS,VERDICT",
	"NAME,OWNER,PERMS,MTIME,CTIME,HOLDERS,VERDICT",
	"NAME,OWNER,PERMS,QSIZE,MSGS,NOTIFY_PID,MTIME,CTIME,HOLDERS,VERDICT",
};

static void u64v(struct value *v, uint64_t x)
{
	v->type = V_U64;
	v->u = x;
}

static void timev(struct value *v, int64_t t)
{
	v->type = V_TIME;
	v->i = t;
}

static void name_or_id(struct value *v, struct obj_env *env, const char *name, uint32_t id)
{
	v->type = V_STR;
	if (name) {
		v->s = name;
		return;
	}
	env->scratch[fmt_u64(env->scratch, id)] = '\0';
	v->s = env->scratch;
}

static void get_key(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_KEY;
	v->u = (uint32_t)O(r)->key;
}

static void get_id(const void *r, void *e, struct value *v)
{
	(void)e;
	u64v(v, (uint64_t)O(r)->id);
}

static void get_owner(const void *r, void *e, struct value *v)
{
	name_or_id(v, ENV(e), ipcadm_user_name(ENV(e)->ctx, O(r)->uid), O(r)->uid);
}

static void get_group(const void *r, void *e, struct value *v)
{
	name_or_id(v, ENV(e), ipcadm_group_name(ENV(e)->ctx, O(r)->gid), O(r)->gid);
}

static void get_cuser(const void *r, void *e, struct value *v)
{
	name_or_id(v, ENV(e), ipcadm_user_name(ENV(e)->ctx, O(r)->cuid), O(r)->cuid);
}

static void get_cgroup(const void *r, void *e, struct value *v)
{
	name_or_id(v, ENV(e), ipcadm_group_name(ENV(e)->ctx, O(r)->cgid), O(r)->cgid);
}

static void get_uid(const void *r, void *e, struct value *v)
{
	(void)e;
	u64v(v, O(r)->uid);
}

static void get_gid(const void *r, void *e, struct value *v)
{
	(void)e;
	u64v(v, O(r)->gid);
}

static void get_cuid(const void *r, void *e, struct value *v)
{
	(void)e;
	u64v(v, O(r)->cuid);
}

static void get_cgid(const void *r, void *e, struct value *v)
{
	(void)e;
	u64v(v, O(r)->cgid);
}

static void get_perms(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_PERMS;
	v->u = O(r)->mode & 0777;
}

static void get_status(const void *r, void *e, struct value *v)
{
	static const char *const words[] = { NULL, "dest", "locked", "dest,locked" };
	unsigned int m = O(r)->mode;

	(void)e;
	v->type = V_STR;
	v->s = words[((m & IPCADM_SHM_DEST) ? 1 : 0) | ((m & IPCADM_SHM_LOCKED) ? 2 : 0)];
	if (v->s == NULL)
		v->type = V_NONE;
}

static void get_size(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_SIZE;
	v->u = O(r)->size;
}

static void get_nattch(const void *r, void *e, struct value *v)
{
	(void)e;
	u64v(v, O(r)->nattch);
}

static void get_cpid(const void *r, void *e, struct value *v)
{
	(void)e;
	u64v(v, (uint64_t)O(r)->cpid);
}

static void get_lpid(const void *r, void *e, struct value *v)
{
	(void)e;
	u64v(v, (uint64_t)O(r)->lpid);
}

static void get_atime(const void *r, void *e, struct value *v)
{
	(void)e;
	timev(v, O(r)->atime);
}

static void get_dtime(const void *r, void *e, struct value *v)
{
	(void)e;
	timev(v, O(r)->dtime);
}

static void get_ctime(const void *r, void *e, struct value *v)
{
	(void)e;
	timev(v, O(r)->ctime);
}

static void get_otime(const void *r, void *e, struct value *v)
{
	(void)e;
	timev(v, O(r)->otime);
}

static void get_stime(const void *r, void *e, struct value *v)
{
	(void)e;
	timev(v, O(r)->stime);
}

static void get_rtime(const void *r, void *e, struct value *v)
{
	(void)e;
	timev(v, O(r)->rtime);
}

static void maybe_size(struct value *v, uint64_t x)
{
	v->type = x == IPCADM_UNKNOWN ? V_NONE : V_SIZE;
	v->u = x;
}

static void get_rss(const void *r, void *e, struct value *v)
{
	(void)e;
	maybe_size(v, O(r)->rss);
}

static void get_swap(const void *r, void *e, struct value *v)
{
	(void)e;
	maybe_size(v, O(r)->swap);
}

static void get_nsems(const void *r, void *e, struct value *v)
{
	(void)e;
	u64v(v, O(r)->nsems);
}

static void get_qnum(const void *r, void *e, struct value *v)
{
	(void)e;
	u64v(v, O(r)->qnum);
}

static void get_usedbytes(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_SIZE;
	v->u = O(r)->cbytes;
}

static void get_qbytes(const void *r, void *e, struct value *v)
{
	(void)e;
	maybe_size(v, O(r)->qbytes);
}

static void get_lspid(const void *r, void *e, struct value *v)
{
	(void)e;
	u64v(v, (uint64_t)O(r)->lspid);
}

static void get_lrpid(const void *r, void *e, struct value *v)
{
	(void)e;
	u64v(v, (uint64_t)O(r)->lrpid);
}

static void get_name(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = O(r)->name ? V_STR : V_NONE;
	v->s = O(r)->name;
}

static void get_mtime(const void *r, void *e, struct value *v)
{
	(void)e;
	timev(v, O(r)->mtime);
}

static void get_alloc(const void *r, void *e, struct value *v)
{
	(void)e;
	maybe_size(v, O(r)->alloc);
}

static void get_qsize(const void *r, void *e, struct value *v)
{
	(void)e;
	v->type = V_SIZE;
	v->u = O(r)->cbytes;
}

static void get_msgs(const void *r, void *e, struct value *v)
{
	(void)e;
	u64v(v, O(r)->qnum);
	if (O(r)->qnum == IPCADM_UNKNOWN)
		v->type = V_NONE; /* a copied tree's queue file does not tell it */
}

static void get_notify_pid(const void *r, void *e, struct value *v)
{
	(void)e;
	u64v(v, (uint64_t)O(r)->notify_pid);
}

static void get_ipcns(const void *r, void *e, struct value *v)
{
	(void)e;
	u64v(v, O(r)->ipcns);
}

/* The journal's creator of the object: "apache2[812] of apache2.service at 12:00:03". */
static void get_creator(const void *r, void *e, struct value *v)
{
	struct obj_env *env = ENV(e);
	struct ipcadm_journal_rec rec;
	char when[32];
	size_t n;

	v->type = V_NONE;
	if (journal_find(env->ctx, O(r), &rec) < 0)
		return;
	journal_creator_words(&rec, env->scratch, sizeof(env->scratch));
	journal_when(&rec, when, sizeof(when));
	n = strlen(env->scratch);
	snprintf(env->scratch + n, sizeof(env->scratch) - n, " at %s", when);
	v->type = V_STR;
	v->s = env->scratch;
}

bool obj_has_creator(struct obj_env *env, const struct ipcadm_obj *o)
{
	struct ipcadm_journal_rec rec;

	return journal_find(env->ctx, o, &rec) == 0;
}

bool column_is_creator(const struct column *c)
{
	return c->get == get_creator;
}

static void get_holders(const void *r, void *e, struct value *v)
{
	struct obj_env *env = ENV(e);
	const struct ipcadm_holder *h;
	size_t n = env->an ? ipcadm_analysis_holders(env->an, O(r), &h) : 0, len = 0;

	v->type = V_NONE;
	if (env->an == NULL)
		return;
	env->scratch[0] = '\0';
	for (size_t i = 0; i < n && len + 40 < sizeof(env->scratch); i++) {
		if (h[i].how == IPCADM_HOLD_POSSIBLE)
			continue; /* possible holders are in EVIDENCE, not here */
		len += (size_t)snprintf(env->scratch + len, sizeof(env->scratch) - len, "%s%d(%s)",
					len ? "," : "", (int)h[i].pid, h[i].comm ? h[i].comm : "?");
	}
	v->type = len ? V_STR : V_NONE;
	v->s = env->scratch;
}

static void get_verdict(const void *r, void *e, struct value *v)
{
	v->type = V_NONE;
	if (ENV(e)->an == NULL)
		return;
	v->type = V_STR;
	v->s = ipcadm_verdict_name(ipcadm_analysis_verdict(ENV(e)->an, O(r), NULL));
}

static void get_evidence(const void *r, void *e, struct value *v)
{
	v->type = V_NONE;
	if (ENV(e)->an == NULL)
		return;
	v->type = V_STR;
	ipcadm_analysis_verdict(ENV(e)->an, O(r), &v->s);
	v->s = journal_evidence(ENV(e)->ctx, O(r), v->s, ENV(e)->evidence,
				sizeof(ENV(e)->evidence));
}

#define R COL_RIGHT
#define NEEDS_HOLDERS (OBJ_NEEDS_HOLDERS | IPCADM_READ_SEMPIDS)
#define NEEDS_VERDICTS (OBJ_NEEDS_VERDICTS | NEEDS_HOLDERS)
const struct column obj_columns[] = {
	{ "KEY", "key", 0, get_key, NULL, ALL, 0 },
	{ "ID", "identifier", R, get_id, NULL, ALL, 0 },
	{ "OWNER", "owner's user name (or UID)", 0, get_owner, NULL, ALL | POSIX, 0 },
	{ "NAME", "name (POSIX), without the leading /", 0, get_name, NULL, POSIX, 0 },
	{ "GROUP", "owner's group name (or GID)", 0, get_group, NULL, ALL | POSIX, 0 },
	{ "UID", "owner's user ID", R, get_uid, NULL, ALL | POSIX, 0 },
	{ "GID", "owner's group ID", R, get_gid, NULL, ALL | POSIX, 0 },
	{ "CUSER", "creator's user name (or UID)", 0, get_cuser, NULL, ALL, 0 },
	{ "CGROUP", "creator's group name (or GID)", 0, get_cgroup, NULL, ALL, 0 },
	{ "CUID", "creator's user ID", R, get_cuid, NULL, ALL, 0 },
	{ "CGID", "creator's group ID", R, get_cgid, NULL, ALL, 0 },
	{ "PERMS", "permissions, octal", 0, get_perms, NULL, ALL | POSIX, 0 },
	{ "CTIME", "time of creation or last change", 0, get_ctime, NULL, ALL | POSIX, 0 },
	{ "MTIME", "time of the last change of contents (POSIX: a write, a send, a receive)", 0,
	  get_mtime, NULL, POSIX, 0 },
	{ "SIZE", "segment size", R, get_size, NULL, SHM | PSHM | PSEM, 0 },
	{ "ALLOC", "memory the file holds on its tmpfs", R, get_alloc, NULL, PSHM | PSEM, 0 },
	{ "QSIZE", "bytes of messages queued (QSIZE of the queue file)", R, get_qsize, NULL,
	  PMQ, 0 },
	{ "MSGS", "messages queued (mq_getattr on the queue file)", R, get_msgs, NULL,
	  PMQ, 0 },
	{ "NOTIFY_PID", "process registered with mq_notify(), 0 when none", R, get_notify_pid,
	  NULL, PMQ, 0 },
	{ "NATTCH", "number of attachments", R, get_nattch, NULL, SHM, 0 },
	{ "STATUS", "dest (removed, waiting for its last detach), locked", 0, get_status,
	  NULL, SHM, 0 },
	{ "CPID", "PID of the creator", R, get_cpid, NULL, SHM, 0 },
	{ "LPID", "PID of the last attach or detach", R, get_lpid, NULL, SHM, 0 },
	{ "ATIME", "time of the last attach (POSIX: of the last read)", 0, get_atime, NULL,
	  SHM | POSIX, 0 },
	{ "DTIME", "time of the last detach", 0, get_dtime, NULL, SHM, 0 },
	{ "RSS", "resident memory of the segment", R, get_rss, NULL, SHM,
	  IPCADM_READ_SHM_MEM },
	{ "SWAP", "swapped-out memory of the segment", R, get_swap, NULL, SHM,
	  IPCADM_READ_SHM_MEM },
	{ "NSEMS", "number of semaphores", R, get_nsems, NULL, SEM, 0 },
	{ "OTIME", "time of the last semop", 0, get_otime, NULL, SEM, 0 },
	{ "QNUM", "number of messages queued", R, get_qnum, NULL, MSG, 0 },
	{ "USEDBYTES", "bytes of messages queued", R, get_usedbytes, NULL, MSG, 0 },
	{ "QBYTES", "maximum bytes the queue holds", R, get_qbytes, NULL, MSG,
	  IPCADM_READ_QBYTES },
	{ "LSPID", "PID of the last msgsnd", R, get_lspid, NULL, MSG, 0 },
	{ "LRPID", "PID of the last msgrcv", R, get_lrpid, NULL, MSG, 0 },
	{ "STIME", "time of the last msgsnd", 0, get_stime, NULL, MSG, 0 },
	{ "RTIME", "time of the last msgrcv", 0, get_rtime, NULL, MSG, 0 },
	{ "HOLDERS", "processes that hold it: PID(command),...", 0, get_holders, NULL,
	  ALL | POSIX, NEEDS_HOLDERS },
	{ "VERDICT", "in-use, maybe-in-use, idle, orphaned or unknown", 0, get_verdict, NULL,
	  ALL | POSIX, NEEDS_VERDICTS },
	{ "EVIDENCE", "the facts behind the verdict", 0, get_evidence, NULL, ALL | POSIX,
	  NEEDS_VERDICTS },
	{ "NAMESPACE", "IPC namespace inode (with -A or -N)", R, get_ipcns, NULL, ALL | POSIX, 0 },
	{ "CREATOR", "who made it, when the journal knows (ipcadm trace --journal)", 0,
	  get_creator, NULL, ALL | PMQ, 0 },
};
const size_t obj_ncolumns = sizeof(obj_columns) / sizeof(obj_columns[0]);

size_t obj_columns_all(enum ipcadm_kind kind, const struct column **sel, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < obj_ncolumns && n < max; i++) {
		const struct column *c = &obj_columns[i];

		/* the object's own attributes: holders and verdicts are who's answer */
		if (c->needs & OBJ_NEEDS_HOLDERS)
			continue;
		if (c->kinds & IPCADM_KIND_BIT(kind))
			sel[n++] = c;
	}
	return n;
}
