/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/fuzz-env.c - what the hypercall fuzzer aims at: its
 * arenas and guard pages, the window of pages whose mappings it may
 * change, the pool of frames it may free, pin and scribble on, and the
 * value classes (frames, PTEs, pointers, addresses, domain ids, counts)
 * every generator in fuzz-gen.c draws from.
 *
 * The classes mix valid handles with wild ones on purpose, but never name
 * the kernel's own code, data or stacks as something to write, free or
 * remap: that would only kill the fuzzing guest (see fuzz-lib.h).
 */
#include "fuzz-lib.h"
#include "mm-lib.h"
#include "builder-lib.h"
#include <clock.h>
#include <public/grant_table.h>

struct fz_env fz;

#define ARENA_BYTES     (FZ_ARENA_PAGES * PAGE_SIZE)
/* The arena's last bytes: room for the longest multicall list, which ends
 * right at the guard page (fz_mc_list); fz_buf never hands them out. */
#define MC_TAIL         (FZ_MC_MAX * sizeof(struct multicall_entry))
#define BUF_BYTES       (ARENA_BYTES - MC_TAIL)

static uint8_t arenas[FZ_CPUS][FZ_ARENA_PAGES + 1][PAGE_SIZE] __attribute__((aligned(4096)));
/* 64 KiB aligned, so the window never straddles two L1 tables. */
static uint8_t window[FZ_WIN_PAGES + 1][PAGE_SIZE] __attribute__((aligned(65536)));
static volatile grant_entry_v1_t *gtab;
/* Each arena page's L1 entry (read through the table's read-only mapping)
 * and its value at init. */
static const volatile uint64_t *arena_l1e[FZ_CPUS][FZ_ARENA_PAGES];
static uint64_t arena_pte[FZ_CPUS][FZ_ARENA_PAGES];
static uint64_t m2p_frames[1];

static const char text[] = "fuzz: console_io\n";

static long unmap_page(uint64_t va)
{
    return HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG);
}

static long find_window_l1(void)
{
    struct mm_walk w;

    if (mm_walk(fz.win_va, &w) || w.level != 1)
        return -EINVAL;
    fz.l1_mfn = w.table[1];
    fz.win_l1e = (w.table[1] << 12) + 8 * pt_index(fz.win_va, 1);
    return 0;
}

static long find_arena_entries(void)
{
    for (unsigned int c = 0; c < FZ_CPUS; c++) {
        for (unsigned int i = 0; i < FZ_ARENA_PAGES; i++) {
            uint64_t va = (uint64_t)(uintptr_t)arenas[c][i];
            struct mm_walk w;

            if (mm_walk(va, &w) || w.level != 1)
                return -EINVAL;
            arena_l1e[c][i] = (const volatile uint64_t *)(uintptr_t)
                (VIRT_BASE + (M2P[w.table[1]] << 12) + 8 * pt_index(va, 1));
            arena_pte[c][i] = w.entry[1];
            if (*arena_l1e[c][i] != w.entry[1])
                return -EINVAL;
        }
    }
    return 0;
}

int fz_env_tables_mapped(unsigned int cpu)
{
    uint64_t va = (uint64_t)(uintptr_t)arena_l1e[cpu][0] & ~(PAGE_SIZE - 1);
    struct mmuext_op inv = { .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = va };

    /* Past the TLB: a cleared entry would only show at the next flush. */
    HYPERVISOR_mmuext_op(&inv, 1, NULL, DOMID_SELF);
    return TRY("movq (%0), %%rax", "r" (va)) == EXC_NONE;
}

unsigned int fz_env_arena_repair(unsigned int cpu)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < FZ_ARENA_PAGES; i++) {
        /* Accessed and dirty come and go; anything else is a remap. */
        if ((*arena_l1e[cpu][i] ^ arena_pte[cpu][i]) & ~(PTE_A | PTE_D)) {
            HYPERVISOR_update_va_mapping((uint64_t)(uintptr_t)arenas[cpu][i],
                                         arena_pte[cpu][i], UVMF_INVLPG);
            n++;
        }
    }
    return n;
}

/*
 * Our own frames outside the window, as the p2m had them at init: a call
 * must never be handed one (mapped writable in the window, a fuzzed write
 * lands in the kernel's data).  Not looked up through the M2P, which
 * MMU_MACHPHYS_UPDATE calls rewrite: with our M2P entry for fz's frame
 * scribbled, that check once let a random mfn map fz itself, and the
 * arena pointers in it were overwritten.
 */
#define KFRAMES_MAX     4096
static uint64_t kframes[KFRAMES_MAX];
static unsigned int nr_kframes;

