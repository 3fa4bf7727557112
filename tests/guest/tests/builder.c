/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/builder.c - the test kernel as a toolstack: it builds
 * a domU from its own image (given to dom0 as its initrd module) with
 * builder-lib.c, runs it, and destroys it; then 100 times, with the free
 * frame count checked after each cycle.  builder/guest is the domU's half.
 *
 *   builder/bad_image    malformed images and too little memory: refused,
 *                        no domain left behind
 *   builder/hypercall_init   domctl hypercall_init: only on the domain's page
 *   builder/run_domu     one cycle, every step checked and timed
 *   builder/cycles       cycles=N (default 100) create/run/destroy cycles
 *                        after one warm-up; free_pages back to its starting
 *                        value after each
 *   builder/guest        in the domU (gref= peer_port= on its command line):
 *                        map dom0's grant, trade data and events, unmap
 *
 * Without a module (start_info mod_len 0) the dom0 tests are skipped.
 */
#include "ctl-lib.h"
#include "mm-lib.h"
#include <clock.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include "builder-lib.h"

#define DEFAULT_CYCLES  100

static uint8_t image_copy[8192] __attribute__((aligned(8)));

static const void *module(size_t *len)
{
    if (!start_info->mod_start || !start_info->mod_len) {
        test_skip("no domU kernel (dom0 was given no module)");
        test_abort();
    }
    *len = start_info->mod_len;
    return (const void *)(uintptr_t)start_info->mod_start;
}

static void expect_refused(const void *img, size_t len, uint64_t pages, long want,
                           const char *what)
{
    struct dom_build b = { .kernel = img, .kernel_len = len, .nr_pages = pages,
                           .cmdline = "" };
    uint64_t free0 = sysctl_free_pages();
    int rc = dom_build(&b);

    if (rc != want)
        test_fail("%s: dom_build %d (%s), want %ld", what, rc, b.why, want);
    else
        test_note("%s: refused (%s)", what, b.why);
    CHECK_EQ(b.domid, 0, "no domain left behind");
    CHECK_EQ(sysctl_free_pages(), free0, "free pages unchanged");
    if (b.domid)
        dom_destroy(b.domid);
}

TEST(bad_image, "builder/bad_image")
{
    size_t len;
    const uint8_t *img = module(&len);

    expect_refused(img, 40, 2048, -EINVAL, "shorter than an ELF header");
    expect_refused(img, sizeof(image_copy) < len ? sizeof(image_copy) : len, 2048,
                   -EINVAL, "cut after the program headers");
    memcpy(image_copy, img, sizeof(image_copy));
    image_copy[1] = 'X';
    expect_refused(image_copy, sizeof(image_copy), 2048, -EINVAL, "bad magic");
    /* The loaded part is the first ~170 KiB; debug sections follow it. */
    expect_refused(img, 0x20000, 2048, -EINVAL, "cut inside the loaded segment");
    expect_refused(img, len, 64, -ENOMEM, "256 KiB of memory");
    expect_refused(img, len, DOMB_MAX_PAGES + 1, -E2BIG, "more pages than the p2m holds");
}

static long hypercall_init(domid_t dom, uint64_t mfn)
{
    struct xen_domctl op = { 0 };

    op.u.hypercall_init.gmfn = mfn;
    return domctl(&op, XEN_DOMCTL_hypercall_init, dom);
}

/* The builder's hypercall page: only a plain page the new domain owns. */
TEST(hypercall_init, "builder/hypercall_init")
{
    struct dom_build b = { .nr_pages = 2048 };
    uint64_t frame = 0;
    struct xen_memory_reservation r = { .extent_start = HC_PTR(&frame),
                                        .nr_extents = 1 };
    const uint8_t *page;
    long rc;
    size_t len;

    b.kernel = module(&len);
    b.kernel_len = len;
    if (dom_create(&b)) {
        test_fail("%s", b.why);
        return;
    }
    r.domid = b.domid;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_populate_physmap, &r), 1, "populate one page");
    CHECK_EQ(hypercall_init(b.domid, virt_to_mfn(start_info)), -EINVAL, "a frame of ours");
    CHECK_EQ(hypercall_init(b.domid, 1UL << 40), -EINVAL, "no such frame");
    CHECK_EQ(hypercall_init(b.domid, frame), 0, "its own page");
    page = fmap(b.domid, &frame, 1, &rc);
    CHECK(page != NULL, "mapping its page: %ld", rc);
    if (page) {
        /* Stub n starts 32*n bytes in: something is there now, and differs. */
        CHECK(page[0] && memcmp(page, page + 32, 32), "no stubs were written");
        funmap();
    }
    CHECK_EQ(dom_destroy(b.domid), 0, "destroydomain");
}

static uint64_t us(uint64_t from, uint64_t to)
{
    return to > from ? (to - from) / 1000 : 0;
}

static void report(unsigned int cycle, const struct dom_times *t)
{
    printk("  cycle %u: free_pages %lu (before %lu); us: build %lu, "
           "to first line %lu, to first event %lu, to shutdown %lu, destroy %lu\n",
           cycle, t->free_after, t->free_before, us(t->create, t->built),
           us(t->create, t->first_line), us(t->create, t->first_event),
           us(t->create, t->shutdown), us(t->shutdown, t->destroyed));
}

