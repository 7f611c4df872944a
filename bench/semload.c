/* semload.c: the semop-heavy program of bench/trace.sh: semaphore operations in a loop for
 * a while, then how many it made. Run it only in a private IPC namespace (it makes an array).
 *
 * Usage: semload ok|fail SECONDS
 *   ok:   a private array of one semaphore; semop +1 then -1, again and again
 *   fail: semop on an ID that names no array (EINVAL), again and again
 * Prints "CALLS SECONDS" (the calls made, the time they took) on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sembuf up = { 0, 1, 0 }, down = { 0, -1, 0 };
	double start, end, secs;
	unsigned long long calls = 0;
	int id = 0x7ffffffe, fail;

	if (argc != 3 || (strcmp(argv[1], "ok") != 0 && strcmp(argv[1], "fail") != 0)) {
		fprintf(stderr, "usage: semload ok|fail SECONDS\n");
		return 2;
	}
	fail = strcmp(argv[1], "fail") == 0;
	secs = atof(argv[2]);
	if (!fail) {
		id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
		if (id < 0) {
			perror("semload: semget");
			return 1;
		}
	}
	start = now();
	end = start + secs;
	for (;;) {
		for (int i = 0; i < 1024; i++) {
			if (fail) {
				semop(id, &up, 1);
				calls++;
			} else {
				semop(id, &up, 1);
				semop(id, &down, 1);
				calls += 2;
			}
		}
		if (now() >= end)
			break;
	}
	printf("%llu %.6f\n", calls, now() - start);
	if (!fail)
		semctl(id, 0, IPC_RMID);
	return 0;
}
