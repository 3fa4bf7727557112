/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/sched-poll-race.c - SCHEDOP_poll with a timeout that
 * runs out while the hypervisor is still putting the vCPU to sleep.  Found
 * by the hypercall fuzzer (fuzz/run, seed 3, call 3717): the poll timer
 * was armed before the vCPU was marked blocked, so a timer that fired in
 * between woke nothing and the vCPU slept for good.  A backup one-shot
 * timer on the polled port (VIRQ_TIMER), 1 s out, ends such a sleep
 * here, and the test counts the polls that needed it: none may.
 *
 * Polls that wake late but well before the backup are counted apart and
 * only noted: on a loaded host QEMU's vCPU threads are kept from running
 * for tens of milliseconds, and the hypervisor's own timer interrupt is
 * then as late (seen with an instrumented hypervisor: late polls matched
 * a poll timer that fired 22-103 ms after its expiry, or a vCPU queued
 * on an idle CPU that ran 57-152 ms later, with microseconds of code in
 * between).  With a 50 ms backup those stalls were miscounted as lost
 * wake-ups (0 to 5 in 3000).
 */
#include <lib.h>
#include <clock.h>
#include <hypercall.h>
#include <arch.h>
#include <test.h>
#include <traps.h>
#include <public/errno.h>
#include <public/sched.h>

#define POLLS           3000
#define BACKUP_NS       NSEC_PER_SEC
#define LOST_NS         (BACKUP_NS / 2)     /* woken by the backup, not the poll */
#define LATE_NS         (30 * NSEC_PER_MSEC)
#define MAX_LOST        3                   /* give up: each costs BACKUP_NS */

TEST(poll_timeout_race, "sched/poll_timeout_race")
{
    long port = evt_bind_virq(VIRQ_TIMER, 0);
    uint32_t ports[1];
    unsigned int late = 0, lost = 0;
    uint64_t worst = 0;
    uint8_t mask;

    if (port <= 0) {
        test_fail("bind VIRQ_TIMER: %ld", port);
        return;
    }
    ports[0] = (uint32_t)port;
    mask = vcpu0->evtchn_upcall_mask;
    vcpu0->evtchn_upcall_mask = 0;
    for (unsigned int i = 0; i < POLLS && lost < MAX_LOST; i++) {
        uint64_t now = clock_ns();
        /* 0.5 to 32 us ahead: about as long as arming the timer takes. */
        struct sched_poll p = { .ports = HC_PTR(ports), .nr_ports = 1,
                                .timeout = now + 500 + (i % 64) * 500 };

        hypercall(__HYPERVISOR_set_timer_op, now + BACKUP_NS, 0, 0, 0, 0);
        evt_test_and_clear(ports[0]);
        CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_poll, &p), 0, "poll");
        uint64_t woke = clock_ns();

        if (woke > p.timeout + LOST_NS) {
            if (!lost++)
                test_note("poll %u: woke %lu us after its timeout", i, (woke - p.timeout) / 1000);
        } else if (woke > p.timeout + LATE_NS) {
            late++;
            if (woke - p.timeout > worst)
                worst = woke - p.timeout;
        }
    }
    hypercall(__HYPERVISOR_set_timer_op, 0, 0, 0, 0, 0);
    vcpu0->evtchn_upcall_mask = mask;
    evt_close(ports[0]);
    CHECK(!lost, "%u polls slept past their timeout until the backup timer", lost);
    if (late)
        test_note("%u of %u polls woke late, the latest %lu us after its timeout (host stalls)",
                  late, POLLS, worst / 1000);
}
