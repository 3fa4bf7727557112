/* SPDX-License-Identifier: MIT */
/*
 * mica/domain.h - the domain and vCPU objects.
 *
 * A domain owns memory (its p2m), a shared_info page and its vCPUs; a vCPU
 * owns its register state and the PV state in struct arch_vcpu.  Domains
 * are created by the boot-time builder now and by domctl later.
 *
 * Locking: none yet - one physical CPU runs one vCPU.  The SMP work adds a
 * per-domain lock; this comment will then give the order.
 */
#ifndef MICA_DOMAIN_H
#define MICA_DOMAIN_H

#include <mica/types.h>
#include <public/xen.h>
#include <asm/pv.h>

#define MAX_VIRT_CPUS   XEN_LEGACY_MAX_VCPUS

struct domain;

struct vcpu {
    struct domain *domain;
    unsigned int vcpu_id;
    bool is_up;
    vcpu_info_t *vcpu_info;         /* in shared_info, or registered page */
    bool vcpu_info_registered;      /* VCPUOP_register_vcpu_info done */
    uint64_t runstate_guest;        /* guest VA of vcpu_runstate_info, or 0 */
    struct arch_vcpu arch;
};

enum domain_state { DOMAIN_RUNNING, DOMAIN_SHUTDOWN, DOMAIN_DYING };

struct domain {
    domid_t domain_id;
    bool is_privileged;             /* dom0: domctl, sysctl, I/O */
    enum domain_state state;
    unsigned int shutdown_reason;   /* SHUTDOWN_*, valid when shut down */
    unsigned int shutdown_code;     /* SCHEDOP_shutdown_code, or ~0 */
    unsigned long vm_assist;        /* VMASST_TYPE_* bits */

    shared_info_t *shared_info;     /* hypervisor-owned page */
    uint64_t nr_pages;              /* length of the p2m */
    mfn_t *p2m;                     /* pfn -> mfn, hypervisor's copy */

    unsigned int max_vcpus;
    struct vcpu *vcpus[MAX_VIRT_CPUS];
};

extern struct vcpu *current;        /* the vCPU this CPU runs (per-CPU later) */
extern struct domain *hardware_domain;  /* dom0 */

struct domain *domain_create(domid_t id, bool privileged, unsigned int max_vcpus);
struct vcpu *vcpu_create(struct domain *d, unsigned int id);

void __noreturn idle_loop(void);

/* Stop a misbehaving domain: print why and never run it again. */
void domain_crash(struct domain *d, const char *fmt, ...) __printf(2, 3);
void domain_shutdown(struct domain *d, unsigned int reason);

/* Does the domain own machine frame 'mfn' (reverse p2m look-up)? */
bool domain_owns_mfn(const struct domain *d, mfn_t mfn);

#endif
