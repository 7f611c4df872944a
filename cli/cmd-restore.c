/* cmd-restore.c: `ipcadm restore DIR`: recreates the segments that `reap --backup DIR`
 * saved (same key, size, mode, owner and contents), to undo a wrong reap. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipcadm-cli.h"
#include "obuf.h"

static void restore_help(void)
{
	printf("Usage: %s restore [-N PID|PATH] DIR\n\n"
	       "Recreate the shared memory segments saved by 'reap --backup DIR'.\n"
	       "As root, files and directories that another user owns or may write are\n"
	       "refused, and so are links, FIFOs and devices.\n\n"
	       "Options:\n"
	       "  -N, --namespace PID|PATH restore into the IPC namespace of a process, or a\n"
	       "                           namespace file (default: our own)\n"
	       "  -h, --help               this help\n",
	       progname);
}

/* One backup's load failure, naming the file (and the .meta line) at fault. */
static void load_error(const char *dir, const char *meta, const struct ipcadm_shm_backup *b,
		       int r)
{
	size_t base = strlen(meta) - 5;

	switch (r) {
	case -EPERM:
		if (b->fault == IPCADM_FILE_OK)
			break;
		errorx("refusing '%s/%.*s%s': %s", dir, (int)base, meta,
		       b->data_faulted ? ".data" : ".meta", file_fault_words(b->fault));
		return;
	case -ELOOP:
		errorx("refusing '%s/%.*s%s': a symbolic link", dir, (int)base, meta,
		       b->data_faulted ? ".data" : ".meta");
		return;
	case -ENOKEY:
		errorx("%s/%s:%u: unknown field '%s'", dir, meta, b->line, b->field);
		return;
	case -ENOTUNIQ:
		errorx("%s/%s:%u: duplicate field '%s'", dir, meta, b->line, b->field);
		return;
	case -ENODATA:
		errorx("%s/%s: missing field '%s'", dir, meta, b->field);
		return;
	case -EBADMSG:
		if (b->line && b->field[0])
			errorx("%s/%s:%u: invalid value of '%s'", dir, meta, b->line, b->field);
		else if (b->line)
			errorx("%s/%s:%u: invalid line (want 'field value')", dir, meta, b->line);
		else
			errorx("%s/%s: invalid backup metadata", dir, meta);
		return;
	case -ERANGE:
		errorx("cannot restore '%s/%.*s': the .data file's size is not the size in %s",
		       dir, (int)base, meta, meta);
		return;
	case -EFBIG:
		errorx("refusing '%s/%s': too large for backup metadata", dir, meta);
		return;
	}
	error_code(r, "cannot restore '%s/%.*s'", dir, (int)base, meta);
}

int cmd_restore(struct ipcadm_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "namespace", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum ipcadm_file_fault fault;
	struct ipcadm_ns ns = { .self = true };
	const char *spec = NULL, *path;
	struct dirent *de;
	DIR *dir;
	int c, r, dirfd, rc = 0, n = 0;

	while ((c = getopt_long(argc, argv, "N:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'N':
			spec = optarg;
			break;
		case 'h':
			restore_help();
			return 0;
		default:
			return usage_error("restore", "bad usage");
		}
	}
	if (argc - optind != 1)
		return usage_error("restore", "expected one backup directory");
	path = argv[optind];
	if (!ipcadm_ctx_is_live(ctx)) {
		errorx("cannot create objects in a copied tree ('%s')", ipcadm_ctx_root(ctx));
		return 1;
	}
	if (spec) {
		r = ipcadm_ns_resolve(ctx, spec, &ns);
		if (r < 0)
			return error_code(r, "cannot find the IPC namespace '%s'", spec);
	}
	r = ipcadm_dir_open(path, false, &dirfd, &fault);
	if (r == -ELOOP) {
		errorx("refusing backup directory '%s': a symbolic link", path);
		return 1;
	}
	if (r < 0)
		return error_code(r, "cannot open backup directory '%s'", path);
	if (fault != IPCADM_FILE_OK) {
		errorx("refusing backup directory '%s': %s", path, file_fault_words(fault));
		return 1;
	}
	dir = fdopendir(dup(dirfd));
	if (dir == NULL) {
		close(dirfd);
		return error_code(-errno, "cannot read backup directory '%s'", path);
	}
	while ((de = readdir(dir)) != NULL) {
		size_t len = strlen(de->d_name);
		struct ipcadm_shm_backup b;
		int id;

		if (len < 10 || strncmp(de->d_name, "shm-", 4) != 0 ||
		    strcmp(de->d_name + len - 5, ".meta") != 0)
			continue;
		r = ipcadm_shm_backup_load(dirfd, de->d_name, &b);
		if (r < 0) {
			load_error(path, de->d_name, &b, r);
			rc = 1;
			continue;
		}
		r = ipcadm_shm_backup_create_ns(ctx, &ns, &b, &id);
		ipcadm_shm_backup_release(&b);
		if (r < 0) {
			error_code(r, "cannot restore '%s/%.*s'", path, (int)(len - 5),
				   de->d_name);
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
		errorx("no backups in '%s'", path);
		return 1;
	}
	return rc;
}
