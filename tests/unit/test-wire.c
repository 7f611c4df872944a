/* test-wire.c: the snapshot as it crosses the -A child's pipe (lib/snapshot-wire.c):
 * round trips field by field, no pointer on the wire, and every lie or cut refused. */
#include "fixture.h"
#include "snapshot-wire.h"

#include <errno.h>

/* One object of each kind, with names, semaphores, limits, usage and errors. */
static struct ipcadm_snapshot *sample(void)
{
	struct ipcadm_snapshot *s = calloc(1, sizeof(*s));
	struct ipcadm_obj *o;

	assert_non_null(s);
	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		s->objs[k] = calloc(2, sizeof(struct ipcadm_obj));
		assert_non_null(s->objs[k]);
		s->n[k] = 1;
		s->skipped[k] = (size_t)k * 3 + 1;
		o = &s->objs[k][0];
		o->kind = (enum ipcadm_kind)k;
		o->id = k < IPCADM_NSYSV_KINDS ? 32768 * k + 5 : -1;
		o->key = k == IPCADM_SHM ? -2147483647 : (int32_t)(0x1000 + k);
		o->mode = 01600 | (unsigned int)k;
		o->uid = 1000 + (uid_t)k;
		o->cuid = 2000 + (uid_t)k;
		o->gid = 3000 + (gid_t)k;
		o->cgid = 4000 + (gid_t)k;
		o->ctime = 1700000000 + k;
		o->size = (uint64_t)1 << 40 | (uint64_t)k;
		o->nattch = 7;
		o->cpid = 4242;
		o->lpid = 4243;
		o->atime = -1;
		o->dtime = INT64_MAX;
		o->rss = IPCADM_UNKNOWN;
		o->swap = 8192;
		o->otime = 1700000100;
		o->cbytes = 11;
		o->qnum = IPCADM_UNKNOWN;
		o->qbytes = 16384;
		o->lspid = 77;
		o->lrpid = 78;
		o->stime = INT64_MIN;
		o->rtime = 1700000200;
		o->dev = 0x2a;
		o->ino = UINT64_MAX - 1;
		o->mtime = 1700000300;
		o->alloc = 4096;
		o->notify_pid = 99;
		o->notify = 2;
		o->signo = 10;
		o->ipcns = 4026531839u;
		o->seen = 1700000400;
	}
	o = &s->objs[IPCADM_SEM][0];
	o->nsems = 3;
	o->sems = calloc(3, sizeof(*o->sems));
	assert_non_null(o->sems);
	for (int i = 0; i < 3; i++)
		o->sems[i] = (struct ipcadm_semval){ .value = 32767 - i, .ncnt = i, .zcnt = 2 * i,
						     .pid = 500 + i };
	o->sems_read = IPCADM_SEM_VALUE | IPCADM_SEM_COUNTS | IPCADM_SEM_PID;
	o->sems_err = -EACCES;
	/* a second array whose values could not be read: no sems */
	s->n[IPCADM_SEM] = 2;
	s->objs[IPCADM_SEM][1] = (struct ipcadm_obj){ .kind = IPCADM_SEM, .id = 9, .nsems = 250,
						      .sems_err = -EPERM };
	s->objs[IPCADM_PSHM][0].name = strdup("psm_1a2b3c4d");
	s->objs[IPCADM_PSEM][0].name = strdup("mp-\n\x01\xff-weird name");
	s->objs[IPCADM_PMQ][0].name = strdup(""); /* an empty name is not a missing one */
	s->n[IPCADM_MSG] = 0; /* a kind with no objects */
	s->err[IPCADM_PSEM] = -EOPNOTSUPP;
	s->err[IPCADM_PMQ] = -EACCES;
	s->plimits = (struct ipcadm_posix_limits){ 256, 10, 8192, 10, 8192, 3, 1 << 30, 4096,
						   (1 << 30) - 4096, 1000, 3, IPCADM_UNKNOWN };
	s->limits = (struct ipcadm_limits){ UINT64_MAX - 4096, 1 << 20, 4096, 1,
					    32000, 1024000000, 500, 32000,
					    8192, 16384, 32000, 4096 };
	s->usage = (struct ipcadm_usage){ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	s->ipcns = 4026532000u;
	return s;
}

