/* cmd-rm.c: `ipcadm rm`: removes objects by ID, by key or (listed first, confirmed) in bulk;
 * each removal is re-verified by the library, and each outcome is reported, -J too. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "filter.h"
#include "ipcadm-cli.h"
#include "json.h"
#include "object.h"
#include "obuf.h"
#include "strutil.h"

static const char *const nouns[IPCADM_NSYSV_KINDS] = {
	[IPCADM_SHM] = "shared memory segment",
	[IPCADM_SEM] = "semaphore array",
	[IPCADM_MSG] = "message queue",
};

/* Why an array or queue listed for removal was kept after all. */
#define WAITER_CAME "a process began waiting on it since it was listed"

struct rm {
	struct ipcadm_ctx *ctx;
	bool json, dry_run, yes, all, private_only, have_owner;
	unsigned int kinds; /* kinds chosen with --kind or the positional word (0: all) */
	uid_t owner;
	struct age_filter age;
	struct json j; /* -J: the array of outcomes */
	int failed;
};

static void rm_help(void)
{
	printf("Usage: %s rm [OPTIONS] [shm|sem|msg] ID...\n"
	       "       %s rm [OPTIONS] pshm|psem|pmq NAME...\n"
	       "       %s rm [OPTIONS] --key KEY [--kind LIST]\n"
	       "       %s rm [OPTIONS] --all [--owner USER] [--private] [--older-than AGE]\n\n"
	       "Remove System V IPC objects (and POSIX ones by name). Each object is read\n"
	       "again right before IPC_RMID. A segment already removed while attached is\n"
	       "freed when its last user detaches and still counts against the limits until\n"
	       "then: it is reported, not removed again. Bulk removal (--all) lists what it\n"
	       "will remove, leaves objects in use (attached segments, arrays with waiters),\n"
	       "and asks for confirmation at a terminal unless --yes is given.\n\n"
	       "Options:\n"
	       "      --key KEY            the object with this key (decimal or 0x hex)\n"
	       "  -a, --all                every object that the filters below select\n"
	       "  -k, --kind LIST          only these kinds: shm,sem,msg\n"
	       "  -u, --owner USER         only objects of this owner (name or UID)\n"
	       "  -p, --private            only private objects (key 0)\n"
	       AGE_FILTER_HELP
	       "  -y, --yes                remove without asking\n"
	       "      --dry-run            only list what would be removed\n"
	       "  -J, --json               report what was done as JSON\n"
	       "  -h, --help               this help\n",
	       progname, progname, progname, progname);
}

static void key_text(const struct ipcadm_obj *o, char buf[16])
{
	snprintf(buf, 16, "0x%08x", (unsigned int)o->key);
}

/* One outcome: a line of text, or one element of the JSON array. */
static void report(struct rm *c, enum ipcadm_kind kind, int id, const struct ipcadm_obj *o,
		   const char *action, const char *why)
{
	char key[16] = "";

	if (o)
		key_text(o, key);
	if (c->json) {
		json_object_begin(&c->j, NULL);
		json_str(&c->j, "kind", ipcadm_kind_name(kind));
		json_i64(&c->j, "id", id);
		json_str(&c->j, "key", o ? key : NULL);
		json_str(&c->j, "action", action);
		json_str(&c->j, "reason", why);
		json_object_end(&c->j);
		return;
	}
	if (strcmp(action, "removed") == 0 || strcmp(action, "would-remove") == 0) {
		obuf_printf(out, "%s %s %d", strcmp(action, "removed") == 0 ? "removed" : "would remove",
			    nouns[kind], id);
		if (o) {
			const char *owner = ipcadm_user_name(c->ctx, o->uid);

			if (owner) {
				obuf_printf(out, " (key %s, owner ", key);
				obuf_text(out, owner);
				obuf_putc(out, ')');
			} else
				obuf_printf(out, " (key %s, owner %u)", key, (unsigned int)o->uid);
		}
		obuf_putc(out, '\n');
	} else if (strcmp(action, "marked") == 0) {
		obuf_printf(out, "%s %d is already removed: ", nouns[kind], id);
		obuf_text(out, why);
		obuf_putc(out, '\n');
	} else {
		errorx("%s %s %d: %s", strcmp(action, "skipped") == 0 ? "not removing" : "cannot remove",
		       nouns[kind], id, why);
	}
}

