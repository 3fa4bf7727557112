/* SPDX-License-Identifier: MIT */
/*
 * mica/sched.h - the vCPU scheduler: which vCPU runs on which CPU.
 *
 * A vCPU is runnable when none of its pause flags is set.  Each CPU has
 * a run queue; the credit policy (common/sched/credit.c) orders it and
 * decides time slices, and common/sched/core.c does blocking, waking,
 * switching and the idle loop.  Switches happen only on the way back to a
 * guest (pv_exit_to_guest), never inside a hypercall.
 */
#ifndef MICA_SCHED_H
#define MICA_SCHED_H

#include <mica/types.h>
#include <mica/timer.h>
#include <public/vcpu.h>

struct vcpu;
struct domain;

#define VPF_blocked     0x01    /* waiting for an event (block, poll) */
#define VPF_down        0x02    /* not brought up, or VCPUOP_down */
#define VPF_paused      0x04    /* the domain is paused */
#define VPF_dead        0x08    /* the domain has shut down */
#define VPF_parked      0x10    /* over its cap until the next period */

#define SCHED_DEFAULT_WEIGHT    256

/* The assists a 64-bit PV guest may turn on (vm_assist), as in Xen. */
#define VM_ASSIST_VALID ((1UL << VMASST_TYPE_4gb_segments) |              \
                         (1UL << VMASST_TYPE_4gb_segments_notify) |       \
                         (1UL << VMASST_TYPE_writable_pagetables) |       \
                         (1UL << VMASST_TYPE_pae_extended_cr3) |          \
                         (1UL << VMASST_TYPE_architectural_iopl) |        \
                         (1UL << VMASST_TYPE_runstate_update_flag) |      \
                         (1UL << VMASST_TYPE_m2p_strict))

/* Per-vCPU scheduling state (embedded in struct vcpu). */
struct sched_vcpu {
    unsigned int processor;         /* CPU it runs or is queued on */
    unsigned int pause_flags;       /* VPF_* */
    bool is_running;
    bool on_runq;
    bool polling;                   /* blocked in SCHEDOP_poll */
    struct vcpu *runq_next;
    int64_t credit;                 /* ns it may still run this period */
    uint64_t affinity;              /* CPUs it may run on (bit per CPU) */
    uint64_t run_start;             /* when it was last switched in */
    struct vcpu_runstate_info runstate;
    uint32_t runstate_seq;          /* odd while runstate changes (core.c) */
    struct timer singleshot;        /* VCPUOP_set_singleshot_timer */
    struct timer periodic;          /* VCPUOP_set_periodic_timer */
    struct timer poll_timeout;
    uint64_t periodic_period;
};

void sched_init(void);
void sched_vcpu_init(struct vcpu *v);
/* At the domain's kill: off the scheduler and timers dead; not freed. */
void sched_vcpu_destroy(struct vcpu *v);

/* Clear / set pause flags; clearing the last one makes the vCPU runnable. */
void vcpu_wake_flags(struct vcpu *v, unsigned int flags);
void vcpu_sleep_flags(struct vcpu *v, unsigned int flags);
void vcpu_kick(struct vcpu *v);
void vcpu_yield(void);
void vcpu_block(void);          /* current: until an event is pending */

/* Raise "reschedule" on this CPU; done on the way back to the guest. */
void raise_reschedule(void);
bool reschedule_pending(void);
void schedule(void);
void __noreturn scheduler_enter_idle(void);

/* Policy (credit.c). */
void credit_init(void);
void credit_vcpu_insert(unsigned int cpu, struct vcpu *v);
struct vcpu *credit_pick_next(unsigned int cpu);
void credit_account(struct vcpu *v, uint64_t ran_ns);
uint64_t sched_slice_ns(void);
/* Nanoseconds CPU 'cpu' has spent idle (core.c). */
uint64_t sched_idle_time(unsigned int cpu);
struct vcpu **sched_runq_head(unsigned int cpu);   /* core.c's, for the policy */

/* Runstate bookkeeping (core.c). */
void runstate_change(struct vcpu *v, int new_state);
void runstate_get(const struct vcpu *v, struct vcpu_runstate_info *out);
void runstate_update_guest(struct vcpu *v);

#endif