static void find_kernel_frames(void)
{
    const uint64_t *p2m = (const uint64_t *)(uintptr_t)start_info->mfn_list;
    uint64_t win_pfn = (fz.win_va - VIRT_BASE) >> 12;

    for (uint64_t pfn = 0; pfn < start_info->nr_pages && nr_kframes < KFRAMES_MAX; pfn++)
        if (pfn < win_pfn || pfn >= win_pfn + FZ_WIN_PAGES)
            kframes[nr_kframes++] = p2m[pfn];
}

static int kernel_frame(uint64_t mfn)
{
    for (unsigned int i = 0; i < nr_kframes; i++)
        if (kframes[i] == mfn)
            return 1;
    return 0;
}

static long find_frames(void)
{
    struct xen_machphys_mfn_list l = { .max_extents = 1,
                                       .extent_start = HC_PTR(m2p_frames) };
    volatile grant_entry_v1_t *g = grant_table_self();
    long rc;

    if (!g)
        return -EFAULT;
    gtab = g;
    fz.gnt_mfn = pt_walk((uint64_t)(uintptr_t)g, NULL);
    fz.shinfo_mfn = start_info->shared_info >> 12;
    rc = HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &l);
    fz.xen_mfn = rc ? 1 : m2p_frames[0];
    rc = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
    if (rc <= 0)
        return rc ? rc : -EINVAL;
    fz.max_ram = (uint64_t)rc;
    return 0;
}

long fz_env_init(domid_t self)
{
    long rc;

    mm_begin();
    fz.self = self;
    fz.text = text;
    fz.pt_va = start_info->pt_base;
    fz.nr_pt = start_info->nr_pt_frames;
    fz.l4_mfn = mm_boot_l4();
    fz.win_va = (uint64_t)(uintptr_t)window;
    for (unsigned int c = 0; c < FZ_CPUS; c++) {
        fz.arena[c] = arenas[c][0];
        fz.guard_va[c] = (uint64_t)(uintptr_t)arenas[c][FZ_ARENA_PAGES];
    }
    fz.guard_va[FZ_CPUS] = (uint64_t)(uintptr_t)window[FZ_WIN_PAGES];
    /* Fault the pages in before their mappings are taken from us. */
    memset(arenas, 0, sizeof(arenas));
    memset(window, 0, sizeof(window));
    for (unsigned int i = 0; i <= FZ_CPUS; i++)
        if ((rc = unmap_page(fz.guard_va[i])))
            return rc;
    if ((rc = find_window_l1()) || (rc = find_frames()) || (rc = find_arena_entries()))
        return rc;
    if (start_info->nr_pages > KFRAMES_MAX)
        return -E2BIG;                  /* a fuzzing domU has 8 MiB */
    find_kernel_frames();
    for (unsigned int i = 0; i < FZ_WIN_PAGES; i++)
        fz.pool[fz.npool++] = virt_to_mfn(window[i]);
    /*
     * The window's last pages show shared_info and the hypercall page: as
     * pointers they are followed by the window's guard, not by kernel data
     * a long write could run into.  (The fuzzer never calls through the
     * hypercall page, so it may be overwritten.)
     */
    rc = HYPERVISOR_update_va_mapping(fz.win_va + PAGE_SIZE * (FZ_WIN_PAGES - 1),
                                      (fz.shinfo_mfn << 12) | PTE_RW_FLAGS, UVMF_INVLPG);
    rc = rc ?: HYPERVISOR_update_va_mapping(fz.win_va + PAGE_SIZE * (FZ_WIN_PAGES - 2),
                                            (virt_to_mfn(hypercall_page) << 12) | PTE_RW_FLAGS,
                                            UVMF_INVLPG);
    return rc;
}

/* One of the kernel's own frames (not the window's): never a target. */
void fz_env_harvest(const uint64_t *mfns, unsigned long n)
{
    static unsigned int next;

    /* The window's own frames stay; harvested ones take turns after them. */
    for (unsigned long i = 0; i < n && i < 8; i++) {
        unsigned int slot;

        /* An output the call did not write holds our inputs: no kernel frame. */
        if (kernel_frame(mfns[i]) || mfns[i] >= fz.max_ram)
            continue;
        slot = FZ_WIN_PAGES + next++ % (FZ_POOL_MAX - FZ_WIN_PAGES);
        fz.pool[slot] = mfns[i];
        if (fz.npool <= slot)
            fz.npool = slot + 1;
    }
}

static uint64_t pt_mfn(struct fz_rng *r)
{
    return virt_to_mfn((const void *)(uintptr_t)(fz.pt_va + PAGE_SIZE * fz_below(r, fz.nr_pt)));
}

