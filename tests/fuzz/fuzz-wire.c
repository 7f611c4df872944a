/* fuzz-wire.c: libFuzzer target for the snapshot that crosses the -A child's pipe
 * (lib/snapshot-wire.c): any input is refused or read back whole, and then encodes to itself. */
#include <errno.h>
#include <limits.h>

#include "fuzz.h"
#include "snapshot-wire.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* What every snapshot the reader accepts must hold, whatever the bytes were. */
static void check_snapshot(const struct ipcadm_snapshot *s, size_t size)
{
	size_t total = 0;

	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		CHECK(s->err[k] <= 0 && s->err[k] >= -4095);
		CHECK(s->objs[k] != NULL);
		total += s->n[k];
		for (size_t i = 0; i < s->n[k]; i++) {
			const struct ipcadm_obj *o = &s->objs[k][i];

			CHECK(o->kind == (enum ipcadm_kind)k);
			CHECK(o->sems == NULL || (k == IPCADM_SEM && o->nsems < UINT32_MAX));
			for (uint64_t j = 0; o->sems && j < o->nsems; j++)
				(void)o->sems[j].pid; /* all there: ASan sees a short array */
			CHECK((o->name != NULL) == IPCADM_IS_POSIX(k));
			CHECK(o->name == NULL || strlen(o->name) <= NAME_MAX);
			CHECK((o->sems_read & ~7u) == 0 && o->sems_err <= 0);
		}
	}
	CHECK(total <= size / SNAPSHOT_WIRE_OBJ_MIN);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipcadm_snapshot *s = NULL;
	char *buf = malloc(size ? size : 1), *again = NULL;
	size_t len = 0;
	int r;

	CHECK(buf != NULL);
	memcpy(buf, data, size); /* exactly size bytes: ASan sees any read past them */
	r = snapshot_wire_decode(buf, size, &s);
	if (r < 0) {
		CHECK(r == -EBADMSG || r == -ENOMEM);
		CHECK(s == NULL);
		free(buf);
		return 0;
	}
	CHECK(r == 0 && s != NULL);
	check_snapshot(s, size);
	/* one snapshot, one encoding: what was accepted is exactly what the writer writes */
	CHECK(snapshot_wire_encode(s, &again, &len) == 0);
	CHECK(len == size && memcmp(again, buf, size) == 0);
	free(again);
	ipcadm_snapshot_free(s);
	free(buf);
	return 0;
}
