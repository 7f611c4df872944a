/* compat-ipcrm.c: the ipcadm binary run as `ipcrm`: util-linux 2.38.1's options, messages
 * and exit codes; -a leaves objects that are in use, and every removal is guarded. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>

#include "compat.h"
#include "ipcadm-cli.h"
#include "obuf.h"

/* The exit code of a fatal error in the middle of the work, as util-linux's err(). */
#define FATAL (-1)

static const char *const what[IPCADM_NSYSV_KINDS] = {
	[IPCADM_SHM] = "shared memory segment",
	[IPCADM_SEM] = "semaphore",
	[IPCADM_MSG] = "message queue",
};

struct ipcrm {
	struct ipcadm_ctx *ctx;
	bool verbose;
};

static void ipcrm_usage(void)
{
	obuf_printf(out,
		    "\nUsage:\n"
		    " %1$s [options]\n"
		    " %1$s shm|msg|sem <id>...\n"
		    "\nRemove certain IPC resources.\n"
		    "\nOptions:\n"
		    " -m, --shmem-id <id>        remove shared memory segment by id\n"
		    " -M, --shmem-key <key>      remove shared memory segment by key\n"
		    " -q, --queue-id <id>        remove message queue by id\n"
		    " -Q, --queue-key <key>      remove message queue by key\n"
		    " -s, --semaphore-id <id>    remove semaphore by id\n"
		    " -S, --semaphore-key <key>  remove semaphore by key\n"
		    " -a, --all[=shm|msg|sem]    remove all (in the specified category)\n"
		    " -v, --verbose              explain what is being done\n"
		    "\n"
		    " -h, --help                 display this help\n"
		    " -V, --version              display version\n"
		    "\nFor more details see ipcrm(1).\n",
		    progname);
}

/* Reports a failed removal as 2.38 does; returns 1, or FATAL for an unexpected error. */
static int removal_failed(int r, bool iskey, int id)
{
	const char *msg;

	switch (r) {
	case -EACCES:
	case -EPERM:
		msg = iskey ? "permission denied for key" : "permission denied for id";
		break;
	case -ENOENT:
	case -EINVAL:
		msg = iskey ? "invalid key" : "invalid id";
		break;
	case -EIDRM:
		msg = iskey ? "already removed key" : "already removed id";
		break;
	default:
		compat_warn(-r, "%s", iskey ? "key failed" : "id failed");
		return FATAL;
	}
	compat_warnx("%s (%d)", msg, id);
	return 1;
}

/* One removal by ID; 0 done, 1 failed, FATAL. */
static int remove_id(struct ipcrm *c, enum ipcadm_kind kind, bool iskey, int id)
{
	int r;

	if (c->verbose)
		obuf_printf(out, "removing %s id `%d'\n", what[kind], id);
	r = ipcadm_obj_remove(c->ctx, kind, id, NULL);
	/*
	 * A segment already marked for destruction: 2.38 marks it again, which changes
	 * nothing but still checks permission; ask the kernel the same question.
	 */
	if (r == -EALREADY)
		r = ipcadm_shm_mark_again(c->ctx, id);
	if (r == 0)
		return 0;
	return removal_failed(r, iskey, id);
}

/* The ID of the object with this key; -1 after a warning, FATAL-1 on a fatal error. */
static int key_to_id(struct ipcrm *c, enum ipcadm_kind kind, const char *s, int *idp)
{
	char *end = NULL;
	unsigned long num;
	key_t key;
	int id;
	const char *msg;

	errno = 0;
	num = *s ? strtoul(s, &end, 0) : 0; /* hex or decimal; "-1" wraps, as in 2.38 */
	if (*s == '\0' || errno || end == s || *end) {
		if (errno)
			compat_warn(errno, "failed to parse argument: '%s'", s);
		else
			compat_warnx("failed to parse argument: '%s'", s);
		return FATAL;
	}
	key = (key_t)num;
	if (key == IPC_PRIVATE) {
		compat_warnx("illegal key (%s)", s);
		return 1;
	}
	id = ipcadm_sysv_key_id(c->ctx, kind, key);
	if (id >= 0) {
		*idp = id;
		return 0;
	}
	switch (-id) {
	case EACCES:
		msg = "permission denied for key";
		break;
	case EIDRM:
		msg = "already removed key";
		break;
	case ENOENT:
		msg = "invalid key";
		break;
	default:
		compat_warn(-id, "key failed");
		return FATAL;
	}
	compat_warnx("%s (%s)", msg, s);
	return 1;
}

