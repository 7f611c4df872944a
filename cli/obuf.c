/* obuf.c: the buffered writer behind every line ipcadm prints to standard output.
 * Write errors (EPIPE, ENOSPC) are kept and returned by obuf_flush(). */
#include "obuf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "strutil.h"

static struct obuf stdout_buf = { .fd = 1 };
struct obuf *out = &stdout_buf;

void obuf_init(struct obuf *o, int fd)
{
	o->fd = fd;
	o->err = 0;
	o->len = 0;
}

static void drain(struct obuf *o)
{
	size_t off = 0;

	while (off < o->len && o->err == 0) {
		ssize_t r = write(o->fd, o->buf + off, o->len - off);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			o->err = -errno;
			break;
		}
		off += (size_t)r;
	}
	o->len = 0;
}

void obuf_write(struct obuf *o, const char *s, size_t n)
{
	if (n < sizeof(o->buf) - o->len) { /* the common case: it fits */
		memcpy(o->buf + o->len, s, n);
		o->len += n;
		return;
	}
	while (n > 0) {
		size_t room = sizeof(o->buf) - o->len;
		size_t k = n < room ? n : room;

		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
		if (o->len == sizeof(o->buf))
			drain(o);
	}
}

void obuf_puts(struct obuf *o, const char *s)
{
	obuf_write(o, s, strlen(s));
}

void obuf_putc(struct obuf *o, char c)
{
	if (o->len == sizeof(o->buf))
		drain(o);
	o->buf[o->len++] = c;
}

void obuf_escaped(struct obuf *o, const char *s, size_t n, unsigned int flags)
{
	if (!esc_needed(s, n, flags)) {
		obuf_write(o, s, n);
		return;
	}
	/* straight into the buffer: a unit takes ESC_UNIT_MAX bytes at most (with less room
	 * left, esc_some would write nothing and this loop never end) */
	while (n > 0) {
		size_t used;

		if (sizeof(o->buf) - o->len < ESC_UNIT_MAX)
			drain(o);
		o->len += esc_some(o->buf + o->len, sizeof(o->buf) - o->len, s, n, flags, &used);
		s += used;
		n -= used;
	}
}

void obuf_text(struct obuf *o, const char *s)
{
	obuf_escaped(o, s, strlen(s), 0);
}

void obuf_pad(struct obuf *o, size_t n)
{
	static const char spaces[64] = "                                                                ";

	if (n <= sizeof(o->buf) - o->len) {
		memset(o->buf + o->len, ' ', n);
		o->len += n;
		return;
	}
	while (n > 0) {
		size_t k = n < sizeof(spaces) ? n : sizeof(spaces);

		obuf_write(o, spaces, k);
		n -= k;
	}
}

void obuf_u64(struct obuf *o, uint64_t v)
{
	char b[24];

	obuf_write(o, b, fmt_u64(b, v));
}

void obuf_i64(struct obuf *o, int64_t v)
{
	char b[24];

	obuf_write(o, b, fmt_i64(b, v));
}

void obuf_printf(struct obuf *o, const char *fmt, ...)
{
	char b[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	obuf_write(o, b, (size_t)n < sizeof(b) ? (size_t)n : sizeof(b) - 1);
}

int obuf_flush(struct obuf *o)
{
	drain(o);
	return o->err;
}
