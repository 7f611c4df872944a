/* cmd-check.c: `ipcadm check shm SIZE | sem NSEMS | msg`: would a get call create a new
 * object right now? Yes, or no with the errno and the limit behind it (exit 0, 1; 2 misuse). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ipcadm-cli.h"
#include "obuf.h"
#include "strutil.h"

static void check_help(void)
{
	printf("Usage: %s check [OPTIONS] shm SIZE | sem NSEMS | msg\n\n"
	       "Would shmget, semget or msgget create a new object right now? Tests what the\n"
	       "kernel tests, in its order, against this IPC namespace's limits and usage.\n"
	       "SIZE takes K, M, G, T suffixes (powers of 1024). Prints yes, or no with the\n"
	       "errno the call would get and the limit and numbers behind it.\n"
	       "Exit status: 0 yes, 1 no, 2 bad input or the state could not be read.\n\n"
	       "Options:\n"
	       "  -J, --json               JSON output\n"
	       "  -h, --help               this help\n",
	       progname);
}

static const char *const calls[IPCADM_NSYSV_KINDS] = { "shmget", "semget", "msgget" };

static const char *errno_name(int err)
{
	switch (err) {
	case 0:
		return NULL;
	case -EINVAL:
		return "EINVAL";
	case -ENOSPC:
		return "ENOSPC";
	default:
		return strerrorname_np(-err);
	}
}

/* The headroom of each limit a new object counts against, for a "yes". */
static void print_room(const struct ipcadm_snapshot *snap, enum ipcadm_kind kind,
		       uint64_t amount)
{
	const struct ipcadm_limits *l = ipcadm_snapshot_limits(snap);
	const struct ipcadm_usage *u = ipcadm_snapshot_usage(snap);
	static const enum ipcadm_limit ids[IPCADM_NSYSV_KINDS] = {
		IPCADM_LIMIT_SHMMNI, IPCADM_LIMIT_SEMMNI, IPCADM_LIMIT_MSGMNI
	};
	struct ipcadm_limit_value ids_v;

	ipcadm_limit_get(snap, ids[kind], &ids_v);
	switch (kind) {
	case IPCADM_SHM:
		obuf_printf(out, "  SHMMAX: %llu bytes at most a segment, %llu requested\n",
			    (unsigned long long)l->shmmax, (unsigned long long)amount);
		obuf_printf(out, "  SHMALL: %llu of %llu pages in use, it needs %llu more\n",
			    (unsigned long long)u->shm_pages, (unsigned long long)l->shmall,
			    (unsigned long long)ipcadm_shm_pages(amount, l->page_size));
		obuf_printf(out, "  SHMMNI: %llu of %llu shared memory segments in use\n",
			    (unsigned long long)u->shm_segs,
			    (unsigned long long)ids_v.limit);
		break;
	case IPCADM_SEM:
		obuf_printf(out, "  SEMMSL: %llu semaphores at most an array, %llu requested\n",
			    (unsigned long long)l->semmsl, (unsigned long long)amount);
		obuf_printf(out, "  SEMMNS: %llu of %llu semaphores in use, it needs %llu more\n",
			    (unsigned long long)u->sem_sems, (unsigned long long)l->semmns,
			    (unsigned long long)amount);
		obuf_printf(out, "  SEMMNI: %llu of %llu semaphore arrays in use\n",
			    (unsigned long long)u->sem_sets,
			    (unsigned long long)ids_v.limit);
		break;
	default:
		obuf_printf(out, "  MSGMNI: %llu of %llu message queues in use\n",
			    (unsigned long long)u->msg_queues,
			    (unsigned long long)ids_v.limit);
		break;
	}
}

static void print_json(enum ipcadm_kind kind, uint64_t amount,
		       const struct ipcadm_prediction *p, const char *why)
{
	obuf_printf(out, "{\"kind\": \"%s\", \"call\": \"%s\", \"requested\": %llu, "
			 "\"possible\": %s, \"errno\": ",
		    ipcadm_kind_name(kind), calls[kind], (unsigned long long)amount,
		    p->err ? "false" : "true");
	if (p->err) {
		obuf_printf(out, "\"%s\", \"error\": ", errno_name(p->err));
		json_string(strerror(-p->err));
		obuf_printf(out, ", \"limit\": \"%s\", \"limit_value\": %llu, \"used\": %llu, "
				 "\"needed\": %llu",
			    ipcadm_limit_name(p->limit), (unsigned long long)p->limit_value,
			    (unsigned long long)p->used,
			    (unsigned long long)p->requested);
	} else {
		obuf_puts(out, "null, \"error\": null, \"limit\": null, \"limit_value\": null, "
			       "\"used\": null, \"needed\": null");
	}
	obuf_puts(out, ", \"explanation\": ");
	json_string(why);
	obuf_puts(out, "}\n");
}

int cmd_check(struct ipcadm_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ipcadm_snapshot *snap;
	struct ipcadm_prediction p;
	bool json = false;
	uint64_t amount = 0;
	char why[256];
	int c, r, kind;

	while ((c = getopt_long(argc, argv, "Jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'J':
			json = true;
			break;
		case 'h':
			check_help();
			return 0;
		default:
			return usage_error("check", "bad usage");
		}
	}
	if (optind >= argc)
		return usage_error("check", "which kind: shm SIZE, sem NSEMS or msg");
	kind = parse_kind_arg(argv[optind]);
	if (kind < 0)
		return usage_error("check", "unknown kind '%s' (shm, sem or msg)", argv[optind]);
	optind++;
	if (kind == IPCADM_MSG) {
		if (optind < argc)
			return usage_error("check", "unexpected argument '%s'", argv[optind]);
	} else {
		if (optind >= argc)
			return usage_error("check", "%s needs %s", argv[optind - 1],
					   kind == IPCADM_SHM ? "a SIZE" : "an NSEMS");
		r = kind == IPCADM_SHM ? str_to_size(argv[optind], &amount)
				       : str_to_u64(argv[optind], &amount);
		if (r < 0)
			return usage_error("check", "invalid %s '%s'",
					   kind == IPCADM_SHM ? "size" : "number of semaphores",
					   argv[optind]);
		if (++optind < argc)
			return usage_error("check", "unexpected argument '%s'", argv[optind]);
	}
	r = ipcadm_snapshot_read(ctx, IPCADM_KIND_BIT(kind), 0, &snap);
	if (r < 0) {
		error_code(r, "cannot read the IPC state below '%s'", ipcadm_ctx_root(ctx));
		return EXIT_MISUSE;
	}
	r = ipcadm_predict_get(snap, (enum ipcadm_kind)kind, amount, &p);
	if (r < 0) {
		ipcadm_snapshot_free(snap);
		error_code(r, "cannot tell: a limit of %s could not be read", calls[kind]);
		return EXIT_MISUSE;
	}
	ipcadm_prediction_explain(&p, why, sizeof(why));
	if (json) {
		print_json((enum ipcadm_kind)kind, amount, &p, why);
	} else if (p.err == 0) {
		obuf_printf(out, "yes: %s would create a new %s\n", calls[kind],
			    kind == IPCADM_SHM ? "segment" : kind == IPCADM_SEM ? "semaphore array"
									: "message queue");
		print_room(snap, (enum ipcadm_kind)kind, amount);
	} else {
		obuf_printf(out, "no: %s would fail with %s (%s)\n  %s\n", calls[kind],
			    errno_name(p.err), strerror(-p.err), why);
	}
	ipcadm_snapshot_free(snap);
	return p.err ? 1 : 0;
}