static void assert_obj_equal(const struct ipcadm_obj *a, const struct ipcadm_obj *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->id, b->id);
	assert_int_equal(a->key, b->key);
	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->uid, b->uid);
	assert_int_equal(a->cuid, b->cuid);
	assert_int_equal(a->gid, b->gid);
	assert_int_equal(a->cgid, b->cgid);
	assert_int_equal(a->ctime, b->ctime);
	assert_int_equal(a->size, b->size);
	assert_int_equal(a->nattch, b->nattch);
	assert_int_equal(a->cpid, b->cpid);
	assert_int_equal(a->lpid, b->lpid);
	assert_int_equal(a->atime, b->atime);
	assert_int_equal(a->dtime, b->dtime);
	assert_int_equal(a->rss, b->rss);
	assert_int_equal(a->swap, b->swap);
	assert_int_equal(a->nsems, b->nsems);
	assert_int_equal(a->otime, b->otime);
	assert_int_equal(a->sems == NULL, b->sems == NULL);
	for (uint64_t i = 0; a->sems && i < a->nsems; i++) {
		assert_int_equal(a->sems[i].value, b->sems[i].value);
		assert_int_equal(a->sems[i].ncnt, b->sems[i].ncnt);
		assert_int_equal(a->sems[i].zcnt, b->sems[i].zcnt);
		assert_int_equal(a->sems[i].pid, b->sems[i].pid);
	}
	assert_int_equal(a->sems_read, b->sems_read);
	assert_int_equal(a->sems_err, b->sems_err);
	assert_int_equal(a->cbytes, b->cbytes);
	assert_int_equal(a->qnum, b->qnum);
	assert_int_equal(a->qbytes, b->qbytes);
	assert_int_equal(a->lspid, b->lspid);
	assert_int_equal(a->lrpid, b->lrpid);
	assert_int_equal(a->stime, b->stime);
	assert_int_equal(a->rtime, b->rtime);
	assert_int_equal(a->name == NULL, b->name == NULL);
	if (a->name)
		assert_string_equal(a->name, b->name);
	assert_int_equal(a->dev, b->dev);
	assert_int_equal(a->ino, b->ino);
	assert_int_equal(a->mtime, b->mtime);
	assert_int_equal(a->alloc, b->alloc);
	assert_int_equal(a->notify_pid, b->notify_pid);
	assert_int_equal(a->notify, b->notify);
	assert_int_equal(a->signo, b->signo);
	assert_int_equal(a->ipcns, b->ipcns);
	assert_int_equal(a->seen, b->seen);
}

static void assert_snap_equal(const struct ipcadm_snapshot *a, const struct ipcadm_snapshot *b)
{
	const struct ipcadm_posix_limits *pa = &a->plimits, *pb = &b->plimits;
	const struct ipcadm_limits *la = &a->limits, *lb = &b->limits;
	const struct ipcadm_usage *ua = &a->usage, *ub = &b->usage;

	assert_int_equal(a->ipcns, b->ipcns);
	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		assert_int_equal(a->n[k], b->n[k]);
		assert_int_equal(a->skipped[k], b->skipped[k]);
		assert_int_equal(a->err[k], b->err[k]);
		for (size_t i = 0; i < a->n[k]; i++)
			assert_obj_equal(&a->objs[k][i], &b->objs[k][i]);
	}
	assert_int_equal(pa->queues_max, pb->queues_max);
	assert_int_equal(pa->msg_max, pb->msg_max);
	assert_int_equal(pa->msgsize_max, pb->msgsize_max);
	assert_int_equal(pa->msg_default, pb->msg_default);
	assert_int_equal(pa->msgsize_default, pb->msgsize_default);
	assert_int_equal(pa->queues, pb->queues);
	assert_int_equal(pa->shm_size, pb->shm_size);
	assert_int_equal(pa->shm_used, pb->shm_used);
	assert_int_equal(pa->shm_avail, pb->shm_avail);
	assert_int_equal(pa->shm_inodes, pb->shm_inodes);
	assert_int_equal(pa->shm_inodes_used, pb->shm_inodes_used);
	assert_int_equal(pa->shm_objs_alloc, pb->shm_objs_alloc);
	assert_int_equal(la->shmmax, lb->shmmax);
	assert_int_equal(la->shmall, lb->shmall);
	assert_int_equal(la->shmmni, lb->shmmni);
	assert_int_equal(la->shm_rmid_forced, lb->shm_rmid_forced);
	assert_int_equal(la->semmsl, lb->semmsl);
	assert_int_equal(la->semmns, lb->semmns);
	assert_int_equal(la->semopm, lb->semopm);
	assert_int_equal(la->semmni, lb->semmni);
	assert_int_equal(la->msgmax, lb->msgmax);
	assert_int_equal(la->msgmnb, lb->msgmnb);
	assert_int_equal(la->msgmni, lb->msgmni);
	assert_int_equal(la->page_size, lb->page_size);
	assert_int_equal(ua->shm_segs, ub->shm_segs);
	assert_int_equal(ua->shm_pages, ub->shm_pages);
	assert_int_equal(ua->shm_bytes, ub->shm_bytes);
	assert_int_equal(ua->shm_rss, ub->shm_rss);
	assert_int_equal(ua->shm_swap, ub->shm_swap);
	assert_int_equal(ua->sem_sets, ub->sem_sets);
	assert_int_equal(ua->sem_sems, ub->sem_sems);
	assert_int_equal(ua->msg_queues, ub->msg_queues);
	assert_int_equal(ua->msg_bytes, ub->msg_bytes);
	assert_int_equal(ua->msg_msgs, ub->msg_msgs);
}

