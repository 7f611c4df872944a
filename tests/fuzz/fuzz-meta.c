/* fuzz-meta.c: libFuzzer target for the .meta files of reap --backup: any input is parsed
 * strictly (each known field once), and any evidence, written and read back, adds no field. */
#include <errno.h>
#include <inttypes.h>

#include "fuzz.h"
#include "internal.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* The input as a .meta: accepted only when every line is "field value" of a known field,
 * none twice, the required ones there. */
static void parse_raw(const uint8_t *data, size_t size)
{
	static const char *const known[] = { "id",   "key",   "size",  "mode",	"uid",	    "gid",
					     "cuid", "cgid",  "ctime", "ns",	"evidence" };
	struct ipcadm_shm_backup b;
	char *buf = malloc(size + 1);
	int r;

	CHECK(buf != NULL);
	memcpy(buf, data, size);
	buf[size] = '\0';
	memset(&b, 0, sizeof(b));
	r = backup_meta_parse(buf, size, &b);
	free(buf);
	if (r < 0) {
		CHECK(r == -EBADMSG || r == -ENOKEY || r == -ENOTUNIQ || r == -ENODATA);
		CHECK(b.field[sizeof(b.field) - 1] == '\0');
		return;
	}
	CHECK(b.mode <= 0777 && b.line == 0);
	/* each known field name starts a line at most once */
	for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
		size_t n = strlen(known[k]), seen = 0;

		for (size_t i = 0; i + n < size; i++)
			if ((i == 0 || data[i - 1] == '\n') && memcmp(data + i, known[k], n) == 0 &&
			    data[i + n] == ' ')
				seen++;
		CHECK(seen <= 1);
	}
}

/* The input as the evidence of a segment's backup: the .meta written parses back to the
 * same key, size, mode and owner, whatever the evidence holds. */
static void round_trip(const uint8_t *data, size_t size)
{
	struct ipcadm_obj o = { .kind = IPCADM_SHM, .id = 7, .key = 0x1234, .size = 4096,
				.mode = 0600, .uid = 42, .gid = 43, .ctime = 1700000000 };
	struct ipcadm_shm_backup b;
	char *evidence = malloc(size + 1), meta[2048];
	size_t len;

	CHECK(evidence != NULL);
	memcpy(evidence, data, size);
	evidence[size] = '\0'; /* up to its first NUL, as a C string */
	len = backup_meta_format(&o, 4026531839u, evidence, meta, sizeof(meta));
	free(evidence);
	CHECK(len > 0 && len <= sizeof(meta) && meta[len - 1] == '\n');
	memset(&b, 0, sizeof(b));
	CHECK(backup_meta_parse(meta, len, &b) == 0);
	CHECK(b.key == 0x1234 && b.size == 4096 && b.mode == 0600 && b.uid == 42 &&
	      b.gid == 43);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse_raw(data, size);
	round_trip(data, size);
	return 0;
}
