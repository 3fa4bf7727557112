/* SPDX-License-Identifier: MIT */
/*
 * include/public/vcpu.h - HYPERVISOR_vcpu_op(cmd, vcpuid, arg): bring vCPUs
 * up and down, place vcpu_info and runstate records, program timers.
 */
#ifndef MICA_PUBLIC_VCPU_H
#define MICA_PUBLIC_VCPU_H

#include "xen.h"

#define VCPUOP_initialise                   0   /* vcpu_guest_context */
#define VCPUOP_up                           1   /* NULL */
#define VCPUOP_down                         2   /* NULL */
#define VCPUOP_is_up                        3   /* NULL; returns 1 or 0 */
#define VCPUOP_get_runstate_info            4   /* vcpu_runstate_info OUT */
#define VCPUOP_register_runstate_memory_area 5  /* vcpu_register_runstate_memory_area */
#define VCPUOP_set_periodic_timer           6   /* vcpu_set_periodic_timer */
#define VCPUOP_stop_periodic_timer          7   /* NULL */
#define VCPUOP_set_singleshot_timer         8   /* vcpu_set_singleshot_timer */
#define VCPUOP_stop_singleshot_timer        9   /* NULL */
#define VCPUOP_register_vcpu_info          10   /* vcpu_register_vcpu_info */
#define VCPUOP_send_nmi                    11   /* NULL */
#define VCPUOP_get_physid                  12   /* vcpu_get_physid OUT */
#define VCPUOP_register_vcpu_time_memory_area 13 /* vcpu_register_time_memory_area */

/* Time each vCPU spent in each state, kept up to date by the hypervisor. */
#define RUNSTATE_running    0
#define RUNSTATE_runnable   1   /* wants to run, no CPU (steal time) */
#define RUNSTATE_blocked    2
#define RUNSTATE_offline    3

struct vcpu_runstate_info {
    int32_t  state;                 /* RUNSTATE_* */
    uint64_t state_entry_time;      /* system time of the last change */
    uint64_t time[4];               /* ns spent in each state */
};
typedef struct vcpu_runstate_info vcpu_runstate_info_t;
_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "runstate_info");

/* Set in state_entry_time while an update is in progress (vm_assist 5). */
#define XEN_RUNSTATE_UPDATE     (1ULL << 63)

/* A guest virtual address, written through the guest's kernel mappings. */
struct vcpu_register_runstate_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_runstate_info_t) h;
        uint64_t p;
    } addr;
};
typedef struct vcpu_register_runstate_memory_area
        vcpu_register_runstate_memory_area_t;
_Static_assert(sizeof(struct vcpu_register_runstate_memory_area) == 8,
               "runstate_area");

struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};
typedef struct vcpu_set_periodic_timer vcpu_set_periodic_timer_t;

/* With VCPU_SSHOTTMR_future a deadline already in the past is an error. */
#define _VCPU_SSHOTTMR_future   0
#define VCPU_SSHOTTMR_future    (1U << _VCPU_SSHOTTMR_future)

struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;        /* absolute system time */
    uint32_t flags;                 /* VCPU_SSHOTTMR_* */
};
typedef struct vcpu_set_singleshot_timer vcpu_set_singleshot_timer_t;
_Static_assert(sizeof(struct vcpu_set_singleshot_timer) == 16, "singleshot");

/* Move vcpu_info to (mfn << 12) + offset; once per vCPU, must not straddle
 * a page boundary. */
struct vcpu_register_vcpu_info {
    uint64_t mfn;
    uint32_t offset;
    uint32_t rsvd;                  /* must be 0 */
};
typedef struct vcpu_register_vcpu_info vcpu_register_vcpu_info_t;
_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16, "reg_vcpu_info");

/* Physical CPU identity (dom0 only). */
struct vcpu_get_physid {
    uint64_t phys_id;
};
typedef struct vcpu_get_physid vcpu_get_physid_t;
#define xen_vcpu_physid_to_x86_apicid(physid)  ((uint32_t)(physid))
#define xen_vcpu_physid_to_x86_acpiid(physid)  ((uint32_t)((physid) >> 32))

/* A second copy of vcpu_time_info for user space (vDSO). */
struct vcpu_register_time_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_time_info_t) h;
        uint64_t p;
    } addr;
};
typedef struct vcpu_register_time_memory_area vcpu_register_time_memory_area_t;
_Static_assert(sizeof(struct vcpu_register_time_memory_area) == 8, "time_area");

#endif /* MICA_PUBLIC_VCPU_H */