static const char *dest_note(const struct ipcadm_obj *o, char *buf, size_t len)
{
	snprintf(buf, len,
		 "it is freed when its last user detaches (nattch %llu), and counts against "
		 "SHMMNI and SHMALL until then",
		 o ? (unsigned long long)o->nattch : 0ULL);
	return buf;
}

/* Removes one object; expect NULL for an object named by the user (removed even when
 * busy), the listed object for bulk removal (skipped if it changed since). */
static void remove_one(struct rm *c, enum ipcadm_kind kind, int id, const struct ipcadm_obj *o,
		       const struct ipcadm_obj *expect)
{
	char buf[192];
	int r = ipcadm_obj_remove(c->ctx, kind, id, expect);

	switch (r) {
	case 0:
		report(c, kind, id, o, "removed", NULL);
		return;
	case -EALREADY:
		report(c, kind, id, o, "marked", dest_note(o, buf, sizeof(buf)));
		return;
	case -ESTALE:
		report(c, kind, id, o, "skipped", "it changed since it was listed: in use");
		c->failed++;
		return;
	case -EBUSY: /* the array's waiter counts, read again right before IPC_RMID */
		report(c, kind, id, o, "skipped", "in use: " WAITER_CAME);
		c->failed++;
		return;
	case -ENOENT:
		report(c, kind, id, o, "failed", "no such object (removed meanwhile?)");
		c->failed++;
		return;
	default:
		report(c, kind, id, o, "failed", strerror(-r));
		c->failed++;
		return;
	}
}

/* rm [KIND] ID...: each ID of the kind, or of the one kind that has it. */
static void remove_ids(struct rm *c, int kind, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		struct ipcadm_obj objs[IPCADM_NSYSV_KINDS];
		int id, found = 0, which = -1, r = 0;

		if (str_to_id(argv[i], &id) < 0) {
			errorx("invalid ID '%s'", argv[i]);
			c->failed++;
			continue;
		}
		for (int k = 0; k < IPCADM_NSYSV_KINDS; k++) {
			if (kind >= 0 && k != kind)
				continue;
			r = ipcadm_obj_read(c->ctx, k, id, 0, &objs[k]);
			if (r == -ENOENT)
				continue;
			if (r < 0)
				break;
			found++;
			which = k;
		}
		if (r < 0 && r != -ENOENT) {
			errorx("cannot read ID %d: %s", id, strerror(-r));
			c->failed++;
		} else if (found > 1) {
			/* IDs of different kinds can be equal: never guess which one to remove */
			errorx("ID %d is taken by more than one kind: say shm, sem or msg", id);
			c->failed++;
		} else if (found == 1) {
			remove_one(c, which, id, &objs[which], NULL);
		}
		/* (read without IPCADM_READ_SEMPIDS: nothing to release) */
		if (r < 0 && r != -ENOENT)
			continue;
		if (!found) {
			if (c->json) {
				report(c, kind >= 0 ? kind : IPCADM_SHM, id, NULL, "failed",
				       "no such object");
			} else if (kind >= 0) {
				errorx("no %s with ID %d", nouns[kind], id);
			} else {
				errorx("no shared memory segment, semaphore array or message queue "
				       "with ID %d",
				       id);
			}
			c->failed++;
		}
	}
}

static bool selected(const struct rm *c, const struct ipcadm_obj *o, int64_t now)
{
	if (c->have_owner && o->uid != c->owner)
		return false;
	if (c->private_only && o->key != 0)
		return false;
	return age_filter_match(&c->age, o, now);
}

