/* ctx.c: the library context: a root prefix that every path is read through,
 * so tests and support bundles can point the library at a copied /proc tree. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ipcadm_ctx_new(struct ipcadm_ctx **ctxp, const char *root)
{
	struct ipcadm_ctx *ctx;
	size_t n;

	if (root == NULL || *root == '\0')
		root = "/";
	n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n >= sizeof(ctx->root))
		return -ENAMETOOLONG;
	ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL)
		return -ENOMEM;
	memcpy(ctx->root, root, n);
	ctx->mqfd = -1;
	ctx->live = n == 1 && root[0] == '/';
	if (ctx->live)
		ctx->root[0] = '\0'; /* paths are absolute already */
	*ctxp = ctx;
	return 0;
}

void ipcadm_ctx_free(struct ipcadm_ctx *ctx)
{
	if (ctx == NULL)
		return;
	name_cache_free(ctx->users);
	name_cache_free(ctx->groups);
	if (ctx->mqfd >= 0)
		close(ctx->mqfd);
	free(ctx);
}

const char *ipcadm_ctx_root(const struct ipcadm_ctx *ctx)
{
	return ctx->live ? "/" : ctx->root;
}

bool ipcadm_ctx_is_live(const struct ipcadm_ctx *ctx)
{
	return ctx->live;
}

void ipcadm_ctx_set_source(struct ipcadm_ctx *ctx, enum ipcadm_source source)
{
	ctx->source = source;
}

void ipcadm_ctx_set_all_visible(struct ipcadm_ctx *ctx, bool all_visible)
{
	ctx->all_visible = all_visible;
}

void ipcadm_ctx_set_remove_hook(struct ipcadm_ctx *ctx,
				const struct ipcadm_remove_hook *hook)
{
	if (hook)
		ctx->hook = *hook;
	else
		memset(&ctx->hook, 0, sizeof(ctx->hook));
}

int hook_before(const struct ipcadm_ctx *ctx, const struct ipcadm_obj *expect)
{
	return expect && ctx->hook.before ? ctx->hook.before(ctx->hook.arg, expect) : 0;
}

void hook_after(const struct ipcadm_ctx *ctx, const struct ipcadm_obj *expect, int r)
{
	if (expect && ctx->hook.after)
		ctx->hook.after(ctx->hook.arg, expect, r);
}

int ipcadm_ctx_open(const struct ipcadm_ctx *ctx, const char *path, int flags)
{
	char full[PATH_MAX + 256];
	int fd;

	if ((size_t)snprintf(full, sizeof(full), "%s%s", ctx->root, path) >= sizeof(full))
		return -ENAMETOOLONG;
	fd = open(full, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Reads fd to its end, max bytes at most (-EFBIG beyond). */
static int read_fd_max(int fd, size_t max, char **bufp, size_t *lenp)
{
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);

	if (buf == NULL)
		return -ENOMEM;
	for (;;) {
		ssize_t r;

		if (cap - len < 4096) {
			char *nb = realloc(buf, cap * 2);

			if (nb == NULL) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0) {
			int err = -errno;

			if (errno == EINTR)
				continue;
			free(buf);
			return err;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > max) {
			free(buf);
			return -EFBIG;
		}
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

int read_fd_all(int fd, char **bufp, size_t *lenp)
{
	return read_fd_max(fd, SIZE_MAX, bufp, lenp);
}

/* A regular file of at most IPCADM_READ_MAX bytes (its size in /proc is 0), read whole. */
static int read_and_close(int fd, char **bufp, size_t *lenp)
{
	struct stat st;
	int r;

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0)
		r = -errno;
	else if (S_ISDIR(st.st_mode))
		r = -EISDIR;
	else if (!S_ISREG(st.st_mode))
		r = IPCADM_ENOTREG;
	else if ((uint64_t)st.st_size > IPCADM_READ_MAX)
		r = -EFBIG;
	else if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)
		r = -errno;
	else
		r = read_fd_max(fd, IPCADM_READ_MAX, bufp, lenp);
	close(fd);
	return r;
}

/* O_NONBLOCK: a FIFO must not wait for a writer before it is found out; cleared after. */
int read_file(const struct ipcadm_ctx *ctx, const char *path, char **bufp, size_t *lenp)
{
	return read_and_close(ipcadm_ctx_open(ctx, path, O_RDONLY | O_NONBLOCK | O_NOCTTY), bufp,
			      lenp);
}

int read_file_at(int dirfd, const char *name, char **bufp, size_t *lenp)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	return read_and_close(fd < 0 ? -errno : fd, bufp, lenp);
}

int dir_from_fd(int fd, DIR **dirp)
{
	int r;

	if (fd < 0)
		return fd;
	*dirp = fdopendir(fd);
	if (*dirp != NULL)
		return 0;
	r = -errno;
	close(fd);
	return r;
}

int dir_at(int dirfd, const char *path, DIR **dirp)
{
	int fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	return dir_from_fd(fd < 0 ? -errno : fd, dirp);
}

static const char *const kind_names[IPCADM_NALL_KINDS] = { "shm", "sem", "msg",
							    "pshm", "psem", "pmq" };

const char *ipcadm_kind_name(enum ipcadm_kind kind)
{
	return (unsigned int)kind < IPCADM_NALL_KINDS ? kind_names[kind] : "?";
}

int ipcadm_kind_parse(const char *name)
{
	static const struct {
		const char *word;
		enum ipcadm_kind kind;
	} words[] = {
		{ "shm", IPCADM_SHM },  { "sem", IPCADM_SEM },	  { "msg", IPCADM_MSG },
		{ "m", IPCADM_SHM },	{ "s", IPCADM_SEM },	  { "q", IPCADM_MSG },
		{ "shared-memory", IPCADM_SHM }, { "semaphores", IPCADM_SEM },
		{ "queues", IPCADM_MSG }, { "semaphore", IPCADM_SEM }, { "queue", IPCADM_MSG },
		{ "pshm", IPCADM_PSHM }, { "psem", IPCADM_PSEM },	  { "pmq", IPCADM_PMQ },
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(name, words[i].word) == 0)
			return words[i].kind;
	return -EINVAL;
}
