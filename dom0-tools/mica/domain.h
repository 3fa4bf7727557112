/* SPDX-License-Identifier: MIT */
/*
 * domain.h - a domain's life as libxl leads it: found by name, created
 * from a domcfg (domctl, builder, xenstore layout, introduce), destroyed
 * with everything it left in xenstore.
 */
#ifndef MICA_DOMAIN_H
#define MICA_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

#include <public/domctl.h>

#include "domcfg.h"

struct mica;
struct mxs_handle;

/* /local/domain/N/name, malloc'd; NULL when there is none. */
char *dom_name(struct mxs_handle *xs, uint32_t domid);
/* 0 with *domid set, or -ENOENT. */
int dom_find_name(struct mica *hv, struct mxs_handle *xs, const char *name,
                  uint32_t *domid);
/* Every domain, malloc'd into *out; the count or -errno. */
int dom_list(struct mica *hv, struct xen_domctl_getdomaininfo **out);

/*
 * Create 'd' and leave it paused or running.  Every failure prints one
 * line on stderr and destroys what was made; -errno.
 */
int dom_create(struct mica *hv, struct mxs_handle *xs, const struct domcfg *d,
               bool paused, uint32_t *domid);
/*
 * The same with the builder replaced by 'fill' (restore): it fills the
 * new domain's memory and vCPUs and the store and console fields of 'b'
 * (their mfns and ports), and prints nothing; create's other steps and
 * its clean-up are unchanged.
 */
struct mica_build;
typedef int dom_fill_fn(struct mica *hv, uint32_t domid, struct mica_build *b, void *arg);
int dom_create_filled(struct mica *hv, struct mxs_handle *xs, const struct domcfg *d,
                      bool paused, dom_fill_fn *fill, void *arg, uint32_t *domid);
struct xs_plan;
/* Write every node of 'p' with its permissions in one transaction. */
int xs_write_plan(struct mxs_handle *xs, const struct xs_plan *p);
/* A version-4 UUID from /dev/urandom; 0 or -EIO. */
int dom_random_uuid(uint8_t u[16]);

/* /local/domain/N/name and /vm/UUID/name := 'to' (checked by the caller); -errno. */
int dom_rename(struct mxs_handle *xs, uint32_t domid, const char *to);

/* Kill it, remove its xenstore subtrees and XS_RELEASE it. */
int dom_destroy(struct mica *hv, struct mxs_handle *xs, uint32_t domid);

/*
 * Run fn(xs, tx, arg) in a xenstore transaction and commit it, again from
 * the start while another writer races us (-EAGAIN), as libxl's
 * retry_transaction loops do.  fn's error aborts the transaction and is
 * returned; otherwise the commit's result.
 */
typedef int dom_xs_tx_fn(struct mxs_handle *xs, uint32_t tx, void *arg);
int dom_xs_transaction(struct mxs_handle *xs, dom_xs_tx_fn *fn, void *arg);

/* Write control/shutdown ("poweroff", "reboot"). */
int dom_request_shutdown(struct mxs_handle *xs, uint32_t domid, const char *what);

#endif
