/* posixtool.c: the test helper that makes, holds and fills POSIX IPC objects (shm_open,
 * sem_open, mq_open) with exactly the attributes a test wants. Run it only in a private
 * namespace (with its own /dev/shm and mqueue mount).
 *
 * Usage: posixtool SUBCOMMAND ARGS...   (tests find it as $POSIXTOOL)
 * NAME is given without the leading '/'; MODE is octal (the umask is cleared); SIZE takes
 * K, M, G suffixes. On any error posixtool prints "posixtool: what failed: why" on stderr
 * and exits 1 (bad usage too).
 *
 *   shm-create NAME SIZE [MODE]     shm_open(O_CREAT|O_EXCL) and ftruncate (mode 600)
 *   shm-fill NAME                   allocates every page of the segment on its tmpfs
 *   sem-create NAME VALUE [MODE]    sem_open(O_CREAT|O_EXCL)
 *   mq-create NAME MAXMSG MSGSIZE [MODE]
 *                                   mq_open(O_CREAT|O_EXCL) with those attributes
 *   mq-send NAME TEXT [PRIO]        one mq_send of TEXT (without its NUL), O_NONBLOCK
 *
 * Holders stay until killed, or until SECONDS pass (then exit 0). They print "ready" and
 * flush stdout once they hold the object:
 *   shm-map NAME [ro] [SECONDS]     shm_open and mmap (MAP_SHARED), the descriptor closed
 *   shm-open NAME [SECONDS]         shm_open, the descriptor kept, nothing mapped
 *   sem-hold NAME [SECONDS]         sem_open (which maps sem.NAME)
 *   mq-hold NAME [SECONDS]          mq_open
 *   mq-notify NAME [SECONDS]        mq_open and mq_notify (SIGEV_NONE)
 * With POSIXTOOL_LEADER_EXIT=1 in the environment a holder holds from a second thread and
 * its main thread exits (pthread_exit): /proc/PID then shows a zombie leader with no maps
 * and no descriptors, while the process lives on in its other thread.
 */
#include "guard.h"
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strutil.h"

static void need(int argc, int min, int max, const char *synopsis)
{
	if (argc < min || argc > max)
		usage("usage: %s", synopsis);
}

/* "/NAME" for the POSIX calls. */
static const char *slash(const char *name)
{
	static char buf[300];

	if (strlen(name) > 250 || strchr(name, '/'))
		usage("invalid name '%s'", name);
	snprintf(buf, sizeof(buf), "/%s", name);
	return buf;
}

static unsigned int arg_mode(const char *s, unsigned int dflt)
{
	unsigned int m;

	if (s == NULL)
		return dflt;
	if (str_to_mode(s, 0777, &m) < 0)
		usage("invalid mode '%s' (octal, at most 777)", s);
	return m;
}

static uint64_t arg_u64(const char *s, const char *what)
{
	uint64_t v;

	if (str_to_u64(s, &v) < 0)
		usage("invalid %s '%s'", what, s);
	return v;
}

static void on_alarm(int sig)
{
	(void)sig;
	_exit(0);
}

static void *hold_thread(void *arg)
{
	(void)arg;
	fputs("ready\n", stdout);
	fflush(stdout);
	for (;;)
		pause();
	return NULL;
}

/* Prints "ready", then holds until killed or until seconds (when given) pass; with
 * POSIXTOOL_LEADER_EXIT=1, from a second thread, the main thread gone. */
static __attribute__((noreturn)) void hold(const char *seconds)
{
	const char *leader_exit = getenv("POSIXTOOL_LEADER_EXIT");
	pthread_t t;

	if (seconds) {
		signal(SIGALRM, on_alarm);
		alarm((unsigned int)arg_u64(seconds, "seconds"));
	}
	if (leader_exit && strcmp(leader_exit, "1") == 0) {
		errno = pthread_create(&t, NULL, hold_thread, NULL);
		if (errno)
			fail("pthread_create");
		pthread_exit(NULL);
	}
	hold_thread(NULL);
	abort();
}

static int shm_create(int argc, char **argv)
{
	uint64_t size;
	int fd;

	need(argc, 4, 5, "shm-create NAME SIZE [MODE]");
	if (str_to_size(argv[3], &size) < 0)
		usage("invalid size '%s'", argv[3]);
	fd = shm_open(slash(argv[2]), O_RDWR | O_CREAT | O_EXCL, arg_mode(argv[4], 0600));
	if (fd < 0)
		fail("shm_open '%s'", argv[2]);
	if (ftruncate(fd, (off_t)size) < 0)
		fail("ftruncate '%s'", argv[2]);
	return 0;
}

