/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/target-domain.c - the domain a memory_op or physdev_op
 * names by id: the caller itself, or - for the control domain only - any
 * other, held by reference and under the domctl lock so that it cannot be
 * destroyed meanwhile.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/domctl.h>

static struct domain *self_domain(domid_t id)
{
    struct domain *d = current->domain;

    return id == DOMID_SELF || id == d->domain_id ? d : NULL;
}

/*
 * The domain a reservation call names: the caller, or for the control
 * domain any other (the toolstack builds domains this way).  Another
 * domain is used by reference and under the domctl lock, so it cannot be
 * destroyed meanwhile; target_domain_put() lets go.  NULL with *rc: -ESRCH if there is no
 * such domain, -EPERM if the caller may not touch it.
 */
struct domain *target_domain_get(domid_t id, long *rc)
{
    struct domain *d = self_domain(id);

    if (d)
        return d;
    if (!current->domain->is_privileged) {
        *rc = -EPERM;
        return NULL;
    }
    domctl_lock_acquire();
    d = id < DOMID_FIRST_RESERVED ? get_domain_by_id(id) : NULL;
    if (!d || d->state == DOMAIN_DYING) {
        if (d)
            put_domain(d);
        domctl_lock_release();
        *rc = -ESRCH;
        return NULL;
    }
    return d;
}

void target_domain_put(struct domain *d)
{
    if (d != current->domain) {
        put_domain(d);
        domctl_lock_release();
    }
}
