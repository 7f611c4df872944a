/* procparse.c: strict parsers for /proc/PID/{stat,status,maps,syscall}, /proc/stat and the
 * proc mounts of mountinfo. A malformed file is an error, never a crash or a guess. */
#include "procparse.h"

#include <errno.h>
#include <string.h>

#include "strutil.h"

/* Next space-separated field of [*p, end); returns its length (0 at the end). */
static size_t next_field(const char **p, const char *end, const char **field)
{
	const char *s = *p;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	*field = s;
	while (s < end && *s != ' ' && *s != '\t' && *s != '\n')
		s++;
	*p = s;
	return (size_t)(s - *field);
}

int procparse_stat(const char *buf, size_t len, struct proc_stat *st)
{
	const char *end = buf + len, *open = memchr(buf, '(', len), *close = NULL, *p, *f;
	uint64_t v;
	int64_t iv;
	size_t n, comm_len;

	/* comm may hold spaces and parentheses: it ends at the last ')' */
	for (const char *q = end; q > buf; q--) {
		if (q[-1] == ')') {
			close = q - 1;
			break;
		}
	}
	if (open == NULL || close == NULL || close < open)
		return -EBADMSG;
	if (mem_to_i64(buf, (size_t)(open - buf - (open > buf && open[-1] == ' ')), &iv) < 0 ||
	    iv <= 0 || iv > INT32_MAX)
		return -EBADMSG;
	st->pid = (pid_t)iv;
	comm_len = (size_t)(close - open - 1);
	if (comm_len >= sizeof(st->comm))
		comm_len = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, comm_len);
	st->comm[comm_len] = '\0';
	p = close + 1;
	/* field 3 is the state; the fields are numbered from 1 (pid) */
	for (int field = 3; field <= 22; field++) {
		n = next_field(&p, end, &f);
		if (n == 0)
			return -EBADMSG;
		if (field == 3) {
			if (n != 1)
				return -EBADMSG;
			st->state = f[0];
			continue;
		}
		if (field != 4 && field != 6 && field != 9 && field != 20 && field != 22)
			continue;
		if (field == 4 || field == 6 || field == 20) {
			if (mem_to_i64(f, n, &iv) < 0 || iv < 0 || iv > INT32_MAX)
				return -EBADMSG;
			if (field == 4)
				st->ppid = (pid_t)iv;
			else if (field == 6)
				st->session = (pid_t)iv;
			else
				st->num_threads = (long)iv;
			continue;
		}
		if (mem_to_u64(f, n, &v) < 0)
			return -EBADMSG;
		if (field == 9)
			st->flags = (unsigned long)v;
		else
			st->starttime = v;
	}
	return 0;
}

/* The line of /proc/PID/status that starts with tag (a NUL-terminated "Name:"): its
 * text after the tag in *from, up to *to (its newline, or the end of buf); false if none. */
static bool status_line(const char *buf, size_t len, const char *tag, const char **from,
			const char **to)
{
	const char *p = buf, *end = buf + len;
	size_t tlen = strlen(tag);

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (eol == NULL)
			eol = end;
		if ((size_t)(eol - p) >= tlen && memcmp(p, tag, tlen) == 0) {
			*from = p + tlen;
			*to = eol;
			return true;
		}
		p = eol + 1;
	}
	return false;
}

/* The first three numbers of a status line (real, effective, saved). */
static int status_ids(const char *buf, size_t len, const char *tag, uint32_t *r,
		      uint32_t *e, uint32_t *s)
{
	const char *q, *eol, *f;
	uint64_t v[3];

	if (!status_line(buf, len, tag, &q, &eol))
		return -EBADMSG;
	for (int i = 0; i < 3; i++) {
		size_t n = next_field(&q, eol, &f);

		if (n == 0 || mem_to_u64(f, n, &v[i]) < 0 || v[i] > UINT32_MAX)
			return -EBADMSG;
	}
	*r = (uint32_t)v[0];
	*e = (uint32_t)v[1];
	*s = (uint32_t)v[2];
	return 0;
}

