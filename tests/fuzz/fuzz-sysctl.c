/* fuzz-sysctl.c: libFuzzer target for the parser of the limit files in /proc/sys/kernel
 * (one number, or the four of "sem"): what it accepts is digits and blanks only, and
 * printing the numbers back gives the same numbers. */
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

static void parse(const char *buf, size_t len, size_t max)
{
	uint64_t v[4], again[4];
	char out[4 * 24];
	size_t n = 0;
	int r = sysctl_parse_numbers(buf, len, v, max);

	if (r < 0) {
		CHECK(r == -EBADMSG);
		return;
	}
	CHECK(r == 0);
	for (size_t i = 0; i < len; i++)
		CHECK((buf[i] >= '0' && buf[i] <= '9') || buf[i] == ' ' || buf[i] == '\t' ||
		      buf[i] == '\n');
	for (size_t i = 0; i < max; i++)
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%" PRIu64, i ? "\t" : "", v[i]);
	CHECK(sysctl_parse_numbers(out, n, again, max) == 0);
	CHECK(memcmp(v, again, max * sizeof(v[0])) == 0);
	/* a number more than the file holds is an error */
	if (max < 4)
		CHECK(sysctl_parse_numbers(buf, len, again, max + 1) < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);

	CHECK(buf != NULL);
	memcpy(buf, data, size);
	for (size_t max = 1; max <= 4; max++)
		parse(buf, size, max);
	free(buf);
	return 0;
}
