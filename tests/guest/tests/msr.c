/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/msr.c - rdmsr/wrmsr from guest kernel mode, emulated by
 * the hypervisor from the #GP they raise at CPL 3.
 */
#include <lib.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>

#define MSR_APIC_BASE       0x0000001b
#define MSR_EFER            0xc0000080
#define MSR_FS_BASE         0xc0000100
#define MSR_GS_BASE         0xc0000101
#define MSR_SHADOW_GS_BASE  0xc0000102

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    asm volatile ("rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr));
    return ((uint64_t)hi << 32) | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
    asm volatile ("wrmsr" :: "c" (msr), "a" ((uint32_t)v),
                  "d" ((uint32_t)(v >> 32)) : "memory");
}

/* Read an MSR that may not exist: #GP is caught, returns 1 if it came. */
static int rdmsr_faults(uint32_t msr)
{
    uint32_t lo, hi;

    exc_reset();
    asm volatile ("1: rdmsr\n2:\n\t" ASM_EXTABLE(1b, 2b)
                  : "=a" (lo), "=d" (hi) : "c" (msr) : "memory");
    return last_exc.vector == X86_EXC_GP;
}

static int wrmsr_faults(uint32_t msr, uint64_t v)
{
    exc_reset();
    asm volatile ("1: wrmsr\n2:\n\t" ASM_EXTABLE(1b, 2b)
                  :: "c" (msr), "a" ((uint32_t)v),
                  "d" ((uint32_t)(v >> 32)) : "memory");
    return last_exc.vector == X86_EXC_GP;
}

static uint64_t fs_var, gs_var, sgs_var;

TEST(segment_bases, "msr/segment_bases")
{
    uint64_t fs = (uint64_t)(uintptr_t)&fs_var;
    uint64_t gs = (uint64_t)(uintptr_t)&gs_var;
    uint64_t sgs = (uint64_t)(uintptr_t)&sgs_var;

    HYPERVISOR_set_segment_base(SEGBASE_FS, fs);
    HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, gs);
    HYPERVISOR_set_segment_base(SEGBASE_GS_USER, sgs);
    CHECK_EQ(rdmsr(MSR_FS_BASE), fs, "rdmsr FS_BASE");
    CHECK_EQ(rdmsr(MSR_GS_BASE), gs, "rdmsr GS_BASE");
    CHECK_EQ(rdmsr(MSR_SHADOW_GS_BASE), sgs, "rdmsr SHADOW_GS_BASE");

    /* Linux's very first instruction is this wrmsr. */
    wrmsr(MSR_GS_BASE, fs);
    CHECK_EQ(rdmsr(MSR_GS_BASE), fs, "GS_BASE after wrmsr");
    wrmsr(MSR_SHADOW_GS_BASE, gs);
    CHECK_EQ(rdmsr(MSR_SHADOW_GS_BASE), gs, "SHADOW_GS_BASE after wrmsr");
    CHECK(wrmsr_faults(MSR_FS_BASE, 0x0000800000000000UL),
          "non-canonical FS_BASE accepted");

    HYPERVISOR_set_segment_base(SEGBASE_FS, 0);
    HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0);
    HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0);
}

TEST(unknown_msr, "msr/unknown_msr")
{
    CHECK(rdmsr_faults(0xdeadbeef), "rdmsr 0xdeadbeef did not #GP");
    CHECK_EQ(last_exc.error_code, 0, "rdmsr error code");
    CHECK(wrmsr_faults(0xdeadbeef, 0), "wrmsr 0xdeadbeef did not #GP");
    CHECK(rdmsr_faults(0x40000200), "rdmsr 0x40000200 did not #GP");
}

TEST(emulated_reads, "msr/emulated_reads")
{
    uint64_t v;

    /* Linux PV reads APIC_BASE and expects an enabled BSP at the default. */
    v = rdmsr(MSR_APIC_BASE);
    CHECK_EQ(v, 0xfee00900, "APIC_BASE");
    v = rdmsr(MSR_EFER);
    CHECK(v & (1 << 10), "EFER %#lx lacks LMA", v);
    /* Writing back the same EFER is allowed; changing it is not. */
    CHECK(!wrmsr_faults(MSR_EFER, v), "writing back EFER faulted");
    CHECK(wrmsr_faults(MSR_EFER, v ^ (1 << 11)), "changing EFER.NXE accepted");
}
