/* cmd-mk.c: `ipcadm mk`: creates a segment, semaphore array or queue (or a POSIX object)
 * and prints its ID and key; a refusal names the limit that refused, from the prediction. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>

#include "ipcadm-cli.h"
#include "json.h"
#include "obuf.h"
#include "strutil.h"

static const char *const nouns[IPCADM_NSYSV_KINDS] = {
	[IPCADM_SHM] = "shared memory segment",
	[IPCADM_SEM] = "semaphore array",
	[IPCADM_MSG] = "message queue",
};

struct mk {
	int kind;
	int32_t key;
	unsigned int mode;
	bool exclusive, hugetlb, json, have_value;
	uint64_t amount; /* shm: bytes; sem: semaphores */
	const char *values; /* sem: V or V1,V2,... */
	long maxmsg, msgsize; /* pmq */
};

static void mk_help(void)
{
	printf("Usage: %s mk [OPTIONS] shm SIZE\n"
	       "       %s mk [OPTIONS] sem NSEMS\n"
	       "       %s mk [OPTIONS] msg\n"
	       "       %s mk [OPTIONS] pshm NAME SIZE | psem NAME | pmq NAME\n\n"
	       "Create an object and print its ID and key. SIZE takes K, M, G (1024s).\n"
	       "When the kernel refuses, the limit that refused is named.\n\n"
	       "Options:\n"
	       "      --key KEY            the key (decimal or 0x hex); private by default\n"
	       "  -m, --mode MODE          permissions, octal (default 600)\n"
	       "  -x, --exclusive          fail if an object with the key exists (otherwise it\n"
	       "                           is reported and left as it is)\n"
	       "      --hugetlb            shm: back the segment with huge pages\n"
	       "      --value V[,V...]     sem, psem: initial values (one for all, or one each)\n"
	       "      --maxmsg N           pmq: messages the queue holds\n"
	       "      --msgsize N          pmq: bytes per message\n"
	       "  -J, --json               JSON output\n"
	       "  -h, --help               this help\n",
	       progname, progname, progname, progname);
}

/* Parses V or V1,V2,... into one value for all or one per semaphore; -errno. */
static int parse_values(const char *list, uint64_t nsems, unsigned short **valsp, size_t *np)
{
	size_t cap = 1, n = 0;
	unsigned short *vals;
	const char *p = list;
	int r = 0;

	for (const char *c = list; *c; c++)
		cap += *c == ',';
	vals = calloc(cap, sizeof(*vals));
	if (vals == NULL)
		return -ENOMEM;
	while (*p) {
		size_t len = strcspn(p, ",");
		char num[24];
		uint64_t v;

		if (len == 0 || len >= sizeof(num) || n >= nsems) {
			r = -EINVAL;
			break;
		}
		memcpy(num, p, len);
		num[len] = '\0';
		if (str_to_u64(num, &v) < 0 || v > 32767) {
			r = -ERANGE;
			break;
		}
		vals[n++] = (unsigned short)v;
		p += len;
		if (*p == ',')
			p++;
	}
	if (r == 0 && n != 1 && n != nsems)
		r = -EINVAL;
	if (r < 0) {
		free(vals);
		return r;
	}
	*valsp = vals;
	*np = n;
	return 0;
}

/* "cannot create ...: why", with the limit that refused when the prediction knows it. */
static int explain_failure(struct ipcadm_ctx *ctx, const struct mk *m, int err)
{
	struct ipcadm_snapshot *snap;
	struct ipcadm_prediction p;
	char why[256];

	if ((err == EINVAL || err == ENOSPC) &&
	    ipcadm_snapshot_read(ctx, IPCADM_KIND_BIT(m->kind), 0, &snap) == 0) {
		int r = ipcadm_predict_get(snap, m->kind, m->amount, &p);

		ipcadm_snapshot_free(snap);
		if (r == 0 && p.err != 0 && ipcadm_prediction_explain(&p, why, sizeof(why)) >= 0) {
			errorx("cannot create %s: %s: %s", nouns[m->kind], strerror(err), why);
			return 1;
		}
	}
	if (err == EEXIST)
		errorx("cannot create %s: key 0x%08x is taken (--exclusive)", nouns[m->kind],
		       (unsigned int)m->key);
	else
		errorx("cannot create %s: %s", nouns[m->kind], strerror(err));
	return 1;
}

