/* threads.c: helper for bench/posix.sh: forks NPROC processes of NTHREADS threads each,
 * every process holding NFDS descriptors (of /dev/null) open, and sleeps until killed.
 *
 * Usage: threads NPROC NTHREADS NFDS SECONDS [own]
 * own: every thread but the main one takes a descriptor table of its own
 * (unshare(CLONE_FILES), a copy), the worst case for a holder scan. Prints the
 * children's PIDs, one a line, once each is set up, then exits; each child exits on its
 * own after SECONDS. Exits 1 when a child cannot be set up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int ready_fd;
static int own;

static long arg(const char *s, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > max) {
		fprintf(stderr, "threads: invalid number '%s'\n", s);
		exit(2);
	}
	return v;
}

static void *thread(void *unused)
{
	char c = own && unshare(CLONE_FILES) < 0 ? 'E' : 't';

	(void)unused;
	if (write(ready_fd, &c, 1) != 1)
		_exit(1);
	for (;;)
		pause();
	return NULL;
}

static void child(long nthreads, long nfds, long seconds)
{
	int null = open("/dev/null", O_WRONLY);
	pthread_t t;

	/* the reader of our stdout waits for its end: only the parent may hold it */
	if (null < 0 || dup2(null, 1) < 0)
		_exit(1);
	close(null);
	for (long i = 0; i < nfds; i++)
		if (open("/dev/null", O_RDONLY) < 0)
			_exit(1);
	alarm((unsigned int)seconds);
	for (long i = 1; i < nthreads; i++)
		if (pthread_create(&t, NULL, thread, NULL) != 0)
			_exit(1);
	if (nthreads == 1 && write(ready_fd, "t", 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	long nproc, nthreads, nfds, seconds, want, got = 0;
	int p[2];

	if (argc < 5 || argc > 6 || (argc == 6 && strcmp(argv[5], "own") != 0)) {
		fprintf(stderr, "usage: threads NPROC NTHREADS NFDS SECONDS [own]\n");
		return 2;
	}
	nproc = arg(argv[1], 100000);
	nthreads = arg(argv[2], 1000);
	nfds = arg(argv[3], 10000);
	seconds = arg(argv[4], 86400);
	own = argc == 6;
	if (pipe(p) < 0) {
		perror("threads: pipe");
		return 1;
	}
	ready_fd = p[1];
	for (long i = 0; i < nproc; i++) {
		pid_t pid;

		fflush(stdout);
		pid = fork();

		if (pid < 0) {
			perror("threads: fork");
			return 1;
		}
		if (pid == 0) {
			close(p[0]);
			child(nthreads, nfds, seconds);
		}
		printf("%d\n", (int)pid);
	}
	close(p[1]);
	/* a message per extra thread (one for a single-threaded child) */
	want = nproc * (nthreads > 1 ? nthreads - 1 : 1);
	while (got < want) {
		char c;
		ssize_t n = read(p[0], &c, 1);

		if (n <= 0 || c == 'E') {
			fprintf(stderr, "threads: a child could not be set up\n");
			return 1;
		}
		got++;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
