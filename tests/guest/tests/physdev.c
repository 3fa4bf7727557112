/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/physdev.c - the control domain's interrupt plumbing,
 * as Linux dom0 uses it: PIRQs mapped to GSIs, bound to event channels,
 * acknowledged; setup_gsi, the EOI bitmap, IO-APIC reads, PCI device
 * notifications.  Real interrupts are raised too: the RTC's periodic
 * interrupt (ISA IRQ 8, edge) must arrive as an event on the bound port,
 * and the ACPI SCI (GSI 9, level), raised by the PM timer's overflow
 * status, must arrive once and stay quiet until dom0's EOI.
 *
 * QEMU's pc machine has one 24-pin IO-APIC.  GSIs 16-23 are wired to
 * nothing there, so mapping and binding them is safe.
 */
#include <lib.h>
#include <arch.h>
#include <clock.h>
#include <hypercall.h>
#include <test.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/physdev.h>

#define NR_GSIS         24
#define IOAPIC_BASE     0xfec00000UL
#define UNUSED_PIRQ     40              /* above the GSIs, below any MSI pick */
#define HUGE            100000
#define NO_SUCH_DOMID   0x7fef
#define PHYS(cmd, arg)  HYPERVISOR_physdev_op(PHYSDEVOP_##cmd, (arg))
#define EVT(cmd, arg)   HYPERVISOR_event_channel_op(EVTCHNOP_##cmd, (arg))

static long map_gsi(int gsi, int *pirq)
{
    struct physdev_map_pirq m = {
        .domid = DOMID_SELF, .type = MAP_PIRQ_TYPE_GSI, .index = gsi, .pirq = *pirq,
    };
    long rc = PHYS(map_pirq, &m);

    *pirq = m.pirq;
    return rc;
}

static long unmap(int pirq)
{
    struct physdev_unmap_pirq u = { .domid = DOMID_SELF, .pirq = pirq };

    return PHYS(unmap_pirq, &u);
}

static long bind_pirq(uint32_t pirq, uint32_t *port)
{
    struct evtchn_bind_pirq b = { .pirq = pirq, .flags = 0 };
    long rc = EVT(bind_pirq, &b);

    *port = b.port;
    return rc;
}

static long eoi(uint32_t pirq)
{
    struct physdev_eoi e = { .irq = pirq };

    return PHYS(eoi, &e);
}

TEST(status_query, "physdev/irq_status_query")
{
    struct physdev_irq_status_query q = { .irq = 5 };

    CHECK_EQ(PHYS(irq_status_query, &q), 0, "pirq 5");
    /* Without the EOI bitmap a PV domain must always EOI. */
    CHECK_EQ(q.flags, XENIRQSTAT_needs_eoi, "flags");
    q.irq = HUGE;
    CHECK_EQ(PHYS(irq_status_query, &q), -EINVAL, "pirq out of range");
    CHECK_EQ(PHYS(irq_status_query, (void *)0x1000), -EFAULT, "unreadable argument");
}

TEST(get_free, "physdev/get_free_pirq")
{
    struct physdev_get_free_pirq a = { .type = MAP_PIRQ_TYPE_GSI }, b = a;
    struct physdev_get_free_pirq m = { .type = MAP_PIRQ_TYPE_MSI };

    CHECK_EQ(PHYS(get_free_pirq, &a), 0, "GSI type");
    CHECK_EQ(PHYS(get_free_pirq, &b), 0, "GSI type again");
    /* GSI-type PIRQs come from the GSI numbers above the ISA ones. */
    CHECK(a.pirq >= 16 && a.pirq < NR_GSIS, "GSI-type pirq %u", a.pirq);
    CHECK(b.pirq >= 16 && b.pirq < NR_GSIS && b.pirq != a.pirq,
          "second GSI-type pirq %u (first %u)", b.pirq, a.pirq);
    CHECK_EQ(PHYS(get_free_pirq, &m), 0, "MSI type");
    CHECK(m.pirq >= NR_GSIS, "MSI-type pirq %u among the GSIs", m.pirq);
    /* Reserved, not mapped: nothing to bind. */
    {
        uint32_t port;

        CHECK_EQ(bind_pirq(a.pirq, &port), -EPERM, "bind a reserved pirq");
        CHECK_EQ(unmap(a.pirq), -EINVAL, "unmap a reserved pirq");
    }
}

