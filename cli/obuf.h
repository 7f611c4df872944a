/* obuf.h: one buffered write path to a file descriptor, remembering the first error,
 * so a full disk or a closed pipe is reported once, at the end. */
#ifndef IPCADM_OBUF_H
#define IPCADM_OBUF_H

#include <stddef.h>
#include <stdint.h>

struct obuf {
	int fd;
	int err; /* first -errno seen, 0 if none */
	size_t len;
	char buf[1 << 16];
};

void obuf_init(struct obuf *o, int fd);
void obuf_write(struct obuf *o, const char *s, size_t n);
void obuf_puts(struct obuf *o, const char *s);
void obuf_putc(struct obuf *o, char c);
void obuf_pad(struct obuf *o, size_t n);
void obuf_u64(struct obuf *o, uint64_t v);
void obuf_i64(struct obuf *o, int64_t v);
/* Text from outside (names, evidence), escaped as escape.h says; flags: ESC_SPACE. */
void obuf_escaped(struct obuf *o, const char *s, size_t n, unsigned int flags);
void obuf_text(struct obuf *o, const char *s);
__attribute__((format(printf, 2, 3))) void obuf_printf(struct obuf *o, const char *fmt, ...);
/* Writes what is buffered; returns the first error (-errno) or 0. */
int obuf_flush(struct obuf *o);

/* The process's standard output. */
extern struct obuf *out;

#endif
