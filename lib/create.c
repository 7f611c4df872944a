/* create.c: every creation, System V (the get calls) and POSIX (shm_open, sem_open,
 * mq_open): `ipcadm mk` and ipcmk make their objects here. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define POSIX_NAME_MAX 250 /* NAME_MAX less "sem." and room to spare */

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
