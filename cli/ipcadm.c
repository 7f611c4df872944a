/* ipcadm.c: the program's entry point: global options, then one command from the
 * table below; run as ipcs, ipcrm or ipcmk it takes that tool's personality. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "ipcadm-cli.h"
#include "journal.h"
#include "obuf.h"

static const struct cmd commands[] = {
	{ "list", cmd_list, "list objects with every attribute" },
	{ "show", cmd_show, "one object in full (semaphore values too)" },
	{ "limits", cmd_limits, "every limit with its usage" },
	{ "who", cmd_who, "the processes that hold an object, and its verdict" },
	{ "reap", cmd_reap, "remove proven leaks (a dry run unless --yes)" },
	{ "restore", cmd_restore, "recreate segments saved by reap --backup" },
	{ "rm", cmd_rm, "remove objects by ID, by key, or in bulk (listed, confirmed)" },
	{ "mk", cmd_mk, "create an object; a refusal names the limit" },
	{ "doctor", cmd_doctor, "why get calls fail or soon will, and the fix (exit 0/1/2)" },
	{ "check", cmd_check, "would a new shm SIZE, sem NSEMS or msg be created now?" },
	{ "metrics", cmd_metrics, "Prometheus text format, or --textfile DIR for node_exporter" },
	{ "trace", cmd_trace, "follow IPC calls as they happen; failing get calls explained" },
};

static void usage(void)
{
	printf("Usage: %s [--root DIR] [COMMAND] [OPTIONS]\n\n"
	       "Examine, explain and clean up System V IPC.\n"
	       "Without a command, prints an overview of usage against every limit.\n\n"
	       "Commands:\n",
	       progname);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].help);
	printf("\nOptions:\n"
	       "  -R, --root DIR       read /proc below DIR (a copied tree or support bundle)\n"
	       "      --source SRC     auto, proc (/proc/sysvipc) or syscall (*_STAT_ANY)\n"
	       "  -h, --help           this help\n"
	       "  -V, --version        the version\n\n"
	       "'%s COMMAND --help' describes each command. See ipcadm(8).\n",
	       progname);
}

static const struct cmd *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, 'R' },
		{ "source", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *root = "/";
	enum ipcadm_source source = IPCADM_SOURCE_AUTO;
	struct ipcadm_ctx *ctx;
	const struct cmd *cmd = NULL;
	int c, r;

	/* Run as ipcs, ipcrm or ipcmk (a symlink), the program is that tool. */
	r = compat_main(argc, argv);
	if (r >= 0)
		return finish_output(r);

	while ((c = getopt_long(argc, argv, "+R:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'R':
			root = optarg;
			break;
		case 'S':
			if (strcmp(optarg, "auto") == 0)
				source = IPCADM_SOURCE_AUTO;
			else if (strcmp(optarg, "proc") == 0)
				source = IPCADM_SOURCE_PROC;
			else if (strcmp(optarg, "syscall") == 0)
				source = IPCADM_SOURCE_SYSCALL;
			else
				return usage_error(NULL, "unknown source '%s'", optarg);
			break;
		case 'h':
			usage();
			return finish_output(0);
		case 'V':
			printf("ipcadm %s\n", IPCADM_VERSION);
			return finish_output(0);
		default:
			fprintf(stderr, "Try '%s --help' for more information.\n", progname);
			return EXIT_MISUSE;
		}
	}
	if (optind < argc) {
		cmd = find_command(argv[optind]);
		if (cmd == NULL)
			return usage_error(NULL, "unknown command '%s'", argv[optind]);
	}
	r = ipcadm_ctx_new(&ctx, root);
	if (r < 0)
		return error_code(r, "cannot use root '%s'", root);
	ipcadm_ctx_set_source(ctx, source);
	if (cmd) {
		char name[64];

		argv += optind;
		argc -= optind;
		optind = 0; /* restart getopt for the command */
		/* getopt names argv[0] in its messages: "ipcadm list: invalid option" */
		snprintf(name, sizeof(name), "%s %s", progname, cmd->name);
		argv[0] = name;
		r = cmd->run(ctx, argc, argv);
	} else {
		r = cmd_overview(ctx, 0, NULL);
	}
	journal_put();
	ipcadm_ctx_free(ctx);
	return finish_output(r);
}
