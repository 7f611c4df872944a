/* metrics-merge.c: joins the Prometheus text of several IPC namespaces into one valid
 * exposition: each metric family once, its HELP and TYPE first, then every namespace's samples. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipcadm-cli.h"
#include "metrics-merge.h"
#include "obuf.h"

struct family {
	char name[128];
	const char *head; /* the HELP and TYPE lines of the first text that had them */
	size_t headlen;
	char *samples;
	size_t len, cap;
};

static struct family *family_of(struct family **v, size_t *n, size_t *cap, const char *name,
				size_t nlen)
{
	for (size_t i = 0; i < *n; i++)
		if (strlen((*v)[i].name) == nlen && memcmp((*v)[i].name, name, nlen) == 0)
			return &(*v)[i];
	if (nlen >= sizeof((*v)->name))
		return NULL;
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		struct family *nv = realloc(*v, nc * sizeof(*nv));

		if (nv == NULL)
			return NULL;
		*v = nv;
		*cap = nc;
	}
	memset(&(*v)[*n], 0, sizeof(**v));
	memcpy((*v)[*n].name, name, nlen);
	return &(*v)[(*n)++];
}

static int append(struct family *f, const char *s, size_t n)
{
	if (f->cap - f->len < n) {
		size_t nc = f->cap ? f->cap * 2 : 1024;
		char *np;

		while (nc - f->len < n)
			nc *= 2;
		np = realloc(f->samples, nc);
		if (np == NULL)
			return -ENOMEM;
		f->samples = np;
		f->cap = nc;
	}
	memcpy(f->samples + f->len, s, n);
	f->len += n;
	return 0;
}

int metrics_merge(const char *const *texts, const size_t *lens, size_t ntexts, struct obuf *o)
{
	struct family *v = NULL, *cur = NULL;
	size_t n = 0, cap = 0;
	int r = 0;

	for (size_t t = 0; t < ntexts && r == 0; t++) {
		const char *p = texts[t], *end = texts[t] + lens[t];

		cur = NULL;
		while (p < end && r == 0) {
			const char *eol = memchr(p, '\n', (size_t)(end - p));
			size_t len = (eol ? (size_t)(eol - p) : (size_t)(end - p)) + (eol != NULL);

			if (len > 7 && memcmp(p, "# HELP ", 7) == 0) {
				const char *name = p + 7, *sp = memchr(name, ' ', len - 7);

				cur = family_of(&v, &n, &cap, name,
						sp ? (size_t)(sp - name) : len - 7 - (eol != NULL));
				if (cur == NULL)
					r = -ENOMEM;
				else if (cur->head == NULL)
					cur->head = p, cur->headlen = len;
			} else if (len > 7 && memcmp(p, "# TYPE ", 7) == 0) {
				if (cur && cur->head && cur->head + cur->headlen == p)
					cur->headlen += len; /* HELP and TYPE, adjacent */
			} else if (cur && len > 0 && p[0] != '#') {
				r = append(cur, p, len);
			}
			p += len;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (r == 0) {
			obuf_write(o, v[i].head, v[i].headlen);
			obuf_write(o, v[i].samples ? v[i].samples : "", v[i].len);
		}
		free(v[i].samples);
	}
	free(v);
	return r;
}
