/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/multidom-death.c - a domain destroyed while grants
 * and an event channel still join it to dom0 (tests/qemu/
 * multidomain-tests.sh, run "death"):
 *
 *   multi/grant_then_die  dead_ref=R peer_port=P   guest: grant dom0 a page
 *                         at ref R, map dom0's ref R, bind dom0's port P,
 *                         signal on it, then shut down with all that held
 *   multi/peer_death      dead_ref=R peer=D        dom0: grant the guest a
 *                         page, wait for it to die, map its grant, destroy
 *                         it; the mapping must stay readable (the domain a
 *                         zombie) until unmapped, then every frame is free;
 *                         its mapping of ours is gone, our port unbound
 *
 * Both skip without their options, so "test=all" passes over them.
 */
#include "mm-lib.h"
#include "ctl-lib.h"
#include <clock.h>
#include <public/grant_table.h>
#include <public/event_channel.h>

#define DOM0_WORD   0xd0d0d0d000000000UL    /* dom0's page: DOM0_WORD + i */
#define GUEST_WORD  0xd1d1d1d100000000UL    /* the guest's page */

static volatile grant_entry_v1_t *table;

static long grant_op(unsigned int cmd, void *op)
{
    return hypercall(__HYPERVISOR_grant_table_op, cmd, HC_PTR(op), 1, 0, 0);
}

/* Our grant frame 0 at MM_SLOT_A, and a page with 'word' patterns granted
 * to domain 'to' at 'ref'. */
static void grant_page(grant_ref_t ref, domid_t to, uint64_t word, uint16_t flags)
{
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
    xen_pfn_t frame = 0;
    uint64_t mfn = mm_alloc();
    volatile uint64_t *p;

    st.frame_list = HC_PTR(&frame);
    if (grant_op(GNTTABOP_setup_table, &st) || st.status != GNTST_okay) {
        test_fail("setup_table: status %d", st.status);
        test_abort();
    }
    table = mm_map(MM_SLOT_A, frame, PTE_RW_FLAGS);
    p = mm_map(MM_SLOT_D, mfn, PTE_RW_FLAGS);
    if (!table || !p)
        test_abort();
    for (unsigned int i = 0; i < 512; i++)
        p[i] = word + i;
    mm_unmap(MM_SLOT_D);
    table[ref].domid = to;
    table[ref].frame = mfn;
    __atomic_store_n(&table[ref].flags, GTF_permit_access | flags, __ATOMIC_RELEASE);
}

/* Map dom's grant 'ref' read-only at a slot: the status; *handle. */
static int16_t map_grant(int slot, domid_t dom, grant_ref_t ref, grant_handle_t *handle)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = mm_slot_va(slot), .flags = GNTMAP_host_map | GNTMAP_readonly,
        .ref = ref, .dom = dom, .status = 99,
    };

    if (grant_op(GNTTABOP_map_grant_ref, &op))
        return 99;
    *handle = op.handle;
    return op.status;
}

static int page_holds(int slot, uint64_t word)
{
    const volatile uint64_t *p = (const volatile uint64_t *)(uintptr_t)mm_slot_va(slot);

    return p[0] == word && p[511] == word + 511;
}

TEST(grant_then_die, "multi/grant_then_die")
{
    grant_ref_t ref = (grant_ref_t)cmdline_uint_needed("dead_ref", "multi-domain");
    uint32_t rport = (uint32_t)cmdline_uint_needed("peer_port", "multi-domain");
    uint64_t limit = clock_ns() + 20 * NSEC_PER_SEC;
    grant_handle_t h;
    long port;

    mm_begin();
    grant_page(ref, 0, GUEST_WORD, 0);
    /* dom0 grants its page first thing; it may not be there yet. */
    while (map_grant(MM_SLOT_C, 0, ref, &h) != GNTST_okay && clock_ns() < limit)
        clock_sleep_until(clock_ns() + 10 * NSEC_PER_MSEC);
    CHECK(page_holds(MM_SLOT_C, DOM0_WORD), "dom0's granted page through our mapping");
    while ((port = evt_bind_interdomain(0, rport)) == -EINVAL && clock_ns() < limit)
        clock_sleep_until(clock_ns() + 10 * NSEC_PER_MSEC);
    CHECK(port > 0, "bind_interdomain to dom0 port %u: %ld", rport, port);
    if (port > 0)
        CHECK_EQ(evt_send((uint32_t)port), 0, "tell dom0 we are ready");
    /* Shut down holding the mapping, the grant and the port. */
}

