/* fuzz-procparse.c: libFuzzer target for the /proc/PID parsers of lib/procparse.c (stat,
 * status's ids, groups and capabilities, maps, syscall, PROCMAP_QUERY's mapping names,
 * /proc/stat's btime), and the syscall ABI tables and ELF header reader: what each parser
 * accepts is printed back the way the kernel prints it and must parse the same. */
#include <errno.h>
#include <inttypes.h>

#include "fuzz.h"
#include "procparse.h"
#include "syscall-abi.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void check_stat(const char *buf, size_t len)
{
	struct proc_stat st, again;
	char out[256];
	int n, r;

	memset(&st, 0, sizeof(st));
	r = procparse_stat(buf, len, &st);
	if (r < 0) {
		CHECK(r == -EBADMSG);
		return;
	}
	CHECK(r == 0);
	CHECK(st.pid > 0 && st.ppid >= 0 && st.session >= 0 && st.num_threads >= 0);
	CHECK(memchr(st.comm, '\0', sizeof(st.comm)) != NULL);
	CHECK(st.state != ' ' && st.state != '\t' && st.state != '\n');
	/* the kernel's layout: 52 fields; the ones not parsed are zeros here */
	n = snprintf(out, sizeof(out),
		     "%d (%s) %c %d 0 %d 0 0 %lu 0 0 0 0 0 0 0 0 0 0 %ld 0 %" PRIu64
		     " 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		     (int)st.pid, st.comm, st.state, (int)st.ppid, (int)st.session, st.flags,
		     st.num_threads, st.starttime);
	CHECK(n > 0 && (size_t)n < sizeof(out));
	memset(&again, 0, sizeof(again));
	CHECK(procparse_stat(out, (size_t)n, &again) == 0);
	CHECK(again.pid == st.pid && again.ppid == st.ppid && again.state == st.state);
	CHECK(again.session == st.session);
	CHECK(again.flags == st.flags && again.num_threads == st.num_threads);
	CHECK(again.starttime == st.starttime);
	CHECK(strcmp(again.comm, st.comm) == 0);
}

static void check_status(const char *buf, size_t len)
{
	uid_t ruid = 7, euid = 7, suid = 7, r2, e2, s2;
	char out[128];
	int n, r = procparse_status_uids(buf, len, &ruid, &euid, &suid);

	if (r < 0) {
		CHECK(r == -EBADMSG);
		CHECK(ruid == 7 && euid == 7 && suid == 7);
		return;
	}
	CHECK(r == 0);
	n = snprintf(out, sizeof(out), "Name:\tx\nUid:\t%u\t%u\t%u\t%u\nGid:\t0\t0\t0\t0\n",
		     (unsigned int)ruid, (unsigned int)euid, (unsigned int)suid,
		     (unsigned int)euid);
	CHECK(procparse_status_uids(out, (size_t)n, &r2, &e2, &s2) == 0);
	CHECK(r2 == ruid && e2 == euid && s2 == suid);
}

/* The gids and the supplementary groups: never more stored than room was given, and what
 * is counted printed back as the kernel prints it counts the same. */
static void check_groups(const char *buf, size_t len)
{
	gid_t rg = 7, eg = 7, sg = 7, v[4];
	char out[128];
	int n, g = procparse_status_groups(buf, len, v, 4), again;

	if (procparse_status_gids(buf, len, &rg, &eg, &sg) < 0)
		CHECK(rg == 7 && eg == 7 && sg == 7);
	if (g < 0) {
		CHECK(g == -EBADMSG);
		return;
	}
	CHECK(procparse_status_groups(buf, len, NULL, 0) == g);
	n = snprintf(out, sizeof(out), "Groups:\t");
	for (int i = 0; i < g && i < 4; i++)
		n += snprintf(out + n, sizeof(out) - (size_t)n, "%s%u", i ? " " : "",
			      (unsigned int)v[i]);
	n += snprintf(out + n, sizeof(out) - (size_t)n, " \n");
	again = procparse_status_groups(out, (size_t)n, NULL, 0);
	CHECK(again == (g < 4 ? g : 4));
}

