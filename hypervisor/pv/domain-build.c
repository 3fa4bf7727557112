/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/domain-build.c - builds a domain from a kernel image at boot
 * (dom0, and the boot-time guests of "domain=" modules): its memory, its
 * start-of-day address space and its first vCPU,
 * laid out as Xen's dom0 builder does (public/xen.h "start-of-day"), so an
 * unmodified PV kernel finds everything where it expects.
 *
 * The bootstrap region [v_start, v_end) maps pfn n at v_start + n * 4 KiB
 * and holds, in order: the kernel image, the initrd, the p2m list, the
 * start_info page, the page tables (mapped read-only), and one page of
 * boot stack, padded to a 4 MiB boundary with at least 512 KiB spare.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/elf.h>
#include <mica/frame-alloc.h>
#include <mica/m2p.h>
#include <mica/heap.h>
#include <mica/page.h>
#include <mica/event.h>
#include <mica/time.h>
#include <public/xen.h>
#include <asm/config.h>
#include <asm/page.h>

#define MB                  (1UL << 20)
#define PTE_GUEST_TABLE     (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)
#define PTE_GUEST_PAGE      (PTE_GUEST_TABLE | _PAGE_DIRTY)
#define X86_EFLAGS_IF       0x200UL

struct layout {
    uint64_t v_start, v_end;
    uint64_t kern_start, kern_end;
    uint64_t initrd_start, initrd_len;
    uint64_t p2m_start;
    uint64_t si_start;
    uint64_t store_start, console_start;    /* domU only, else 0 */
    uint64_t pt_start;
    unsigned int nr_pt;
    uint64_t stack_start;
};

static unsigned long span(uint64_t start, uint64_t end, unsigned int shift)
{
    return ((end - 1) >> shift) - (start >> shift) + 1;
}

/* Page-table pages needed to map [start, end) with 4 KiB pages. */
static unsigned int tables_needed(uint64_t start, uint64_t end)
{
    return 1 + span(start, end, L4_SHIFT) + span(start, end, L3_SHIFT) +
           span(start, end, L2_SHIFT);
}

static int plan(struct layout *l, const struct xen_elf_info *info,
                uint64_t nr_pages, size_t initrd_len, bool privileged)
{
    l->v_start = info->virt_base;
    l->kern_start = info->virt_kstart;
    l->kern_end = ROUNDUP(info->virt_kend, PAGE_SIZE);
    l->initrd_start = l->kern_end;
    l->initrd_len = initrd_len;
    l->p2m_start = ROUNDUP(l->initrd_start + initrd_len, PAGE_SIZE);
    l->si_start = l->p2m_start + ROUNDUP(nr_pages * sizeof(uint64_t), PAGE_SIZE);
    l->pt_start = l->si_start + PAGE_SIZE;
    l->store_start = l->console_start = 0;
    if (!privileged) {
        /* An unprivileged guest also gets its xenstore and console rings. */
        l->store_start = l->pt_start;
        l->console_start = l->store_start + PAGE_SIZE;
        l->pt_start = l->console_start + PAGE_SIZE;
    }

    /* The tables map themselves, so grow the guess until it suffices. */
    for (l->nr_pt = 1; ; l->nr_pt++) {
        l->stack_start = l->pt_start + l->nr_pt * PAGE_SIZE;
        l->v_end = ROUNDUP(l->stack_start + PAGE_SIZE + 512 * 1024, 4 * MB);
        if (tables_needed(l->v_start, l->v_end) <= l->nr_pt)
            break;
    }
    if (l->v_end <= l->v_start || (l->v_end - l->v_start) / PAGE_SIZE > nr_pages)
        return -ENOMEM;
    return 0;
}

static void *guest_page(const struct domain *d, const struct layout *l, uint64_t va)
{
    uint64_t pfn = (va - l->v_start) >> PAGE_SHIFT;

    ASSERT(pfn < d->nr_pages);
    return (uint8_t *)__va(d->p2m[pfn] << PAGE_SHIFT) + (va & (PAGE_SIZE - 1));
}

/* Copy 'len' bytes to guest virtual 'va' inside the bootstrap region. */
static void copy_in(const struct domain *d, const struct layout *l, uint64_t va,
                    const void *src, size_t len)
{
    const uint8_t *s = src;

    while (len) {
        size_t n = MIN(len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));

        memcpy(guest_page(d, l, va), s, n);
        va += n;
        s += n;
        len -= n;
    }
}

/*
 * The bootstrap region (its first 'boot_pages' pfns) starts zeroed: bss,
 * page tables and start_info rely on it.  Beyond it only an unprivileged
 * domain's frames are scrubbed: dom0 owns the machine anyway, and, as
 * Xen does, is spared the cost (about a second per GiB under emulation).
 */
