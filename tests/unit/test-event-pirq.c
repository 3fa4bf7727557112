/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-event-pirq.c - PIRQs (common/event-pirq.c) on the host:
 * mapping rules and errnos, get_free_pirq's choice, binding to event
 * channels, an interrupt reaching the bound port, a level-triggered line
 * staying masked until the EOI, unmapping a bound PIRQ, and teardown.
 * The IO-APIC is a stand-in that records what was asked of it.
 */
#include "harness.h"
#include "evtchn-fixture.h"
#include <public/physdev.h>
#include <mica/page.h>
#include <asm/io-apic.h>

#define NR_GSIS     24
#define PIT_GSI     2

/* ---- the IO-APIC stand-in ------------------------------------------------ */

static gsi_handler_t handler[NR_GSIS];
static int unmasks[NR_GSIS], disables[NR_GSIS];
static int enable_rc;

unsigned int ioapic_nr_gsis(void) { return NR_GSIS; }
bool ioapic_gsi_reserved(unsigned int gsi) { return gsi == PIT_GSI; }
/* ISA lines are edge-triggered, the others level, as on a PC. */
bool ioapic_gsi_is_level(unsigned int gsi) { return gsi >= 16; }

int ioapic_gsi_enable(unsigned int gsi, gsi_handler_t fn)
{
    CU_ASSERT_FATAL(gsi < NR_GSIS);
    if (enable_rc)
        return enable_rc;
    CU_ASSERT_PTR_NULL(handler[gsi]);
    handler[gsi] = fn;
    return 0;
}

void ioapic_gsi_disable(unsigned int gsi)
{
    CU_ASSERT_FATAL(gsi < NR_GSIS);
    handler[gsi] = NULL;
    disables[gsi]++;
}

void ioapic_gsi_unmask(unsigned int gsi)
{
    CU_ASSERT_FATAL(gsi < NR_GSIS);
    unmasks[gsi]++;
}

/* No frames on the host: no EOI bitmap can be registered. */
struct page_info *frame_table;
mfn_t frame_table_size;
int get_page_and_type(struct page_info *pg, const struct domain *d, unsigned int t)
{
    return -EINVAL;
}
void put_page_and_type(struct page_info *pg) { }

static int pirq_setup(void)
{
    memset(handler, 0, sizeof(handler));
    memset(unmasks, 0, sizeof(unmasks));
    memset(disables, 0, sizeof(disables));
    enable_rc = 0;
    return setup();
}

static void pirq_teardown(void)
{
    teardown();
    pirq_destroy(D0);
    pirq_destroy(D1);
}

/* The line fires, as the IO-APIC driver would report it. */
static void fire(unsigned int gsi)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(handler[gsi]);
    handler[gsi](gsi);
}

static int bind(struct domain *d, uint32_t pirq)
{
    struct evtchn_bind_pirq b = { .pirq = pirq };
    int rc = evtchn_bind_pirq(d, &b);

    return rc ? rc : (int)b.port;
}

static void test_map_rules(void)
{
    int p = -1, q = -1, r;

    pirq_setup();
    CU_ASSERT_EQUAL(pirq_map_gsi(D0, 20, &p), 0);
    CU_ASSERT_EQUAL(p, 16);                     /* first GSI-type PIRQ */
    CU_ASSERT_EQUAL(pirq_map_gsi(D0, 20, &q), 0);
    CU_ASSERT_EQUAL(q, p);                      /* the same again */
    r = p + 1;
    CU_ASSERT_EQUAL(pirq_map_gsi(D0, 20, &r), -EEXIST);
    r = -1;
    CU_ASSERT_EQUAL(pirq_map_gsi(D0, NR_GSIS, &r), -EINVAL);
    CU_ASSERT_EQUAL(pirq_map_gsi(D0, -1, &r), -EINVAL);
    r = pirq_count(D0);
    CU_ASSERT_EQUAL(pirq_map_gsi(D0, 21, &r), -EINVAL);    /* PIRQ out of range */
    /* A line belongs to one domain. */
    r = -1;
    CU_ASSERT_EQUAL(pirq_map_gsi(D1, 20, &r), -EBUSY);
    CU_ASSERT_EQUAL(pirq_unmap(D0, p), 0);
    CU_ASSERT_EQUAL(pirq_unmap(D0, p), -EINVAL);
    CU_ASSERT_EQUAL(pirq_unmap(D0, -1), -EINVAL);
    CU_ASSERT_EQUAL(pirq_map_gsi(D1, 20, &r), 0);          /* free again */
    pirq_teardown();
}

static void test_get_free(void)
{
    unsigned int top = pirq_count(D0) - 1;
    int p = -1;

    pirq_setup();
    CU_ASSERT_EQUAL(pirq_get_free(D0, MAP_PIRQ_TYPE_GSI), 16);
    CU_ASSERT_EQUAL(pirq_get_free(D0, MAP_PIRQ_TYPE_GSI), 17);
    CU_ASSERT_EQUAL(pirq_get_free(D0, MAP_PIRQ_TYPE_MSI), (int)top);
    CU_ASSERT_EQUAL(pirq_get_free(D0, MAP_PIRQ_TYPE_MSI), (int)top - 1);
    /* Reserved PIRQs are skipped by the next map, and are not mapped. */
    CU_ASSERT_EQUAL(pirq_map_gsi(D0, 22, &p), 0);
    CU_ASSERT_EQUAL(p, 18);
    CU_ASSERT_EQUAL(pirq_unmap(D0, 16), -EINVAL);
    CU_ASSERT_EQUAL(bind(D0, 17), -EPERM);
    /* A domU has fewer. */
    CU_ASSERT_TRUE(pirq_count(D1) < pirq_count(D0));
    pirq_teardown();
}

