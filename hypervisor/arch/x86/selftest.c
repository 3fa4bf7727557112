/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/selftest.c - boot-time self tests (selftest=...).
 *
 * They exercise what only real hardware (or QEMU) can: the exception path,
 * the timer interrupt, the frame allocator and heap on the machine's real
 * memory map, and power-off.  Results are printed as TEST lines that the
 * QEMU harness (tests/qemu) collects.
 */
#include <mica/lib.h>
#include <mica/params.h>
#include <mica/selftest.h>
#include <mica/heap.h>
#include <mica/frame-alloc.h>
#include <mica/time.h>
#include <asm/config.h>
#include <asm/io.h>
#include <asm/power.h>

typedef const char *(*selftest_fn)(void);   /* NULL on success, else why */

/*
 * Deliberately execute ud2 at a known address: the harness checks that the
 * fatal-trap dump names vector 6 and this RIP.  Does not return.
 */
static const char *test_exception(void)
{
    extern const char selftest_ud2[];

    printk("selftest: expecting vector 6 at rip=%p\n", (void *)selftest_ud2);
    asm volatile(".globl selftest_ud2\nselftest_ud2: ud2");
    return "ud2 did not trap";
}

static const char *test_timer(void)
{
    uint64_t start = ticks(), t0 = now_ns();

    local_irq_enable();
    /* Ten ticks, or give up after 10 s of TSC time (TCG can be slow). */
    while (ticks() - start < 10 && now_ns() - t0 < 10000000000UL)
        halt();
    local_irq_disable();
    if (ticks() - start < 10)
        return "timer interrupts did not arrive";
    printk("selftest: 10 ticks in %lu us\n", (now_ns() - t0) / 1000);
    return NULL;
}

static const char *test_heap(void)
{
    void *p[64];
    uint64_t before = frames_free_count();

    for (unsigned int i = 0; i < ARRAY_SIZE(p); i++) {
        p[i] = xmalloc(1 + i * 97);         /* small and multi-page sizes */
        if (!p[i])
            return "xmalloc failed";
        if ((uintptr_t)p[i] & 15)
            return "xmalloc returned a misaligned pointer";
        for (unsigned int j = 0; j < 1 + i * 97; j++)
            ((uint8_t *)p[i])[j] = i;
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(p); i++)
        for (unsigned int j = 0; j < 1 + i * 97; j++)
            if (((uint8_t *)p[i])[j] != (uint8_t)i)
                return "heap blocks overlap";
    for (unsigned int i = 0; i < ARRAY_SIZE(p); i++)
        xfree(p[i]);
    /* Size-class pages stay cached, so only large blocks come back. */
    if (frames_free_count() + 16 < before)
        return "large heap blocks were not returned";
    return NULL;
}

static const char *test_frames(void)
{
    extern const char _start[], _end[];
    mfn_t img0 = __pa(_start) >> PAGE_SHIFT, img1 = __pa(_end) >> PAGE_SHIFT;
    mfn_t got[256];
    unsigned int n;

    for (n = 0; n < ARRAY_SIZE(got); n++) {
        got[n] = alloc_frames(n % 4);
        if (got[n] == INVALID_MFN)
            return "allocation failed";
        if (got[n] + (1UL << (n % 4)) > img0 && got[n] < img1)
            return "allocator handed out the hypervisor image";
        if (got[n] < 0x100)
            return "allocator handed out the first MiB";
    }
    while (n--)
        free_frames(got[n], n % 4);
    return NULL;
}

static const char *test_poweroff(void)
{
    machine_poweroff(EXIT_SUCCESS_CODE);
}

static const struct {
    const char *name;
    selftest_fn fn;
} selftests[] = {
    { "frames",    test_frames },
    { "heap",      test_heap },
    { "timer",     test_timer },
    { "exception", test_exception },
    { "poweroff",  test_poweroff },
};

int run_selftests(void)
{
    int failed = 0;

    for (unsigned int i = 0; i < ARRAY_SIZE(selftests); i++) {
        const char *why;

        if (!list_contains(opt_selftest, selftests[i].name) &&
            !(list_contains(opt_selftest, "all") &&
              selftests[i].fn != test_exception &&
              selftests[i].fn != test_poweroff))
            continue;
        why = selftests[i].fn();
        if (why)
            failed++;
        printk("TEST hv/%s: %s%s%s\n", selftests[i].name, why ? "FAIL" : "PASS",
               why ? " " : "", why ? why : "");
    }
    return failed;
}
