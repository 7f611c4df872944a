/* waiter32.c: an i386 program (built with gcc -m32 -static) that blocks on a semaphore
 * array or a queue the way 32-bit programs do, so tests see i386 numbers in /proc.
 *
 * Usage: waiter32 sem|msg ID ipc|direct [SECONDS]   (tests find it as $WAITER32)
 *   sem   waits to decrement semaphore 0 by 1; msg waits in msgrcv for any type
 *   ipc   through ipc(2) (117), the call (SEMOP 1, MSGRCV 12) in its first argument, as
 *         older C libraries do
 *   direct  through the direct calls: semtimedop_time64 (420), msgrcv (401)
 * Like ipctool's holders it prints "ready" once /proc shows it blocked in that call on
 * that object, "done" (sem) or "got TYPE TEXT" (msg) when the wait ends, and exits 0
 * after SECONDS. Run it only in a private namespace.
 */
#include "guard.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/msg.h>
#include <sys/syscall.h>
#include <time.h>

/* The i386 numbers (arch/x86/entry/syscalls/syscall_32.tbl) and ipc(2)'s calls. */
#define I386_IPC 117
#define I386_MSGRCV 401
#define I386_SEMTIMEDOP_TIME64 420
#define IPC_CALL_SEMOP 1
#define IPC_CALL_MSGRCV 12
#define IPC_VERSION_1 (1 << 16) /* MSGRCV: msgp and msgtyp passed as they are */

struct sembuf32 {
	unsigned short sem_num;
	short sem_op, sem_flg;
};

static struct {
	bool sem, ipc;
	long id;
	pid_t tid;
} w;

static bool in_wait(void)
{
	char path[64], buf[256];
	unsigned long nr, a0, a1;
	FILE *f;
	bool yes = false;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)w.tid);
	f = fopen(path, "re");
	if (f == NULL)
		return false;
	if (fgets(buf, sizeof(buf), f) && sscanf(buf, "%lu %lx %lx", &nr, &a0, &a1) == 3) {
		if (w.ipc)
			yes = nr == I386_IPC && (a0 & 0xffff) == (w.sem ? IPC_CALL_SEMOP
									  : IPC_CALL_MSGRCV) &&
			      (long)a1 == w.id;
		else
			yes = nr == (w.sem ? I386_SEMTIMEDOP_TIME64 : I386_MSGRCV) &&
			      (long)a0 == w.id;
	}
	fclose(f);
	return yes;
}

static void *watcher(void *arg)
{
	struct timespec ts = { .tv_nsec = 1000000 };

	(void)arg;
	for (int i = 0; i < 30000; i++) { /* 30 s at most */
		if (in_wait()) {
			fputs("ready\n", stdout);
			fflush(stdout);
			return NULL;
		}
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "waiter32: the wait never showed in /proc\n");
	return NULL;
}

static void on_alarm(int sig)
{
	(void)sig;
	_exit(0);
}

static long number(const char *s, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		usage("invalid %s '%s'", what, s);
	return v;
}

int main(int argc, char **argv)
{
	static struct {
		long mtype;
		char mtext[8192];
	} m;
	struct sembuf32 op = { .sem_op = -1 };
	pthread_t t;
	long r;

	refuse_host_namespace("waiter32");
	if (argc < 4 || argc > 5 || (strcmp(argv[1], "sem") && strcmp(argv[1], "msg")) ||
	    (strcmp(argv[3], "ipc") && strcmp(argv[3], "direct")))
		usage("usage: waiter32 sem|msg ID ipc|direct [SECONDS]");
	w.sem = strcmp(argv[1], "sem") == 0;
	w.ipc = strcmp(argv[3], "ipc") == 0;
	w.id = number(argv[2], "ID");
	signal(SIGALRM, on_alarm);
	if (argc == 5)
		alarm((unsigned int)number(argv[4], "SECONDS"));
	w.tid = (pid_t)syscall(SYS_gettid);
	errno = pthread_create(&t, NULL, watcher, NULL);
	if (errno)
		fail("cannot start a thread");
	if (w.sem && w.ipc)
		r = syscall(I386_IPC, IPC_CALL_SEMOP, w.id, 1, 0, &op);
	else if (w.sem)
		r = syscall(I386_SEMTIMEDOP_TIME64, w.id, &op, 1, NULL);
	else if (w.ipc)
		r = syscall(I386_IPC, IPC_CALL_MSGRCV | IPC_VERSION_1, w.id, sizeof(m.mtext),
			    MSG_NOERROR, &m, 0L);
	else
		r = syscall(I386_MSGRCV, w.id, &m, sizeof(m.mtext), 0L, MSG_NOERROR);
	if (r < 0)
		fail("waiting on %s %ld", argv[1], w.id);
	if (w.sem)
		puts("done");
	else
		printf("got %ld %.*s\n", m.mtype, (int)r, m.mtext);
	return 0;
}