/* -J: what was made (name: a POSIX object's, NULL for System V's ID and key). */
static void print_json(const struct mk *m, int id, const char *name, bool created)
{
	struct json j;
	char key[16];

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_str(&j, "kind", ipcadm_kind_name(m->kind));
	if (name) {
		json_str(&j, "name", name);
	} else {
		snprintf(key, sizeof(key), "0x%08x", (unsigned int)m->key);
		json_i64(&j, "id", id);
		json_str(&j, "key", key);
	}
	json_bool(&j, "created", created);
	json_finish(&j);
}

static int make_sysv(struct ipcadm_ctx *ctx, struct mk *m)
{
	struct ipcadm_sysv_new n = {
		.kind = (enum ipcadm_kind)m->kind,
		.key = m->key,
		.mode = m->mode,
		.flags = (m->exclusive ? IPCADM_CREATE_EXCL : 0) |
			 (m->hugetlb ? IPCADM_CREATE_HUGETLB : 0),
		.size = m->amount,
		.nsems = m->kind == IPCADM_SEM ? (int)m->amount : 0,
	};
	unsigned short *vals = NULL;
	int id, r;

	/* no semaphores: the kernel refuses the array, as it says below */
	if (m->kind == IPCADM_SEM && m->values && m->amount > 0) {
		r = parse_values(m->values, m->amount, &vals, &n.nvalues);
		if (r < 0) {
			errorx("cannot set the values '%s' of a semaphore array: %s", m->values,
			       r == -EINVAL ? "give one value, or one per semaphore" : strerror(-r));
			return 1;
		}
		n.values = vals;
	}
	r = ipcadm_sysv_create(ctx, &n, NULL, &id);
	free(vals);
	if (r < 0)
		return explain_failure(ctx, m, -r);
	if (r == 1) {
		/* the key was taken: the get call handed back that object, as it is */
		if (m->json)
			print_json(m, id, NULL, false);
		else
			obuf_printf(out, "%s %d with key 0x%08x exists already: left as it is\n",
				    nouns[m->kind], id, (unsigned int)m->key);
		return 0;
	}
	if (m->json)
		print_json(m, id, NULL, true);
	else
		obuf_printf(out, "created %s %d, key 0x%08x\n", nouns[m->kind], id,
			    (unsigned int)m->key);
	return 0;
}

static int make_posix(struct ipcadm_ctx *ctx, struct mk *m, const char *name)
{
	struct ipcadm_posix_new n = {
		.kind = (enum ipcadm_kind)m->kind,
		.name = name,
		.mode = m->mode,
		.size = m->amount,
		.maxmsg = m->maxmsg,
		.msgsize = m->msgsize,
	};
	uint64_t v = 0;
	int r;

	if (m->values && (str_to_u64(m->values, &v) < 0 || v > 0x7fffffff))
		return usage_error("mk", "invalid value '%s'", m->values);
	n.value = (unsigned int)v;
	n.name = posix_bare_name(name);
	r = ipcadm_posix_create(ctx, &n);
	if (r == -EINVAL)
		return usage_error("mk", "invalid name '%s', mode or queue attributes", n.name);
	if (r < 0)
		return error_code(r, "cannot create %s '%s'", ipcadm_kind_name(n.kind), n.name);
	if (name[0] == '/')
		name++;
	if (m->json) {
		print_json(m, 0, name, true);
	} else {
		obuf_printf(out, "created %s /", ipcadm_kind_name(m->kind));
		obuf_text(out, name);
		obuf_putc(out, '\n');
	}
	return 0;
}

enum { OPT_KEY = 0x200, OPT_HUGETLB, OPT_VALUE, OPT_MAXMSG, OPT_MSGSIZE };

