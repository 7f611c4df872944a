/* sbuf.h: appending strings and numbers to a fixed buffer without printf's cost (reap and
 * the verdicts write a sentence for each of thousands of objects). Whatever does not fit
 * is cut off, never inside a UTF-8 sequence; the buffer is always NUL-terminated. */
#ifndef IPCADM_SBUF_H
#define IPCADM_SBUF_H

#include <stddef.h>
#include <stdint.h>

struct sbuf {
	char *s;
	size_t len, cap; /* cap counts the terminator */
};

/* Starts an empty string in s (cap >= 1), or appends to the string already there. */
void sbuf_init(struct sbuf *b, char *s, size_t cap);
void sbuf_append_to(struct sbuf *b, char *s, size_t cap);
void sbuf_mem(struct sbuf *b, const char *p, size_t n);
void sbuf_puts(struct sbuf *b, const char *p);
/* p escaped as escape.h says (a name or evidence from outside), cut at a whole escape. */
void sbuf_escaped(struct sbuf *b, const char *p);
void sbuf_u64(struct sbuf *b, uint64_t v);
void sbuf_i64(struct sbuf *b, int64_t v);
/* label then the number: " uid " 4242 */
void sbuf_label_u64(struct sbuf *b, const char *label, uint64_t v);
void sbuf_label_i64(struct sbuf *b, const char *label, int64_t v);
/* 0x and eight hex digits, as keys are written */
void sbuf_key(struct sbuf *b, uint32_t key);
void sbuf_octal(struct sbuf *b, unsigned int v);

#endif
