/* backup.c: saves a shared memory segment's attributes and contents before a reap
 * removes it, synced to disk, and reads such a backup back (create.c recreates it). */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sbuf.h"
#include "strutil.h"

#define META_MAX 65536 /* a .meta is a few hundred bytes: anything larger is not one */

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * An unnamed file in dirfd, empty: O_TMPFILE, or where the filesystem has none a fresh
 * name made with O_EXCL (*tmp, to be unlinked once linked). Either way no existing name or
 * link is followed, and the file is ours and 0600.
 */
static int create_unnamed(int dirfd, char *tmp, size_t tmplen)
{
	int fd;

	tmp[0] = '\0';
	fd = openat(dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	for (unsigned int i = 0; fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR) && i < 100;
	     i++) {
		snprintf(tmp, tmplen, ".ipcadm-%d-%u.tmp", (int)getpid(), i);
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0600);
		if (fd < 0 && errno != EEXIST)
			break;
		if (fd < 0)
			errno = EOPNOTSUPP; /* taken: try the next name */
	}
	if (fd < 0) {
		int r = -errno;

		tmp[0] = '\0';
		return r;
	}
	return fd;
}

/* Synced, fd is returned; else it is closed (and *tmp unlinked). */
static int sync_unnamed(int dirfd, int fd, int r, char *tmp)
{
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (r == 0)
		return fd;
	close(fd);
	if (tmp[0])
		unlinkat(dirfd, tmp, 0);
	tmp[0] = '\0';
	return r;
}

/* An unnamed file in dirfd (create_unnamed) holding buf, synced. */
static int write_unnamed(int dirfd, const void *buf, size_t len, char *tmp, size_t tmplen)
{
	int fd = create_unnamed(dirfd, tmp, tmplen);

	if (fd < 0)
		return fd;
	return sync_unnamed(dirfd, fd, write_all(fd, buf, len), tmp);
}

static bool all_zero(const char *p, size_t n)
{
	return n == 0 || (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0);
}

static int pwrite_all(int fd, const char *p, size_t len, off_t at)
{
	while (len > 0) {
		ssize_t n = pwrite(fd, p, len, at);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		at += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Copies the data of the segment's file, src, into dst, keeping its holes: the pages its
 * owner never touched are neither read (reading them through the mapping would give the
 * segment those pages: a user's untouched 100 GiB segment would take root's memory) nor
 * written (nor its disk). Sizes dst to size.
 */
static int copy_sparse(int src, int dst, uint64_t size)
{
	static char buf[1 << 20];
	off_t at = 0;

	while ((uint64_t)at < size) {
		off_t data = lseek(src, at, SEEK_DATA), hole;

		if (data < 0 && errno == ENXIO)
			break; /* only a hole is left */
		if (data < 0)
			return -errno;
		hole = lseek(src, data, SEEK_HOLE);
		if (hole < 0)
			return -errno;
		if ((uint64_t)hole > size)
			hole = (off_t)size;
		for (at = data; at < hole;) {
			size_t want = (size_t)(hole - at) < sizeof(buf) ? (size_t)(hole - at)
									 : sizeof(buf);
			ssize_t n = pread(src, buf, want, at);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return n < 0 ? -errno : -EIO;
			/* zeros (a hugetlbfs file says it is all data) stay a hole too */
			if (!all_zero(buf, (size_t)n)) {
				int r = pwrite_all(dst, buf, (size_t)n, at);

				if (r < 0)
					return r;
			}
			at += n;
		}
	}
	return ftruncate(dst, (off_t)size) < 0 ? -errno : 0;
}

/*
 * The segment attached at addr, saved into an unnamed file in dirfd: read through its
 * file (/proc/self/map_files, which needs CAP_SYS_ADMIN) so that holes stay holes; where
 * that cannot be opened (not root), from the mapping.
 */
static int write_segment(int dirfd, const void *addr, uint64_t size, char *tmp, size_t tmplen)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t len = (size + (uint64_t)page - 1) / (uint64_t)page * (uint64_t)page;
	char path[80];
	int src, fd;

	snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx", (unsigned long)addr,
		 (unsigned long)addr + (unsigned long)len);
	src = open(path, O_RDONLY | O_CLOEXEC);
	if (src < 0)
		return write_unnamed(dirfd, addr, size, tmp, tmplen);
	fd = create_unnamed(dirfd, tmp, tmplen);
	if (fd < 0) {
		close(src);
		return fd;
	}
	fd = sync_unnamed(dirfd, fd, copy_sparse(src, fd, size), tmp);
	close(src);
	return fd;
}

