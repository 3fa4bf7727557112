/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/domctl.c - HYPERVISOR_domctl from the control domain:
 * the interface-version and domain-id checks, queries on our own domain,
 * and a domain's life from createdomain to destroydomain (limits, vCPUs,
 * pausing, handle, vCPU state, affinity, scheduler parameters), and
 * getvcpuinfo, what xl vcpu-list shows.
 */
#include "ctl-lib.h"
#include <clock.h>
#include <public/memory.h>

static const xen_domain_handle_t handle_a = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4,
                                              5, 6, 7, 8, 9, 10, 11, 12 };
static const xen_domain_handle_t handle_b = { 0x11, 0x22, 0x33, 0x44 };

/* A PV domain with default grant and event limits, named handle_a. */
static long create(domid_t want, uint32_t max_vcpus, domid_t *id)
{
    return domctl_create(want, max_vcpus, handle_a, id);
}

static long simple(uint32_t cmd, domid_t dom)
{
    struct xen_domctl op = { 0 };

    return domctl(&op, cmd, dom);
}

TEST(version, "domctl/interface_version")
{
    struct xen_domctl op = { 0 };

    op.cmd = XEN_DOMCTL_getdomaininfo;
    op.interface_version = XEN_DOMCTL_INTERFACE_VERSION - 1;
    CHECK_EQ(HYPERVISOR_domctl(&op), -EACCES, "older interface version");
    op.interface_version = XEN_DOMCTL_INTERFACE_VERSION + 1;
    CHECK_EQ(HYPERVISOR_domctl(&op), -EACCES, "newer interface version");
    /* The version is checked before the command is even looked at. */
    op.cmd = 0xdead;
    CHECK_EQ(HYPERVISOR_domctl(&op), -EACCES, "unknown command, wrong version");
    CHECK_EQ(HYPERVISOR_domctl((void *)0x1000), -EFAULT, "unreadable argument");
}

TEST(self_info, "domctl/getdomaininfo_self")
{
    struct xen_domctl_getdomaininfo info;
    domid_t self = DOMID_SELF;
    long cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    long max = HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self);

    CHECK_EQ(domctl_info(self_domid(), &info), 0, "getdomaininfo(0)");
    CHECK_EQ(info.domain, self_domid(), "domain");
    CHECK(info.flags & XEN_DOMINF_running, "we are running: flags %#x", info.flags);
    CHECK(!(info.flags & (XEN_DOMINF_dying | XEN_DOMINF_shutdown | XEN_DOMINF_paused |
                          XEN_DOMINF_blocked | XEN_DOMINF_hvm_guest)),
          "unexpected flags %#x", info.flags);
    CHECK_EQ(info.tot_pages, cur, "tot_pages = current_reservation");
    CHECK_EQ(info.max_pages, max, "max_pages = maximum_reservation");
    CHECK_EQ(info.shared_info_frame, start_info->shared_info >> 12, "shared_info_frame");
    CHECK(info.nr_online_vcpus >= 1, "nr_online_vcpus %u", info.nr_online_vcpus);
    CHECK(info.max_vcpu_id + 1 >= info.nr_online_vcpus, "max_vcpu_id %u", info.max_vcpu_id);
    CHECK_EQ(info.ssidref, 0, "ssidref");
    CHECK(info.cpu_time > 0, "cpu_time is 0");
    CHECK(info.gpaddr_bits >= 32, "gpaddr_bits %u", info.gpaddr_bits);
}

TEST(bad_domain, "domctl/bad_domain")
{
    struct xen_domctl_getdomaininfo info;

    CHECK_EQ(domctl_info(NO_SUCH_DOMID, &info), -ESRCH, "getdomaininfo above all domains");
    CHECK_EQ(domctl_info(DOMID_SELF, &info), -EINVAL, "getdomaininfo(DOMID_SELF)");
    CHECK_EQ(simple(XEN_DOMCTL_pausedomain, NO_SUCH_DOMID), -ESRCH, "pausedomain");
    CHECK_EQ(simple(XEN_DOMCTL_unpausedomain, NO_SUCH_DOMID), -ESRCH, "unpausedomain");
    CHECK_EQ(simple(XEN_DOMCTL_destroydomain, NO_SUCH_DOMID), -ESRCH, "destroydomain");
    CHECK_EQ(simple(XEN_DOMCTL_pausedomain, DOMID_SELF), -ESRCH,
             "DOMID_SELF means nothing to domctl");
}

