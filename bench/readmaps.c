/* readmaps.c: benchmark floor for bench/who.sh: reads every /proc/PID/maps once and
 * counts the /SYSV mappings; what any maps-based holder scan must at least spend. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	static char buf[1 << 20];
	long files = 0, sysv = 0;
	struct dirent *de;
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY);
	DIR *dir = procfd < 0 ? NULL : fdopendir(dup(procfd));

	if (dir == NULL) {
		perror("readmaps: /proc");
		return 1;
	}
	while ((de = readdir(dir)) != NULL) {
		char path[64];
		size_t len = 0;
		ssize_t n;
		int fd;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%.20s/maps", de->d_name);
		fd = openat(procfd, path, O_RDONLY);
		if (fd < 0)
			continue;
		while (len < sizeof(buf) - 1 &&
		       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
			len += (size_t)n;
		close(fd);
		buf[len] = '\0';
		files++;
		for (const char *p = buf; (p = strstr(p, " /SYSV")) != NULL; p++)
			sysv++;
	}
	closedir(dir);
	printf("%ld maps files, %ld SysV mappings\n", files, sysv);
	return 0;
}
