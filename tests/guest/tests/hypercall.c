/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/hypercall.c - the hypercall entry paths: the page the
 * hypervisor fills in, bare "syscall" from guest kernel mode, numbers
 * nobody implements, and which registers survive.
 */
#include <lib.h>
#include <hypercall.h>
#include <test.h>
#include <public/errno.h>
#include <public/version.h>

TEST(page_stubs, "hypercall/page_stubs")
{
    /* push %rcx; push %r11; mov $nr,%eax; syscall; pop %r11; pop %rcx; ret */
    static const uint8_t normal[] = { 0x51, 0x41, 0x53, 0xb8, 0x11, 0, 0, 0,
                                      0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3 };
    /* iret: the guest has pushed flags; the stub pushes rcx, r11, rax. */
    static const uint8_t iret[] = { 0x51, 0x41, 0x53, 0x50, 0xb8, 0x17, 0, 0,
                                    0, 0x0f, 0x05 };
    const uint8_t *xv = hypercall_page + 17 * HYPERCALL_STUB_SIZE;
    const uint8_t *ir = hypercall_page + 23 * HYPERCALL_STUB_SIZE;

    CHECK(!memcmp(xv, normal, sizeof(normal)),
          "slot 17 is not the expected stub (%02x %02x %02x %02x ...)",
          xv[0], xv[1], xv[2], xv[3]);
    CHECK(!memcmp(ir, iret, sizeof(iret)),
          "slot 23 is not the iret stub (%02x %02x %02x %02x %02x ...)",
          ir[0], ir[1], ir[2], ir[3], ir[4]);
}

TEST(syscall_path, "hypercall/syscall_path")
{
    long via_page = hc_page(__HYPERVISOR_xen_version, XENVER_version, 0, 0,
                            0, 0);
    long via_sys = hc_syscall(__HYPERVISOR_xen_version, XENVER_version, 0, 0,
                              0, 0);

    CHECK(via_page > 0, "via page: %ld", via_page);
    CHECK_EQ(via_sys, via_page, "xen_version via bare syscall");
    CHECK_EQ(hc_syscall(__HYPERVISOR_xen_version, XENVER_pagesize, 0, 0, 0, 0),
             4096, "pagesize via bare syscall");
}

TEST(unknown_numbers, "hypercall/unknown_numbers")
{
    static const unsigned int nrs[] = { 11, 43, 44, 47, 56, 63 };
    static const uint64_t big[] = { 64, 100, 127, 128, 1000, 0xffffffffUL,
                                    0x100000011UL };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(nrs); i++) {
        long rc = hc_page(nrs[i], 0, 0, 0, 0, 0);

        if (rc != -ENOSYS)
            test_fail("hypercall %u via page: %ld, want -ENOSYS", nrs[i], rc);
    }
    /*
     * Beyond the page's 128 slots only the bare syscall reaches the
     * hypervisor; the whole of rax is the number, so a stray upper half
     * does not alias hypercall 17.
     */
    for (i = 0; i < ARRAY_SIZE(big); i++) {
        register uint64_t rdi asm("rdi") = 0;
        long rax = (long)big[i];

        asm volatile ("syscall" : "+a" (rax), "+r" (rdi)
                      :: "rcx", "r11", "rsi", "rdx", "r10", "r8", "memory");
        if (rax != -ENOSYS)
            test_fail("hypercall %#lx via syscall: %ld, want -ENOSYS",
                      big[i], rax);
    }
}

TEST(preserved_registers, "hypercall/preserved_registers")
{
    /*
     * rbx, rbp, r9 and r12-r15 belong to the caller: neither path may
     * change them.  Arguments (rdi, rsi, rdx, r10, r8) may be clobbered.
     */
    uint64_t out[7];
    int pass;

    for (pass = 0; pass < 2; pass++) {
        register uint64_t mode asm("r8") = (uint64_t)pass;

        asm volatile (
            "push %%rbp\n\t"
            "push %%rbx\n\t"
            "push %%rdi\n\t"
            "mov $0x1111111111111111, %%rbx\n\t"
            "mov $0x2222222222222222, %%rbp\n\t"
            "mov $0x9999999999999999, %%r9\n\t"
            "mov $0x1212121212121212, %%r12\n\t"
            "mov $0x1313131313131313, %%r13\n\t"
            "mov $0x1414141414141414, %%r14\n\t"
            "mov $0x1515151515151515, %%r15\n\t"
            "mov $17, %%eax\n\t"
            "xor %%edi, %%edi\n\t"
            "xor %%esi, %%esi\n\t"
            "test %%r8, %%r8\n\t"
            "je 1f\n\t"
            "syscall\n\t"
            "jmp 2f\n"
            "1:\tcall hypercall_page + 17 * 32\n"
            "2:\tpop %%rdi\n\t"
            "mov %%rbx, 0(%%rdi)\n\t"
            "mov %%rbp, 8(%%rdi)\n\t"
            "mov %%r9, 16(%%rdi)\n\t"
            "mov %%r12, 24(%%rdi)\n\t"
            "mov %%r13, 32(%%rdi)\n\t"
            "mov %%r14, 40(%%rdi)\n\t"
            "mov %%r15, 48(%%rdi)\n\t"
            "pop %%rbx\n\t"
            "pop %%rbp\n\t"
            : "+r" (mode)
            : "D" (out)
            : "rax", "rcx", "rsi", "rdx", "r9", "r10", "r11", "r12", "r13",
              "r14", "r15", "memory");
        CHECK_EQ(out[0], 0x1111111111111111UL, pass ? "rbx (syscall)" : "rbx (page)");
        CHECK_EQ(out[1], 0x2222222222222222UL, pass ? "rbp (syscall)" : "rbp (page)");
        CHECK_EQ(out[2], 0x9999999999999999UL, pass ? "r9 (syscall)" : "r9 (page)");
        CHECK_EQ(out[3], 0x1212121212121212UL, pass ? "r12 (syscall)" : "r12 (page)");
        CHECK_EQ(out[4], 0x1313131313131313UL, pass ? "r13 (syscall)" : "r13 (page)");
        CHECK_EQ(out[5], 0x1414141414141414UL, pass ? "r14 (syscall)" : "r14 (page)");
        CHECK_EQ(out[6], 0x1515151515151515UL, pass ? "r15 (syscall)" : "r15 (page)");
    }
}

TEST(page_keeps_rcx_r11, "hypercall/page_keeps_rcx_r11")
{
    /* The page stubs save rcx and r11 around syscall, unlike a bare one. */
    register uint64_t rcx asm("rcx") = 0xc0c0c0c0c0c0c0c0UL;
    register uint64_t r11 asm("r11") = 0xb0b0b0b0b0b0b0b0UL;

    asm volatile ("mov $17, %%eax\n\t"
                  "xor %%edi, %%edi\n\t"
                  "call hypercall_page + 17 * 32"
                  : "+c" (rcx), "+r" (r11)
                  :: "rax", "rdi", "rsi", "rdx", "r8", "r10", "memory");
    CHECK_EQ(rcx, 0xc0c0c0c0c0c0c0c0UL, "rcx");
    CHECK_EQ(r11, 0xb0b0b0b0b0b0b0b0UL, "r11");
}
