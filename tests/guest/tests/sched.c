/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/sched.c - HYPERVISOR_sched_op.  Shutdown itself can
 * only be the last act of a run, so only its error paths are tested here;
 * the run's own end exercises poweroff and crash.  Also the runstate
 * counters as get_runstate_info reports them.
 */
#include <lib.h>
#include <clock.h>
#include <hypercall.h>
#include <test.h>
#include <public/errno.h>
#include <public/sched.h>
#include <public/vcpu.h>

#define BAD_XEN 0xffff830000000000UL

TEST(yield, "sched/yield")
{
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_yield, NULL), 0, "yield");
}

TEST(bad_subop, "sched/bad_subop")
{
    CHECK_EQ(HYPERVISOR_sched_op(8, NULL), -ENOSYS, "sub-op 8");
    CHECK_EQ(HYPERVISOR_sched_op(-1, NULL), -ENOSYS, "sub-op -1");
}

TEST(bad_pointer, "sched/bad_pointer")
{
    /* The argument is read before anything else happens. */
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_shutdown, (void *)BAD_XEN), -EFAULT,
             "shutdown with bad pointer");
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_shutdown_code, (void *)BAD_XEN),
             -EFAULT, "shutdown_code with bad pointer");
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_poll, (void *)0x1000), -EFAULT,
             "poll with unmapped pointer");
}

TEST(remote_shutdown_nodomain, "sched/remote_shutdown_nodomain")
{
    struct sched_remote_shutdown rs = { .domain_id = 1000,
                                        .reason = SHUTDOWN_poweroff };

    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), -ESRCH,
             "remote_shutdown of a domain that does not exist");
}

/*
 * VCPUOP_get_runstate_info on the running vCPU counts the current stretch
 * up to the call: time[running] grows across a busy loop with no switch
 * in between, by about the loop's length.
 */
TEST(runstate_current, "sched/runstate_current")
{
    struct vcpu_runstate_info a, b;
    uint64_t t0, spun;

    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &a), 0, "first call");
    t0 = clock_ns();
    while (clock_ns() - t0 < 20 * NSEC_PER_MSEC)
        ;
    spun = clock_ns() - t0;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &b), 0, "second call");
    CHECK_EQ(a.state, RUNSTATE_running, "state on the first call");
    CHECK_EQ(b.state, RUNSTATE_running, "state on the second call");
    CHECK(b.time[RUNSTATE_running] > a.time[RUNSTATE_running],
          "time[running] did not grow: %lu then %lu",
          a.time[RUNSTATE_running], b.time[RUNSTATE_running]);
    /* Most of the busy loop is running time (the rest was stolen). */
    CHECK(b.time[RUNSTATE_running] - a.time[RUNSTATE_running] +
          b.time[RUNSTATE_runnable] - a.time[RUNSTATE_runnable] >= spun / 2,
          "running+runnable grew %lu ns over a %lu ns loop",
          b.time[RUNSTATE_running] - a.time[RUNSTATE_running] +
          b.time[RUNSTATE_runnable] - a.time[RUNSTATE_runnable], spun);
    test_note("time[running] grew %lu us over a %lu us loop",
              (b.time[RUNSTATE_running] - a.time[RUNSTATE_running]) / 1000, spun / 1000);
}
