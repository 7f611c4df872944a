/* safefile.c: opening the files and directories that root writes or reads at paths a user
 * may control (backups, restores, logs): no link followed, and nothing another user owns. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Root trusts only what root (or the user it runs as) owns and no one else may write. */
static bool strict(void)
{
	return geteuid() == 0;
}

static bool own(const struct stat *st)
{
	return st->st_uid == 0 || st->st_uid == geteuid();
}

/* Group or world writable; a sticky directory (/tmp) only when sticky_ok is false: there
 * others may add names, but neither rename nor remove ours. */
static bool others_write(const struct stat *st, bool sticky_ok)
{
	if (!(st->st_mode & (S_IWGRP | S_IWOTH)))
		return false;
	return !(sticky_ok && S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX));
}

/*
 * Each directory above dirfd, up to "/": owned by root or us, and writable by no one else
 * unless sticky. Otherwise another user could rename the directory away and put theirs
 * in its place between our checks and our uses (as sshd's StrictModes reasons).
 */
static int check_parents(int dirfd, enum ipcadm_file_fault *fault)
{
	struct stat root, st;
	int fd, r = 0;

	if (stat("/", &root) < 0)
		return -errno;
	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (int depth = 0; depth < 256; depth++) {
		int up;

		if (fstat(fd, &st) < 0) {
			r = -errno;
			break;
		}
		if (st.st_dev == root.st_dev && st.st_ino == root.st_ino)
			break;
		up = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (up < 0) {
			r = -errno;
			break;
		}
		close(fd);
		fd = up;
		if (fstat(fd, &st) < 0) {
			r = -errno;
			break;
		}
		if (!own(&st) || others_write(&st, true)) {
			*fault = IPCADM_FILE_UNSAFE_PARENT;
			break;
		}
	}
	close(fd);
	return r;
}

int ipcadm_dir_open(const char *path, bool sticky_ok, int *fdp,
		    enum ipcadm_file_fault *fault)
{
	struct stat st;
	int fd, r;

	*fault = IPCADM_FILE_OK;
	*fdp = -1;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	if (strict() && !own(&st)) {
		*fault = IPCADM_FILE_OTHER_OWNER;
	} else if (strict() && others_write(&st, sticky_ok)) {
		*fault = IPCADM_FILE_OTHER_WRITABLE;
	} else if (strict()) {
		r = check_parents(fd, fault);
		if (r < 0) {
			close(fd);
			return r;
		}
	}
	if (*fault != IPCADM_FILE_OK) {
		close(fd);
		return 0;
	}
	*fdp = fd;
	return 0;
}

int ipcadm_file_open_at(int dirfd, const char *name, int flags, int *fdp,
			enum ipcadm_file_fault *fault)
{
	struct stat st;
	int fd, r;

	*fault = IPCADM_FILE_OK;
	*fdp = -1;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; cleared below */
	fd = openat(dirfd, name, flags | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	if (!S_ISREG(st.st_mode))
		*fault = IPCADM_FILE_NOT_REGULAR;
	else if (strict() && !own(&st))
		*fault = IPCADM_FILE_OTHER_OWNER;
	else if (strict() && others_write(&st, false))
		*fault = IPCADM_FILE_OTHER_WRITABLE;
	else if (strict() && st.st_nlink > 1)
		*fault = IPCADM_FILE_LINKED; /* a link to a file of someone else's choosing */
	else if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)
		*fault = IPCADM_FILE_NOT_REGULAR;
	if (*fault != IPCADM_FILE_OK) {
		close(fd);
		return 0;
	}
	*fdp = fd;
	return 0;
}

int ipcadm_file_open(const char *path, int flags, int *fdp, enum ipcadm_file_fault *fault)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	int dfd, r;

	*fdp = -1;
	*fault = IPCADM_FILE_OK;
	if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return -EISDIR;
	if (slash == NULL) {
		strcpy(dir, ".");
	} else if (slash == path) {
		strcpy(dir, "/");
	} else if ((size_t)(slash - path) < sizeof(dir)) {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	} else {
		return -ENAMETOOLONG;
	}
	/* the directory it is in: a user who may write it could swap the file */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	if (strict()) {
		struct stat st;

		r = 0;
		if (fstat(dfd, &st) < 0)
			r = -errno;
		else if (!own(&st) || others_write(&st, true))
			*fault = IPCADM_FILE_UNSAFE_PARENT;
		else
			r = check_parents(dfd, fault);
		if (r < 0 || *fault != IPCADM_FILE_OK) {
			close(dfd);
			return r;
		}
	}
	r = ipcadm_file_open_at(dfd, base, flags, fdp, fault);
	close(dfd);
	return r;
}
