/* fuzz-posixparse.c: libFuzzer target for the POSIX IPC parsers of lib/posixparse.c: a
 * queue file's line, /proc/PID/mountinfo, fd link texts and file mappings of maps. What
 * each accepts is printed back as the kernel prints it and must parse the same. */
#include <errno.h>
#include <inttypes.h>

#include "fuzz.h"
#include "posixparse.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void check_mqueue(const char *buf, size_t len)
{
	struct mq_file_info mi, again;
	char out[160];
	int n, r = posixparse_mqueue(buf, len, &mi);

	if (r < 0) {
		CHECK(r == -EBADMSG);
		return;
	}
	CHECK(r == 0);
	n = snprintf(out, sizeof(out), "QSIZE:%-10" PRIu64 " NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n",
		     mi.qsize, mi.notify, mi.signo, (int)mi.notify_pid);
	CHECK(n > 0 && (size_t)n < sizeof(out));
	CHECK(posixparse_mqueue(out, (size_t)n, &again) == 0);
	CHECK(again.qsize == mi.qsize && again.notify_pid == mi.notify_pid);
	CHECK(again.notify == mi.notify && again.signo == mi.signo);
}

/* A mount point as mountinfo prints it: space, tab, newline and backslash in octal. */
static size_t escape_mnt(const char *s, char *out)
{
	size_t n = 0;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			n += (size_t)sprintf(out + n, "\\%03o", (unsigned char)*s);
		else
			out[n++] = *s;
	}
	out[n] = '\0';
	return n;
}

static void check_mountinfo(const char *buf, size_t len, size_t mntlen)
{
	char *mnt = malloc(mntlen), again[4096], esc[4 * 4096 + 1], *line;
	int r = posixparse_mountinfo(buf, len, "mqueue", mnt, mntlen);

	CHECK(mnt != NULL);
	if (r < 0) {
		CHECK(r == -ENOENT || r == -ENAMETOOLONG || r == -EBADMSG);
		free(mnt);
		return;
	}
	CHECK(r == 0);
	CHECK(memchr(mnt, '\0', mntlen) != NULL);
	/* printed back unless it could not be: NUL bytes never occur in a real mountinfo */
	if (strlen(mnt) < 1024 && !memchr(buf, '\0', len)) {
		size_t n;

		escape_mnt(mnt, esc);
		line = malloc(strlen(esc) + 128);
		CHECK(line != NULL);
		n = (size_t)sprintf(line, "36 25 0:21 / %s rw,nosuid,nodev,noexec,relatime shared:14 - "
					  "mqueue mqueue rw\n", esc);
		CHECK(posixparse_mountinfo(line, n, "mqueue", again, sizeof(again)) == 0);
		if (strcmp(again, mnt) != 0) {
			dprintf(2, "mount point '%s' came back as '%s' from: %s", mnt, again, line);
			abort();
		}
		free(line);
	}
	free(mnt);
}

static void check_fd_link(const char *buf, size_t len)
{
	size_t pathlen = SIZE_MAX;
	enum fd_link_type t = posixparse_fd_link(buf, len, &pathlen);

	CHECK(t == FD_LINK_PATH || t == FD_LINK_DELETED || t == FD_LINK_OTHER);
	if (t == FD_LINK_OTHER)
		return;
	CHECK(pathlen <= len);
	if (t == FD_LINK_DELETED) {
		CHECK(len >= 10 && memcmp(buf + len - 10, " (deleted)", 10) == 0);
		CHECK(pathlen == len - 10);
	}
}

struct maps_seen {
	const char *buf;
	size_t len, calls;
	bool reprint;
	struct proc_file_map last;
};

static int on_map(void *arg, const struct proc_file_map *m)
{
	struct maps_seen *s = arg;

	s->calls++;
	s->last = *m;
	CHECK(m->inode != 0);
	if (m->pathlen)
		CHECK(m->path >= s->buf && m->path + m->pathlen <= s->buf + s->len);
	if (s->reprint && m->pathlen && m->pathlen < 1024 && !memchr(m->path, '\n', m->pathlen) &&
	    !memchr(m->path, '\0', m->pathlen)) {
		/* the same mapping printed back; the name must not start with a blank */
		char line[1200];
		struct maps_seen again = { .buf = line, .reprint = false };
		int n = snprintf(line, sizeof(line),
				 "7f0000000000-7f0000001000 r%c%c%c 00000000 %02x:%02x %" PRIu64
				 "                  %.*s\n",
				 m->writable ? 'w' : '-', 'x', m->shared ? 's' : 'p', m->dev_major,
				 m->dev_minor, m->inode, (int)m->pathlen, m->path);

		if (m->path[0] == ' ' || m->path[0] == '\t')
			return 0;
		CHECK(n > 0 && (size_t)n < sizeof(line));
		again.len = (size_t)n;
		CHECK(posixparse_maps(line, (size_t)n, on_map, &again) == 1);
		CHECK(again.last.inode == m->inode && again.last.writable == m->writable);
		CHECK(again.last.shared == m->shared && again.last.dev_major == m->dev_major);
		CHECK(again.last.dev_minor == m->dev_minor);
		CHECK(again.last.pathlen == m->pathlen &&
		      memcmp(again.last.path, m->path, m->pathlen) == 0);
	}
	return 0;
}

static int stop_at_first(void *arg, const struct proc_file_map *m)
{
	struct maps_seen *s = arg;

	(void)m;
	s->calls++;
	return 1;
}

static void check_maps(const char *buf, size_t len)
{
	struct maps_seen s = { .buf = buf, .len = len, .reprint = true };
	int r = posixparse_maps(buf, len, on_map, &s);

	if (r < 0) {
		CHECK(r == -EBADMSG);
		return;
	}
	CHECK((size_t)r == s.calls);
	/* a callback that stops at the first mapping: one call */
	if (r > 0) {
		struct maps_seen first = { .buf = buf, .len = len };

		CHECK(posixparse_maps(buf, len, stop_at_first, &first) >= 1 && first.calls == 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1); /* exact size: reads past the end are caught */

	CHECK(buf != NULL);
	memcpy(buf, data, size);
	check_mqueue(buf, size);
	check_mountinfo(buf, size, 4096);
	check_mountinfo(buf, size, 8);
	check_fd_link(buf, size);
	check_maps(buf, size);
	free(buf);
	return 0;
}
