/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/lib/console-ring.c - writing to a domU's PV console ring
 * (start_info's console page and event channel), the way Linux's hvc_xen
 * does: copy into "out", advance out_prod, notify.  Both are read from
 * start_info on every call, so the writer follows the guest into a new
 * domain after a restore.
 */
#include <lib.h>
#include <arch.h>
#include <clock.h>
#include <hypercall.h>
#include <public/io/console.h>
#include <public/sched.h>

#define M2P         ((const volatile uint64_t *)MACH2PHYS_VIRT_START)

struct xencons_interface *console_ring(void)
{
    return (struct xencons_interface *)(VIRT_BASE +
                                        (M2P[start_info->console.domU.mfn] << 12));
}

int console_ring_write(const char *s, size_t n, uint64_t wait_ns)
{
    struct xencons_interface *r = console_ring();
    uint64_t limit = clock_ns() + wait_ns;

    while (n) {
        XENCONS_RING_IDX cons = __atomic_load_n(&r->out_cons, __ATOMIC_ACQUIRE);
        XENCONS_RING_IDX prod = r->out_prod;

        if (prod - cons >= sizeof(r->out)) {
            if (clock_ns() > limit)
                return 0;
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
            continue;
        }
        while (n && prod - cons < sizeof(r->out)) {
            r->out[MASK_XENCONS_IDX(prod, r->out)] = *s++;
            prod++;
            n--;
        }
        __atomic_store_n(&r->out_prod, prod, __ATOMIC_RELEASE);
        evt_send(start_info->console.domU.evtchn);
    }
    return 1;
}