/* Wait until domain id is shut down (0) or gone, or the time is up. */
static long wait_shutdown(domid_t id, struct xen_domctl_getdomaininfo *info)
{
    uint64_t limit = clock_ns() + 30 * NSEC_PER_SEC;
    long rc;

    while (!(rc = domctl_info(id, info)) && info->domain == id &&
           !(info->flags & XEN_DOMINF_shutdown) && clock_ns() < limit)
        clock_sleep_until(clock_ns() + 20 * NSEC_PER_MSEC);
    return rc ? rc : info->domain == id && (info->flags & XEN_DOMINF_shutdown) ? 0 : -ETIME;
}

TEST(peer_death, "multi/peer_death")
{
    grant_ref_t ref = (grant_ref_t)cmdline_uint_needed("dead_ref", "multi-domain");
    domid_t peer = (domid_t)cmdline_uint_needed("peer", "multi-domain");
    struct xen_domctl_getdomaininfo info;
    struct evtchn_status st = { .dom = DOMID_SELF };
    struct gnttab_unmap_grant_ref un = { .status = 99 };
    struct xen_domctl op = { 0 };
    uint64_t f0, f1, f2, tot, polls = 0;
    grant_handle_t h;
    long port;

    mm_begin();
    grant_page(ref, peer, DOM0_WORD, GTF_readonly);
    port = evt_alloc_unbound(peer);
    CHECK(port > 0, "alloc_unbound for d%u: %ld", peer, port);
    while (port > 0 && !evt_test_and_clear((uint32_t)port) && polls++ < 150)
        evt_poll((uint32_t)port, clock_ns() + 200 * NSEC_PER_MSEC);
    CHECK_EQ(wait_shutdown(peer, &info), 0, "the guest shut down");
    tot = info.tot_pages;
    CHECK(table[ref].flags & GTF_reading, "our grant in use by the guest: flags %#x",
          table[ref].flags);
    CHECK_EQ(map_grant(MM_SLOT_B, peer, ref, &h), GNTST_okay, "map the guest's grant");
    CHECK(page_holds(MM_SLOT_B, GUEST_WORD), "the guest's page");

    f0 = sysctl_free_pages();
    CHECK_EQ(domctl(&op, XEN_DOMCTL_destroydomain, peer), 0, "destroydomain");
    f1 = sysctl_free_pages();
    CHECK_EQ(domctl_info(peer, &info), 0, "getdomaininfo after destroy");
    CHECK(info.domain == peer && (info.flags & XEN_DOMINF_dying),
          "d%u not listed as dying (flags %#x)", info.domain, info.flags);
    CHECK(page_holds(MM_SLOT_B, GUEST_WORD), "the dead guest's page, still mapped");
    /* Its side of everything it held of ours is gone. */
    CHECK(!(table[ref].flags & (GTF_reading | GTF_writing)),
          "our grant still in use after its grantee died: flags %#x", table[ref].flags);
    st.port = (uint32_t)port;
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_status, &st), 0, "EVTCHNOP_status");
    CHECK_EQ(st.status, EVTCHNSTAT_unbound, "our port after the peer died");
    CHECK_EQ(st.u.unbound.dom, peer, "an unbound port still names the dead peer");

    un.host_addr = mm_slot_va(MM_SLOT_B);
    un.handle = h;
    CHECK_EQ(grant_op(GNTTABOP_unmap_grant_ref, &un), 0, "unmap_grant_ref");
    CHECK_EQ(un.status, GNTST_okay, "unmap status");
    CHECK_EQ(domctl_info(peer, &info) == -ESRCH || info.domain != peer, 1,
             "the domain is gone once its last frame is unmapped");
    f2 = sysctl_free_pages();
    printk("  peer_death: d%u had %lu frames; free %lu before destroy, %lu as a zombie, "
           "%lu after the unmap\n", peer, tot, f0, f1, f2);
    CHECK(f1 + 1 >= f0 + tot, "destroy freed %lu of %lu frames", f1 - f0, tot);
    CHECK(f2 > f1 && f2 >= f0 + tot, "unmap freed %lu more (from %lu)", f2 - f1, f0);
    table[ref].flags = 0;
    if (port > 0)
        evt_close((uint32_t)port);
}
