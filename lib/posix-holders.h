/* posix-holders.h: the holder scan of POSIX objects (posix-holders.c) over /proc/PID/maps
 * and /proc/PID/fd, for the analysis and for removal's last look (remove.c). */
#ifndef IPCADM_POSIX_HOLDERS_H
#define IPCADM_POSIX_HOLDERS_H

#include "analysis.h"

/* Finds the processes that map or hold open each POSIX object of the snapshot. */
int posix_holders_scan(struct ipcadm_ctx *ctx, struct ipcadm_analysis *a);
/* A POSIX object's file, for posix_held_many(). */
struct posix_file {
	uint64_t dev, ino;
	enum ipcadm_kind kind; /* queues alone: no maps are read (no queue can be mapped) */
};
/*
 * One pass over every process other than ours: held[i] tells whether one maps or holds
 * open files[i] right now. 0, or -errno when /proc or a process could not be read: then
 * any file not seen held may be held all the same (not read is not "not held").
 */
int posix_held_many(struct ipcadm_ctx *ctx, const struct posix_file *files, size_t n,
		    bool *held);

#endif
