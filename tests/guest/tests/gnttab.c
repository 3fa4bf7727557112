/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/gnttab.c - grant tables v1 with the test kernel as
 * both granter and grantee (a domain may grant to itself: the entry's
 * domid is our own id, which Xen accepts for map and copy): the table
 * ops, mapping in both addressing modes, copying, the GTF_reading/writing
 * protocol that makes revocation safe, and every misuse with Xen's status.
 */
#include "mm-lib.h"
#include <public/grant_table.h>
#include <public/event_channel.h>

#define REF         10                  /* above the reserved entries */

static volatile grant_entry_v1_t *table;
static domid_t SELF;                    /* our own domain id */

/* An unbound port's status names the domain that allocated it. */
static domid_t own_domid(void)
{
    struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    struct evtchn_status st = { .dom = DOMID_SELF };
    struct evtchn_close cl;

    if (HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au))
        return 0;
    st.port = cl.port = au.port;
    HYPERVISOR_event_channel_op(EVTCHNOP_status, &st);
    HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
    return st.u.unbound.dom;
}

static long gnttab_op(unsigned int cmd, void *op, unsigned int count)
{
    return hypercall(__HYPERVISOR_grant_table_op, cmd, HC_PTR(op), count, 0, 0);
}

/* mm_begin() plus our grant table frame 0 mapped at MM_SLOT_A. */
static int gt_begin(void)
{
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
    xen_pfn_t frame = 0;

    mm_begin();
    SELF = own_domid();
    st.frame_list = HC_PTR(&frame);
    MM_RC(gnttab_op(GNTTABOP_setup_table, &st, 1), 0, "setup_table");
    CHECK_EQ(st.status, GNTST_okay, "setup_table status");
    table = mm_map(MM_SLOT_A, frame, PTE_RW_FLAGS);
    test_note("domain %u, grant frame %#lx", SELF, frame);
    return table != NULL && st.status == GNTST_okay;
}

static void grant(grant_ref_t ref, uint64_t mfn, uint16_t flags)
{
    table[ref].domid = SELF;
    table[ref].frame = mfn;
    __atomic_store_n(&table[ref].flags, flags, __ATOMIC_RELEASE);
}

