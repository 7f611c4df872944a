/* fuzz.h: what the libFuzzer targets share: a checked abort, a strict JSON checker
 * (RFC 8259 plus valid UTF-8) and an output capture for the CLI's buffered writer. */
#ifndef IPCADM_FUZZ_H
#define IPCADM_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* An invariant failed: say which (on file descriptor 2, whatever stderr points at), then
 * abort so libFuzzer saves the input. */
#define CHECK(cond)                                                                       \
	do {                                                                              \
		if (!(cond)) {                                                            \
			dprintf(2, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__,   \
				#cond);                                                   \
			abort();                                                          \
		}                                                                         \
	} while (0)

/* Length of the valid UTF-8 sequence at s (the strict RFC 3629 form), or 0. */
static inline size_t fz_utf8_len(const unsigned char *s, size_t n)
{
	size_t k;
	uint32_t cp;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		k = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		k = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		k = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (k > n)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0; /* overlong or beyond Unicode */
	if (cp >= 0xd800 && cp <= 0xdfff)
		return 0; /* a surrogate */
	return k;
}

static inline bool fz_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	while (n > 0) {
		size_t k = fz_utf8_len(p, n);

		if (k == 0)
			return false;
		p += k;
		n -= k;
	}
	return true;
}

/* ---- a strict JSON checker; strings decoded into a caller's callback ---- */

struct fz_json {
	const char *p, *end;
	int depth;
	/* called with each decoded string (keys and values); may be NULL */
	void (*string)(void *arg, const char *s, size_t n, bool key);
	void *arg;
	char *sbuf;
	size_t scap;
};

