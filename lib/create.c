/* create.c: every creation, System V (the get calls) and POSIX (shm_open, sem_open,
 * mq_open): `ipcadm mk` and ipcmk make their objects here. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/random.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#define POSIX_NAME_MAX 250 /* NAME_MAX less "sem." and room to spare */
/* Random keys tried before giving up with EEXIST (each collides with odds n / 2^32). */
#define RANDOM_KEY_TRIES 64

bool ipcadm_posix_name_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	return n > 0 && n <= POSIX_NAME_MAX && strchr(name, '/') == NULL &&
	       strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

static int create_shm(const struct ipcadm_posix_new *n, const char *path)
{
	int fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL, n->mode), err;

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)n->size) < 0) {
		err = -errno;
		close(fd);
		shm_unlink(path);
		return err;
	}
	close(fd);
	return 0;
}

static int create_sem(const struct ipcadm_posix_new *n, const char *path)
{
	sem_t *s = sem_open(path, O_CREAT | O_EXCL, n->mode, n->value);

	if (s == SEM_FAILED)
		return -errno;
	sem_close(s);
	return 0;
}

static int create_mq(const struct ipcadm_posix_new *n, const char *path)
{
	struct mq_attr attr = { .mq_maxmsg = n->maxmsg, .mq_msgsize = n->msgsize };
	mqd_t q;

	q = mq_open(path, O_RDONLY | O_CREAT | O_EXCL, n->mode,
		    n->maxmsg > 0 || n->msgsize > 0 ? &attr : NULL);
	if (q == (mqd_t)-1)
		return -errno;
	mq_close(q);
	return 0;
}

int ipcadm_posix_create(struct ipcadm_ctx *ctx, const struct ipcadm_posix_new *n)
{
	char path[POSIX_NAME_MAX + 8];
	mode_t old;
	int r;

	if (!ctx->live)
		return -EOPNOTSUPP;
	if (!ipcadm_posix_name_valid(n->name) || n->mode > 0777 ||
	    ((n->maxmsg > 0) != (n->msgsize > 0) && n->kind == IPCADM_PMQ))
		return -EINVAL;
	snprintf(path, sizeof(path), "/%s", n->name);
	old = umask(0); /* the mode asked for, as ipcmk gives it */
	switch (n->kind) {
	case IPCADM_PSHM:
		r = create_shm(n, path);
		break;
	case IPCADM_PSEM:
		r = create_sem(n, path);
		break;
	case IPCADM_PMQ:
		r = create_mq(n, path);
		break;
	default:
		r = -EINVAL;
		break;
	}
	umask(old);
	return r;
}

/* A key drawn at random, never IPC_PRIVATE (that would make a private object). */
static int32_t random_key(void)
{
	int32_t key = 0;

	while (key == IPC_PRIVATE)
		if (getrandom(&key, sizeof(key), 0) != sizeof(key))
			key = (int32_t)random();
	return key;
}

static int sysv_get(const struct ipcadm_sysv_new *n, int32_t key, int flags)
{
	int id;

	if (n->kind == IPCADM_SHM)
		id = shmget(key, (size_t)n->size, flags);
	else if (n->kind == IPCADM_SEM)
		id = semget(key, n->nsems, flags);
	else
		id = msgget(key, flags);
	return id < 0 ? -errno : id;
}

/* Sets the initial values of a new array: one value for all, or one each. */
static int set_values(int id, const struct ipcadm_sysv_new *n)
{
	union semun {
		int val;
		struct semid_ds *buf;
		unsigned short *array;
	} arg;
	unsigned short *vals = calloc((size_t)n->nsems, sizeof(*vals));
	int r = 0;

	if (vals == NULL)
		return -ENOMEM;
	for (int i = 0; i < n->nsems; i++)
		vals[i] = n->values[n->nvalues == 1 ? 0 : i];
	arg.array = vals;
	if (semctl(id, 0, SETALL, arg) < 0)
		r = -errno;
	free(vals);
	return r;
}

int ipcadm_sysv_create(struct ipcadm_ctx *ctx, const struct ipcadm_sysv_new *n, int32_t *keyp,
		       int *idp)
{
	bool random = n->flags & IPCADM_CREATE_RANDOM_KEY;
	int flags = IPC_CREAT | (int)n->mode;
	int32_t key = n->key;
	int old = -ENOENT, id = -EEXIST, r;

	if (!ctx->live)
		return -EOPNOTSUPP;
	if ((unsigned int)n->kind >= IPCADM_NSYSV_KINDS ||
	    (n->values && (n->kind != IPCADM_SEM || n->nsems < 1 ||
			   (n->nvalues != 1 && n->nvalues != (size_t)n->nsems))))
		return -EINVAL;
	if (n->flags & (IPCADM_CREATE_EXCL | IPCADM_CREATE_RANDOM_KEY))
		flags |= IPC_EXCL;
	if (n->flags & IPCADM_CREATE_HUGETLB)
		flags |= SHM_HUGETLB;
	if (random) {
		/* a collision draws another key: never someone else's object */
		for (int i = 0; i < RANDOM_KEY_TRIES && id == -EEXIST; i++) {
			key = random_key();
			id = sysv_get(n, key, flags);
		}
	} else {
		if (key != IPC_PRIVATE && !(flags & IPC_EXCL))
			old = ipcadm_sysv_key_id(ctx, n->kind, key);
		id = sysv_get(n, key, flags);
	}
	if (id < 0)
		return id;
	*idp = id;
	if (keyp)
		*keyp = key;
	if (old >= 0 && old == id)
		return 1; /* the key was taken: the get call handed back that object, as it is */
	if (n->values) {
		r = set_values(id, n);
		if (r < 0) {
			semctl(id, 0, IPC_RMID); /* ours, just made: no half-made array stays */
			return r;
		}
	}
	return 0;
}

/* The pages of src that hold anything, into the new segment at dst: a page left alone
 * stays a hole, as it was in the segment saved (backup.c keeps holes). */
static void copy_pages(char *dst, const char *src, uint64_t size)
{
	static const char zero[4096];

	for (uint64_t at = 0; at < size; at += sizeof(zero)) {
		size_t n = size - at < sizeof(zero) ? (size_t)(size - at) : sizeof(zero);

		if (memcmp(src + at, zero, n) != 0)
			memcpy(dst + at, src + at, n);
	}
}

/* A restored segment is made like any other object: here (backup.c reads the backup). */
int ipcadm_shm_backup_create(const struct ipcadm_shm_backup *b, int *idp)
{
	struct shmid_ds ds;
	void *addr;
	int r, id;

	if (b->data == NULL)
		return -EINVAL;
	id = shmget(b->key, b->size, IPC_CREAT | IPC_EXCL | 0600);
	if (id < 0)
		return -errno;
	addr = shmat(id, NULL, 0);
	if (addr == (void *)-1) {
		r = -errno;
		shmctl(id, IPC_RMID, NULL);
		return r;
	}
	copy_pages(addr, b->data, b->size);
	shmdt(addr);
	/* the saved owner and mode only once the contents are in */
	if (shmctl(id, IPC_STAT, &ds) < 0) {
		r = -errno;
		shmctl(id, IPC_RMID, NULL);
		return r;
	}
	ds.shm_perm.uid = b->uid;
	ds.shm_perm.gid = b->gid;
	ds.shm_perm.mode = (unsigned short)(b->mode & 0777);
	if (shmctl(id, IPC_SET, &ds) < 0) {
		r = -errno;
		shmctl(id, IPC_RMID, NULL);
		return r;
	}
	*idp = id;
	return 0;
}
