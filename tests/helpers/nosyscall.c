/* nosyscall.c: helper for the holder tests: runs a program under a seccomp filter that
 * fails one system call, as a container's filter or a kernel built without it does.
 *
 * Usage: nosyscall CALL ERRNO PROG [ARG...]
 * CALL is kcmp or fsopen; ERRNO is ENOSYS (a kernel without CONFIG_KCMP, or older than
 * 5.2) or EPERM (a filter that refuses it). Every other system call runs. Exits 2 on
 * bad usage, 1 when the filter cannot be installed or PROG cannot be run.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#if defined(__x86_64__)
#define THIS_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define THIS_ARCH AUDIT_ARCH_AARCH64
#else
#error "nosyscall: no AUDIT_ARCH for this architecture"
#endif

static const struct {
	const char *name;
	long nr;
} calls[] = {
	{ "kcmp", SYS_kcmp },
	{ "fsopen", SYS_fsopen },
};

static const struct {
	const char *name;
	int err;
} errnos[] = {
	{ "ENOSYS", ENOSYS },
	{ "EPERM", EPERM },
};

/* Fails system call nr with err, in this process and what it runs. */
static int install_filter(long nr, int err)
{
	struct sock_filter filter[] = {
		/* another ABI's numbers (i386 on x86_64) are not ours to judge: kill */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, THIS_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned int)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((unsigned int)err & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

int main(int argc, char **argv)
{
	long nr = -1;
	int err = -1;

	if (argc < 4) {
		fprintf(stderr, "usage: nosyscall CALL ERRNO PROG [ARG...]\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (strcmp(argv[1], calls[i].name) == 0)
			nr = calls[i].nr;
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (strcmp(argv[2], errnos[i].name) == 0)
			err = errnos[i].err;
	if (nr < 0 || err < 0) {
		fprintf(stderr, "nosyscall: unknown call '%s' or errno '%s'\n", argv[1], argv[2]);
		return 2;
	}

	if (install_filter(nr, err) < 0) {
		perror("nosyscall: seccomp");
		return 1;
	}
	execvp(argv[3], argv + 3);
	fprintf(stderr, "nosyscall: cannot run '%s': %s\n", argv[3], strerror(errno));
	return 1;
}
