/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/builder-lib.c - builds a PV domain from a kernel image
 * the way a dom0 toolstack does (see builder-lib.h for the steps).
 *
 * The image is read and the bootstrap region planned by lib/ (the same
 * parser, plan and page tables as the hypervisor's dom0 builder and
 * libmica's): the kernel image, the p2m list, the start_info page, the
 * xenstore and console rings, the page tables (mapped read-only), one
 * page of boot stack.  Memory past the region is unmapped.
 */
#include "ctl-lib.h"
#include <pvboot/elf.h>
#include <pvboot/layout.h>
#include <public/event_channel.h>
#include <public/memory.h>
#include "builder-lib.h"

/* The new domain's p2m: pfn -> mfn, as populate_physmap returned it. */
static uint64_t p2m[DOMB_MAX_PAGES];

static int fail(struct dom_build *b, int rc, const char *step)
{
    snprintf(b->why, sizeof(b->why), "%s: %d", step, rc);
    return rc;
}

static unsigned long span(uint64_t s, uint64_t e, unsigned int shift)
{
    return ((e - 1) >> shift) - (s >> shift) + 1;
}

static uint64_t pfn_of(const struct pvboot_layout *l, uint64_t va)
{
    return pvboot_layout_pfn(l, va);
}

/*
 * Copy 'len' bytes of 'src' (NULL: zeroes) to the new domain's virtual
 * 'va', FMAP_MAX pages at a time through the foreign window.
 */
static long put(domid_t dom, const struct pvboot_layout *l, uint64_t va,
                const uint8_t *src, uint64_t len)
{
    while (len) {
        uint64_t first = va & ~(PAGE_SIZE - 1);
        unsigned int n = span(va, va + len, 12) > FMAP_MAX ? FMAP_MAX
                                                          : span(va, va + len, 12);
        uint64_t chunk = first + n * PAGE_SIZE - va;
        uint8_t *w;
        long rc;

        if (chunk > len)
            chunk = len;
        w = fmap(dom, &p2m[pfn_of(l, first)], n, &rc);
        if (!w)
            return rc;
        if (src)
            memcpy(w + (va - first), src, chunk);
        else
            memset(w + (va - first), 0, chunk);
        funmap();
        va += chunk;
        len -= chunk;
        if (src)
            src += chunk;
    }
    return 0;
}

static uint64_t p2m_mfn(void *ctx, uint64_t pfn)
{
    (void)ctx;
    return p2m[pfn];
}

/* lib/'s entries land in the window: table k is its page k. */
static void window_pte(void *ctx, unsigned int table, unsigned int slot,
                       uint64_t pte)
{
    uint64_t *t = ctx;

    t[512 * table + slot] = pte;
}

/*
 * Fill the page-table pages through the window: every page of the region
 * mapped writable except the tables themselves, which must be read-only
 * to be pinned.  They are unmapped from us again before the pin.
 */
static long build_tables(domid_t dom, const struct pvboot_layout *l)
{
    uint64_t *t;
    long rc = 0;

    if (l->nr_pt > FMAP_MAX)
        return -E2BIG;
    t = fmap(dom, &p2m[pfn_of(l, l->pt_start)], l->nr_pt, &rc);
    if (!t)
        return rc;
    memset(t, 0, l->nr_pt * PAGE_SIZE);
    rc = pvboot_layout_tables(l, p2m_mfn, window_pte, t);
    funmap();
    return rc;
}

uint64_t dom_p2m(uint64_t pfn)
{
    return pfn < DOMB_MAX_PAGES ? p2m[pfn] : ~0UL;
}

static long domctl_simple(uint32_t cmd, domid_t dom)
{
    struct xen_domctl op = { 0 };

    return domctl(&op, cmd, dom);
}

long dom_unpause(domid_t dom)
{
    return domctl_simple(XEN_DOMCTL_unpausedomain, dom);
}

long dom_destroy(domid_t dom)
{
    return domctl_simple(XEN_DOMCTL_destroydomain, dom);
}

static long create(struct dom_build *b)
{
    struct xen_domctl op = { 0 };
    uint32_t vcpus = b->max_vcpus ? b->max_vcpus : 1;
    long rc;

    if ((rc = domctl_create_pv(vcpus, &b->domid)))
        return rc;
    op.u.max_vcpus.max = vcpus;
    if ((rc = domctl(&op, XEN_DOMCTL_max_vcpus, b->domid)))
        return rc;
    op.u.max_mem.max_memkb = b->nr_pages * 4;
    return domctl(&op, XEN_DOMCTL_max_mem, b->domid);
}

/* All of its memory at once; populate_physmap turns pfns into mfns. */
static long populate(struct dom_build *b)
{
    struct xen_memory_reservation r = {
        .extent_start = HC_PTR(p2m), .nr_extents = b->nr_pages,
        .extent_order = 0, .domid = b->domid,
    };
    long done;

    for (uint64_t pfn = 0; pfn < b->nr_pages; pfn++)
        p2m[pfn] = pfn;
    done = HYPERVISOR_memory_op(XENMEM_populate_physmap, &r);
    if (done < 0)
        return done;
    return (uint64_t)done == b->nr_pages ? 0 : -ENOMEM;
}

static long load_kernel(struct dom_build *b, const struct pvboot_layout *l,
                        const struct xen_elf_info *elf)
{
    struct elf_segment s;
    long rc = 0;

    for (unsigned int i = 0; !rc && !elf_load_segment(b->kernel, b->kernel_len,
                                                      elf, i, &s); i++) {
        rc = put(b->domid, l, s.dest, (const uint8_t *)b->kernel + s.offset, s.filesz);
        if (!rc && s.memsz > s.filesz)
            rc = put(b->domid, l, s.dest + s.filesz, NULL, s.memsz - s.filesz);
    }
    return rc;
}

/* Two unbound ports in the new domain for dom0's xenstore and console. */
static long alloc_ports(struct dom_build *b)
{
    struct evtchn_alloc_unbound a = { .dom = b->domid, .remote_dom = 0 };
    long rc;

    if ((rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a)))
        return rc;
    b->store_port = a.port;
    if ((rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a)))
        return rc;
    b->console_port = a.port;
    return 0;
}

