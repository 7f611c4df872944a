/* snapshot-wire.c: the snapshot as bytes, written by the child that read another IPC
 * namespace and read back by the parent (nsenter.c), field by field. */
#include "snapshot-wire.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/*
 * The format, version 1. Every number has a fixed width in the host's byte order (the
 * writer and the reader are one program on one machine); no pointer is ever written.
 *
 *   u32 magic "ipcw", u32 version, u32 the number of kinds (IPCADM_NALL_KINDS)
 *   u64 the namespace's inode (ipcns)
 *   per kind: u64 objects, u64 lines skipped, i32 error (0 or -errno)
 *   the POSIX limits (12 u64), the limits (12 u64), the usage (10 u64), in field order
 *   per kind, its objects: the fields of struct ipcadm_obj in declaration order, where
 *     sems is u32 count (WIRE_NONE: no array; else exactly nsems) then per semaphore
 *       i32 value, ncnt, zcnt, pid;
 *     name is u32 length (WIRE_NONE: no name) then that many bytes, no NUL among them.
 *
 * The reader takes exactly this and nothing else: every count and length is checked
 * against the bytes that are left before anything is allocated, kinds must be their
 * table's, errors -errno, only semaphore arrays carry semaphores and only POSIX objects
 * names. Anything else is -EBADMSG.
 */
#define WIRE_MAGIC 0x69706377u /* "ipcw" */
#define WIRE_VERSION 1u
#define WIRE_NONE UINT32_MAX
#define WIRE_ERRNO_MAX 4095
#define WIRE_SEM_SIZE 16 /* four i32 */

/*
 * A field added to any of these structs must be added to the format (here, both ways) and
 * to the round trip of tests/unit/test-wire.c, and WIRE_VERSION raised; then update the
 * sizes below. On LP64 struct ipcadm_obj has one hole, 4 bytes after signo: the second
 * assertion fails when a field fills it.
 */
_Static_assert(sizeof(struct ipcadm_limits) == 12 * 8, "add the new field to the wire format");
_Static_assert(sizeof(struct ipcadm_usage) == 10 * 8, "add the new field to the wire format");
_Static_assert(sizeof(struct ipcadm_posix_limits) == 12 * 8,
	       "add the new field to the wire format");
_Static_assert(sizeof(struct ipcadm_semval) == WIRE_SEM_SIZE,
	       "add the new field to the wire format");
#ifdef __LP64__
_Static_assert(sizeof(struct ipcadm_obj) == 248, "add the new field to the wire format");
_Static_assert(offsetof(struct ipcadm_obj, ipcns) ==
		       offsetof(struct ipcadm_obj, signo) + sizeof(int) + 4,
	       "add the new field to the wire format");
_Static_assert(sizeof(struct ipcadm_snapshot) == 448, "add the new field to the wire format");
#endif

/* ---- writing ---- */

/* The buffer is sized before the first byte is written (wire_size): one allocation. */
struct wbuf {
	char *p;
	size_t len, cap;
	bool fail; /* more written than sized: a bug here, never a partial message */
};