static int alloc_memory(struct domain *d, uint64_t nr_pages, uint64_t boot_pages)
{
    d->p2m = xmalloc(nr_pages * sizeof(mfn_t));
    if (!d->p2m)
        return -ENOMEM;
    d->max_pages = UINT32_MAX;          /* the real limit is set once built */
    for (uint64_t pfn = 0; pfn < nr_pages; pfn++) {
        bool scrub = pfn < boot_pages || !d->is_privileged;
        mfn_t m = domain_alloc_page(d, scrub);

        if (m == INVALID_MFN)
            return -ENOMEM;
        d->p2m[pfn] = m;
        set_gpfn_from_mfn(m, pfn);
        d->nr_pages = pfn + 1;
    }
    return 0;
}

/*
 * Build the four-level tables in the pt area: every page of the region is
 * mapped user-accessible and writable, except the tables themselves.
 */
static mfn_t build_page_tables(struct domain *d, const struct layout *l)
{
    uint64_t next = l->pt_start;
    pte_t *l4 = guest_page(d, l, next);
    mfn_t l4_mfn = d->p2m[(next - l->v_start) >> PAGE_SHIFT];

    next += PAGE_SIZE;
    memcpy(&l4[HYPERVISOR_PML4_FIRST], &idle_pml4[HYPERVISOR_PML4_FIRST],
           (HYPERVISOR_PML4_LAST - HYPERVISOR_PML4_FIRST + 1) * sizeof(pte_t));

    for (uint64_t va = l->v_start; va < l->v_end; va += PAGE_SIZE) {
        pte_t *t = l4;
        uint64_t pfn = (va - l->v_start) >> PAGE_SHIFT;
        bool is_table = va >= l->pt_start && va < l->pt_start + l->nr_pt * PAGE_SIZE;

        for (unsigned int shift = L4_SHIFT; shift > L1_SHIFT; shift -= 9) {
            pte_t *e = &t[PT_INDEX(va, shift)];

            if (!(*e & _PAGE_PRESENT)) {
                mfn_t m = d->p2m[(next - l->v_start) >> PAGE_SHIFT];

                BUG_ON(next >= l->pt_start + l->nr_pt * PAGE_SIZE);
                next += PAGE_SIZE;
                *e = (m << PAGE_SHIFT) | PTE_GUEST_TABLE;
            }
            t = __va(*e & PTE_ADDR_MASK);
        }
        t[PT_INDEX(va, L1_SHIFT)] = (d->p2m[pfn] << PAGE_SHIFT) |
                                    (is_table ? PTE_GUEST_PAGE & ~_PAGE_RW : PTE_GUEST_PAGE);
    }
    return l4_mfn;
}

/*
 * Validate the tables the builder made exactly as if the guest had
 * pinned them (Linux unpins the L4 first thing and BUGs if that fails),
 * and take the reference CR3 holds.
 */
static int pin_and_load(struct vcpu *v)
{
    struct page_info *l4 = mfn_to_page(v->arch.guest_table);
    int rc = get_page_and_type(l4, v->domain, PGT_l4);

    if (rc)
        return rc;
    page_set_pinned(l4);
    return get_page_and_type(l4, v->domain, PGT_l4);
}

static mfn_t mfn_at(const struct domain *d, const struct layout *l, uint64_t va)
{
    return d->p2m[(va - l->v_start) >> PAGE_SHIFT];
}

/*
 * The xenstore and console rings of an unprivileged guest, each with an
 * unbound event channel that dom0's daemons bind to later.
 */
static int setup_rings(struct domain *d, const struct layout *l, start_info_t *si)
{
    struct evtchn_alloc_unbound store = { .dom = DOMID_SELF, .remote_dom = 0 };
    struct evtchn_alloc_unbound cons = { .dom = DOMID_SELF, .remote_dom = 0 };
    int rc;

    if ((rc = evtchn_alloc_unbound(d, &store)) || (rc = evtchn_alloc_unbound(d, &cons)))
        return rc;
    si->store_mfn = mfn_at(d, l, l->store_start);
    si->store_evtchn = store.port;
    si->console.domU.mfn = mfn_at(d, l, l->console_start);
    si->console.domU.evtchn = cons.port;
    return 0;
}

static int fill_start_info(struct domain *d, const struct layout *l,
                           const char *cmdline)
{
    start_info_t *si = guest_page(d, l, l->si_start);

    memset(si, 0, sizeof(*si));
    strncpy(si->magic, "xen-3.0-x86_64", sizeof(si->magic) - 1);
    si->nr_pages = d->nr_pages;
    si->shared_info = __pa(d->shared_info);
    si->flags = d->is_privileged ? SIF_PRIVILEGED | SIF_INITDOMAIN : 0;
    si->pt_base = l->pt_start;
    si->nr_pt_frames = l->nr_pt;
    si->mfn_list = l->p2m_start;
    si->mod_start = l->initrd_len ? l->initrd_start : 0;
    si->mod_len = l->initrd_len;
    strncpy((char *)si->cmd_line, cmdline, sizeof(si->cmd_line) - 1);
    return d->is_privileged ? 0 : setup_rings(d, l, si);
}

