/* SPDX-License-Identifier: MIT */
/*
 * include/public/callback.h - HYPERVISOR_callback_op: where the hypervisor
 * enters the guest kernel for events, failed returns, system calls and NMIs.
 */
#ifndef MICA_PUBLIC_CALLBACK_H
#define MICA_PUBLIC_CALLBACK_H

#include "xen.h"

#define CALLBACKTYPE_event                  0   /* event-channel upcall */
#define CALLBACKTYPE_failsafe               1   /* segment reload failed */
#define CALLBACKTYPE_syscall                2   /* 64-bit syscall from user */
#define CALLBACKTYPE_sysenter_deprecated    3
#define CALLBACKTYPE_nmi                    4
#define CALLBACKTYPE_sysenter               5   /* 32-bit user sysenter */
#define CALLBACKTYPE_syscall32              7   /* 32-bit user syscall */

/* Mask events (clear the virtual IF) when entering this callback. */
#define _CALLBACKF_mask_events              0
#define CALLBACKF_mask_events               (1U << _CALLBACKF_mask_events)

#define CALLBACKOP_register                 0   /* struct callback_register */
#define CALLBACKOP_unregister               1   /* struct callback_unregister */

struct callback_register {
    uint16_t type;              /* CALLBACKTYPE_* */
    uint16_t flags;             /* CALLBACKF_* */
    xen_callback_t address;     /* entry point, guest virtual address */
};
typedef struct callback_register callback_register_t;
_Static_assert(sizeof(struct callback_register) == 16, "callback_register");

struct callback_unregister {
    uint16_t type;
    uint16_t _unused;
};
typedef struct callback_unregister callback_unregister_t;
_Static_assert(sizeof(struct callback_unregister) == 4, "callback_unregister");

#endif /* MICA_PUBLIC_CALLBACK_H */