int procparse_status_uids(const char *buf, size_t len, uid_t *ruid, uid_t *euid,
			  uid_t *suid)
{
	return status_ids(buf, len, "Uid:", ruid, euid, suid);
}

int procparse_status_gids(const char *buf, size_t len, gid_t *rgid, gid_t *egid,
			  gid_t *sgid)
{
	return status_ids(buf, len, "Gid:", rgid, egid, sgid);
}

int procparse_status_groups(const char *buf, size_t len, gid_t *v, size_t cap)
{
	const char *q, *eol, *f;
	size_t n, count = 0;
	uint64_t g;

	/* a line cut short by the end of buf may have lost groups: no answer */
	if (!status_line(buf, len, "Groups:", &q, &eol) || eol == buf + len)
		return -EBADMSG;
	while ((n = next_field(&q, eol, &f)) > 0) {
		if (mem_to_u64(f, n, &g) < 0 || g > UINT32_MAX || count >= INT32_MAX)
			return -EBADMSG;
		if (count < cap)
			v[count] = (gid_t)g;
		count++;
	}
	return (int)count;
}

int procparse_status_capeff(const char *buf, size_t len, uint64_t *caps)
{
	const char *q, *eol, *f;
	uint64_t v;
	size_t n;

	/* the kernel prints the set as %016llx: one field of 16 hex digits, then the newline
	 * (a line cut short by the end of buf is no answer) */
	if (!status_line(buf, len, "CapEff:", &q, &eol) || eol == buf + len)
		return -EBADMSG;
	n = next_field(&q, eol, &f);
	if (n != 16 || mem_to_hex(f, n, &v) < 0 || next_field(&q, eol, &f) != 0)
		return -EBADMSG;
	*caps = v;
	return 0;
}

int procparse_sysv_name(const char *name, size_t len, uint32_t *key)
{
	uint64_t v;

	if (len < 13 || memcmp(name, "/SYSV", 5) != 0 || mem_to_hex(name + 5, 8, &v) < 0)
		return -EINVAL;
	*key = (uint32_t)v;
	return 0;
}

/* One maps line known to name /SYSV: "start-end perms offset maj:min inode /SYSVkkkkkkkk". */
static int parse_sysv_line(const char *p, const char *eol, struct proc_sysv_map *m)
{
	const char *f, *colon;
	size_t n;
	uint64_t v, maj, min;

	n = next_field(&p, eol, &f); /* range */
	if (n == 0)
		return -EBADMSG;
	n = next_field(&p, eol, &f); /* perms */
	if (n != 4)
		return -EBADMSG;
	m->writable = f[1] == 'w';
	n = next_field(&p, eol, &f); /* offset */
	if (mem_to_hex(f, n, &v) < 0)
		return -EBADMSG;
	n = next_field(&p, eol, &f); /* dev */
	colon = memchr(f, ':', n);
	if (colon == NULL || mem_to_hex(f, (size_t)(colon - f), &maj) < 0 ||
	    mem_to_hex(colon + 1, (size_t)(f + n - colon - 1), &min) < 0 || maj > UINT32_MAX ||
	    min > UINT32_MAX)
		return -EBADMSG;
	m->dev_major = (unsigned int)maj;
	m->dev_minor = (unsigned int)min;
	n = next_field(&p, eol, &f); /* inode */
	if (mem_to_u64(f, n, &v) < 0)
		return -EBADMSG;
	m->inode = (unsigned long)v;
	n = next_field(&p, eol, &f); /* path */
	if (procparse_sysv_name(f, n, &m->key) < 0)
		return -EBADMSG;
	return 0;
}

