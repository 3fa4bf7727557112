/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/builder-run.c - dom0's half of one create/run/destroy
 * cycle: build a domU with the test kernel's builder, grant it a page and
 * give it an interdomain port, trade data and events with it (its half is
 * builder/guest in builder.c), watch it shut down, destroy it, and take
 * the grant and port back.
 */
#include "ctl-lib.h"
#include <clock.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/sched.h>
#include "builder-lib.h"

#define DOMU_PAGES      2048            /* 8 MiB */
#define WAIT_NS         (20 * NSEC_PER_SEC)

static uint8_t xchg_page[PAGE_SIZE] __attribute__((aligned(4096)));
static uint8_t gt_view[PAGE_SIZE] __attribute__((aligned(4096)));
static volatile grant_entry_v1_t *gtab;
static long dom_exc_port;

volatile grant_entry_v1_t *grant_table_self(void)
{
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
    xen_pfn_t frame = 0;
    long rc;

    if (gtab)
        return gtab;
    st.frame_list = HC_PTR(&frame);
    rc = hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, HC_PTR(&st), 1, 0, 0);
    if (rc || st.status != GNTST_okay) {
        test_fail("setup_table: %ld status %d", rc, st.status);
        return NULL;
    }
    rc = HYPERVISOR_update_va_mapping((uint64_t)(uintptr_t)gt_view, (frame << 12) | 0x67,
                                      UVMF_INVLPG);
    if (rc) {
        test_fail("mapping our grant table: %ld", rc);
        return NULL;
    }
    gtab = (volatile grant_entry_v1_t *)gt_view;
    return gtab;
}

/* Our grant table and VIRQ_DOM_EXC, once per boot. */
static int cycle_setup(void)
{
    if (!grant_table_self())
        return -1;
    if (dom_exc_port > 0)
        return 0;
    dom_exc_port = evt_bind_virq(VIRQ_DOM_EXC, 0);
    if (dom_exc_port <= 0) {
        test_fail("bind VIRQ_DOM_EXC: %ld", dom_exc_port);
        return -1;
    }
    return 0;
}

int dom_wait_event(uint32_t port, uint64_t deadline)
{
    while (!evt_test_and_clear(port)) {
        if (clock_ns() >= deadline)
            return 0;
        evt_poll(port, clock_ns() + 100 * NSEC_PER_MSEC);
    }
    return 1;
}

static int shut_down_with(domid_t dom, unsigned int *code)
{
    struct xen_domctl_getdomaininfo info;

    if (domctl_info(dom, &info) || info.domain != dom ||
        !(info.flags & XEN_DOMINF_shutdown))
        return 0;
    *code = (info.flags >> XEN_DOMINF_shutdownshift) & 0xff;
    return 1;
}

/* The domU runs: data and events both ways, then its shutdown. */
static int talk(domid_t dom, uint32_t port, unsigned int cycle, struct dom_times *t)
{
    volatile struct dom_exchange *x = (volatile struct dom_exchange *)xchg_page;
    uint64_t deadline = clock_ns() + WAIT_NS;
    unsigned int code = ~0U;
    int exc = 0;
    char want[64], got[sizeof(x->reply)];

    if (!dom_wait_event(port, deadline)) {
        test_fail("cycle %u: no event from d%u", cycle, dom);
        return -1;
    }
    t->first_event = clock_ns();
    t->first_line = x->boot_ns;
    snprintf(want, sizeof(want), "d%u got cycle %u", dom, cycle);
    memcpy(got, (const char *)x->reply, sizeof(got));
    got[sizeof(got) - 1] = '\0';
    if (strcmp(got, want) || x->domid != dom) {
        test_fail("cycle %u: reply '%s' from d%lu, want '%s'", cycle, got, x->domid, want);
        return -1;
    }
    CHECK_EQ(evt_send(port), 0, "event back to the domU");
    while (!shut_down_with(dom, &code) && clock_ns() < deadline)
        exc |= dom_wait_event((uint32_t)dom_exc_port, clock_ns() + 100 * NSEC_PER_MSEC);
    t->shutdown = clock_ns();
    /* Mica raises VIRQ_DOM_EXC once the domain's vCPUs are off the CPUs. */
    if (!exc)
        exc = dom_wait_event((uint32_t)dom_exc_port, clock_ns() + NSEC_PER_SEC);
    if (code != SHUTDOWN_poweroff || !exc) {
        test_fail("cycle %u: d%u shutdown code %d, VIRQ_DOM_EXC %s", cycle, dom,
                  (int)code, exc ? "seen" : "never seen");
        return -1;
    }
    return 0;
}

int dom_cycle(const void *kernel, size_t len, unsigned int cycle, struct dom_times *t)
{
    volatile struct dom_exchange *x = (volatile struct dom_exchange *)xchg_page;
    struct dom_build b = { .kernel = kernel, .kernel_len = len, .nr_pages = DOMU_PAGES };
    char cmdline[96];
    long port = 0;
    int rc = -1;

    if (cycle_setup())
        return -1;
    memset(t, 0, sizeof(*t));
    t->free_before = sysctl_free_pages();
    t->create = clock_ns();
    if (dom_create(&b)) {
        test_fail("cycle %u: %s", cycle, b.why);
        return -1;
    }
    port = evt_alloc_unbound(b.domid);
    if (port <= 0) {
        test_fail("cycle %u: alloc_unbound for d%u: %ld", cycle, b.domid, port);
        goto out;
    }
    memset(xchg_page, 0, PAGE_SIZE);
    snprintf((char *)x->hello, sizeof(x->hello), "hello d%u cycle %u", b.domid, cycle);
    x->cycle = cycle;
    gtab[DOMB_GREF].domid = b.domid;
    gtab[DOMB_GREF].frame = virt_to_mfn(xchg_page);
    __atomic_store_n(&gtab[DOMB_GREF].flags, GTF_permit_access, __ATOMIC_RELEASE);

    snprintf(cmdline, sizeof(cmdline), "test=builder/guest gref=%u peer_port=%ld",
             DOMB_GREF, port);
    b.cmdline = cmdline;
    if (dom_load(&b)) {
        test_fail("cycle %u: building d%u: %s", cycle, b.domid, b.why);
        goto out;                       /* dom_load destroyed it */
    }
    t->built = clock_ns();
    evt_test_and_clear((uint32_t)dom_exc_port);
    if (dom_unpause(b.domid)) {
        test_fail("cycle %u: unpause d%u", cycle, b.domid);
        goto out;
    }
    rc = talk(b.domid, (uint32_t)port, cycle, t);
out:
    if (b.domid) {
        long d = dom_destroy(b.domid);

        if (d && !rc) {
            test_fail("cycle %u: destroydomain d%u: %ld", cycle, b.domid, d);
            rc = -1;
        }
    }
    t->destroyed = clock_ns();
    /* The domU unmapped its grant before it shut down: revocable now. */
    if (gtab[DOMB_GREF].flags & (GTF_reading | GTF_writing)) {
        test_fail("cycle %u: grant still in use after destroy (flags %#x)", cycle,
                  gtab[DOMB_GREF].flags);
        rc = -1;
    }
    gtab[DOMB_GREF].flags = 0;
    if (port > 0)
        evt_close((uint32_t)port);
    t->free_after = sysctl_free_pages();
    return rc;
}
