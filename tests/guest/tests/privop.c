/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/privop.c - privileged instructions in guest kernel
 * mode (CPL 3): a few are emulated, the rest become #GP for the guest.
 */
#include <lib.h>
#include <arch.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>
#include <public/physdev.h>

TEST(control_registers, "privop/control_registers")
{
    uint64_t cr0, cr3, cr4;
    uint64_t l4_mfn = virt_to_mfn((void *)(uintptr_t)start_info->pt_base);

    asm volatile ("mov %%cr0, %0" : "=r" (cr0));
    asm volatile ("mov %%cr3, %0" : "=r" (cr3));
    asm volatile ("mov %%cr4, %0" : "=r" (cr4));
    CHECK((cr0 & 0x80000001UL) == 0x80000001UL, "CR0 %#lx lacks PG|PE", cr0);
    /* CR3 names the guest's current L4 (a machine address for PV). */
    CHECK_EQ(cr3 >> 12, l4_mfn, "CR3 frame = boot L4");
    test_note("cr0 %#lx cr4 %#lx", cr0, cr4);
    /* The guest view of CR4 never shows what it may not control. */
    CHECK(!(cr4 & (1UL << 7)), "CR4.PGE visible");
}

TEST(refused, "privop/refused")
{
    static const struct { uint64_t limit; uint64_t base; }
        __attribute__((packed)) desc;

    CHECK_EQ(TRY("hlt"), X86_EXC_GP, "hlt");
    CHECK_EQ(TRY("lgdt %0", "m" (desc)), X86_EXC_GP, "lgdt");
    CHECK_EQ(TRY("lidt %0", "m" (desc)), X86_EXC_GP, "lidt");
    CHECK_EQ(TRY("invlpg (%0)", "r" (0x1000UL)), X86_EXC_GP, "invlpg");
    /* Writing CR3 is emulated, but frame 0 is no L4 of ours: #GP. */
    CHECK_EQ(TRY("mov %0, %%cr3", "r" (0UL)), X86_EXC_GP, "mov to cr3 (0)");
    CHECK_EQ(TRY("swapgs"), X86_EXC_GP, "swapgs");
    CHECK_EQ(TRY("clts"), EXC_NONE, "clts (emulated)");
    CHECK_EQ(TRY("wbinvd"), EXC_NONE, "wbinvd (emulated)");
}

TEST(io_and_iopl, "privop/io_and_iopl")
{
    struct physdev_set_iopl iopl = { .iopl = 0 };

    /* With virtual IOPL 0 port I/O and cli/sti are refused. */
    CHECK_EQ(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl), 0, "iopl 0");
    CHECK_EQ(TRY("inb $0x80, %%al", "a" (0)), X86_EXC_GP, "in, IOPL 0");
    CHECK_EQ(TRY("outb %%al, $0x80", "a" (0)), X86_EXC_GP, "out, IOPL 0");
    CHECK_EQ(TRY("cli"), X86_EXC_GP, "cli, IOPL 0");
    CHECK_EQ(TRY("sti"), X86_EXC_GP, "sti, IOPL 0");

    /*
     * IOPL 1 is what Linux asks for.  Port 0x80 is the POST diagnostic
     * port, harmless to touch.  cli/sti are then accepted and ignored.
     */
    iopl.iopl = 1;
    CHECK_EQ(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl), 0, "iopl 1");
    CHECK_EQ(TRY("outb %%al, $0x80", "a" (0)), EXC_NONE, "out, IOPL 1");
    CHECK_EQ(TRY("inb $0x80, %%al", "a" (0)), EXC_NONE, "in, IOPL 1");
    CHECK_EQ(TRY("cli"), EXC_NONE, "cli, IOPL 1");
    CHECK_EQ(TRY("sti"), EXC_NONE, "sti, IOPL 1");
    iopl.iopl = 0;
    HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl);
}