TEST(map, "physdev/map_pirq")
{
    struct physdev_map_pirq bad = { .domid = DOMID_SELF, .type = 99, .index = 20, .pirq = -1 };
    int p = -1, q = -1, r;

    CHECK_EQ(map_gsi(20, &p), 0, "GSI 20, any pirq");
    CHECK(p >= 16 && p < NR_GSIS, "pirq %d for GSI 20", p);
    CHECK_EQ(map_gsi(20, &q), 0, "GSI 20 again");
    CHECK_EQ(q, p, "the same pirq again");
    r = p + 1;
    CHECK_EQ(map_gsi(20, &r), -EEXIST, "GSI 20 to another pirq");
    CHECK_EQ(r, p + 1, "pirq left as asked on failure");
    r = 21;
    CHECK_EQ(map_gsi(21, &r), 0, "GSI 21 to pirq 21");
    CHECK_EQ(r, 21, "pirq 21");
    r = -1;
    CHECK_EQ(map_gsi(NR_GSIS + 100, &r), -EINVAL, "no such GSI");
    CHECK_EQ(map_gsi(-5, &r), -EINVAL, "negative GSI");
    CHECK_EQ(PHYS(map_pirq, &bad), -EINVAL, "unknown type");
    bad.type = MAP_PIRQ_TYPE_GSI;
    bad.domid = NO_SUCH_DOMID;
    CHECK_EQ(PHYS(map_pirq, &bad), -ESRCH, "no such domain");

    CHECK_EQ(unmap(p), 0, "unmap GSI 20");
    CHECK_EQ(unmap(p), -EINVAL, "unmap it again");
    CHECK_EQ(unmap(21), 0, "unmap GSI 21");
    CHECK_EQ(unmap(HUGE), -EINVAL, "unmap out of range");
}

TEST(bind, "physdev/bind_pirq")
{
    struct evtchn_status st = { .dom = DOMID_SELF };
    struct evtchn_close cl;
    int pirq = 22;
    uint32_t port, port2;

    CHECK_EQ(bind_pirq(HUGE, &port), -EINVAL, "pirq out of range");
    CHECK_EQ(bind_pirq(UNUSED_PIRQ, &port), -EPERM, "unmapped pirq");
    CHECK_EQ(map_gsi(22, &pirq), 0, "map GSI 22");
    CHECK_EQ(bind_pirq(pirq, &port), 0, "bind");
    CHECK_EQ(bind_pirq(pirq, &port2), -EEXIST, "bind twice");
    st.port = port;
    CHECK_EQ(EVT(status, &st), 0, "status");
    CHECK_EQ(st.status, EVTCHNSTAT_pirq, "status is pirq");
    CHECK_EQ(st.u.pirq, pirq, "status names the pirq");
    CHECK_EQ(st.vcpu, 0, "notified vCPU");
    CHECK_EQ(eoi(pirq), 0, "EOI with nothing in flight");
    cl.port = port;
    CHECK_EQ(EVT(close, &cl), 0, "close");
    CHECK_EQ(EVT(status, &st), 0, "status after close");
    CHECK_EQ(st.status, EVTCHNSTAT_closed, "closed");
    /* Unbound, it can be bound again; unmapped while bound, the port stays. */
    CHECK_EQ(bind_pirq(pirq, &port), 0, "bind again");
    CHECK_EQ(unmap(pirq), 0, "unmap while bound");
    st.port = port;
    CHECK_EQ(EVT(status, &st), 0, "status after unmap");
    CHECK_EQ(st.status, EVTCHNSTAT_pirq, "still a pirq port");
    cl.port = port;
    CHECK_EQ(EVT(close, &cl), 0, "close after unmap");
}

