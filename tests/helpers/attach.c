/* attach.c: helper for bench/who.sh and the holder tests: forks NPROC processes that each
 * attach PER of the segment IDs read on stdin (spread evenly over them) and sleep until
 * killed.
 *
 * Usage: attach NPROC PER SECONDS < ids    (one shmid a line; run it in a private namespace)
 * Prints the children's PIDs, one a line, once every child holds its segments, then exits;
 * each child exits on its own after SECONDS. Exits 1 if any child fails to attach.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guard.h"

static long arg(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > 1000000) {
		fprintf(stderr, "attach: invalid number '%s'\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	long nproc, per, secs, cap = 1024, n = 0, id;
	int *ids, pipefd[2];
	pid_t *pids;

	refuse_host_namespace("attach");
	if (argc != 4) {
		fprintf(stderr, "usage: attach NPROC PER SECONDS < ids\n");
		return 2;
	}
	nproc = arg(argv[1]);
	per = arg(argv[2]);
	secs = arg(argv[3]);
	ids = malloc((size_t)cap * sizeof(*ids));
	pids = calloc((size_t)nproc, sizeof(*pids));
	if (ids == NULL || pids == NULL)
		return 1;
	while (scanf("%ld", &id) == 1) {
		if (n == cap) {
			cap *= 2;
			ids = realloc(ids, (size_t)cap * sizeof(*ids));
			if (ids == NULL)
				return 1;
		}
		ids[n++] = (int)id;
	}
	if (n == 0) {
		fprintf(stderr, "attach: no segment IDs on stdin\n");
		return 1;
	}
	if (pipe(pipefd) < 0)
		return 1;
	for (long i = 0; i < nproc; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("attach: fork");
			return 1;
		}
		if (pids[i] == 0) {
			char ok = 'y';
			int null = open("/dev/null", O_WRONLY);

			/* the PIDs go to stdout: the children must not hold it open */
			if (null < 0 || dup2(null, STDOUT_FILENO) < 0)
				_exit(1);
			close(null);
			close(pipefd[0]);
			for (long j = 0; j < per; j++) {
				long k = (i * per + j) * n / (nproc * per);

				if (shmat(ids[k], NULL, 0) == (void *)-1) {
					fprintf(stderr, "attach: shmat %d: %s\n", ids[k],
						strerror(errno));
					ok = 'n';
					break;
				}
			}
			if (write(pipefd[1], &ok, 1) != 1)
				_exit(1);
			close(pipefd[1]);
			if (ok != 'y')
				_exit(1);
			alarm((unsigned int)secs);
			for (;;)
				pause();
		}
	}
	close(pipefd[1]);
	for (long i = 0; i < nproc; i++) {
		char c;

		if (read(pipefd[0], &c, 1) != 1 || c != 'y') {
			for (long k = 0; k < nproc; k++)
				kill(pids[k], SIGKILL);
			free(ids);
			free(pids);
			return 1;
		}
	}
	for (long i = 0; i < nproc; i++)
		printf("%d\n", (int)pids[i]);
	free(ids);
	free(pids);
	return 0;
}
