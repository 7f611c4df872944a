/* limits.c: every limit's facts in one table; the System V ones read from /proc/sys/kernel
 * (or the *_INFO calls); one accessor for a limit's value and its usage. */
#include "internal.h"

#include <errno.h>
#include <stddef.h>
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

/* Without /proc/sys (a minimal container), IPC_INFO tells the same limits. */
static void fill_from_ipc_info(struct ipcadm_limits *lim)
{
	struct shminfo shi;
	struct seminfo sei;
	struct msginfo mi;

	if (syscall_ctl(IPCADM_SHM, 0, IPC_INFO, &shi) >= 0) {
		if (lim->shmmax == IPCADM_UNKNOWN)
			lim->shmmax = shi.shmmax;
		if (lim->shmall == IPCADM_UNKNOWN)
			lim->shmall = shi.shmall;
		if (lim->shmmni == IPCADM_UNKNOWN)
			lim->shmmni = shi.shmmni;
	}
	if (syscall_ctl(IPCADM_SEM, 0, IPC_INFO, &sei) >= 0 &&
	    lim->semmni == IPCADM_UNKNOWN) {
		lim->semmsl = (uint64_t)sei.semmsl;
		lim->semmns = (uint64_t)sei.semmns;
		lim->semopm = (uint64_t)sei.semopm;
		lim->semmni = (uint64_t)sei.semmni;
	}
	if (syscall_ctl(IPCADM_MSG, 0, IPC_INFO, &mi) >= 0) {
		if (lim->msgmax == IPCADM_UNKNOWN)
			lim->msgmax = (uint64_t)mi.msgmax;
		if (lim->msgmnb == IPCADM_UNKNOWN)
			lim->msgmnb = (uint64_t)mi.msgmnb;
		if (lim->msgmni == IPCADM_UNKNOWN)
			lim->msgmni = (uint64_t)mi.msgmni;
	}
}

/* Where a limit's value and usage are in a snapshot; 0 (the object arrays) for nowhere. */
#define AT(field) offsetof(struct ipcadm_snapshot, field)
_Static_assert(AT(limits) > 0 && AT(usage) > 0 && AT(plimits) > 0, "0 means nowhere");

struct limit_row {
	struct ipcadm_limit_info info;
	const char *path; /* the file of a kernel.* sysctl that ipcadm_limits_read reads */
	size_t value_at; /* 0: the constant */
	uint64_t constant;
	size_t used_at; /* 0: not counted */
};

/* A kernel.* sysctl: its name and its file, with the limit's field of nfields numbers. */
#define KERNEL(n, f, nf) \
	.info.sysctl = "kernel." n, .path = "/proc/sys/kernel/" n, .info.field = f, \
	.info.nfields = nf

/*
 * Every limit's facts: the one table. A kernel.* sysctl's value, in struct ipcadm_limits,
 * is read by ipcadm_limits_read (the rows of one sysctl adjacent); the fs.mqueue and
 * /dev/shm values are read with the POSIX kinds (posix-read.c).
 */
