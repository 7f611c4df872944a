/* posix-names.c: POSIX object names that a library generates (CPython's psm_XXXXXXXX ...),
 * built in and from /etc/ipcadm/names.conf, and how to tell the generating program's processes. */
#include "posix-names.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strutil.h"

#define HEX8 "[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]"
#define RND "[a-z0-9_]"
/* CPython (python3.11) and PyPy (pypy3, pypy3.9), which runs CPython's multiprocessing
 * and makes the same names. A CPython renamed or copied (Debian's is static: no
 * libpython) is told by what it maps: SharedMemory and the locks load _posixshmem and
 * _multiprocessing from /usr/lib/python3.X/lib-dynload (or a venv's python3.X). */
#define PY_ID .comm = "py[pt]*", .exe = "py[pt]*", .maps = "python"

/*
 * Each verified in the generating program's source:
 * - CPython's multiprocessing.shared_memory.SharedMemory (Lib/multiprocessing/shared_memory.py,
 *   _make_filename): "/psm_" + secrets.token_hex(4), so eight lower-case hex digits.
 * - CPython's multiprocessing SemLock (Lib/multiprocessing/synchronize.py): "/mp-" + eight
 *   characters of tempfile's random sequence (a-z, 0-9, _); with the fork start method the
 *   name is unlinked at once, with spawn and forkserver it lives as long as the lock.
 * PyPy's standard library is CPython's: the same names, made by processes named pypy3.
 * Left out: glibc's sem_open temporaries ("sem.XXXXXX", six letters and digits, renamed to the
 * real name at once): a semaphore a program names with six such characters looks the same.
 */
static const struct name_rule builtin[] = {
	{ IPCADM_KIND_BIT(IPCADM_PSHM), "psm_" HEX8, "python", "psm_XXXXXXXX", PY_ID },
	{ IPCADM_KIND_BIT(IPCADM_PSEM), "mp-" RND RND RND RND RND RND RND RND, "python",
	  "mp-XXXXXXXX", PY_ID },
};

static int parse_kinds(const char *s, unsigned int *kinds)
{
	char buf[64], *save = NULL;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	*kinds = 0;
	for (char *k = strtok_r(buf, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
		int kind = ipcadm_kind_parse(k);

		if (kind < 0 || !IPCADM_IS_POSIX(kind))
			return -EINVAL;
		*kinds |= IPCADM_KIND_BIT(kind);
	}
	return *kinds ? 0 : -EINVAL;
}

static int set_field(char *dst, size_t cap, const char *src)
{
	if (src[0] == '\0' || strlen(src) >= cap)
		return -EINVAL;
	strcpy(dst, src);
	return 0;
}

/* One line: KINDS GLOB PROGRAM [comm=GLOB] [exe=GLOB] [maps=TEXT]. */
static int parse_line(char *line, struct name_rule *r)
{
	char *save = NULL, *f[8];
	size_t n = 0;

	memset(r, 0, sizeof(*r));
	for (char *t = strtok_r(line, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n == sizeof(f) / sizeof(f[0]))
			return -EINVAL;
		f[n++] = t;
	}
	if (n < 3 || parse_kinds(f[0], &r->kinds) < 0 ||
	    set_field(r->glob, sizeof(r->glob), f[1]) < 0 ||
	    set_field(r->program, sizeof(r->program), f[2]) < 0)
		return -EINVAL;
	strcpy(r->shown, r->glob);
	for (size_t i = 3; i < n; i++) {
		char *v = strchr(f[i], '=');
		char *dst;
		size_t cap;

		if (v == NULL)
			return -EINVAL;
		*v++ = '\0';
		if (strcmp(f[i], "comm") == 0)
			dst = r->comm, cap = sizeof(r->comm);
		else if (strcmp(f[i], "exe") == 0)
			dst = r->exe, cap = sizeof(r->exe);
		else if (strcmp(f[i], "maps") == 0)
			dst = r->maps, cap = sizeof(r->maps);
		else
			return -EINVAL;
		if (dst[0] != '\0' || set_field(dst, cap, v) < 0)
			return -EINVAL; /* each field once */
	}
	return 0;
}

int name_rules_parse(const char *buf, size_t len, struct name_rules *rs, size_t *bad_line)
{
	size_t line_no = 0;
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[512], *s;
		struct name_rule r;

		line_no++;
		if (n >= sizeof(line) || memchr(p, '\0', n)) {
			*bad_line = line_no;
			return -EBADMSG;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + 1;
		s = line + strspn(line, " \t");
		if (s[0] == '\0' || s[0] == '#')
			continue;
		if (parse_line(s, &r) < 0) {
			*bad_line = line_no;
			return -EBADMSG;
		}
		if (rs->n == rs->cap) {
			size_t cap = rs->cap ? rs->cap * 2 : 8;
			struct name_rule *v = realloc(rs->v, cap * sizeof(*v));

			if (v == NULL)
				return -ENOMEM;
			rs->v = v;
			rs->cap = cap;
		}
		rs->v[rs->n++] = r;
	}
	return 0;
}

int name_rules_load(struct ipcadm_ctx *ctx, struct name_rules *rs)
{
	char *buf = NULL;
	size_t len = 0, bad = 0;
	int r;

	memset(rs, 0, sizeof(*rs));
	r = read_file(ctx, NAMES_CONF, &buf, &len);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	r = name_rules_parse(buf, len, rs, &bad);
	free(buf);
	if (r < 0) {
		name_rules_release(rs);
		rs->bad_line = bad;
	}
	return r;
}

void name_rules_release(struct name_rules *rs)
{
	free(rs->v);
	rs->v = NULL;
	rs->n = rs->cap = 0;
}

const struct name_rule *name_rules_match(const struct name_rules *rs, enum ipcadm_kind kind,
					 const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; rs && i < rs->n; i++) /* the admin's rules first */
		if ((rs->v[i].kinds & IPCADM_KIND_BIT(kind)) &&
		    fnmatch(rs->v[i].glob, name, FNM_PATHNAME) == 0)
			return &rs->v[i];
	for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
		if ((builtin[i].kinds & IPCADM_KIND_BIT(kind)) &&
		    fnmatch(builtin[i].glob, name, FNM_PATHNAME) == 0)
			return &builtin[i];
	return NULL;
}

/* Whether the maps of pid name a file whose path contains text. */
static bool maps_contain(int procfd, pid_t pid, const char *text)
{
	char path[32], *buf = NULL;
	size_t len = 0;
	bool yes;

	snprintf(path, sizeof(path), "%d/maps", (int)pid);
	if (read_file_at(procfd, path, &buf, &len) < 0)
		return false;
	yes = strstr(buf, text) != NULL;
	free(buf);
	return yes;
}

bool name_rule_is_program(const struct name_rule *r, int procfd, pid_t pid, const char *comm)
{
	char path[32], exe[4096];
	ssize_t n;

	if (r->comm[0] && comm && fnmatch(r->comm, comm, 0) == 0)
		return true;
	if (r->exe[0]) {
		snprintf(path, sizeof(path), "%d/exe", (int)pid);
		n = readlinkat(procfd, path, exe, sizeof(exe) - 1);
		if (n > 0) {
			const char *base;

			exe[n] = '\0';
			base = strrchr(exe, '/');
			if (fnmatch(r->exe, base ? base + 1 : exe, 0) == 0)
				return true;
		}
	}
	return r->maps[0] && maps_contain(procfd, pid, r->maps);
}
