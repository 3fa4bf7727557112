/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/domain-build.c - builds a domain from a kernel image at boot
 * (dom0, and the boot-time guests of "domain=" modules): its memory, its
 * start-of-day address space and its first vCPU,
 * laid out as Xen's dom0 builder does (public/xen.h "start-of-day"), so an
 * unmodified PV kernel finds everything where it expects.
 *
 * The bootstrap region and its page tables are planned by lib/ (the
 * same plan as libmica's and the test kernel's builders): the kernel
 * image, the initrd, the p2m list, start_info, for a domU its xenstore
 * and console pages, the page tables (read-only) and one page of boot
 * stack.  This file backs it with frames and writes it.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <pvboot/elf.h>
#include <pvboot/layout.h>
#include <pvboot/unzip.h>
#include <mica/frame-alloc.h>
#include <mica/m2p.h>
#include <mica/heap.h>
#include <mica/page.h>
#include <mica/event.h>
#include <mica/time.h>
#include <public/xen.h>
#include <asm/arch-hooks.h>
#include <asm/config.h>
#include <asm/page.h>

#define X86_EFLAGS_IF       0x200UL

static void *guest_page(const struct domain *d, const struct pvboot_layout *l, uint64_t va)
{
    uint64_t pfn = (va - l->v_start) >> PAGE_SHIFT;

    ASSERT(pfn < d->nr_pages);
    return (uint8_t *)__va(d->p2m[pfn] << PAGE_SHIFT) + (va & (PAGE_SIZE - 1));
}

