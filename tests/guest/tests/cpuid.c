/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/cpuid.c - CPUID as a PV guest sees it: through the
 * forced-emulation prefix (what Linux uses) and raw.
 */
#include <lib.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>
#include <public/version.h>

struct cpuid_regs {
    uint32_t a, b, c, d;
};

static struct cpuid_regs cpuid_emul(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_regs r;

    asm volatile (XEN_CPUID
                  : "=a" (r.a), "=b" (r.b), "=c" (r.c), "=d" (r.d)
                  : "0" (leaf), "2" (subleaf));
    return r;
}

static struct cpuid_regs cpuid_raw(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_regs r;

    asm volatile ("cpuid"
                  : "=a" (r.a), "=b" (r.b), "=c" (r.c), "=d" (r.d)
                  : "0" (leaf), "2" (subleaf));
    return r;
}

static int is_xen_signature(const struct cpuid_regs *r)
{
    return r->b == 0x566e6558 && r->c == 0x65584d4d && r->d == 0x4d4d566e;
}

TEST(hypervisor_leaf, "cpuid/hypervisor_leaf")
{
    struct cpuid_regs r = cpuid_emul(0x40000000, 0);

    CHECK(is_xen_signature(&r), "signature %08x %08x %08x, want XenVMMXenVMM",
          r.b, r.c, r.d);
    /* Linux needs at least leaves 1 and 2 of the range. */
    CHECK(r.a >= 0x40000002 && r.a < 0x40000100, "max leaf %#x", r.a);
}

TEST(version_leaf, "cpuid/version_leaf")
{
    struct cpuid_regs r = cpuid_emul(0x40000001, 0);
    long v = HYPERVISOR_xen_version(XENVER_version, NULL);

    CHECK_EQ(r.a, v, "leaf 0x40000001 eax = xen_version");
    r = cpuid_emul(0x40000002, 0);
    /* One hypercall page, and the MSR that would install it. */
    CHECK_EQ(r.a, 1, "leaf 0x40000002 eax (hypercall pages)");
    CHECK_EQ(r.b, 0x40000000, "leaf 0x40000002 ebx (MSR base)");
}

TEST(basic_leaves, "cpuid/basic_leaves")
{
    struct cpuid_regs r0 = cpuid_emul(0, 0), r1 = cpuid_emul(1, 0);
    char vendor[13];

    memcpy(vendor, &r0.b, 4);
    memcpy(vendor + 4, &r0.d, 4);
    memcpy(vendor + 8, &r0.c, 4);
    vendor[12] = '\0';
    test_note("vendor \"%s\", max leaf %#x", vendor, r0.a);
    CHECK(r0.a >= 1, "max basic leaf %#x", r0.a);
    /* A guest always runs under a hypervisor, and says so. */
    CHECK(r1.c & (1u << 31), "leaf 1 ecx %#x lacks the hypervisor bit", r1.c);
    /* PV guests may not use global pages or large pages themselves. */
    CHECK(!(r1.d & (1u << 13)), "PGE visible (edx %#x)", r1.d);
    CHECK(!(r1.d & (1u << 3)), "PSE visible (edx %#x)", r1.d);
}

TEST(raw_instruction, "cpuid/raw_instruction")
{
    /*
     * Without the prefix CPUID runs natively, unless the hypervisor can
     * make it fault (CPUID faulting) and emulate it.  Either way it must
     * not crash the guest; only with faulting is the Xen leaf visible.
     */
    struct cpuid_regs r = cpuid_raw(0x40000000, 0);

    if (is_xen_signature(&r))
        test_note("raw CPUID is intercepted (CPUID faulting)");
    else
        test_note("raw CPUID ran natively: %08x %08x %08x %08x",
                  r.a, r.b, r.c, r.d);
    r = cpuid_raw(0, 0);
    CHECK(r.a >= 1, "raw leaf 0 max leaf %#x", r.a);
}