/* Gives the unnamed file fd (or tmp) the name; -EEXIST when the name is taken. */
static int link_unnamed(int fd, const char *tmp, int dirfd, const char *name)
{
	char path[64];

	if (tmp[0])
		return linkat(dirfd, tmp, dirfd, name, 0) < 0 ? -errno : 0;
	if (linkat(fd, "", dirfd, name, AT_EMPTY_PATH) == 0)
		return 0;
	if (errno != ENOENT && errno != EPERM)
		return -errno;
	/* AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH: the descriptor's /proc link does not */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return linkat(AT_FDCWD, path, dirfd, name, AT_SYMLINK_FOLLOW) < 0 ? -errno : 0;
}

/* The IPC namespace we are in (a child that entered one is in that one). */
static uint64_t ipc_ns_ino(const struct ipcadm_obj *o)
{
	struct stat st;

	return stat("/proc/self/ns/ipc", &st) == 0 ? (uint64_t)st.st_ino : o->ipcns;
}

size_t backup_meta_format(const struct ipcadm_obj *o, uint64_t ns, const char *evidence,
			  char *buf, size_t cap)
{
	struct sbuf b;

	sbuf_init(&b, buf, cap);
	sbuf_label_i64(&b, "id ", o->id);
	sbuf_puts(&b, "\nkey ");
	sbuf_key(&b, (uint32_t)o->key);
	sbuf_label_u64(&b, "\nsize ", o->size);
	sbuf_puts(&b, "\nmode ");
	sbuf_octal(&b, o->mode & 0777);
	sbuf_label_u64(&b, "\nuid ", o->uid);
	sbuf_label_u64(&b, "\ngid ", o->gid);
	sbuf_label_u64(&b, "\ncuid ", o->cuid);
	sbuf_label_u64(&b, "\ncgid ", o->cgid);
	sbuf_label_i64(&b, "\nctime ", o->ctime);
	sbuf_label_u64(&b, "\nns ", ns);
	sbuf_puts(&b, "\nevidence ");
	/* process names in it, which any user sets: one line, no field of their own */
	sbuf_escaped(&b, evidence ? evidence : "");
	sbuf_puts(&b, "\n");
	buf[b.len - 1] = '\n'; /* also when the evidence was cut */
	return b.len;
}

/* Whether the segment we attached for the copy shows no other user: we are its only
 * attachment and its last attacher, and nobody detached since o was read (our attach
 * leaves dtime alone). -ESTALE when another process attached since. */
static int still_ours(const struct ipcadm_obj *o)
{
	struct ipcadm_obj now;
	int r = syscall_read_one(IPCADM_SHM, o->id, &now);

	if (r < 0)
		return r;
	r = now.nattch == 1 && now.lpid == getpid() && now.dtime == o->dtime ? 0 : -ESTALE;
	ipcadm_obj_release(&now);
	return r;
}