/*
 * -a: every object of the kinds that the caller may read, except those in use (2.38
 * removes them too): attached segments, and arrays and queues with waiters, are kept
 * and reported. Each removal re-reads the object and is skipped if it changed since the
 * listing.
 */
static int remove_all(struct ipcrm *c, unsigned int kinds)
{
	static const enum ipcadm_kind order[] = { IPCADM_SHM, IPCADM_SEM, IPCADM_MSG };
	struct ipcadm_snapshot *snap;
	struct ipcadm_analysis *an;
	bool fatal = false;
	int ret = 0, r;

	r = ipcadm_snapshot_read(c->ctx, kinds, IPCADM_READ_SEMPIDS, &snap);
	if (r < 0) {
		compat_warn(-r, "cannot read the IPC state");
		return FATAL;
	}
	an = bulk_analyze(c->ctx, snap);
	for (size_t k = 0; !fatal && k < sizeof(order) / sizeof(order[0]); k++) {
		enum ipcadm_kind kind = order[k];

		if (!(kinds & IPCADM_KIND_BIT(kind)))
			continue;
		for (size_t i = 0; !fatal && i < ipcadm_snapshot_count(snap, kind); i++) {
			const struct ipcadm_obj *o = ipcadm_snapshot_obj(snap, kind, i);
			const char *why;
			char buf[64];

			/* 2.38's -a finds objects with SHM_STAT, SEM_STAT and MSG_STAT, which
			 * need read permission: it passes over what the caller cannot read */
			if (ipcadm_sysv_may_read(c->ctx, kind, o->id) == -EACCES)
				continue;
			/* Already removed: marking it again changes nothing, as in 2.38. */
			if (kind == IPCADM_SHM && (o->mode & IPCADM_SHM_DEST)) {
				r = remove_id(c, kind, false, o->id);
				fatal = r == FATAL;
				ret |= !fatal && r;
				continue;
			}
			why = bulk_in_use(an, o, buf, sizeof(buf));
			if (why) {
				compat_warnx("not removing %s id `%d': in use, %s", what[kind], o->id,
					     why);
				ret = 1;
				continue;
			}
			if (c->verbose)
				obuf_printf(out, "removing %s id `%d'\n", what[kind], o->id);
			r = ipcadm_obj_remove(c->ctx, kind, o->id, o);
			if (r == 0 || r == -ENOENT || r == -EALREADY)
				continue; /* gone already is what was asked */
			if (r == -ESTALE) {
				compat_warnx("not removing %s id `%d': in use, it changed while listed",
					     what[kind], o->id);
				ret = 1;
				continue;
			}
			fatal = removal_failed(r, false, o->id) == FATAL;
			ret = 1;
		}
	}
	ipcadm_analysis_free(an);
	ipcadm_snapshot_free(snap);
	return fatal ? FATAL : ret;
}

/* The legacy form: ipcrm shm|msg|sem ID... */
static int legacy(struct ipcrm *c, enum ipcadm_kind kind, int argc, char **argv)
{
	int errors = 0;

	if (argc < 3) {
		compat_warnx("not enough arguments");
		return compat_try_help();
	}
	for (int i = 2; i < argc; i++) {
		char *end = NULL;
		unsigned long id;
		int r;

		errno = 0;
		id = strtoul(argv[i], &end, 10);
		/* 2.38 takes "" as ID 0; an empty argument removes nothing here */
		if (errno || end == argv[i] || *end) {
			compat_warnx("invalid id: %s", argv[i]);
			errors++;
			continue;
		}
		r = remove_id(c, kind, false, (int)id);
		if (r == FATAL)
			return 1;
		errors += r;
	}
	if (errors)
		return 1;
	obuf_puts(out, "resource(s) deleted\n");
	return 0;
}