int procparse_maps_sysv(const char *buf, size_t len,
			int (*fn)(void *arg, const struct proc_sysv_map *m), void *arg)
{
	const char *p = buf, *end = buf + len;
	int count = 0;

	while (p < end) {
		const char *hit = memmem(p, (size_t)(end - p), " /SYSV", 6);
		const char *bol, *eol;
		struct proc_sysv_map m;

		if (hit == NULL)
			break;
		for (bol = hit; bol > buf && bol[-1] != '\n'; bol--)
			;
		eol = memchr(hit, '\n', (size_t)(end - hit));
		if (eol == NULL)
			eol = end;
		if (parse_sysv_line(bol, eol, &m) < 0)
			return -EBADMSG;
		count++;
		if (fn && fn(arg, &m))
			break;
		p = eol;
	}
	return count;
}

int procparse_syscall(const char *buf, size_t len, long *nr, uint64_t args[6])
{
	const char *p = buf, *end = buf + len, *f;
	size_t n = next_field(&p, end, &f);
	int64_t v;

	if (n == 7 && memcmp(f, "running", 7) == 0)
		return 0;
	if (mem_to_i64(f, n, &v) < 0)
		return -EBADMSG;
	if (v < 0)
		return 0; /* blocked, but not in a system call */
	*nr = (long)v;
	for (int i = 0; i < 6; i++) {
		uint64_t a;

		n = next_field(&p, end, &f);
		if (n < 3 || f[0] != '0' || f[1] != 'x' || mem_to_hex(f + 2, n - 2, &a) < 0)
			return -EBADMSG;
		args[i] = a;
	}
	return 1;
}

int procparse_btime(const char *buf, size_t len, int64_t *btime)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (eol == NULL)
			eol = end;
		if (eol - p > 6 && memcmp(p, "btime ", 6) == 0) {
			const char *q = p + 6, *f;
			size_t n = next_field(&q, eol, &f);

			return mem_to_i64(f, n, btime) < 0 ? -EBADMSG : 0;
		}
		p = eol + 1;
	}
	return -EBADMSG;
}

/* In a proc mount's super options ("rw,hidepid=invisible,gid=10"), what hidepid and gid
 * say: *gid is -1 without one. */
static void proc_options(const char *p, const char *end, bool *hides, int64_t *gid)
{
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p)), *v;
		size_t n;

		if (comma == NULL)
			comma = end;
		n = (size_t)(comma - p);
		if (n > 8 && memcmp(p, "hidepid=", 8) == 0) {
			v = p + 8;
			*hides = !((n == 9 && v[0] == '0') ||
				   (n == 11 && memcmp(v, "off", 3) == 0));
		} else if (n > 4 && memcmp(p, "gid=", 4) == 0) {
			uint64_t g;

			if (mem_to_u64(p + 4, n - 4, &g) < 0 || g > UINT32_MAX)
				*gid = -1;
			else
				*gid = (int64_t)g;
		}
		p = comma + 1;
	}
}

int procparse_proc_hidepid(const char *buf, size_t len, uint64_t mnt_id, int64_t *gid)
{
	const char *line = buf, *end = buf + len;

	while (line < end) {
		const char *eol = memchr(line, '\n', (size_t)(end - line)), *p = line, *f;
		uint64_t id;
		bool hides = false;
		size_t n;

		if (eol == NULL)
			eol = end;
		line = eol + 1;
		n = next_field(&p, eol, &f);
		if (mem_to_u64(f, n, &id) < 0 || id != mnt_id)
			continue;
		/* id parent maj:min root mountpoint options [optional...] - type source super */
		while ((n = next_field(&p, eol, &f)) > 0 && !(n == 1 && f[0] == '-'))
			;
		if (n == 0 || next_field(&p, eol, &f) != 4 || memcmp(f, "proc", 4) != 0 ||
		    next_field(&p, eol, &f) == 0 || (n = next_field(&p, eol, &f)) == 0)
			return -EBADMSG;
		*gid = -1;
		proc_options(f, f + n, &hides, gid);
		return hides;
	}
	return -ENOENT;
}
