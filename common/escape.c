/* escape.c: see escape.h. The scan is a byte loop over printable ASCII, the common case;
 * escaping itself only runs for text that needs it. */
#include "escape.h"

#include <string.h>

size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t k;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4;
	else
		return 0;
	if (k > n)
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < k; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return k;
}

bool esc_needed(const char *s, size_t n, unsigned int flags)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '\\' || (c == ' ' && (flags & ESC_SPACE)))
			return true;
	}
	return false;
}

/* How many bytes of the unit at p go out as \xHH each (0: the k bytes are copied). */
static size_t unit(const unsigned char *p, size_t n, unsigned int flags, size_t *k)
{
	*k = utf8_seq_len(p, n);
	if (*k == 0) { /* invalid: this byte alone, the next may start a valid sequence */
		*k = 1;
		return 1;
	}
	if (*k == 1)
		return *p < 0x20 || *p == 0x7f || *p == '\\' || (*p == ' ' && (flags & ESC_SPACE));
	if (*k == 2 && p[0] == 0xc2 && p[1] < 0xa0) /* C1: U+0080..U+009F */
		return 2;
	/* U+2028..U+202E: the line and paragraph separators, which glibc (and so util-linux)
	 * takes for unprintable, and the bidirectional embeddings and overrides; U+2066..U+2069,
	 * the isolates: a name holding one would show the rest of a log line reordered */
	if (*k == 3 && p[0] == 0xe2 &&
	    ((p[1] == 0x80 && p[2] >= 0xa8 && p[2] <= 0xae) ||
	     (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)))
		return 3;
	return 0;
}

size_t esc_some(char *dst, size_t room, const char *s, size_t n, unsigned int flags,
		size_t *used)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t len = 0, off = 0;

	while (off < n) {
		size_t k, e = unit(p + off, n - off, flags, &k);

		if (e == 0) {
			if (len + k > room)
				break;
			memcpy(dst + len, p + off, k);
			len += k;
		} else {
			if (len + 4 * e > room)
				break;
			for (size_t i = 0; i < e; i++) {
				dst[len++] = '\\';
				dst[len++] = 'x';
				dst[len++] = hex[p[off + i] >> 4];
				dst[len++] = hex[p[off + i] & 15];
			}
		}
		off += k;
	}
	*used = off;
	return len;
}

size_t esc_mem(char *dst, const char *s, size_t n, unsigned int flags)
{
	size_t used;

	return esc_some(dst, ESC_MAX(n), s, n, flags, &used);
}

size_t esc_str(char *dst, size_t cap, const char *s, unsigned int flags)
{
	size_t used, len = esc_some(dst, cap - 1, s, strlen(s), flags, &used);

	dst[len] = '\0';
	return len;
}