/* Asks at a terminal; true for "y" or "yes". */
static bool confirm(size_t n)
{
	char answer[16];

	obuf_flush(out);
	fprintf(stderr, "remove these %zu objects? [y/N] ", n);
	fflush(stderr);
	if (fgets(answer, sizeof(answer), stdin) == NULL)
		return false;
	answer[strcspn(answer, "\n")] = '\0';
	return strcmp(answer, "y") == 0 || strcmp(answer, "Y") == 0 ||
	       strcmp(answer, "yes") == 0;
}

/* What --all or --key makes of an object: not selected, marked for destruction already, in
 * use (why says by what), or to be removed. */
enum pick { PICK_NO, PICK_DEST, PICK_BUSY, PICK_YES };

static enum pick pick(const struct rm *c, const struct ipcadm_obj *o, bool by_key, int32_t key,
		      int64_t now, const struct ipcadm_analysis *an, char *why, size_t len)
{
	if (by_key ? o->key != key : !selected(c, o, now))
		return PICK_NO;
	if (o->kind == IPCADM_SHM && (o->mode & IPCADM_SHM_DEST))
		return PICK_DEST;
	if (!by_key && bulk_in_use(an, o, why, len))
		return PICK_BUSY;
	return PICK_YES;
}

/*
 * The last look before --all removes, after the confirmation that may take the admin
 * minutes: one pass over the processes for any that began waiting on an array or queue
 * to be removed. Nothing else shows a queue's new waiter (the re-read compares what a
 * send or receive changes), nor a stopped semop waiter. Returns a flag per object to be
 * removed (in the order of the removal loop), or NULL when the pass found none or could
 * not be made: then the waits listed decide, as for the listing.
 */
static bool *waiters_came(struct rm *c, const struct ipcadm_snapshot *snap, unsigned int kinds,
			  int32_t key, int64_t now, const struct ipcadm_analysis *an)
{
	const struct ipcadm_obj **objs;
	size_t m = 0, total = 0;
	bool *waiting;
	char why[96];
	int r;

	for (int k = 0; k < IPCADM_NSYSV_KINDS; k++)
		total += ipcadm_snapshot_count(snap, k);
	objs = calloc(total ? total : 1, sizeof(*objs));
	waiting = calloc(total ? total : 1, sizeof(*waiting));
	if (objs == NULL || waiting == NULL) {
		free(objs);
		free(waiting);
		return NULL;
	}
	for (int k = 0; k < IPCADM_NSYSV_KINDS; k++)
		for (size_t i = 0; (kinds & IPCADM_KIND_BIT(k)) && i < ipcadm_snapshot_count(snap, k);
		     i++) {
			const struct ipcadm_obj *o = ipcadm_snapshot_obj(snap, k, i);

			if (pick(c, o, false, key, now, an, why, sizeof(why)) == PICK_YES)
				objs[m++] = o;
		}
	r = ipcadm_waiters_find(c->ctx, objs, m, waiting);
	free(objs);
	if (r < 0) {
		free(waiting);
		return NULL;
	}
	return waiting;
}

