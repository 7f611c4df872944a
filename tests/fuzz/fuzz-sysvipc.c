/* fuzz-sysvipc.c: libFuzzer target for the /proc/sysvipc/{shm,sem,msg} parser: the input
 * is parsed as each kind; parsed objects are checked, printed back and parsed again. */
#include <errno.h>
#include <inttypes.h>

#include "fuzz.h"
#include "internal.h" /* ipcadm_sysvipc_parse */

static const char *const headers[IPCADM_NSYSV_KINDS] = {
	"key shmid perms size cpid lpid nattch uid gid cuid cgid atime dtime ctime",
	"key semid perms nsems uid gid cuid cgid otime ctime",
	"key msqid perms cbytes qnum lspid lrpid uid gid cuid cgid stime rtime ctime",
};

static size_t lines(const char *buf, size_t len)
{
	size_t n = 1;

	for (size_t i = 0; i < len; i++)
		n += buf[i] == '\n';
	return n;
}

static void check_obj(enum ipcadm_kind kind, const struct ipcadm_obj *o)
{
	CHECK(o->kind == kind);
	CHECK(o->id >= 0);
	CHECK(o->mode <= 077777777);
	CHECK(o->sems == NULL && o->sems_err == 0);
	CHECK(o->qbytes == IPCADM_UNKNOWN);
	if (kind != IPCADM_SHM) {
		CHECK(o->size == 0 && o->nattch == 0 && o->cpid == 0 && o->lpid == 0);
		CHECK(o->atime == 0 && o->dtime == 0);
		CHECK(o->rss == IPCADM_UNKNOWN && o->swap == IPCADM_UNKNOWN);
	}
	if (kind != IPCADM_SEM)
		CHECK(o->nsems == 0 && o->otime == 0);
	if (kind != IPCADM_MSG) {
		CHECK(o->cbytes == 0 && o->qnum == 0 && o->lspid == 0 && o->lrpid == 0);
		CHECK(o->stime == 0 && o->rtime == 0);
	}
	CHECK(o->cpid >= 0 && o->lpid >= 0 && o->lspid >= 0 && o->lrpid >= 0);
}

/* Prints objects back as the kernel would, with the canonical header. */
static char *print_table(enum ipcadm_kind kind, const struct ipcadm_obj *objs, size_t n,
			 size_t *lenp)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	bool rss = false;

	CHECK(f != NULL);
	for (size_t i = 0; i < n; i++)
		rss |= objs[i].rss != IPCADM_UNKNOWN || objs[i].swap != IPCADM_UNKNOWN;
	fprintf(f, "%s%s\n", headers[kind], rss ? " rss swap" : "");
	for (size_t i = 0; i < n; i++) {
		const struct ipcadm_obj *o = &objs[i];

		fprintf(f, "%10" PRId32 " %10d %5o ", o->key, o->id, o->mode);
		switch (kind) {
		case IPCADM_SHM:
			fprintf(f, "%" PRIu64 " %d %d %" PRIu64 " ", o->size, (int)o->cpid,
				(int)o->lpid, o->nattch);
			break;
		case IPCADM_SEM:
			fprintf(f, "%" PRIu64 " ", o->nsems);
			break;
		default:
			fprintf(f, "%" PRIu64 " %" PRIu64 " %d %d ", o->cbytes, o->qnum,
				(int)o->lspid, (int)o->lrpid);
			break;
		}
		fprintf(f, "%u %u %u %u ", (unsigned int)o->uid, (unsigned int)o->gid,
			(unsigned int)o->cuid, (unsigned int)o->cgid);
		switch (kind) {
		case IPCADM_SHM:
			fprintf(f, "%" PRId64 " %" PRId64 " ", o->atime, o->dtime);
			break;
		case IPCADM_SEM:
			fprintf(f, "%" PRId64 " ", o->otime);
			break;
		default:
			fprintf(f, "%" PRId64 " %" PRId64 " ", o->stime, o->rtime);
			break;
		}
		fprintf(f, "%" PRId64, o->ctime);
		if (rss)
			fprintf(f, " %" PRIu64 " %" PRIu64, o->rss, o->swap);
		fputc('\n', f);
	}
	CHECK(fclose(f) == 0);
	*lenp = len;
	return buf;
}

static void parse_kind(enum ipcadm_kind kind, const char *buf, size_t len)
{
	struct ipcadm_obj *objs = (struct ipcadm_obj *)1, *again;
	size_t n = 99, skipped = 99, n2, skipped2, plen;
	char *printed;
	int r = ipcadm_sysvipc_parse(kind, buf, len, &objs, &n, &skipped);

	if (r < 0) {
		CHECK(r == -EBADMSG || r == -ENOMEM);
		CHECK(objs == NULL && n == 0);
		return;
	}
	CHECK(r == 0);
	/* every line but the header is an object, skipped, or blank */
	CHECK(len == 0 || n + skipped <= lines(buf, len) - 1);
	CHECK(n == 0 || objs != NULL);
	for (size_t i = 0; i < n; i++)
		check_obj(kind, &objs[i]);

	printed = print_table(kind, objs, n, &plen);
	CHECK(ipcadm_sysvipc_parse(kind, printed, plen, &again, &n2, &skipped2) == 0);
	CHECK(n2 == n && skipped2 == 0);
	for (size_t i = 0; i < n; i++) {
		/* both were zeroed before parsing, padding included */
		if (memcmp(&objs[i], &again[i], sizeof(objs[i])) != 0) {
			fprintf(stderr, "object %zu differs after printing:\n%.*s\n", i,
				(int)plen, printed);
			abort();
		}
	}
	free(printed);
	free(again);
	free(objs);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy, so a read past the end is caught */
	char *buf = malloc(size ? size : 1);

	CHECK(buf != NULL);
	memcpy(buf, data, size);
	for (int k = 0; k < IPCADM_NSYSV_KINDS; k++)
		parse_kind((enum ipcadm_kind)k, buf, size);
	free(buf);
	return 0;
}
