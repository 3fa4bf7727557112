/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/user.c - guest user mode: entered with HYPERVISOR_iret
 * and a ring-3 CS, left by "syscall" (to the syscall callback) or by an
 * exception, both bounced onto the stack given to HYPERVISOR_stack_switch.
 *
 * Needs MMUEXT_NEW_USER_BASEPTR (memory management) to have a user L4 at
 * all; see lib/user.c.
 */
#include <lib.h>
#include <arch.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>

extern uint8_t user_kernel_stack[4 * 4096];

static uint64_t user_gs_var = 0x7573657275736572UL;     /* "reSUreSU" */
static uint64_t kernel_gs_var = 0x6b65726e6b65726eUL;

static int prepare(void)
{
    long rc = user_prepare();

    if (rc) {
        test_fail("user_prepare (stack_switch + NEW_USER_BASEPTR): %ld", rc);
        return 0;
    }
    return 1;
}

static USER_TEXT void u_syscall(void)
{
    user_exit(0x1234);
}

static USER_TEXT void u_ud2(void)
{
    asm volatile ("ud2");
    user_exit(0);
}

static USER_TEXT void u_read_unmapped(void)
{
    asm volatile ("mov 0x1008, %%rax" ::: "rax", "memory");
    user_exit(0);
}

static USER_TEXT void u_read_gs(void)
{
    uint64_t v;

    asm volatile ("mov %%gs:0, %0" : "=r" (v));
    user_exit(v);
}

static USER_TEXT void u_int80(void)
{
    asm volatile ("int $0x80");
    user_exit(0x80);
}

static USER_TEXT void u_int82(void)
{
    asm volatile ("int $0x85");
    user_exit(0x85);
}

static USER_TEXT void u_int3(void)
{
    asm volatile ("int3");
    user_exit(3);
}

static USER_TEXT void u_read_cr0(void)
{
    uint64_t v;

    asm volatile ("mov %%cr0, %0" : "=r" (v));
    user_exit(v);
}

static int on_kernel_stack(uint64_t sp)
{
    uint64_t lo = (uint64_t)(uintptr_t)user_kernel_stack;

    return sp >= lo && sp < lo + sizeof(user_kernel_stack);
}

TEST(syscall_roundtrip, "user/syscall_roundtrip")
{
    struct user_exit ue;

    if (!prepare())
        return;
    user_run(u_syscall, 0, &ue);
    CHECK_EQ(ue.how, USER_SYSCALL, "left user mode by");
    CHECK_EQ(ue.rax, 0x1234, "rax passed back");
    /* Frame: rcx/r11 as the syscall instruction left them. */
    CHECK_EQ(ue.rcx, ue.rip, "rcx slot = user rip after syscall");
    CHECK(ue.rip >= (uint64_t)(uintptr_t)u_syscall &&
          ue.rip < (uint64_t)(uintptr_t)u_syscall + 64,
          "rip %#lx not in the user function", ue.rip);
    /*
     * r11 holds the real user rflags, where IF is always on; the RFLAGS
     * slot shows the virtual IF instead (events were masked in user mode).
     */
    CHECK(ue.r11 & 0x200, "r11 slot %#lx lacks the real IF", ue.r11);
    CHECK(!(ue.rflags & 0x200), "frame rflags %#lx has IF", ue.rflags);
    CHECK_EQ(ue.r11 & ~0x200UL, ue.rflags & ~0x200UL,
             "r11 slot = user rflags apart from IF");
    CHECK_EQ(ue.cs & 0xffff, FLAT_USER_CS, "cs (RPL 3 kept for user frames)");
    CHECK_EQ(ue.ss & 0xffff, FLAT_USER_SS, "ss");
    CHECK(ue.rsp > 0, "user rsp %#lx", ue.rsp);
    if (vcpu0)
        CHECK_EQ(vcpu0->evtchn_upcall_mask, 1,
                 "events masked by the callback (mask_events)");
}

