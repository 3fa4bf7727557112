/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/console-ring.c - a domU's console ring is drained.
 *
 * Linux's PV console writer spins until its 2 KiB "out" ring has room, so a
 * domU whose ring nobody reads stops at its first screenful.  On Mica the
 * hypervisor drains the ring of a boot-time guest onto its own console
 * ("(dN) " lines); a toolstack's guest is drained by dom0's console
 * daemon.  This writes twice the ring's size, as Linux does (copy, then
 * advance out_prod, then notify), and needs every byte consumed in time.
 * The harness also checks the lines reached Mica's console.
 */
#include <lib.h>
#include <arch.h>
#include <clock.h>
#include <hypercall.h>
#include <test.h>
#include <public/io/console.h>
#include <public/sched.h>

#define M2P         ((const volatile uint64_t *)MACH2PHYS_VIRT_START)
#define NR_LINES    64
#define WAIT_NS     (5 * NSEC_PER_SEC)

static struct xencons_interface *ring_va(void)
{
    return (struct xencons_interface *)(VIRT_BASE +
                                        (M2P[start_info->console.domU.mfn] << 12));
}

/* Put one line into "out", waiting for room; 0 when the ring stayed full. */
static int ring_put(struct xencons_interface *r, const char *s, size_t n)
{
    uint64_t limit = clock_ns() + WAIT_NS;

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

TEST_XEN_DIFFERS(ring_drained, "console/ring_drained",
                 "Xen has no boot-time guests; its domUs' rings are xenconsoled's")
{
    struct xencons_interface *r;
    uint64_t limit;
    char line[64];

    if (start_info->flags & SIF_INITDOMAIN) {
        test_skip("dom0 has no console ring");
        return;
    }
    r = ring_va();
    for (int i = 0; i < NR_LINES; i++) {
        int n = snprintf(line, sizeof(line), "console/ring_drained: line %02d of %d\n",
                         i + 1, NR_LINES);

        if (!ring_put(r, line, n)) {
            test_fail("ring full for 5 s at line %d: out_cons %u, out_prod %u",
                      i + 1, r->out_cons, r->out_prod);
            return;
        }
    }
    limit = clock_ns() + WAIT_NS;
    while (__atomic_load_n(&r->out_cons, __ATOMIC_ACQUIRE) != r->out_prod &&
           clock_ns() < limit)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    CHECK_EQ(r->out_cons, r->out_prod, "out_cons after the last line");
}
