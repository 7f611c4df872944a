/* safefile.c: opening the files and directories that root writes or reads at paths a user
 * may control (backups, restores, logs): no link followed, and nothing another user owns. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
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

/* A directory root may go through: ours, and writable by no one else unless sticky. */
static bool safe_dir(const struct stat *st)
{
	return own(st) && !others_write(st, true);
}

/*
 * Each directory above dirfd, up to "/": safe_dir(). Otherwise another user could rename
 * the directory away and put theirs in its place between our checks and our uses (as
 * sshd's StrictModes reasons). A walk that does not reach "/" (a tree deeper than any,
 * or the root of another tree, such as a container's) is not trusted.
 */
static int check_parents(int dirfd, enum ipcadm_file_fault *fault)
{
	struct stat root, st, prev;
	int fd, r = 0;

	if (stat("/", &root) < 0)
		return -errno;
	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -errno;
	}
	for (int depth = 0; !(st.st_dev == root.st_dev && st.st_ino == root.st_ino); depth++) {
		int up;

		if (depth == 4096) {
			*fault = IPCADM_FILE_UNSAFE_PARENT;
			break;
		}
		up = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (up < 0) {
			r = -errno;
			break;
		}
		close(fd);
		fd = up;
		prev = st;
		if (fstat(fd, &st) < 0) {
			r = -errno;
			break;
		}
		if (!safe_dir(&st) || (st.st_dev == prev.st_dev && st.st_ino == prev.st_ino)) {
			*fault = IPCADM_FILE_UNSAFE_PARENT;
			break;
		}
	}
	close(fd);
	return r;
}

#define WALK_MAX_LINKS 40 /* as the kernel's MAXSYMLINKS */

/* Replaces the path left to walk, p (in buf), with the link's target and then p. */
static int splice_link(char *buf, size_t cap, char **p, const char *target)
{
	char rest[PATH_MAX];

	if ((size_t)snprintf(rest, sizeof(rest), "%s", *p) >= sizeof(rest) ||
	    (size_t)snprintf(buf, cap, "%s/%s", target, rest) >= cap)
		return -ENAMETOOLONG;
	*p = buf;
	return 0;
}

/* Whether dirfd is in /proc, whose links (/proc/PID/root, cwd, fd/N) do not say where
 * they lead: the text of /proc/PID/root is "/" whatever root the process has. */
