/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/mm-memory-op.c - HYPERVISOR_memory_op: reservation
 * queries and changes, the M2P's location and frames, memory maps, and
 * the read-only M2P table itself.
 */
#include "mm-lib.h"

static long reservation(unsigned int cmd)
{
    domid_t self = DOMID_SELF;

    return HYPERVISOR_memory_op(cmd, &self);
}

static long resv_op(unsigned int cmd, uint64_t *frames, unsigned long n)
{
    struct xen_memory_reservation r = {
        .extent_start = (uint64_t)(uintptr_t)frames,
        .nr_extents = n,
        .extent_order = 0,
        .domid = DOMID_SELF,
    };

    return HYPERVISOR_memory_op(cmd, &r);
}

TEST(reservation_queries, "mm/memory_op_reservation")
{
    long cur = reservation(XENMEM_current_reservation);
    long max = reservation(XENMEM_maximum_reservation);
    long top = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
    uint64_t pfn, highest = 0;

    test_note("current %ld, maximum %ld, maximum_ram_page %#lx",
              cur, max, top);
    CHECK_EQ(cur, start_info->nr_pages, "current_reservation = nr_pages");
    /*
     * "dom0_mem=64M" sets no "max:", and Xen then leaves dom0's limit at
     * its ceiling, UINT_MAX (pv/dom0_build.c), which is what it reports.
     */
    CHECK_EQ(max, 0xffffffffL, "maximum_reservation of dom0 without max:");
    for (pfn = 0; pfn < start_info->nr_pages; pfn++) {
        uint64_t mfn = ((uint64_t *)(uintptr_t)start_info->mfn_list)[pfn];

        if (mfn != M2P_INVALID && mfn > highest)
            highest = mfn;
    }
    CHECK(top > 0 && (uint64_t)top >= highest,
          "maximum_ram_page %#lx below our frame %#lx", top, highest);
    MM_RC(HYPERVISOR_memory_op(XENMEM_current_reservation, (void *)0x1000),
          -EFAULT, "current_reservation with an unreadable domid");
}

TEST(machphys_mapping, "mm/memory_op_machphys")
{
    static uint64_t frames[64];
    struct xen_machphys_mapping m;
    struct xen_machphys_mfn_list l = {
        .max_extents = ARRAY_SIZE(frames),
        .extent_start = (uint64_t)(uintptr_t)frames,
    };
    long top = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);

    memset(&m, 0, sizeof(m));
    MM_RC(HYPERVISOR_memory_op(XENMEM_machphys_mapping, &m), 0,
          "machphys_mapping");
    CHECK_EQ(m.v_start, MACH2PHYS_VIRT_START, "v_start");
    CHECK(m.v_end > m.v_start && m.v_end <= MACH2PHYS_VIRT_END,
          "v_end %#lx", m.v_end);
    CHECK(m.max_mfn + 1 >= (uint64_t)top, "max_mfn %#lx, max ram page %#lx",
          m.max_mfn, top);
    MM_RC(HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &l), 0,
          "machphys_mfn_list");
    /* One frame per 2 MiB of table, covering at least our frames. */
    CHECK(l.nr_extents >= 1 && l.nr_extents <= ARRAY_SIZE(frames),
          "%u extents", l.nr_extents);
    CHECK((uint64_t)l.nr_extents * (2UL << 20) / 8 >= (uint64_t)top,
          "%u extents do not cover frame %#lx", l.nr_extents, top);
}

static int e820_ram(const struct xen_e820_entry *e, unsigned int n,
                    uint64_t *ram)
{
    unsigned int i;

    *ram = 0;
    for (i = 0; i < n; i++)
        if (e[i].type == 1)
            *ram += e[i].size;
    return n > 0;
}

TEST(memory_maps, "mm/memory_op_memory_map")
{
    static struct xen_e820_entry e[64];
    struct xen_memory_map map = {
        .nr_entries = ARRAY_SIZE(e), .buffer = (uint64_t)(uintptr_t)e,
    };
    uint64_t ram;
    long rc;

    /* dom0 sees the host's map, and its own pseudo-physical one. */
    MM_RC(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map), 0,
          "machine_memory_map");
    CHECK(e820_ram(e, map.nr_entries, &ram), "empty machine map");
    CHECK(ram >= (start_info->nr_pages << 12), "host RAM %#lx", ram);
    test_note("machine map: %u entries, %lu MiB RAM", map.nr_entries,
              ram >> 20);
    map.nr_entries = ARRAY_SIZE(e);
    rc = HYPERVISOR_memory_op(XENMEM_memory_map, &map);
    /*
     * Xen keeps no pseudo-physical map for a PV dom0 (Linux then uses the
     * machine map): -ENOSYS.
     */
    MM_RC(rc, -ENOSYS, "memory_map of dom0");
    if (rc == 0)
        test_note("memory map: %u entries", map.nr_entries);
    map.nr_entries = ARRAY_SIZE(e);
    map.buffer = 0x1000;
    MM_RC(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map), -EFAULT,
          "machine_memory_map into an unwritable buffer");
}

