/* compat.c: the util-linux personalities' dispatcher: run as ipcs, ipcrm or ipcmk (a
 * symlink), the program is that tool, chosen from the table below by argv[0]'s name. */
#include <string.h>

#include "compat.h"
#include "ipcadm-cli.h"

/* A personality: the name it answers to and its main; each makes its own context on "/". */
struct compat_tool {
	const char *name;
	int (*run)(int argc, char **argv);
};

static const struct compat_tool compat_tools[] = {
	{ "ipcs", compat_ipcs },
	{ "ipcrm", compat_ipcrm },
	{ "ipcmk", compat_ipcmk },
};

int compat_main(int argc, char **argv)
{
	const char *name;

	if (argc < 1 || argv[0] == NULL)
		return -1;
	name = strrchr(argv[0], '/');
	name = name ? name + 1 : argv[0];
	for (size_t i = 0; i < sizeof(compat_tools) / sizeof(compat_tools[0]); i++) {
		if (strcmp(name, compat_tools[i].name) == 0) {
			progname = compat_tools[i].name;
			return compat_tools[i].run(argc, argv);
		}
	}
	return -1;
}
