/* snapshot-wire.h: the format in which a snapshot crosses the pipe from the child that
 * read another IPC namespace (nsenter.c) to the parent; not part of the public API. */
#ifndef IPCADM_SNAPSHOT_WIRE_H
#define IPCADM_SNAPSHOT_WIRE_H

#include "internal.h"

/* The bytes of an object with neither semaphores nor a name: no message holds more
 * objects than its length allows at this size. */
#define SNAPSHOT_WIRE_OBJ_MIN 236

/* The snapshot as bytes in a malloc'd buffer, sized first and allocated once: 0, -ENOMEM,
 * or -EPROTO when the writer wrote other than it sized (a bug, never a partial message). */
int snapshot_wire_encode(const struct ipcadm_snapshot *s, char **bufp, size_t *lenp);
/* A snapshot read back from len bytes: 0, -EBADMSG for anything but exactly what
 * snapshot_wire_encode() writes, or -ENOMEM; nothing is left allocated on failure. */
int snapshot_wire_decode(const char *buf, size_t len, struct ipcadm_snapshot **snapp);

#endif
