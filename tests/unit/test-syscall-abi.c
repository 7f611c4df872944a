/* test-syscall-abi.c: waits on arrays and queues told from /proc/PID/syscall lines in each
 * ABI of this architecture (i386 through ipc(2) and directly, x32), and ELF headers. */
#include "fixture.h"

#include <errno.h>

#include "procparse.h"
#include "syscall-abi.h"

/* The wait a syscall line means for a task of that ABI: "sem ID", "msg ID", "none" or
 * "unsure" (-EAGAIN). */
static const char *wait_of(enum syscall_abi abi, const char *line)
{
	static char out[32];
	struct syscall_wait w = { 0 };
	uint64_t args[6];
	long nr;
	int r;

	assert_int_equal(procparse_syscall(line, strlen(line), &nr, args), 1);
	r = syscall_abi_wait(abi, nr, args, &w);
	if (r < 0) {
		assert_int_equal(r, -EAGAIN);
		return "unsure";
	}
	if (r == 0)
		return "none";
	snprintf(out, sizeof(out), "%s %d", w.kind == IPCADM_SEM ? "sem" : "msg", w.id);
	return out;
}

struct wait_case {
	enum syscall_abi abi;
	const char *line;
	const char *want; /* as wait_of() says it */
};

/* Each case's line, read as a task of its ABI, means the wait it wants. */
static void expect_waits(const struct wait_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *got = wait_of(c[i].abi, c[i].line);

		if (strcmp(got, c[i].want) != 0)
			fail_msg("case %zu (ABI %d, \"%s\"): %s, want %s", i, (int)c[i].abi,
				 c[i].line, got, c[i].want);
	}
}

/* An ELF header's first 20 bytes: class, byte order, machine. */
static enum syscall_abi elf(unsigned char class, unsigned char data, unsigned int machine)
{
	unsigned char h[20] = { 0x7f, 'E', 'L', 'F', class, data, 1 };

	h[18] = (unsigned char)(data == 1 ? machine & 0xff : machine >> 8);
	h[19] = (unsigned char)(data == 1 ? machine >> 8 : machine & 0xff);
	return syscall_abi_of_elf(h, sizeof(h));
}

static void test_elf(void **state)
{
	const unsigned char text[] = "#!/bin/sh\necho not an ELF file\n";

	(void)state;
	assert_int_equal(syscall_abi_of_elf(text, sizeof(text) - 1), SYSCALL_ABI_UNKNOWN);
	assert_int_equal(syscall_abi_of_elf((const unsigned char *)"\177ELF\2\1", 6),
			 SYSCALL_ABI_UNKNOWN); /* cut short */
	assert_int_equal(elf(3, 1, 62), SYSCALL_ABI_UNKNOWN); /* no such class */
#if defined(__x86_64__) || defined(__i386__)
	assert_int_equal(elf(2, 1, 62), SYSCALL_ABI_X86_64);
	assert_int_equal(elf(1, 1, 3), SYSCALL_ABI_I386);
	assert_int_equal(elf(1, 1, 62), SYSCALL_ABI_X32);
	assert_int_equal(elf(2, 1, 183), SYSCALL_ABI_UNKNOWN); /* aarch64 (qemu-user aside) */
	assert_int_equal(elf(2, 2, 62), SYSCALL_ABI_X86_64); /* e_machine read as big-endian */
#elif defined(__aarch64__) || defined(__arm__)
	assert_int_equal(elf(2, 1, 183), SYSCALL_ABI_AARCH64);
	assert_int_equal(elf(1, 1, 40), SYSCALL_ABI_ARM);
	assert_int_equal(elf(2, 1, 62), SYSCALL_ABI_UNKNOWN);
#endif
}

