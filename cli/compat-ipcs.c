/* compat-ipcs.c: the ipcadm binary run as `ipcs`: util-linux 2.38.1's output byte for
 * byte, from one snapshot with cached names; the -u numbers counted as the kernel does. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/shm.h>
#include <unistd.h>

#include "compat.h"
#include "escape.h"
#include "ipcadm-cli.h"
#include "obuf.h"
#include "strutil.h"

enum format { F_DEFAULT, F_LIMITS, F_STATUS, F_CREATOR, F_TIME, F_PID };
enum unit { U_DEFAULT, U_KB, U_BYTES, U_HUMAN };

struct ipcs {
	struct ipcadm_ctx *ctx;
	const struct ipcadm_snapshot *snap;
	enum format format;
	enum unit unit;
};

static void ipcs_usage(void)
{
	obuf_printf(out,
		    "\nUsage:\n"
		    " %1$s [resource-option...] [output-option]\n"
		    " %1$s -m|-q|-s -i <id>\n"
		    "\nShow information on IPC facilities.\n"
		    "\nOptions:\n"
		    " -i, --id <id>  print details on resource identified by <id>\n"
		    " -h, --help     display this help\n"
		    " -V, --version  display version\n"
		    "\nResource options:\n"
		    " -m, --shmems      shared memory segments\n"
		    " -q, --queues      message queues\n"
		    " -s, --semaphores  semaphores\n"
		    " -a, --all         all (default)\n"
		    "\nOutput options:\n"
		    " -t, --time        show attach, detach and change times\n"
		    " -p, --pid         show PIDs of creator and last operator\n"
		    " -c, --creator     show creator and owner\n"
		    " -l, --limits      show resource limits\n"
		    " -u, --summary     show status summary\n"
		    "     --human       show sizes in human-readable format\n"
		    " -b, --bytes       show sizes in bytes\n"
		    "\nFor more details see ipcs(1).\n",
		    progname);
}

/*
 * util-linux's ipc_print_size: an optional "MSG (bytes) = " label, the value in the
 * unit, padded to width (negative: left-aligned), then end.
 */
static void print_size(enum unit unit, const char *msg, uint64_t size, const char *end,
		       int width)
{
	char num[64];

	if (msg == NULL)
		;
	else if (msg[strlen(msg) - 1] == '=')
		obuf_puts(out, msg);
	else if (unit == U_BYTES)
		obuf_printf(out, "%s (bytes) = ", msg);
	else if (unit == U_KB)
		obuf_printf(out, "%s (kbytes) = ", msg);
	else
		obuf_printf(out, "%s = ", msg);
	if (unit == U_HUMAN)
		num[fmt_size_human(num, size)] = '\0';
	else
		snprintf(num, sizeof(num), "%" PRIu64, unit == U_KB ? size / 1024 : size);
	obuf_printf(out, "%*s", width, num);
	if (end)
		obuf_puts(out, end);
}

/* A user or group name as every text of ipcadm shows it: util-linux's ipcs prints it raw,
 * but a name from a directory service may hold a terminal's escape sequence. */
static const char *shown(const char *name, char *buf, size_t cap)
{
	if (name == NULL || !esc_needed(name, strlen(name), 0))
		return name;
	esc_str(buf, cap, name, 0);
	return buf;
}

/* "%-10.10s" of the name, or "%-10u" of the id when it has none. */
static void print_owner(struct ipcs *s, int idwidth, int id, uid_t uid)
{
	char buf[1024];
	const char *name = shown(ipcadm_user_name(s->ctx, uid), buf, sizeof(buf));

	if (name)
		obuf_printf(out, "%-*d %-10.10s", idwidth, id, name);
	else
		obuf_printf(out, "%-*d %-10u", idwidth, id, (unsigned int)uid);
}

static void print_name(const char *raw, unsigned int id, const char *end)
{
	char buf[1024];
	const char *name = shown(raw, buf, sizeof(buf));

	if (name)
		obuf_printf(out, " %-10s%s", name, end);
	else
		obuf_printf(out, " %-10u%s", id, end);
}