/*
 * As libxc does: the new domain's shared_info cleared, with events masked
 * on every vCPU (Xen leaves that to the toolstack; the guest unmasks once
 * its callbacks are in place).  Mapped like any frame of the domain.
 */
static long init_shared_info(domid_t dom, uint64_t frame)
{
    shared_info_t *s;
    long rc;

    s = fmap(dom, &frame, 1, &rc);
    if (!s)
        return rc;
    memset(s, 0, PAGE_SIZE);
    for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
        s->vcpu_info[i].evtchn_upcall_mask = 1;
    return funmap();
}

static long write_start_info(struct dom_build *b, const struct pvboot_layout *l)
{
    static start_info_t si;
    struct xen_domctl_getdomaininfo info;
    long rc;

    if ((rc = domctl_info(b->domid, &info)) ||
        (rc = init_shared_info(b->domid, info.shared_info_frame)))
        return rc;
    memset(&si, 0, sizeof(si));
    memcpy(si.magic, "xen-3.0-x86_64", 15);
    si.nr_pages = b->nr_pages;
    si.shared_info = info.shared_info_frame << 12;
    si.flags = 0;
    si.store_mfn = b->store_mfn = p2m[pfn_of(l, l->store_start)];
    si.store_evtchn = b->store_port;
    si.console.domU.mfn = b->console_mfn = p2m[pfn_of(l, l->console_start)];
    si.console.domU.evtchn = b->console_port;
    si.pt_base = l->pt_start;
    si.nr_pt_frames = l->nr_pt;
    si.mfn_list = l->p2m_start;
    for (unsigned int i = 0; i < MAX_GUEST_CMDLINE - 1 && b->cmdline[i]; i++)
        si.cmd_line[i] = b->cmdline[i];
    return put(b->domid, l, l->si_start, (const uint8_t *)&si, sizeof(si));
}

static long init_hypercall_page(struct dom_build *b, const struct pvboot_layout *l,
                           const struct xen_elf_info *elf)
{
    struct xen_domctl op = { 0 };

    if (!elf->has_hypercall_page)
        return 0;
    op.u.hypercall_init.gmfn = p2m[pfn_of(l, elf->hypercall_page)];
    return domctl(&op, XEN_DOMCTL_hypercall_init, b->domid);
}

/* Pin the L4 on the new domain's behalf: mmuext_op with foreigndom. */
static long pin_l4(struct dom_build *b, const struct pvboot_layout *l)
{
    struct mmuext_op op = { .cmd = MMUEXT_PIN_L4_TABLE };
    unsigned int done = 0;
    long rc;

    op.arg1.mfn = p2m[pfn_of(l, l->pt_start)];
    rc = HYPERVISOR_mmuext_op(&op, 1, &done, b->domid);
    return rc ? rc : done == 1 ? 0 : -EIO;
}