TEST(self_refusals, "domctl/self_refusals")
{
    struct xen_domctl op = { 0 };

    CHECK_EQ(simple(XEN_DOMCTL_pausedomain, self_domid()), -EINVAL, "pause ourselves");
    CHECK_EQ(simple(XEN_DOMCTL_destroydomain, self_domid()), -EINVAL, "destroy ourselves");
    op.u.max_vcpus.max = 1;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_max_vcpus, self_domid()), -EINVAL, "max_vcpus on ourselves");
    op.u.vcpucontext.vcpu = 0;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_getvcpucontext, self_domid()), -EINVAL,
             "getvcpucontext of the running vCPU");
}

TEST(create_refusals, "domctl/createdomain_refusals")
{
    struct xen_domctl op = { 0 };

    CHECK_EQ(create(0, 0, NULL), -EINVAL, "no vCPUs");
    op.u.createdomain.max_vcpus = 1;
    op.u.createdomain.flags = 1U << 20;
    op.u.createdomain.grant_opts = XEN_DOMCTL_GRANT_version(1);
    CHECK_EQ(domctl(&op, XEN_DOMCTL_createdomain, 0), -EINVAL, "unknown flag");
    op.u.createdomain.flags = 0;
    op.u.createdomain.grant_opts = 0x100;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_createdomain, 0), -EINVAL, "unknown grant option");
}

static void check_new_info(domid_t id, uint32_t paused, uint32_t max_vcpu_id,
                           uint64_t max_pages, const uint8_t *handle)
{
    struct xen_domctl_getdomaininfo info;

    CHECK_EQ(domctl_info(id, &info), 0, "getdomaininfo");
    CHECK_EQ(info.domain, id, "domain");
    /* Bits 16 up: the shutdown code, -1 while there is none. */
    CHECK_EQ(info.flags, paused | 0xffff0000U, "flags (no vCPU online)");
    CHECK_EQ(info.nr_online_vcpus, 0, "nr_online_vcpus");
    CHECK_EQ(info.max_vcpu_id, max_vcpu_id, "max_vcpu_id");
    CHECK_EQ(info.tot_pages, 0, "tot_pages");
    CHECK_EQ(info.max_pages, max_pages, "max_pages");
    CHECK_EQ(info.cpu_time, 0, "cpu_time");
    CHECK(info.shared_info_frame != 0, "no shared_info frame");
    CHECK(!memcmp(info.handle, handle, sizeof(info.handle)), "handle differs");
}

TEST(lifecycle, "domctl/lifecycle")
{
    struct xen_domctl op = { 0 };
    struct xen_domctl_getdomaininfo info;
    static struct vcpu_guest_context ctxt;
    const uint64_t *p2m = (const uint64_t *)(uintptr_t)start_info->mfn_list;
    domid_t id;
    long rc;

    if ((rc = create(0, 1, &id))) {
        test_fail("createdomain: %ld", rc);
        return;
    }
    test_note("created domain %u", id);
    CHECK(id != self_domid() && id < DOMID_FIRST_RESERVED, "new id %u", id);
    CHECK_EQ(create(id, 1, NULL), -EEXIST, "createdomain with a used id");
    /* A new domain starts paused by the toolstack, empty and without vCPUs. */
    check_new_info(id, XEN_DOMINF_paused, XEN_INVALID_MAX_VCPU_ID, 0, handle_a);

    op.u.max_vcpus.max = 2;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_max_vcpus, id), -EINVAL, "max_vcpus differs from create");
    op.u.max_vcpus.max = 1;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_max_vcpus, id), 0, "max_vcpus");
    op.u.max_mem.max_memkb = 32 << 10;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_max_mem, id), 0, "max_mem 32 MiB");
    memcpy(op.u.setdomainhandle.handle, handle_b, sizeof(handle_b));
    CHECK_EQ(domctl(&op, XEN_DOMCTL_setdomainhandle, id), 0, "setdomainhandle");
    check_new_info(id, XEN_DOMINF_paused, 0, 8192, handle_b);

    /* Its vCPU was never given a state. */
    op.u.vcpucontext.vcpu = 0;
    op.u.vcpucontext.ctxt = HC_PTR(&ctxt);
    CHECK_EQ(domctl(&op, XEN_DOMCTL_getvcpucontext, id), -ENODATA, "getvcpucontext");
    op.u.vcpucontext.vcpu = 1;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_getvcpucontext, id), -EINVAL, "getvcpucontext vCPU 1");
    /* A page table it does not own is no L4 for it. */
    memset(&ctxt, 0, sizeof(ctxt));
    ctxt.ctrlreg[3] = p2m[(start_info->pt_base - 0xffffffff80000000UL) >> 12] << 12;
    op.u.vcpucontext.vcpu = 0;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_setvcpucontext, id), -EINVAL, "setvcpucontext, our L4");

    CHECK_EQ(simple(XEN_DOMCTL_unpausedomain, id), 0, "unpause");
    check_new_info(id, 0, 0, 8192, handle_b);
    CHECK_EQ(simple(XEN_DOMCTL_unpausedomain, id), -EINVAL, "unpause when not paused");
    CHECK_EQ(simple(XEN_DOMCTL_pausedomain, id), 0, "pause");
    CHECK_EQ(simple(XEN_DOMCTL_pausedomain, id), 0, "pause twice");
    check_new_info(id, XEN_DOMINF_paused, 0, 8192, handle_b);
    CHECK_EQ(simple(XEN_DOMCTL_unpausedomain, id), 0, "unpause once");
    check_new_info(id, XEN_DOMINF_paused, 0, 8192, handle_b);

    CHECK_EQ(simple(XEN_DOMCTL_destroydomain, id), 0, "destroydomain");
    /* Gone, or at worst still being torn down. */
    rc = domctl_info(id, &info);
    CHECK(rc == -ESRCH || info.domain != id || (info.flags & XEN_DOMINF_dying),
          "domain %u still there after destroydomain (rc %ld)", id, rc);
}

