/* compat-ipcmk.c: the ipcadm binary run as `ipcmk`: util-linux 2.38.1's options, output and
 * messages; a random key never hands back someone else's object (IPC_EXCL, then retry). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "ipcadm-cli.h"
#include "obuf.h"

static void ipcmk_usage(void)
{
	obuf_printf(out,
		    "\nUsage:\n"
		    " %s [options]\n"
		    "\nCreate various IPC resources.\n"
		    "\nOptions:\n"
		    " -M, --shmem <size>       create shared memory segment of size <size>\n"
		    " -S, --semaphore <number> create semaphore array with <number> elements\n"
		    " -Q, --queue              create message queue\n"
		    " -p, --mode <mode>        permission for the resource (default is 0644)\n"
		    "\n"
		    " -h, --help               display this help\n"
		    " -V, --version            display version\n"
		    "\nArguments:\n"
		    " <size> arguments may be followed by the suffixes for\n"
		    "   GiB, TiB, PiB, EiB, ZiB, and YiB (the \"iB\" is optional)\n"
		    "\nFor more details see ipcmk(1).\n",
		    progname);
}

/*
 * 2.38 asks for a random key without IPC_EXCL: on a collision it prints the ID of an
 * object that already existed. Here a collision draws another key (the library's
 * IPCADM_CREATE_RANDOM_KEY). The mode goes to the kernel whole, as 2.38 passes it: bits
 * above 0777 are flags (04000 asks a segment for huge pages).
 */
static int create(struct ipcadm_ctx *ctx, enum ipcadm_kind kind, uint64_t size, int nsems,
		  int mode, int *idp)
{
	struct ipcadm_sysv_new n = {
		.kind = kind,
		.mode = (unsigned int)mode,
		.flags = IPCADM_CREATE_RANDOM_KEY,
		.size = size,
		.nsems = nsems,
	};

	return ipcadm_sysv_create(ctx, &n, NULL, idp);
}

/* Each object asked for, in 2.38's order; stops at the first failure. */
static int make(struct ipcadm_ctx *ctx, bool ask_shm, bool ask_msg, bool ask_sem, uint64_t size,
		int32_t nsems, int mode)
{
	int id, r;

	if (ask_shm) {
		r = create(ctx, IPCADM_SHM, size, 0, mode, &id);
		if (r < 0) {
			compat_warn(-r, "create share memory failed");
			return 1;
		}
		obuf_printf(out, "Shared memory id: %d\n", id);
	}
	if (ask_msg) {
		r = create(ctx, IPCADM_MSG, 0, 0, mode, &id);
		if (r < 0) {
			compat_warn(-r, "create message queue failed");
			return 1;
		}
		obuf_printf(out, "Message queue id: %d\n", id);
	}
	if (ask_sem) {
		r = create(ctx, IPCADM_SEM, 0, nsems, mode, &id);
		if (r < 0) {
			compat_warn(-r, "create semaphore failed");
			return 1;
		}
		obuf_printf(out, "Semaphore id: %d\n", id);
	}
	return 0;
}

int compat_ipcmk(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "shmem", required_argument, NULL, 'M' },
		{ "semaphore", required_argument, NULL, 'S' },
		{ "queue", no_argument, NULL, 'Q' },
		{ "mode", required_argument, NULL, 'p' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool ask_shm = false, ask_msg = false, ask_sem = false;
	struct ipcadm_ctx *ctx;
	uint64_t size = 0;
	int32_t nsems = 0;
	int mode = 0644, opt, r;

	while ((opt = getopt_long(argc, argv, "hM:QS:p:Vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'M':
			r = compat_strtosize(optarg, &size);
			if (r < 0) {
				compat_warn(-r, "failed to parse size: '%s'", optarg);
				return 1;
			}
			ask_shm = true;
			break;
		case 'Q':
			ask_msg = true;
			break;
		case 'S':
			r = compat_strtos32(optarg, &nsems);
			if (r < 0)
				return compat_bad_number("failed to parse elements", optarg, r);
			ask_sem = true;
			break;
		case 'p': {
			char *end = NULL;
			unsigned long v;

			errno = 0;
			v = strtoul(optarg, &end, 8);
			if (errno || end == optarg || *end) {
				/* as 2.38: "failed to parse mode: Success" when errno is 0 */
				compat_warn(errno, "failed to parse mode");
				return 1;
			}
			mode = (int)v;
			break;
		}
		case 'h':
			ipcmk_usage();
			return 0;
		case 'V':
			return compat_version();
		default:
			return compat_try_help();
		}
	}
	if (!ask_shm && !ask_msg && !ask_sem) {
		compat_warnx("bad usage");
		return compat_try_help();
	}
	r = ipcadm_ctx_new(&ctx, "/");
	if (r < 0) {
		compat_warn(-r, "cannot read the IPC state");
		return 1;
	}
	r = make(ctx, ask_shm, ask_msg, ask_sem, size, nsems, mode);
	ipcadm_ctx_free(ctx);
	return r;
}