int ipcadm_shm_backup(const struct ipcadm_obj *o, int dirfd, const char *evidence)
{
	char meta[4096], base[96], name[112], dtmp[64], mtmp[64];
	uint64_t ns = ipc_ns_ino(o);
	size_t mlen;
	void *addr;
	int dfd, mfd, r;

	if (o->kind != IPCADM_SHM)
		return -EINVAL;
	mlen = backup_meta_format(o, ns, evidence, meta, sizeof(meta));

	addr = shmat(o->id, NULL, SHM_RDONLY);
	if (addr == (void *)-1)
		return -errno;
	dfd = write_segment(dirfd, addr, o->size, dtmp, sizeof(dtmp));
	/* Our detach makes us the last user again: a process that attached during the
	 * copy (and detached) shows only now, while we are still attached. */
	r = dfd < 0 ? 0 : still_ours(o);
	shmdt(addr);
	if (dfd < 0)
		return dfd;
	if (r < 0) {
		close(dfd);
		if (dtmp[0])
			unlinkat(dirfd, dtmp, 0);
		return r;
	}
	mfd = write_unnamed(dirfd, meta, mlen, mtmp, sizeof(mtmp));
	if (mfd < 0) {
		r = mfd;
		goto out_data;
	}
	/* named by namespace, ID and creation time; a taken name is never replaced */
	snprintf(base, sizeof(base), "shm-%llu-%d-%lld", (unsigned long long)ns, o->id,
		 (long long)o->ctime);
	r = -EEXIST;
	for (unsigned int n = 0; n < 1000 && r == -EEXIST; n++) {
		int len = n ? snprintf(name, sizeof(name), "%s-%u.data", base, n)
			    : snprintf(name, sizeof(name), "%s.data", base);

		r = link_unnamed(dfd, dtmp, dirfd, name);
		if (r < 0)
			continue;
		memcpy(name + len - 5, ".meta", 5);
		r = link_unnamed(mfd, mtmp, dirfd, name);
		if (r < 0) {
			memcpy(name + len - 5, ".data", 5);
			unlinkat(dirfd, name, 0); /* ours, linked a moment ago */
		}
	}
	if (r == 0 && fsync(dirfd) < 0)
		r = -errno;
	close(mfd);
	if (mtmp[0])
		unlinkat(dirfd, mtmp, 0);
out_data:
	close(dfd);
	if (dtmp[0])
		unlinkat(dirfd, dtmp, 0);
	return r;
}

/* ---- restore ---- */

enum meta_field { M_ID, M_KEY, M_SIZE, M_MODE, M_UID, M_GID, M_CUID, M_CGID, M_CTIME, M_NS,
		  M_EVIDENCE, M_COUNT };
static const char *const meta_fields[M_COUNT] = {
	"id", "key", "size", "mode", "uid", "gid", "cuid", "cgid", "ctime", "ns", "evidence",
};
#define M_REQUIRED ((1u << M_KEY) | (1u << M_SIZE) | (1u << M_MODE) | (1u << M_UID) | \
		    (1u << M_GID))

static int meta_value(struct ipcadm_shm_backup *b, enum meta_field f, const char *val)
{
	uint64_t u;
	int64_t i;

	switch (f) {
	case M_KEY:
		return str_to_key(val, &b->key);
	case M_MODE:
		return str_to_mode(val, 0777, &b->mode);
	case M_SIZE:
		return str_to_u64(val, &b->size);
	case M_UID:
	case M_GID:
	case M_CUID:
	case M_CGID:
		if (str_to_u64(val, &u) < 0 || u >= UINT32_MAX)
			return -EINVAL;
		if (f == M_UID)
			b->uid = (uid_t)u;
		else if (f == M_GID)
			b->gid = (gid_t)u;
		return 0;
	case M_ID:
	case M_NS:
		return str_to_u64(val, &u);
	case M_CTIME:
		return str_to_i64(val, &i);
	default:
		return 0; /* the evidence: words for people */
	}
}

