/* remedy.c: the doctor's remedies as command lines and JSON (remedy.h): the one place that
 * knows the options of ipcadm reap and who, sysctl, /etc/sysctl.d and mount. */
#include "remedy.h"

#include <string.h>

#include "sbuf.h"
#include "strutil.h"

#define SYSCTL_DIR "/etc/sysctl.d"

static const char *const type_names[] = {
	[IPCADM_REMEDY_REAP] = "reap",
	[IPCADM_REMEDY_SET_SYSCTL] = "set_sysctl",
	[IPCADM_REMEDY_WHO] = "who",
	[IPCADM_REMEDY_REMOUNT_DEV_SHM] = "remount_dev_shm",
};

/* Whether a word goes into a command line as it is: a shell splits none of it, globs
 * nothing, and no option is taken for it. */
static bool shell_word(const char *s)
{
	if (*s == '\0' || *s == '-')
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@+-") ==
	       strlen(s);
}

/* A word for the shell: in single quotes, each ' written as '\'' */
static void shell_quoted(struct sbuf *b, const char *s)
{
	sbuf_puts(b, "'");
	for (const char *q; (q = strchr(s, '\'')) != NULL; s = q + 1) {
		sbuf_mem(b, s, (size_t)(q - s));
		sbuf_puts(b, "'\\''");
	}
	sbuf_puts(b, s);
	sbuf_puts(b, "'");
}

static void kinds_list(struct sbuf *b, unsigned int kinds)
{
	bool first = true;

	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		if (!(kinds & IPCADM_KIND_BIT(k)))
			continue;
		if (!first)
			sbuf_puts(b, ",");
		sbuf_puts(b, ipcadm_kind_name(k));
		first = false;
	}
}

/* ipcadm reap [--all-visible] [--include-idle] --kind K [--owner O] [--name P] [--yes] */
/* 0: our own IPC namespace; > 0: a process in it, to enter it through; < 0: another
 * namespace that no process of ours reaches */
static pid_t ns_pid(const struct ipcadm_ns *ns)
{
	if (ns == NULL || ns->self)
		return 0;
	return ns->pid > 0 ? ns->pid : -1;
}

/* "ipcadm CMD", and -N ipcid:ID when it acts in another namespace: the kernel's ID,
 * unlike a PID or an inode number, cannot name another namespace by the time the line
 * is pasted. A kernel without IDs (before 6.18): -N ipc:INODE, reused only once the
 * namespace is gone. */
static void ipcadm_command(struct sbuf *b, const char *cmd, const struct ipcadm_ns *ns)
{
	sbuf_puts(b, "ipcadm ");
	sbuf_puts(b, cmd);
	if (ns_pid(ns) > 0) {
		sbuf_puts(b, ns->id ? " -N ipcid:" : " -N ipc:");
		sbuf_u64(b, ns->id ? ns->id : ns->ino);
	}
}

static void reap_command(struct sbuf *b, const struct ipcadm_remedy_reap *r,
			 const struct ipcadm_ns *ns)
{
	ipcadm_command(b, "reap", ns);
	if (r->all_visible)
		sbuf_puts(b, " --all-visible");
	if (r->include_idle)
		sbuf_puts(b, " --include-idle");
	if (r->kinds) {
		sbuf_puts(b, " --kind ");
		kinds_list(b, r->kinds);
	}
	if (r->has_owner) {
		/* the name only when a shell passes it on whole (a directory service may hold
		 * "sp ace;id") and --owner takes it for a name: digits are a UID, and a user
		 * named "4244" may have another; else the UID */
		sbuf_puts(b, " --owner ");
		if (r->owner_name && shell_word(r->owner_name) &&
		    strspn(r->owner_name, "0123456789") != strlen(r->owner_name))
			sbuf_puts(b, r->owner_name);
		else
			sbuf_u64(b, r->owner);
	}
	if (r->name) {
		sbuf_puts(b, " --name ");
		shell_quoted(b, r->name);
	}
	if (r->yes)
		sbuf_puts(b, " --yes");
}

static void sysctl_value(struct sbuf *b, const struct ipcadm_remedy_sysctl *s)
{
	for (unsigned int i = 0; i < s->nvalues && i < 4; i++) {
		if (i)
			sbuf_puts(b, " ");
		sbuf_u64(b, s->values[i]);
	}
}

/* sysctl -w kernel.sem='250 32000 32 256', or the line of a file in /etc/sysctl.d; in
 * another namespace (nspid != 0) that file is the host's: the setting, as a comment */
