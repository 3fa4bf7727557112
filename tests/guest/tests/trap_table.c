/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/trap_table.c - HYPERVISOR_set_trap_table: entries are
 * merged into the virtual IDT one by one, a NULL table clears it.
 */
#include <lib.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>
#include <public/errno.h>

#define BAD_XEN 0xffff830000000000UL

static void provoke_ud(void)
{
    asm volatile ("1: ud2\n2:\n\t" ASM_EXTABLE(1b, 2b) ::: "memory");
}

TEST(replace_entry, "trap_table/replace_entry")
{
    /* Only vector 6 changes; the rest of the table stays as it was. */
    struct trap_info t[2] = {
        { .vector = X86_EXC_UD, .flags = 0, .cs = FLAT_KERNEL_CS,
          .address = (uint64_t)(uintptr_t)alt_trap_entry },
        { 0 },
    };

    CHECK_EQ(HYPERVISOR_set_trap_table(t), 0, "set_trap_table");
    exc_reset();
    provoke_ud();
    CHECK_EQ(last_exc.vector, VEC_ALT, "ud2 reached the new handler");
    exc_reset();
    asm volatile ("1: int3\n2:\n\t" ASM_EXTABLE(2b, 2b) ::: "memory");
    CHECK_EQ(last_exc.vector, X86_EXC_BP, "int3 still reaches the old one");

    CHECK_EQ(HYPERVISOR_set_trap_table(default_trap_table), 0, "restore");
    exc_reset();
    provoke_ud();
    CHECK_EQ(last_exc.vector, X86_EXC_UD, "ud2 after restore");
}

TEST(null_table, "trap_table/null_table")
{
    /* Clears every entry; re-installed before anything can fault. */
    long rc = HYPERVISOR_set_trap_table(NULL);
    long rc2 = HYPERVISOR_set_trap_table(default_trap_table);

    CHECK_EQ(rc, 0, "NULL table");
    CHECK_EQ(rc2, 0, "re-install");
}

TEST(bad_entries, "trap_table/bad_entries")
{
    struct trap_info t[3] = {
        { .vector = X86_EXC_UD, .cs = FLAT_KERNEL_CS,
          .address = (uint64_t)(uintptr_t)alt_trap_entry },
        { .vector = X86_EXC_BP, .cs = FLAT_KERNEL_CS,
          .address = 0x0000800000000000UL },
        { 0 },
    };

    /*
     * A non-canonical handler fails the call, but entries before it have
     * already been merged: vector 6 now points at the new handler.
     */
    CHECK_EQ(HYPERVISOR_set_trap_table(t), -EINVAL, "non-canonical entry");
    exc_reset();
    provoke_ud();
    CHECK_EQ(last_exc.vector, VEC_ALT, "entry before the bad one applied");
    CHECK_EQ(HYPERVISOR_set_trap_table((void *)BAD_XEN), -EFAULT,
             "unreadable table");
}