static long vcpuinfo(domid_t dom, uint32_t vcpu, struct xen_domctl_getvcpuinfo *vi)
{
    struct xen_domctl op = { 0 };
    long rc;

    op.u.getvcpuinfo.vcpu = vcpu;
    rc = domctl(&op, XEN_DOMCTL_getvcpuinfo, dom);
    *vi = op.u.getvcpuinfo;
    return rc;
}

/* The vCPU we run on: up, on a CPU, not blocked, its time counting. */
static void check_own_vcpu(void)
{
    struct xen_domctl_getvcpuinfo vi, later;
    struct xen_domctl_getdomaininfo info;
    struct xen_sysctl op = { 0 };
    uint64_t until;

    CHECK_EQ(sysctl(&op, XEN_SYSCTL_physinfo), 0, "physinfo");
    CHECK_EQ(vcpuinfo(self_domid(), 0, &vi), 0, "getvcpuinfo of our vCPU 0");
    CHECK_EQ(vi.vcpu, 0, "vcpu");
    CHECK(vi.online && vi.running && !vi.blocked, "online %u running %u blocked %u",
          vi.online, vi.running, vi.blocked);
    CHECK(vi.cpu < op.u.physinfo.nr_cpus, "cpu %u of %u", vi.cpu, op.u.physinfo.nr_cpus);
    CHECK(vi.cpu_time > 0, "cpu_time is 0");
    /* 2 ms of spinning is 2 ms more running time (less what TCG steals). */
    until = clock_ns() + 2000000;
    while (clock_ns() < until)
        ;
    CHECK_EQ(vcpuinfo(self_domid(), 0, &later), 0, "getvcpuinfo again");
    CHECK(later.cpu_time >= vi.cpu_time + 1000000, "cpu_time %lu then %lu ns",
          vi.cpu_time, later.cpu_time);
    CHECK_EQ(domctl_info(self_domid(), &info), 0, "getdomaininfo");
    CHECK(info.cpu_time >= later.cpu_time, "domain's %lu ns < vCPU 0's %lu ns",
          info.cpu_time, later.cpu_time);
}

