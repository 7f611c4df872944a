/* capture.h: what the CLI's output module writes (its buffer `out`), caught in a memory
 * file, for the unit tests of cli/ code: test-output and test-regress. */
#ifndef IPCADM_TEST_CAPTURE_H
#define IPCADM_TEST_CAPTURE_H

#include <sys/mman.h>
#include <unistd.h>

#include "fixture.h"
#include "obuf.h"

static int cap_fd = -1;
static char cap_buf[1 << 20];

/* From here on `out` writes to an empty memory file. */
static inline void cap_start(void)
{
	if (cap_fd < 0) {
		cap_fd = memfd_create("capture", 0);
		assert_true(cap_fd >= 0);
	}
	assert_int_equal(ftruncate(cap_fd, 0), 0);
	assert_int_equal(lseek(cap_fd, 0, SEEK_SET), 0);
	obuf_init(out, cap_fd);
}

/* Everything written since cap_start(), NUL-terminated. */
static inline const char *cap_end(void)
{
	ssize_t n;

	assert_int_equal(obuf_flush(out), 0);
	n = pread(cap_fd, cap_buf, sizeof(cap_buf) - 1, 0);
	assert_true(n >= 0);
	cap_buf[n] = '\0';
	return cap_buf;
}

#endif