/* A frame number; page tables only when 'pt' (the caller refuses them). */
static uint64_t mfn_of(struct fz_rng *r, int pt)
{
    static const uint64_t edge[] = { 0, 1, ~0UL, ~0UL >> 12, 1UL << 40, (1UL << 52) - 1,
                                     0x7fffffffUL, 0xffffffffUL };
    uint64_t k = fz_below(r, 100), m;

    if (k < 45)
        return fz.pool[fz_below(r, fz.npool)];
    if (k < 55 && pt)
        return fz_pct(r, 40) ? fz.l1_mfn : pt_mfn(r);
    if (k < 60)
        return fz.shinfo_mfn;
    if (k < 65)
        return fz.gnt_mfn;
    if (k < 70)
        return fz.xen_mfn;
    if (k < 75)
        return edge[fz_below(r, ARRAY_SIZE(edge))];
    if (k < 80)
        return fz.max_ram - fz_below(r, 2);
    m = k < 90 ? fz_below(r, fz.max_ram) : fz_below(r, 256);
    return kernel_frame(m) ? fz.pool[0] : m;
}

uint64_t fz_mfn(struct fz_rng *r)
{
    return mfn_of(r, 1);
}

uint64_t fz_pte(struct fz_rng *r)
{
    uint64_t k = fz_below(r, 100), f = 0;

    if (k < 4)
        return 0;
    if (k < 8)
        return fz_next(r);
    f |= fz_pct(r, 92) ? PTE_P : 0;
    f |= fz_pct(r, 50) ? PTE_RW : 0;
    f |= fz_pct(r, 75) ? PTE_US : 0;
    f |= fz_pct(r, 50) ? PTE_A | PTE_D : 0;
    f |= fz_pct(r, 5) ? PTE_PSE : 0;
    f |= fz_pct(r, 5) ? PTE_PWT | PTE_PCD : 0;
    f |= fz_pct(r, 5) ? PTE_G : 0;
    f |= fz_pct(r, 10) ? fz_below(r, 8) << 9 : 0;          /* software bits */
    f |= fz_pct(r, 3) ? fz_below(r, 2048) << 52 : 0;       /* reserved/avail */
    f |= fz_pct(r, 20) ? PTE_NX : 0;
    return (mfn_of(r, 1) << 12 & PTE_ADDR) | f;
}

/* Addresses outside the kernel: hypervisor, non-canonical, user, edges. */
static uint64_t wild_va(struct fz_rng *r)
{
    static const uint64_t va[] = {
        0, 0x1000, 0x400000, 0x7ffffffff000UL, 0x7ffffffffff8UL,
        0x0000800000000000UL, 0x8000000000000000UL, 0xffff7ffffffff000UL,
        0xffff800000000000UL, 0xffff82d080000000UL, 0xffff830000000000UL,
        0xffff87fffffff000UL, 0xfffffffffffff000UL, 0xfffffffffffffff8UL,
    };
    uint64_t k = fz_below(r, 10);

    if (k < 6)
        return va[fz_below(r, ARRAY_SIZE(va))] + (fz_pct(r, 30) ? 8 * fz_below(r, 512) : 0);
    if (k < 8)                          /* anywhere in the hypervisor's half */
        return 0xffff800000000000UL + (fz_next(r) & 0x7fffffffff8UL);
    return fz_next(r);
}

uint64_t fz_ptr(struct fz_rng *r, unsigned int cpu)
{
    uint64_t k = fz_below(r, 100), a = (uint64_t)(uintptr_t)fz.arena[cpu];

    if (k < 55)
        return a + (fz_pct(r, 85) ? 8 * fz_below(r, ARENA_BYTES / 8 - 64)
                                  : ARENA_BYTES - fz_below(r, 64));
    if (k < 62)
        return fz.win_va + fz_below(r, FZ_WIN_PAGES * PAGE_SIZE);
    if (k < 66)
        return fz.guard_va[fz_below(r, FZ_CPUS + 1)] + 8 * fz_below(r, 512);
    if (k < 70)                         /* shared_info, the hypercall page */
        return fz.win_va + PAGE_SIZE * (FZ_WIN_PAGES - 1 - fz_below(r, 2)) +
               8 * fz_below(r, 512);
    if (k < 74)                         /* our own page tables, read-only */
        return fz.pt_va + PAGE_SIZE * fz_below(r, fz.nr_pt) + 8 * fz_below(r, 512);
    if (k < 76)                         /* the M2P table, read-only */
        return MACH2PHYS_VIRT_START + 8 * fz_below(r, fz.max_ram);
    return wild_va(r);
}

