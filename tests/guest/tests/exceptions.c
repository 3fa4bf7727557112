/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/exceptions.c - hardware exceptions taken in guest
 * kernel mode and bounced to the trap table, checked slot by slot:
 * rcx, r11, [error code], rip, cs, rflags, rsp, ss.
 */
#include <lib.h>
#include <arch.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>

#define RCX_MARK    0x0123456789abcdefUL
#define R11_MARK    0x0fedcba987654321UL

/*
 * Run 'body', whose faulting instruction carries label 1 and which ends
 * where the handler resumes (label 2, emitted here), with the marks in rcx
 * and r11.  'at' is the label the frame's rip must point to: 1 for a
 * fault, 2 for a trap.  rip and rsp receive that address and the stack
 * pointer at the instruction; 'val' is passed in a register as %[arg].
 */
#define RUN_MARKED(at, val, body)                                       \
    asm volatile ("mov %[rc], %%rcx\n\t"                                \
                  "mov %[r11v], %%r11\n\t"                              \
                  "lea " #at "f(%%rip), %[ripo]\n\t"                    \
                  "mov %%rsp, %[rspo]\n\t"                              \
                  body "\n2:\n\t"                                       \
                  ASM_EXTABLE(at##b, 2b)                                \
                  : [ripo] "=&r" (rip), [rspo] "=&r" (rsp)              \
                  : [rc] "r" (RCX_MARK), [r11v] "r" (R11_MARK),         \
                    [arg] "r" (val)                                     \
                  : "rax", "rcx", "rdx", "r8", "r11", "memory")

/*
 * Common frame checks for a fault raised in kernel mode at "rip" with
 * rsp_before as the stack pointer at the faulting instruction.
 */
static void check_frame(uint64_t vector, uint64_t err, uint64_t rip,
                        uint64_t rsp_before)
{
    CHECK_EQ(last_exc.vector, vector, "vector");
    CHECK_EQ(last_exc.error_code, err, "error code");
    CHECK_EQ(last_exc.rip, rip, "rip");
    /* Kernel-mode frames have the RPL of CS cleared, as Linux expects. */
    CHECK_EQ(last_exc.cs & 0xffff, FLAT_KERNEL_CS & ~3, "cs");
    CHECK_EQ(last_exc.ss, FLAT_KERNEL_SS, "ss");
    CHECK_EQ(last_exc.rsp, rsp_before, "rsp");
    CHECK_EQ(last_exc.rcx, RCX_MARK, "rcx slot");
    CHECK_EQ(last_exc.r11, R11_MARK, "r11 slot");
    /* Events were masked when the fault hit, so IF reads back clear. */
    CHECK(!(last_exc.rflags & 0x200), "IF set in frame rflags %#lx",
          last_exc.rflags);
}

TEST(divide_error, "exceptions/divide_error")
{
    uint64_t rip, rsp;

    exc_reset();
    RUN_MARKED(1, 0, "xor %%edx, %%edx\n\t"
                     "mov $1, %%eax\n\t"
                     "xor %%r8d, %%r8d\n"
                     "1:\tdiv %%r8");
    check_frame(X86_EXC_DE, 0, rip, rsp);
}

TEST(breakpoint, "exceptions/breakpoint")
{
    uint64_t rip, rsp;

    exc_reset();
    /* #BP is a trap: the frame points after the int3. */
    RUN_MARKED(2, 0, "1:\tint3");
    check_frame(X86_EXC_BP, 0, rip, rsp);
}

TEST(invalid_opcode, "exceptions/invalid_opcode")
{
    uint64_t rip, rsp;

    exc_reset();
    RUN_MARKED(1, 0, "1:\tud2");
    check_frame(X86_EXC_UD, 0, rip, rsp);
}

TEST(general_protection, "exceptions/general_protection")
{
    uint64_t rip, rsp;

    exc_reset();
    /* A non-canonical data address (not via rsp/rbp) raises #GP(0). */
    RUN_MARKED(1, 0, "movabs $0x8000000000000000, %%rax\n"
                     "1:\tmov (%%rax), %%rax");
    check_frame(X86_EXC_GP, 0, rip, rsp);
}

TEST(stack_segment, "exceptions/stack_segment")
{
    uint64_t rip, rsp;

    exc_reset();
    /* The same access based on rbp is a stack access: #SS(0). */
    asm volatile ("push %%rbp\n\t"
                  "mov %[rc], %%rcx\n\t"
                  "mov %[r11v], %%r11\n\t"
                  "lea 1f(%%rip), %[ripo]\n\t"
                  "mov %%rsp, %[rspo]\n\t"
                  "movabs $0x8000000000000000, %%rbp\n"
                  "1:\tmov (%%rbp), %%rax\n2:\n\t"
                  "pop %%rbp\n\t"
                  ASM_EXTABLE(1b, 2b)
                  : [ripo] "=&r" (rip), [rspo] "=&r" (rsp)
                  : [rc] "r" (RCX_MARK), [r11v] "r" (R11_MARK)
                  : "rax", "rcx", "r11", "memory");
    /*
     * Real CPUs raise #SS here; QEMU's TCG raises #GP(0) for every
     * non-canonical data access.  The hypervisor only forwards what the
     * CPU reported, so either is right.
     */
    if (last_exc.vector == X86_EXC_GP)
        last_exc.vector = X86_EXC_SS;
    check_frame(X86_EXC_SS, 0, rip, rsp);
}

TEST(page_fault_read, "exceptions/page_fault_read")
{
    uint64_t rip, rsp;

    exc_reset();
    /* Nothing is mapped at 0x1000 in the initial layout. */
    RUN_MARKED(1, 0, "mov $0x1008, %%eax\n"
                     "1:\tmov (%%rax), %%rax");
    /*
     * Not present, read, and - although the CPU was at CPL 3 - no U bit,
     * because the guest was in its kernel mode.
     */
    check_frame(X86_EXC_PF, 0, rip, rsp);
    CHECK_EQ(last_exc.cr2, 0x1008, "vcpu_info.arch.cr2");
}

TEST(page_fault_write, "exceptions/page_fault_write")
{
    uint64_t rip, rsp;
    uint64_t l4 = start_info->pt_base;

    exc_reset();
    /*
     * Page-table pages are mapped read-only.  Writing back the value that
     * is already in L4 slot 0 faults (present + write), and would be
     * harmless if it did not.
     */
    RUN_MARKED(1, l4, "mov (%[arg]), %%rax\n"
                      "1:\tmov %%rax, (%[arg])");
    check_frame(X86_EXC_PF, 3, rip, rsp);
    CHECK_EQ(last_exc.cr2, l4, "vcpu_info.arch.cr2");
}

TEST(page_fault_fetch, "exceptions/page_fault_fetch")
{
    exc_reset();
    /* Jump to an unmapped address; the table resumes at 2f. */
    asm volatile ("mov $0x2000, %%eax\n\t"
                  "jmp *%%rax\n"
                  "2:\n\t"
                  ".pushsection .extable, \"a\"\n\t.balign 8\n\t"
                  ".quad 0x2000, 2b\n\t.popsection"
                  ::: "rax", "memory");
    CHECK_EQ(last_exc.vector, X86_EXC_PF, "vector");
    CHECK_EQ(last_exc.rip, 0x2000, "rip");
    CHECK_EQ(last_exc.cr2, 0x2000, "cr2");
    /* Not present; bit 4 (instruction fetch) only when NX is enabled. */
    CHECK_EQ(last_exc.error_code & ~0x10UL, 0, "error code (less I/D)");
    test_note("error code %#lx", last_exc.error_code);
}

TEST(single_step, "exceptions/single_step")
{
    uint64_t rip;

    exc_reset();
    /*
     * popf sets TF; the instruction after it runs, then #DB is raised as a
     * trap pointing at the next one.  The handler gets TF in the frame.
     */
    asm volatile ("lea 2f(%%rip), %[ripo]\n\t"
                  "pushf\n\t"
                  "orl $0x100, (%%rsp)\n\t"
                  "popf\n"
                  "1:\tnop\n"
                  "2:\tpushf\n\t"
                  "andl $~0x100, (%%rsp)\n\t"
                  "popf\n\t"
                  ASM_EXTABLE(2b, 2b)
                  : [ripo] "=&r" (rip) :: "memory");
    CHECK_EQ(last_exc.vector, X86_EXC_DB, "vector");
    CHECK_EQ(last_exc.rip, rip, "rip");
    CHECK(last_exc.rflags & 0x100, "TF clear in frame rflags %#lx",
          last_exc.rflags);
    /* DR6.BS tells the handler why; PV reads it with get_debugreg. */
    CHECK(HYPERVISOR_get_debugreg(6) & (1 << 14), "DR6.BS clear: %#lx",
          HYPERVISOR_get_debugreg(6));
    HYPERVISOR_set_debugreg(6, 0);
}

TEST(x87_error, "exceptions/x87_error")
{
    static const uint16_t cw = 0x037b;     /* default, zero-divide unmasked */
    uint64_t rip;

    exc_reset();
    asm volatile ("fninit\n\t"
                  "fldcw %[cw]\n\t"
                  "fld1\n\t"
                  "fldz\n\t"
                  "fdivrp\n\t"               /* 1 / 0: pending #MF */
                  "lea 1f(%%rip), %[ripo]\n"
                  "1:\tfwait\n2:\n\t"
                  "fninit\n\t"
                  ASM_EXTABLE(1b, 2b)
                  : [ripo] "=&r" (rip) : [cw] "m" (cw) : "memory");
    CHECK_EQ(last_exc.vector, X86_EXC_MF, "vector");
    CHECK_EQ(last_exc.rip, rip, "rip (the waiting instruction)");
}