static void test_edge_interrupt(void)
{
    struct evtchn_status st = { .dom = DOMID_SELF };
    int p = 4, port;

    pirq_setup();
    CU_ASSERT_EQUAL(pirq_map_gsi(D0, 4, &p), 0);
    port = bind(D0, p);
    CU_ASSERT_TRUE_FATAL(port > 0);
    st.port = port;
    CU_ASSERT_EQUAL(evtchn_status(D0, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_pirq);
    CU_ASSERT_EQUAL(st.u.pirq, 4);
    CU_ASSERT_EQUAL(bind(D0, p), -EEXIST);
    fire(4);
    CU_ASSERT_TRUE(pending(D0, port));
    CU_ASSERT_EQUAL(kicks[0], 1);
    CU_ASSERT_EQUAL(kick_refs[0], 2);           /* held across the raise */
    CU_ASSERT_EQUAL(D0->refcnt, 1);             /* and let go */
    /* Edge: nothing in flight, so the EOI unmasks nothing. */
    CU_ASSERT_EQUAL(pirq_eoi(D0, p), 0);
    CU_ASSERT_EQUAL(unmasks[4], 0);
    CU_ASSERT_EQUAL(evtchn_close(D0, port), 0);
    CU_ASSERT_EQUAL(disables[4], 1);
    CU_ASSERT_PTR_NULL(handler[4]);
    pirq_teardown();
}

static void test_level_masked_until_eoi(void)
{
    int p = -1, port;

    pirq_setup();
    CU_ASSERT_EQUAL(pirq_map_gsi(D0, 17, &p), 0);
    port = bind(D0, p);
    CU_ASSERT_TRUE_FATAL(port > 0);
    fire(17);
    CU_ASSERT_TRUE(pending(D0, port));
    CU_ASSERT_EQUAL(unmasks[17], 0);
    CU_ASSERT_EQUAL(pirq_eoi(D0, p), 0);
    CU_ASSERT_EQUAL(unmasks[17], 1);            /* the EOI lets it fire again */
    CU_ASSERT_EQUAL(pirq_eoi(D0, p), 0);
    CU_ASSERT_EQUAL(unmasks[17], 1);            /* once */
    /* In flight when the port closes: no unmask comes after the close. */
    fire(17);
    CU_ASSERT_EQUAL(evtchn_close(D0, port), 0);
    CU_ASSERT_EQUAL(pirq_eoi(D0, p), 0);
    CU_ASSERT_EQUAL(unmasks[17], 1);
    CU_ASSERT_EQUAL(pirq_eoi(D0, 40), -EINVAL);  /* never used */
    CU_ASSERT_EQUAL(pirq_eoi(D0, 100000), -EINVAL);
    pirq_teardown();
}

static void test_bind_errors(void)
{
    unsigned int active;
    int p = PIT_GSI, q = 5;

    pirq_setup();
    CU_ASSERT_EQUAL(bind(D0, 100000), -EINVAL);
    CU_ASSERT_EQUAL(bind(D0, 30), -EPERM);      /* nothing mapped */
    CU_ASSERT_EQUAL(bind(D1, 5), -EPERM);
    CU_ASSERT_EQUAL(pirq_map_gsi(D0, PIT_GSI, &p), 0);
    CU_ASSERT_EQUAL(bind(D0, p), -EBUSY);       /* the hypervisor's line */
    CU_ASSERT_EQUAL(pirq_map_gsi(D0, 5, &q), 0);
    active = evtchn_active_ports(D0);
    enable_rc = -ENOSPC;
    CU_ASSERT_EQUAL(bind(D0, q), -ENOSPC);
    CU_ASSERT_EQUAL(evtchn_active_ports(D0), active);   /* no port leaked */
    enable_rc = 0;
    CU_ASSERT_TRUE(bind(D0, q) > 0);
    pirq_teardown();
    CU_ASSERT_EQUAL(disables[5], 1);            /* closed with the domain */
}

static void test_unmap_while_bound(void)
{
    struct evtchn_status st = { .dom = DOMID_SELF };
    gsi_handler_t fn;
    int p = 6, port;

    pirq_setup();
    CU_ASSERT_EQUAL(pirq_map_gsi(D0, 6, &p), 0);
    port = bind(D0, p);
    CU_ASSERT_TRUE_FATAL(port > 0);
    fn = handler[6];
    CU_ASSERT_EQUAL(pirq_unmap(D0, p), 0);
    CU_ASSERT_EQUAL(disables[6], 1);
    st.port = port;
    CU_ASSERT_EQUAL(evtchn_status(D0, &st), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_pirq);   /* the port stays */
    /* A late interrupt finds no owner. */
    ack_all();
    fn(6);
    CU_ASSERT_FALSE(pending(D0, port));
    CU_ASSERT_EQUAL(bind(D0, p), -EPERM);
    CU_ASSERT_EQUAL(evtchn_close(D0, port), 0);
    CU_ASSERT_EQUAL(disables[6], 1);
    pirq_teardown();
}

static const struct unit_test tests[] = {
    UNIT_TEST(test_map_rules),
    UNIT_TEST(test_get_free),
    UNIT_TEST(test_edge_interrupt),
    UNIT_TEST(test_level_masked_until_eoi),
    UNIT_TEST(test_bind_errors),
    UNIT_TEST(test_unmap_while_bound),
    UNIT_END
};
UNIT_SUITE(event_pirq, NULL, NULL, tests)
