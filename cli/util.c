/* util.c: the CLI's one place for messages, exit codes, the shared output options, the
 * parsing of kinds and POSIX names given on the command line, and unreadable kinds. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "ipcadm-cli.h"
#include "obuf.h"
#include "strutil.h"

const char *progname = "ipcadm";

/* A message names what the user gave, or found outside (a POSIX name, a file in a backup
 * directory): the whole message is escaped, one line that a terminal only shows. */
static void message(const char *fmt, va_list ap)
{
	char msg[2048], esc[ESC_MAX(sizeof(msg))];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	esc_str(esc, sizeof(esc), msg, 0);
	fputs(esc, stderr);
}

void verror(bool reason, int code, const char *fmt, va_list ap)
{
	obuf_flush(out);
	fprintf(stderr, "%s: ", progname);
	message(fmt, ap);
	if (reason && (code == IPCADM_ENOTREG || code == -IPCADM_ENOTREG))
		fputs(": not a regular file", stderr);
	else if (reason && (code == IPCADM_ENOTIPCNS || code == -IPCADM_ENOTIPCNS))
		fputs(": not an IPC namespace", stderr);
	else if (reason)
		fprintf(stderr, ": %s", strerror(code < 0 ? -code : code));
	fputc('\n', stderr);
}

void errorx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(false, 0, fmt, ap);
	va_end(ap);
}

int error_code(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(true, code, fmt, ap);
	va_end(ap);
	return 1;
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	obuf_flush(out);
	fprintf(stderr, "%s%s%s: ", progname, cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	message(fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s%s%s --help' for more information.\n", progname, cmd ? " " : "",
		cmd ? cmd : "");
	return EXIT_MISUSE;
}

int finish_output(int rc)
{
	int r = obuf_flush(out);

	/* help and version texts go through stdio: a failure there counts too */
	if (fflush(stdout) != 0 && r == 0)
		r = errno ? -errno : -EIO;
	if (ferror(stdout) && r == 0)
		r = -EIO;
	if (r < 0 && r != -EPIPE) {
		fprintf(stderr, "%s: write error: %s\n", progname, strerror(-r));
		return rc ? rc : 1;
	}
	if (r == -EPIPE)
		return rc ? rc : 1;
	return rc;
}

const char output_options_help[] =
	"  -J, --json               JSON output\n"
	"  -r, --raw                raw output (values separated by one space)\n"
	"  -e, --export             NAME=\"value\" pairs\n"
	"  -n, --noheadings         no header line\n"
	"  -b, --bytes              sizes in bytes\n"
	"      --time-format TYPE   short, full or iso\n";

int output_option(const char *cmd, int c, const char *arg, struct out_opts *opts)
{
	switch (c) {
	case 'J':
		opts->mode = OUT_JSON;
		return 1;
	case 'r':
		opts->mode = OUT_RAW;
		return 1;
	case 'e':
		opts->mode = OUT_EXPORT;
		return 1;
	case 'n':
	case OPT_NOHEADINGS:
		opts->noheadings = true;
		return 1;
	case 'b':
		opts->bytes = true;
		return 1;
	case OPT_TIME_FORMAT:
		if (strcmp(arg, "short") == 0)
			opts->time_format = TIME_SHORT;
		else if (strcmp(arg, "full") == 0)
			opts->time_format = TIME_FULL;
		else if (strcmp(arg, "iso") == 0)
			opts->time_format = TIME_ISO;
		else
			return usage_error(cmd, "unknown time format '%s' (short, full or iso)", arg),
			       -1;
		return 1;
	}
	return 0;
}

int parse_any_kind_arg(const char *s)
{
	int k = ipcadm_kind_parse(s);

	return k < 0 || strlen(s) < 3 ? -1 : k; /* only the full words here */
}

int parse_kind_arg(const char *s)
{
	int k = parse_any_kind_arg(s);

	return k >= IPCADM_NSYSV_KINDS ? -1 : k;
}




int parse_kind_list(const char *list, bool posix, unsigned int *kinds)
{
	char buf[64];

	if (strlen(list) >= sizeof(buf))
		return -1;
	strcpy(buf, list);
	*kinds = 0;
	for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
		int k = posix ? parse_any_kind_arg(t) : parse_kind_arg(t);

		if (k < 0)
			return -1;
		*kinds |= IPCADM_KIND_BIT(k);
	}
	return *kinds ? 0 : -1;
}

/* Why root refuses a file or directory, in words. */
const char *file_fault_words(enum ipcadm_file_fault fault)
{
	switch (fault) {
	case IPCADM_FILE_NOT_REGULAR:
		return "not a regular file";
	case IPCADM_FILE_OTHER_OWNER:
		return "owned by another user";
	case IPCADM_FILE_OTHER_WRITABLE:
		return "writable by another user";
	case IPCADM_FILE_LINKED:
		return "it has another hard link";
	case IPCADM_FILE_UNSAFE_PARENT:
		return "a directory on its path or above it is owned or writable by another user";
	case IPCADM_FILE_OTHER_LINK:
		return "a symbolic link on its path is owned by another user";
	default:
		return "not trusted";
	}
}

/* A leading '/' is how programs name them (shm_open("/x")): accept it. */
const char *posix_bare_name(const char *name)
{
	return name[0] == '/' && name[1] ? name + 1 : name;
}

bool posix_read_failed(const struct ipcadm_snapshot *snap, int kind, bool asked)
{
	int err = ipcadm_snapshot_error(snap, kind);

	if (err == 0)
		return false;
	if (asked && kind == IPCADM_PMQ && (err == -EPERM || err == -ENOENT))
		errorx("cannot read POSIX message queues: the mqueue filesystem is not mounted "
		       "and mounting it privately needs CAP_SYS_ADMIN");
	else if (asked)
		errorx("cannot read %s objects: %s", ipcadm_kind_name(kind), strerror(-err));
	return true;
}
