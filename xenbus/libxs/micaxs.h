/* SPDX-License-Identifier: MIT */
/*
 * xenbus/libxs/micaxs.h - libmicaxs, the xenstore client library of Mica's
 * own tools, over the daemon's UNIX socket or a shared ring.
 *
 * Semantics follow libxenstore (xs_read, xs_write, xs_directory, ...), but
 * every call returns 0 or a negative errno and allocates its results with
 * malloc (free them with free()). A handle is not thread-safe: use one per
 * thread. Watch events that arrive while waiting for a reply are queued
 * for mxs_read_watch().
 */
#ifndef MICAXS_H
#define MICAXS_H

#include <stdbool.h>
#include <stdint.h>

struct mxs_handle;

#define MXS_PERM_NONE   0
#define MXS_PERM_READ   1
#define MXS_PERM_WRITE  2
#define MXS_PERM_BOTH   3

struct mxs_perm {
    unsigned int id;
    unsigned int perm;
};

/* NULL: $XENSTORED_PATH, else $XENSTORED_RUNDIR/socket, else the default. */
struct mxs_handle *mxs_open(const char *socket_path);
/* A guest's view: the shared-memory ring of 'domid' under 'dir'. */
struct mxs_handle *mxs_open_ring_shm(const char *dir, unsigned int domid);
void mxs_close(struct mxs_handle *h);
int mxs_fileno(const struct mxs_handle *h);

int mxs_read(struct mxs_handle *h, uint32_t tx, const char *path,
             char **val, unsigned int *len);
int mxs_write(struct mxs_handle *h, uint32_t tx, const char *path,
              const void *val, unsigned int len);
int mxs_mkdir(struct mxs_handle *h, uint32_t tx, const char *path);
int mxs_rm(struct mxs_handle *h, uint32_t tx, const char *path);
int mxs_directory(struct mxs_handle *h, uint32_t tx, const char *path,
                  char ***names, unsigned int *num);
int mxs_get_perms(struct mxs_handle *h, uint32_t tx, const char *path,
                  struct mxs_perm **perms, unsigned int *num);
int mxs_set_perms(struct mxs_handle *h, uint32_t tx, const char *path,
                  const struct mxs_perm *perms, unsigned int num);

int mxs_watch(struct mxs_handle *h, const char *path, const char *token);
int mxs_unwatch(struct mxs_handle *h, const char *path, const char *token);
/* Blocks until an event arrives; timeout_ms < 0 waits forever. */
int mxs_read_watch(struct mxs_handle *h, int timeout_ms, char **path,
                   char **token);

int mxs_transaction_start(struct mxs_handle *h, uint32_t *tx);
/* -EAGAIN: somebody else changed what the transaction used; retry it. */
int mxs_transaction_end(struct mxs_handle *h, uint32_t tx, bool abort);

int mxs_get_domain_path(struct mxs_handle *h, unsigned int domid,
                        char **path);
int mxs_introduce(struct mxs_handle *h, unsigned int domid, uint64_t gfn,
                  unsigned int evtchn);
int mxs_release(struct mxs_handle *h, unsigned int domid);
/*
 * After a cancelled suspend: the daemon forgets that the domain shut
 * down, so its next shutdown fires @releaseDomain again (libxl sends it
 * after xc_domain_resume).
 */
int mxs_resume(struct mxs_handle *h, unsigned int domid);

/* Any request: 'data' is the raw payload; the reply is nul-terminated. */
int mxs_request(struct mxs_handle *h, uint32_t type, uint32_t tx,
                const void *data, unsigned int len, char **reply,
                unsigned int *rlen);

#endif
