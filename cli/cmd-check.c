/* cmd-check.c: `ipcadm check shm SIZE | sem NSEMS | msg`: would a get call create a new
 * object right now? Yes, or no with the errno and the limit behind it (exit 0, 1; 2 misuse). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ipcadm-cli.h"
#include "json.h"
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

static const char *const one_object[IPCADM_NSYSV_KINDS] = { "a segment", "an array",
							  "a queue" };

/* One limit's headroom: a bound on the new object, an amount it adds to, or its count. */
static void print_limit_room(const struct ipcadm_snapshot *snap, enum ipcadm_kind kind,
			     enum ipcadm_limit id, uint64_t amount)
{
	const struct ipcadm_limit_info *d = ipcadm_limit_info(id);
	uint64_t page = ipcadm_snapshot_limits(snap)->page_size;
	struct ipcadm_limit_value v;

	if (ipcadm_limit_get(snap, id, &v) < 0)
		return;
	obuf_printf(out, "  %s: ", d->name);
	switch (d->count) {
	case IPCADM_COUNT_NONE:
		obuf_printf(out, "%llu %s at most %s, %llu requested\n",
			    (unsigned long long)v.limit, d->unit, one_object[kind],
			    (unsigned long long)amount);
		break;
	case IPCADM_COUNT_OBJECTS:
		obuf_printf(out, "%llu of %llu %s in use\n", (unsigned long long)v.used,
			    (unsigned long long)v.limit, d->unit);
		break;
	default:
		obuf_printf(out, "%llu of %llu %s in use, it needs %llu more\n",
			    (unsigned long long)v.used, (unsigned long long)v.limit, d->unit,
			    (unsigned long long)(d->count == IPCADM_COUNT_PAGES
							 ? ipcadm_shm_pages(amount, page)
							 : amount));
		break;
	}
}

/*
 * The headroom of each limit a new object counts against, for a "yes": every sysctl of
 * the limits table the call tests, in the kernel's order (the bounds on one object, then
 * the amounts it adds to, then the count of identifiers).
 */
static void print_room(const struct ipcadm_snapshot *snap, enum ipcadm_kind kind,
		       uint64_t amount)
{
	static const enum ipcadm_limit_count order[] = { IPCADM_COUNT_NONE, IPCADM_COUNT_PAGES,
							 IPCADM_COUNT_SEMS, IPCADM_COUNT_OBJECTS };

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		for (int id = 0; id < IPCADM_NLIMITS; id++) {
			const struct ipcadm_limit_info *d = ipcadm_limit_info(id);

			if (d->kind != kind || d->count != order[i] || d->sysctl == NULL ||
			    d->call == NULL || strcmp(d->call, calls[kind]) != 0)
				continue;
			print_limit_room(snap, kind, id, amount);
		}
	}
}

static void print_json(enum ipcadm_kind kind, uint64_t amount,
		       const struct ipcadm_prediction *p, const char *why)
{
	struct json j;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_str(&j, "kind", ipcadm_kind_name(kind));
	json_str(&j, "call", calls[kind]);
	json_u64(&j, "requested", amount);
	json_bool(&j, "possible", p->err == 0);
	if (p->err) {
		json_str(&j, "errno", errno_name(p->err));
		json_str(&j, "error", strerror(-p->err));
		json_str(&j, "limit", ipcadm_limit_name(p->limit));
		json_u64(&j, "limit_value", p->limit_value);
		json_u64(&j, "used", p->used);
		json_u64(&j, "needed", p->requested);
	} else {
		static const char *const none[] = { "errno", "error", "limit", "limit_value",
						     "used", "needed" };

		for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
			json_null(&j, none[i]);
	}
	json_str(&j, "explanation", why);
	json_finish(&j);
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
