/* fuzz-cli.c: libFuzzer target for the argument parsing of every command: ipcadm's own
 * main() runs on a fuzzed argv against a fixture root; JSON it prints must be valid. */
#include <dirent.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>

#include "fuzz.h"
#include "obuf.h"

int ipcadm_main(int argc, char **argv); /* cli/ipcadm.c's main, renamed by the Makefile */
extern const char *progname;

/* Every command that exists or is planned (an unknown one is a usage error). Those that
 * change IPC state come last and run only inside a private IPC namespace. */
static const char *const commands[] = {
	NULL, /* the overview */
	"list", "show", "limits", "who", "doctor", "check", "metrics", "help",
	"reap", "restore", "rm", "mk",
	"=ipcs", "=ipcrm", "=ipcmk", /* the program run as ipcs, ipcrm, ipcmk: live, no root */
};
#define NREADONLY 9
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* Every fixture tree below tests/fixtures, in name order (the second input byte picks). */
#define MAX_FIXTURES 64
static char roots[MAX_FIXTURES][PATH_MAX];
static size_t nroots;
static bool private_ipc;
static struct fz_capture cap;

int LLVMFuzzerInitialize(int *argc, char **argv[])
{
	const char *dir = getenv("IPCADM_FUZZ_FIXTURES");
	char top[PATH_MAX];
	FILE *null = fopen("/dev/null", "w");
	struct dirent **names;
	int n;

	(void)argc;
	(void)argv;
	if (dir == NULL)
		dir = "tests/fixtures";
	if (realpath(dir, top) == NULL) {
		fprintf(stderr, "fuzz-cli: run from the repository's top, or set "
				"IPCADM_FUZZ_FIXTURES: cannot find '%s'\n", dir);
		exit(1);
	}
	n = scandir(top, &names, NULL, alphasort);
	CHECK(n > 0);
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.' && nroots < MAX_FIXTURES)
			snprintf(roots[nroots++], sizeof(roots[0]), "%s/%s", top, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	CHECK(nroots > 0);
	/* files the commands write (metrics --textfile, reap --backup) land in a scratch
	 * directory: arguments with '/' or ".." are not run */
	if (getenv("IPCADM_FUZZ_SCRATCH")) {
		CHECK(chdir(getenv("IPCADM_FUZZ_SCRATCH")) == 0);
	} else {
		char scratch[] = "/tmp/ipcadm-fuzz-cli.XXXXXX";

		CHECK(mkdtemp(scratch) != NULL && chdir(scratch) == 0);
	}
	/* commands that create or remove objects never touch this machine's namespace */
	private_ipc = unshare(CLONE_NEWIPC) == 0;
	if (!private_ipc)
		fprintf(stderr, "fuzz-cli: no private IPC namespace (not root?): "
				"commands that change state are left out\n");
	/* help and messages go to stdio: away with them; the tables go to a capture */
	CHECK(null != NULL);
	stdout = null;
	stderr = null;
	fz_capture_init(&cap);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum { MAX_ARGS = 24 };
	char *argv[MAX_ARGS + 6], *owned[MAX_ARGS + 6];
	int argc = 0, rc;
	size_t ncmd = private_ipc ? NCOMMANDS : NREADONLY;
	const char *cmd;

	if (size < 2)
		return 0;
	cmd = commands[data[0] % ncmd];
	if (cmd && cmd[0] == '=') {
		argv[argc++] = strdup(cmd + 1); /* a personality, in our private namespace */
	} else {
		argv[argc++] = strdup("ipcadm");
		argv[argc++] = strdup("--root");
		argv[argc++] = strdup(roots[data[1] % nroots]);
		if (cmd)
			argv[argc++] = strdup(cmd);
	}
	/* the rest: arguments separated by NUL bytes, each in its own allocation (the
	 * overview takes none: only the commands' arguments are fuzzed) */
	for (size_t i = 2; cmd && i < size && argc < MAX_ARGS + 4;) {
		const uint8_t *end = memchr(data + i, '\0', size - i);
		size_t n = end ? (size_t)(end - (data + i)) : size - i;

		if (memchr(data + i, '/', n) || memmem(data + i, n, "..", 2)) {
			argv[argc] = NULL;
			goto out; /* a path outside the scratch directory */
		}
		argv[argc] = malloc(n + 1);
		CHECK(argv[argc] != NULL);
		memcpy(argv[argc], data + i, n);
		argv[argc++][n] = '\0';
		i += n + 1;
	}
	argv[argc] = NULL;

	fz_capture_reset(&cap);
	obuf_init(out, cap.fd);
	optind = 0; /* getopt restarts from scratch */
	progname = "ipcadm"; /* a personality sets it */
	memcpy(owned, argv, sizeof(argv[0]) * (size_t)argc); /* main may replace argv[0] */
	rc = ipcadm_main(argc, argv);
	CHECK(rc >= 0 && rc <= 3); /* 3: doctor's Nagios UNKNOWN */
	CHECK(obuf_flush(out) == 0);
	fz_capture_read(&cap);
	if (rc == 0 && cap.len > 0 && (cap.buf[0] == '{' || cap.buf[0] == '[')) {
		if (!fz_json_valid(cap.buf, cap.len, NULL, NULL)) {
			dprintf(2, "invalid JSON:\n%s\n", cap.buf);
			abort();
		}
	}
	for (int i = 0; i < argc; i++)
		free(owned[i]);
	return 0;
out:
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	return 0;
}