/* The effective capabilities: untouched on failure, and printed back as the kernel
 * prints them (%016llx) they parse the same. */
static void check_capeff(const char *buf, size_t len)
{
	uint64_t c = 7, again = 0;
	char out[64];
	int n, r = procparse_status_capeff(buf, len, &c);

	if (r < 0) {
		CHECK(r == -EBADMSG);
		CHECK(c == 7);
		return;
	}
	CHECK(r == 0);
	n = snprintf(out, sizeof(out), "CapPrm:\t%016" PRIx64 "\nCapEff:\t%016" PRIx64 "\n",
		     c, c);
	CHECK(n > 0 && (size_t)n < sizeof(out));
	CHECK(procparse_status_capeff(out, (size_t)n, &again) == 0 && again == c);
}

struct maps_seen {
	size_t calls;
	size_t stop_after; /* 0: never stop */
	struct proc_sysv_map last;
};

static int on_map(void *arg, const struct proc_sysv_map *m);

/* One mapping printed back as the kernel prints it parses to the same mapping. */
static void reprint_map(const struct proc_sysv_map *m)
{
	struct maps_seen s = { 0 };
	char out[256];
	int n = snprintf(out, sizeof(out),
			 "7f0000000000-7f0000001000 r%c-s 00000000 %02x:%02x %lu"
			 "                          /SYSV%08" PRIx32 " (deleted)\n",
			 m->writable ? 'w' : '-', m->dev_major, m->dev_minor, m->inode, m->key);

	CHECK(n > 0 && (size_t)n < sizeof(out));
	s.stop_after = SIZE_MAX; /* record only */
	CHECK(procparse_maps_sysv(out, (size_t)n, on_map, &s) == 1 && s.calls == 1);
	CHECK(s.last.writable == m->writable && s.last.dev_major == m->dev_major);
	CHECK(s.last.dev_minor == m->dev_minor && s.last.inode == m->inode);
	CHECK(s.last.key == m->key);
}

static int on_map(void *arg, const struct proc_sysv_map *m)
{
	struct maps_seen *s = arg;

	s->calls++;
	s->last = *m;
	if (s->stop_after == SIZE_MAX)
		return 0;
	reprint_map(m);
	return s->stop_after && s->calls == s->stop_after;
}

static void check_maps(const char *buf, size_t len)
{
	struct maps_seen all = { 0 }, first = { .stop_after = 1 };
	int r = procparse_maps_sysv(buf, len, on_map, &all);

	if (r < 0) {
		CHECK(r == -EBADMSG);
		return;
	}
	CHECK((size_t)r == all.calls);
	CHECK(r == 0 || memmem(buf, len, " /SYSV", 6) != NULL);
	CHECK(procparse_maps_sysv(buf, len, NULL, NULL) == r);
	if (r > 0)
		CHECK(procparse_maps_sysv(buf, len, on_map, &first) == 1 && first.calls == 1);
}

/* A wait read without knowing the ABI is consistent with every ABI: none reads a number
 * as a wait when the unknown one says none, and a number that names its ABI (x32's bit)
 * means the same wait whatever the executable. */
static void check_abi_wait(long nr, const uint64_t args[6])
{
	struct syscall_wait any = { 0 }, w;
	int r_any = syscall_abi_wait(SYSCALL_ABI_UNKNOWN, nr, args, &any);

	CHECK(r_any == 0 || r_any == 1 || r_any == -EAGAIN);
	for (int abi = SYSCALL_ABI_NATIVE; abi <= SYSCALL_ABI_ARM; abi++) {
		int r;

		memset(&w, 0, sizeof(w));
		r = syscall_abi_wait((enum syscall_abi)abi, nr, args, &w);
		CHECK(r == 0 || r == 1);
		if (r == 1)
			CHECK(w.kind == IPCADM_SEM || w.kind == IPCADM_MSG);
		if (r_any == 0)
			CHECK(r == 0);
		if (r_any == 1)
			CHECK(r == 1 && w.kind == any.kind && w.id == any.id);
	}
}