static long set_context(struct dom_build *b, const struct pvboot_layout *l)
{
    static struct vcpu_guest_context ctxt;
    struct xen_domctl op = { 0 };

    memset(&ctxt, 0, sizeof(ctxt));
    ctxt.flags = VGCF_in_kernel | VGCF_online;
    ctxt.user_regs.rip = b->entry;
    ctxt.user_regs.rsp = l->stack_start + PAGE_SIZE;
    ctxt.user_regs.rsi = l->si_start;
    ctxt.user_regs.cs = FLAT_KERNEL_CS;
    ctxt.user_regs.ss = ctxt.user_regs.ds = ctxt.user_regs.es = FLAT_KERNEL_SS;
    ctxt.user_regs.rflags = 1UL << 9;       /* interrupts (events) on */
    ctxt.kernel_ss = FLAT_KERNEL_SS;
    ctxt.kernel_sp = l->stack_start + PAGE_SIZE;
    ctxt.ctrlreg[3] = p2m[pfn_of(l, l->pt_start)] << 12;
    op.u.vcpucontext.vcpu = 0;
    op.u.vcpucontext.ctxt = HC_PTR(&ctxt);
    return domctl(&op, XEN_DOMCTL_setvcpucontext, b->domid);
}

int dom_create(struct dom_build *b)
{
    long rc;

    struct xen_elf_info elf;
    struct pvboot_layout l;

    b->domid = 0;
    b->why[0] = '\0';
    /* A bad image or too little memory is refused before anything exists. */
    if (elf_parse_xen(b->kernel, b->kernel_len, &elf, b->why, sizeof(b->why)))
        return -EINVAL;
    if (b->nr_pages > DOMB_MAX_PAGES)
        return fail(b, -E2BIG, "more memory than the builder's p2m holds");
    if (pvboot_layout_plan(&l, &elf, b->nr_pages, 0, true))
        return fail(b, -ENOMEM, "memory too small for the bootstrap region");
    if ((rc = create(b))) {
        if (b->domid)
            dom_destroy(b->domid);
        b->domid = 0;
        return fail(b, (int)rc, "createdomain/max_vcpus/max_mem");
    }
    return 0;
}

int dom_load(struct dom_build *b)
{
    struct xen_elf_info elf;
    struct pvboot_layout l;
    long rc;

    if (elf_parse_xen(b->kernel, b->kernel_len, &elf, b->why, sizeof(b->why))) {
        rc = -EINVAL;
        goto out;
    }
    if (pvboot_layout_plan(&l, &elf, b->nr_pages, 0, true)) {
        snprintf(b->why, sizeof(b->why), "memory too small for the bootstrap region");
        rc = -ENOMEM;
        goto out;
    }
    b->entry = elf.entry;
    b->si_va = l.si_start;
    b->pt_base = l.pt_start;
    snprintf(b->why, sizeof(b->why), "populate_physmap");
    if ((rc = populate(b)))
        goto out;
    snprintf(b->why, sizeof(b->why), "loading the image");
    if ((rc = load_kernel(b, &l, &elf)) ||
        (rc = put(b->domid, &l, l.p2m_start, (const uint8_t *)p2m, b->nr_pages * 8)) ||
        (rc = put(b->domid, &l, l.store_start, NULL, 2 * PAGE_SIZE)))
        goto out;
    snprintf(b->why, sizeof(b->why), "start_info");
    if ((rc = alloc_ports(b)) || (rc = write_start_info(b, &l)))
        goto out;
    snprintf(b->why, sizeof(b->why), "page tables");
    if ((rc = build_tables(b->domid, &l)))
        goto out;
    snprintf(b->why, sizeof(b->why), "hypercall_init");
    if ((rc = init_hypercall_page(b, &l, &elf)))
        goto out;
    snprintf(b->why, sizeof(b->why), "pinning the L4");
    if ((rc = pin_l4(b, &l)))
        goto out;
    snprintf(b->why, sizeof(b->why), "setvcpucontext");
    rc = set_context(b, &l);
out:
    if (rc) {
        char step[sizeof(b->why)];

        memcpy(step, b->why, sizeof(step));
        snprintf(b->why, sizeof(b->why), "%s: %ld", step, rc);
        dom_destroy(b->domid);
        b->domid = 0;
        return (int)rc;
    }
    b->why[0] = '\0';
    return 0;
}

int dom_build(struct dom_build *b)
{
    int rc = dom_create(b);

    return rc ? rc : dom_load(b);
}
