/* fuzz-strutil.c: libFuzzer target for every number parser and formatter in
 * common/strutil.h, each checked against an independent reference written here. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>

#include "fuzz.h"
#include "strutil.h"

typedef unsigned __int128 u128;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* Reference: n decimal digits (at least one, nothing else) into a 128-bit value. */
static bool ref_digits(const char *s, size_t n, u128 *v)
{
	u128 x = 0;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		x = x * 10 + (unsigned int)(s[i] - '0');
		if (x > (u128)UINT64_MAX * 10)
			x = (u128)UINT64_MAX * 10; /* saturate: too big either way */
	}
	*v = x;
	return true;
}

static bool ref_hex(const char *s, u128 *v)
{
	u128 x = 0;
	size_t n;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return false;
	s += 2;
	n = strlen(s);
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		int d;

		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else if (s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else
			return false;
		x = x * 16 + (unsigned int)d;
		if (x > (u128)UINT64_MAX * 16)
			x = (u128)UINT64_MAX * 16;
	}
	*v = x;
	return true;
}

static void check_u64(const char *s)
{
	uint64_t v = 7;
	u128 ref;
	int r = str_to_u64(s, &v);
	bool ok = ref_digits(s, strlen(s), &ref) && ref <= UINT64_MAX;

	CHECK((r == 0) == ok);
	if (ok) {
		char b[24];

		CHECK(v == (uint64_t)ref);
		b[fmt_u64(b, v)] = '\0';
		CHECK(strtoull(b, NULL, 10) == v);
	} else {
		CHECK(r == -EINVAL || r == -ERANGE);
		CHECK(v == 7); /* untouched on failure */
	}
}

static void check_i64(const char *s)
{
	int64_t v = 7;
	u128 ref;
	int r = str_to_i64(s, &v);
	bool neg = s[0] == '-';
	bool ok = ref_digits(s + neg, strlen(s + neg), &ref) &&
		  ref <= (neg ? (u128)INT64_MAX + 1 : (u128)INT64_MAX);

	CHECK((r == 0) == ok);
	if (ok) {
		char b[24];

		CHECK(v == (neg ? (int64_t)(0 - (uint64_t)ref) : (int64_t)ref));
		b[fmt_i64(b, v)] = '\0';
		CHECK(strtoll(b, NULL, 10) == v);
	} else {
		CHECK(v == 7);
	}
}

static void check_id(const char *s)
{
	int id = -7;
	u128 ref;
	int r = str_to_id(s, &id);
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	bool ok = (hex ? ref_hex(s, &ref) : ref_digits(s, strlen(s), &ref)) && ref <= INT_MAX;

	CHECK((r == 0) == ok);
	if (ok)
		CHECK(id == (int)ref);
	else
		CHECK(id == -7);
}

static void check_key(const char *s)
{
	int32_t key = 7;
	u128 ref;
	int r = str_to_key(s, &key);
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	bool neg = !hex && s[0] == '-';
	bool ok;

	if (hex)
		ok = ref_hex(s, &ref) && ref <= UINT32_MAX;
	else
		ok = ref_digits(s + neg, strlen(s + neg), &ref) &&
		     (neg ? ref <= (u128)1 << 31 : ref <= UINT32_MAX);
	CHECK((r == 0) == ok);
	if (ok)
		CHECK((uint32_t)key == (neg ? (uint32_t)(0 - (uint32_t)ref) : (uint32_t)ref));
	else
		CHECK(key == 7);
}

static void check_mode(const char *s, unsigned int max)
{
	unsigned int mode = 7777777, ref = 0;
	size_t n = strlen(s);
	int r = str_to_mode(s, max, &mode);
	bool ok = n > 0 && n <= 8;

	for (size_t i = 0; ok && i < n; i++) {
		ok = s[i] >= '0' && s[i] <= '7';
		ref = ref * 8 + (unsigned int)(s[i] - '0');
	}
	ok = ok && ref <= max;
	CHECK((r == 0) == ok);
	if (ok)
		CHECK(mode == ref);
	else
		CHECK(mode == 7777777);
}

/* Reference for sizes: digits, then "", "B"/"b", or K M G T P E (either case) bare or
 * followed by "iB" (powers of 1024) or "B" (powers of 1000). */
