/* metrics-merge.h: joining the Prometheus text of several namespaces (metrics-merge.c)
 * for `ipcadm metrics -A`: each metric family once, its samples together. */
#ifndef IPCADM_METRICS_MERGE_H
#define IPCADM_METRICS_MERGE_H

#include <stddef.h>

struct obuf;

/* Returns 0 or -errno (the caller reports). */
int metrics_merge(const char *const *texts, const size_t *lens, size_t ntexts, struct obuf *o);

#endif