static bool in_proc(int dirfd)
{
	struct statfs sf;

	return fstatfs(dirfd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
}

/* The kernel follows a /proc link; where it led is checked as the walk up checks. */
static int follow_proc_link(int *fd, const char *name, enum ipcadm_file_fault *fault,
			    int links)
{
	struct stat st;
	int nfd;

	if (links > WALK_MAX_LINKS)
		return -ELOOP;
	nfd = openat(*fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (nfd < 0)
		return -errno;
	close(*fd);
	*fd = nfd;
	if (fstat(nfd, &st) < 0)
		return -errno;
	if (!safe_dir(&st)) {
		*fault = IPCADM_FILE_UNSAFE_PARENT;
		return 0;
	}
	return check_parents(nfd, fault);
}

/*
 * Opens the directory at path as root goes there, checking the way and not only where it
 * led: a path through a directory another user owns reaches a directory of their choosing
 * (a link of theirs), however well that one is kept. From "/" (or the working directory,
 * checked with those above it), each directory passed through is safe_dir(); a symbolic
 * link on the way is followed only when root or we own it (in a sticky directory it may be
 * anyone's, as fs.protected_symlinks reasons), and its target is walked with the same
 * checks (a link of /proc is followed by the kernel, and where it led checked). The last component is not checked (the caller does) and, unless follow_last,
 * not followed when a link (-ELOOP).
 */
static int walk(const char *path, bool follow_last, int *fdp, enum ipcadm_file_fault *fault)
{
	char buf[PATH_MAX], target[PATH_MAX], *p = buf;
	int fd, r = 0, links = 0;
	struct stat st;

	*fdp = -1;
	if ((size_t)snprintf(buf, sizeof(buf), "%s", path) >= sizeof(buf))
		return -ENAMETOOLONG;
	fd = open(*p == '/' ? "/" : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (*p != '/') {
		if (fstat(fd, &st) < 0)
			r = -errno;
		else if (!safe_dir(&st))
			*fault = IPCADM_FILE_UNSAFE_PARENT;
		else
			r = check_parents(fd, fault);
	}
	while (r == 0 && *fault == IPCADM_FILE_OK) {
		char *q, *next;
		bool last;
		int nfd;

		while (*p == '/')
			p++;
		if (*p == '\0') { /* "/", or a link's target ending in "/" */
			*fdp = fd;
			return 0;
		}
		for (q = p; *q && *q != '/'; q++)
			;
		for (next = q; *next == '/'; next++)
			;
		last = *next == '\0';
		*q = '\0';
		if (strcmp(p, ".") == 0 && !last) {
			p = next;
			continue;
		}
		if (fstatat(fd, p, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode) &&
		    (!last || follow_last)) {
			ssize_t n;

			if (!own(&st)) {
				*fault = IPCADM_FILE_OTHER_LINK;
				break;
			}
			if (in_proc(fd)) {
				r = follow_proc_link(&fd, p, fault, ++links);
				p = next;
				if (r == 0 && *fault == IPCADM_FILE_OK && last) {
					*fdp = fd;
					return 0;
				}
				continue;
			}
			n = readlinkat(fd, p, target, sizeof(target));
			if (n < 0 || n == sizeof(target) || ++links > WALK_MAX_LINKS) {
				r = n < 0 ? -errno : n == sizeof(target) ? -ENAMETOOLONG : -ELOOP;
				break;
			}
			target[n] = '\0';
			p = next;
			r = splice_link(buf, sizeof(buf), &p, target);
			if (r == 0 && target[0] == '/') {
				close(fd);
				fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
				if (fd < 0)
					return -errno;
			}
			continue;
		}
		nfd = openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0) {
			r = -errno;
			break;
		}
		close(fd);
		fd = nfd;
		if (last) {
			*fdp = fd;
			return 0;
		}
		if (fstat(fd, &st) < 0)
			r = -errno;
		else if (!safe_dir(&st))
			*fault = IPCADM_FILE_UNSAFE_PARENT;
		p = next;
	}
	close(fd);
	return r;
}

/* The end of every open here: fd is the caller's (in *fdp) only when no error (r) and no
 * fault was found; otherwise it is closed, and the error (or 0 for a fault) returned. */
static int hand_over(int fd, int r, enum ipcadm_file_fault fault, int *fdp)
{
	if (r < 0 || fault != IPCADM_FILE_OK) {
		close(fd);
		return r < 0 ? r : 0;
	}
	*fdp = fd;
	return 0;
}

int ipcadm_dir_open(const char *path, bool sticky_ok, int *fdp,
		    enum ipcadm_file_fault *fault)
{
	struct stat st;
	int fd, r;

	*fault = IPCADM_FILE_OK;
	*fdp = -1;
	if (strict()) {
		r = walk(path, false, &fd, fault);
		if (r < 0 || *fault != IPCADM_FILE_OK)
			return r;
	} else {
		fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return -errno;
	}
	r = 0;
	if (fstat(fd, &st) < 0)
		r = -errno;
	else if (strict() && !own(&st))
		*fault = IPCADM_FILE_OTHER_OWNER;
	else if (strict() && others_write(&st, sticky_ok))
		*fault = IPCADM_FILE_OTHER_WRITABLE;
	else if (strict())
		r = check_parents(fd, fault);
	return hand_over(fd, r, *fault, fdp);
}

int ipcadm_file_open_at(int dirfd, const char *name, int flags, int *fdp,
			enum ipcadm_file_fault *fault)
{
	struct stat st;
	int fd, r = 0;

	*fault = IPCADM_FILE_OK;
	*fdp = -1;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; cleared below */
	fd = openat(dirfd, name, flags | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		r = -errno;
	else if (!S_ISREG(st.st_mode))
		*fault = IPCADM_FILE_NOT_REGULAR;
	else if (strict() && !own(&st))
		*fault = IPCADM_FILE_OTHER_OWNER;
	else if (strict() && others_write(&st, false))
		*fault = IPCADM_FILE_OTHER_WRITABLE;
	else if (strict() && st.st_nlink > 1)
		*fault = IPCADM_FILE_LINKED; /* a link to a file of someone else's choosing */
	else if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)
		*fault = IPCADM_FILE_NOT_REGULAR;
	return hand_over(fd, r, *fault, fdp);
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
	if (!strict()) {
		dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			return -errno;
	} else {
		struct stat st;

		r = walk(dir, true, &dfd, fault);
		if (r < 0 || *fault != IPCADM_FILE_OK)
			return r;
		if (fstat(dfd, &st) < 0)
			r = -errno;
		else if (!safe_dir(&st))
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