static inline void put(struct wbuf *b, const void *data, size_t n)
{
	if (b->cap - b->len < n) {
		b->fail = true;
		return;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static inline void put_u32(struct wbuf *b, uint32_t v)
{
	put(b, &v, sizeof(v));
}

static inline void put_i32(struct wbuf *b, int32_t v)
{
	put(b, &v, sizeof(v));
}

static inline void put_u64(struct wbuf *b, uint64_t v)
{
	put(b, &v, sizeof(v));
}

static inline void put_i64(struct wbuf *b, int64_t v)
{
	put(b, &v, sizeof(v));
}

static void put_obj(struct wbuf *b, const struct ipcadm_obj *o)
{
	put_u32(b, (uint32_t)o->kind);
	put_i32(b, o->id);
	put_i32(b, o->key);
	put_u32(b, o->mode);
	put_u32(b, o->uid);
	put_u32(b, o->cuid);
	put_u32(b, o->gid);
	put_u32(b, o->cgid);
	put_i64(b, o->ctime);

	put_u64(b, o->size);
	put_u64(b, o->nattch);
	put_i32(b, o->cpid);
	put_i32(b, o->lpid);
	put_i64(b, o->atime);
	put_i64(b, o->dtime);
	put_u64(b, o->rss);
	put_u64(b, o->swap);

	put_u64(b, o->nsems);
	put_i64(b, o->otime);
	if (o->sems && o->nsems < WIRE_NONE) {
		put_u32(b, (uint32_t)o->nsems);
		for (uint64_t i = 0; i < o->nsems; i++) {
			put_i32(b, o->sems[i].value);
			put_i32(b, o->sems[i].ncnt);
			put_i32(b, o->sems[i].zcnt);
			put_i32(b, o->sems[i].pid);
		}
	} else {
		put_u32(b, WIRE_NONE); /* none; no array is that large (SEMMSL is an int) */
	}
	put_u32(b, o->sems_read);
	put_i32(b, o->sems_err);

	put_u64(b, o->cbytes);
	put_u64(b, o->qnum);
	put_u64(b, o->qbytes);
	put_i32(b, o->lspid);
	put_i32(b, o->lrpid);
	put_i64(b, o->stime);
	put_i64(b, o->rtime);

	if (o->name) {
		size_t len = strlen(o->name);

		put_u32(b, len < WIRE_NONE ? (uint32_t)len : WIRE_NONE - 1);
		put(b, o->name, len); /* too long: refused by the reader as the wrong length */
	} else {
		put_u32(b, WIRE_NONE);
	}
	put_u64(b, o->dev);
	put_u64(b, o->ino);
	put_i64(b, o->mtime);
	put_u64(b, o->alloc);
	put_i32(b, o->notify_pid);
	put_i32(b, o->notify);
	put_i32(b, o->signo);

	put_u64(b, o->ipcns);
	put_i64(b, o->seen);
}

/* The header: magic, version, kinds, ipcns; per kind n, skipped, err; 34 u64 of limits. */
#define WIRE_HEADER_SIZE (3 * 4 + 8 + IPCADM_NALL_KINDS * (8 + 8 + 4) + (12 + 12 + 10) * 8)

/* The bytes snapshot_wire_encode() writes for s. */
static size_t wire_size(const struct ipcadm_snapshot *s)
{
	size_t size = WIRE_HEADER_SIZE;

	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		for (size_t i = 0; i < s->n[k]; i++) {
			const struct ipcadm_obj *o = &s->objs[k][i];

			size += SNAPSHOT_WIRE_OBJ_MIN;
			if (o->sems && o->nsems < WIRE_NONE)
				size += (size_t)o->nsems * WIRE_SEM_SIZE;
			if (o->name)
				size += strlen(o->name);
		}
	}
	return size;
}

int snapshot_wire_encode(const struct ipcadm_snapshot *s, char **bufp, size_t *lenp)
{
	const struct ipcadm_posix_limits *pl = &s->plimits;
	const struct ipcadm_limits *l = &s->limits;
	const struct ipcadm_usage *u = &s->usage;
	struct wbuf b = { .cap = wire_size(s) };

	b.p = malloc(b.cap ? b.cap : 1);
	if (b.p == NULL)
		return -ENOMEM;
	put_u32(&b, WIRE_MAGIC);
	put_u32(&b, WIRE_VERSION);
	put_u32(&b, IPCADM_NALL_KINDS);
	put_u64(&b, s->ipcns);
	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		put_u64(&b, s->n[k]);
		put_u64(&b, s->skipped[k]);
		put_i32(&b, s->err[k]);
	}

	put_u64(&b, pl->queues_max);
	put_u64(&b, pl->msg_max);
	put_u64(&b, pl->msgsize_max);
	put_u64(&b, pl->msg_default);
	put_u64(&b, pl->msgsize_default);
	put_u64(&b, pl->queues);
	put_u64(&b, pl->shm_size);
	put_u64(&b, pl->shm_used);
	put_u64(&b, pl->shm_avail);
	put_u64(&b, pl->shm_inodes);
	put_u64(&b, pl->shm_inodes_used);
	put_u64(&b, pl->shm_objs_alloc);

	put_u64(&b, l->shmmax);
	put_u64(&b, l->shmall);
	put_u64(&b, l->shmmni);
	put_u64(&b, l->shm_rmid_forced);
	put_u64(&b, l->semmsl);
	put_u64(&b, l->semmns);
	put_u64(&b, l->semopm);
	put_u64(&b, l->semmni);
	put_u64(&b, l->msgmax);
	put_u64(&b, l->msgmnb);
	put_u64(&b, l->msgmni);
	put_u64(&b, l->page_size);

	put_u64(&b, u->shm_segs);
	put_u64(&b, u->shm_pages);
	put_u64(&b, u->shm_bytes);
	put_u64(&b, u->shm_rss);
	put_u64(&b, u->shm_swap);
	put_u64(&b, u->sem_sets);
	put_u64(&b, u->sem_sems);
	put_u64(&b, u->msg_queues);
	put_u64(&b, u->msg_bytes);
	put_u64(&b, u->msg_msgs);

	for (int k = 0; k < IPCADM_NALL_KINDS; k++)
		for (size_t i = 0; i < s->n[k]; i++)
			put_obj(&b, &s->objs[k][i]);
	if (b.fail || b.len != b.cap) {
		free(b.p);
		return -EPROTO; /* wire_size() and the writer disagree */
	}
	*bufp = b.p;
	*lenp = b.len;
	return 0;
}

