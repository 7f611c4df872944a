/* backup.c: saves a shared memory segment's attributes and contents before a reap
 * removes it, synced to disk, and recreates segments from such a backup. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#include "escape.h"
#include "strutil.h"

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

/* Writes name in dirfd through a temporary file: written, synced, renamed. */
static int write_file_synced(int dirfd, const char *name, const void *buf, size_t len)
{
	char tmp[256];
	int fd, r;

	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	r = write_all(fd, buf, len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		r = -errno;
	if (r < 0)
		unlinkat(dirfd, tmp, 0);
	return r;
}

int ipcadm_shm_backup(const struct ipcadm_obj *o, int dirfd, const char *evidence)
{
	char name[64], meta[2048], ev[1024]; /* ev: the evidence escaped, one line */
	void *addr;
	int r, n;

	if (o->kind != IPCADM_SHM)
		return -EINVAL;
	addr = shmat(o->id, NULL, SHM_RDONLY);
	if (addr == (void *)-1)
		return -errno;
	snprintf(name, sizeof(name), "shm-%d.data", o->id);
	r = write_file_synced(dirfd, name, addr, o->size);
	shmdt(addr);
	if (r < 0)
		return r;
	esc_str(ev, sizeof(ev), evidence ? evidence : "", 0);
	n = snprintf(meta, sizeof(meta),
		     "id %d\nkey 0x%08x\nsize %llu\nmode %o\nuid %u\ngid %u\ncuid %u\ncgid %u\n"
		     "ctime %lld\nevidence %s\n",
		     o->id, (uint32_t)o->key, (unsigned long long)o->size, o->mode & 0777,
		     (unsigned int)o->uid, (unsigned int)o->gid, (unsigned int)o->cuid,
		     (unsigned int)o->cgid, (long long)o->ctime, ev);
	snprintf(name, sizeof(name), "shm-%d.meta", o->id);
	r = write_file_synced(dirfd, name, meta, (size_t)n < sizeof(meta) ? (size_t)n : sizeof(meta));
	if (r == 0 && fsync(dirfd) < 0)
		r = -errno;
	return r;
}

/* Reads "name value" lines of a .meta file into a struct ipcadm_obj. */
static int parse_meta(char *buf, struct ipcadm_obj *o)
{
	unsigned int seen = 0;

	memset(o, 0, sizeof(*o));
	o->kind = IPCADM_SHM;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char *val = strchr(line, ' ');
		uint64_t u;
		int32_t key;
		unsigned int mode;

		if (val == NULL)
			return -EBADMSG;
		*val++ = '\0';
		if (strcmp(line, "key") == 0) {
			if (str_to_key(val, &key) < 0)
				return -EBADMSG;
			o->key = key;
			seen |= 1;
		} else if (strcmp(line, "mode") == 0) {
			if (str_to_mode(val, 0777, &mode) < 0)
				return -EBADMSG;
			o->mode = mode;
			seen |= 2;
		} else if (strcmp(line, "size") == 0 || strcmp(line, "uid") == 0 ||
			   strcmp(line, "gid") == 0) {
			if (str_to_u64(val, &u) < 0 || (line[0] != 's' && u > UINT32_MAX))
				return -EBADMSG;
			if (line[0] == 's')
				o->size = u, seen |= 4;
			else if (line[0] == 'u')
				o->uid = (uid_t)u, seen |= 8;
			else
				o->gid = (gid_t)u, seen |= 16;
		}
	}
	return seen == 31 ? 0 : -EBADMSG;
}

int ipcadm_shm_restore(int dirfd, const char *meta_name, int *idp)
{
	char data_name[256], *buf;
	struct ipcadm_obj o;
	struct shmid_ds ds;
	size_t len, base;
	void *addr;
	int r, id;

	r = read_file_at(dirfd, meta_name, &buf, &len);
	if (r < 0)
		return r;
	r = parse_meta(buf, &o);
	free(buf);
	if (r < 0)
		return r;
	base = strlen(meta_name);
	if (base < 5 || strcmp(meta_name + base - 5, ".meta") != 0 || base + 1 > sizeof(data_name))
		return -EINVAL;
	snprintf(data_name, sizeof(data_name), "%.*s.data", (int)(base - 5), meta_name);
	r = read_file_at(dirfd, data_name, &buf, &len);
	if (r < 0)
		return r;
	if (len != o.size) {
		free(buf);
		return -EBADMSG;
	}
	id = shmget(o.key, o.size, IPC_CREAT | IPC_EXCL | (int)(o.mode & 0777));
	if (id < 0) {
		r = -errno;
		free(buf);
		return r;
	}
	addr = shmat(id, NULL, 0);
	if (addr == (void *)-1) {
		r = -errno;
		shmctl(id, IPC_RMID, NULL);
		free(buf);
		return r;
	}
	memcpy(addr, buf, len);
	shmdt(addr);
	free(buf);
	if (shmctl(id, IPC_STAT, &ds) == 0) {
		ds.shm_perm.uid = o.uid;
		ds.shm_perm.gid = o.gid;
		ds.shm_perm.mode = (unsigned short)(o.mode & 0777);
		if (shmctl(id, IPC_SET, &ds) < 0) {
			r = -errno;
			shmctl(id, IPC_RMID, NULL);
			return r;
		}
	}
	*idp = id;
	return 0;
}
