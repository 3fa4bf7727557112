/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/lib/suspend.c - the test kernel's side of save and restore,
 * the contract Linux 6.1 keeps (xen_pv_pre_suspend / post_suspend):
 *
 *   p2m          published as the frame list tree a toolstack reads: a
 *                root page (shared_info.arch.pfn_to_mfn_frame_list_list)
 *                of mid pages, each listing up to 512 frames of the p2m
 *                array itself; arch.max_pfn is its length and p2m_cr3 = 0
 *                says there is no virtually mapped p2m to walk instead
 *   before       store_mfn and console.domU.mfn in start_info become pfns
 *                (the restorer turns them into the new domain's frames),
 *                and the shared_info window is unmapped: a saver must be
 *                able to name every frame our page tables reference
 *   rax = 0      a new domain: vcpu_info registered again (registrations
 *                do not travel), the new shared_info mapped on first use,
 *                the lists rebuilt from the restorer's new p2m, the store
 *                ring's stale replies dropped; the periodic timer a new
 *                vCPU starts with is stopped, as Linux does
 *   rax != 0     cancelled: the two pfns become mfns again, and the same
 *                shared_info is mapped on first use
 *
 * Event channels: the kernel binds none across a suspend (its sleeps bind
 * VIRQ_TIMER and close it), and the store and console ports are read from
 * start_info at each use, so nothing else needs rebinding.
 */
#include <lib.h>
#include <arch.h>
#include <clock.h>
#include <hypercall.h>
#include <suspend.h>
#include <xenstore.h>
#include <public/errno.h>
#include <public/sched.h>
#include <public/vcpu.h>

#define M2P             ((const volatile uint64_t *)MACH2PHYS_VIRT_START)
#define P2M_PER_PAGE    (PAGE_SIZE / 8)
#define MAX_MID         4           /* 4 x 512 x 512 pfns: 4 GiB */

static uint64_t fl_root[P2M_PER_PAGE] __attribute__((aligned(4096)));
static uint64_t fl_mid[MAX_MID][P2M_PER_PAGE] __attribute__((aligned(4096)));

long p2m_publish(void)
{
    const uint64_t *p2m = (const uint64_t *)(uintptr_t)start_info->mfn_list;
    uint64_t nr = start_info->nr_pages;
    uint64_t nr_leaf = (nr + P2M_PER_PAGE - 1) / P2M_PER_PAGE;
    uint64_t nr_mid = (nr_leaf + P2M_PER_PAGE - 1) / P2M_PER_PAGE;
    struct arch_shared_info *a;

    if (nr_mid > MAX_MID)
        return -E2BIG;
    memset(fl_root, 0, sizeof(fl_root));
    memset(fl_mid, 0, sizeof(fl_mid));
    for (uint64_t i = 0; i < nr_leaf; i++)
        fl_mid[i / P2M_PER_PAGE][i % P2M_PER_PAGE] = virt_to_mfn(p2m + i * P2M_PER_PAGE);
    for (uint64_t i = 0; i < nr_mid; i++)
        fl_root[i] = virt_to_mfn(fl_mid[i]);
    a = &shared_info_map()->arch;
    a->max_pfn = nr;
    a->p2m_cr3 = 0;
    a->p2m_vaddr = 0;
    a->p2m_generation = 0;
    __atomic_store_n(&a->pfn_to_mfn_frame_list_list, virt_to_mfn(fl_root),
                     __ATOMIC_RELEASE);
    return 0;
}

static void resume_new_domain(void)
{
    long rc = vcpu0_info_register();

    if (rc)
        printk("suspend: vcpu_info not registered again (%ld); using shared_info's\n", rc);
    HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
    if ((rc = p2m_publish()))
        printk("suspend: p2m not published again (%ld)\n", rc);
    xs_resume();
}

static void resume_cancelled(void)
{
    const uint64_t *p2m = (const uint64_t *)(uintptr_t)start_info->mfn_list;

    start_info->store_mfn = p2m[start_info->store_mfn];
    start_info->console.domU.mfn = p2m[start_info->console.domU.mfn];
}

long guest_suspend(void)
{
    struct sched_shutdown s = { .reason = SHUTDOWN_suspend };
    uint64_t si_mfn = virt_to_mfn(start_info);
    long rc;

    start_info->store_mfn = M2P[start_info->store_mfn];
    start_info->console.domU.mfn = M2P[start_info->console.domU.mfn];
    shared_info_unmap();
    /* The toolstack finds start_info through rdx in the saved context. */
    rc = hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown, HC_PTR(&s), si_mfn, 0, 0);
    if (rc == 0)
        resume_new_domain();
    else
        resume_cancelled();
    return rc;
}