TEST(eoi, "physdev/eoi")
{
    CHECK_EQ(eoi(HUGE), -EINVAL, "pirq out of range");
    CHECK_EQ(eoi(UNUSED_PIRQ), -EINVAL, "pirq never used");
    CHECK_EQ(PHYS(eoi, (void *)0x1000), -EFAULT, "unreadable argument");
}

TEST(setup_gsi, "physdev/setup_gsi")
{
    struct physdev_setup_gsi s = { .gsi = 23, .triggering = 1, .polarity = 1 };

    CHECK_EQ(PHYS(setup_gsi, &s), 0, "GSI 23 level, active low");
    CHECK_EQ(PHYS(setup_gsi, &s), -EEXIST, "GSI 23 again");
    s.gsi = NR_GSIS + 100;
    CHECK_EQ(PHYS(setup_gsi, &s), -EINVAL, "no such GSI");
    s.gsi = -1;
    CHECK_EQ(PHYS(setup_gsi, &s), -EINVAL, "negative GSI");
}

/* The bitmap Linux registers: bit N set while PIRQ N needs an EOI call. */
static uint64_t eoi_map[PAGE_SIZE / 8] __attribute__((aligned(4096)));

TEST(eoi_map, "physdev/pirq_eoi_gmfn")
{
    struct physdev_pirq_eoi_gmfn g = { .gmfn = virt_to_mfn(eoi_map) };
    struct physdev_setup_gsi level = { .gsi = 17, .triggering = 1, .polarity = 1 };
    struct evtchn_close cl;
    int edge = 3, lvl = 17;
    uint32_t pe, pl;

    CHECK_EQ(PHYS(pirq_eoi_gmfn_v2, &g), 0, "register");
    CHECK_EQ(PHYS(pirq_eoi_gmfn_v2, &g), -EBUSY, "register twice");
    /* An ISA line is edge-triggered: no EOI needed; a level one needs it. */
    CHECK_EQ(map_gsi(3, &edge), 0, "map GSI 3");
    CHECK_EQ(PHYS(setup_gsi, &level), 0, "GSI 17 level");
    CHECK_EQ(map_gsi(17, &lvl), 0, "map GSI 17");
    CHECK_EQ(bind_pirq(edge, &pe), 0, "bind GSI 3");
    CHECK_EQ(bind_pirq(lvl, &pl), 0, "bind GSI 17");
    CHECK_EQ((eoi_map[edge / 64] >> (edge % 64)) & 1, 0, "edge pirq bit");
    CHECK_EQ((eoi_map[lvl / 64] >> (lvl % 64)) & 1, 1, "level pirq bit");
    cl.port = pe;
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl), 0, "close edge");
    cl.port = pl;
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl), 0, "close level");
    CHECK_EQ(unmap(edge), 0, "unmap GSI 3");
    CHECK_EQ(unmap(lvl), 0, "unmap GSI 17");
}

TEST(apic_read, "physdev/apic_read")
{
    struct physdev_apic a = { .apic_physbase = IOAPIC_BASE, .reg = 1 };
    struct physdev_irq v = { .irq = 5 };

    CHECK_EQ(PHYS(apic_read, &a), 0, "IO-APIC version register");
    CHECK_EQ((a.value >> 16) & 0xff, NR_GSIS - 1, "highest redirection entry");
    a.apic_physbase = IOAPIC_BASE + 0x100000;
    CHECK_EQ(PHYS(apic_read, &a), -EINVAL, "no IO-APIC there");
    CHECK_EQ(PHYS(alloc_irq_vector, &v), 0, "alloc_irq_vector");
    CHECK_EQ(v.vector, 5, "the 'vector' is the IRQ");
}

