/* sbuf.c: see sbuf.h. */
#include "sbuf.h"

#include <string.h>

#include "escape.h"
#include "strutil.h"

void sbuf_init(struct sbuf *b, char *s, size_t cap)
{
	b->s = s;
	b->cap = cap;
	b->len = 0;
	s[0] = '\0';
}

void sbuf_append_to(struct sbuf *b, char *s, size_t cap)
{
	b->s = s;
	b->cap = cap;
	b->len = strnlen(s, cap - 1);
	s[b->len] = '\0';
}

void sbuf_mem(struct sbuf *b, const char *p, size_t n)
{
	size_t room = b->cap - 1 - b->len;

	if (n > room) { /* cut before the sequence that does not fit, not inside it */
		n = room;
		while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sbuf_puts(struct sbuf *b, const char *p)
{
	sbuf_mem(b, p, strlen(p));
}

void sbuf_escaped(struct sbuf *b, const char *p)
{
	b->len += esc_str(b->s + b->len, b->cap - b->len, p, 0);
}

void sbuf_u64(struct sbuf *b, uint64_t v)
{
	char tmp[24];

	sbuf_mem(b, tmp, fmt_u64(tmp, v));
}

void sbuf_i64(struct sbuf *b, int64_t v)
{
	char tmp[24];

	sbuf_mem(b, tmp, fmt_i64(tmp, v));
}

void sbuf_label_u64(struct sbuf *b, const char *label, uint64_t v)
{
	sbuf_puts(b, label);
	sbuf_u64(b, v);
}

void sbuf_label_i64(struct sbuf *b, const char *label, int64_t v)
{
	sbuf_puts(b, label);
	sbuf_i64(b, v);
}

void sbuf_key(struct sbuf *b, uint32_t key)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[10] = { '0', 'x' };

	for (int i = 0; i < 8; i++)
		tmp[2 + i] = hex[(key >> (28 - 4 * i)) & 0xf];
	sbuf_mem(b, tmp, sizeof(tmp));
}

void sbuf_octal(struct sbuf *b, unsigned int v)
{
	char tmp[12];
	size_t n = sizeof(tmp);

	do {
		tmp[--n] = (char)('0' + (v & 7));
		v >>= 3;
	} while (v);
	sbuf_mem(b, tmp + n, sizeof(tmp) - n);
}
