/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/multicall.c - HYPERVISOR_multicall: per-entry results,
 * no nesting, and a bad list.
 */
#include <lib.h>
#include <hypercall.h>
#include <test.h>
#include <public/errno.h>
#include <public/sched.h>
#include <public/version.h>

#define BAD_XEN 0xffff830000000000UL

TEST(results, "multicall/results")
{
    static const char msg[] = "multicall/results: console write in a batch\n";
    static multicall_entry_t mc[6];
    long rc;

    memset(mc, 0, sizeof(mc));
    mc[0].op = __HYPERVISOR_xen_version;
    mc[0].args[0] = XENVER_version;
    mc[1].op = __HYPERVISOR_xen_version;
    mc[1].args[0] = XENVER_pagesize;
    mc[2].op = 99;                                  /* no such hypercall */
    mc[3].op = __HYPERVISOR_console_io;
    mc[3].args[0] = CONSOLEIO_write;
    mc[3].args[1] = sizeof(msg) - 1;
    mc[3].args[2] = (uint64_t)(uintptr_t)msg;
    mc[4].op = __HYPERVISOR_console_io;
    mc[4].args[0] = CONSOLEIO_write;
    mc[4].args[1] = 4;
    mc[4].args[2] = BAD_XEN;
    mc[5].op = __HYPERVISOR_sched_op;
    mc[5].args[0] = SCHEDOP_yield;

    rc = HYPERVISOR_multicall(mc, 6);
    /* The call itself succeeds; failures are per entry. */
    CHECK_EQ(rc, 0, "multicall");
    CHECK_EQ(mc[0].result, HYPERVISOR_xen_version(XENVER_version, NULL),
             "entry 0 (xen_version)");
    CHECK_EQ(mc[1].result, 4096, "entry 1 (pagesize)");
    CHECK_EQ(mc[2].result, -ENOSYS, "entry 2 (unknown op)");
    CHECK_EQ(mc[3].result, 0, "entry 3 (console write)");
    CHECK_EQ(mc[4].result, -EFAULT, "entry 4 (bad pointer)");
    CHECK_EQ(mc[5].result, 0, "entry 5 (yield)");
}

TEST(nested, "multicall/nested")
{
    static multicall_entry_t inner[1], outer[2];

    memset(inner, 0, sizeof(inner));
    memset(outer, 0, sizeof(outer));
    inner[0].op = __HYPERVISOR_xen_version;
    inner[0].result = 0x5555;
    outer[0].op = __HYPERVISOR_multicall;
    outer[0].args[0] = (uint64_t)(uintptr_t)inner;
    outer[0].args[1] = 1;
    outer[1].op = __HYPERVISOR_xen_version;
    outer[1].args[0] = XENVER_pagesize;

    CHECK_EQ(HYPERVISOR_multicall(outer, 2), 0, "outer multicall");
    /* A multicall inside a multicall is refused, the batch goes on. */
    CHECK_EQ(outer[0].result, -EINVAL, "nested multicall entry");
    CHECK_EQ(inner[0].result, 0x5555, "inner entry untouched");
    CHECK_EQ(outer[1].result, 4096, "entry after the nested one");
}

TEST(bad_list, "multicall/bad_list")
{
    static multicall_entry_t mc[1];

    CHECK_EQ(HYPERVISOR_multicall((void *)BAD_XEN, 1), -EFAULT,
             "list in the hypervisor range");
    CHECK_EQ(HYPERVISOR_multicall((void *)0x1000, 1), -EFAULT,
             "unmapped list");
    /*
     * The range check looks at the start address even for zero entries,
     * so an empty list in the hypervisor range is still refused.
     */
    CHECK_EQ(HYPERVISOR_multicall((void *)BAD_XEN, 0), -EFAULT,
             "empty list in the hypervisor range");
    memset(mc, 0, sizeof(mc));
    mc[0].op = __HYPERVISOR_xen_version;
    CHECK_EQ(HYPERVISOR_multicall(mc, 0), 0, "zero entries");
    CHECK_EQ(mc[0].result, 0, "entry beyond the count untouched");
}