static inline void fz_ws(struct fz_json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static inline bool fz_lit(struct fz_json *j, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
		return false;
	j->p += n;
	return true;
}

static inline int fz_hex4(const char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static inline bool fz_sput(struct fz_json *j, size_t *n, const char *s, size_t k)
{
	if (*n + k > j->scap) {
		size_t cap = j->scap ? j->scap * 2 : 256;
		char *b;

		while (cap < *n + k)
			cap *= 2;
		b = realloc(j->sbuf, cap);
		if (b == NULL)
			return false;
		j->sbuf = b;
		j->scap = cap;
	}
	memcpy(j->sbuf + *n, s, k);
	*n += k;
	return true;
}

static inline size_t fz_utf8_put(uint32_t cp, char *b)
{
	if (cp < 0x80) {
		b[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	b[0] = (char)(0xf0 | cp >> 18);
	b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	b[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	b[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static inline bool fz_string(struct fz_json *j, bool key)
{
	size_t n = 0;

	if (j->p >= j->end || *j->p != '"')
		return false;
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;

		if (c < 0x20)
			return false; /* raw control characters are not allowed */
		if (c == '\\') {
			char b[4];
			size_t k = 1;

			if (j->end - j->p < 2)
				return false;
			switch (j->p[1]) {
			case '"': b[0] = '"'; break;
			case '\\': b[0] = '\\'; break;
			case '/': b[0] = '/'; break;
			case 'b': b[0] = '\b'; break;
			case 'f': b[0] = '\f'; break;
			case 'n': b[0] = '\n'; break;
			case 'r': b[0] = '\r'; break;
			case 't': b[0] = '\t'; break;
			case 'u': {
				int v;

				if (j->end - j->p < 6)
					return false;
				v = fz_hex4(j->p + 2);
				if (v < 0 || (v >= 0xd800 && v <= 0xdfff))
					return false; /* we never print surrogate pairs */
				k = fz_utf8_put((uint32_t)v, b);
				j->p += 4;
				break;
			}
			default:
				return false;
			}
			j->p += 2;
			if (!fz_sput(j, &n, b, k))
				return false;
			continue;
		}
		{
			size_t k = fz_utf8_len((const unsigned char *)j->p, (size_t)(j->end - j->p));

			if (k == 0 || !fz_sput(j, &n, j->p, k))
				return false;
			j->p += k;
		}
	}
	if (j->p >= j->end)
		return false;
	j->p++;
	if (j->string)
		j->string(j->arg, j->sbuf ? j->sbuf : "", n, key);
	return true;
}

static inline bool fz_number(struct fz_json *j)
{
	const char *s = j->p;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p >= j->end)
		return false;
	if (*j->p == '0') {
		j->p++;
	} else if (*j->p >= '1' && *j->p <= '9') {
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	} else {
		return false;
	}
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return false;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return false;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	return j->p > s;
}

/* After a member or element: 1 on ',' (another follows), 0 on close (the end), -1 else. */
static inline int fz_after(struct fz_json *j, char close)
{
	fz_ws(j);
	if (j->p < j->end && (*j->p == ',' || *j->p == close))
		return *j->p++ == ',';
	return -1;
}

static inline bool fz_value(struct fz_json *j)
{
	bool ok = false;
	int r;

	if (++j->depth > 64)
		return false;
	fz_ws(j);
	if (j->p >= j->end)
		return false;
	switch (*j->p) {
	case '{':
		j->p++;
		fz_ws(j);
		if (j->p < j->end && *j->p == '}') {
			j->p++;
			ok = true;
			break;
		}
		for (;;) {
			fz_ws(j);
			if (!fz_string(j, true))
				goto out;
			fz_ws(j);
			if (j->p >= j->end || *j->p != ':')
				goto out;
			j->p++;
			if (!fz_value(j))
				goto out;
			r = fz_after(j, '}');
			if (r > 0)
				continue;
			ok = r == 0;
			break;
		}
		break;
	case '[':
		j->p++;
		fz_ws(j);
		if (j->p < j->end && *j->p == ']') {
			j->p++;
			ok = true;
			break;
		}
		for (;;) {
			if (!fz_value(j))
				goto out;
			r = fz_after(j, ']');
			if (r > 0)
				continue;
			ok = r == 0;
			break;
		}
		break;
	case '"':
		ok = fz_string(j, false);
		break;
	case 't':
		ok = fz_lit(j, "true");
		break;
	case 'f':
		ok = fz_lit(j, "false");
		break;
	case 'n':
		ok = fz_lit(j, "null");
		break;
	default:
		ok = fz_number(j);
		break;
	}
out:
	j->depth--;
	return ok;
}

/* True when [s, s + n) is exactly one JSON document (whitespace around it allowed). */
static inline bool fz_json_valid(const char *s, size_t n,
				 void (*string)(void *, const char *, size_t, bool), void *arg)
{
	struct fz_json j = { .p = s, .end = s + n, .string = string, .arg = arg };
	bool ok = fz_value(&j);

	fz_ws(&j);
	ok = ok && j.p == j.end;
	free(j.sbuf);
	return ok;
}

/* ---- capturing what the CLI writes: a memfd the output is pointed at ---- */

struct fz_capture {
	int fd;
	char *buf;
	size_t len, cap;
};

static inline void fz_capture_init(struct fz_capture *c)
{
	c->fd = memfd_create("fuzz-out", MFD_CLOEXEC);
	CHECK(c->fd >= 0);
	c->buf = NULL;
	c->len = c->cap = 0;
}

static inline void fz_capture_reset(struct fz_capture *c)
{
	CHECK(ftruncate(c->fd, 0) == 0);
	CHECK(lseek(c->fd, 0, SEEK_SET) == 0);
	c->len = 0;
}

/* Reads back everything written since the last reset; NUL-terminated. */
static inline void fz_capture_read(struct fz_capture *c)
{
	off_t end = lseek(c->fd, 0, SEEK_CUR);

	CHECK(end >= 0);
	if ((size_t)end + 1 > c->cap) {
		c->cap = (size_t)end + 1;
		c->buf = realloc(c->buf, c->cap);
		CHECK(c->buf != NULL);
	}
	c->len = 0;
	while (c->len < (size_t)end) {
		ssize_t r = pread(c->fd, c->buf + c->len, (size_t)end - c->len, (off_t)c->len);

		CHECK(r > 0);
		c->len += (size_t)r;
	}
	c->buf[c->len] = '\0';
}

#endif
