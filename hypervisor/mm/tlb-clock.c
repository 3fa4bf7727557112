/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/mm/tlb-clock.c - the TLB-flush clock, so that a frame a guest
 * gave back is never reused while a TLB somewhere still maps it.
 *
 * A guest can drop its last mapping of a frame without asking for a flush
 * (update_va_mapping with no flags), and the frame is freed at once.  The
 * TLB entry stays until that CPU flushes, so until then the frame must not
 * become anyone's page table, descriptor table or hypervisor data.
 * Flushing at every free would cost an IPI per page; instead each flush
 * ticks a global clock and records the tick per CPU, each freed frame is
 * stamped with the clock, and the allocator flushes only when a frame it
 * hands out was freed after some online CPU's last flush began.
 */
#include <mica/lib.h>
#include <mica/page.h>
#include <mica/tlb-clock.h>
#include <asm/io.h>
#include <asm/smp.h>
#include <asm/cpu.h>

static uint64_t clock = 1;
static uint64_t flushed_at[CONFIG_NR_CPUS];    /* clock when the flush began */

uint64_t tlb_clock_now(void)
{
    return __atomic_load_n(&clock, __ATOMIC_SEQ_CST);
}

void tlb_clock_flush_local(void)
{
    /*
     * Tick before flushing: a frame stamped with this tick or later may
     * have been freed before the flush, so it still counts as stale here.
     */
    uint64_t t = __atomic_add_fetch(&clock, 1, __ATOMIC_SEQ_CST);

    write_cr3(read_cr3());
    __atomic_store_n(&flushed_at[smp_processor_id()], t, __ATOMIC_RELEASE);
}

/* Some online CPU has not flushed since 'stamp'. */
static bool stale_somewhere(uint64_t stamp)
{
    for (unsigned int c = 0; c < CONFIG_NR_CPUS; c++)
        if (cpu_online(c) &&
            __atomic_load_n(&flushed_at[c], __ATOMIC_ACQUIRE) <= stamp)
            return true;
    return false;
}

void tlb_clock_before_reuse(mfn_t first, mfn_t count)
{
    uint64_t newest = 0;

    if (!frame_table)
        return;
    for (mfn_t m = first; m < first + count && m < frame_table_size; m++) {
        struct page_info *pg = mfn_to_page(m);

        newest = MAX(newest, pg->tlbflush_stamp);
        pg->tlbflush_stamp = 0;         /* the list links from here on */
    }
    if (newest && stale_somewhere(newest))
        flush_tlb_all_cpus();
}