/* The -c row: creator and owner, names not truncated (as 2.38 prints them). */
static void print_perms(struct ipcs *s, const struct ipcadm_obj *o)
{
	obuf_printf(out, "%-10d %-10o", o->id, o->mode & 0777);
	print_name(ipcadm_user_name(s->ctx, o->cuid), o->cuid, "");
	print_name(ipcadm_group_name(s->ctx, o->cgid), o->cgid, "");
	print_name(ipcadm_user_name(s->ctx, o->uid), o->uid, "");
	print_name(ipcadm_group_name(s->ctx, o->gid), o->gid, "\n");
}

/* ctime(3) without the weekday, or "Not set": the -t columns of shm and msg. */
static void print_short_time(int64_t t, const char *end)
{
	char buf[32];

	obuf_printf(out, " %-20.16s%s", t ? compat_ctime(t, buf) + 4 : "Not set", end);
}

static const char *full_time(int64_t t, char buf[32], bool not_set)
{
	return t || !not_set ? compat_ctime(t, buf) : "Not set";
}

static size_t count(struct ipcs *s, enum ipcadm_kind k)
{
	return ipcadm_snapshot_count(s->snap, k);
}

/*
 * SHMMAX and SHMALL; false when unknown. The library takes ULONG_MAX, a value the kernel
 * accepts for both, for "unknown"; 2.38 prints it, so here the kernel's IPC_INFO (what
 * 2.38 falls back on) tells whether a limit really is ULONG_MAX.
 */
static bool shm_limits(uint64_t *shmmax, uint64_t *shmall)
{
	struct shminfo info;

	if (*shmmax != IPCADM_UNKNOWN && *shmall != IPCADM_UNKNOWN)
		return true;
	if (shmctl(0, IPC_INFO, (struct shmid_ds *)(void *)&info) < 0)
		return false;
	*shmmax = info.shmmax;
	*shmall = info.shmall;
	return true;
}

/*
 * pages * unit, clamped as 2.38 clamps SHMALL's total where it passes 64 bits: to the
 * largest multiple of unit (18446744073709551612 kbytes with 4 KiB pages). The exact
 * figure is in `ipcadm limits`.
 */
static uint64_t clamped_product(uint64_t pages, uint64_t unit)
{
	if (unit && pages > UINT64_MAX / unit)
		return UINT64_MAX - UINT64_MAX % unit;
	return pages * unit;
}

/* How 2.38 prints a limit: as an int, a 64-bit number, a size or a total of pages. */
enum ipcs_style { ST_INT, ST_U64, ST_BYTES, ST_KBYTES, ST_PAGES };

/* ipcs -l: 2.38's words for the library's limits, kind by kind, in its order. */
static const struct ipcs_limit_line {
	enum ipcadm_kind kind;
	enum ipcadm_limit id;
	const char *label;
	enum ipcs_style style;
} ipcs_limit_lines[] = {
	{ IPCADM_MSG, IPCADM_LIMIT_MSGMNI, "max queues system wide", ST_INT },
	{ IPCADM_MSG, IPCADM_LIMIT_MSGMAX, "max size of message", ST_BYTES },
	{ IPCADM_MSG, IPCADM_LIMIT_MSGMNB, "default max size of queue", ST_BYTES },
	{ IPCADM_SHM, IPCADM_LIMIT_SHMMNI, "max number of segments", ST_U64 },
	{ IPCADM_SHM, IPCADM_LIMIT_SHMMAX, "max seg size", ST_KBYTES },
	{ IPCADM_SHM, IPCADM_LIMIT_SHMALL, "max total shared memory", ST_PAGES },
	{ IPCADM_SHM, IPCADM_LIMIT_SHMMIN, "min seg size", ST_BYTES },
	{ IPCADM_SEM, IPCADM_LIMIT_SEMMNI, "max number of arrays", ST_INT },
	{ IPCADM_SEM, IPCADM_LIMIT_SEMMSL, "max semaphores per array", ST_INT },
	{ IPCADM_SEM, IPCADM_LIMIT_SEMMNS, "max semaphores system wide", ST_INT },
	{ IPCADM_SEM, IPCADM_LIMIT_SEMOPM, "max ops per semop call", ST_INT },
	{ IPCADM_SEM, IPCADM_LIMIT_SEMVMX, "semaphore max value", ST_INT },
};

#define NLINES (sizeof(ipcs_limit_lines) / sizeof(ipcs_limit_lines[0]))

