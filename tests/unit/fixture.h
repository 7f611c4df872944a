/* fixture.h: helpers the unit tests share: a context on a fixture tree under
 * tests/fixtures, and cmocka's includes in the order it needs. */
#ifndef IPCADM_TEST_FIXTURE_H
#define IPCADM_TEST_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipcadm.h"

/* Tests run from the repository's top directory (tests/run.sh does). */
static inline struct ipcadm_ctx *fixture_ctx(const char *name)
{
	char root[512];
	struct ipcadm_ctx *ctx = NULL;

	snprintf(root, sizeof(root), "tests/fixtures/%s", name);
	assert_int_equal(ipcadm_ctx_new(&ctx, root), 0);
	return ctx;
}

#endif
