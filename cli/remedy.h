/* remedy.h: the doctor's remedies (the library's data, struct ipcadm_remedy) as the
 * commands that carry them out: a shell command line, and JSON. */
#ifndef IPCADM_REMEDY_H
#define IPCADM_REMEDY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ipcadm.h"
#include "json.h"

/* The command line, with the reason after "  # " when with_reason; cut to fit len (the
 * buffer is always terminated). Returns buf. ns: the IPC namespace the command acts in
 * (NULL: our own). In another one, ipcadm's commands take -N ipc:INODE, the rest
 * nsenter --target PID of its oldest process; where no process of ours reaches it, or
 * for a line no command can carry out there (the host's /etc/sysctl.d is not the
 * container's), the line is a comment: pasted, it does nothing. */
const char *remedy_format(const struct ipcadm_remedy *r, const struct ipcadm_ns *ns,
			  bool with_reason, char *buf, size_t len);
/* The remedy as a JSON object: "type" and its fields ("kinds", "owner", "values", ...). */
void remedy_json(struct json *j, const char *key, const struct ipcadm_remedy *r);

#endif