static void print_limit_line(const struct ipcs *s, const struct ipcs_limit_line *line,
			     uint64_t v)
{
	uint64_t page = ipcadm_snapshot_limits(s->snap)->page_size;
	enum unit u = s->unit;
	char label[64];

	switch (line->style) {
	case ST_INT:
		obuf_printf(out, "%s = %d\n", line->label, (int)v);
		break;
	case ST_U64:
		obuf_printf(out, "%s = %" PRIu64 "\n", line->label, v);
		break;
	case ST_BYTES:
		print_size(u == U_DEFAULT ? U_BYTES : u, line->label, v, "\n", 0);
		break;
	case ST_KBYTES:
		print_size(u == U_DEFAULT ? U_KB : u, line->label, v, "\n", 0);
		break;
	case ST_PAGES:
		if (u == U_KB || u == U_DEFAULT) {
			snprintf(label, sizeof(label), "%s (kbytes)", line->label);
			print_size(U_DEFAULT, label, clamped_product(v, page / 1024), "\n", 0);
		} else {
			print_size(u, line->label, clamped_product(v, page), "\n", 0);
		}
		break;
	}
}

/* The "------ Messages Limits --------" block, or "unable to fetch message limits". */
static void print_limits_of(const struct ipcs *s, enum ipcadm_kind kind)
{
	static const char *const title[IPCADM_NSYSV_KINDS] = { "Shared Memory", "Semaphore",
								"Messages" };
	static const char *const what[IPCADM_NSYSV_KINDS] = { "shared memory", "semaphore",
							       "message" };
	uint64_t v[NLINES], *shmmax = NULL, *shmall = NULL;
	bool known = true;

	for (size_t i = 0; i < NLINES; i++) {
		struct ipcadm_limit_value lv;

		if (ipcs_limit_lines[i].kind != kind)
			continue;
		v[i] = ipcadm_limit_get(s->snap, ipcs_limit_lines[i].id, &lv) == 0 ? lv.value
										   : IPCADM_UNKNOWN;
		if (ipcs_limit_lines[i].id == IPCADM_LIMIT_SHMMAX)
			shmmax = &v[i];
		else if (ipcs_limit_lines[i].id == IPCADM_LIMIT_SHMALL)
			shmall = &v[i];
		else if (v[i] == IPCADM_UNKNOWN)
			known = false;
	}
	if (known && shmmax && shmall)
		known = shm_limits(shmmax, shmall);
	if (!known) {
		obuf_printf(out, "unable to fetch %s limits\n", what[kind]);
		return;
	}
	obuf_printf(out, "------ %s Limits --------\n", title[kind]);
	for (size_t i = 0; i < NLINES; i++)
		if (ipcs_limit_lines[i].kind == kind)
			print_limit_line(s, &ipcs_limit_lines[i], v[i]);
}

static void msg_status(const struct ipcs *s)
{
	const struct ipcadm_usage *use = ipcadm_snapshot_usage(s->snap);

	obuf_printf(out, "allocated queues = %d\n"
			 "used headers = %d\n",
		    (int)use->msg_queues, (int)use->msg_msgs);
	print_size(s->unit, "used space", use->msg_bytes,
		   s->unit == U_DEFAULT ? " bytes\n" : "\n", 0);
}

static void shm_status(const struct ipcs *s)
{
	const struct ipcadm_usage *use = ipcadm_snapshot_usage(s->snap);
	uint64_t page = ipcadm_snapshot_limits(s->snap)->page_size;

	obuf_printf(out,
		    "segments allocated %d\n"
		    "pages allocated %ld\n"
		    "pages resident  %ld\n"
		    "pages swapped   %ld\n"
		    "Swap performance: %ld attempts\t %ld successes\n",
		    (int)use->shm_segs, (long)use->shm_pages, (long)(use->shm_rss / page),
		    (long)(use->shm_swap / page), 0L, 0L);
}

static void sem_status(const struct ipcs *s)
{
	const struct ipcadm_usage *use = ipcadm_snapshot_usage(s->snap);

	obuf_printf(out, "used arrays = %d\n"
			 "allocated semaphores = %d\n",
		    (int)use->sem_sets, (int)use->sem_sems);
}

