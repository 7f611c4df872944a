/* sysvipc-proc.c: parses /proc/sysvipc/{shm,sem,msg} by the names in their header,
 * so old 14-column kernels, added columns and any order work; bad lines are skipped. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "strutil.h"

enum field {
	F_NONE = -1,
	F_KEY, F_ID, F_PERMS, F_SIZE, F_CPID, F_LPID, F_NATTCH, F_UID, F_GID, F_CUID, F_CGID,
	F_ATIME, F_DTIME, F_CTIME, F_RSS, F_SWAP, F_NSEMS, F_OTIME, F_CBYTES, F_QNUM,
	F_LSPID, F_LRPID, F_STIME, F_RTIME,
	F_COUNT,
};

static const char *const field_names[F_COUNT] = {
	[F_KEY] = "key",       [F_ID] = "id",	    [F_PERMS] = "perms",   [F_SIZE] = "size",
	[F_CPID] = "cpid",     [F_LPID] = "lpid",   [F_NATTCH] = "nattch", [F_UID] = "uid",
	[F_GID] = "gid",       [F_CUID] = "cuid",   [F_CGID] = "cgid",	   [F_ATIME] = "atime",
	[F_DTIME] = "dtime",   [F_CTIME] = "ctime", [F_RSS] = "rss",	   [F_SWAP] = "swap",
	[F_NSEMS] = "nsems",   [F_OTIME] = "otime", [F_CBYTES] = "cbytes", [F_QNUM] = "qnum",
	[F_LSPID] = "lspid",   [F_LRPID] = "lrpid", [F_STIME] = "stime",   [F_RTIME] = "rtime",
};

static const char *const id_names[IPCADM_NSYSV_KINDS] = { "shmid", "semid", "msqid" };

#define B(f) (1u << (f))
static const unsigned int required[IPCADM_NSYSV_KINDS] = {
	[IPCADM_SHM] = B(F_KEY) | B(F_ID) | B(F_PERMS) | B(F_SIZE) | B(F_CPID) | B(F_LPID) |
		       B(F_NATTCH) | B(F_UID) | B(F_GID) | B(F_CUID) | B(F_CGID) | B(F_ATIME) |
		       B(F_DTIME) | B(F_CTIME),
	[IPCADM_SEM] = B(F_KEY) | B(F_ID) | B(F_PERMS) | B(F_NSEMS) | B(F_UID) | B(F_GID) |
		       B(F_CUID) | B(F_CGID) | B(F_OTIME) | B(F_CTIME),
	[IPCADM_MSG] = B(F_KEY) | B(F_ID) | B(F_PERMS) | B(F_CBYTES) | B(F_QNUM) | B(F_LSPID) |
		       B(F_LRPID) | B(F_UID) | B(F_GID) | B(F_CUID) | B(F_CGID) | B(F_STIME) |
		       B(F_RTIME) | B(F_CTIME),
};
static const unsigned int optional[IPCADM_NSYSV_KINDS] = {
	[IPCADM_SHM] = B(F_RSS) | B(F_SWAP),
};

#define MAX_COLS 64

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Splits [p, end) into whitespace-separated tokens; returns how many (at most max). */
static size_t tokenize(const char *p, const char *end, const char **tok, size_t *len,
		       size_t max)
{
	size_t n = 0;

	while (p < end) {
		const char *s;

		while (p < end && is_space(*p))
			p++;
		if (p == end)
			break;
		s = p;
		while (p < end && !is_space(*p))
			p++;
		if (n == max)
			return max + 1;
		tok[n] = s;
		len[n++] = (size_t)(p - s);
	}
	return n;
}

static enum field field_lookup(enum ipcadm_kind kind, const char *s, size_t n)
{
	if (strlen(id_names[kind]) == n && memcmp(s, id_names[kind], n) == 0)
		return F_ID;
	for (int f = 0; f < F_COUNT; f++) {
		if (f == F_ID)
			continue;
		if (strlen(field_names[f]) == n && memcmp(s, field_names[f], n) == 0)
			return (B(f) & (required[kind] | optional[kind])) ? (enum field)f : F_NONE;
	}
	return F_NONE;
}

static int get_u32(const char *s, size_t n, uint32_t *v)
{
	uint64_t x;

	if (mem_to_u64(s, n, &x) < 0 || x > UINT32_MAX)
		return -EINVAL;
	*v = (uint32_t)x;
	return 0;
}

static int get_int(const char *s, size_t n, int64_t lo, int64_t hi, int64_t *v)
{
	if (mem_to_i64(s, n, v) < 0 || *v < lo || *v > hi)
		return -EINVAL;
	return 0;
}

