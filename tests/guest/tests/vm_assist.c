/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/vm_assist.c - HYPERVISOR_vm_assist.
 */
#include <lib.h>
#include <hypercall.h>
#include <test.h>
#include <public/errno.h>

TEST(enable_disable, "vm_assist/enable_disable")
{
    /* Types meant for 32-bit guests are still accepted from 64-bit ones. */
    static const unsigned int types[] = {
        VMASST_TYPE_4gb_segments, VMASST_TYPE_4gb_segments_notify,
        VMASST_TYPE_writable_pagetables, VMASST_TYPE_pae_extended_cr3,
        VMASST_TYPE_runstate_update_flag, VMASST_TYPE_m2p_strict,
    };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(types); i++) {
        long on = HYPERVISOR_vm_assist(VMASST_CMD_enable, types[i]);
        long off = HYPERVISOR_vm_assist(VMASST_CMD_disable, types[i]);

        if (on || off)
            test_fail("type %u: enable %ld, disable %ld", types[i], on, off);
    }
    /* Leave writable page tables on, as Linux does. */
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable,
                                  VMASST_TYPE_writable_pagetables), 0,
             "writable_pagetables");
}

TEST(bad_args, "vm_assist/bad_args")
{
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, 6), -EINVAL, "type 6");
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, 31), -EINVAL, "type 31");
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, 64), -EINVAL, "type 64");
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, 0xffffffffu), -EINVAL,
             "type ~0");
    /* The type is checked first; a bad command on a good type is ENOSYS. */
    CHECK_EQ(HYPERVISOR_vm_assist(2, VMASST_TYPE_writable_pagetables),
             -ENOSYS, "command 2");
    CHECK_EQ(HYPERVISOR_vm_assist(2, 6), -EINVAL, "command 2, type 6");
}
