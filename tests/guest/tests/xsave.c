/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/xsave.c - XSAVE for a PV kernel, as Linux uses it:
 * CPUID offers XSAVE with OSXSAVE already on, XSETBV (privileged, so
 * emulated) is #UD until the kernel sets CR4.OSXSAVE, then accepts
 * x87+SSE+AVX and refuses invalid XCR0 values with #GP,
 * CPUID leaf 0xd follows XCR0, and AVX registers survive a block (the
 * vCPU switched out and back in).  Skipped on CPUs without XSAVE/AVX.
 */
#include <lib.h>
#include <arch.h>
#include <clock.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>
#include <public/errno.h>

#define XCR0_X87_SSE        3UL
#define XCR0_AVX            4UL
#define L1_ECX_XSAVE        (1U << 26)
#define L1_ECX_OSXSAVE      (1U << 27)
#define L1_ECX_AVX          (1U << 28)
#define CR4_OSXSAVE         (1UL << 18)

struct regs4 { uint32_t a, b, c, d; };

/* CPUID as the hypervisor presents it (the forced-emulation prefix). */
static struct regs4 pv_cpuid(uint32_t leaf, uint32_t sub)
{
    struct regs4 r;

    asm volatile ("ud2a; .ascii \"xen\"; cpuid"
                  : "=a" (r.a), "=b" (r.b), "=c" (r.c), "=d" (r.d) : "a" (leaf), "c" (sub));
    return r;
}

static uint64_t xgetbv0(void)
{
    uint32_t lo, hi;

    asm volatile ("xgetbv" : "=a" (lo), "=d" (hi) : "c" (0));
    return ((uint64_t)hi << 32) | lo;
}

static uint64_t xsetbv(uint32_t index, uint64_t val)
{
    return TRY("xsetbv", "c" (index), "a" ((uint32_t)val), "d" ((uint32_t)(val >> 32)));
}

/* XSAVE with AVX offered, or skip the test. */
static void need_avx(void)
{
    struct regs4 r = pv_cpuid(1, 0);

    if ((r.c & (L1_ECX_XSAVE | L1_ECX_AVX)) != (L1_ECX_XSAVE | L1_ECX_AVX)) {
        test_skip("no XSAVE with AVX offered (leaf 1 ECX %#x)", r.c);
        test_abort();
    }
}

/* What Linux does before its first XSETBV: set CR4.OSXSAVE (emulated). */
static void set_osxsave(void)
{
    uint64_t cr4;

    asm volatile ("mov %%cr4, %0" : "=r" (cr4));
    asm volatile ("mov %0, %%cr4" :: "r" (cr4 | CR4_OSXSAVE));
}

TEST(offered, "xsave/cpuid")
{
    struct regs4 r;

    need_avx();
    r = pv_cpuid(1, 0);
    /* Linux takes XSAVE only when OSXSAVE is already on. */
    CHECK(r.c & L1_ECX_OSXSAVE, "OSXSAVE off at boot");
    CHECK_EQ(xgetbv0(), XCR0_X87_SSE, "XCR0 at boot");
    r = pv_cpuid(0xd, 0);
    CHECK_EQ(r.a, XCR0_X87_SSE | XCR0_AVX, "components offered");
    CHECK_EQ(r.c, 832, "area size for all of them");
    CHECK_EQ(r.b, 576, "area size for XCR0 3");
    r = pv_cpuid(0xd, 1);
    CHECK_EQ(r.a & ~5U, 0, "XSAVEC/XSAVES not offered");
    r = pv_cpuid(0xd, 2);
    CHECK_EQ(r.a, 256, "AVX state size");
    CHECK_EQ(r.b, 576, "AVX state offset");
}

TEST(xsetbv, "xsave/xsetbv")
{
    uint64_t cr4;

    need_avx();
    asm volatile ("mov %%cr4, %0" : "=r" (cr4));
    if (!(cr4 & CR4_OSXSAVE))
        CHECK_EQ(xsetbv(0, 7), X86_EXC_UD, "before CR4.OSXSAVE");
    set_osxsave();
    CHECK_EQ(xsetbv(0, 7), EXC_NONE, "XCR0 7");
    CHECK_EQ(xgetbv0(), 7, "XCR0 read back");
    CHECK_EQ(pv_cpuid(0xd, 0).b, 832, "area size for XCR0 7");
    CHECK_EQ(xsetbv(0, 5), X86_EXC_GP, "AVX without SSE");
    CHECK_EQ(xsetbv(0, 6), X86_EXC_GP, "no x87");
    CHECK_EQ(xsetbv(0, 3 | (1UL << 9)), X86_EXC_GP, "PKRU");
    CHECK_EQ(xsetbv(1, 3), X86_EXC_GP, "XCR1");
    CHECK_EQ(xgetbv0(), 7, "XCR0 after the refusals");
    CHECK_EQ(xsetbv(0, 3), EXC_NONE, "back to XCR0 3");
}

TEST(switch, "xsave/avx_across_block")
{
    static uint64_t in[4] __attribute__((aligned(32))) = {
        0x1111111111111111UL, 0x2222222222222222UL, 0x3333333333333333UL, 0x4444444444444444UL,
    };
    static uint64_t out[4] __attribute__((aligned(32)));
    long port;

    need_avx();
    set_osxsave();
    CHECK_EQ(xsetbv(0, 7), EXC_NONE, "XCR0 7");
    port = evt_alloc_unbound(DOMID_SELF);
    CHECK(port > 0, "alloc_unbound: %ld", port);
    /* The test kernel is built without SSE: nothing else touches ymm7. */
    asm volatile ("vmovdqa %0, %%ymm7" :: "m" (in));
    /* Blocked for 20 ms: the CPU runs something else meanwhile. */
    evt_poll((uint32_t)port, clock_ns() + 20 * NSEC_PER_MSEC);
    asm volatile ("vmovdqa %%ymm7, %0" : "=m" (out));
    CHECK(!memcmp(in, out, sizeof(in)), "ymm7 %#lx %#lx %#lx %#lx after the block",
          out[0], out[1], out[2], out[3]);
    evt_close((uint32_t)port);
    CHECK_EQ(xsetbv(0, 3), EXC_NONE, "back to XCR0 3");
}