int backup_meta_parse(char *buf, size_t len, struct ipcadm_shm_backup *b)
{
	unsigned int seen = 0;
	char *line = buf, *end = buf + len;

	if (memchr(buf, '\0', len))
		return -EBADMSG;
	for (b->line = 1; line < end; b->line++) {
		char *nl = memchr(line, '\n', (size_t)(end - line)), *val;
		int f;

		if (nl)
			*nl = '\0';
		val = strchr(line, ' ');
		b->field[0] = '\0';
		if (val == NULL)
			return -EBADMSG;
		*val++ = '\0';
		snprintf(b->field, sizeof(b->field), "%s", line);
		for (f = 0; f < M_COUNT && strcmp(line, meta_fields[f]) != 0; f++)
			;
		if (f == M_COUNT)
			return -ENOKEY; /* unknown field */
		if (seen & (1u << f))
			return -ENOTUNIQ; /* a field given twice */
		seen |= 1u << f;
		if (meta_value(b, (enum meta_field)f, val) < 0)
			return -EBADMSG;
		line = nl ? nl + 1 : end;
	}
	b->line = 0;
	b->field[0] = '\0';
	if ((seen & M_REQUIRED) != M_REQUIRED) {
		for (int f = M_COUNT - 1; f >= 0; f--)
			if ((M_REQUIRED & (1u << f)) && !(seen & (1u << f)))
				snprintf(b->field, sizeof(b->field), "%s", meta_fields[f]);
		return -ENODATA; /* a required field missing */
	}
	return 0;
}

/* Reads exactly len bytes of fd: -EFBIG when it holds more, -ENODATA when less. */
static int read_exact(int fd, void *buf, size_t len)
{
	char *p = buf, extra;
	ssize_t n;

	while (len > 0) {
		n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENODATA;
		p += n;
		len -= (size_t)n;
	}
	n = read(fd, &extra, 1);
	return n < 0 ? -errno : n > 0 ? -EFBIG : 0;
}

/* Opens a backup file: a regular file, ours as root (ipcadm_file_open_at), its size. */
static int open_part(int dirfd, const char *name, struct ipcadm_shm_backup *b, bool data,
		     uint64_t *size)
{
	struct stat st;
	int fd, r = ipcadm_file_open_at(dirfd, name, O_RDONLY, &fd, &b->fault);

	b->data_faulted = data;
	if (r < 0)
		return r;
	if (b->fault != IPCADM_FILE_OK)
		return -EPERM;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	*size = (uint64_t)st.st_size;
	return fd;
}

int ipcadm_shm_backup_load(int dirfd, const char *meta_name, struct ipcadm_shm_backup *b)
{
	char data_name[NAME_MAX + 1], *buf;
	size_t base = strlen(meta_name);
	uint64_t size;
	int fd, r;

	memset(b, 0, sizeof(*b));
	if (base < 5 || strcmp(meta_name + base - 5, ".meta") != 0 || base >= sizeof(data_name))
		return -EINVAL;
	snprintf(data_name, sizeof(data_name), "%.*s.data", (int)(base - 5), meta_name);
	fd = open_part(dirfd, meta_name, b, false, &size);
	if (fd < 0)
		return fd;
	if (size > META_MAX) {
		close(fd);
		return -EFBIG;
	}
	buf = malloc((size_t)size + 1);
	r = buf ? read_exact(fd, buf, (size_t)size) : -ENOMEM;
	close(fd);
	if (r == 0)
		r = backup_meta_parse(buf, (size_t)size, b);
	free(buf);
	if (r < 0)
		return r;
	fd = open_part(dirfd, data_name, b, true, &size);
	if (fd < 0)
		return fd;
	/* checked before reading: /dev/zero, a FIFO or a huge file is never read */
	if (size != b->size || b->size == 0 || b->size > SIZE_MAX / 2) {
		close(fd);
		return -ERANGE;
	}
	b->data = malloc((size_t)b->size);
	r = b->data ? read_exact(fd, b->data, (size_t)b->size) : -ENOMEM;
	close(fd);
	if (r < 0) {
		ipcadm_shm_backup_release(b);
		return r == -EFBIG || r == -ENODATA ? -ERANGE : r; /* changed while read */
	}
	return 0;
}

void ipcadm_shm_backup_release(struct ipcadm_shm_backup *b)
{
	free(b->data);
	b->data = NULL;
}