int pv_build_domain(const struct build_spec *b, struct domain **out)
{
    struct xen_elf_info info;
    struct elf_segment seg;
    struct layout l;
    struct domain *d;
    struct vcpu *v;
    char why[ELF_WHY_LEN];
    uint64_t nr_pages = b->mem_bytes >> PAGE_SHIFT;
    int rc;

    rc = elf_parse_xen(b->kernel, b->kernel_len, &info, why, sizeof(why));
    if (rc) {
        printk(KERN_ERR "%s: kernel image rejected: %s\n", b->name, why);
        return rc;
    }
    if (plan(&l, &info, nr_pages, b->initrd_len, b->privileged)) {
        printk(KERN_ERR "%s: %lu MiB is too little for a %lu MiB bootstrap region\n",
               b->name, b->mem_bytes >> 20, (l.v_end - l.v_start) >> 20);
        return -ENOMEM;
    }

    /* vCPU 0 runs first; the others wait for VCPUOP_initialise/up. */
    d = domain_create(b->id, b->privileged, b->nr_vcpus);
    if (!d || !(v = vcpu_create(d, 0)))
        return -ENOMEM;
    strncpy(d->name, b->name, sizeof(d->name) - 1);
    if (b->weight)
        d->sched_weight = b->weight;
    d->sched_cap = b->cap;
    for (unsigned int i = 1; i < b->nr_vcpus; i++)
        if (!vcpu_create(d, i))
            return -ENOMEM;
    rc = alloc_memory(d, nr_pages, (l.v_end - l.v_start) >> PAGE_SHIFT);
    /* Without a maximum the domain may grow without limit, as dom0 in Xen. */
    d->max_pages = b->max_bytes ? MAX(b->max_bytes >> PAGE_SHIFT, nr_pages) : UINT32_MAX;
    if (rc) {
        printk(KERN_ERR "%s: out of memory after %lu of %lu pages\n", b->name,
               d->nr_pages, nr_pages);
        return rc;
    }

    for (unsigned int i = 0; elf_load_segment(b->kernel, b->kernel_len, &info, i, &seg) == 0; i++)
        copy_in(d, &l, seg.dest, (const uint8_t *)b->kernel + seg.offset, seg.filesz);
    if (b->initrd_len)
        copy_in(d, &l, l.initrd_start, b->initrd, b->initrd_len);
    if (info.has_hypercall_page)
        pv_write_hypercall_page(guest_page(d, &l, info.hypercall_page));
    copy_in(d, &l, l.p2m_start, d->p2m, d->nr_pages * sizeof(uint64_t));
    rc = fill_start_info(d, &l, b->cmdline);
    if (rc)
        return rc;
    v->arch.guest_table = build_page_tables(d, &l);
    rc = pin_and_load(v);
    if (rc) {
        printk(KERN_ERR "%s: initial page tables do not validate (%d)\n", b->name, rc);
        return rc;
    }

    pvclock_update(&d->shared_info->vcpu_info[0].time);
    wallclock_update(d->shared_info);

    v->arch.regs = (struct cpu_regs){
        .rip = info.entry,
        .rsp = l.stack_start + PAGE_SIZE,
        .rsi = l.si_start,
        .cs = FLAT_KERNEL_CS,
        .ss = FLAT_KERNEL_SS,
        .rflags = X86_EFLAGS_IF | 0x2,
    };

    printk("d%u (%s): %s kernel '%s' %s, entry %#lx%s, %u vCPU(s)\n", d->domain_id,
           b->name, info.guest_os, info.loader, info.xen_version, info.entry,
           info.has_hypercall_page ? ", hypercall page" : "", b->nr_vcpus);
    printk("d%u: %lu MiB (%lu pages); bootstrap region %#lx-%#lx:\n", d->domain_id,
           b->mem_bytes >> 20, d->nr_pages, l.v_start, l.v_end);
    printk("  kernel     %#lx-%#lx\n", l.kern_start, l.kern_end);
    if (b->initrd_len)
        printk("  initrd     %#lx-%#lx\n", l.initrd_start, l.initrd_start + b->initrd_len);
    printk("  p2m list   %#lx-%#lx\n", l.p2m_start, l.si_start);
    printk("  start_info %#lx\n", l.si_start);
    if (l.store_start)
        printk("  xenstore   %#lx, console %#lx\n", l.store_start, l.console_start);
    printk("  tables     %#lx-%#lx (%u pages, L4 mfn %#lx)\n", l.pt_start,
           l.stack_start, l.nr_pt, v->arch.guest_table);
    printk("  boot stack %#lx-%#lx\n", l.stack_start, l.stack_start + PAGE_SIZE);
    *out = d;
    return 0;
}