uint64_t fz_va(struct fz_rng *r)
{
    uint64_t k = fz_below(r, 100);

    /* Never a guard page: remapped, it would no longer stop long writes. */
    if (k < 64)
        return fz.win_va + PAGE_SIZE * fz_below(r, FZ_WIN_PAGES) +
               (fz_pct(r, 10) ? fz_below(r, PAGE_SIZE) : 0);
    if (k < 70)
        return MACH2PHYS_VIRT_START + PAGE_SIZE * fz_below(r, 64);
    return wild_va(r);
}

uint64_t fz_maddr(struct fz_rng *r)
{
    uint64_t k = fz_below(r, 100);

    if (k < 45)
        return fz.win_l1e + 8 * fz_below(r, FZ_WIN_PAGES);
    if (k < 75)
        return (fz.pool[fz_below(r, fz.npool)] << 12) + 8 * fz_below(r, 512);
    if (k < 80)
        return fz_next(r);
    return (mfn_of(r, 0) << 12) + 8 * fz_below(r, 512) + (fz_pct(r, 5) ? 3 : 0);
}

uint64_t fz_dom(struct fz_rng *r)
{
    uint64_t k = fz_below(r, 100);

    if (k < 35)
        return DOMID_SELF;
    if (k < 55)
        return fz.self;
    if (k < 70)
        return 0;
    if (k < 80)
        return DOMID_IO + fz_below(r, 4);
    if (k < 90)
        return fz_below(r, 8);
    return fz_pct(r, 50) ? DOMID_IDLE : fz_below(r, 0x10000);
}

uint64_t fz_count(struct fz_rng *r, uint64_t small)
{
    static const uint64_t edge[] = { 0x7fffffffUL, 0x80000000UL, 0xffffffffUL,
                                     1UL << 32, ~0UL, 0x10000, 512, 513, 4096 };
    uint64_t k = fz_below(r, 100);

    if (k < 80)
        return 1 + fz_below(r, small);
    if (k < 85)
        return 0;
    return edge[fz_below(r, ARRAY_SIZE(edge))];
}

uint64_t fz_word(struct fz_rng *r, unsigned int cpu)
{
    uint64_t k = fz_below(r, 100);

    if (k < 25)
        return fz_below(r, 32);
    if (k < 45)
        return fz_ptr(r, cpu);
    if (k < 58)
        return fz_mfn(r);
    if (k < 62)
        return fz_pte(r);
    if (k < 72)
        return fz_dom(r);
    if (k < 82)
        return fz_count(r, 4096);
    if (k < 92)
        return fz_next(r);
    return (uint32_t)fz_next(r);
}

static size_t bump[FZ_CPUS];

void *fz_buf(struct fz_rng *r, unsigned int cpu, size_t len)
{
    uint64_t *p;

    len = (len + 7) & ~7UL;
    if (len > BUF_BYTES)
        len = BUF_BYTES;
    /* Calls take buffers in turn; when the arena runs out they overlap. */
    if (bump[cpu] + len > BUF_BYTES)
        bump[cpu] = 0;
    p = (uint64_t *)(fz.arena[cpu] + bump[cpu]);
    bump[cpu] += len;
    for (size_t i = 0; i < len / 8; i++)
        p[i] = fz_word(r, cpu);
    return p;
}

struct multicall_entry *fz_mc_list(unsigned int cpu, unsigned int n)
{
    if (n > FZ_MC_MAX)
        n = FZ_MC_MAX;
    return (struct multicall_entry *)(fz.arena[cpu] + ARENA_BYTES) - n;
}

uint64_t fz_unreadable(struct fz_rng *r)
{
    static const uint64_t va[] = {
        0, 0x1000, 0x7ffffffff000UL, 0x0000800000000000UL, 0x8000000000000000UL,
        0xffff830000000000UL, 0xffff87fffffff000UL,
    };

    if (fz_pct(r, 50))
        return fz.guard_va[fz_below(r, FZ_CPUS + 1)] + 8 * fz_below(r, 512);
    return va[fz_below(r, ARRAY_SIZE(va))] + 8 * fz_below(r, 512);
}

void fz_env_mutate_grants(struct fz_rng *r)
{
    static const uint16_t flags[] = {
        0, GTF_permit_access, GTF_permit_access | GTF_readonly, GTF_accept_transfer,
        GTF_permit_access | GTF_reading | GTF_writing, GTF_transfer_committed,
    };

    for (unsigned int n = fz_below(r, 4); n; n--) {
        unsigned int ref = fz_below(r, 32);

        gtab[ref].domid = fz_pct(r, 60) ? fz.self : (domid_t)fz_dom(r);
        gtab[ref].frame = (uint32_t)fz_mfn(r);
        gtab[ref].flags = fz_pct(r, 90) ? flags[fz_below(r, ARRAY_SIZE(flags))]
                                        : (uint16_t)fz_next(r);
    }
}