/* The start of a default row: "0x%08x " of the key, the ID and owner, " %-10o" of perms. */
static void print_key_owner_perms(struct ipcs *s, const struct ipcadm_obj *o)
{
	obuf_printf(out, "0x%08x ", (unsigned int)o->key);
	print_owner(s, 10, o->id, o->uid);
	obuf_printf(out, " %-10o", o->mode & 0777);
}

/* The -t row of shm and msg: two times of the kind's own, then the change time. */
static void print_short_times(struct ipcs *s, int idwidth, const struct ipcadm_obj *o,
			      int64_t t1, int64_t t2)
{
	print_owner(s, idwidth, o->id, o->uid);
	print_short_time(t1, "");
	print_short_time(t2, "");
	print_short_time(o->ctime, "\n");
}

static void msg_row(struct ipcs *s, const struct ipcadm_obj *o)
{
	switch (s->format) {
	case F_TIME:
		print_short_times(s, 8, o, o->stime, o->rtime);
		break;
	case F_PID:
		print_owner(s, 8, o->id, o->uid);
		obuf_printf(out, "  %5d     %5d\n", (int)o->lspid, (int)o->lrpid);
		break;
	default:
		print_key_owner_perms(s, o);
		obuf_putc(out, ' ');
		if (s->unit == U_HUMAN)
			print_size(s->unit, NULL, o->cbytes, "      ", 6);
		else
			print_size(s->unit, NULL, o->cbytes, NULL, -12);
		obuf_printf(out, " %-12" PRIu64 "\n", o->qnum);
		break;
	}
}

static void shm_row(struct ipcs *s, const struct ipcadm_obj *o)
{
	switch (s->format) {
	case F_TIME:
		print_short_times(s, 10, o, o->atime, o->dtime);
		break;
	case F_PID:
		print_owner(s, 10, o->id, o->uid);
		obuf_printf(out, " %-10u %-10u\n", (unsigned int)o->cpid, (unsigned int)o->lpid);
		break;
	default:
		print_key_owner_perms(s, o);
		obuf_putc(out, ' ');
		if (s->unit == U_HUMAN)
			print_size(s->unit, NULL, o->size, "    ", 6);
		else
			print_size(s->unit, NULL, o->size, NULL, -10);
		obuf_printf(out, " %-10" PRIu64 " %-6s %-6s\n", o->nattch,
			    o->mode & IPCADM_SHM_DEST ? "dest" : " ",
			    o->mode & IPCADM_SHM_LOCKED ? "locked" : " ");
		break;
	}
}

static void sem_row(struct ipcs *s, const struct ipcadm_obj *o)
{
	char b1[32], b2[32];

	switch (s->format) {
	case F_TIME:
		print_owner(s, 8, o->id, o->uid);
		obuf_printf(out, "  %-26.24s %-26.24s\n", full_time(o->otime, b1, true),
			    full_time(o->ctime, b2, true));
		break;
	default:
		print_key_owner_perms(s, o);
		obuf_printf(out, " %-10" PRIu64 "\n", o->nsems);
		break;
	}
}

/* A column of a table's header: its name ("%-*s" of width), another with --human. */
struct ipcs_col {
	const char *name, *human;
	int width;
};

/* A table's "------ TITLE --------" line and column names; no title: no table at all. */
struct ipcs_header {
	const char *title;
	struct ipcs_col cols[8];
};

#define COL(name, width) { name, NULL, width }
/* -c: the same columns for every kind */
#define CREATOR_COLS(id)                                                             \
	{ COL(id, 10), COL("perms", 10), COL("cuid", 10), COL("cgid", 10),            \
	  COL("uid", 10), COL("gid", 10) }

/*
 * 2.38's words for each kind: the -u title and numbers, and for every other format (but
 * -l) a header and a row for each object; the -c rows are the same for every kind.
 */