/* ---- reading ---- */

/* What is left to read; bad once anything was missing or wrong (then all reads give 0). */
struct rbuf {
	const char *p, *end;
	bool bad;
};

static bool take(struct rbuf *r, void *out, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		memset(out, 0, n);
		return false;
	}
	memcpy(out, r->p, n);
	r->p += n;
	return true;
}

static uint32_t get_u32(struct rbuf *r)
{
	uint32_t v;

	take(r, &v, sizeof(v));
	return v;
}

static int32_t get_i32(struct rbuf *r)
{
	int32_t v;

	take(r, &v, sizeof(v));
	return v;
}

static uint64_t get_u64(struct rbuf *r)
{
	uint64_t v;

	take(r, &v, sizeof(v));
	return v;
}

static int64_t get_i64(struct rbuf *r)
{
	int64_t v;

	take(r, &v, sizeof(v));
	return v;
}

static size_t left(const struct rbuf *r)
{
	return (size_t)(r->end - r->p);
}

static bool is_errno(int32_t e)
{
	return e <= 0 && e >= -WIRE_ERRNO_MAX;
}

/* The semaphores that follow: count of them, exactly the array's nsems. */
static int get_sems(struct rbuf *r, struct ipcadm_obj *o, uint32_t count)
{
	if (count == WIRE_NONE)
		return 0;
	if (o->kind != IPCADM_SEM || count != o->nsems || count > left(r) / WIRE_SEM_SIZE)
		return -EBADMSG;
	o->sems = malloc(count ? (size_t)count * sizeof(*o->sems) : 1);
	if (o->sems == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < count; i++) {
		o->sems[i].value = get_i32(r);
		o->sems[i].ncnt = get_i32(r);
		o->sems[i].zcnt = get_i32(r);
		o->sems[i].pid = get_i32(r);
	}
	return 0;
}

/* The name that follows: len bytes, none NUL; POSIX objects have one, others none. */
static int get_name(struct rbuf *r, struct ipcadm_obj *o, uint32_t len)
{
	if (len == WIRE_NONE)
		return IPCADM_IS_POSIX(o->kind) ? -EBADMSG : 0;
	if (!IPCADM_IS_POSIX(o->kind) || len > NAME_MAX || len > left(r) ||
	    memchr(r->p, '\0', len) != NULL)
		return -EBADMSG;
	o->name = malloc((size_t)len + 1);
	if (o->name == NULL)
		return -ENOMEM;
	take(r, o->name, len);
	o->name[len] = '\0';
	return 0;
}

static int get_obj(struct rbuf *r, enum ipcadm_kind kind, struct ipcadm_obj *o)
{
	int err;

	o->kind = (enum ipcadm_kind)get_u32(r);
	if (r->bad || o->kind != kind)
		return -EBADMSG; /* kinds index arrays: only its table's */
	o->id = get_i32(r);
	o->key = get_i32(r);
	o->mode = get_u32(r);
	o->uid = get_u32(r);
	o->cuid = get_u32(r);
	o->gid = get_u32(r);
	o->cgid = get_u32(r);
	o->ctime = get_i64(r);

	o->size = get_u64(r);
	o->nattch = get_u64(r);
	o->cpid = get_i32(r);
	o->lpid = get_i32(r);
	o->atime = get_i64(r);
	o->dtime = get_i64(r);
	o->rss = get_u64(r);
	o->swap = get_u64(r);

	o->nsems = get_u64(r);
	o->otime = get_i64(r);
	err = get_sems(r, o, get_u32(r));
	if (err < 0)
		return err;
	o->sems_read = get_u32(r);
	o->sems_err = get_i32(r);
	if ((o->sems_read & ~(unsigned int)(IPCADM_SEM_VALUE | IPCADM_SEM_COUNTS |
					    IPCADM_SEM_PID)) != 0 ||
	    !is_errno(o->sems_err))
		return -EBADMSG;

	o->cbytes = get_u64(r);
	o->qnum = get_u64(r);
	o->qbytes = get_u64(r);
	o->lspid = get_i32(r);
	o->lrpid = get_i32(r);
	o->stime = get_i64(r);
	o->rtime = get_i64(r);

	err = get_name(r, o, get_u32(r));
	if (err < 0)
		return err;
	o->dev = get_u64(r);
	o->ino = get_u64(r);
	o->mtime = get_i64(r);
	o->alloc = get_u64(r);
	o->notify_pid = get_i32(r);
	o->notify = get_i32(r);
	o->signo = get_i32(r);

	o->ipcns = get_u64(r);
	o->seen = get_i64(r);
	return r->bad ? -EBADMSG : 0;
}