static void encode(const struct ipcadm_snapshot *s, char **buf, size_t *len)
{
	assert_int_equal(snapshot_wire_encode(s, buf, len), 0);
	assert_non_null(*buf);
}

static void test_round_trip(void **state)
{
	struct ipcadm_snapshot *s = sample(), *d = NULL;
	char *buf, *again;
	size_t len, len2;

	(void)state;
	encode(s, &buf, &len);
	assert_int_equal(snapshot_wire_decode(buf, len, &d), 0);
	assert_snap_equal(s, d);
	/* one snapshot, one encoding */
	encode(d, &again, &len2);
	assert_int_equal(len, len2);
	assert_memory_equal(buf, again, len);
	free(again);
	free(buf);
	ipcadm_snapshot_free(d);
	ipcadm_snapshot_free(s);
}

static void test_empty_round_trip(void **state)
{
	struct ipcadm_snapshot *s = calloc(1, sizeof(*s)), *d = NULL;
	char *buf;
	size_t len;

	(void)state;
	assert_non_null(s);
	encode(s, &buf, &len);
	assert_int_equal(snapshot_wire_decode(buf, len, &d), 0);
	assert_snap_equal(s, d);
	free(buf);
	ipcadm_snapshot_free(d);
	ipcadm_snapshot_free(s);
}

/* True when the bytes of the pointer p appear anywhere in buf. */
static bool holds_pointer(const char *buf, size_t len, const void *p)
{
	for (size_t i = 0; i + sizeof(p) <= len; i++)
		if (memcmp(buf + i, &p, sizeof(p)) == 0)
			return true;
	return false;
}

/* The addresses of the child's heap are nobody's business, nor a format. */
static void test_no_pointer_on_wire(void **state)
{
	struct ipcadm_snapshot *s = sample();
	char *buf;
	size_t len;

	(void)state;
	encode(s, &buf, &len);
	assert_false(holds_pointer(buf, len, s->objs[IPCADM_SEM][0].sems));
	for (int k = IPCADM_PSHM; k <= IPCADM_PMQ; k++)
		assert_false(holds_pointer(buf, len, s->objs[k][0].name));
	free(buf);
	ipcadm_snapshot_free(s);
}

/* Every cut of the message is refused, and leaves nothing allocated (ASan's leak check). */
static void test_truncated_everywhere(void **state)
{
	struct ipcadm_snapshot *s = sample(), *d;
	char *buf;
	size_t len;

	(void)state;
	encode(s, &buf, &len);
	for (size_t cut = 0; cut < len; cut++) {
		char *copy = malloc(cut ? cut : 1); /* exactly cut bytes: ASan sees overreads */

		assert_non_null(copy);
		memcpy(copy, buf, cut);
		d = NULL;
		assert_int_equal(snapshot_wire_decode(copy, cut, &d), -EBADMSG);
		assert_null(d);
		free(copy);
	}
	free(buf);
	ipcadm_snapshot_free(s);
}

static void test_trailing_bytes(void **state)
{
	struct ipcadm_snapshot *s = sample(), *d = NULL;
	char *buf, *longer;
	size_t len;

	(void)state;
	encode(s, &buf, &len);
	longer = calloc(1, len + 1);
	assert_non_null(longer);
	memcpy(longer, buf, len);
	assert_int_equal(snapshot_wire_decode(longer, len + 1, &d), -EBADMSG);
	assert_null(d);
	free(longer);
	free(buf);
	ipcadm_snapshot_free(s);
}

/* A snapshot the reader must refuse, whichever side wrote it: encoded, then decoded. */
static void assert_refused(struct ipcadm_snapshot *s)
{
	struct ipcadm_snapshot *d = NULL;
	char *buf;
	size_t len;

	encode(s, &buf, &len);
	assert_int_equal(snapshot_wire_decode(buf, len, &d), -EBADMSG);
	assert_null(d);
	free(buf);
	ipcadm_snapshot_free(s);
}

