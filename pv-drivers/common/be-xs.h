/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/common/be-xs.h - the xenstore life of one user-space back
 * end (mica-blkback, mica-netback), shared by both: its directory
 * /local/domain/0/backend/KIND/DOMID/DEVID and the front end's, reading
 * and writing keys there, its own xenbus state and the front end's, the
 * watches that wake it, carrying out the state machine of xenbus-be.h
 * with the driver's connect and disconnect, the counters under
 * statistics/ that micatop reads, and at the end Closed and the
 * directory removed.  The toolstack made the directory with the guest's
 * read permission; nodes written here inherit it.
 */
#ifndef PV_BE_XS_H
#define PV_BE_XS_H

#include <stdbool.h>
#include <stdint.h>

#include "xenbus-be.h"

struct mica;
struct mxs_handle;

#define BEX_MAX_STATS 8

struct be_xs {
    const char *prog;               /* "mica-blkback", for the log */
    const char *kind;               /* "vbd", "vif" */
    uint32_t domid, devid;
    char be[96], fe[96];            /* the back end's and front end's dirs */
    struct mica *hv;
    struct mxs_handle *xs;
    enum xb_state state;            /* ours, as last written */
    uint64_t published[BEX_MAX_STATS];  /* what statistics/ says now */
    bool stats_written;
};

/* The driver's side of the state machine (ctx is the driver's own). */
struct bex_ops {
    int (*connect)(void *ctx);      /* map the rings: 0 or a negative errno */
    void (*disconnect)(void *ctx);
    int (*publish)(void *ctx);      /* the features the front end reads */
    void (*kick)(void *ctx);        /* look at the rings again */
};

/* Names and directories only; state Initialising. */
void bex_init(struct be_xs *x, const char *prog, const char *kind, uint32_t domid,
              uint32_t devid);
/* One line to the log (stderr, which the toolstack points at a file). */
void bex_log(const struct be_xs *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int bex_read(struct be_xs *x, const char *dir, const char *key, char **val);
/* A decimal key: -EINVAL when it is not one. */
int bex_read_uint(struct be_xs *x, const char *dir, const char *key, unsigned long *out);
int bex_write(struct be_xs *x, const char *dir, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

int bex_set_state(struct be_xs *x, enum xb_state s);
/* A missing or garbled state counts as Unknown: the front end is gone. */
int bex_frontend_state(struct be_xs *x);
/* Watch the front end's state, our directory and domains going away. */
int bex_watch(struct be_xs *x);
void bex_drain_watches(struct be_xs *x);
/* Gone, dying, or not there: the back end's work is over. */
bool bex_domain_over(struct be_xs *x);
/* Our directory (its state key) was removed by the toolstack. */
bool bex_dir_gone(struct be_xs *x);
/* The front end's state, carried out: offline (detach), connect, close. */
void bex_follow_frontend(struct be_xs *x, const struct bex_ops *ops, void *ctx);
/* Over: the work is done and the back end may exit. */
bool bex_finished(struct be_xs *x);
/* 'n' counters named 'keys' under statistics/; only those that changed. */
void bex_publish_stats(struct be_xs *x, const char *const *keys, const uint64_t *now,
                       unsigned int n);
/* Closed (when the domain and directory are still there), then removed
 * with the domain's KIND directory once it is empty. */
void bex_close(struct be_xs *x);

#endif
