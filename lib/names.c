/* names.c: user and group names, looked up once per id and cached (unknown ids too).
 * Live roots ask NSS; a copied root is answered from its own etc/passwd and etc/group. */
#include "internal.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strutil.h"

struct name_entry {
	uint32_t id;
	bool used;
	char *name; /* NULL: the id has no name */
};

struct name_cache {
	struct name_entry *tab;
	size_t cap, n;
	bool loaded; /* a copied root's file was read in whole */
};

void name_cache_free(struct name_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->cap; i++)
		free(c->tab[i].name);
	free(c->tab);
	free(c);
}

static struct name_entry *cache_slot(struct name_cache *c, uint32_t id)
{
	size_t i = (id * 2654435761u) & (c->cap - 1);

	while (c->tab[i].used && c->tab[i].id != id)
		i = (i + 1) & (c->cap - 1);
	return &c->tab[i];
}

static int cache_grow(struct name_cache *c)
{
	struct name_cache nc = { .cap = c->cap ? c->cap * 2 : 64 };

	nc.tab = calloc(nc.cap, sizeof(*nc.tab));
	if (nc.tab == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < c->cap; i++)
		if (c->tab[i].used)
			*cache_slot(&nc, c->tab[i].id) = c->tab[i];
	free(c->tab);
	c->tab = nc.tab;
	c->cap = nc.cap;
	return 0;
}

/* Adds an entry; the first name for an id wins, as with getpwuid. */
static int cache_put(struct name_cache *c, uint32_t id, const char *name, size_t len)
{
	struct name_entry *e;

	if ((c->n + 1) * 2 > c->cap && cache_grow(c) < 0)
		return -ENOMEM;
	e = cache_slot(c, id);
	if (e->used)
		return 0;
	e->used = true;
	e->id = id;
	e->name = name ? strndup(name, len) : NULL;
	c->n++;
	return 0;
}

/* Reads every "name:x:id:..." line of a copied root's passwd or group file. */
static void cache_load_file(const struct ipcadm_ctx *ctx, struct name_cache *c, const char *path)
{
	char *buf, *line, *next;
	size_t len;

	c->loaded = true;
	if (read_file(ctx, path, &buf, &len) < 0)
		return;
	for (line = buf; line < buf + len; line = next) {
		char *nl = memchr(line, '\n', (size_t)(buf + len - line));
		char *f1, *f2, *f3;
		uint64_t id;

		next = nl ? nl + 1 : buf + len;
		if (nl)
			*nl = '\0';
		f1 = strchr(line, ':');
		f2 = f1 ? strchr(f1 + 1, ':') : NULL;
		f3 = f2 ? strchr(f2 + 1, ':') : NULL;
		if (f3 == NULL || mem_to_u64(f2 + 1, (size_t)(f3 - f2 - 1), &id) < 0 ||
		    id > UINT32_MAX)
			continue;
		cache_put(c, (uint32_t)id, line, (size_t)(f1 - line));
	}
	free(buf);
}

static const char *nss_name(bool user, uint32_t id, char *buf, size_t len)
{
	if (user) {
		struct passwd pw, *res = NULL;

		if (getpwuid_r(id, &pw, buf, len, &res) == 0 && res)
			return res->pw_name;
	} else {
		struct group gr, *res = NULL;

		if (getgrgid_r(id, &gr, buf, len, &res) == 0 && res)
			return res->gr_name;
	}
	return NULL;
}

static const char *lookup(struct ipcadm_ctx *ctx, struct name_cache **cp, bool user,
			  uint32_t id)
{
	struct name_cache *c = *cp;
	struct name_entry *e;
	char buf[16384];
	const char *name;

	if (c == NULL) {
		c = calloc(1, sizeof(*c));
		if (c == NULL || cache_grow(c) < 0) {
			free(c);
			return NULL;
		}
		*cp = c;
	}
	if (!ctx->live && !c->loaded)
		cache_load_file(ctx, c, user ? "/etc/passwd" : "/etc/group");
	e = cache_slot(c, id);
	if (e->used)
		return e->name;
	if (!ctx->live)
		return NULL;
	name = nss_name(user, id, buf, sizeof(buf));
	if (cache_put(c, id, name, name ? strlen(name) : 0) < 0)
		return NULL;
	return cache_slot(c, id)->name; /* the copy: name points into buf, on this stack */
}

const char *ipcadm_user_name(struct ipcadm_ctx *ctx, uid_t uid)
{
	return lookup(ctx, &ctx->users, true, uid);
}

const char *ipcadm_group_name(struct ipcadm_ctx *ctx, gid_t gid)
{
	return lookup(ctx, &ctx->groups, false, gid);
}

int ipcadm_user_lookup(struct ipcadm_ctx *ctx, const char *name, uid_t *uid)
{
	uint64_t id;

	if (mem_to_u64(name, strlen(name), &id) == 0) {
		if (id > UINT32_MAX - 1)
			return -ERANGE;
		*uid = (uid_t)id;
		return 0;
	}
	if (ctx->live) {
		char buf[16384];
		struct passwd pw, *res = NULL;

		if (getpwnam_r(name, &pw, buf, sizeof(buf), &res) != 0 || res == NULL)
			return -ENOENT;
		*uid = res->pw_uid;
		return 0;
	}
	ipcadm_user_name(ctx, 0); /* loads the copied root's passwd */
	for (size_t i = 0; ctx->users && i < ctx->users->cap; i++) {
		struct name_entry *e = &ctx->users->tab[i];

		if (e->used && e->name && strcmp(e->name, name) == 0) {
			*uid = e->id;
			return 0;
		}
	}
	return -ENOENT;
}
