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
 * buffer is always terminated). Returns buf. nspid 0: our own IPC namespace; > 0: the
 * command acts in the IPC namespace of that process (ipcadm's -N PID, else nsenter --ipc
 * --target PID); < 0: another namespace that no process of ours reaches. In another
 * namespace a line no command can carry out there (the host's /etc/sysctl.d is not the
 * container's) is a comment: pasted, it does nothing. */
const char *remedy_format(const struct ipcadm_remedy *r, pid_t nspid, bool with_reason,
			  char *buf, size_t len);
/* The nspid for remedy_format of a namespace's findings. */
pid_t remedy_nspid(const struct ipcadm_ns *ns);
/* The remedy as a JSON object: "type" and its fields ("kinds", "owner", "values", ...). */
void remedy_json(struct json *j, const char *key, const struct ipcadm_remedy *r);

#endif
