/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/debugreg-hv.c - guest breakpoints that fire while the
 * hypervisor runs: watchpoints on hypercall buffers, and a #DB held back
 * by "mov %ss" until the SYSCALL entry, where RSP is still the guest's.
 *
 * Either used to stop the host.  Xen ignores breakpoints hit in its own
 * context and runs #DB on a stack of its own; the guest only sees its
 * hypercall complete.
 */
#include <lib.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>
#include <public/errno.h>
#include <public/version.h>
#include <public/memory.h>

/* DR7: L0, with RW0 and LEN0 (bytes - 1, 8 bytes = 2). */
#define DR7_L0              0x1UL
#define DR7_RW0(rw)         ((uint64_t)(rw) << 16)
#define DR7_LEN0(len)       ((uint64_t)(len) << 18)
#define DR_RW_WRITE         1
#define DR_RW_ACCESS        3
#define DR_LEN_2            1
#define DR_LEN_8            3

static char extraversion[16] __attribute__((aligned(8)));
static domid_t self_id __attribute__((aligned(8))) = DOMID_SELF;
static volatile uint16_t ss_sel __attribute__((aligned(8)));

static void watch(const volatile void *p, uint64_t dr7)
{
    CHECK_EQ(HYPERVISOR_set_debugreg(6, 0), 0, "clear DR6");
    CHECK_EQ(HYPERVISOR_set_debugreg(0, (uint64_t)(uintptr_t)p), 0, "DR0");
    CHECK_EQ(HYPERVISOR_set_debugreg(7, dr7), 0, "DR7");
}

static void unwatch(void)
{
    HYPERVISOR_set_debugreg(7, 0);
    HYPERVISOR_set_debugreg(0, 0);
    HYPERVISOR_set_debugreg(6, 0);
}

/* The hypervisor writes the watched buffer (copy_to_guest). */
TEST(watch_copy_to_guest, "debugreg/watchpoint_copy_to_guest")
{
    long rc;

    memset(extraversion, 0x55, sizeof(extraversion));
    watch(extraversion, DR7_L0 | DR7_RW0(DR_RW_WRITE) | DR7_LEN0(DR_LEN_8));
    rc = HYPERVISOR_xen_version(XENVER_extraversion, extraversion);
    unwatch();
    CHECK_EQ(rc, 0, "xen_version(extraversion) with a watched buffer");
    CHECK(extraversion[0] != 0x55, "the buffer was not written");
}

/* The hypervisor reads the watched argument (copy_from_guest). */
TEST(watch_copy_from_guest, "debugreg/watchpoint_copy_from_guest")
{
    long want = HYPERVISOR_memory_op(XENMEM_current_reservation, &self_id);
    long rc;

    watch(&self_id, DR7_L0 | DR7_RW0(DR_RW_ACCESS) | DR7_LEN0(DR_LEN_2));
    rc = HYPERVISOR_memory_op(XENMEM_current_reservation, &self_id);
    unwatch();
    CHECK_EQ(rc, want, "current_reservation with a watched domid");
}

/*
 * "mov %ss" holds a data breakpoint's #DB back for one instruction: the
 * SYSCALL after it, so the #DB arrives on the hypervisor's first entry
 * instruction, at CPL 0 with the guest's RSP.  Whether the guest is told
 * afterwards differs between versions; only the hypercall's result and
 * the hypervisor's survival count.  QEMU's TCG does not hold the #DB
 * back: it reaches the guest at the SYSCALL itself, which then runs.
 */
TEST(mov_ss_syscall, "debugreg/mov_ss_deferred_db_at_syscall")
{
    long want = HYPERVISOR_xen_version(XENVER_version, NULL);
    long rax = __HYPERVISOR_xen_version;
    uint16_t ss;

    asm volatile ("mov %%ss, %0" : "=r" (ss));
    ss_sel = ss;
    watch(&ss_sel, DR7_L0 | DR7_RW0(DR_RW_ACCESS) | DR7_LEN0(DR_LEN_2));
    exc_reset();
    asm volatile ("mov %[s], %%ss\n"
                  "1:\tsyscall\n"
                  "2:\n\t" ASM_EXTABLE(1b, 1b) ASM_EXTABLE(2b, 2b)
                  : "+a" (rax)
                  : [s] "m" (ss_sel), "D" ((uint64_t)XENVER_version), "S" (0UL)
                  : "rcx", "r11", "rdx", "r10", "r8", "memory");
    unwatch();
    if (last_exc.vector != EXC_NONE)
        test_note("the guest saw vector %lu around the hypercall",
                  last_exc.vector);
    CHECK_EQ(rax, want, "xen_version through syscall after mov %%ss");
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_version, NULL), want,
             "the hypervisor still answers");
}