/* The granter's revocation, as Linux does it: fails while in use. */
static int revoke(grant_ref_t ref)
{
    uint16_t f = table[ref].flags;

    if (f & (GTF_reading | GTF_writing))
        return 0;
    return __atomic_compare_exchange_n(&table[ref].flags, &f, 0, 0,
                                       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static int16_t map(uint64_t addr, uint32_t flags, grant_ref_t ref, domid_t dom,
                   struct gnttab_map_grant_ref *op)
{
    *op = (struct gnttab_map_grant_ref){ .host_addr = addr, .flags = flags,
                                         .ref = ref, .dom = dom, .status = 99 };
    MM_RC(gnttab_op(GNTTABOP_map_grant_ref, op, 1), 0, "map_grant_ref returns 0");
    return op->status;
}

static int16_t unmap(uint64_t addr, uint64_t bus, grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref op = { .host_addr = addr, .dev_bus_addr = bus,
                                         .handle = handle, .status = 99 };

    MM_RC(gnttab_op(GNTTABOP_unmap_grant_ref, &op, 1), 0, "unmap_grant_ref returns 0");
    return op.status;
}

TEST(table_ops, "gnttab/table_ops")
{
    struct gnttab_query_size qs = { .dom = DOMID_SELF };
    struct gnttab_set_version sv = { .version = 1 };
    struct gnttab_get_version gv = { .dom = DOMID_SELF };
    struct gnttab_setup_table st = { .dom = DOMID_SELF };
    xen_pfn_t frames[2];

    if (!gt_begin())
        return;
    MM_RC(gnttab_op(GNTTABOP_query_size, &qs, 1), 0, "query_size");
    CHECK_EQ(qs.status, GNTST_okay, "query_size status");
    CHECK(qs.nr_frames >= 1 && qs.max_nr_frames >= qs.nr_frames,
          "query_size: %u of %u frames", qs.nr_frames, qs.max_nr_frames);
    MM_RC(gnttab_op(GNTTABOP_query_size, &qs, 2), -EINVAL, "query_size count 2");
    qs.dom = 0x7fef;
    MM_RC(gnttab_op(GNTTABOP_query_size, &qs, 1), 0, "query_size of no domain");
    CHECK_EQ(qs.status, GNTST_bad_domain, "query_size of no domain: status");
    MM_RC(gnttab_op(GNTTABOP_set_version, &sv, 1), 0, "set_version 1");
    CHECK_EQ(sv.version, 1, "version after set_version 1");
    sv.version = 3;
    MM_RC(gnttab_op(GNTTABOP_set_version, &sv, 1), -EINVAL, "set_version 3");
    MM_RC(gnttab_op(GNTTABOP_get_version, &gv, 1), 0, "get_version");
    CHECK_EQ(gv.version, 1, "get_version");
    gv.dom = 0x7fef;
    MM_RC(gnttab_op(GNTTABOP_get_version, &gv, 1), -ESRCH, "get_version of no domain");
    st.nr_frames = 2;
    st.frame_list = HC_PTR(frames);
    MM_RC(gnttab_op(GNTTABOP_setup_table, &st, 1), 0, "setup_table 2 frames");
    CHECK_EQ(st.status, GNTST_okay, "setup_table 2 frames: status");
    MM_RC(gnttab_op(GNTTABOP_setup_table, &st, 2), -EINVAL, "setup_table count 2");
    st.nr_frames = qs.max_nr_frames + 1;
    MM_RC(gnttab_op(GNTTABOP_setup_table, &st, 1), 0, "setup_table past the limit");
    CHECK_EQ(st.status, GNTST_general_error, "setup_table past the limit: status");
    MM_RC(gnttab_op(13, &st, 1), -ENOSYS, "unknown sub-op");
}

TEST_XEN_DIFFERS(version2, "gnttab/version2",
                 "Mica has grant tables v1 only: set_version 2 is -ENOSYS")
{
    struct gnttab_set_version sv = { .version = 2 };

    MM_RC(gnttab_op(GNTTABOP_set_version, &sv, 1), -ENOSYS, "set_version 2");
    /* On Xen the call succeeds: go back to v1 for the tests after. */
    sv.version = 1;
    gnttab_op(GNTTABOP_set_version, &sv, 1);
}

TEST(map_linear, "gnttab/map_linear")
{
    struct gnttab_map_grant_ref op;
    volatile uint64_t *p;
    uint64_t data;

    if (!gt_begin())
        return;
    data = mm_alloc();
    mm_poke(data, 0, 0x1234abcd);
    grant(REF, data, GTF_permit_access);
    CHECK_EQ(map(mm_slot_va(MM_SLOT_B), GNTMAP_host_map, REF, SELF, &op),
             GNTST_okay, "map by linear address");
    CHECK_EQ(op.dev_bus_addr, data << 12, "dev_bus_addr");
    /* The old translation may be cached: Xen leaves flushing to us. */
    mm_ext(MMUEXT_INVLPG_LOCAL, mm_slot_va(MM_SLOT_B), 0);
    CHECK_EQ(table[REF].flags, GTF_permit_access | GTF_reading | GTF_writing,
             "entry flags while mapped writable");
    p = (volatile uint64_t *)mm_slot_va(MM_SLOT_B);
    CHECK_EQ(p[0], 0x1234abcd, "read through the grant mapping");
    p[1] = 0x5678;
    CHECK_EQ(mm_peek(data, 1), 0x5678, "write through the grant mapping");
    CHECK(!revoke(REF), "revoked while mapped");
    CHECK_EQ(unmap(mm_slot_va(MM_SLOT_B), 0, op.handle), GNTST_okay, "unmap");
    CHECK_EQ(table[REF].flags, GTF_permit_access, "entry flags after unmap");
    CHECK_EQ(unmap(mm_slot_va(MM_SLOT_B), 0, op.handle), GNTST_bad_handle,
             "unmap twice");
    CHECK(revoke(REF), "revoke after unmap");
    CHECK_EQ(map(mm_slot_va(MM_SLOT_B), GNTMAP_host_map, REF, SELF, &op),
             GNTST_general_error, "map after revocation");
    mm_check_healthy();
}

TEST(map_pte, "gnttab/map_pte")
{
    uint32_t flags = GNTMAP_host_map | GNTMAP_contains_pte | GNTMAP_application_map |
                     GNTMAP_readonly | (1U << _GNTMAP_guest_avail0);
    struct gnttab_map_grant_ref op;
    struct mm_walk w;
    uint64_t data, pte;

    if (!gt_begin())
        return;
    data = mm_alloc();
    mm_poke(data, 2, 0xfeed);
    grant(REF, data, GTF_permit_access | GTF_readonly);
    CHECK_EQ(map(mm_slot_pte_maddr(MM_SLOT_B), flags & ~GNTMAP_readonly, REF, SELF, &op),
             GNTST_general_error, "writable map of a read-only grant");
    CHECK_EQ(table[REF].flags, GTF_permit_access | GTF_readonly,
             "entry flags after the refusal");
    CHECK_EQ(map(mm_slot_pte_maddr(MM_SLOT_B) + 4, flags, REF, SELF, &op),
             GNTST_general_error, "misaligned PTE address");
    CHECK_EQ(map(mm_slot_pte_maddr(MM_SLOT_B), flags, REF, SELF, &op),
             GNTST_okay, "map by PTE address");
    mm_ext(MMUEXT_INVLPG_LOCAL, mm_slot_va(MM_SLOT_B), 0);
    CHECK_EQ(table[REF].flags, GTF_permit_access | GTF_readonly | GTF_reading,
             "entry flags while mapped read-only");
    if (mm_walk(mm_slot_va(MM_SLOT_B), &w) == 0) {
        pte = w.entry[1];
        CHECK_EQ(pte & PTE_ADDR, data << 12, "PTE frame");
        CHECK_EQ(pte & (PTE_P | PTE_RW | PTE_US | (1UL << 9)),
                 PTE_P | PTE_US | (1UL << 9), "PTE flags (guest_avail0 is bit 9)");
        CHECK(pte & PTE_NX, "PTE is NX");
    }
    CHECK_EQ(((volatile uint64_t *)mm_slot_va(MM_SLOT_B))[2], 0xfeed, "read");
    exc_reset();
    asm volatile("1: movq $1, (%0)\n2:\n\t" ASM_EXTABLE(1b, 2b)
                 :: "r"(mm_slot_va(MM_SLOT_B)) : "memory");
    CHECK_EQ(last_exc.vector, X86_EXC_PF, "write through a read-only grant faults");
    CHECK_EQ(mm_peek(data, 0), 0, "frame unchanged");
    CHECK_EQ(unmap(mm_slot_pte_maddr(MM_SLOT_B), 0, op.handle), GNTST_okay, "unmap");
    CHECK_EQ(table[REF].flags, GTF_permit_access | GTF_readonly, "flags after unmap");
    mm_check_healthy();
}

TEST(map_refused, "gnttab/map_refused")
{
    struct gnttab_map_grant_ref op;
    uint64_t va;

    if (!gt_begin())
        return;
    va = mm_slot_va(MM_SLOT_B);
    grant(REF, 0, 0);
    CHECK_EQ(map(va, GNTMAP_host_map, REF, SELF, &op), GNTST_general_error,
             "a reference never offered");
    CHECK_EQ(map(va, GNTMAP_host_map, 1U << 24, SELF, &op), GNTST_bad_gntref,
             "a reference past the table");
    grant(REF, mm_alloc(), GTF_permit_access);
    CHECK_EQ(map(va, 0, REF, SELF, &op), GNTST_bad_gntref, "neither host nor device");
    CHECK_EQ(map(va, GNTMAP_host_map, REF, DOMID_SELF, &op), GNTST_bad_domain,
             "DOMID_SELF");
    CHECK_EQ(map(va, GNTMAP_host_map, REF, 0x7fef, &op), GNTST_bad_domain,
             "no such domain");
    table[REF].domid = 0x7fef;
    CHECK_EQ(map(va, GNTMAP_host_map, REF, SELF, &op), GNTST_general_error,
             "granted to another domain");
    grant(REF, mm_xen_frame(), GTF_permit_access);
    CHECK_EQ(map(va, GNTMAP_host_map | GNTMAP_readonly, REF, SELF, &op), GNTST_bad_page,
             "a grant naming a frame not the granter's");
    CHECK_EQ(table[REF].flags, GTF_permit_access, "flags after the refusal");
    CHECK_EQ(unmap(va, 0, 0x7fffffff), GNTST_bad_handle, "unmap of a bogus handle");
    mm_check_healthy();
}

static int16_t copy(struct gnttab_copy *c)
{
    c->status = 99;
    MM_RC(gnttab_op(GNTTABOP_copy, c, 1), 0, "copy returns 0");
    return c->status;
}

TEST(copy, "gnttab/copy")
{
    struct gnttab_copy c;
    uint64_t a, b;

    if (!gt_begin())
        return;
    a = mm_alloc();
    b = mm_alloc();
    mm_poke(a, 3, 0x1111222233334444UL);
    grant(REF, a, GTF_permit_access | GTF_readonly);
    grant(REF + 1, b, GTF_permit_access);
    /* gref -> own frame */
    c = (struct gnttab_copy){ .source = { .u.ref = REF, .domid = SELF, .offset = 24 },
                              .dest = { .u.gmfn = b, .domid = DOMID_SELF, .offset = 8 },
                              .len = 8, .flags = GNTCOPY_source_gref };
    CHECK_EQ(copy(&c), GNTST_okay, "gref to frame");
    CHECK_EQ(mm_peek(b, 1), 0x1111222233334444UL, "copied bytes");
    /* own frame -> gref */
    c = (struct gnttab_copy){ .source = { .u.gmfn = a, .domid = DOMID_SELF, .offset = 24 },
                              .dest = { .u.ref = REF + 1, .domid = SELF, .offset = 4088 },
                              .len = 8, .flags = GNTCOPY_dest_gref };
    CHECK_EQ(copy(&c), GNTST_okay, "frame to gref");
    CHECK_EQ(mm_peek(b, 511), 0x1111222233334444UL, "copied to the page's end");
    CHECK_EQ(table[REF + 1].flags, GTF_permit_access, "no flags left after a copy");
    c.dest.offset = 4090;
    CHECK_EQ(copy(&c), GNTST_bad_copy_arg, "past the end of the page");
    c.dest.offset = 0;
    c.source.domid = SELF;
    CHECK_EQ(copy(&c), GNTST_permission_denied, "a frame named by domain id");
    c.source.domid = DOMID_SELF;
    c.source.u.gmfn = mm_xen_frame();
    CHECK_EQ(copy(&c), GNTST_bad_page, "a frame not ours");
    c = (struct gnttab_copy){ .source = { .u.ref = REF + 1, .domid = SELF },
                              .dest = { .u.ref = REF, .domid = SELF },
                              .len = 8, .flags = GNTCOPY_source_gref | GNTCOPY_dest_gref };
    CHECK_EQ(copy(&c), GNTST_general_error, "into a read-only grant");
    c.dest.u.ref = REF + 2;
    grant(REF + 2, 0, 0);
    CHECK_EQ(copy(&c), GNTST_general_error, "into a reference never offered");
    c.dest.u.ref = 1U << 24;
    CHECK_EQ(copy(&c), GNTST_bad_gntref, "into a reference past the table");
    c.dest.domid = 0x7fef;
    CHECK_EQ(copy(&c), GNTST_bad_domain, "into no domain");
    CHECK_EQ(table[REF].flags, GTF_permit_access | GTF_readonly, "flags of the source");
    CHECK(revoke(REF) && revoke(REF + 1), "revoke after copies");
}

/*
 * Device mappings need no PTE: fill maptrack with them (127 read-only and
 * 127 writable uses per entry, the most a pin counter takes), then empty it.
 */
#define BATCH 256
#define MAX_MAPS (GNTTAB_MAX_MAPTRACK_FRAMES_XEN * 256 + BATCH)
#define GNTTAB_MAX_MAPTRACK_FRAMES_XEN 1024
static struct gnttab_map_grant_ref ops[BATCH];
static uint32_t handles[MAX_MAPS];

TEST(maptrack_full, "gnttab/maptrack_full")
{
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 3 };
    struct gnttab_unmap_grant_ref *u = (void *)ops;
    volatile grant_entry_v1_t *t[3];
    static xen_pfn_t frames[3];
    unsigned int n = 0, ref = 16, uses = 0;
    uint64_t data;
    int full = 0, bad = 0;

    if (!gt_begin())
        return;
    st.frame_list = HC_PTR(frames);
    MM_RC(gnttab_op(GNTTABOP_setup_table, &st, 1), 0, "setup_table 3 frames");
    t[0] = table;
    t[1] = mm_map(MM_SLOT_B, frames[1], PTE_RW_FLAGS);
    t[2] = mm_map(MM_SLOT_C, frames[2], PTE_RW_FLAGS);
    if (!t[1] || !t[2])
        return;
    data = mm_alloc();
    while (!full && !bad && n + BATCH <= MAX_MAPS && ref < 1536) {
        for (unsigned int i = 0; i < BATCH; i++) {
            volatile grant_entry_v1_t *e = &t[ref / 512][ref % 512];

            if (uses == 0) {
                e->domid = SELF;
                e->frame = data;
                __atomic_store_n(&e->flags, GTF_permit_access, __ATOMIC_RELEASE);
            }
            ops[i] = (struct gnttab_map_grant_ref){ .ref = ref, .dom = SELF,
                .flags = GNTMAP_device_map | (uses < 127 ? GNTMAP_readonly : 0) };
            if (++uses == 254) {
                uses = 0;
                ref++;
            }
        }
        MM_RC(gnttab_op(GNTTABOP_map_grant_ref, ops, BATCH), 0, "map batch");
        for (unsigned int i = 0; i < BATCH; i++) {
            if (ops[i].status == GNTST_okay)
                handles[n++] = ops[i].handle;
            else if (ops[i].status == GNTST_no_space)
                full = 1;
            else if (!bad++)
                test_fail("map %u (ref %u): status %d", n, ops[i].ref, ops[i].status);
        }
    }
    CHECK(full, "maptrack never filled (%u maps)", n);
    test_note("%u mappings fit", n);
    for (unsigned int i = 0; i < n; i += BATCH) {
        unsigned int c = n - i < BATCH ? n - i : BATCH;

        for (unsigned int j = 0; j < c; j++)
            u[j] = (struct gnttab_unmap_grant_ref){ .dev_bus_addr = data << 12,
                                                    .handle = handles[i + j] };
        MM_RC(gnttab_op(GNTTABOP_unmap_grant_ref, u, c), 0, "unmap batch");
        for (unsigned int j = 0; j < c; j++)
            if (u[j].status != GNTST_okay && !bad++)
                test_fail("unmap %u: status %d", i + j, u[j].status);
    }
    CHECK_EQ(t[0][16].flags, GTF_permit_access, "flags after unmapping");
    for (unsigned int r = 16; r <= ref && r < 1536; r++)
        t[r / 512][r % 512].flags = 0;
}