static const struct limit_row rows[IPCADM_NLIMITS] = {
	[IPCADM_LIMIT_SHMMNI] = {
		.info.name = "SHMMNI", .info.desc = "Shared memory segments", KERNEL("shmmni", 0, 1),
		.info.unit = "shared memory segments", .info.kind = IPCADM_SHM,
		.info.call = "shmget", .info.count = IPCADM_COUNT_OBJECTS,
		.info.cap = IPCADM_IPCMNI, .info.sysctl_max = IPCADM_IPCMNI,
		.info.flags = IPCADM_LIMIT_CHECKED,
		.value_at = AT(limits.shmmni), .used_at = AT(usage.shm_segs),
	},
	[IPCADM_LIMIT_SHMALL] = {
		.info.name = "SHMALL", .info.desc = "Shared memory pages", KERNEL("shmall", 0, 1),
		.info.unit = "pages", .info.kind = IPCADM_SHM, .info.call = "shmget",
		.info.count = IPCADM_COUNT_PAGES, .info.sysctl_max = UINT64_MAX / 4,
		.info.metric = "ipcadm_shm_pages_limit",
		.info.metric_help = "kernel.shmall: the most pages all segments may take.",
		.info.flags = IPCADM_LIMIT_CHECKED,
		.value_at = AT(limits.shmall), .used_at = AT(usage.shm_pages),
	},
	[IPCADM_LIMIT_SHMMAX] = {
		.info.name = "SHMMAX", .info.desc = "Max size of a segment (bytes)",
		KERNEL("shmmax", 0, 1), .info.unit = "bytes", .info.kind = IPCADM_SHM,
		.info.call = "shmget", .info.metric = "ipcadm_shm_segment_size_limit_bytes",
		.info.metric_help = "kernel.shmmax: the largest segment.",
		.info.flags = IPCADM_LIMIT_CHECKED,
		.value_at = AT(limits.shmmax),
	},
	[IPCADM_LIMIT_SHMMIN] = {
		.info.name = "SHMMIN", .info.desc = "Min size of a segment (bytes)",
		.info.unit = "bytes", .info.kind = IPCADM_SHM, .info.call = "shmget",
		.constant = 1,
	},
	[IPCADM_LIMIT_SHM_RMID_FORCED] = {
		.info.name = "SHM_RMID_FORCED",
		.info.desc = "Destroy segments when their last user detaches",
		KERNEL("shm_rmid_forced", 0, 1), .info.kind = IPCADM_SHM, .info.sysctl_max = 1,
		.info.metric = "ipcadm_shm_rmid_forced",
		.info.metric_help = "kernel.shm_rmid_forced: 1 when segments are destroyed at "
				    "their last detach.",
		.info.flags = IPCADM_LIMIT_CHECKED,
		.value_at = AT(limits.shm_rmid_forced),
	},
	[IPCADM_LIMIT_SEMMNI] = {
		.info.name = "SEMMNI", .info.desc = "Semaphore arrays", KERNEL("sem", 3, 4),
		.info.unit = "semaphore arrays", .info.kind = IPCADM_SEM, .info.call = "semget",
		.info.count = IPCADM_COUNT_OBJECTS, .info.cap = IPCADM_IPCMNI,
		.info.sysctl_max = IPCADM_IPCMNI, .info.flags = IPCADM_LIMIT_CHECKED,
		.value_at = AT(limits.semmni), .used_at = AT(usage.sem_sets),
	},
	[IPCADM_LIMIT_SEMMNS] = {
		.info.name = "SEMMNS", .info.desc = "Semaphores in all arrays", KERNEL("sem", 1, 4),
		.info.unit = "semaphores", .info.kind = IPCADM_SEM, .info.call = "semget",
		.info.count = IPCADM_COUNT_SEMS, .info.sysctl_max = INT32_MAX,
		.info.metric = "ipcadm_sem_semaphores_limit",
		.info.metric_help = "SEMMNS: the most semaphores in all arrays.",
		.info.flags = IPCADM_LIMIT_CHECKED,
		.value_at = AT(limits.semmns), .used_at = AT(usage.sem_sems),
	},
	[IPCADM_LIMIT_SEMMSL] = {
		.info.name = "SEMMSL", .info.desc = "Max semaphores per array", KERNEL("sem", 0, 4),
		.info.unit = "semaphores", .info.kind = IPCADM_SEM, .info.call = "semget",
		.info.metric = "ipcadm_sem_array_semaphores_limit",
		.info.metric_help = "SEMMSL: the most semaphores an array has.",
		.value_at = AT(limits.semmsl),
	},
	[IPCADM_LIMIT_SEMOPM] = {
		.info.name = "SEMOPM", .info.desc = "Max operations per semop(2)",
		KERNEL("sem", 2, 4), .info.unit = "operations", .info.kind = IPCADM_SEM,
		.info.call = "semop", .info.metric = "ipcadm_sem_operations_limit",
		.info.metric_help = "SEMOPM: the most operations one semop takes.",
		.value_at = AT(limits.semopm),
	},
	[IPCADM_LIMIT_SEMVMX] = {
		.info.name = "SEMVMX", .info.desc = "Max semaphore value",
		.info.unit = "semaphore value", .info.kind = IPCADM_SEM, .info.call = "semop",
		.constant = 32767,
	},
	[IPCADM_LIMIT_MSGMNI] = {
		.info.name = "MSGMNI", .info.desc = "Message queues", KERNEL("msgmni", 0, 1),
		.info.unit = "message queues", .info.kind = IPCADM_MSG, .info.call = "msgget",
		.info.count = IPCADM_COUNT_OBJECTS, .info.cap = IPCADM_IPCMNI,
		.info.sysctl_max = IPCADM_IPCMNI, .info.flags = IPCADM_LIMIT_CHECKED,
		.value_at = AT(limits.msgmni), .used_at = AT(usage.msg_queues),
	},
	[IPCADM_LIMIT_MSGMAX] = {
		.info.name = "MSGMAX", .info.desc = "Max size of a message (bytes)",
		KERNEL("msgmax", 0, 1), .info.unit = "bytes", .info.kind = IPCADM_MSG,
		.info.call = "msgsnd", .info.metric = "ipcadm_msg_message_size_limit_bytes",
		.info.metric_help = "kernel.msgmax: the largest message.",
		.value_at = AT(limits.msgmax),
	},
	[IPCADM_LIMIT_MSGMNB] = {
		.info.name = "MSGMNB", .info.desc = "Default max size of a queue (bytes)",
		KERNEL("msgmnb", 0, 1), .info.unit = "bytes", .info.kind = IPCADM_MSG,
		.info.call = "msgsnd", .info.metric = "ipcadm_msg_queue_size_default_bytes",
		.info.metric_help = "kernel.msgmnb: the bytes a new queue may hold.",
		.value_at = AT(limits.msgmnb),
	},
	[IPCADM_LIMIT_IPCMNI] = {
		.info.name = "IPCMNI", .info.desc = "Max identifiers of each kind",
		.info.unit = "identifiers", .info.kind = IPCADM_NALL_KINDS,
		.constant = IPCADM_IPCMNI,
	},
	[IPCADM_LIMIT_MQ_QUEUES_MAX] = {
		.info.name = "MQ_QUEUES_MAX", .info.desc = "POSIX message queues",
		.info.sysctl = "fs.mqueue.queues_max", .info.nfields = 1,
		.info.unit = "POSIX message queues", .info.kind = IPCADM_PMQ,
		.info.call = "mq_open", .info.count = IPCADM_COUNT_OBJECTS,
		.value_at = AT(plimits.queues_max), .used_at = AT(plimits.queues),
	},
	[IPCADM_LIMIT_MQ_MSG_MAX] = {
		.info.name = "MQ_MSG_MAX", .info.desc = "Max messages in a POSIX queue",
		.info.sysctl = "fs.mqueue.msg_max", .info.nfields = 1, .info.unit = "messages",
		.info.kind = IPCADM_PMQ, .info.call = "mq_open",
		.info.metric = "ipcadm_mq_messages_limit",
		.info.metric_help = "fs.mqueue.msg_max: the most messages a queue holds.",
		.value_at = AT(plimits.msg_max),
	},
	[IPCADM_LIMIT_MQ_MSGSIZE_MAX] = {
		.info.name = "MQ_MSGSIZE_MAX", .info.desc = "Max size of a POSIX message (bytes)",
		.info.sysctl = "fs.mqueue.msgsize_max", .info.nfields = 1, .info.unit = "bytes",
		.info.kind = IPCADM_PMQ, .info.call = "mq_open",
		.info.metric = "ipcadm_mq_message_size_limit_bytes",
		.info.metric_help = "fs.mqueue.msgsize_max: the largest POSIX message.",
		.value_at = AT(plimits.msgsize_max),
	},
	[IPCADM_LIMIT_DEV_SHM] = {
		.info.name = "DEV_SHM", .info.desc = "Bytes of the /dev/shm tmpfs (SIGBUS if full)",
		.info.unit = "bytes", .info.kind = IPCADM_NALL_KINDS,
		.info.count = IPCADM_COUNT_BYTES, .info.metric = "ipcadm_dev_shm_size_bytes",
		.info.metric_help = "The size of the /dev/shm tmpfs.",
		.value_at = AT(plimits.shm_size), .used_at = AT(plimits.shm_used),
	},
};