TEST(pci, "physdev/pci_device_add")
{
    struct physdev_pci_device_add add = { .seg = 0, .bus = 0, .devfn = 0 };
    struct physdev_manage_pci_ext ext = { .bus = 0, .devfn = 0, .is_extfn = 2 };
    struct physdev_pci_device gone = { .seg = 0, .bus = 0xfe, .devfn = 0xff };

    CHECK_EQ(PHYS(pci_device_add, &add), 0, "add the host bridge");
    CHECK_EQ(PHYS(pci_device_add, &add), 0, "add it again");
    CHECK_EQ(PHYS(manage_pci_add_ext, &ext), -EINVAL, "is_extfn 2");
    CHECK_EQ(PHYS(pci_device_remove, &gone), -ENODEV, "remove a device never added");
}

/* CMOS register access (the RTC is ISA IRQ 8, edge-triggered). */
static uint8_t cmos_read(uint8_t reg)
{
    uint8_t v;

    asm volatile ("outb %b1, $0x70; inb $0x71, %b0" : "=a" (v) : "a" (reg));
    return v;
}

static void cmos_write(uint8_t reg, uint8_t val)
{
    asm volatile ("outb %b0, $0x70" : : "a" (reg));
    asm volatile ("outb %b0, $0x71" : : "a" (val));
}

TEST(rtc_irq, "physdev/rtc_interrupt")
{
    struct physdev_set_iopl iopl = { .iopl = 1 };
    shared_info_t *s = shared_info_map();
    struct evtchn_close cl;
    uint8_t b;
    int pirq = 8;
    uint32_t port;
    uint64_t t0, waited = 0;
    int seen = 0;

    CHECK_EQ(PHYS(set_iopl, &iopl), 0, "iopl 1");
    CHECK_EQ(map_gsi(8, &pirq), 0, "map GSI 8");
    CHECK_EQ(bind_pirq(pirq, &port), 0, "bind");
    /* Watch the port by hand: masked, so no upcall takes the event. */
    __atomic_fetch_or(&s->evtchn_mask[port / 64], 1UL << (port % 64), __ATOMIC_SEQ_CST);
    __atomic_fetch_and(&s->evtchn_pending[port / 64], ~(1UL << (port % 64)),
                       __ATOMIC_SEQ_CST);

    (void)cmos_read(0x0c);                          /* clear old flags */
    b = cmos_read(0x0b);
    cmos_write(0x0a, (cmos_read(0x0a) & 0xf0) | 6); /* 1024 Hz */
    cmos_write(0x0b, b | 0x40);                     /* periodic interrupt on */
    for (t0 = clock_ns(); !seen && waited < 200 * NSEC_PER_MSEC; waited = clock_ns() - t0)
        seen = (s->evtchn_pending[port / 64] >> (port % 64)) & 1;
    cmos_write(0x0b, b & ~0x40);
    (void)cmos_read(0x0c);
    test_note("event after %lu us", waited / 1000);
    CHECK(seen, "no event on port %u in 200 ms of 1024 Hz interrupts", port);
    CHECK_EQ(eoi(pirq), 0, "EOI");

    cl.port = port;
    CHECK_EQ(EVT(close, &cl), 0, "close");
    __atomic_fetch_and(&s->evtchn_pending[port / 64], ~(1UL << (port % 64)),
                       __ATOMIC_SEQ_CST);
    __atomic_fetch_and(&s->evtchn_mask[port / 64], ~(1UL << (port % 64)), __ATOMIC_SEQ_CST);
    CHECK_EQ(unmap(pirq), 0, "unmap");
    iopl.iopl = 0;
    PHYS(set_iopl, &iopl);
}

/* The hypervisor's console UART (COM1 in the tests) is not dom0's. */
TEST(uart_denied, "physdev/console_uart_denied")
{
    struct physdev_set_iopl iopl = { .iopl = 1 };
    uint8_t v;

    CHECK_EQ(PHYS(set_iopl, &iopl), 0, "iopl 1");
    /* The 16550's scratch register would read back what was written. */
    asm volatile ("outb %b0, %w1" :: "a" (0x5a), "d" (0x3ff));
    asm volatile ("inb %w1, %b0" : "=a" (v) : "d" (0x3ff));
    CHECK_EQ(v, 0xff, "COM1 scratch register reads all ones");
    asm volatile ("inb %w1, %b0" : "=a" (v) : "d" (0x3fd));
    CHECK_EQ(v, 0xff, "COM1 line status reads all ones");
    iopl.iopl = 0;
    PHYS(set_iopl, &iopl);
}