/* Copy 'len' bytes to guest virtual 'va' inside the bootstrap region. */
static void copy_in(const struct domain *d, const struct pvboot_layout *l, uint64_t va,
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

static mfn_t mfn_at(const struct domain *d, const struct pvboot_layout *l, uint64_t va)
{
    return d->p2m[(va - l->v_start) >> PAGE_SHIFT];
}

/* What lib/'s table writer needs: the p2m and where the tables live. */
struct boot_tables {
    const struct domain *d;
    uint64_t pt_pfn;
};

static uint64_t boot_mfn(void *ctx, uint64_t pfn)
{
    const struct boot_tables *bt = ctx;

    BUG_ON(pfn >= bt->d->nr_pages);
    return bt->d->p2m[pfn];
}

static void boot_pte(void *ctx, unsigned int table, unsigned int slot, uint64_t pte)
{
    const struct boot_tables *bt = ctx;
    pte_t *t = __va(boot_mfn(ctx, bt->pt_pfn + table) << PAGE_SHIFT);

    t[slot] = pte;
}

/*
 * The four-level tables lib/ plans, written through the direct map; the
 * L4 also gets the hypervisor's own slots, as every guest L4 must.
 */
static mfn_t build_page_tables(struct domain *d, const struct pvboot_layout *l)
{
    pte_t *l4 = guest_page(d, l, l->pt_start);
    struct boot_tables bt = { d, pvboot_layout_pfn(l, l->pt_start) };

    memcpy(&l4[HYPERVISOR_PML4_FIRST], &idle_pml4[HYPERVISOR_PML4_FIRST],
           (HYPERVISOR_PML4_LAST - HYPERVISOR_PML4_FIRST + 1) * sizeof(pte_t));
    BUG_ON(pvboot_layout_tables(l, boot_mfn, boot_pte, &bt));
    return mfn_at(d, l, l->pt_start);
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

/*
 * The xenstore and console rings of an unprivileged guest, each with an
 * unbound event channel that dom0's daemons bind to later.
 */
static int setup_rings(struct domain *d, const struct pvboot_layout *l, start_info_t *si)
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

static int fill_start_info(struct domain *d, const struct pvboot_layout *l,
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
    si->mod_start = l->ramdisk_len ? l->ramdisk_start : 0;
    si->mod_len = l->ramdisk_len;
    strncpy((char *)si->cmd_line, cmdline, sizeof(si->cmd_line) - 1);
    return d->is_privileged ? 0 : setup_rings(d, l, si);
}

/*
 * A kernel handed over as a bzImage (/boot/vmlinuz-* as Debian installs
 * it) is unpacked into frames of its own, freed once the domain is built,
 * as Xen's dom0 builder does.  The payload's last word announces the ELF's
 * size; the decoder must produce exactly that many bytes.
 */
struct unpacked {
    uint8_t *img;
    size_t len;
    mfn_t mfn;
    uint64_t nr_frames;
};

static void unpacked_free(struct unpacked *u)
{
    for (uint64_t i = 0; i < u->nr_frames; i++)
        free_frames(u->mfn + i, 0);
    u->nr_frames = 0;
}

/* Contiguous frames for 'size' bytes: a power-of-two block, its tail freed. */
static int unpacked_alloc(struct unpacked *u, uint64_t size)
{
    uint64_t nr = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
    unsigned int order = 0;

    while ((1ULL << order) < nr)
        order++;
    u->mfn = alloc_frames(order);
    if (u->mfn == INVALID_MFN)
        return -ENOMEM;
    for (uint64_t i = nr; i < (1ULL << order); i++)
        free_frames(u->mfn + i, 0);
    u->nr_frames = nr;
    u->img = __va(u->mfn << PAGE_SHIFT);
    return 0;
}

static int unpack_kernel(const struct build_spec *b, struct unpacked *u)
{
    const uint8_t *k = b->kernel, *p = k;
    size_t off, plen = b->kernel_len;
    uint64_t size, t0 = now_ns();
    const char *kind = "bzImage";
    char why[ELF_WHY_LEN];
    void *work = NULL;
    int rc = pvb_bzimage_payload(k, b->kernel_len, &off, &plen, why, sizeof(why));

    if (rc == -ENOENT) {
        /* An ELF, or (module2 --nounzip) a gzip'd one, as Xen takes. */
        plen = b->kernel_len;
        if (pvb_zformat(k, plen) != PVB_Z_GZIP)
            return 0;
        kind = "gzip'd image";
    } else if (rc) {
        goto out;
    } else {
        p = k + off;
        /* An uncompressed payload is used where it lies, as by Xen. */
        if (plen >= 4 && !memcmp(p, "\177ELF", 4)) {
            u->img = (uint8_t *)p;
            u->len = plen;
            return 0;
        }
    }
    rc = pvb_payload_size(p, plen, &size);
    if (!rc && size > PVB_UNZIP_MAX)
        rc = -E2BIG;
    if (rc) {
        snprintf(why, sizeof(why), "%s: payload announces no usable size", kind);
        goto out;
    }
    work = xmalloc(pvb_unzip_work_size());
    rc = work ? unpacked_alloc(u, size) : -ENOMEM;
    if (rc) {
        snprintf(why, sizeof(why), "no memory to unpack %lu MiB", size >> 20);
        goto out;
    }
    rc = pvb_unzip(p, plen, u->img, size, &u->len, work, why, sizeof(why));
    if (!rc && u->len != size) {
        snprintf(why, sizeof(why), "payload unpacked to %zu bytes, not the %lu announced",
                 u->len, size);
        rc = -ENOEXEC;
    }
    if (!rc)
        printk("%s: %s: %s payload of %zu KiB unpacked to %zu KiB in %lu ms\n",
               b->name, kind, pvb_zformat_name(pvb_zformat(p, plen)), plen >> 10,
               u->len >> 10, (now_ns() - t0) / 1000000);
out:
    if (rc) {
        printk(KERN_ERR "%s: kernel image rejected: %s\n", b->name, why);
        unpacked_free(u);
    }
    xfree(work);
    return rc;
}

/* What was built where, as Xen's dom0 builder reports it. */
static void print_layout(const struct domain *d, const struct build_spec *b,
                         const struct xen_elf_info *info, const struct pvboot_layout *l,
                         mfn_t l4)
{
    printk("d%u (%s): %s kernel '%s' %s, entry %#lx%s, %u vCPU(s)\n", d->domain_id,
           b->name, info->guest_os, info->loader, info->xen_version, info->entry,
           info->has_hypercall_page ? ", hypercall page" : "", b->nr_vcpus);
    printk("d%u: %lu MiB (%lu pages); bootstrap region %#lx-%#lx:\n", d->domain_id,
           b->mem_bytes >> 20, d->nr_pages, l->v_start, l->v_end);
    printk("  kernel     %#lx-%#lx\n", l->kern_start, l->kern_end);
    if (b->initrd_len)
        printk("  initrd     %#lx-%#lx\n", l->ramdisk_start, l->ramdisk_start + b->initrd_len);
    printk("  p2m list   %#lx-%#lx\n", l->p2m_start, l->si_start);
    printk("  start_info %#lx\n", l->si_start);
    if (l->store_start)
        printk("  xenstore   %#lx, console %#lx\n", l->store_start, l->console_start);
    printk("  tables     %#lx-%#lx (%u pages, L4 mfn %#lx)\n", l->pt_start,
           l->stack_start, l->nr_pt, l4);
    printk("  boot stack %#lx-%#lx\n", l->stack_start, l->stack_start + PAGE_SIZE);
}

/*
 * The domain's vCPUs, memory, images, start_info and page tables; vCPU 0
 * ready to run.  On failure the caller destroys the half-built domain.
 */
static int fill(struct domain *d, const struct build_spec *b,
                const struct xen_elf_info *info, const struct pvboot_layout *lp)
{
    struct pvboot_layout l = *lp;
    uint64_t nr_pages = b->mem_bytes >> PAGE_SHIFT;
    struct elf_segment seg;
    struct vcpu *v;
    int rc;

    /* vCPU 0 runs first; the others wait for VCPUOP_initialise/up. */
    for (unsigned int i = 0; i < b->nr_vcpus; i++)
        if (!vcpu_create(d, i))
            return -ENOMEM;
    v = d->vcpus[0];
    rc = alloc_memory(d, nr_pages, l.nr_boot_pages);
    /* Without a maximum the domain may grow without limit, as dom0 in Xen. */
    d->max_pages = b->max_bytes ? MAX(b->max_bytes >> PAGE_SHIFT, nr_pages) : UINT32_MAX;
    if (rc) {
        printk(KERN_ERR "%s: out of memory after %lu of %lu pages\n", b->name,
               d->nr_pages, nr_pages);
        return rc;
    }

    for (unsigned int i = 0; elf_load_segment(b->kernel, b->kernel_len, info, i, &seg) == 0; i++)
        copy_in(d, &l, seg.dest, (const uint8_t *)b->kernel + seg.offset, seg.filesz);
    if (b->initrd_len)
        copy_in(d, &l, l.ramdisk_start, b->initrd, b->initrd_len);
    if (info->has_hypercall_page)
        arch_write_hypercall_page(guest_page(d, &l, info->hypercall_page));
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
        .rip = info->entry,
        .rsp = l.stack_start + PAGE_SIZE,
        .rsi = l.si_start,
        .cs = FLAT_KERNEL_CS,
        .ss = FLAT_KERNEL_SS,
        .rflags = X86_EFLAGS_IF | 0x2,
    };
    print_layout(d, b, info, &l, v->arch.guest_table);
    return 0;
}

static int build(const struct build_spec *b, struct domain **out)
{
    struct xen_elf_info info;
    struct pvboot_layout l;
    struct domain *d;
    char why[ELF_WHY_LEN];
    uint64_t nr_pages = b->mem_bytes >> PAGE_SHIFT;
    int rc;

    rc = elf_parse_xen(b->kernel, b->kernel_len, &info, why, sizeof(why));
    if (rc) {
        printk(KERN_ERR "%s: kernel image rejected: %s\n", b->name, why);
        return rc;
    }
    rc = pvboot_layout_plan(&l, &info, nr_pages, b->initrd_len, !b->privileged);
    if (rc == -ENOMEM) {
        printk(KERN_ERR "%s: %lu MiB is too little for a %lu MiB bootstrap region\n",
               b->name, b->mem_bytes >> 20, (l.v_end - l.v_start) >> 20);
        return rc;
    }
    if (rc) {
        printk(KERN_ERR "%s: kernel at %#lx leaves no room for its bootstrap region\n",
               b->name, info.virt_base);
        return rc;
    }

    rc = domain_create(b->id, b->privileged, b->nr_vcpus, &d);
    if (rc) {
        printk(KERN_ERR "%s: domain %u not created (%d)\n", b->name, b->id, rc);
        return rc;
    }
    strncpy(d->name, b->name, sizeof(d->name) - 1);
    if (b->weight)
        d->sched_weight = b->weight;
    d->sched_cap = b->cap;
    rc = fill(d, b, &info, &l);
    if (rc) {
        /*
         * Not left holding its id: the kill frees what it was given, and
         * with no other reference (boot: nothing has looked it up) the
         * reap lists it out at once, so the next guest may take the id.
         */
        domain_set_dying(d);
        domain_destroy(d);
        domain_reap();
        return rc;
    }
    *out = d;
    return 0;
}

int pv_build_domain(const struct build_spec *b, struct domain **out)
{
    struct unpacked u = { 0 };
    struct build_spec spec = *b;
    int rc = unpack_kernel(b, &u);

    if (rc)
        return rc;
    if (u.img) {
        spec.kernel = u.img;
        spec.kernel_len = u.len;
    }
    rc = build(&spec, out);
    unpacked_free(&u);
    return rc;
}