/* The ELF header reader: an ABI only from a whole ELF header. */
static void check_elf(const char *buf, size_t len)
{
	enum syscall_abi abi = syscall_abi_of_elf((const unsigned char *)buf, len);

	if (abi != SYSCALL_ABI_UNKNOWN)
		CHECK(len >= 20 && memcmp(buf, "\177ELF", 4) == 0);
}

static void check_syscall(const char *buf, size_t len)
{
	long nr = -7, nr2;
	uint64_t args[6], args2[6];
	char out[256];
	int n, r = procparse_syscall(buf, len, &nr, args);

	if (r < 0) {
		CHECK(r == -EBADMSG);
		return;
	}
	CHECK(r == 0 || r == 1);
	if (r == 0) {
		CHECK(nr == -7);
		return;
	}
	CHECK(nr >= 0);
	n = snprintf(out, sizeof(out),
		     "%ld 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64
		     " 0x%" PRIx64 " 0x7ffd5c2a8f18 0x7f3b1c0e6a7d\n",
		     nr, args[0], args[1], args[2], args[3], args[4], args[5]);
	CHECK(procparse_syscall(out, (size_t)n, &nr2, args2) == 1);
	CHECK(nr2 == nr && memcmp(args, args2, sizeof(args)) == 0);
	check_abi_wait(nr, args);
}

/* A mapping's name as PROCMAP_QUERY gives it: "/SYSV" and 8 hex digits, then maybe
 * " (deleted)"; the key printed back the kernel's way parses to the same key. */
static void check_sysv_name(const char *buf, size_t len)
{
	uint32_t key = 7, again;
	char out[32];
	int r = procparse_sysv_name(buf, len, &key);

	if (r < 0) {
		CHECK(r == -EINVAL);
		CHECK(key == 7);
		return;
	}
	CHECK(r == 0);
	CHECK(len >= 13 && memcmp(buf, "/SYSV", 5) == 0);
	snprintf(out, sizeof(out), "/SYSV%08" PRIx32 " (deleted)", key);
	CHECK(procparse_sysv_name(out, strlen(out), &again) == 0 && again == key);
	CHECK(procparse_sysv_name(out, 13, &again) == 0 && again == key);
}

static void check_btime(const char *buf, size_t len)
{
	int64_t t = -7, t2;
	char out[128];
	int n, r = procparse_btime(buf, len, &t);

	if (r < 0) {
		CHECK(r == -EBADMSG);
		return;
	}
	n = snprintf(out, sizeof(out), "cpu  1 2 3\nintr 0\nctxt 5\nbtime %" PRId64 "\n", t);
	CHECK(procparse_btime(out, (size_t)n, &t2) == 0 && t2 == t);
}

static void check_proc_hidepid(const char *buf, size_t len)
{
	int64_t gid = 7;
	int r = procparse_proc_hidepid(buf, len, 24, &gid);

	CHECK(r == 0 || r == 1 || r == -ENOENT || r == -EBADMSG);
	if (r >= 0)
		CHECK(gid >= -1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1); /* exact size: reads past the end are caught */

	CHECK(buf != NULL);
	memcpy(buf, data, size);
	check_stat(buf, size);
	check_status(buf, size);
	check_groups(buf, size);
	check_capeff(buf, size);
	check_maps(buf, size);
	check_syscall(buf, size);
	check_elf(buf, size);
	check_sysv_name(buf, size);
	check_btime(buf, size);
	check_proc_hidepid(buf, size);
	free(buf);
	return 0;
}
