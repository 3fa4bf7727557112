/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/mm-lib.c - spare frames, scratch mappings, pins and
 * page-table walks for the memory-management tests.
 *
 * Spare frames come from the top of the p2m: the domain builder maps only
 * the bootstrap region (a few MiB at the bottom of the pfn space), so the
 * last pfns are RAM that nothing maps.  Scratch mappings reuse a few pages
 * of this file's .bss: their L1 entries exist already, so update_va_mapping
 * can point them anywhere and mm_unmap() puts the original frame back.
 */
#include "mm-lib.h"
#include <public/version.h>

#define MM_POOL_MAX     384
#define MM_MAX_PINS     64

enum { POOL_FREE, POOL_USED, POOL_BAD };

static uint8_t slot_pages[MM_NR_SLOTS][PAGE_SIZE]
    __attribute__((aligned(4096)));
static uint64_t slot_orig[MM_NR_SLOTS];     /* PTE to restore */

static uint8_t pool_state[MM_POOL_MAX];
static unsigned int pool_size;

static uint64_t pins[MM_MAX_PINS];
static unsigned int nr_pins;
static int base_changed, gdt_set, ldt_set;
static int inited;
static uint64_t region_pfns;                /* pfns mapped by the builder */

static uint64_t *p2m(void)
{
    return (uint64_t *)(uintptr_t)start_info->mfn_list;
}

uint64_t mm_slot_va(int slot)
{
    return (uint64_t)(uintptr_t)slot_pages[slot];
}

uint64_t mm_boot_l4(void)
{
    return virt_to_mfn((void *)(uintptr_t)start_info->pt_base);
}

/* Our own VA of a frame if the builder mapped it, else NULL. */
static const volatile uint64_t *direct_va(uint64_t mfn)
{
    uint64_t pfn;

    if (mfn >= (1UL << 40))
        return NULL;
    pfn = M2P[mfn];
    if (pfn >= region_pfns || p2m()[pfn] != mfn)
        return NULL;
    return (const volatile uint64_t *)(VIRT_BASE + (pfn << 12));
}

static long uvm(uint64_t va, uint64_t pte)
{
    return HYPERVISOR_update_va_mapping(va, pte, UVMF_INVLPG | UVMF_LOCAL);
}

long mm_map_rc(int slot, uint64_t mfn, uint64_t flags)
{
    return uvm(mm_slot_va(slot), mfn_to_pte(mfn, flags));
}

void *mm_map(int slot, uint64_t mfn, uint64_t flags)
{
    long rc = mm_map_rc(slot, mfn, flags);

    if (rc) {
        test_fail("mapping mfn %#lx (flags %#lx) at slot %d: %ld",
                  mfn, flags, slot, rc);
        return NULL;
    }
    return slot_pages[slot];
}

void mm_unmap(int slot)
{
    long rc = uvm(mm_slot_va(slot), slot_orig[slot]);

    if (rc)
        panic("mm: cannot restore scratch slot %d: %ld", slot, rc);
}

uint64_t mm_peek(uint64_t mfn, unsigned int idx)
{
    const volatile uint64_t *p = direct_va(mfn);
    uint64_t v;

    if (p)
        return p[idx];
    p = mm_map(MM_SLOT_PEEK, mfn, PTE_RO_FLAGS);
    if (!p)
        test_abort();
    v = p[idx];
    mm_unmap(MM_SLOT_PEEK);
    return v;
}

void mm_poke(uint64_t mfn, unsigned int idx, uint64_t val)
{
    volatile uint64_t *p = mm_map(MM_SLOT_D, mfn, PTE_RW_FLAGS);

    if (!p)
        test_abort();
    p[idx] = val;
    mm_unmap(MM_SLOT_D);
}

void mm_fill(uint64_t mfn, const uint64_t ents[512])
{
    uint64_t *p = mm_map(MM_SLOT_D, mfn, PTE_RW_FLAGS);

    if (!p)
        test_abort();
    memcpy(p, ents, PAGE_SIZE);
    mm_unmap(MM_SLOT_D);
}

int mm_walk(uint64_t va, struct mm_walk *w)
{
    uint64_t table = mm_boot_l4();
    int lvl;

    memset(w, 0, sizeof(*w));
    for (lvl = 4; lvl >= 1; lvl--) {
        uint64_t e = mm_peek(table, pt_index(va, lvl));

        w->table[lvl] = table;
        w->entry[lvl] = e;
        w->level = lvl;
        if (!(e & PTE_P))
            return -1;
        table = (e & PTE_ADDR) >> 12;
    }
    return 0;
}

uint64_t mm_slot_pte_maddr(int slot)
{
    struct mm_walk w;

    if (mm_walk(mm_slot_va(slot), &w))
        panic("mm: scratch slot %d has no L1 entry", slot);
    return (w.table[1] << 12) + 8 * pt_index(mm_slot_va(slot), 1);
}

void mm_copy_guest_l4(uint64_t ents[512])
{
    const volatile uint64_t *l4 =
        (const volatile uint64_t *)(uintptr_t)start_info->pt_base;
    unsigned int i;

    for (i = 0; i < 512; i++)
        ents[i] = (i >= L4_XEN_FIRST && i <= L4_XEN_LAST) ? 0 : l4[i];
}