static const struct ipcs_kind {
	const char *status_title;
	void (*status)(const struct ipcs *s);
	void (*row)(struct ipcs *s, const struct ipcadm_obj *o);
	struct ipcs_header header[F_PID + 1];
} ipcs_kinds[IPCADM_NSYSV_KINDS] = {
	[IPCADM_SHM] = { "Shared Memory Status", shm_status, shm_row, {
		[F_DEFAULT] = { "Shared Memory Segments",
				{ COL("key", 10), COL("shmid", 10), COL("owner", 10),
				  COL("perms", 10), { "bytes", "size", 10 }, COL("nattch", 10),
				  COL("status", 12) } },
		[F_CREATOR] = { "Shared Memory Segment Creators/Owners",
				CREATOR_COLS("shmid") },
		[F_TIME] = { "Shared Memory Attach/Detach/Change Times",
			     { COL("shmid", 10), COL("owner", 10), COL("attached", 20),
			       COL("detached", 20), COL("changed", 20) } },
		[F_PID] = { "Shared Memory Creator/Last-op PIDs",
			    { COL("shmid", 10), COL("owner", 10), COL("cpid", 10),
			      COL("lpid", 10) } },
	} },
	[IPCADM_SEM] = { "Semaphore Status", sem_status, sem_row, {
		[F_DEFAULT] = { "Semaphore Arrays",
				{ COL("key", 10), COL("semid", 10), COL("owner", 10),
				  COL("perms", 10), COL("nsems", 10) } },
		[F_CREATOR] = { "Semaphore Arrays Creators/Owners",
				CREATOR_COLS("semid") },
		[F_TIME] = { "Semaphore Operation/Change Times",
			     { COL("semid", 8), COL("owner", 10), COL("last-op", 26),
			       COL("last-changed", 26) } },
		/* no -p: 2.38 prints neither header nor rows (the PIDs: `ipcadm show`) */
	} },
	[IPCADM_MSG] = { "Messages Status", msg_status, msg_row, {
		[F_DEFAULT] = { "Message Queues",
				{ COL("key", 10), COL("msqid", 10), COL("owner", 10),
				  COL("perms", 10), { "used-bytes", "size", 12 },
				  COL("messages", 12) } },
		[F_CREATOR] = { "Message Queues Creators/Owners",
				CREATOR_COLS("msqid") },
		[F_TIME] = { "Message Queues Send/Recv/Change Times",
			     { COL("msqid", 8), COL("owner", 10), COL("send", 20),
			       COL("recv", 20), COL("change", 20) } },
		[F_PID] = { "Message Queues PIDs",
			    { COL("msqid", 10), COL("owner", 10), COL("lspid", 10),
			      COL("lrpid", 10) } },
	} },
};

#undef CREATOR_COLS
#undef COL

/* One kind's block of ipcs: its limits, its status, or a table of its objects. */
static void print_kind(struct ipcs *s, enum ipcadm_kind kind)
{
	const struct ipcs_kind *k = &ipcs_kinds[kind];
	const struct ipcs_header *h = &k->header[s->format];

	if (s->format == F_LIMITS) {
		print_limits_of(s, kind);
		return;
	}
	if (s->format == F_STATUS) {
		obuf_printf(out, "------ %s --------\n", k->status_title);
		k->status(s);
		return;
	}
	if (h->title == NULL)
		return;
	obuf_printf(out, "------ %s --------\n", h->title);
	for (const struct ipcs_col *c = h->cols; c->name; c++)
		obuf_printf(out, "%s%-*s", c == h->cols ? "" : " ", c->width,
			    c->human && s->unit == U_HUMAN ? c->human : c->name);
	obuf_putc(out, '\n');
	for (size_t i = 0; i < count(s, kind); i++) {
		const struct ipcadm_obj *o = ipcadm_snapshot_obj(s->snap, kind, i);

		if (s->format == F_CREATOR)
			print_perms(s, o);
		else
			k->row(s, o);
	}
}

static int shm_detail(struct ipcs *s, int id, const struct ipcadm_obj *o)
{
	char b[32];

	obuf_printf(out,
		    "\nShared memory Segment shmid=%d\n"
		    "uid=%u\tgid=%u\tcuid=%u\tcgid=%u\n"
		    "mode=%#o\taccess_perms=%#o\n",
		    id, (unsigned int)o->uid, (unsigned int)o->gid, (unsigned int)o->cuid,
		    (unsigned int)o->cgid, o->mode, o->mode & 0777);
	print_size(s->unit, s->unit == U_HUMAN ? "size=" : "bytes=", o->size, "\t", 0);
	obuf_printf(out, "lpid=%u\tcpid=%u\tnattch=%" PRId64 "\n", (unsigned int)o->lpid,
		    (unsigned int)o->cpid, (int64_t)o->nattch);
	obuf_printf(out, "att_time=%-26.24s\n", full_time(o->atime, b, true));
	obuf_printf(out, "det_time=%-26.24s\n", full_time(o->dtime, b, true));
	obuf_printf(out, "change_time=%-26.24s\n\n", full_time(o->ctime, b, false));
	return 0;
}

