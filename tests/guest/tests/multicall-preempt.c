/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/multicall-preempt.c - a long call nested in a
 * multicall is preempted like a top-level one.
 *
 * Each entry is an mmuext_op over thousands of local TLB flushes: many
 * timer ticks' worth in all.  Preempting a nested call leaves its
 * continuation's arguments (list advanced, count reduced) in the entry, as
 * Xen's multicall does; every flush must still be done exactly once.
 */
#include <lib.h>
#include <hypercall.h>
#include <test.h>
#include <public/errno.h>

#define NR_OPS      8192
#define NR_ENTRIES  16

static struct mmuext_op ops[NR_OPS];
static multicall_entry_t mc[NR_ENTRIES];
static unsigned int done[NR_ENTRIES];

TEST(nested_preempted, "multicall/nested_call_preempted")
{
    unsigned int changed = 0;
    long rc;

    for (unsigned int i = 0; i < NR_OPS; i++)
        ops[i].cmd = MMUEXT_TLB_FLUSH_LOCAL;
    memset(mc, 0, sizeof(mc));
    memset(done, 0, sizeof(done));
    for (unsigned int e = 0; e < NR_ENTRIES; e++) {
        mc[e].op = __HYPERVISOR_mmuext_op;
        mc[e].args[0] = (uint64_t)(uintptr_t)ops;
        mc[e].args[1] = NR_OPS;
        mc[e].args[2] = (uint64_t)(uintptr_t)&done[e];
        mc[e].args[3] = DOMID_SELF;
    }
    rc = HYPERVISOR_multicall(mc, NR_ENTRIES);
    CHECK_EQ(rc, 0, "multicall");
    for (unsigned int e = 0; e < NR_ENTRIES; e++) {
        if (mc[e].result != 0 || done[e] != NR_OPS)
            test_fail("entry %u: result %ld, %u of %u done", e,
                      (long)mc[e].result, done[e], NR_OPS);
        if (mc[e].args[0] != (uint64_t)(uintptr_t)ops)
            changed++;
    }
    test_note("%u of %u entries were preempted", changed, NR_ENTRIES);
    CHECK(changed > 0, "no nested call was ever preempted");
}