static long set_map(domid_t domid, const struct xen_e820_entry *e, uint32_t n)
{
    struct xen_foreign_memory_map f = {
        .domid = domid, .map = { .nr_entries = n, .buffer = (uint64_t)(uintptr_t)e },
    };

    return HYPERVISOR_memory_op(XENMEM_set_memory_map, &f);
}

/*
 * A map longer than 8 entries, as Xen takes up to E820MAX (1024): a
 * 300-entry map comes back whole, in order, and cut to the room given;
 * then 1024 entries are taken too.
 */
#define LONG_MAP        300

static void long_map(void)
{
    static struct xen_e820_entry big[1024], back[LONG_MAP + 1];
    struct xen_memory_map map = { .nr_entries = ARRAY_SIZE(back),
                                  .buffer = (uint64_t)(uintptr_t)back };
    unsigned int bad = 0;

    for (unsigned int i = 0; i < ARRAY_SIZE(big); i++)
        big[i] = (struct xen_e820_entry){ (uint64_t)i << 21, 1UL << 20, 1 + i % 4 };
    MM_RC(set_map(DOMID_SELF, big, LONG_MAP), 0, "set_memory_map of 300 entries");
    memset(back, 0, sizeof(back));
    MM_RC(HYPERVISOR_memory_op(XENMEM_memory_map, &map), 0, "memory_map of 300");
    CHECK_EQ(map.nr_entries, LONG_MAP, "entries back");
    for (unsigned int i = 0; i < LONG_MAP; i++)
        bad += !!memcmp(&back[i], &big[i], sizeof(back[i]));
    CHECK(!bad && !back[LONG_MAP].size, "%u of %u entries differ", bad, LONG_MAP);
    map.nr_entries = 40;
    MM_RC(HYPERVISOR_memory_op(XENMEM_memory_map, &map), 0, "memory_map, room for 40");
    CHECK_EQ(map.nr_entries, 40, "entries, room for 40");
    MM_RC(set_map(DOMID_SELF, big, ARRAY_SIZE(big)), 0, "set_memory_map of 1024 entries");
    map.nr_entries = 2;
    MM_RC(HYPERVISOR_memory_op(XENMEM_memory_map, &map), 0, "memory_map of 1024, room for 2");
    CHECK(map.nr_entries == 2 && !memcmp(back, big, 2 * sizeof(big[0])), "first two of 1024");
}

/*
 * set_memory_map as a toolstack gives a domU its map (here on ourselves,
 * which Xen allows too): memory_map then returns it, cut to the room the
 * caller gives; an empty map means none again (-ENOSYS).
 */
TEST(set_memory_map, "mm/memory_op_set_memory_map")
{
    static const struct xen_e820_entry want[2] = {
        { 0, 64UL << 20, 1 }, { 0xfee00000, 0x1000, 2 },
    };
    static struct xen_e820_entry e[4];
    struct xen_memory_map map = { .nr_entries = ARRAY_SIZE(e), .buffer = (uint64_t)(uintptr_t)e };

    MM_RC(set_map(DOMID_SELF, want, 2), 0, "set_memory_map of ourselves");
    MM_RC(HYPERVISOR_memory_op(XENMEM_memory_map, &map), 0, "memory_map");
    CHECK_EQ(map.nr_entries, 2, "entries");
    CHECK(!memcmp(e, want, sizeof(want)), "map %#lx+%#lx/%u %#lx+%#lx/%u", e[0].addr,
          e[0].size, e[0].type, e[1].addr, e[1].size, e[1].type);
    map.nr_entries = 1;
    memset(e, 0, sizeof(e));
    MM_RC(HYPERVISOR_memory_op(XENMEM_memory_map, &map), 0, "memory_map, room for 1");
    CHECK(map.nr_entries == 1 && !memcmp(e, want, sizeof(e[0])) && !e[1].size,
          "%u entries, the second %#lx bytes", map.nr_entries, e[1].size);
    /* more than Xen's E820MAX (1024) is refused before anything is read */
    MM_RC(set_map(DOMID_SELF, NULL, 1025), -EINVAL, "1025 entries");
    MM_RC(set_map(0x7fef, want, 1), -ESRCH, "a domain that is not there");
    /* Xen looks the domain up before it reads the entries. */
    MM_RC(set_map(0x7fef, NULL, 4), -ESRCH, "no domain and no buffer");
    MM_RC(set_map(DOMID_SELF, NULL, 4), -EFAULT, "no buffer");
    long_map();
    MM_RC(set_map(DOMID_SELF, want, 0), 0, "an empty map");
    map.nr_entries = ARRAY_SIZE(e);
    MM_RC(HYPERVISOR_memory_op(XENMEM_memory_map, &map), -ENOSYS, "memory_map after that");
}

/* maximum_ram_page is one past the highest RAM frame of the host. */
TEST(maximum_ram_page, "mm/memory_op_maximum_ram_page")
{
    static struct xen_e820_entry e[64];
    struct xen_memory_map map = {
        .nr_entries = ARRAY_SIZE(e), .buffer = (uint64_t)(uintptr_t)e,
    };
    uint64_t top = 0;
    unsigned int i;

    MM_RC(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map), 0,
          "machine_memory_map");
    for (i = 0; i < map.nr_entries; i++)
        if (e[i].type == 1 && e[i].addr + e[i].size > top)
            top = e[i].addr + e[i].size;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL), top >> 12,
             "maximum_ram_page vs the end of RAM in the machine map");
}