TEST(getvcpuinfo, "domctl/getvcpuinfo")
{
    struct xen_domctl op = { 0 };
    struct xen_domctl_getvcpuinfo vi;
    domid_t id;
    long rc;

    check_own_vcpu();
    CHECK_EQ(vcpuinfo(self_domid(), 4096, &vi), -EINVAL, "vCPU 4096");
    CHECK_EQ(vcpuinfo(self_domid(), ~0U, &vi), -EINVAL, "vCPU ~0");
    CHECK_EQ(vcpuinfo(NO_SUCH_DOMID, 0, &vi), -ESRCH, "no such domain");

    if ((rc = create(0, 2, &id))) {
        test_fail("createdomain: %ld", rc);
        return;
    }
    /* vCPUs below createdomain's max exist only after max_vcpus. */
    CHECK_EQ(vcpuinfo(id, 0, &vi), -ESRCH, "vCPU 0 before max_vcpus");
    CHECK_EQ(vcpuinfo(id, 2, &vi), -EINVAL, "vCPU 2 of 2");
    op.u.max_vcpus.max = 2;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_max_vcpus, id), 0, "max_vcpus");
    for (uint32_t i = 0; i < 2; i++) {
        CHECK_EQ(vcpuinfo(id, i, &vi), 0, "getvcpuinfo of a new vCPU");
        CHECK_EQ(vi.vcpu, i, "vcpu");
        CHECK(!vi.online && !vi.running && !vi.blocked,
              "new vCPU %u: online %u running %u blocked %u", i, vi.online,
              vi.running, vi.blocked);
        CHECK_EQ(vi.cpu_time, 0, "a new vCPU's cpu_time");
    }
    CHECK_EQ(vcpuinfo(id, 2, &vi), -EINVAL, "vCPU 2 of 2, after max_vcpus");
    CHECK_EQ(simple(XEN_DOMCTL_destroydomain, id), 0, "destroydomain");
}

TEST(scheduler, "domctl/scheduler_op")
{
    struct xen_sysctl sop = { 0 };
    struct xen_domctl op = { 0 };
    uint32_t sched;

    CHECK_EQ(sysctl(&sop, XEN_SYSCTL_sched_id), 0, "sched_id");
    sched = sop.u.sched_id.sched_id;
    op.u.scheduler_op.sched_id = sched;
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_scheduler_op, self_domid()), 0, "getinfo");
    CHECK_EQ(op.u.scheduler_op.u.credit.weight, 256, "default weight");
    CHECK_EQ(op.u.scheduler_op.u.credit.cap, 0, "default cap");

    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
    op.u.scheduler_op.u.credit.weight = 512;
    op.u.scheduler_op.u.credit.cap = 0;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_scheduler_op, self_domid()), 0, "putinfo weight 512");
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
    op.u.scheduler_op.u.credit.weight = 0;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_scheduler_op, self_domid()), 0, "getinfo");
    CHECK_EQ(op.u.scheduler_op.u.credit.weight, 512, "weight after putinfo");

    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
    op.u.scheduler_op.u.credit.weight = 256;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_scheduler_op, self_domid()), 0, "restore weight");
    op.u.scheduler_op.sched_id = sched ^ 0xff;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_scheduler_op, self_domid()), -EINVAL,
             "another scheduler's id");
    op.u.scheduler_op.sched_id = sched;
    op.u.scheduler_op.cmd = 7;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_scheduler_op, self_domid()), -EINVAL, "unknown sub-op");
}

TEST(affinity, "domctl/vcpu_affinity")
{
    struct xen_domctl op = { 0 };
    uint8_t hard[8], soft[8];
    domid_t id;
    long rc;

    memset(hard, 0, sizeof(hard));
    op.u.vcpuaffinity.vcpu = 0;
    op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
    op.u.vcpuaffinity.cpumap_hard.bitmap = HC_PTR(hard);
    op.u.vcpuaffinity.cpumap_hard.nr_bits = 64;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_getvcpuaffinity, self_domid()), 0, "get our vCPU 0");
    CHECK(hard[0] & 1, "CPU 0 not in our hard affinity (%#x)", hard[0]);
    op.u.vcpuaffinity.flags = 0;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_getvcpuaffinity, self_domid()), -EINVAL, "no flags");
    op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
    op.u.vcpuaffinity.vcpu = 1000;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_getvcpuaffinity, self_domid()), -EINVAL, "vCPU 1000");

    if ((rc = create(0, 1, &id))) {
        test_fail("createdomain: %ld", rc);
        return;
    }
    op.u.max_vcpus.max = 1;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_max_vcpus, id), 0, "max_vcpus");
    memset(&op.u, 0, sizeof(op.u));
    memset(hard, 0, sizeof(hard));
    memset(soft, 0xff, sizeof(soft));
    hard[0] = 1;
    op.u.vcpuaffinity.vcpu = 0;
    op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
    op.u.vcpuaffinity.cpumap_hard.bitmap = HC_PTR(hard);
    op.u.vcpuaffinity.cpumap_hard.nr_bits = 64;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_setvcpuaffinity, id), 0, "pin to CPU 0");
    CHECK_EQ(hard[0], 1, "effective hard affinity");
    memset(hard, 0xff, sizeof(hard));
    CHECK_EQ(domctl(&op, XEN_DOMCTL_getvcpuaffinity, id), 0, "get it back");
    CHECK_EQ(hard[0], 1, "hard affinity byte 0");
    CHECK_EQ(hard[1], 0, "hard affinity byte 1");
    memset(hard, 0, sizeof(hard));
    CHECK_EQ(domctl(&op, XEN_DOMCTL_setvcpuaffinity, id), -EINVAL, "empty hard affinity");
    CHECK_EQ(simple(XEN_DOMCTL_destroydomain, id), 0, "destroydomain");
}