static void sysctl_command(struct sbuf *b, const struct ipcadm_remedy_sysctl *s, pid_t nspid)
{
	const char *dot = strrchr(s->sysctl, '.');

	if (s->persist && nspid != 0) {
		sbuf_puts(b, "# ");
		sbuf_puts(b, s->sysctl);
		sbuf_puts(b, " = ");
		sysctl_value(b, s);
		sbuf_puts(b, " where this namespace's processes are started (not the host's "
			     SYSCTL_DIR ")");
		return;
	}
	if (s->persist) {
		sbuf_puts(b, "echo '");
		sbuf_puts(b, s->sysctl);
		sbuf_puts(b, " = ");
		sysctl_value(b, s);
		sbuf_puts(b, "' > " SYSCTL_DIR "/60-ipcadm-");
		sbuf_puts(b, dot ? dot + 1 : s->sysctl);
		sbuf_puts(b, ".conf");
		return;
	}
	sbuf_puts(b, "sysctl -w ");
	sbuf_puts(b, s->sysctl);
	sbuf_puts(b, s->nvalues > 1 ? "='" : "=");
	sysctl_value(b, s);
	if (s->nvalues > 1)
		sbuf_puts(b, "'");
}

const char *remedy_format(const struct ipcadm_remedy *r, const struct ipcadm_ns *ns,
			  bool with_reason, char *buf, size_t len)
{
	pid_t nspid = ns_pid(ns);
	struct sbuf b;
	char size[32];

	sbuf_init(&b, buf, len);
	if (nspid < 0 && !(r->type == IPCADM_REMEDY_SET_SYSCTL && r->sysctl.persist))
		sbuf_puts(&b, "# no process to enter its namespace: "); /* not ours to run */
	if (nspid > 0 && r->type != IPCADM_REMEDY_REAP && r->type != IPCADM_REMEDY_WHO &&
	    !(r->type == IPCADM_REMEDY_SET_SYSCTL && r->sysctl.persist)) {
		/* /dev/shm belongs to the mount namespace, the rest to the IPC one */
		sbuf_puts(&b, r->type == IPCADM_REMEDY_REMOUNT_DEV_SHM ? "nsenter --mount --target "
								       : "nsenter --ipc --target ");
		sbuf_i64(&b, nspid);
		sbuf_puts(&b, " ");
	}
	switch (r->type) {
	case IPCADM_REMEDY_REAP:
		reap_command(&b, &r->reap, ns);
		break;
	case IPCADM_REMEDY_SET_SYSCTL:
		sysctl_command(&b, &r->sysctl, nspid);
		break;
	case IPCADM_REMEDY_WHO:
		ipcadm_command(&b, "who", ns);
		sbuf_puts(&b, " ");
		sbuf_puts(&b, ipcadm_kind_name(r->who.kind));
		sbuf_puts(&b, " ");
		sbuf_i64(&b, r->who.id);
		break;
	case IPCADM_REMEDY_REMOUNT_DEV_SHM:
		size[fmt_size_human(size, r->remount.size)] = '\0';
		sbuf_puts(&b, "mount -o remount,size=");
		sbuf_puts(&b, size);
		sbuf_puts(&b, " /dev/shm");
		break;
	}
	if (with_reason && r->reason) {
		sbuf_puts(&b, "  # ");
		sbuf_puts(&b, r->reason);
	}
	return buf;
}

static void reap_json(struct json *j, const struct ipcadm_remedy_reap *r)
{
	json_array_begin(j, "kinds");
	for (int k = 0; k < IPCADM_NALL_KINDS; k++)
		if (r->kinds & IPCADM_KIND_BIT(k))
			json_str(j, NULL, ipcadm_kind_name(k));
	json_array_end(j);
	if (r->has_owner) {
		json_u64(j, "owner", r->owner);
		json_str(j, "owner_name", r->owner_name);
	} else {
		json_null(j, "owner");
		json_null(j, "owner_name");
	}
	json_bool(j, "include_idle", r->include_idle);
	json_str(j, "name", r->name);
	json_bool(j, "all_visible", r->all_visible);
	json_bool(j, "yes", r->yes);
	json_u64(j, "count", r->count);
}

static void sysctl_json(struct json *j, const struct ipcadm_remedy_sysctl *s)
{
	char value[128];
	struct sbuf b;

	sbuf_init(&b, value, sizeof(value));
	sysctl_value(&b, s);
	json_str(j, "sysctl", s->sysctl);
	json_str(j, "limit", ipcadm_limit_name(s->limit));
	json_str(j, "value", value);
	json_array_begin(j, "values");
	for (unsigned int i = 0; i < s->nvalues && i < 4; i++)
		json_u64(j, NULL, s->values[i]);
	json_array_end(j);
	json_bool(j, "persist", s->persist);
}

void remedy_json(struct json *j, const char *key, const struct ipcadm_remedy *r)
{
	json_object_begin(j, key);
	json_str(j, "type", (unsigned int)r->type < sizeof(type_names) / sizeof(type_names[0])
				    ? type_names[r->type]
				    : NULL);
	switch (r->type) {
	case IPCADM_REMEDY_REAP:
		reap_json(j, &r->reap);
		break;
	case IPCADM_REMEDY_SET_SYSCTL:
		sysctl_json(j, &r->sysctl);
		break;
	case IPCADM_REMEDY_WHO:
		json_str(j, "kind", ipcadm_kind_name(r->who.kind));
		json_i64(j, "id", r->who.id);
		break;
	case IPCADM_REMEDY_REMOUNT_DEV_SHM:
		json_u64(j, "size", r->remount.size);
		break;
	}
	json_str(j, "reason", r->reason);
	json_object_end(j);
}