int cmd_mk(struct ipcadm_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, OPT_KEY },
		{ "mode", required_argument, NULL, 'm' },
		{ "exclusive", no_argument, NULL, 'x' },
		{ "hugetlb", no_argument, NULL, OPT_HUGETLB },
		{ "value", required_argument, NULL, OPT_VALUE },
		{ "maxmsg", required_argument, NULL, OPT_MAXMSG },
		{ "msgsize", required_argument, NULL, OPT_MSGSIZE },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mk m = { .mode = 0600, .key = IPC_PRIVATE };
	bool have_key = false;
	const char *name = NULL;
	uint64_t v;
	int opt;

	while ((opt = getopt_long(argc, argv, "m:xJh", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_KEY:
			if (str_to_key(optarg, &m.key) < 0)
				return usage_error("mk", "invalid key '%s'", optarg);
			have_key = m.key != IPC_PRIVATE;
			break;
		case 'm':
			if (str_to_mode(optarg, 0777, &m.mode) < 0)
				return usage_error("mk", "invalid mode '%s' (octal, at most 777)",
						   optarg);
			break;
		case 'x':
			m.exclusive = true;
			break;
		case OPT_HUGETLB:
			m.hugetlb = true;
			break;
		case OPT_VALUE:
			m.values = optarg;
			break;
		case OPT_MAXMSG:
		case OPT_MSGSIZE:
			if (str_to_u64(optarg, &v) < 0 || v == 0 || v > 0x7fffffff)
				return usage_error("mk", "invalid number '%s'", optarg);
			if (opt == OPT_MAXMSG)
				m.maxmsg = (long)v;
			else
				m.msgsize = (long)v;
			break;
		case 'J':
			m.json = true;
			break;
		case 'h':
			mk_help();
			return 0;
		default:
			return usage_error("mk", "bad usage");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0 || (m.kind = parse_any_kind_arg(argv[0])) < 0)
		return usage_error("mk", "expected shm SIZE, sem NSEMS, msg, pshm NAME SIZE, psem NAME "
					 "or pmq NAME");
	argc--;
	argv++;
	if (IPCADM_IS_POSIX(m.kind)) {
		if (argc < 1)
			return usage_error("mk", "expected %s NAME", ipcadm_kind_name(m.kind));
		name = argv[0];
		argc--;
		argv++;
		if (have_key || m.hugetlb)
			return usage_error("mk", "--key and --hugetlb are for System V objects");
	}
	if (m.kind == IPCADM_SHM || m.kind == IPCADM_PSHM) {
		if (argc != 1 || str_to_size(argv[0], &m.amount) < 0)
			return usage_error("mk", "expected %s SIZE (e.g. 4096, 64K, 1G)",
					   ipcadm_kind_name(m.kind));
	} else if (m.kind == IPCADM_SEM) {
		if (argc != 1 || str_to_u64(argv[0], &m.amount) < 0 || m.amount > INT32_MAX)
			return usage_error("mk", "expected sem NSEMS (a number of semaphores)");
	} else if (argc != 0) {
		return usage_error("mk", "unexpected '%s'", argv[0]);
	}
	if (m.hugetlb && m.kind != IPCADM_SHM)
		return usage_error("mk", "--hugetlb is for shared memory");
	if (m.values && m.kind != IPCADM_SEM && m.kind != IPCADM_PSEM)
		return usage_error("mk", "--value is for semaphores");
	if ((m.maxmsg || m.msgsize) && m.kind != IPCADM_PMQ)
		return usage_error("mk", "--maxmsg and --msgsize are for POSIX queues");
	if (m.exclusive && !have_key && !IPCADM_IS_POSIX(m.kind))
		return usage_error("mk", "--exclusive needs --key (a private object is always new)");
	if (!ipcadm_ctx_is_live(ctx))
		return usage_error("mk", "objects are made on the live system only, not below --root");
	if (IPCADM_IS_POSIX(m.kind))
		return make_posix(ctx, &m, name);
	return make_sysv(ctx, &m);
}
