/* strutil.c: strict number parsing and fast decimal and size formatting.
 * Used on hot paths (100,000 rows), so no stdio here. */
#include "strutil.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

int mem_to_u64(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;

	if (n == 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9)
			return -EINVAL;
		if (x > (UINT64_MAX - d) / 10)
			return -ERANGE;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

int mem_to_i64(const char *s, size_t n, int64_t *v)
{
	int neg = n > 0 && s[0] == '-';
	uint64_t x;
	int r = mem_to_u64(s + neg, n - neg, &x);

	if (r < 0)
		return r;
	if (neg) {
		if (x > (uint64_t)INT64_MAX + 1)
			return -ERANGE;
		*v = x == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)x;
	} else {
		if (x > INT64_MAX)
			return -ERANGE;
		*v = (int64_t)x;
	}
	return 0;
}

int mem_to_octal(const char *s, size_t n, unsigned int *v)
{
	unsigned int x = 0;

	if (n == 0 || n > 8)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 7)
			return -EINVAL;
		x = x * 8 + d;
	}
	*v = x;
	return 0;
}

int str_to_u64(const char *s, uint64_t *v)
{
	return mem_to_u64(s, strlen(s), v);
}

int str_to_i64(const char *s, int64_t *v)
{
	return mem_to_i64(s, strlen(s), v);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int mem_to_hex(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;

	if (n == 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		int d = hex_digit(s[i]);

		if (d < 0)
			return -EINVAL;
		if (x > (UINT64_MAX >> 4))
			return -ERANGE;
		x = x << 4 | (unsigned int)d;
	}
	*v = x;
	return 0;
}

/* 0x followed by hex digits (a value of 64 bits at most). */
static int str_to_hex(const char *s, uint64_t *v)
{
	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -EINVAL;
	return mem_to_hex(s + 2, strlen(s + 2), v);
}

static int is_hex_prefixed(const char *s)
{
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

int str_to_id(const char *s, int *id)
{
	uint64_t x;
	int r = is_hex_prefixed(s) ? str_to_hex(s, &x) : str_to_u64(s, &x);

	if (r < 0)
		return r;
	if (x > INT_MAX)
		return -ERANGE;
	*id = (int)x;
	return 0;
}

int str_to_key(const char *s, int32_t *key)
{
	int64_t x;
	uint64_t u;
	int r;

	if (is_hex_prefixed(s)) {
		r = str_to_hex(s, &u);
		if (r < 0)
			return r;
		if (u > UINT32_MAX)
			return -ERANGE;
		*key = (int32_t)(uint32_t)u;
		return 0;
	}
	r = str_to_i64(s, &x);
	if (r < 0)
		return r;
	if (x < INT32_MIN || x > UINT32_MAX)
		return -ERANGE;
	*key = (int32_t)(uint32_t)x;
	return 0;
}

int str_to_mode(const char *s, unsigned int max, unsigned int *mode)
{
	unsigned int x;
	int r = mem_to_octal(s, strlen(s), &x);

	if (r < 0)
		return r;
	if (x > max)
		return -ERANGE;
	*mode = x;
	return 0;
}

/* The bytes a size's unit stands for: none or B, K or KiB (1024), KB (1000), up to E. */
static int size_multiplier(const char *u, uint64_t *mult)
{
	static const char units[] = "KMGTPE";
	const char *p;
	uint64_t base = 1024;
	int power;

	if (*u == '\0') {
		*mult = 1;
		return 0;
	}
	if ((*u == 'B' || *u == 'b') && u[1] == '\0') {
		*mult = 1;
		return 0;
	}
	p = strchr(units, *u >= 'a' && *u <= 'z' ? *u - 'a' + 'A' : *u);
	if (p == NULL || *u == '\0')
		return -EINVAL;
	power = (int)(p - units) + 1;
	u++;
	if (strcmp(u, "iB") == 0 || *u == '\0')
		base = 1024;
	else if (strcmp(u, "B") == 0)
		base = 1000;
	else
		return -EINVAL;
	*mult = 1;
	while (power--) {
		if (*mult > UINT64_MAX / base)
			return -ERANGE;
		*mult *= base;
	}
	return 0;
}

/* The seconds a duration's unit stands for: none or "s", "m" or "min", "h", "d", "w". */
static int duration_multiplier(const char *u, uint64_t *mult)
{
	static const struct {
		const char *suffix;
		uint64_t seconds;
	} units[] = {
		{ "", 1 },     { "s", 1 },     { "m", 60 },        { "min", 60 },
		{ "h", 3600 }, { "d", 86400 }, { "w", 7 * 86400 },
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(u, units[i].suffix) == 0) {
			*mult = units[i].seconds;
			return 0;
		}
	}
	return -EINVAL;
}

/* The number at the start of s (at least one digit) times what the unit after it stands
 * for (unit() gives the multiplier, or -EINVAL), if the product is at most max. */
static int number_with_unit(const char *s, int (*unit)(const char *u, uint64_t *mult),
			    uint64_t max, uint64_t *v)
{
	size_t n = 0;
	uint64_t x, mult;
	int r;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	r = mem_to_u64(s, n, &x);
	if (r < 0)
		return r;
	r = unit(s + n, &mult);
	if (r < 0)
		return r;
	if (x != 0 && mult > max / x)
		return -ERANGE;
	*v = x * mult;
	return 0;
}

int str_to_size(const char *s, uint64_t *v)
{
	return number_with_unit(s, size_multiplier, UINT64_MAX, v);
}

int str_to_duration(const char *s, int64_t *seconds)
{
	uint64_t v;
	int r = number_with_unit(s, duration_multiplier, INT64_MAX, &v);

	if (r < 0)
		return r;
	*seconds = (int64_t)v;
	return 0;
}

size_t fmt_u64(char *buf, uint64_t v)
{
	char tmp[24];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

size_t fmt_i64(char *buf, int64_t v)
{
	if (v >= 0)
		return fmt_u64(buf, (uint64_t)v);
	buf[0] = '-';
	return 1 + fmt_u64(buf + 1, -(uint64_t)v);
}

size_t fmt_size_human(char *buf, uint64_t bytes)
{
	static const char letters[] = "BKMGTPE";
	int exp = 0;
	uint64_t whole, frac;
	size_t n;

	while (exp < 60 && bytes >= (1ULL << (exp + 10)))
		exp += 10;
	if (exp == 0) {
		n = fmt_u64(buf, bytes);
		buf[n++] = 'B';
		return n;
	}
	whole = bytes >> exp;
	frac = bytes & ((1ULL << exp) - 1);
	/* Thousandths first, then one decimal rounded half up, as util-linux does it
	 * (1075 bytes is "1K" there: 51/1024 is 0.049, not 0.1). */
	if (frac < UINT64_MAX / 1000)
		frac = frac * 1000 >> exp;
	else
		frac = (frac >> 10) * 1000 >> (exp - 10);
	frac = (frac + 50) / 100;
	if (frac == 10) {
		whole++;
		frac = 0;
	}
	n = fmt_u64(buf, whole);
	if (frac) {
		buf[n++] = '.';
		buf[n++] = (char)('0' + frac);
	}
	buf[n++] = letters[exp / 10];
	return n;
}
