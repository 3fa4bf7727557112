/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/descriptor-tables.c - PV guests' GDT and LDT: set_gdt,
 * update_descriptor, MMUEXT_SET_LDT, and the rules for descriptors.
 *
 * A vCPU's GDT is its own frames (typed "segment descriptor", so the
 * guest can no longer write them directly) mapped in the per-domain area,
 * followed by the hypervisor's reserved page with the flat selectors and
 * the TSS; unused guest pages map a page of zeroes.  The LDT is mapped the
 * same way and reached through the HV_LDT descriptor in the reserved page.
 *
 * Descriptor rules (64-bit PV): code and data segments are fine, with
 * their DPL raised to 3 (the guest kernel's ring); a call gate must target
 * a guest code selector and gets DPL 0 so that using it traps; every other
 * system descriptor is refused.  Not-present descriptors are harmless.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <mica/page.h>
#include <mica/paging.h>
#include <mica/frame-alloc.h>
#include <mica/heap.h>
#include <asm/config.h>
#include <asm/desc.h>
#include <asm/page.h>

#define GUEST_GDT_PAGES 14
#define MAX_LDT_ENTS    8192
#define MAP_FLAGS       (_PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

static mfn_t zero_mfn = INVALID_MFN;

/* Backs the unused part of every GDT; made once at boot, never freed. */
void descriptor_tables_init(void)
{
    if (!alloc_zeroed_frame(&zero_mfn))
        panic("no frame for the descriptor tables' zero page");
}

static mfn_t zero_page(void)
{
    ASSERT(zero_mfn != INVALID_MFN);
    return zero_mfn;
}

static void release_frames(mfn_t *frames, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++) {
        put_page_and_type(mfn_to_page(frames[i]));
        frames[i] = 0;
    }
}

/* Map the vCPU's GDT area: its frames, zero pages, then the reserved page. */
static void map_gdt(struct vcpu *v)
{
    struct domain *d = v->domain;
    uint64_t base = GDT_VIRT(v->vcpu_id);

    for (unsigned int i = 0; i < GUEST_GDT_PAGES; i++)
        perdomain_map(d, base + i * PAGE_SIZE,
                      i < v->arch.gdt_frames ? v->arch.gdt_mfn[i] : zero_page(),
                      i < v->arch.gdt_frames ? MAP_FLAGS : _PAGE_ACCESSED);
    /* The running CPU's own reserved page (its TSS descriptor is there). */
    perdomain_map(d, base + GUEST_GDT_PAGES * PAGE_SIZE,
                  __pa(gdt_reserved_page(smp_processor_id())) >> PAGE_SHIFT, MAP_FLAGS);
}

int pv_vcpu_gdt_init(struct vcpu *v)
{
    map_gdt(v);
    return 0;
}

long do_set_gdt(uint64_t frame_list, uint64_t entries)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    mfn_t frames[GUEST_GDT_PAGES];
    unsigned int n, i;
    int rc = 0;

    if (entries > FIRST_RESERVED_GDT_ENTRY)
        return -EINVAL;
    n = (entries + 511) / 512;
    if (copy_from_guest(frames, frame_list, n * sizeof(mfn_t)))
        return -EFAULT;
    for (i = 0; i < n; i++) {
        if (!mfn_valid(frames[i]) ||
            get_page_and_type(mfn_to_page(frames[i]), d, PGT_seg_desc)) {
            rc = -EINVAL;
            break;
        }
    }
    if (rc) {
        release_frames(frames, i);
        return rc;
    }
    release_frames(v->arch.gdt_mfn, v->arch.gdt_frames);
    memcpy(v->arch.gdt_mfn, frames, n * sizeof(mfn_t));
    v->arch.gdt_frames = n;
    v->arch.gdt_ents = entries;
    map_gdt(v);
    return 0;
}