long mm_ext(unsigned int cmd, uint64_t arg1, uint64_t arg2)
{
    struct mmuext_op op = { .cmd = cmd };

    op.arg1.mfn = arg1;
    op.arg2.src_mfn = arg2;
    if (cmd == MMUEXT_SET_LDT)
        ldt_set = 1;
    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

long mm_pin(int level, uint64_t mfn)
{
    long rc = mm_ext(MMUEXT_PIN_L1_TABLE + (unsigned int)(level - 1), mfn, 0);

    if (rc == 0 && nr_pins < MM_MAX_PINS)
        pins[nr_pins++] = mfn;
    return rc;
}

long mm_unpin(uint64_t mfn)
{
    long rc = mm_ext(MMUEXT_UNPIN_TABLE, mfn, 0);
    unsigned int i;

    for (i = 0; i < nr_pins; i++)
        if (pins[i] == mfn) {
            pins[i] = pins[--nr_pins];
            break;
        }
    return rc;
}

long mm_set_base(uint64_t l4_mfn)
{
    base_changed = 1;
    return mm_ext(MMUEXT_NEW_BASEPTR, l4_mfn, 0);
}

long mm_pt_write(uint64_t ptr, uint64_t val)
{
    struct mmu_update u = { .ptr = ptr, .val = val };

    return HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);
}

long mm_set_gdt_tracked(const unsigned long *frames, unsigned int n)
{
    gdt_set = 1;
    return mm_set_gdt(frames, n);
}

static uint64_t pool_pfn(unsigned int i)
{
    return start_info->nr_pages - 1 - i;
}

uint64_t mm_pfn_of(uint64_t mfn)
{
    unsigned int i;

    for (i = 0; i < pool_size; i++)
        if (p2m()[pool_pfn(i)] == mfn)
            return pool_pfn(i);
    panic("mm: mfn %#lx is not a spare frame", mfn);
}

uint64_t mm_alloc(void)
{
    unsigned int i;

    for (i = 0; i < pool_size; i++) {
        uint64_t mfn = p2m()[pool_pfn(i)];
        void *p;

        if (pool_state[i] != POOL_FREE)
            continue;
        pool_state[i] = POOL_USED;
        if (mfn == M2P_INVALID || mm_map_rc(MM_SLOT_D, mfn, PTE_RW_FLAGS)) {
            pool_state[i] = POOL_BAD;
            continue;
        }
        p = slot_pages[MM_SLOT_D];
        memset(p, 0, PAGE_SIZE);
        mm_unmap(MM_SLOT_D);
        return mfn;
    }
    test_fail("mm: out of spare frames");
    test_abort();
}

uint64_t mm_xen_frame(void)
{
    static uint64_t m2p_frames[4];
    struct xen_machphys_mfn_list l = {
        .max_extents = ARRAY_SIZE(m2p_frames),
        .extent_start = (uint64_t)(uintptr_t)m2p_frames,
    };
    long rc = HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &l);

    if (rc || l.nr_extents == 0) {
        test_fail("XENMEM_machphys_mfn_list: %ld, %u extents", rc,
                  l.nr_extents);
        test_abort();
    }
    return m2p_frames[0];
}

int mm_on_mica(void)
{
    char extra[XEN_EXTRAVERSION_LEN + 1];

    memset(extra, 0, sizeof(extra));
    if (HYPERVISOR_xen_version(XENVER_extraversion, extra) < 0)
        return 0;
    return strstr(extra, "mica") != NULL;
}

void mm_check_healthy(void)
{
    uint64_t mfn = mm_alloc();
    volatile uint64_t *p = mm_map(MM_SLOT_D, mfn, PTE_RW_FLAGS);

    if (!p)
        return;
    p[7] = 0x5a5aa5a5UL;
    CHECK_EQ(p[7], 0x5a5aa5a5UL, "health check: write to a fresh frame");
    mm_unmap(MM_SLOT_D);
    CHECK(HYPERVISOR_xen_version(0, NULL) > 0, "health check: xen_version");
}

static void mm_init(void)
{
    unsigned int i;

    /* Everything up to the boot stack was mapped by the builder. */
    region_pfns = ((start_info->pt_base - VIRT_BASE) >> 12) +
                  start_info->nr_pt_frames + 1;
    for (i = 0; i < MM_NR_SLOTS; i++) {
        struct mm_walk w;

        if (mm_walk(mm_slot_va(i), &w))
            panic("mm: scratch page %d is not mapped", i);
        slot_orig[i] = (w.entry[1] & PTE_ADDR) | PTE_RW_FLAGS;
    }
    pool_size = MM_POOL_MAX;
    if (start_info->nr_pages - region_pfns < 2 * MM_POOL_MAX)
        panic("mm: too little memory for spare frames");
    inited = 1;
}

void mm_begin(void)
{
    unsigned int i;

    if (!inited) {
        mm_init();
        return;
    }
    if (base_changed) {
        if (mm_ext(MMUEXT_NEW_BASEPTR, mm_boot_l4(), 0))
            panic("mm: cannot switch back to the boot L4");
        base_changed = 0;
    }
    if (gdt_set) {
        mm_set_gdt(NULL, 0);
        gdt_set = 0;
    }
    if (ldt_set) {
        mm_ext(MMUEXT_SET_LDT, 0, 0);
        ldt_set = 0;
    }
    /* Tests may also move a slot with mmu_update: restore them all. */
    for (i = 0; i < MM_NR_SLOTS; i++)
        mm_unmap(i);
    while (nr_pins)
        mm_unpin(pins[nr_pins - 1]);
    /* Frames that map writable again are plain pages: reuse them. */
    for (i = 0; i < pool_size; i++) {
        uint64_t mfn = p2m()[pool_pfn(i)];

        if (pool_state[i] != POOL_USED)
            continue;
        if (mfn != M2P_INVALID && !mm_map_rc(MM_SLOT_D, mfn, PTE_RW_FLAGS)) {
            mm_unmap(MM_SLOT_D);
            pool_state[i] = POOL_FREE;
        } else {
            pool_state[i] = POOL_BAD;
        }
    }
}