/* Sets one field of obj from a token; -EINVAL when the token is not a valid value. */
static int set_field(struct ipcadm_obj *o, enum field f, const char *s, size_t n)
{
	int64_t i;
	uint64_t u;
	uint32_t u32;

	switch (f) {
	case F_KEY:
		if (get_int(s, n, INT32_MIN, UINT32_MAX, &i) < 0)
			return -EINVAL;
		o->key = (int32_t)(uint32_t)i;
		return 0;
	case F_ID:
		if (get_int(s, n, 0, INT32_MAX, &i) < 0)
			return -EINVAL;
		o->id = (int)i;
		return 0;
	case F_PERMS:
		return mem_to_octal(s, n, &o->mode);
	case F_UID:
	case F_GID:
	case F_CUID:
	case F_CGID:
		if (get_u32(s, n, &u32) < 0)
			return -EINVAL;
		if (f == F_UID)
			o->uid = u32;
		else if (f == F_GID)
			o->gid = u32;
		else if (f == F_CUID)
			o->cuid = u32;
		else
			o->cgid = u32;
		return 0;
	case F_CPID:
	case F_LPID:
	case F_LSPID:
	case F_LRPID:
		if (get_int(s, n, 0, INT32_MAX, &i) < 0)
			return -EINVAL;
		*(f == F_CPID	 ? &o->cpid
		  : f == F_LPID	 ? &o->lpid
		  : f == F_LSPID ? &o->lspid
				 : &o->lrpid) = (pid_t)i;
		return 0;
	case F_ATIME:
	case F_DTIME:
	case F_CTIME:
	case F_OTIME:
	case F_STIME:
	case F_RTIME:
		if (mem_to_i64(s, n, &i) < 0)
			return -EINVAL;
		*(f == F_ATIME	 ? &o->atime
		  : f == F_DTIME ? &o->dtime
		  : f == F_CTIME ? &o->ctime
		  : f == F_OTIME ? &o->otime
		  : f == F_STIME ? &o->stime
				 : &o->rtime) = i;
		return 0;
	default:
		break;
	}
	if (mem_to_u64(s, n, &u) < 0)
		return -EINVAL;
	switch (f) {
	case F_SIZE: o->size = u; break;
	case F_NATTCH: o->nattch = u; break;
	case F_RSS: o->rss = u; break;
	case F_SWAP: o->swap = u; break;
	case F_NSEMS: o->nsems = u; break;
	case F_CBYTES: o->cbytes = u; break;
	case F_QNUM: o->qnum = u; break;
	default: return -EINVAL;
	}
	return 0;
}

static size_t count_lines(const char *buf, size_t len)
{
	size_t n = 1;
	const char *p = buf, *end = buf + len;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

int ipcadm_sysvipc_parse(enum ipcadm_kind kind, const char *buf, size_t len,
			 struct ipcadm_obj **objsp, size_t *np, size_t *skippedp)
{
	enum field cols[MAX_COLS];
	const char *tok[MAX_COLS];
	size_t tlen[MAX_COLS];
	const char *p = buf, *end = buf + len, *eol;
	size_t ncols, n = 0, skipped = 0;
	unsigned int seen = 0;
	struct ipcadm_obj *objs;

	if ((unsigned int)kind >= IPCADM_NSYSV_KINDS)
		return -EINVAL;
	*objsp = NULL;
	*np = 0;
	if (skippedp)
		*skippedp = 0;
	if (len == 0)
		return 0;
	eol = memchr(p, '\n', len);
	if (eol == NULL)
		eol = end;
	ncols = tokenize(p, eol, tok, tlen, MAX_COLS);
	if (ncols > MAX_COLS)
		return -EBADMSG;
	for (size_t c = 0; c < ncols; c++) {
		cols[c] = field_lookup(kind, tok[c], tlen[c]);
		if (cols[c] != F_NONE) {
			if (seen & B(cols[c]))
				return -EBADMSG; /* a column named twice */
			seen |= B(cols[c]);
		}
	}
	if ((seen & required[kind]) != required[kind])
		return -EBADMSG;

	objs = calloc(count_lines(buf, len), sizeof(*objs));
	if (objs == NULL)
		return -ENOMEM;
	for (p = eol < end ? eol + 1 : end; p < end; p = eol < end ? eol + 1 : end) {
		struct ipcadm_obj *o = &objs[n];
		size_t nt;
		int bad = 0;

		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		nt = tokenize(p, eol, tok, tlen, MAX_COLS);
		if (nt == 0)
			continue;
		if (nt != ncols) {
			skipped++;
			continue;
		}
		memset(o, 0, sizeof(*o));
		o->kind = kind;
		o->rss = o->swap = IPCADM_UNKNOWN;
		o->qbytes = IPCADM_UNKNOWN;
		for (size_t c = 0; c < nt && !bad; c++)
			if (cols[c] != F_NONE && set_field(o, cols[c], tok[c], tlen[c]) < 0)
				bad = 1;
		if (bad) {
			skipped++;
			continue;
		}
		n++;
	}
	*objsp = objs;
	*np = n;
	if (skippedp)
		*skippedp = skipped;
	return 0;
}
