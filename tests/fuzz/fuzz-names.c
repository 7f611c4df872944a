/* fuzz-names.c: libFuzzer target for the parser of /etc/ipcadm/names.conf: it never
 * crashes, every rule it accepts has its fields set, and a rule parsed back from the
 * fields it kept is the same rule. */
#include <errno.h>

#include "fuzz.h"
#include "posix-names.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void kinds_text(unsigned int kinds, char *buf, size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int k = IPCADM_NSYSV_KINDS; k < IPCADM_NALL_KINDS; k++)
		if (kinds & IPCADM_KIND_BIT(k))
			n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? "," : "",
					      ipcadm_kind_name(k));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct name_rules rs = { 0 };
	size_t bad = 0;
	int r = name_rules_parse((const char *)data, size, &rs, &bad);

	if (r < 0) {
		CHECK(r == -EBADMSG || r == -ENOMEM);
		CHECK(r != -EBADMSG || bad > 0);
		name_rules_release(&rs);
		return 0;
	}
	for (size_t i = 0; i < rs.n; i++) {
		const struct name_rule *x = &rs.v[i];
		struct name_rules again = { 0 };
		char line[512], kinds[32];
		int n;

		CHECK(x->kinds != 0 && x->glob[0] && x->program[0]);
		CHECK(!(x->kinds & (IPCADM_KIND_BIT(IPCADM_SHM) | IPCADM_KIND_BIT(IPCADM_SEM) |
				    IPCADM_KIND_BIT(IPCADM_MSG))));
		kinds_text(x->kinds, kinds, sizeof(kinds));
		n = snprintf(line, sizeof(line), "%s %s %s%s%s%s%s%s%s\n", kinds, x->glob,
			     x->program, x->comm[0] ? " comm=" : "", x->comm,
			     x->exe[0] ? " exe=" : "", x->exe, x->maps[0] ? " maps=" : "", x->maps);
		CHECK(n > 0 && (size_t)n < sizeof(line));
		CHECK(name_rules_parse(line, (size_t)n, &again, &bad) == 0 && again.n == 1);
		CHECK(memcmp(&again.v[0], x, sizeof(*x)) == 0);
		name_rules_release(&again);
	}
	name_rules_release(&rs);
	return 0;
}
