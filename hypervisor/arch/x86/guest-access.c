/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/guest-access.c - copying to and from guest virtual
 * addresses, with faults caught through the exception table.
 *
 * An exception-table entry pairs the address of an instruction that may
 * fault on a guest address with the address to resume at.  The trap
 * handler consults it for faults in the hypervisor before declaring them
 * fatal (arch/x86/traps.c).
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/guest-access.h>
#include <asm/config.h>

struct extable_entry {
    uint64_t insn;
    uint64_t fixup;
};

extern const struct extable_entry __ex_table_start[], __ex_table_end[];

/* The lower half, and the upper half above the hypervisor's slots. */
#define GUEST_LOW_END       0x0000800000000000UL
#define GUEST_HIGH_START    HYPERVISOR_VIRT_END

/* An empty range is still judged by where it starts, as in Xen. */
bool guest_range_ok(uint64_t va, size_t len)
{
    uint64_t last = va + (len ? len - 1 : 0);

    if (last < va)
        return false;
    return last < GUEST_LOW_END || va >= GUEST_HIGH_START;
}

/* Copy n bytes; returns the number NOT copied (non-zero after a fault). */
static size_t raw_copy(void *dst, const void *src, size_t n)
{
    asm volatile("1: rep movsb\n"
                 "2:\n"
                 ".pushsection .ex_table, \"a\"\n"
                 ".balign 8\n"
                 ".quad 1b, 2b\n"
                 ".popsection\n"
                 : "+D"(dst), "+S"(src), "+c"(n) :: "memory");
    return n;
}

int copy_from_guest(void *dst, uint64_t guest_va, size_t len)
{
    if (!guest_range_ok(guest_va, len))
        return -EFAULT;
    return raw_copy(dst, (const void *)guest_va, len) ? -EFAULT : 0;
}

int copy_to_guest(uint64_t guest_va, const void *src, size_t len)
{
    if (!guest_range_ok(guest_va, len))
        return -EFAULT;
    return raw_copy((void *)guest_va, src, len) ? -EFAULT : 0;
}

uint64_t search_exception_table(uint64_t rip)
{
    for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++)
        if (e->insn == rip)
            return e->fixup;
    return 0;
}
