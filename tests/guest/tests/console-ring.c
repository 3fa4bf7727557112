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

#define NR_LINES    64
#define WAIT_NS     (5 * NSEC_PER_SEC)

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
    r = console_ring();
    for (int i = 0; i < NR_LINES; i++) {
        int n = snprintf(line, sizeof(line), "console/ring_drained: line %02d of %d\n",
                         i + 1, NR_LINES);

        if (!console_ring_write(line, (size_t)n, WAIT_NS)) {
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