/* QEMU's PIIX4 power-management event block (FADT PM1a_EVT_BLK). */
#define PM1_STS         0x600
#define PM1_EN          0x602
#define PM1_TMR         (1U << 0)       /* timer overflow (bit 23 flips) */

static uint16_t inw_port(uint16_t port)
{
    uint16_t v;

    asm volatile ("inw %1, %0" : "=a" (v) : "d" (port));
    return v;
}

static void outw_port(uint16_t port, uint16_t v)
{
    asm volatile ("outw %0, %1" :: "a" (v), "d" (port));
}

static int port_pending(const shared_info_t *s, uint32_t port)
{
    return (s->evtchn_pending[port / 64] >> (port % 64)) & 1;
}

static void clear_pending(shared_info_t *s, uint32_t port)
{
    __atomic_fetch_and(&s->evtchn_pending[port / 64], ~(1UL << (port % 64)),
                       __ATOMIC_SEQ_CST);
}

TEST_XEN_DIFFERS(sci_level, "physdev/sci_level_interrupt",
                 "Xen forces the EOI of a level PIRQ after 1 ms (its eoi_timer), so a line "
                 "still asserted fires again; Mica keeps it masked until dom0's EOI")
{
    struct physdev_set_iopl iopl = { .iopl = 1 };
    shared_info_t *s = shared_info_map();
    struct evtchn_close cl;
    int pirq = 9, seen = 0, again;
    uint32_t port;
    uint64_t t0, waited = 0;

    CHECK_EQ(PHYS(set_iopl, &iopl), 0, "iopl 1");
    CHECK_EQ(map_gsi(9, &pirq), 0, "map GSI 9");
    CHECK_EQ(bind_pirq(pirq, &port), 0, "bind");
    __atomic_fetch_or(&s->evtchn_mask[port / 64], 1UL << (port % 64), __ATOMIC_SEQ_CST);
    clear_pending(s, port);

    outw_port(PM1_STS, PM1_TMR);                    /* write 1 to clear */
    outw_port(PM1_EN, inw_port(PM1_EN) | PM1_TMR);
    /* The 24-bit PM timer overflows every 2.34 s. */
    for (t0 = clock_ns(); !seen && waited < 3000 * NSEC_PER_MSEC; waited = clock_ns() - t0)
        seen = port_pending(s, port);
    test_note("SCI after %lu ms", waited / NSEC_PER_MSEC);
    CHECK(seen, "no event on port %u in 3 s", port);
    /* The line is still asserted: it must not fire again before the EOI. */
    clear_pending(s, port);
    for (t0 = clock_ns(); clock_ns() - t0 < 50 * NSEC_PER_MSEC; )
        ;
    again = port_pending(s, port);
    CHECK(!again, "the level interrupt fired again before its EOI");
    CHECK(inw_port(PM1_STS) & PM1_TMR, "PM1 timer status no longer set");
    outw_port(PM1_EN, inw_port(PM1_EN) & ~PM1_TMR);
    outw_port(PM1_STS, PM1_TMR);                    /* the line drops */
    CHECK_EQ(eoi(pirq), 0, "EOI");

    cl.port = port;
    CHECK_EQ(EVT(close, &cl), 0, "close");
    clear_pending(s, port);
    __atomic_fetch_and(&s->evtchn_mask[port / 64], ~(1UL << (port % 64)), __ATOMIC_SEQ_CST);
    CHECK_EQ(unmap(pirq), 0, "unmap");
    iopl.iopl = 0;
    PHYS(set_iopl, &iopl);
}
