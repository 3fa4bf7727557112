/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/vcpu-down.c - VCPUOP_down of the last vCPU a domain
 * has up.  Xen 4.17's do_vcpu_op shuts the domain down with reason
 * poweroff then (a guest that takes its last CPU offline has halted);
 * any other vCPU going down is just that vCPU going down.  Mica used to
 * take the last vCPU down too and leave a running domain nothing ran in.
 *
 *   builder/vcpu_down_last  dom0 (needs the module, like the other
 *                           builder tests): build a 2-vCPU domU running
 *                           vcpu/down_last, wait for it to shut down, check
 *                           the reason is poweroff, destroy it
 *   vcpu/down_last          in that domU (down_last=1): VCPUOP_down of
 *                           vCPU 1, which was never up, then of vCPU 0,
 *                           itself; a return from that is a failure, and
 *                           the domU then shuts down with reason crash
 */
#include "ctl-lib.h"
#include "builder-lib.h"
#include <clock.h>
#include <public/sched.h>
#include <public/vcpu.h>

#define DOWN_PAGES      2048            /* 8 MiB */
#define DOWN_WAIT_NS    (20 * NSEC_PER_SEC)

TEST(down_last, "vcpu/down_last")
{
    struct sched_shutdown crash = { .reason = SHUTDOWN_crash };
    uint64_t on = 0;

    if (!cmdline_uint("down_last", &on) || !on) {
        test_skip("only in the domU of builder/vcpu_down_last (down_last=1)");
        return;
    }
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), 0, "vCPU 1 starts down");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_down, 1, NULL), 0, "down of vCPU 1, already down");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, NULL), 1, "vCPU 0 still up");
    printk("vcpu/down_last: taking vCPU 0, the last one up, down\n");
    HYPERVISOR_vcpu_op(VCPUOP_down, 0, NULL);
    test_fail("VCPUOP_down of the last vCPU up returned to it");
    HYPERVISOR_sched_op(SCHEDOP_shutdown, &crash);
}

static int shutdown_code(domid_t dom, unsigned int *code)
{
    struct xen_domctl_getdomaininfo info;

    if (domctl_info(dom, &info) || info.domain != dom)
        return -1;
    *code = (info.flags >> XEN_DOMINF_shutdownshift) & 0xff;
    return !!(info.flags & XEN_DOMINF_shutdown);
}

TEST(vcpu_down_last, "builder/vcpu_down_last")
{
    struct dom_build b = { .nr_pages = DOWN_PAGES, .max_vcpus = 2,
                           .cmdline = "test=vcpu/down_last down_last=1" };
    uint64_t deadline;
    unsigned int code = ~0U;
    int down = 0;

    if (!start_info->mod_start || !start_info->mod_len) {
        test_skip("no domU kernel (dom0 was given no module)");
        return;
    }
    b.kernel = (const void *)(uintptr_t)start_info->mod_start;
    b.kernel_len = start_info->mod_len;
    if (dom_build(&b)) {
        test_fail("building the domU: %s", b.why);
        return;
    }
    CHECK_EQ(dom_unpause(b.domid), 0, "unpause");
    deadline = clock_ns() + DOWN_WAIT_NS;
    while (!(down = shutdown_code(b.domid, &code)) && clock_ns() < deadline)
        clock_sleep_until(clock_ns() + 10 * NSEC_PER_MSEC);
    if (down == 1)
        CHECK_EQ(code, SHUTDOWN_poweroff, "shutdown reason");
    else
        test_fail("d%u %s after taking its last vCPU down", b.domid,
                  down ? "vanished" : "did not shut down within 20 s");
    CHECK_EQ(dom_destroy(b.domid), 0, "destroy");
}