static int shm_fill(int argc, char **argv)
{
	struct stat st;
	int fd;

	need(argc, 3, 3, "shm-fill NAME");
	fd = shm_open(slash(argv[2]), O_RDWR, 0);
	if (fd < 0 || fstat(fd, &st) < 0)
		fail("shm_open '%s'", argv[2]);
	errno = posix_fallocate(fd, 0, st.st_size);
	if (errno)
		fail("posix_fallocate '%s'", argv[2]);
	return 0;
}

static int shm_map(int argc, char **argv)
{
	bool ro = argc > 3 && strcmp(argv[3], "ro") == 0;
	struct stat st;
	void *p;
	int fd;

	need(argc, 3, 5, "shm-map NAME [ro] [SECONDS]");
	fd = shm_open(slash(argv[2]), ro ? O_RDONLY : O_RDWR, 0);
	if (fd < 0 || fstat(fd, &st) < 0)
		fail("shm_open '%s'", argv[2]);
	p = mmap(NULL, st.st_size ? (size_t)st.st_size : 1, ro ? PROT_READ : PROT_READ | PROT_WRITE,
		 MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		fail("mmap '%s'", argv[2]);
	close(fd);
	hold(argc > 3 + ro ? argv[3 + ro] : NULL);
}

static int shm_open_hold(int argc, char **argv)
{
	need(argc, 3, 4, "shm-open NAME [SECONDS]");
	if (shm_open(slash(argv[2]), O_RDONLY, 0) < 0)
		fail("shm_open '%s'", argv[2]);
	hold(argc > 3 ? argv[3] : NULL);
}

static int sem_create(int argc, char **argv)
{
	sem_t *s;

	need(argc, 4, 5, "sem-create NAME VALUE [MODE]");
	s = sem_open(slash(argv[2]), O_CREAT | O_EXCL, arg_mode(argv[4], 0600),
		     (unsigned int)arg_u64(argv[3], "value"));
	if (s == SEM_FAILED)
		fail("sem_open '%s'", argv[2]);
	return 0;
}

static int sem_hold(int argc, char **argv)
{
	need(argc, 3, 4, "sem-hold NAME [SECONDS]");
	if (sem_open(slash(argv[2]), 0) == SEM_FAILED)
		fail("sem_open '%s'", argv[2]);
	hold(argc > 3 ? argv[3] : NULL);
}

static int mq_create(int argc, char **argv)
{
	struct mq_attr attr = { 0 };

	need(argc, 5, 6, "mq-create NAME MAXMSG MSGSIZE [MODE]");
	attr.mq_maxmsg = (long)arg_u64(argv[3], "maxmsg");
	attr.mq_msgsize = (long)arg_u64(argv[4], "msgsize");
	if (mq_open(slash(argv[2]), O_RDONLY | O_CREAT | O_EXCL, arg_mode(argv[5], 0600),
		    &attr) == (mqd_t)-1)
		fail("mq_open '%s'", argv[2]);
	return 0;
}

static int mq_send_one(int argc, char **argv)
{
	mqd_t q;

	need(argc, 4, 5, "mq-send NAME TEXT [PRIO]");
	q = mq_open(slash(argv[2]), O_WRONLY | O_NONBLOCK);
	if (q == (mqd_t)-1)
		fail("mq_open '%s'", argv[2]);
	if (mq_send(q, argv[3], strlen(argv[3]),
		    argc > 4 ? (unsigned int)arg_u64(argv[4], "priority") : 0) < 0)
		fail("mq_send '%s'", argv[2]);
	return 0;
}

static int mq_hold(int argc, char **argv)
{
	bool notify = strcmp(argv[1], "mq-notify") == 0;
	struct sigevent ev = { .sigev_notify = SIGEV_NONE };
	mqd_t q;

	need(argc, 3, 4, "mq-hold|mq-notify NAME [SECONDS]");
	q = mq_open(slash(argv[2]), O_RDONLY);
	if (q == (mqd_t)-1)
		fail("mq_open '%s'", argv[2]);
	if (notify && mq_notify(q, &ev) < 0)
		fail("mq_notify '%s'", argv[2]);
	hold(argc > 3 ? argv[3] : NULL);
}


int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} cmds[] = {
		{ "shm-create", shm_create }, { "shm-fill", shm_fill },
		{ "shm-map", shm_map },	      { "shm-open", shm_open_hold },
		{ "sem-create", sem_create }, { "sem-hold", sem_hold },
		{ "mq-create", mq_create },   { "mq-send", mq_send_one },
		{ "mq-hold", mq_hold },	      { "mq-notify", mq_hold },
	};

	umask(0);
	refuse_host_namespace("posixtool");
	if (argc < 2)
		usage("usage: posixtool SUBCOMMAND ARGS... (see the source)");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc, argv);
	usage("unknown subcommand '%s'", argv[1]);
}
