/* verdicts.c: a program built against the installed libipcadm alone (pkg-config ipcadm):
 * prints each IPC object of this namespace with its verdict; library.bats builds it. */
#include <ipcadm.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what, int err)
{
	fprintf(stderr, "verdicts: %s: %s\n", what, strerror(-err));
	return 1;
}

int main(int argc, char **argv)
{
	struct ipcadm_ctx *ctx;
	struct ipcadm_snapshot *snap;
	struct ipcadm_analysis *a;
	int r;

	r = ipcadm_ctx_new(&ctx, argc > 1 ? argv[1] : "/");
	if (r < 0)
		return fail("cannot make a context", r);
	/* The test runs in a private PID namespace in which it sees every process. */
	ipcadm_ctx_set_all_visible(ctx, true);
	r = ipcadm_snapshot_read(ctx, IPCADM_EVERY_KIND, IPCADM_READ_SEMPIDS, &snap);
	if (r < 0)
		return fail("cannot read the objects", r);
	r = ipcadm_analyze(ctx, snap, 0, &a);
	if (r < 0)
		return fail("cannot analyse the objects", r);

	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		for (size_t i = 0; i < ipcadm_snapshot_count(snap, k); i++) {
			const struct ipcadm_obj *o = ipcadm_snapshot_obj(snap, k, i);
			const char *evidence = NULL;
			enum ipcadm_verdict v = ipcadm_analysis_verdict(a, o, &evidence);

			if (IPCADM_IS_POSIX(k))
				printf("%s /%s", ipcadm_kind_name(k), o->name);
			else
				printf("%s %d", ipcadm_kind_name(k), o->id);
			printf(" %s: %s\n", ipcadm_verdict_name(v),
			       evidence ? evidence : "");
		}
	}
	ipcadm_analysis_free(a);
	ipcadm_snapshot_free(snap);
	ipcadm_ctx_free(ctx);
	return 0;
}
