/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/iret-fault.c - the registers a guest's #GP handler
 * gets when the hypervisor's return to it faults (iret to a bad CS).
 *
 * The fault hits the hypervisor's own iretq after it restored the guest's
 * registers; its exception frame lands over the guest frame, so unless the
 * hypervisor puts the guest's values back, the handler is entered with a
 * shuffle of them and of hypervisor addresses.
 */
#include <lib.h>
#include <arch.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>

long iret_fault_probe(uint64_t out[14]);
extern char iret_fault_gp_entry[];

static const char *const names[12] = {
    "rbx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10",
    "r12", "r13", "r14", "r15",
};
static const uint64_t want[12] = {
    0x1b1b1b1b1b1b1b1bUL, 0x2d2d2d2d2d2d2d2dUL, 0x3535353535353535UL,
    0x4d4d4d4d4d4d4d4dUL, 0x5b5b5b5b5b5b5b5bUL, 0x0808080808080808UL,
    0x0909090909090909UL, 0x1010101010101010UL, 0x1212121212121212UL,
    0x1313131313131313UL, 0x1414141414141414UL, 0x1515151515151515UL,
};

TEST(iret_fault_regs, "iret/fault_keeps_guest_registers")
{
    struct trap_info gp[2] = {
        { .vector = 13, .flags = 0, .cs = FLAT_KERNEL_CS,
          .address = (uint64_t)(uintptr_t)iret_fault_gp_entry },
        { 0 },
    };
    uint64_t out[14];
    long rax;

    memset(out, 0, sizeof(out));
    CHECK_EQ(HYPERVISOR_set_trap_table(gp), 0, "install the #GP probe");
    rax = iret_fault_probe(out);
    CHECK_EQ(HYPERVISOR_set_trap_table(default_trap_table), 0, "restore");
    CHECK_EQ(rax, 0xaaaa, "rax (from the iret frame)");
    for (int i = 0; i < 12; i++)
        if (out[i] != want[i])
            test_fail("%s at the #GP handler: %#lx, want %#lx",
                      names[i], out[i], want[i]);
    test_note("#GP error code %#lx at %#lx", out[12], out[13]);
}
