/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/vcpu.c - HYPERVISOR_vcpu_op.  vcpu_info was moved at
 * boot (main.c), so that call's result and its effects are checked here.
 */
#include <lib.h>
#include <arch.h>
#include <hypercall.h>
#include <test.h>
#include <public/errno.h>
#include <public/vcpu.h>

#define BAD_XEN 0xffff830000000000UL

extern long boot_register_vcpu_info_rc;
extern vcpu_info_t boot_vcpu_info_after;

TEST(register_vcpu_info, "vcpu/register_vcpu_info")
{
    static uint8_t page[4096] __attribute__((aligned(4096)));
    struct vcpu_register_vcpu_info info = { .mfn = virt_to_mfn(page) };

    CHECK_EQ(boot_register_vcpu_info_rc, 0, "boot-time registration");
    /*
     * The new copy starts masked, and everything is marked pending so no
     * event can be lost in the move.
     */
    CHECK_EQ(boot_vcpu_info_after.evtchn_upcall_mask, 1, "upcall_mask");
    CHECK_EQ(boot_vcpu_info_after.evtchn_upcall_pending, 1, "upcall_pending");
    CHECK_EQ(boot_vcpu_info_after.evtchn_pending_sel, ~0UL, "pending_sel");

    /* Placement is checked before the "only once" rule. */
    info.offset = 4;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &info), -ENXIO,
             "misaligned offset");
    info.offset = 4096 - 32;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &info), -ENXIO,
             "straddles the page end");
    info.offset = 0;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &info), -EINVAL,
             "second registration");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, (void *)BAD_XEN),
             -EFAULT, "bad pointer");
}

TEST(runstate_area, "vcpu/runstate_area")
{
    static vcpu_runstate_info_t rs;
    struct vcpu_register_runstate_memory_area area;

    memset(&rs, 0xff, sizeof(rs));
    area.addr.p = (uint64_t)(uintptr_t)&rs;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0,
                                &area), 0, "register");
    /* Filled in at once, and we are the running vCPU. */
    CHECK_EQ(rs.state, RUNSTATE_running, "state");
    CHECK(rs.state_entry_time != ~0UL && rs.state_entry_time > 0,
          "state_entry_time %#lx", rs.state_entry_time);
    CHECK(rs.time[RUNSTATE_running] != ~0UL, "time[running] not written");

    area.addr.p = BAD_XEN;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0,
                                &area), -EFAULT, "area in the hypervisor");
    /* A NULL area stops the updates. */
    area.addr.p = 0;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0,
                                &area), 0, "unregister");
}

TEST(is_up, "vcpu/is_up")
{
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, NULL), 1, "vCPU 0");
    /* The rigs give dom0 one vCPU; Linux relies on -ENOENT beyond it. */
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), -ENOENT, "vCPU 1");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, 4096, NULL), -ENOENT,
             "vCPU 4096");
}

TEST(bad_subop, "vcpu/bad_subop")
{
    CHECK_EQ(HYPERVISOR_vcpu_op(14, 0, NULL), -ENOSYS, "sub-op 14");
    CHECK_EQ(HYPERVISOR_vcpu_op(-1, 0, NULL), -ENOSYS, "sub-op -1");
    /* The vCPU is looked up before the sub-op. */
    CHECK_EQ(HYPERVISOR_vcpu_op(14, 1, NULL), -ENOENT, "sub-op 14, vCPU 1");
}