TEST(run_domu, "builder/run_domu")
{
    struct dom_times t;
    size_t len;
    const void *img = module(&len);

    if (dom_cycle(img, len, 0, &t))
        return;
    report(0, &t);
    CHECK(t.first_line > t.built, "the domU's first line came before it was built");
    /* The first domain may leave the hypervisor's heap larger: note it. */
    if (t.free_after != t.free_before)
        test_note("free_pages %lu -> %lu after the first domain ever",
                  t.free_before, t.free_after);
}

TEST(cycles, "builder/cycles")
{
    uint64_t n = DEFAULT_CYCLES, start;
    struct dom_times t;
    unsigned int bad = 0;
    size_t len;
    const void *img = module(&len);

    cmdline_uint("cycles", &n);
    /*
     * Cycle 0 is not counted: the first domain the hypervisor ever builds
     * may leave its heap a size-class frame larger (builder/run_domu notes
     * by how much); from then on every cycle must give back all it took.
     */
    if (dom_cycle(img, len, 0, &t))
        return;
    report(0, &t);
    start = sysctl_free_pages();
    printk("  cycles: %lu create/run/destroy cycles, free_pages %lu at the start\n", n, start);
    for (unsigned int i = 1; i <= n; i++) {
        if (dom_cycle(img, len, i, &t)) {
            report(i, &t);
            return;
        }
        if (i == 1 || i % 10 == 0 || i == n || t.free_after != start)
            report(i, &t);
        if (t.free_after == start || bad++)
            continue;
        if (mm_on_mica())
            test_fail("cycle %u: free_pages %lu, %ld from the start", i, t.free_after,
                      (long)(t.free_after - start));
        else    /* Xen frees the domain structures later, from an RCU callback */
            test_note("cycle %u: free_pages %ld from the start (Xen frees a dead "
                      "domain's own structures later)", i, (long)(t.free_after - start));
    }
    printk("  cycles: %lu done, free_pages %lu at the end (start %lu), %u cycles differed\n",
           n, sysctl_free_pages(), start, bad);
}

/* ---- the domU's half ----------------------------------------------------- */

static uint8_t map_page[PAGE_SIZE] __attribute__((aligned(4096)));

/* Our own id: a port we leave open to ourselves names us as its peer. */
static domid_t my_domid(void)
{
    struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    struct evtchn_status st = { .dom = DOMID_SELF };

    if (HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au))
        return DOMID_SELF;
    st.port = au.port;
    HYPERVISOR_event_channel_op(EVTCHNOP_status, &st);
    evt_close(au.port);
    return st.u.unbound.dom;
}

static long gnttab_op(unsigned int cmd, void *op)
{
    return hypercall(__HYPERVISOR_grant_table_op, cmd, HC_PTR(op), 1, 0, 0);
}

TEST(guest, "builder/guest")
{
    uint64_t gref = cmdline_uint_needed("gref", "domU");
    uint64_t rport = cmdline_uint_needed("peer_port", "domU");
    uint64_t va = (uint64_t)(uintptr_t)map_page;
    struct gnttab_map_grant_ref map = { .host_addr = va, .flags = GNTMAP_host_map,
                                        .ref = (grant_ref_t)gref, .dom = 0 };
    struct gnttab_unmap_grant_ref unmap = { .host_addr = va };
    volatile struct dom_exchange *x = (volatile struct dom_exchange *)map_page;
    domid_t self = my_domid();
    char want[64];
    long port;

    /* The toolstack cleared shared_info; setvcpucontext put the clock in. */
    CHECK(shared_info_map()->wc_sec > 1700000000U, "wall clock %u s",
          shared_info_map()->wc_sec);
    port = evt_bind_interdomain(0, (uint32_t)rport);
    CHECK(port > 0, "bind_interdomain to dom0 port %lu: %ld", rport, port);
    if (port <= 0)
        return;
    CHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, &map), 0, "map_grant_ref");
    CHECK_EQ(map.status, GNTST_okay, "map status");
    if (map.status == GNTST_okay) {
        struct mmuext_op inv = { .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = va };

        /* Our own frame's translation may be cached: Xen leaves that to us. */
        HYPERVISOR_mmuext_op(&inv, 1, NULL, DOMID_SELF);
        snprintf(want, sizeof(want), "hello d%u cycle %lu", self, x->cycle);
        char got[sizeof(x->hello)];

        memcpy(got, (const char *)x->hello, sizeof(got));
        got[sizeof(got) - 1] = '\0';
        CHECK(!strcmp(got, want), "dom0 wrote '%s', want '%s'", got, want);
        snprintf((char *)x->reply, sizeof(x->reply), "d%u got cycle %lu", self, x->cycle);
        x->boot_ns = clock_ns_at_tsc(boot_tsc);
        x->domid = self;
    }
    evt_test_and_clear((uint32_t)port);
    CHECK_EQ(evt_send((uint32_t)port), 0, "event to dom0");
    CHECK(dom_wait_event((uint32_t)port, clock_ns() + 10 * NSEC_PER_SEC),
          "no event back from dom0");
    if (map.status == GNTST_okay) {
        unmap.handle = map.handle;
        CHECK_EQ(gnttab_op(GNTTABOP_unmap_grant_ref, &unmap), 0, "unmap_grant_ref");
        CHECK_EQ(unmap.status, GNTST_okay, "unmap status");
        /* Our own frame back under the page the grant borrowed. */
        CHECK_EQ(HYPERVISOR_update_va_mapping(va, (virt_to_mfn(map_page) << 12) | 0x67,
                                              UVMF_INVLPG), 0, "restore the page");
    }
    evt_close((uint32_t)port);
}