TEST_XEN_DIFFERS(limits, "domctl/limits",
                 "set_max_evtchn and set_gnttab_limits are Mica's (retired in Xen 4.17)")
{
    struct xen_domctl op = { 0 };
    domid_t id;
    long rc;

    if ((rc = create(0, 1, &id))) {
        test_fail("createdomain: %ld", rc);
        return;
    }
    op.u.set_max_evtchn.max_port = 63;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_set_max_evtchn, id), 0, "set_max_evtchn 63");
    op.u.set_gnttab_limits.grant_frames = 4;
    op.u.set_gnttab_limits.maptrack_frames = 8;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_set_gnttab_limits, id), 0, "set_gnttab_limits");
    op.u.set_gnttab_limits.grant_frames = 0;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_set_gnttab_limits, id), -EINVAL, "no grant frames");
    CHECK_EQ(simple(0xdead, id), -ENOSYS, "unknown command");
    CHECK_EQ(simple(XEN_DOMCTL_destroydomain, id), 0, "destroydomain");
}

static long foreign_resv(unsigned int cmd, domid_t dom, uint64_t *frames, unsigned long n)
{
    struct xen_memory_reservation r = {
        .extent_start = HC_PTR(frames),
        .nr_extents = n,
        .extent_order = 0,
        .domid = dom,
    };

    return HYPERVISOR_memory_op(cmd, &r);
}

/* The toolstack gives a new domain its memory, up to its max_mem. */
TEST(foreign_memory, "domctl/foreign_reservation")
{
    struct xen_domctl op = { 0 };
    struct xen_domctl_getdomaininfo info;
    uint64_t frames[8];
    domid_t id, none = NO_SUCH_DOMID;
    long rc;

    if ((rc = create(0, 1, &id))) {
        test_fail("createdomain: %ld", rc);
        return;
    }
    op.u.max_mem.max_memkb = 6 * 4;             /* six frames */
    CHECK_EQ(domctl(&op, XEN_DOMCTL_max_mem, id), 0, "max_mem");
    for (unsigned int i = 0; i < ARRAY_SIZE(frames); i++)
        frames[i] = i;                          /* pfns to populate */
    CHECK_EQ(foreign_resv(XENMEM_populate_physmap, id, frames, 4), 4, "populate 4");
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &id), 4, "current_reservation");
    CHECK_EQ(domctl_info(id, &info), 0, "getdomaininfo");
    CHECK_EQ(info.tot_pages, 4, "tot_pages");
    /* Stops at the limit and says how far it got. */
    for (unsigned int i = 4; i < ARRAY_SIZE(frames); i++)
        frames[i] = i;
    CHECK_EQ(foreign_resv(XENMEM_populate_physmap, id, frames + 4, 4), 2, "populate past max_mem");
    /* frames[] now holds the machine frames: give two back. */
    CHECK_EQ(foreign_resv(XENMEM_decrease_reservation, id, frames, 2), 2, "decrease 2");
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &id), 4, "after decrease");
    CHECK_EQ(foreign_resv(XENMEM_decrease_reservation, id, frames, 1), 0,
             "a frame it no longer owns");
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &none), -ESRCH,
             "current_reservation of no domain");
    CHECK_EQ(foreign_resv(XENMEM_populate_physmap, none, frames, 1), 0,
             "populate no domain: none done");
    CHECK_EQ(simple(XEN_DOMCTL_destroydomain, id), 0, "destroydomain with memory");
}