const struct ipcadm_limit_info *ipcadm_limit_info(enum ipcadm_limit id)
{
	return (unsigned int)id < IPCADM_NLIMITS ? &rows[id].info : NULL;
}

const char *ipcadm_limit_name(enum ipcadm_limit id)
{
	return (unsigned int)id < IPCADM_NLIMITS ? rows[id].info.name : NULL;
}

static uint64_t at(const struct ipcadm_snapshot *snap, size_t off)
{
	uint64_t v;

	memcpy(&v, (const char *)snap + off, sizeof(v));
	return v;
}

int ipcadm_limit_get(const struct ipcadm_snapshot *snap, enum ipcadm_limit id,
		     struct ipcadm_limit_value *v)
{
	const struct limit_row *r;

	if (snap == NULL || v == NULL || (unsigned int)id >= IPCADM_NLIMITS)
		return -EINVAL;
	r = &rows[id];
	v->value = r->value_at ? at(snap, r->value_at) : r->constant;
	v->limit = r->info.cap && v->value != IPCADM_UNKNOWN && v->value > r->info.cap
			   ? r->info.cap
			   : v->value;
	v->used = r->used_at ? at(snap, r->used_at) : IPCADM_UNKNOWN;
	return 0;
}

/* The field of struct ipcadm_limits a kernel.* sysctl row's value is read into, or NULL. */
static uint64_t *sysv_value(struct ipcadm_limits *lim, const struct limit_row *r)
{
	if (r->path == NULL || r->value_at < AT(limits) ||
	    r->value_at >= AT(limits) + sizeof(*lim))
		return NULL;
	return (uint64_t *)(void *)((char *)lim + (r->value_at - AT(limits)));
}

int ipcadm_limits_read(const struct ipcadm_ctx *ctx, struct ipcadm_limits *lim)
{
	const char *cur = NULL;
	uint64_t v[4];
	long page = sysconf(_SC_PAGESIZE);
	int r = 0;

	for (size_t i = 0; i < IPCADM_NLIMITS; i++) {
		const struct limit_row *row = &rows[i];
		uint64_t *dst = sysv_value(lim, row);

		if (dst == NULL)
			continue;
		/* the rows of one sysctl (kernel.sem) are adjacent: one read for all */
		if (cur != row->path && (cur == NULL || strcmp(cur, row->path) != 0)) {
			cur = row->path;
			r = row->info.nfields <= 4 ? read_numbers(ctx, cur, v, row->info.nfields)
						   : -EINVAL;
		}
		*dst = r == 0 ? v[row->info.field] : IPCADM_UNKNOWN;
	}
	if (ctx->live)
		fill_from_ipc_info(lim);
	lim->page_size = page > 0 ? (uint64_t)page : 4096;
	return 0;
}

uint64_t ipcadm_shm_pages(uint64_t size, uint64_t page_size)
{
	return size / page_size + (size % page_size != 0);
}