/* --all and --key: select from one snapshot, list, confirm, remove each as listed. */
static int remove_selected(struct rm *c, bool by_key, int32_t key)
{
	unsigned int kinds = c->kinds ? c->kinds : IPCADM_SYSV_KINDS;
	struct ipcadm_snapshot *snap;
	struct ipcadm_analysis *an;
	int64_t now = (int64_t)time(NULL);
	size_t n = 0, busy = 0;
	char buf[192], why[96];
	bool *waiting;
	int r;

	r = ipcadm_snapshot_read(c->ctx, kinds, IPCADM_READ_SEMPIDS, &snap);
	if (r < 0)
		return error_code(r, "cannot read the IPC state");
	an = by_key ? NULL : bulk_analyze(c->ctx, snap);
	/* the list first: what will go, and what stays because it is in use */
	for (int k = 0; k < IPCADM_NSYSV_KINDS; k++) {
		for (size_t i = 0; (kinds & IPCADM_KIND_BIT(k)) && i < ipcadm_snapshot_count(snap, k);
		     i++) {
			const struct ipcadm_obj *o = ipcadm_snapshot_obj(snap, k, i);
			enum pick p = pick(c, o, by_key, key, now, an, why, sizeof(why));

			if (p == PICK_NO)
				continue;
			if (p == PICK_DEST) {
				report(c, k, o->id, o, "marked", dest_note(o, buf, sizeof(buf)));
				continue;
			}
			if (p == PICK_BUSY) {
				snprintf(buf, sizeof(buf), "in use: %s", why);
				report(c, k, o->id, o, "skipped", buf);
				busy++;
				continue;
			}
			n++;
			if (!by_key && (c->dry_run || !c->yes))
				report(c, k, o->id, o, "would-remove", NULL);
		}
	}
	if (by_key && n == 0 && busy == 0) {
		ipcadm_analysis_free(an);
		ipcadm_snapshot_free(snap);
		if (!c->json)
			errorx("no object with key 0x%08x", (unsigned int)key);
		c->failed++;
		return 0;
	}
	if (c->dry_run || n == 0) {
		ipcadm_analysis_free(an);
		ipcadm_snapshot_free(snap);
		if (!c->dry_run)
			c->failed += (int)busy;
		return 0;
	}
	if (!by_key && !c->yes) {
		if (c->json || !isatty(STDIN_FILENO) || !confirm(n)) {
			ipcadm_analysis_free(an);
			ipcadm_snapshot_free(snap);
			if (c->json || !isatty(STDIN_FILENO))
				errorx("not removing %zu object(s) without --yes (or a 'y' at a terminal)",
				       n);
			c->failed++;
			return 0;
		}
	}
	waiting = by_key ? NULL : waiters_came(c, snap, kinds, key, now, an);
	for (int k = 0, at = 0; k < IPCADM_NSYSV_KINDS; k++) {
		for (size_t i = 0; (kinds & IPCADM_KIND_BIT(k)) && i < ipcadm_snapshot_count(snap, k);
		     i++) {
			const struct ipcadm_obj *o = ipcadm_snapshot_obj(snap, k, i);

			if (pick(c, o, by_key, key, now, an, why, sizeof(why)) != PICK_YES)
				continue;
			if (waiting && waiting[at++]) {
				report(c, k, o->id, o, "skipped", "in use: " WAITER_CAME);
				busy++;
				continue;
			}
			remove_one(c, k, o->id, o, by_key ? NULL : o);
		}
	}
	free(waiting);
	c->failed += (int)busy;
	ipcadm_analysis_free(an);
	ipcadm_snapshot_free(snap);
	return 0;
}

/* ipcadm rm pshm|psem|pmq NAME: no checks, the user named it. */
/* Removes one POSIX object; its outcome in -J's array (errors on standard error too). */
static int remove_posix(struct rm *c, int kind, const char *name)
{
	const char *why = NULL;
	int r, rc = 0;

	name = posix_bare_name(name);
	r = ipcadm_posix_remove(c->ctx, kind, name, NULL);
	if (r == -ENOENT) {
		rc = object_not_found(kind, name, 0);
		why = "no such object";
	} else if (r == -EINVAL) {
		rc = usage_error("rm", "invalid name '%s': 1 to 250 bytes, no '/'", name);
		why = "invalid name";
	} else if (r < 0) {
		rc = error_code(r, "cannot remove %s '%s'", ipcadm_kind_name(kind), name);
		why = strerror(-r);
	}
	if (c->json) {
		json_object_begin(&c->j, NULL);
		json_str(&c->j, "kind", ipcadm_kind_name(kind));
		json_str(&c->j, "name", name);
		json_str(&c->j, "action", rc ? "failed" : "removed");
		json_str(&c->j, "reason", why);
		json_object_end(&c->j);
	}
	return rc;
}

enum { OPT_KEY = 0x200, OPT_OLDER, OPT_DRY };

