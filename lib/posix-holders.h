/* posix-holders.h: the holder scan of POSIX objects (posix-holders.c) over /proc/PID/maps
 * and /proc/PID/fd, for the analysis and for removal's last look (remove.c). */
#ifndef IPCADM_POSIX_HOLDERS_H
#define IPCADM_POSIX_HOLDERS_H

#include "analysis.h"

/* Finds the processes that map or hold open each POSIX object of the snapshot. */
int posix_holders_scan(struct ipcadm_ctx *ctx, struct ipcadm_analysis *a);
/* Whether any process other than ours maps or holds open the file dev/ino right now: 1 yes,
 * 0 no, -errno when /proc or a process could not be read (then it may be held). */
int posix_held(struct ipcadm_ctx *ctx, uint64_t dev, uint64_t ino);

#endif
