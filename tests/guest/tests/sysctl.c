/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/sysctl.c - HYPERVISOR_sysctl from the control domain:
 * the interface-version check, physinfo, sched_id, getdomaininfolist,
 * readconsole (the hypervisor's log ring) and per-CPU idle time.
 */
#include "ctl-lib.h"
#include <public/memory.h>

static char ring[16384];

TEST(version, "sysctl/interface_version")
{
    struct xen_sysctl op = { 0 };

    op.cmd = XEN_SYSCTL_physinfo;
    op.interface_version = XEN_SYSCTL_INTERFACE_VERSION - 1;
    CHECK_EQ(HYPERVISOR_sysctl(&op), -EACCES, "older interface version");
    op.interface_version = XEN_SYSCTL_INTERFACE_VERSION + 1;
    CHECK_EQ(HYPERVISOR_sysctl(&op), -EACCES, "newer interface version");
    CHECK_EQ(HYPERVISOR_sysctl((void *)0x1000), -EFAULT, "unreadable argument");
}

static long physinfo(struct xen_sysctl_physinfo *pi)
{
    struct xen_sysctl op = { 0 };
    long rc = sysctl(&op, XEN_SYSCTL_physinfo);

    *pi = op.u.physinfo;
    return rc;
}

static long cpuinfo(uint32_t max, struct xen_sysctl_cpuinfo *info, uint32_t *nr)
{
    struct xen_sysctl op = { 0 };
    long rc;

    op.u.getcpuinfo.max_cpus = max;
    op.u.getcpuinfo.info = HC_PTR(info);
    rc = sysctl(&op, XEN_SYSCTL_getcpuinfo);
    *nr = op.u.getcpuinfo.nr_cpus;
    return rc;
}

TEST(physinfo, "sysctl/physinfo")
{
    struct xen_sysctl_physinfo pi;
    struct xen_sysctl_cpuinfo ci[64];
    domid_t self = DOMID_SELF;
    long cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    long top = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
    uint32_t nr;

    CHECK_EQ(physinfo(&pi), 0, "physinfo");
    test_note("%u CPUs, %u kHz, %lu pages (%lu free), caps %#x", pi.nr_cpus,
              pi.cpu_khz, pi.total_pages, pi.free_pages, pi.capabilities);
    CHECK(pi.nr_cpus >= 1 && pi.nr_cpus <= pi.max_cpu_id + 1,
          "nr_cpus %u, max_cpu_id %u", pi.nr_cpus, pi.max_cpu_id);
    CHECK(pi.threads_per_core >= 1 && pi.cores_per_socket >= 1, "topology");
    CHECK(pi.nr_nodes >= 1, "no NUMA node");
    CHECK(pi.cpu_khz > 0, "cpu_khz 0");
    CHECK(pi.capabilities & XEN_SYSCTL_PHYSCAP_pv, "no PV capability");
    CHECK(pi.capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v1, "no grant v1 capability");
    CHECK(pi.total_pages > (uint64_t)cur, "total_pages %lu not above ours %ld",
          pi.total_pages, cur);
    CHECK(pi.free_pages < pi.total_pages, "free_pages %lu", pi.free_pages);
    CHECK(pi.max_mfn + 1 >= (uint64_t)top, "max_mfn %#lx below maximum_ram_page %#lx",
          pi.max_mfn, top);
    CHECK(pi.hw_cap[0] & 1, "hw_cap[0] lacks FPU");
    /* getcpuinfo covers every CPU id there can be. */
    CHECK_EQ(cpuinfo(ARRAY_SIZE(ci), ci, &nr), 0, "getcpuinfo");
    CHECK_EQ(nr, pi.max_cpu_id + 1, "getcpuinfo nr_cpus = max_cpu_id + 1");
}

TEST(sched_id, "sysctl/sched_id")
{
    struct xen_sysctl op = { 0 };

    CHECK_EQ(sysctl(&op, XEN_SYSCTL_sched_id), 0, "sched_id");
    CHECK(op.u.sched_id.sched_id == XEN_SCHEDULER_CREDIT ||
          op.u.sched_id.sched_id == XEN_SCHEDULER_CREDIT2,
          "scheduler %u", op.u.sched_id.sched_id);
}

TEST(domainlist, "sysctl/getdomaininfolist")
{
    static struct xen_domctl_getdomaininfo list[16];
    struct xen_domctl_getdomaininfo one;
    struct xen_sysctl op = { 0 };

    op.u.getdomaininfolist.first_domain = 0;
    op.u.getdomaininfolist.max_domains = ARRAY_SIZE(list);
    op.u.getdomaininfolist.buffer = HC_PTR(list);
    CHECK_EQ(sysctl(&op, XEN_SYSCTL_getdomaininfolist), 0, "from 0");
    CHECK(op.u.getdomaininfolist.num_domains >= 1, "no domains listed");
    CHECK_EQ(list[0].domain, self_domid(), "first entry is dom0");
    CHECK_EQ(domctl_info(self_domid(), &one), 0, "getdomaininfo");
    CHECK_EQ(list[0].tot_pages, one.tot_pages, "same tot_pages as getdomaininfo");
    CHECK_EQ(list[0].shared_info_frame, one.shared_info_frame, "same shared_info_frame");

    op.u.getdomaininfolist.max_domains = 0;
    CHECK_EQ(sysctl(&op, XEN_SYSCTL_getdomaininfolist), 0, "room for none");
    CHECK_EQ(op.u.getdomaininfolist.num_domains, 0, "num_domains with no room");
    op.u.getdomaininfolist.first_domain = 1;
    op.u.getdomaininfolist.max_domains = ARRAY_SIZE(list);
    CHECK_EQ(sysctl(&op, XEN_SYSCTL_getdomaininfolist), 0, "from 1");
    for (uint32_t i = 0; i < op.u.getdomaininfolist.num_domains; i++)
        CHECK(list[i].domain >= 1, "domain %u listed from 1", list[i].domain);
    op.u.getdomaininfolist.first_domain = 0;
    op.u.getdomaininfolist.buffer = 0x1000;
    CHECK_EQ(sysctl(&op, XEN_SYSCTL_getdomaininfolist), -EFAULT, "unwritable buffer");
}

static long readconsole(uint8_t clear, uint8_t incremental, uint32_t *index, uint32_t *count)
{
    struct xen_sysctl op = { 0 };
    long rc;

    op.u.readconsole.clear = clear;
    op.u.readconsole.incremental = incremental;
    op.u.readconsole.index = *index;
    op.u.readconsole.buffer = HC_PTR(ring);
    op.u.readconsole.count = *count;
    rc = sysctl(&op, XEN_SYSCTL_readconsole);
    *index = op.u.readconsole.index;
    *count = op.u.readconsole.count;
    return rc;
}

static int ring_has(const char *what, uint32_t len)
{
    size_t n = strlen(what);

    for (uint32_t i = 0; i + n <= len; i++)
        if (!memcmp(ring + i, what, n))
            return 1;
    return 0;
}

TEST(readconsole, "sysctl/readconsole")
{
    static const char marker[] = "readconsole-marker-7d1f\n";
    static char tail[16];
    uint32_t index = 0, count = sizeof(ring) - 1, first, end;
    int mica;

    CHECK_EQ(readconsole(0, 0, &index, &count), 0, "read the ring");
    first = count;
    end = index;
    test_note("%u bytes, index %u", count, index);
    CHECK(count > sizeof(tail), "log of %u bytes", count);
    /* The hypervisor's banner: Mica's, or Xen's when run on Xen. */
    mica = ring_has("Mica", count);
    CHECK(mica || ring_has("Xen", count), "no banner in the log");
    memcpy(tail, ring + count - sizeof(tail), sizeof(tail));

    /* An incremental read starts where we ask: just before the old end. */
    index = end - sizeof(tail);
    count = sizeof(ring) - 1;
    CHECK_EQ(readconsole(0, 1, &index, &count), 0, "incremental read");
    CHECK(count >= sizeof(tail) && count < first, "incremental read of %u bytes", count);
    CHECK(!memcmp(ring, tail, sizeof(tail)), "incremental read starts elsewhere");

    /* Mica logs what dom0 prints (Xen keeps dom0's output out of its ring). */
    index = end;
    HYPERVISOR_console_io(CONSOLEIO_write, sizeof(marker) - 1, marker);
    count = sizeof(ring) - 1;
    CHECK_EQ(readconsole(0, 1, &index, &count), 0, "incremental read after a write");
    CHECK(!mica || ring_has("readconsole-marker-7d1f", count),
          "marker missing from %u bytes", count);

    count = 8;
    index = 0;
    CHECK_EQ(readconsole(0, 0, &index, &count), 0, "short buffer");
    CHECK_EQ(count, 8, "bytes into an 8-byte buffer");
    count = sizeof(ring) - 1;
    CHECK_EQ(readconsole(1, 0, &index, &count), 0, "read and clear");
    count = sizeof(ring) - 1;
    CHECK_EQ(readconsole(0, 0, &index, &count), 0, "read after clear");
    CHECK(count < first, "after clear %u bytes, before %u", count, first);
}

TEST(cpuinfo, "sysctl/getcpuinfo")
{
    struct xen_sysctl_cpuinfo a[64], b[64];
    uint32_t na, nb;

    CHECK_EQ(cpuinfo(ARRAY_SIZE(a), a, &na), 0, "getcpuinfo");
    for (volatile int spin = 0; spin < 1000000; spin++)
        ;
    CHECK_EQ(cpuinfo(ARRAY_SIZE(b), b, &nb), 0, "getcpuinfo again");
    CHECK_EQ(na, nb, "same CPU count");
    for (uint32_t i = 0; i < na && i < nb; i++)
        CHECK(b[i].idletime >= a[i].idletime, "CPU %u idle time went back", i);
    CHECK_EQ(cpuinfo(1, a, &na), 0, "room for one");
    CHECK_EQ(na, 1, "nr_cpus with room for one");
    CHECK_EQ(cpuinfo(0, a, &na), 0, "room for none");
    CHECK_EQ(na, 0, "nr_cpus with room for none");
}