/* qbytes as 2.38 reads it: with IPC_STAT, which needs read permission; 0 without it. */
static uint64_t msg_qbytes(int id)
{
	struct msqid_ds ds;

	if (msgctl(id, IPC_STAT, &ds) < 0)
		return 0;
	return ds.msg_qbytes;
}

static int msg_detail(struct ipcs *s, int id, const struct ipcadm_obj *o)
{
	char b[32];

	obuf_printf(out,
		    "\nMessage Queue msqid=%d\n"
		    "uid=%u\tgid=%u\tcuid=%u\tcgid=%u\tmode=%#o\n",
		    id, (unsigned int)o->uid, (unsigned int)o->gid, (unsigned int)o->cuid,
		    (unsigned int)o->cgid, o->mode);
	print_size(s->unit, s->unit == U_HUMAN ? "csize=" : "cbytes=", o->cbytes, "\t", 0);
	print_size(s->unit, s->unit == U_HUMAN ? "qsize=" : "qbytes=", msg_qbytes(id), "\t", 0);
	obuf_printf(out, "qnum=%" PRId64 "\tlspid=%d\tlrpid=%d\n", (int64_t)o->qnum,
		    (int)o->lspid, (int)o->lrpid);
	obuf_printf(out, "send_time=%-26.24s\n", full_time(o->stime, b, true));
	obuf_printf(out, "rcv_time=%-26.24s\n", full_time(o->rtime, b, true));
	obuf_printf(out, "change_time=%-26.24s\n\n", full_time(o->ctime, b, true));
	return 0;
}

static int sem_detail(int id, const struct ipcadm_obj *o)
{
	char b[32];

	if (o->sems == NULL && o->nsems > 0) {
		/* 2.38 stops at the first value it cannot read, before printing anything */
		compat_warn(o->sems_err ? -o->sems_err : EIO, "%s failed", "semctl(GETVAL)");
		return -1;
	}
	obuf_printf(out,
		    "\nSemaphore Array semid=%d\n"
		    "uid=%u\t gid=%u\t cuid=%u\t cgid=%u\n"
		    "mode=%#o, access_perms=%#o\n"
		    "nsems = %" PRIu64 "\n",
		    id, (unsigned int)o->uid, (unsigned int)o->gid, (unsigned int)o->cuid,
		    (unsigned int)o->cgid, o->mode, o->mode & 0777, o->nsems);
	obuf_printf(out, "otime = %-26.24s\n", full_time(o->otime, b, true));
	obuf_printf(out, "ctime = %-26.24s\n", full_time(o->ctime, b, false));
	obuf_printf(out, "%-10s %-10s %-10s %-10s %-10s\n", "semnum", "value", "ncount", "zcount",
		    "pid");
	for (size_t i = 0; i < o->nsems; i++)
		obuf_printf(out, "%-10zu %-10d %-10d %-10d %-10d\n", i, o->sems[i].value,
			    o->sems[i].ncnt, o->sems[i].zcnt, (int)o->sems[i].pid);
	obuf_putc(out, '\n');
	return 0;
}

/* ipcs -i: one object in full; 0 when printed or not found (a warning), -1 failed. */
static int print_one(struct ipcs *s, enum ipcadm_kind kind, int id)
{
	struct ipcadm_obj o;
	int r;

	/* 2.38 printed the first object for a negative ID; no ID is negative. */
	r = id < 0 ? -ENOENT
		   : ipcadm_obj_read(s->ctx, kind, id,
				     kind == IPCADM_SEM ? IPCADM_READ_SEMVALS : 0, &o);
	if (r == -ENOENT) {
		compat_warnx("id %d not found", id);
		return 0;
	}
	if (r < 0) {
		compat_warn(-r, "cannot read id %d", id);
		return -1;
	}
	if (kind == IPCADM_SHM)
		r = shm_detail(s, id, &o);
	else if (kind == IPCADM_MSG)
		r = msg_detail(s, id, &o);
	else
		r = sem_detail(id, &o);
	ipcadm_obj_release(&o);
	return r;
}