static bool ref_size(const char *s, u128 *v)
{
	static const char units[] = "KMGTPE";
	size_t n = strspn(s, "0123456789");
	const char *u = s + n, *p;
	u128 x, mult = 1, base = 1024;

	if (!ref_digits(s, n, &x))
		return false;
	if (strcmp(u, "") != 0 && strcmp(u, "B") != 0 && strcmp(u, "b") != 0) {
		char c = *u >= 'a' && *u <= 'z' ? (char)(*u - 'a' + 'A') : *u;

		p = c ? strchr(units, c) : NULL;
		if (p == NULL)
			return false;
		if (strcmp(u + 1, "B") == 0)
			base = 1000;
		else if (strcmp(u + 1, "iB") != 0 && u[1] != '\0')
			return false;
		for (long i = 0; i <= p - units; i++)
			mult *= base;
	}
	*v = x * mult; /* at most 10 * 2^64 * 2^60: fits in 128 bits */
	return true;
}

static void check_size(const char *s)
{
	uint64_t v = 7;
	u128 ref;
	int r = str_to_size(s, &v);
	bool ok = ref_size(s, &ref) && ref <= UINT64_MAX;

	CHECK((r == 0) == ok);
	if (ok)
		CHECK(v == (uint64_t)ref);
}

static void check_duration(const char *s)
{
	static const struct {
		const char *unit;
		unsigned int mult;
	} units[] = { { "", 1 }, { "s", 1 }, { "m", 60 }, { "min", 60 }, { "h", 3600 },
		      { "d", 86400 }, { "w", 604800 } };
	int64_t v = 7;
	size_t n = strspn(s, "0123456789");
	u128 x, ref = 0;
	bool ok = ref_digits(s, n, &x);
	int r = str_to_duration(s, &v);

	if (ok) {
		ok = false;
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			if (strcmp(s + n, units[i].unit) == 0) {
				ref = x * units[i].mult;
				ok = ref <= INT64_MAX;
			}
		}
	}
	CHECK((r == 0) == ok);
	if (ok)
		CHECK(v == (int64_t)ref);
}

/* The human size: "N[.D]U", within a tenth of the unit of the exact value (util-linux
 * rounds 1024ths as if they were 1000ths, so not always to the nearest tenth). */
static void check_size_human(uint64_t bytes)
{
	char *buf = malloc(16);
	size_t n;
	double shown, exact;
	int exp = 0;
	const char *units = "BKMGTPE", *u;

	CHECK(buf != NULL);
	n = fmt_size_human(buf, bytes);
	CHECK(n >= 2 && n <= 16);
	u = strchr(units, buf[n - 1]);
	CHECK(u != NULL && buf[n - 1] != '\0');
	for (size_t i = 0; i + 1 < n; i++)
		CHECK((buf[i] >= '0' && buf[i] <= '9') || (buf[i] == '.' && i + 3 == n));
	exp = (int)(u - units) * 10;
	shown = strtod(buf, NULL);
	exact = (double)bytes / ldexp(1.0, exp);
	CHECK(fabs(shown - exact) <= 0.1 + exact * 1e-12);
	if (exp > 0)
		CHECK(exact >= 1.0 && shown <= 1024.0);
	else
		CHECK(shown == exact);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	uint64_t raw = 0;
	char b[24];

	CHECK(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	if (strlen(s) == size) { /* the parsers take C strings */
		check_u64(s);
		check_i64(s);
		check_id(s);
		check_key(s);
		check_mode(s, 0777);
		check_mode(s, 07777);
		check_size(s);
		check_duration(s);
	}
	{
		int64_t v;
		uint64_t u;
		unsigned int o;

		/* the mem_ parsers never read beyond n */
		if (mem_to_i64(s, size, &v) == 0)
			CHECK(size > 0);
		if (mem_to_u64(s, size, &u) == 0)
			CHECK(size > 0 && size <= 20 + (size_t)strspn(s, "0"));
		if (mem_to_octal(s, size, &o) == 0)
			CHECK(size <= 8 && o <= 077777777);
	}
	memcpy(&raw, data, size < 8 ? size : 8);
	check_size_human(raw);
	b[fmt_u64(b, raw)] = '\0';
	CHECK(strtoull(b, NULL, 10) == raw);
	b[fmt_i64(b, (int64_t)raw)] = '\0';
	CHECK(strtoll(b, NULL, 10) == (int64_t)raw);
	free(s);
	return 0;
}