long do_update_descriptor(uint64_t maddr, uint64_t desc)
{
    struct domain *d = current->domain;
    mfn_t mfn = maddr >> PAGE_SHIFT;
    struct page_info *pg;
    int rc = 0;

    if ((maddr & 7) || !mfn_valid(mfn) || !check_descriptor(&desc))
        return -EINVAL;
    pg = mfn_to_page(mfn);
    if (!get_page(pg, d))
        return -EINVAL;
    if (get_page_type_validated(pg, PGT_seg_desc)) {
        *(uint64_t *)__va(maddr) = desc;    /* already validated contents */
        put_page_type(pg);
    } else if (get_page_type(pg, PGT_writable) == 0) {
        *(uint64_t *)__va(maddr) = desc;
        put_page_type(pg);
    } else {
        rc = -EINVAL;                       /* a page table, say */
    }
    if (!rc)
        paging_mark_dirty(d, mfn);
    put_page(pg);
    return rc;
}

/* The frame mapped at guest virtual 'va' by the current tables, or INVALID_MFN. */
static mfn_t guest_va_to_mfn(uint64_t va)
{
    mfn_t l1 = guest_l1_table(current->arch.guest_table, va);
    pte_t e;
    mfn_t mfn;

    if (l1 == INVALID_MFN)
        return INVALID_MFN;
    e = ((pte_t *)__va(l1 << PAGE_SHIFT))[PT_INDEX(va, L1_SHIFT)];
    /* PSE in an L1 entry is PAT: such a mapping is not taken either. */
    if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE))
        return INVALID_MFN;
    mfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
    return mfn_valid(mfn) ? mfn : INVALID_MFN;
}

static void load_ldt(struct vcpu *v)
{
    uint64_t *gdt = gdt_reserved_page(smp_processor_id());
    unsigned int i = ((HV_LDT >> 3) - FIRST_RESERVED_GDT_ENTRY);
    uint64_t base = LDT_VIRT(v->vcpu_id), limit = v->arch.ldt_ents * 8 - 1;

    if (!v->arch.ldt_ents) {
        asm volatile("lldt %w0" :: "r"(0));
        return;
    }
    gdt[i] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x82UL << 40) |
             (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[i + 1] = base >> 32;
    asm volatile("lldt %w0" :: "r"(HV_LDT));
}

/*
 * MMUEXT_SET_LDT: the LDT's frames are found through the guest's tables
 * now and mapped eagerly (Xen maps them on first use; Linux always has
 * them mapped when it asks, so the difference is invisible to it).
 */
int set_ldt(struct vcpu *v, uint64_t base, uint32_t ents)
{
    struct domain *d = v->domain;
    mfn_t frames[MAX_LDT_ENTS * 8 / PAGE_SIZE];
    unsigned int n = (ents * 8 + PAGE_SIZE - 1) / PAGE_SIZE, i;

    if ((base & (PAGE_SIZE - 1)) || ents > MAX_LDT_ENTS ||
        !guest_range_ok(base, (uint64_t)ents * 8))
        return -EINVAL;
    for (i = 0; i < n; i++) {
        frames[i] = guest_va_to_mfn(base + i * PAGE_SIZE);
        if (frames[i] == INVALID_MFN ||
            get_page_and_type(mfn_to_page(frames[i]), d, PGT_seg_desc))
            break;
    }
    if (i < n) {
        release_frames(frames, i);
        return -EINVAL;
    }
    release_frames(v->arch.ldt_mfn, v->arch.ldt_frames);
    for (i = 0; i < ARRAY_SIZE(frames); i++)
        perdomain_map(d, LDT_VIRT(v->vcpu_id) + i * PAGE_SIZE,
                      i < n ? frames[i] : INVALID_MFN, MAP_FLAGS);
    memcpy(v->arch.ldt_mfn, frames, n * sizeof(mfn_t));
    v->arch.ldt_frames = n;
    v->arch.ldt_ents = ents;
    load_ldt(v);
    return 0;
}

/* Activate the vCPU's descriptor tables on this CPU (vCPU switch-in). */
void pv_load_descriptor_tables(struct vcpu *v)
{
    map_gdt(v);             /* the vCPU may have moved to this CPU */
    load_gdt(GDT_VIRT(v->vcpu_id));
    load_ldt(v);
}

/* Drop the frames a dying vCPU holds as descriptor tables. */
void pv_release_descriptor_tables(struct vcpu *v)
{
    release_frames(v->arch.gdt_mfn, v->arch.gdt_frames);
    release_frames(v->arch.ldt_mfn, v->arch.ldt_frames);
    v->arch.gdt_frames = v->arch.ldt_frames = 0;
}
