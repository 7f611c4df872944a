/* posixparse.c: pure parsers on buffers for POSIX IPC: a queue file's line, mountinfo,
 * fd link text and every file mapping of /proc/PID/maps; unit-tested and fuzzed directly. */
#include "posixparse.h"

#include <errno.h>
#include <string.h>

#include "strutil.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

int posixparse_mqueue(const char *buf, size_t len, struct mq_file_info *mi)
{
	const char *p = buf, *end = buf + len;
	bool have_qsize = false, have_pid = false;

	memset(mi, 0, sizeof(*mi));
	while (p < end) {
		const char *tok, *colon;
		int64_t v;

		while (p < end && is_space(*p))
			p++;
		if (p == end)
			break;
		tok = p;
		while (p < end && !is_space(*p))
			p++;
		colon = memchr(tok, ':', (size_t)(p - tok));
		if (colon == NULL || mem_to_i64(colon + 1, (size_t)(p - colon - 1), &v) < 0)
			return -EBADMSG;
#define KEY(s) ((size_t)(colon - tok) == sizeof(s) - 1 && memcmp(tok, s, sizeof(s) - 1) == 0)
		if (KEY("QSIZE")) {
			if (v < 0)
				return -EBADMSG;
			mi->qsize = (uint64_t)v;
			have_qsize = true;
		} else if (KEY("NOTIFY")) {
			mi->notify = (int)v;
		} else if (KEY("SIGNO")) {
			mi->signo = (int)v;
		} else if (KEY("NOTIFY_PID")) {
			if (v < 0 || v > INT32_MAX)
				return -EBADMSG;
			mi->notify_pid = (pid_t)v;
			have_pid = true;
		} /* a key added by a later kernel is skipped */
#undef KEY
	}
	return have_qsize && have_pid ? 0 : -EBADMSG;
}

/* Copies a mountinfo field, turning \ooo escapes back into bytes; false when too long. */
static int unescape(const char *s, size_t n, char *out, size_t outlen)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			c = (char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 3;
		}
		if (c == '\0')
			return -1; /* no path holds one: a malformed line (the fuzzer found \000) */
		if (o + 1 >= outlen)
			return 0;
		out[o++] = c;
	}
	out[o] = '\0';
	return 1;
}

int posixparse_mountinfo(const char *buf, size_t len, const char *fstype, char *mnt,
			 size_t mntlen)
{
	const char *line = buf, *end = buf + len;
	size_t tlen = strlen(fstype);

	while (line < end) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		const char *f[64];
		size_t fl[64], nf = 0;
		const char *p = line;

		if (eol == NULL)
			eol = end;
		while (p < eol && nf < 64) {
			while (p < eol && *p == ' ')
				p++;
			if (p == eol)
				break;
			f[nf] = p;
			while (p < eol && *p != ' ')
				p++;
			fl[nf] = (size_t)(p - f[nf]);
			nf++;
		}
		line = eol + 1;
		/* id parent maj:min root mountpoint options [optional...] - fstype source super */
		for (size_t i = 6; i + 1 < nf; i++) {
			if (fl[i] != 1 || f[i][0] != '-')
				continue;
			if (fl[i + 1] == tlen && memcmp(f[i + 1], fstype, tlen) == 0) {
				int u = unescape(f[4], fl[4], mnt, mntlen);

				if (u < 0)
					break;
				return u ? 0 : -ENAMETOOLONG;
			}
			break;
		}
	}
	return -ENOENT;
}

enum fd_link_type posixparse_fd_link(const char *link, size_t len, size_t *pathlen)
{
	static const char deleted[] = " (deleted)";
	size_t dl = sizeof(deleted) - 1;

	*pathlen = 0;
	if (len == 0 || link[0] != '/')
		return FD_LINK_OTHER;
	if (len > dl && memcmp(link + len - dl, deleted, dl) == 0) {
		*pathlen = len - dl;
		return FD_LINK_DELETED;
	}
	*pathlen = len;
	return FD_LINK_PATH;
}

/* Parses hex digits at *p up to a stop character; false when there are none. */
static bool hex_field(const char **p, const char *end, char stop, uint64_t *v)
{
	const char *s = *p;

	*v = 0;
	while (s < end && *s != stop) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else
			return false;
		if (*v >> 60)
			return false;
		*v = *v * 16 + (uint64_t)d;
		s++;
	}
	if (s == *p || s == end)
		return false;
	*p = s + 1;
	return true;
}

/* Skips to the character after the next space. */
static const char *next_field(const char *p, const char *end)
{
	while (p < end && *p != ' ')
		p++;
	while (p < end && *p == ' ')
		p++;
	return p;
}

int posixparse_maps(const char *buf, size_t len,
		    int (*fn)(void *arg, const struct proc_file_map *m), void *arg)
{
	const char *line = buf, *end = buf + len;
	int count = 0;

	while (line < end) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		const char *p, *perms, *ino;
		struct proc_file_map m = { 0 };
		uint64_t major, minor;

		if (eol == NULL)
			eol = end;
		if (eol == line) {
			line = eol + 1;
			continue;
		}
		perms = next_field(line, eol); /* address range, then perms */
		if (eol - perms < 5)
			return -EBADMSG;
		m.writable = perms[1] == 'w';
		m.shared = perms[3] == 's';
		p = next_field(next_field(perms, eol), eol); /* past the offset */
		if (!hex_field(&p, eol, ':', &major) || !hex_field(&p, eol, ' ', &minor) ||
		    major > 0xfff || minor > 0xfffff)
			return -EBADMSG;
		m.dev_major = (unsigned int)major;
		m.dev_minor = (unsigned int)minor;
		ino = p;
		while (p < eol && *p != ' ')
			p++;
		if (mem_to_u64(ino, (size_t)(p - ino), &m.inode) < 0)
			return -EBADMSG;
		while (p < eol && *p == ' ')
			p++;
		m.path = p;
		m.pathlen = (size_t)(eol - p);
		line = eol + 1;
		if (m.inode == 0)
			continue;
		count++;
		if (fn(arg, &m))
			break;
	}
	return count;
}
