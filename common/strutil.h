/* strutil.h: strict number parsing and fast formatting, shared by the library and the CLI.
 * Parsers return 0 or -EINVAL/-ERANGE and never accept trailing junk. */
#ifndef IPCADM_STRUTIL_H
#define IPCADM_STRUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Decimal, optional leading '-' for the signed one; no spaces, no '+'. */
int str_to_u64(const char *s, uint64_t *v);
int str_to_i64(const char *s, int64_t *v);
/* Decimal or 0x hex; for IDs (0..INT_MAX). */
int str_to_id(const char *s, int *id);
/* An IPC key: decimal (signed) or 0x hex up to 32 bits, as ipcs and ipcrm take it. */
int str_to_key(const char *s, int32_t *key);
/* Octal mode, at most 0777 (with mask) . */
int str_to_mode(const char *s, unsigned int max, unsigned int *mode);
/* A size with an optional unit K, M, G, T, P, E (powers of 1024, "KiB" and "KB"=1000 too). */
int str_to_size(const char *s, uint64_t *v);
/* A duration: N with s, m, h, d or w (seconds when bare). */
int str_to_duration(const char *s, int64_t *seconds);

/* Parses n bytes of decimal digits (optionally '-') without a terminator. */
int mem_to_i64(const char *s, size_t n, int64_t *v);
int mem_to_u64(const char *s, size_t n, uint64_t *v);
/* Hex digits without 0x (a value of 64 bits at most). */
int mem_to_hex(const char *s, size_t n, uint64_t *v);
/* Octal, for the perms column. */
int mem_to_octal(const char *s, size_t n, unsigned int *v);

/* Writes v in decimal to buf (at least 21 bytes); returns the length. No terminator. */
size_t fmt_u64(char *buf, uint64_t v);
size_t fmt_i64(char *buf, int64_t v);
/* "4K", "1.5M" as util-linux prints sizes; returns length, buf at least 16 bytes. */
size_t fmt_size_human(char *buf, uint64_t bytes);

#endif