/* Kinds index arrays everywhere: a kind that is not one, or not its table's, is a lie. */
static void test_bad_kind_refused(void **state)
{
	struct ipcadm_snapshot *s = sample();

	(void)state;
	s->objs[IPCADM_SHM][0].kind = (enum ipcadm_kind)77;
	assert_refused(s);
	s = sample();
	s->objs[IPCADM_SHM][0].kind = IPCADM_NALL_KINDS;
	assert_refused(s);
	s = sample();
	s->objs[IPCADM_PMQ][0].kind = IPCADM_SHM; /* a segment in the queues' table */
	assert_refused(s);
}

static void test_bad_fields_refused(void **state)
{
	struct ipcadm_snapshot *s;

	(void)state;
	s = sample(); /* semaphores on a segment */
	s->objs[IPCADM_SHM][0].sems = calloc(1, sizeof(struct ipcadm_semval));
	s->objs[IPCADM_SHM][0].nsems = 1;
	assert_refused(s);
	s = sample(); /* parts of semaphores that do not exist */
	s->objs[IPCADM_SEM][0].sems_read = 1u << 9;
	assert_refused(s);
	s = sample(); /* an error that is not -errno */
	s->objs[IPCADM_SEM][0].sems_err = 5;
	assert_refused(s);
	s = sample();
	s->err[IPCADM_PMQ] = 1;
	assert_refused(s);
	s = sample(); /* a System V object with a name */
	s->objs[IPCADM_MSG] = realloc(s->objs[IPCADM_MSG], sizeof(struct ipcadm_obj));
	s->objs[IPCADM_MSG][0] = (struct ipcadm_obj){ .kind = IPCADM_MSG, .name = strdup("q") };
	s->n[IPCADM_MSG] = 1;
	assert_refused(s);
	s = sample(); /* a POSIX object without one */
	free(s->objs[IPCADM_PSHM][0].name);
	s->objs[IPCADM_PSHM][0].name = NULL;
	assert_refused(s);
}

/* A NUL inside a name would cut it short unseen: refused. */
static void test_nul_in_name_refused(void **state)
{
	struct ipcadm_snapshot *s = sample(), *d = NULL;
	const char *name = s->objs[IPCADM_PSHM][0].name;
	char *buf, *at;
	size_t len;

	(void)state;
	encode(s, &buf, &len);
	at = memmem(buf, len, name, strlen(name));
	assert_non_null(at);
	at[3] = '\0';
	assert_int_equal(snapshot_wire_decode(buf, len, &d), -EBADMSG);
	assert_null(d);
	free(buf);
	ipcadm_snapshot_free(s);
}

/* The reader's cap on counts rests on the size of the smallest object. */
static void test_smallest_object(void **state)
{
	struct ipcadm_snapshot *s = calloc(1, sizeof(*s));
	char *buf0, *buf1;
	size_t len0, len1;

	(void)state;
	assert_non_null(s);
	encode(s, &buf0, &len0);
	s->objs[IPCADM_SHM] = calloc(1, sizeof(struct ipcadm_obj));
	assert_non_null(s->objs[IPCADM_SHM]);
	s->n[IPCADM_SHM] = 1;
	encode(s, &buf1, &len1);
	assert_int_equal(len1 - len0, SNAPSHOT_WIRE_OBJ_MIN);
	free(buf0);
	free(buf1);
	ipcadm_snapshot_free(s);
}

/*
 * Any four bytes set to 0xff (a huge count, length or kind) are refused, or read back as a
 * snapshot that encodes to exactly those bytes; never a crash, a huge allocation or a leak.
 */
static void test_lies_everywhere(void **state)
{
	struct ipcadm_snapshot *s = sample(), *d;
	char *buf, *copy;
	size_t len;

	(void)state;
	encode(s, &buf, &len);
	copy = malloc(len);
	assert_non_null(copy);
	for (size_t i = 0; i + 4 <= len; i++) {
		int r;

		memcpy(copy, buf, len);
		memset(copy + i, 0xff, 4);
		d = NULL;
		r = snapshot_wire_decode(copy, len, &d);
		if (r == 0) {
			char *again;
			size_t len2;

			encode(d, &again, &len2);
			assert_int_equal(len2, len);
			assert_memory_equal(again, copy, len);
			free(again);
			ipcadm_snapshot_free(d);
		} else {
			assert_int_equal(r, -EBADMSG);
			assert_null(d);
		}
	}
	free(copy);
	free(buf);
	ipcadm_snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_empty_round_trip),
		cmocka_unit_test(test_no_pointer_on_wire),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_trailing_bytes),
		cmocka_unit_test(test_bad_kind_refused),
		cmocka_unit_test(test_bad_fields_refused),
		cmocka_unit_test(test_nul_in_name_refused),
		cmocka_unit_test(test_smallest_object),
		cmocka_unit_test(test_lies_everywhere),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