int cmd_rm(struct ipcadm_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, OPT_KEY },
		{ "all", no_argument, NULL, 'a' },
		{ "kind", required_argument, NULL, 'k' },
		{ "owner", required_argument, NULL, 'u' },
		{ "private", no_argument, NULL, 'p' },
		{ "older-than", required_argument, NULL, OPT_OLDER },
		{ "yes", no_argument, NULL, 'y' },
		{ "dry-run", no_argument, NULL, OPT_DRY },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rm c = { .ctx = ctx };
	const char *key_arg = NULL;
	int32_t key = 0;
	int opt, kind = -1;

	while ((opt = getopt_long(argc, argv, "ak:u:pyJh", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_KEY:
			key_arg = optarg;
			if (str_to_key(optarg, &key) < 0)
				return usage_error("rm", "invalid key '%s'", optarg);
			if (key == 0)
				return usage_error("rm", "key 0 is IPC_PRIVATE, not a key: use --private");
			break;
		case 'a':
			c.all = true;
			break;
		case 'k':
			if (parse_kind_list(optarg, false, &c.kinds) < 0)
				return usage_error("rm", "invalid kind list '%s' (shm,sem,msg)", optarg);
			break;
		case 'u':
			if (ipcadm_user_lookup(ctx, optarg, &c.owner) < 0)
				return usage_error("rm", "unknown user '%s'", optarg);
			c.have_owner = true;
			break;
		case 'p':
			c.private_only = true;
			break;
		case OPT_OLDER:
			if (age_filter_parse("rm", optarg, &c.age))
				return EXIT_MISUSE;
			break;
		case 'y':
			c.yes = true;
			break;
		case OPT_DRY:
			c.dry_run = true;
			break;
		case 'J':
			c.json = true;
			break;
		case 'h':
			rm_help();
			return 0;
		default:
			return usage_error("rm", "bad usage");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 0 && parse_any_kind_arg(argv[0]) >= 0) {
		kind = parse_any_kind_arg(argv[0]);
		argc--;
		argv++;
	}
	if (kind >= IPCADM_NSYSV_KINDS) {
		int rc = 0;

		if (argc == 0 || c.all || key_arg)
			return usage_error("rm", "expected %s NAME...", ipcadm_kind_name(kind));
		json_init(&c.j, out);
		if (c.json)
			json_array_begin(&c.j, NULL);
		for (int i = 0; i < argc; i++) {
			int r = remove_posix(&c, kind, argv[i]);

			if (r == 0 && !c.json) {
				obuf_printf(out, "removed %s ", ipcadm_kind_name(kind));
				obuf_text(out, argv[i]);
				obuf_putc(out, '\n');
			}
			rc = rc ? rc : r;
		}
		if (c.json)
			json_finish(&c.j);
		return rc;
	}
	if (kind >= 0) {
		if (c.kinds)
			return usage_error("rm", "give the kind once: as a word or with --kind");
		c.kinds = IPCADM_KIND_BIT(kind);
	}
	if ((c.all || key_arg) && argc > 0)
		return usage_error("rm", "IDs cannot be given with --all or --key");
	if (c.all && key_arg)
		return usage_error("rm", "--all and --key exclude each other");
	if (!c.all && !key_arg && argc == 0)
		return usage_error("rm", "expected IDs, --key KEY or --all");
	if (!c.all && (c.have_owner || c.private_only || c.age.set))
		return usage_error("rm", "--owner, --private and --older-than select for --all");
	if (!ipcadm_ctx_is_live(ctx) && !c.dry_run)
		return usage_error("rm", "objects are removed on the live system only, not below "
					 "--root (--dry-run lists)");
	json_init(&c.j, out);
	if (c.json)
		json_array_begin(&c.j, NULL);
	if (c.all)
		remove_selected(&c, false, 0);
	else if (key_arg)
		remove_selected(&c, true, key);
	else
		remove_ids(&c, kind, argc, argv);
	if (c.json)
		json_finish(&c.j);
	return c.failed ? 1 : 0;
}