static int decode(struct rbuf *r, struct ipcadm_snapshot *s)
{
	struct ipcadm_posix_limits *pl = &s->plimits;
	struct ipcadm_limits *l = &s->limits;
	struct ipcadm_usage *u = &s->usage;
	uint64_t n[IPCADM_NALL_KINDS];

	if (get_u32(r) != WIRE_MAGIC || get_u32(r) != WIRE_VERSION ||
	    get_u32(r) != IPCADM_NALL_KINDS)
		return -EBADMSG;
	s->ipcns = get_u64(r);
	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		n[k] = get_u64(r); /* s->n only counts objects read, for the free on failure */
		s->skipped[k] = (size_t)get_u64(r);
		s->err[k] = get_i32(r);
		if (!is_errno(s->err[k]))
			return -EBADMSG;
	}

	pl->queues_max = get_u64(r);
	pl->msg_max = get_u64(r);
	pl->msgsize_max = get_u64(r);
	pl->msg_default = get_u64(r);
	pl->msgsize_default = get_u64(r);
	pl->queues = get_u64(r);
	pl->shm_size = get_u64(r);
	pl->shm_used = get_u64(r);
	pl->shm_avail = get_u64(r);
	pl->shm_inodes = get_u64(r);
	pl->shm_inodes_used = get_u64(r);
	pl->shm_objs_alloc = get_u64(r);

	l->shmmax = get_u64(r);
	l->shmall = get_u64(r);
	l->shmmni = get_u64(r);
	l->shm_rmid_forced = get_u64(r);
	l->semmsl = get_u64(r);
	l->semmns = get_u64(r);
	l->semopm = get_u64(r);
	l->semmni = get_u64(r);
	l->msgmax = get_u64(r);
	l->msgmnb = get_u64(r);
	l->msgmni = get_u64(r);
	l->page_size = get_u64(r);

	u->shm_segs = get_u64(r);
	u->shm_pages = get_u64(r);
	u->shm_bytes = get_u64(r);
	u->shm_rss = get_u64(r);
	u->shm_swap = get_u64(r);
	u->sem_sets = get_u64(r);
	u->sem_sems = get_u64(r);
	u->msg_queues = get_u64(r);
	u->msg_bytes = get_u64(r);
	u->msg_msgs = get_u64(r);
	if (r->bad)
		return -EBADMSG;

	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		/* no table larger than the bytes left could fill: no huge calloc for a lie */
		if (n[k] > left(r) / SNAPSHOT_WIRE_OBJ_MIN)
			return -EBADMSG;
		s->objs[k] = calloc(n[k] ? (size_t)n[k] : 1, sizeof(struct ipcadm_obj));
		if (s->objs[k] == NULL)
			return -ENOMEM;
		for (size_t i = 0; i < n[k]; i++) {
			int err;

			s->n[k]++; /* freed with the snapshot from here on */
			err = get_obj(r, (enum ipcadm_kind)k, &s->objs[k][i]);
			if (err < 0)
				return err;
		}
	}
	return left(r) == 0 ? 0 : -EBADMSG;
}

int snapshot_wire_decode(const char *buf, size_t len, struct ipcadm_snapshot **snapp)
{
	struct ipcadm_snapshot *s = calloc(1, sizeof(*s));
	struct rbuf r = { .p = buf, .end = buf + len };
	int err;

	if (s == NULL)
		return -ENOMEM;
	err = decode(&r, s);
	if (err < 0) {
		ipcadm_snapshot_free(s);
		return err;
	}
	*snapp = s;
	return 0;
}