/* Give a frame back, then back the same pfn with a new one. */
TEST(decrease_populate, "mm/memory_op_decrease_populate")
{
    uint64_t *p2m = (uint64_t *)(uintptr_t)start_info->mfn_list;
    uint64_t mfn, pfn, frame;
    long cur = reservation(XENMEM_current_reservation);

    mm_begin();
    mfn = mm_alloc();
    pfn = mm_pfn_of(mfn);
    frame = mfn;        /* a PV guest names the frame to free by its mfn */
    MM_RC(resv_op(XENMEM_decrease_reservation, &frame, 1), 1,
          "decrease_reservation of one frame");
    p2m[pfn] = M2P_INVALID;
    CHECK_EQ(reservation(XENMEM_current_reservation), cur - 1,
             "current_reservation after decrease");
    /* The frame is no longer ours to map or to label. */
    MM_RC(mm_map_rc(MM_SLOT_A, mfn, PTE_RO_FLAGS), -EBUSY,
          "mapping the freed frame");
    MM_RC(mm_pt_write((mfn << 12) | MMU_MACHPHYS_UPDATE, pfn), -EINVAL,
          "MACHPHYS_UPDATE of the freed frame");
    MM_RC(resv_op(XENMEM_decrease_reservation, &frame, 1), 0,
          "decrease_reservation of it again");
    frame = pfn;
    MM_RC(resv_op(XENMEM_populate_physmap, &frame, 1), 1, "populate_physmap");
    CHECK(frame != pfn, "populate_physmap did not return the new mfn");
    CHECK_EQ(M2P[frame], pfn, "M2P of the new frame");
    p2m[pfn] = frame;
    CHECK_EQ(reservation(XENMEM_current_reservation), cur,
             "current_reservation after populate");
    if (mm_map(MM_SLOT_A, frame, PTE_RW_FLAGS)) {
        *(volatile uint64_t *)mm_slot_va(MM_SLOT_A) = 0x77;
        mm_unmap(MM_SLOT_A);
    }
    mm_check_healthy();
}

/* increase_reservation hands out a frame with no pfn yet. */
TEST(decrease_increase, "mm/memory_op_decrease_increase")
{
    uint64_t *p2m = (uint64_t *)(uintptr_t)start_info->mfn_list;
    uint64_t mfn, pfn, frame;
    long cur = reservation(XENMEM_current_reservation);

    mm_begin();
    mfn = mm_alloc();
    pfn = mm_pfn_of(mfn);
    frame = mfn;
    MM_RC(resv_op(XENMEM_decrease_reservation, &frame, 1), 1,
          "decrease_reservation");
    p2m[pfn] = M2P_INVALID;
    frame = 0;
    MM_RC(resv_op(XENMEM_increase_reservation, &frame, 1), 1,
          "increase_reservation");
    CHECK(frame != 0, "no frame returned");
    MM_RC(mm_pt_write((frame << 12) | MMU_MACHPHYS_UPDATE, pfn), 0,
          "MACHPHYS_UPDATE of the new frame");
    p2m[pfn] = frame;
    CHECK_EQ(M2P[frame], pfn, "M2P of the new frame");
    CHECK_EQ(reservation(XENMEM_current_reservation), cur,
             "current_reservation after the round trip");
    mm_check_healthy();
}

TEST(m2p_matches_p2m, "mm/m2p_matches_p2m")
{
    const uint64_t *p2m = (const uint64_t *)(uintptr_t)start_info->mfn_list;
    unsigned long pfn, bad = 0;

    for (pfn = 0; pfn < start_info->nr_pages; pfn++) {
        if (p2m[pfn] == M2P_INVALID)
            continue;
        if (M2P[p2m[pfn]] != pfn && bad++ < 4)
            test_fail("M2P[%#lx] = %#lx, want pfn %#lx", p2m[pfn],
                      M2P[p2m[pfn]], pfn);
    }
    CHECK_EQ(bad, 0, "pfns whose M2P entry is wrong");
}

TEST(m2p_readonly, "mm/m2p_readonly")
{
    uint64_t mfn = virt_to_mfn((void *)(uintptr_t)start_info->pt_base);
    volatile uint64_t *m2p = (volatile uint64_t *)MACH2PHYS_VIRT_START;
    uint64_t before = M2P[mfn];

    exc_reset();
    asm volatile ("1: movq $0x1234, (%0)\n2:\n\t" ASM_EXTABLE(1b, 2b)
                  :: "r" (&m2p[mfn]) : "memory");
    CHECK_EQ(last_exc.vector, X86_EXC_PF, "writing the M2P");
    CHECK_EQ(last_exc.cr2, (uint64_t)(uintptr_t)&m2p[mfn], "cr2");
    CHECK_EQ(last_exc.error_code & 3, 3, "error code: present, write");
    CHECK_EQ(M2P[mfn], before, "M2P entry unchanged");
}
