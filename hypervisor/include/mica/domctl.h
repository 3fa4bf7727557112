/* SPDX-License-Identifier: MIT */
/*
 * mica/domctl.h - the control domain's hypercalls (domctl, sysctl) and
 * the pieces of other subsystems they are built from.
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
/*
 * The domain a memory or device op names: the caller itself, or for the
 * control domain any other, held under the domctl lock until
 * target_domain_put().  NULL with *rc -EPERM or -ESRCH (common/memory.c).
 */
struct domain *target_domain_get(domid_t id, long *rc);
void target_domain_put(struct domain *d);

/* Fill a getdomaininfo record for d (common/domctl.c). */
void domctl_getdomaininfo(struct domain *d, struct xen_domctl_getdomaininfo *info);

/*
 * Stop every vCPU of d (not the caller's domain) and wait until none is
 * on a CPU; undo with domain_unpause_sync(), which leaves a domain the
 * toolstack paused still paused.
 */
void domain_pause_sync(struct domain *d);
void domain_unpause_sync(struct domain *d);

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

/* A guest context becomes a fresh vCPU's state (common/vcpu-op.c). */
int vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c);

/* Nanoseconds CPU 'cpu' has spent idle (common/sched/core.c). */
uint64_t sched_idle_time(unsigned int cpu);

/* Raise or lower the highest port d may bind (common/event-channel.c). */
int evtchn_set_max_port(struct domain *d, unsigned int max_port);

#endif
