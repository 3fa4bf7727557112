/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/callback.c - HYPERVISOR_callback_op and the legacy
 * HYPERVISOR_set_callbacks; event and NMI delivery through them.
 */
#include <lib.h>
#include <arch.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>
#include <public/callback.h>
#include <public/errno.h>
#include <public/vcpu.h>
#include <public/version.h>

#define BAD_XEN 0xffff830000000000UL

static long reg_cb(unsigned int type, uint64_t addr, unsigned int flags)
{
    struct callback_register cb = { .type = (uint16_t)type,
                                    .flags = (uint16_t)flags,
                                    .address = addr };

    return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

static long unreg_cb(unsigned int type)
{
    struct callback_unregister cb = { .type = (uint16_t)type };

    return HYPERVISOR_callback_op(CALLBACKOP_unregister, &cb);
}

#define ADDR(sym) ((uint64_t)(uintptr_t)(sym))

TEST(register_types, "callback/register_types")
{
    CHECK_EQ(reg_cb(CALLBACKTYPE_event, ADDR(event_callback_entry),
                    CALLBACKF_mask_events), 0, "event");
    CHECK_EQ(reg_cb(CALLBACKTYPE_failsafe, ADDR(failsafe_callback_entry), 0),
             0, "failsafe");
    CHECK_EQ(reg_cb(CALLBACKTYPE_syscall, ADDR(syscall_callback_entry),
                    CALLBACKF_mask_events), 0, "syscall");
    /* Accepted for 64-bit guests even though they have no 32-bit user. */
    CHECK_EQ(reg_cb(CALLBACKTYPE_syscall32, ADDR(syscall_callback_entry), 0),
             0, "syscall32");
    CHECK_EQ(reg_cb(CALLBACKTYPE_sysenter, ADDR(syscall_callback_entry), 0),
             0, "sysenter");
    CHECK_EQ(reg_cb(CALLBACKTYPE_nmi, ADDR(nmi_cb_entry), 0), 0, "nmi");
}

TEST(bad_type, "callback/bad_type")
{
    CHECK_EQ(reg_cb(CALLBACKTYPE_sysenter_deprecated, ADDR(nmi_cb_entry), 0),
             -ENOSYS, "type 3 (sysenter_deprecated)");
    CHECK_EQ(reg_cb(6, ADDR(nmi_cb_entry), 0), -ENOSYS, "type 6");
    CHECK_EQ(reg_cb(0xffff, ADDR(nmi_cb_entry), 0), -ENOSYS, "type 0xffff");
    CHECK_EQ(reg_cb(CALLBACKTYPE_event, 0x0000800000000000UL, 0), -EINVAL,
             "non-canonical address");
    CHECK_EQ(HYPERVISOR_callback_op(2, NULL), -ENOSYS, "command 2");
    CHECK_EQ(HYPERVISOR_callback_op(CALLBACKOP_register, (void *)BAD_XEN),
             -EFAULT, "unreadable argument");
}

TEST(unregister, "callback/unregister")
{
    /*
     * Only the NMI callback can be unregistered; the others are needed for
     * the guest to work at all and the request is refused.
     */
    CHECK_EQ(unreg_cb(CALLBACKTYPE_event), -EINVAL, "event");
    CHECK_EQ(unreg_cb(CALLBACKTYPE_failsafe), -EINVAL, "failsafe");
    CHECK_EQ(unreg_cb(CALLBACKTYPE_syscall), -EINVAL, "syscall");
    CHECK_EQ(unreg_cb(CALLBACKTYPE_nmi), 0, "nmi");
    CHECK_EQ(unreg_cb(6), -ENOSYS, "type 6");
}

TEST(set_callbacks, "callback/set_callbacks")
{
    /* Legacy hypercall 4: event, failsafe, syscall addresses; always 0. */
    long rc = hypercall(__HYPERVISOR_set_callbacks, ADDR(event_callback_entry),
                        ADDR(failsafe_callback_entry),
                        ADDR(syscall_callback_entry), 0, 0);

    CHECK_EQ(rc, 0, "set_callbacks");
}

TEST(event_delivery, "callback/event_delivery")
{
    unsigned long before = event_callbacks;

    if (!vcpu0) {
        test_skip("no vcpu_info");
        return;
    }
    /*
     * What Linux does to force a pending upcall: mark it pending, unmask,
     * and make any hypercall; the callback runs on the way back with
     * events masked, and its iret with IF set unmasks them again.
     */
    vcpu0->evtchn_upcall_pending = 1;
    vcpu0->evtchn_upcall_mask = 0;
    HYPERVISOR_xen_version(XENVER_version, NULL);
    vcpu0->evtchn_upcall_mask = 1;
    CHECK_EQ(event_callbacks - before, 1, "callbacks delivered");
    CHECK_EQ(event_mask_at_entry, 1, "upcall_mask inside the callback");
    CHECK_EQ(vcpu0->evtchn_upcall_pending, 0, "pending after the callback");

    /* Masked: nothing is delivered. */
    before = event_callbacks;
    vcpu0->evtchn_upcall_pending = 1;
    HYPERVISOR_xen_version(XENVER_version, NULL);
    CHECK_EQ(event_callbacks - before, 0, "callbacks while masked");
    vcpu0->evtchn_upcall_pending = 0;
}

TEST(nmi_delivery, "callback/nmi_delivery")
{
    unsigned long before = nmi_callbacks;

    CHECK_EQ(reg_cb(CALLBACKTYPE_nmi, ADDR(nmi_cb_entry), 0), 0, "register");
    exc_reset();
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_send_nmi, 0, NULL), 0, "send_nmi");
    CHECK_EQ(nmi_callbacks - before, 1, "NMI callbacks delivered");
    CHECK_EQ(last_exc.vector, VEC_NMI_CB, "NMI went to the callback");
    /* The CS slot carries the interrupted upcall mask in bits 32-39. */
    CHECK_EQ(last_exc.cs & 0xffff, FLAT_KERNEL_CS & ~3, "frame cs (RPL cleared)");
    CHECK_EQ((last_exc.cs >> 32) & 0xff, 1, "saved upcall mask in cs slot");
    /* The NMI callback is trap-table vector 2 with events masked. */
    CHECK_EQ(last_exc.upcall_mask, 1, "upcall_mask in the NMI handler");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_send_nmi, 0, &before), -EINVAL,
             "send_nmi with an argument");
}