TEST(exception_frame, "user/exception_frame")
{
    struct user_exit ue;

    if (!prepare())
        return;
    exc_reset();
    user_run(u_ud2, 0, &ue);
    CHECK_EQ(ue.how, USER_EXCEPTION, "left user mode by");
    CHECK_EQ(last_exc.vector, X86_EXC_UD, "vector");
    CHECK_EQ(last_exc.rip, (uint64_t)(uintptr_t)u_ud2, "rip at the ud2");
    CHECK_EQ(last_exc.cs & 0xffff, FLAT_USER_CS, "cs");
    CHECK_EQ(last_exc.ss & 0xffff, FLAT_USER_SS, "ss");
    /* The bounce went to the stack registered with stack_switch. */
    CHECK(on_kernel_stack(last_exc.handler_sp),
          "handler frame %#lx not on the stack_switch stack",
          last_exc.handler_sp);
}

TEST(page_fault_user_bit, "user/page_fault_user_bit")
{
    struct user_exit ue;

    if (!prepare())
        return;
    exc_reset();
    user_run(u_read_unmapped, 0, &ue);
    CHECK_EQ(ue.how, USER_EXCEPTION, "left user mode by");
    CHECK_EQ(last_exc.vector, X86_EXC_PF, "vector");
    /* From guest user mode the U bit is reported, unlike kernel mode. */
    CHECK_EQ(last_exc.error_code, 4, "error code (user, read, not present)");
    CHECK_EQ(last_exc.cr2, 0x1008, "cr2");
}

TEST(gs_swap, "user/gs_swap")
{
    struct user_exit ue;
    uint64_t k;

    if (!prepare())
        return;
    HYPERVISOR_set_segment_base(SEGBASE_GS_USER,
                                (uint64_t)(uintptr_t)&user_gs_var);
    HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL,
                                (uint64_t)(uintptr_t)&kernel_gs_var);
    user_run(u_read_gs, 0, &ue);
    asm volatile ("mov %%gs:0, %0" : "=r" (k));
    HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0);
    HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0);
    CHECK_EQ(ue.how, USER_SYSCALL, "left user mode by");
    CHECK_EQ(ue.rax, user_gs_var, "%gs:0 in user mode");
    CHECK_EQ(k, kernel_gs_var, "%gs:0 back in kernel mode");
}

TEST(software_interrupts, "user/software_interrupts")
{
    struct user_exit ue;

    if (!prepare())
        return;
    exc_reset();
    user_run(u_int80, 0, &ue);
    CHECK_EQ(last_exc.vector, 0x80, "int $0x80 (DPL 3)");
    CHECK_EQ(last_exc.error_code, 0, "int $0x80 error code");
    exc_reset();
    user_run(u_int3, 0, &ue);
    CHECK_EQ(last_exc.vector, X86_EXC_BP, "int3 (DPL 3)");
    /*
     * DPL 1 lets the guest kernel in, but not its user space.  (0x85 is
     * refused under both int-N error-code encodings, see swint.c.)
     */
    exc_reset();
    user_run(u_int82, 0, &ue);
    CHECK_EQ(last_exc.vector, X86_EXC_GP, "int $0x85 (DPL 1) from user");
}

TEST(privileged_refused, "user/privileged_refused")
{
    struct user_exit ue;

    if (!prepare())
        return;
    exc_reset();
    /* The emulation the kernel gets is not offered to user mode. */
    user_run(u_read_cr0, 0, &ue);
    CHECK_EQ(ue.how, USER_EXCEPTION, "left user mode by");
    CHECK_EQ(last_exc.vector, X86_EXC_GP, "mov %cr0 from user");
    CHECK_EQ(last_exc.error_code, 0, "error code");
}

static USER_TEXT void u_fake_hypercall(void)
{
    user_exit(__HYPERVISOR_xen_version);
}

TEST(syscall_is_not_hypercall, "user/syscall_is_not_hypercall")
{
    struct user_exit ue;

    if (!prepare())
        return;
    /*
     * From guest user mode "syscall" always goes to the guest kernel,
     * whatever rax holds: user space cannot make hypercalls.
     */
    user_run(u_fake_hypercall, 0, &ue);
    CHECK_EQ(ue.how, USER_SYSCALL, "left user mode by");
    CHECK_EQ(ue.rax, __HYPERVISOR_xen_version, "rax reached the kernel as is");
}
