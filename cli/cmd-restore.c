/* cmd-restore.c: `ipcadm restore DIR`: recreates the segments that `reap --backup DIR`
 * saved (same key, size, mode, owner and contents), to undo a wrong reap. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipcadm-cli.h"
#include "obuf.h"

int cmd_restore(struct ipcadm_ctx *ctx, int argc, char **argv)
{
	DIR *dir;
	struct dirent *de;
	int dirfd, rc = 0, n = 0;

	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		printf("Usage: %s restore DIR\n\nRecreate the shared memory segments saved by "
		       "'reap --backup DIR'.\n",
		       progname);
		return 0;
	}
	if (argc != 2)
		return usage_error("restore", "expected one backup directory");
	if (!ipcadm_ctx_is_live(ctx)) {
		errorx("cannot create objects in a copied tree ('%s')", ipcadm_ctx_root(ctx));
		return 1;
	}
	dirfd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return error_code(-errno, "cannot open backup directory '%s'", argv[1]);
	dir = fdopendir(dup(dirfd));
	if (dir == NULL) {
		close(dirfd);
		return error_code(-errno, "cannot read backup directory '%s'", argv[1]);
	}
	while ((de = readdir(dir)) != NULL) {
		size_t len = strlen(de->d_name);
		int id, r;

		if (len < 10 || strncmp(de->d_name, "shm-", 4) != 0 ||
		    strcmp(de->d_name + len - 5, ".meta") != 0)
			continue;
		r = ipcadm_shm_restore(dirfd, de->d_name, &id);
		if (r < 0) {
			error_code(r, "cannot restore '%s'", de->d_name);
			rc = 1;
			continue;
		}
		/* anyone who may write the directory names its files */
		obuf_puts(out, "restored ");
		obuf_escaped(out, de->d_name, len - 5, 0);
		obuf_printf(out, " as shm %d\n", id);
		n++;
	}
	closedir(dir);
	close(dirfd);
	if (n == 0 && rc == 0) {
		errorx("no backups in '%s'", argv[1]);
		return 1;
	}
	return rc;
}
