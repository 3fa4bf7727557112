/* SPDX-License-Identifier: MIT */
/*
 * mica/domctl.h - the control domain's hypercalls (domctl, sysctl), the
 * lock they run under, and the domctl files' interfaces to each other.
 *
 * Locking: every domctl runs under one global lock (common/domctl.c), so
 * two control operations never race on one domain; the scheduler's own
 * locks cover the pause flags underneath.
 */
#ifndef MICA_DOMCTL_H
#define MICA_DOMCTL_H

#include <mica/types.h>
#include <public/domctl.h>
#include <public/arch-x86/xen.h>

struct domain;
struct vcpu;

long do_domctl(uint64_t arg);
long do_sysctl(uint64_t arg);
void domctl_lock_acquire(void);
void domctl_lock_release(void);
/* For ASSERT()s in what runs only under it. */
bool domctl_locked_by_me(void);

/* Fill a getdomaininfo record for d (common/domctl.c). */
void domctl_getdomaininfo(struct domain *d, struct xen_domctl_getdomaininfo *info);


/* vCPU and scheduling commands (common/domctl-vcpu.c). */
long domctl_vcpu_op(struct domain *d, struct xen_domctl *op, bool *copyback);

/*
 * Save and restore's commands (frame types, resumedomain, TSC info), and
 * setvcpucontext's registers-only form for a shut-down domain's vCPU
 * (common/domctl-save.c).
 */
long domctl_save_op(struct domain *d, struct xen_domctl *op, bool *copyback);
int domctl_save_set_regs(struct vcpu *v, const struct vcpu_guest_context *c);
/* After vcpu_set_context: GDT, user L4, LDT, vCPU 0's vm_assist. */
int domctl_save_restore_extras(struct vcpu *v, const struct vcpu_guest_context *c);


#endif