static int run(struct ipcs *s, bool msg, bool shm, bool sem, bool specific, int id)
{
	struct ipcadm_snapshot *snap;
	unsigned int kinds = 0, flags = 0;
	int r;

	if (specific) {
		r = print_one(s, msg ? IPCADM_MSG : shm ? IPCADM_SHM : IPCADM_SEM, id);
		return r < 0 ? 1 : 0;
	}
	if (!msg && !shm && !sem)
		msg = shm = sem = true;
	if (msg)
		kinds |= IPCADM_KIND_BIT(IPCADM_MSG);
	if (shm)
		kinds |= IPCADM_KIND_BIT(IPCADM_SHM);
	if (sem && s->format != F_PID)
		kinds |= IPCADM_KIND_BIT(IPCADM_SEM); /* -s -p prints no array */
	if (s->format == F_STATUS)
		flags |= IPCADM_READ_SHM_MEM; /* pages resident and swapped */
	if (s->format == F_LIMITS)
		kinds = 0; /* the limits need no object */
	r = ipcadm_snapshot_read(s->ctx, kinds, flags, &snap);
	if (r < 0) {
		compat_warn(-r, "cannot read the IPC state");
		return 1;
	}
	s->snap = snap;
	obuf_putc(out, '\n');
	if (msg) {
		print_kind(s, IPCADM_MSG);
		obuf_putc(out, '\n');
	}
	if (shm) {
		print_kind(s, IPCADM_SHM);
		obuf_putc(out, '\n');
	}
	if (sem) {
		print_kind(s, IPCADM_SEM);
		obuf_putc(out, '\n');
	}
	ipcadm_snapshot_free(snap);
	return 0;
}

int compat_ipcs(int argc, char **argv)
{
	enum { OPT_HUMAN = 0x100 };
	static const struct option longopts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "queues", no_argument, NULL, 'q' },
		{ "shmems", no_argument, NULL, 'm' },
		{ "semaphores", no_argument, NULL, 's' },
		{ "all", no_argument, NULL, 'a' },
		{ "time", no_argument, NULL, 't' },
		{ "pid", no_argument, NULL, 'p' },
		{ "creator", no_argument, NULL, 'c' },
		{ "limits", no_argument, NULL, 'l' },
		{ "summary", no_argument, NULL, 'u' },
		{ "human", no_argument, NULL, OPT_HUMAN },
		{ "bytes", no_argument, NULL, 'b' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ipcs s = { .format = F_DEFAULT, .unit = U_DEFAULT };
	bool msg = false, shm = false, sem = false, specific = false;
	int32_t id = 0;
	int c, r;

	while ((c = getopt_long(argc, argv, "i:qmsatpclubVh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			r = compat_strtos32(optarg, &id);
			if (r < 0)
				return compat_bad_number("failed to parse id argument", optarg, r);
			specific = true;
			break;
		case 'a':
			msg = shm = sem = true;
			break;
		case 'q':
			msg = true;
			break;
		case 'm':
			shm = true;
			break;
		case 's':
			sem = true;
			break;
		case 't':
			s.format = F_TIME;
			break;
		case 'c':
			s.format = F_CREATOR;
			break;
		case 'p':
			s.format = F_PID;
			break;
		case 'l':
			s.format = F_LIMITS;
			break;
		case 'u':
			s.format = F_STATUS;
			break;
		case OPT_HUMAN:
			s.unit = U_HUMAN;
			break;
		case 'b':
			s.unit = U_BYTES;
			break;
		case 'h':
			ipcs_usage();
			return 0;
		case 'V':
			return compat_version();
		default:
			return compat_try_help();
		}
	}
	if (specific && msg + shm + sem != 1) {
		compat_warnx("when using an ID, a single resource must be specified");
		return 1;
	}
	r = ipcadm_ctx_new(&s.ctx, "/");
	if (r < 0) {
		compat_warn(-r, "cannot read the IPC state");
		return 1;
	}
	r = run(&s, msg, shm, sem, specific, id);
	ipcadm_ctx_free(s.ctx);
	return r;
}