static int run(struct ipcrm *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "shmem-id", required_argument, NULL, 'm' },
		{ "shmem-key", required_argument, NULL, 'M' },
		{ "queue-id", required_argument, NULL, 'q' },
		{ "queue-key", required_argument, NULL, 'Q' },
		{ "semaphore-id", required_argument, NULL, 's' },
		{ "semaphore-key", required_argument, NULL, 'S' },
		{ "all", optional_argument, NULL, 'a' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int all = 0;
	int ret = 0, opt, r;

	if (strcmp(argv[1], "shm") == 0)
		return legacy(c, IPCADM_SHM, argc, argv);
	if (strcmp(argv[1], "msg") == 0)
		return legacy(c, IPCADM_MSG, argc, argv);
	if (strcmp(argv[1], "sem") == 0)
		return legacy(c, IPCADM_SEM, argc, argv);

	while ((opt = getopt_long(argc, argv, "q:m:s:Q:M:S:a::vhV", longopts, NULL)) != -1) {
		enum ipcadm_kind kind;
		int32_t id = -1;

		switch (opt) {
		case 'M':
		case 'Q':
		case 'S':
			kind = opt == 'M' ? IPCADM_SHM : opt == 'Q' ? IPCADM_MSG : IPCADM_SEM;
			r = key_to_id(c, kind, optarg, &id);
			if (r == 0)
				r = remove_id(c, kind, true, id);
			if (r == FATAL)
				return 1;
			ret += r;
			break;
		case 'm':
		case 'q':
		case 's':
			kind = opt == 'm' ? IPCADM_SHM : opt == 'q' ? IPCADM_MSG : IPCADM_SEM;
			r = compat_strtos32(optarg, &id);
			if (r < 0)
				return compat_bad_number("failed to parse argument", optarg, r);
			r = remove_id(c, kind, false, id);
			if (r == FATAL)
				return 1;
			ret += r;
			break;
		case 'a':
			if (optarg == NULL) {
				all = IPCADM_SYSV_KINDS;
			} else if (strcmp(optarg, "shm") == 0) {
				all = IPCADM_KIND_BIT(IPCADM_SHM);
			} else if (strcmp(optarg, "msg") == 0) {
				all = IPCADM_KIND_BIT(IPCADM_MSG);
			} else if (strcmp(optarg, "sem") == 0) {
				all = IPCADM_KIND_BIT(IPCADM_SEM);
			} else {
				compat_warnx("unknown argument: %s", optarg);
				return 1;
			}
			break;
		case 'v':
			c->verbose = true;
			break;
		case 'h':
			ipcrm_usage();
			return 0;
		case 'V':
			return compat_version();
		default:
			return compat_try_help();
		}
	}
	/* Before -a removes anything (2.38 removed everything first, then complained). */
	if (optind < argc) {
		compat_warnx("unknown argument: %s", argv[optind]);
		return compat_try_help();
	}
	if (all) {
		r = remove_all(c, all);
		if (r == FATAL)
			return 1;
		ret += r;
	}
	return ret ? 1 : 0;
}

int compat_ipcrm(int argc, char **argv)
{
	struct ipcrm c = { 0 };
	int r;

	if (argc <= 1)
		return 0; /* without arguments, nothing to do (as 2.38) */
	r = ipcadm_ctx_new(&c.ctx, "/");
	if (r < 0) {
		compat_warn(-r, "cannot read the IPC state");
		return 1;
	}
	r = run(&c, argc, argv);
	ipcadm_ctx_free(c.ctx);
	return r;
}