#if defined(__x86_64__) || defined(__i386__)
static void test_x86(void **state)
{
	/* as the kernel shows them: NR, six arguments, stack pointer, program counter */
	const char *msgrcv64 = "70 0x8001 0x7ffd5e1c9a40 0x2000 0x0 0x1000 0x0 0x7ffd5e1c9a28 "
			       "0x7f3b1c8f2a7d";
	const char *semop64 = "65 0x5 0x7ffd5e1c9a40 0x1 0x0 0x0 0x0 0x7ffd5e1c9a28 0x7f3b1c8f";
	const char *semtimedop64 = "220 0x7 0x7ffd5e1c9a40 0x1 0x0 0x0 0x0 0x7ffd5e1c9a28 0x7f3b";
	const char *msgsnd64 = "69 0x9 0x7ffd5e1c9a40 0x10 0x0 0x0 0x0 0x7ffd5e1c9a28 0x7f3b1c";
	const char *read64 = "0 0x3 0x7ffd5e1c9a40 0x2000 0x0 0x0 0x0 0x7ffd5e1c9a28 0x7f3b1c8f";
	/* i386: msgrcv through ipc(2), MSGRCV with version 1, the queue in the 2nd argument */
	const char *ipc_msgrcv = "117 0x1000c 0x8001 0x2000 0x1000 0x8120320 0x0 0xffc4993c "
				 "0xf7f225e9";
	const char *ipc_semop = "117 0x1 0x5 0x1 0x0 0xffdb61da 0x1 0xffdb617c 0xf7f3d5e9";
	const char *ipc_semtimedop = "117 0x4 0x6 0x1 0x0 0xffdb61da 0xffdb6100 0xffdb617c 0xf7f3";
	const char *ipc_msgsnd = "117 0xb 0x8002 0x10 0x0 0xffdb61da 0x0 0xffdb617c 0xf7f3d5e9";
	const char *ipc_shmat = "117 0x15 0x8002 0x0 0xffdb6100 0x0 0x0 0xffdb617c 0xf7f3d5e9";
	const char *msgrcv32 = "401 0x8003 0x8120320 0x2000 0x0 0x1000 0x0 0xffc4993c 0xf7f225e9";
	const char *msgsnd32 = "400 0x8004 0x8120320 0x10 0x0 0x0 0x0 0xffc4993c 0xf7f225e9";
	const char *semtimedop32 = "420 0x8 0xffdb61da 0x1 0x0 0x0 0x0 0xffdb617c 0xf7f3d5e9";
	const char *getpgrp32 = "65 0x5 0x0 0x0 0x0 0x0 0x0 0xffdb617c 0xf7f3d5e9";
	/* x32: the x86-64 numbers with __X32_SYSCALL_BIT (0x40000000) */
	const char *msgrcv_x32 = "1073741894 0x8005 0xffc49a40 0x2000 0x0 0x1000 0x0 0xffc4993c "
				 "0x401a7d";
	const char *semop_x32 = "1073741889 0xa 0xffc49a40 0x1 0x0 0x0 0x0 0xffc4993c 0x401a7d";

	const struct wait_case cases[] = {
		{ SYSCALL_ABI_X86_64, msgrcv64, "msg 32769" },
		{ SYSCALL_ABI_X86_64, semop64, "sem 5" },
		{ SYSCALL_ABI_X86_64, semtimedop64, "sem 7" },
		{ SYSCALL_ABI_X86_64, msgsnd64, "msg 9" },
		{ SYSCALL_ABI_X86_64, read64, "none" },
		{ SYSCALL_ABI_X86_64, ipc_msgrcv, "none" }, /* setresuid */
		{ SYSCALL_ABI_X86_64, msgrcv32, "none" },

		{ SYSCALL_ABI_I386, ipc_msgrcv, "msg 32769" },
		{ SYSCALL_ABI_I386, ipc_semop, "sem 5" },
		{ SYSCALL_ABI_I386, ipc_semtimedop, "sem 6" },
		{ SYSCALL_ABI_I386, ipc_msgsnd, "msg 32770" },
		{ SYSCALL_ABI_I386, ipc_shmat, "none" },
		{ SYSCALL_ABI_I386, msgrcv32, "msg 32771" },
		{ SYSCALL_ABI_I386, msgsnd32, "msg 32772" },
		{ SYSCALL_ABI_I386, semtimedop32, "sem 8" },
		{ SYSCALL_ABI_I386, getpgrp32, "none" },
		{ SYSCALL_ABI_I386, msgrcv64, "none" }, /* setreuid16 */

		/* the bit names the ABI, whatever the executable says */
		{ SYSCALL_ABI_X32, msgrcv_x32, "msg 32773" },
		{ SYSCALL_ABI_X86_64, msgrcv_x32, "msg 32773" },
		{ SYSCALL_ABI_UNKNOWN, semop_x32, "sem 10" },
		/* an x32 program's calls without the bit are x86-64 calls */
		{ SYSCALL_ABI_X32, semop64, "sem 5" },

		/* ABI not known: a number that is a wait in some ABI here cannot be read */
		{ SYSCALL_ABI_UNKNOWN, msgrcv64, "unsure" },
		{ SYSCALL_ABI_UNKNOWN, getpgrp32, "unsure" },
		{ SYSCALL_ABI_UNKNOWN, ipc_msgrcv, "unsure" },
		{ SYSCALL_ABI_UNKNOWN, msgrcv32, "unsure" },
		{ SYSCALL_ABI_UNKNOWN, read64, "none" },
		/* ipc(2) SHMAT, or x86-64 setresuid: neither waits */
		{ SYSCALL_ABI_UNKNOWN, ipc_shmat, "none" },
	};

	(void)state;
	expect_waits(cases, sizeof(cases) / sizeof(cases[0]));
}
#endif

#if defined(__aarch64__) || defined(__arm__)
static void test_arm(void **state)
{
	const char *msgrcv64 = "188 0x8001 0xffffd0a0 0x2000 0x0 0x0 0x0 0xffffd000 0xffff8000";
	const char *semop64 = "193 0x5 0xffffd0a0 0x1 0x0 0x0 0x0 0xffffd000 0xffff8000";
	const char *msgrcv32 = "302 0x8002 0xbeffd0a0 0x2000 0x0 0x0 0x0 0xbeffd000 0xb6f08000";
	const char *semtimedop32 = "420 0x6 0xbeffd0a0 0x1 0x0 0x0 0x0 0xbeffd000 0xb6f08000";

	const struct wait_case cases[] = {
		{ SYSCALL_ABI_AARCH64, msgrcv64, "msg 32769" },
		{ SYSCALL_ABI_AARCH64, semop64, "sem 5" },
		{ SYSCALL_ABI_AARCH64, msgrcv32, "none" },
		{ SYSCALL_ABI_ARM, msgrcv32, "msg 32770" },
		{ SYSCALL_ABI_ARM, semtimedop32, "sem 6" },
		{ SYSCALL_ABI_ARM, msgrcv64, "none" },
		{ SYSCALL_ABI_UNKNOWN, msgrcv32, "unsure" },
	};

	(void)state;
	expect_waits(cases, sizeof(cases) / sizeof(cases[0]));
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf),
#if defined(__x86_64__) || defined(__i386__)
		cmocka_unit_test(test_x86),
#endif
#if defined(__aarch64__) || defined(__arm__)
		cmocka_unit_test(test_arm),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
