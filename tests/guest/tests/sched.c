/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/sched.c - HYPERVISOR_sched_op.  Shutdown itself can
 * only be the last act of a run, so only its error paths are tested here;
 * the run's own end exercises poweroff and crash.
 */
#include <lib.h>
#include <hypercall.h>
#include <test.h>
#include <public/errno.h>
#include <public/sched.h>

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
