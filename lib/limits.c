/* limits.c: the System V IPC limits of the reader's IPC namespace, from
 * /proc/sys/kernel (or the *_INFO calls), and page counting as the kernel does it. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

#include "strutil.h"

/* Parses exactly max whitespace-separated decimal numbers, as a sysctl file holds them. */
int sysctl_parse_numbers(const char *buf, size_t len, uint64_t *v, size_t max)
{
	const char *p = buf, *end = buf + len;
	size_t n = 0;

	while (n < max) {
		const char *s;

		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
			p++;
		s = p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		if (mem_to_u64(s, (size_t)(p - s), &v[n]) < 0)
			break;
		n++;
	}
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
		p++;
	return n == max && p == end ? 0 : -EBADMSG;
}

/* Reads up to max whitespace-separated numbers from a sysctl file. */
static int read_numbers(const struct ipcadm_ctx *ctx, const char *path, uint64_t *v, size_t max)
{
	char *buf;
	size_t len;
	int r = read_file(ctx, path, &buf, &len);

	if (r < 0)
		return r;
	r = sysctl_parse_numbers(buf, len, v, max);
	free(buf);
	return r;
}

static void read_one(const struct ipcadm_ctx *ctx, const char *path, uint64_t *v)
{
	if (read_numbers(ctx, path, v, 1) < 0)
		*v = IPCADM_UNKNOWN;
}

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

/* Without /proc/sys (a minimal container), IPC_INFO tells the same limits. */
static void fill_from_ipc_info(struct ipcadm_limits *lim)
{
	struct shminfo shi;
	struct seminfo sei;
	struct msginfo mi;
	union semun arg = { .__buf = &sei };

	if (shmctl(0, IPC_INFO, (struct shmid_ds *)(void *)&shi) >= 0) {
		if (lim->shmmax == IPCADM_UNKNOWN)
			lim->shmmax = shi.shmmax;
		if (lim->shmall == IPCADM_UNKNOWN)
			lim->shmall = shi.shmall;
		if (lim->shmmni == IPCADM_UNKNOWN)
			lim->shmmni = shi.shmmni;
	}
	if (semctl(0, 0, IPC_INFO, arg) >= 0 && lim->semmni == IPCADM_UNKNOWN) {
		lim->semmsl = (uint64_t)sei.semmsl;
		lim->semmns = (uint64_t)sei.semmns;
		lim->semopm = (uint64_t)sei.semopm;
		lim->semmni = (uint64_t)sei.semmni;
	}
	if (msgctl(0, IPC_INFO, (struct msqid_ds *)(void *)&mi) >= 0) {
		if (lim->msgmax == IPCADM_UNKNOWN)
			lim->msgmax = (uint64_t)mi.msgmax;
		if (lim->msgmnb == IPCADM_UNKNOWN)
			lim->msgmnb = (uint64_t)mi.msgmnb;
		if (lim->msgmni == IPCADM_UNKNOWN)
			lim->msgmni = (uint64_t)mi.msgmni;
	}
}

int ipcadm_limits_read(const struct ipcadm_ctx *ctx, struct ipcadm_limits *lim)
{
	uint64_t sem[4];
	long page = sysconf(_SC_PAGESIZE);

	read_one(ctx, "/proc/sys/kernel/shmmax", &lim->shmmax);
	read_one(ctx, "/proc/sys/kernel/shmall", &lim->shmall);
	read_one(ctx, "/proc/sys/kernel/shmmni", &lim->shmmni);
	read_one(ctx, "/proc/sys/kernel/shm_rmid_forced", &lim->shm_rmid_forced);
	read_one(ctx, "/proc/sys/kernel/msgmax", &lim->msgmax);
	read_one(ctx, "/proc/sys/kernel/msgmnb", &lim->msgmnb);
	read_one(ctx, "/proc/sys/kernel/msgmni", &lim->msgmni);
	if (read_numbers(ctx, "/proc/sys/kernel/sem", sem, 4) == 0) {
		lim->semmsl = sem[0];
		lim->semmns = sem[1];
		lim->semopm = sem[2];
		lim->semmni = sem[3];
	} else {
		lim->semmsl = lim->semmns = lim->semopm = lim->semmni = IPCADM_UNKNOWN;
	}
	if (ctx->live)
		fill_from_ipc_info(lim);
	lim->page_size = page > 0 ? (uint64_t)page : 4096;
	return 0;
}

static uint64_t capped(uint64_t v)
{
	return v == IPCADM_UNKNOWN || v > IPCADM_IPCMNI ? (v == IPCADM_UNKNOWN ? v : IPCADM_IPCMNI)
							 : v;
}

uint64_t ipcadm_limits_shm_segs(const struct ipcadm_limits *lim)
{
	return capped(lim->shmmni);
}

uint64_t ipcadm_limits_sem_sets(const struct ipcadm_limits *lim)
{
	return capped(lim->semmni);
}

uint64_t ipcadm_limits_msg_queues(const struct ipcadm_limits *lim)
{
	return capped(lim->msgmni);
}

uint64_t ipcadm_shm_pages(uint64_t size, uint64_t page_size)
{
	return size / page_size + (size % page_size != 0);
}
