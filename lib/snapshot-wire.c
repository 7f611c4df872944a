/* snapshot-wire.c: the snapshot as bytes, written by the child that read another IPC
 * namespace and read back by the parent (nsenter.c). */
#include "snapshot-wire.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SNAP_MAGIC 0x69706373u /* "ipcs" */

/* ---- the old format, moved here unchanged ---- */

struct wbuf {
	char *p;
	size_t len, cap;
	bool fail;
};

static void put(struct wbuf *b, const void *data, size_t n)
{
	if (b->fail)
		return;
	if (b->cap - b->len < n) {
		size_t cap = b->cap ? b->cap : 65536;
		char *np;

		while (cap - b->len < n)
			cap *= 2;
		np = realloc(b->p, cap);
		if (np == NULL) {
			b->fail = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void serialize(const struct ipcadm_snapshot *s, struct wbuf *b)
{
	uint32_t magic = SNAP_MAGIC;

	put(b, &magic, sizeof(magic));
	put(b, s->n, sizeof(s->n));
	put(b, s->skipped, sizeof(s->skipped));
	put(b, s->err, sizeof(s->err));
	put(b, &s->plimits, sizeof(s->plimits));
	put(b, &s->limits, sizeof(s->limits));
	put(b, &s->usage, sizeof(s->usage));
	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		for (size_t i = 0; i < s->n[k]; i++) {
			const struct ipcadm_obj *o = &s->objs[k][i];
			uint32_t len = o->name ? (uint32_t)strlen(o->name) : 0;

			put(b, o, sizeof(*o)); /* the pointers only say whether data follows */
			if (o->sems)
				put(b, o->sems, o->nsems * sizeof(*o->sems));
			if (o->name) {
				put(b, &len, sizeof(len));
				put(b, o->name, len);
			}
		}
	}
}

static bool take(const char **p, const char *end, void *out, size_t n)
{
	if ((size_t)(end - *p) < n)
		return false;
	memcpy(out, *p, n);
	*p += n;
	return true;
}

static int deserialize(const char *buf, size_t len, struct ipcadm_snapshot *s)
{
	const char *p = buf, *end = buf + len;
	uint32_t magic;

	if (!take(&p, end, &magic, sizeof(magic)) || magic != SNAP_MAGIC ||
	    !take(&p, end, s->n, sizeof(s->n)) || !take(&p, end, s->skipped, sizeof(s->skipped)) ||
	    !take(&p, end, s->err, sizeof(s->err)) ||
	    !take(&p, end, &s->plimits, sizeof(s->plimits)) ||
	    !take(&p, end, &s->limits, sizeof(s->limits)) ||
	    !take(&p, end, &s->usage, sizeof(s->usage)))
		return -EBADMSG;
	for (int k = 0; k < IPCADM_NALL_KINDS; k++) {
		size_t n = s->n[k];

		s->n[k] = 0;
		if (n > (size_t)(end - p) / sizeof(struct ipcadm_obj))
			return -EBADMSG;
		s->objs[k] = calloc(n ? n : 1, sizeof(struct ipcadm_obj));
		if (s->objs[k] == NULL)
			return -ENOMEM;
		for (size_t i = 0; i < n; i++) {
			struct ipcadm_obj *o = &s->objs[k][i];
			bool sems, name;
			uint32_t nl;

			if (!take(&p, end, o, sizeof(*o)))
				return -EBADMSG;
			sems = o->sems != NULL;
			name = o->name != NULL;
			o->sems = NULL;
			o->name = NULL;
			s->n[k]++; /* freed with the snapshot from here on */
			if (sems) {
				if (o->nsems > (uint64_t)(end - p) / sizeof(*o->sems))
					return -EBADMSG;
				o->sems = malloc(o->nsems ? o->nsems * sizeof(*o->sems) : 1);
				if (o->sems == NULL)
					return -ENOMEM;
				take(&p, end, o->sems, o->nsems * sizeof(*o->sems));
			}
			if (name) {
				if (!take(&p, end, &nl, sizeof(nl)) || nl > (size_t)(end - p))
					return -EBADMSG;
				o->name = malloc(nl + 1);
				if (o->name == NULL)
					return -ENOMEM;
				take(&p, end, o->name, nl);
				o->name[nl] = '\0';
			}
		}
	}
	return p == end ? 0 : -EBADMSG;
}

int snapshot_wire_encode(const struct ipcadm_snapshot *s, char **bufp, size_t *lenp)
{
	struct wbuf b = { 0 };

	serialize(s, &b);
	if (b.fail) {
		free(b.p);
		return -ENOMEM;
	}
	*bufp = b.p;
	*lenp = b.len;
	return 0;
}

int snapshot_wire_decode(const char *buf, size_t len, struct ipcadm_snapshot **snapp)
{
	struct ipcadm_snapshot *s = calloc(1, sizeof(*s));
	int r;

	if (s == NULL)
		return -ENOMEM;
	r = deserialize(buf, len, s);
	if (r < 0) {
		ipcadm_snapshot_free(s);
		return r;
	}
	*snapp = s;
	return 0;
}
