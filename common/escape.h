/* escape.h: the one escaping rule for text from outside (POSIX names, process names, the
 * evidence that embeds them) in every human-readable output and every file ipcadm writes. */
#ifndef IPCADM_ESCAPE_H
#define IPCADM_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * As util-linux shows such text: each byte of a control character (C0, DEL, and C1, which
 * is U+0080..U+009F in UTF-8; the line and paragraph separators U+2028, U+2029, and the
 * bidirectional controls U+202A..U+202E and U+2066..U+2069), of invalid UTF-8 (RFC 3629: no overlong forms, surrogates
 * or code points above U+10FFFF), and each backslash (so the text reads back without
 * doubt) becomes \xHH in lower-case hex. Printable ASCII and valid UTF-8 stay as they
 * are. What comes out is valid UTF-8, one line, no control character: a name cannot
 * forge a line of a log or a .meta file, nor send a terminal an escape sequence.
 *
 * The library keeps names and evidence raw (they are facts, and JSON escapes them its own
 * way); whatever writes them for people or into a file escapes them with these functions.
 */
#define ESC_SPACE 1u /* spaces too: raw output separates fields with them */

/* Room that escaping n bytes may take. */
#define ESC_MAX(n) (4 * (n))
/* The most one unit (a character or its escapes) takes: a bidi control's three bytes as
 * \xHH each. */
#define ESC_UNIT_MAX 12

/* Length of the valid UTF-8 sequence at s (n > 0 bytes left), or 0 when invalid. */
size_t utf8_seq_len(const unsigned char *s, size_t n);

/* Whether s has anything to escape: a quick scan; false means it can go out as it is. */
bool esc_needed(const char *s, size_t n, unsigned int flags);

/* Writes s escaped to dst, which has room for ESC_MAX(n) bytes; returns the length. */
size_t esc_mem(char *dst, const char *s, size_t n, unsigned int flags);

/*
 * Escapes as much of s as fits in room bytes of dst, whole characters and whole escapes
 * only; sets *used to the bytes of s consumed and returns the bytes written. No terminator.
 */
size_t esc_some(char *dst, size_t room, const char *s, size_t n, unsigned int flags,
		size_t *used);

/* The string s escaped into dst (cap >= 1 bytes with the terminator), cut at a whole
 * character or escape when it does not fit; returns the length. */
size_t esc_str(char *dst, size_t cap, const char *s, unsigned int flags);

#endif
