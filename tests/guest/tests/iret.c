/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/iret.c - HYPERVISOR_iret back to guest kernel mode:
 * which registers come from the frame and what happens to the event mask.
 */
#include <lib.h>
#include <arch.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>

struct iret_result {
    uint64_t rax, rcx, r11, rsp, rflags;
};

/*
 * Build an iret_context that "returns" to the label after the hypercall,
 * on the same stack, and collect the registers found there.
 */
static void do_iret(uint64_t flags, uint64_t rflags, struct iret_result *r)
{
    asm volatile (
        "mov %%rsp, %%r8\n\t"
        "pushq $0xe02b\n\t"             /* ss */
        "push %%r8\n\t"                 /* rsp */
        "push %[rflags]\n\t"
        "pushq $0xe030\n\t"             /* cs: RPL 0 = stay in kernel mode */
        "lea 1f(%%rip), %%rax\n\t"
        "push %%rax\n\t"                /* rip */
        "push %[flags]\n\t"
        "pushq $0x3333\n\t"             /* rcx */
        "pushq $0x1111\n\t"             /* r11 */
        "pushq $0xaaaa\n\t"             /* rax */
        "mov $23, %%eax\n\t"
        "syscall\n"
        "1:\tmov %%rax, 0(%[r])\n\t"
        "mov %%rcx, 8(%[r])\n\t"
        "mov %%r11, 16(%[r])\n\t"
        "mov %%rsp, 24(%[r])\n\t"
        "pushf\n\t"
        "pop %%rax\n\t"
        "mov %%rax, 32(%[r])\n\t"
        "mov %%rsp, %%rax\n\t"
        "sub %%r8, %%rax\n\t"           /* 0 if rsp came back intact */
        "mov %%rax, 24(%[r])\n\t"
        :
        : [r] "r" (r), [flags] "r" (flags), [rflags] "r" (rflags)
        : "rax", "rcx", "r8", "r11", "memory");
}

TEST(registers, "iret/registers")
{
    struct iret_result r;

    do_iret(0, 0x2, &r);
    CHECK_EQ(r.rax, 0xaaaa, "rax from the frame");
    CHECK_EQ(r.rcx, 0x3333, "rcx from the frame");
    CHECK_EQ(r.r11, 0x1111, "r11 from the frame");
    CHECK_EQ(r.rsp, 0, "rsp restored");
    /* Real IF is always on and IOPL always 0 while the guest runs. */
    CHECK(r.rflags & 0x200, "IF clear in real rflags %#lx", r.rflags);
}

TEST(in_syscall, "iret/in_syscall")
{
    struct iret_result r;

    /*
     * VGCF_in_syscall: return like sysret, so rcx and r11 are not taken
     * from the frame; Xen returns through sysret, which leaves rcx = rip
     * and r11 = rflags.
     */
    do_iret(VGCF_in_syscall, 0x2, &r);
    CHECK_EQ(r.rax, 0xaaaa, "rax");
    CHECK(r.rcx != 0x3333, "rcx was taken from the frame");
    CHECK(r.r11 != 0x1111, "r11 was taken from the frame");
    CHECK_EQ(r.rsp, 0, "rsp restored");
}

TEST(event_mask, "iret/event_mask")
{
    struct iret_result r;

    if (!vcpu0) {
        test_skip("no vcpu_info");
        return;
    }
    vcpu0->evtchn_upcall_pending = 0;
    /* IF in the frame is the inverse of the new upcall mask. */
    do_iret(0, 0x202, &r);
    CHECK_EQ(vcpu0->evtchn_upcall_mask, 0, "mask after iret with IF=1");
    vcpu0->evtchn_upcall_mask = 1;
    do_iret(0, 0x2, &r);
    CHECK_EQ(vcpu0->evtchn_upcall_mask, 1, "mask after iret with IF=0");
    /* IOPL in the frame is dropped: the guest cannot raise its IOPL. */
    do_iret(0, 0x3002, &r);
    CHECK_EQ((r.rflags >> 12) & 3, 0, "IOPL after iret with IOPL=3");
}
