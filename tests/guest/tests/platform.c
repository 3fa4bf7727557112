/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/platform.c - HYPERVISOR_platform_op from the control
 * domain, the sub-ops Linux dom0 uses at boot: the interface-version
 * check, settime64 (the wall clock in shared_info), get_cpuinfo (the pcpu
 * driver), get_cpu_version, firmware_info (EDD, MBR, EFI, keyboard flags);
 * and the mca hypercall's CPU list and (empty) telemetry, for xen-mcelog.
 */
#include <lib.h>
#include <arch.h>
#include <clock.h>
#include <hypercall.h>
#include <test.h>
#include <public/errno.h>
#include <public/platform.h>
#include <public/arch-x86/xen-mca.h>

static long platform_op(struct xen_platform_op *op, uint32_t cmd)
{
    op->cmd = cmd;
    op->interface_version = XENPF_INTERFACE_VERSION;
    return hypercall(__HYPERVISOR_platform_op, HC_PTR(op), 0, 0, 0, 0);
}

TEST(version, "platform/interface_version")
{
    struct xen_platform_op op = { .cmd = XENPF_get_cpuinfo };

    op.interface_version = XENPF_INTERFACE_VERSION + 1;
    CHECK_EQ(hypercall(__HYPERVISOR_platform_op, HC_PTR(&op), 0, 0, 0, 0), -EACCES,
             "wrong interface version");
    CHECK_EQ(hypercall(__HYPERVISOR_platform_op, 0x1000, 0, 0, 0, 0), -EFAULT,
             "unreadable argument");
    CHECK_EQ(platform_op(&op, 9999), -ENOSYS, "unknown sub-op");
}

TEST(cpuinfo, "platform/get_cpuinfo")
{
    struct xen_platform_op op = { 0 };
    uint32_t last;

    CHECK_EQ(platform_op(&op, XENPF_get_cpuinfo), 0, "CPU 0");
    CHECK_EQ(op.u.pcpu_info.flags, XEN_PCPU_FLAGS_ONLINE, "CPU 0 flags");
    CHECK_EQ(op.u.pcpu_info.apic_id, 0, "CPU 0 APIC id");
    CHECK_EQ(op.u.pcpu_info.acpi_id, 0, "CPU 0 ACPI id");
    last = op.u.pcpu_info.max_present;
    test_note("max_present %u", last);
    for (uint32_t c = 1; c <= last; c++) {
        memset(&op, 0, sizeof(op));
        op.u.pcpu_info.xen_cpuid = c;
        CHECK_EQ(platform_op(&op, XENPF_get_cpuinfo), 0, "a present CPU");
        CHECK_EQ(op.u.pcpu_info.flags, XEN_PCPU_FLAGS_ONLINE, "its flags");
        /* QEMU numbers APICs and ACPI processors alike, from 0. */
        CHECK_EQ(op.u.pcpu_info.apic_id, c, "its APIC id");
        CHECK_EQ(op.u.pcpu_info.acpi_id, c, "its ACPI id");
    }
    memset(&op, 0, sizeof(op));
    op.u.pcpu_info.xen_cpuid = last + 1;
    op.u.pcpu_info.apic_id = 0x1234;
    CHECK_EQ(platform_op(&op, XENPF_get_cpuinfo), 0, "a CPU not present");
    CHECK_EQ(op.u.pcpu_info.flags, XEN_PCPU_FLAGS_INVALID, "flags: invalid");
    CHECK_EQ(op.u.pcpu_info.apic_id, 0x1234, "other fields left alone");
    CHECK_EQ(op.u.pcpu_info.max_present, last, "max_present");
}

TEST(cpu_version, "platform/get_cpu_version")
{
    struct xen_platform_op op = { 0 };
    uint32_t a, b, c, d, family, model;
    char vendor[12];

    asm volatile ("cpuid" : "=a" (a), "=b" (b), "=c" (c), "=d" (d) : "a" (0), "c" (0));
    memcpy(vendor, &b, 4);
    memcpy(vendor + 4, &d, 4);
    memcpy(vendor + 8, &c, 4);
    asm volatile ("cpuid" : "=a" (a), "=b" (b), "=c" (c), "=d" (d) : "a" (1), "c" (0));
    family = (a >> 8) & 0xf;
    if (family == 0xf)
        family += (a >> 20) & 0xff;
    model = (a >> 4) & 0xf;
    if (family >= 6)
        model += ((a >> 16) & 0xf) << 4;

    CHECK_EQ(platform_op(&op, XENPF_get_cpu_version), 0, "CPU 0");
    CHECK(!memcmp(op.u.pcpu_version.vendor_id, vendor, 12), "vendor '%.12s', want '%.12s'",
          op.u.pcpu_version.vendor_id, vendor);
    CHECK_EQ(op.u.pcpu_version.family, family, "family");
    CHECK_EQ(op.u.pcpu_version.model, model, "model");
    CHECK_EQ(op.u.pcpu_version.stepping, a & 0xf, "stepping");
    op.u.pcpu_version.xen_cpuid = 4096;
    CHECK_EQ(platform_op(&op, XENPF_get_cpu_version), 0, "no such CPU");
    CHECK_EQ(op.u.pcpu_version.family, 0, "its family");
    CHECK_EQ(op.u.pcpu_version.vendor_id[0], 0, "its vendor");
}

static void read_wallclock(const volatile shared_info_t *s, uint64_t *sec, uint32_t *nsec)
{
    uint32_t v;

    do {
        v = s->wc_version;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        *sec = s->wc_sec | ((uint64_t)s->wc_sec_hi << 32);
        *nsec = s->wc_nsec;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    } while ((v & 1) || v != s->wc_version);
}

TEST(settime, "platform/settime64")
{
    shared_info_t *s = shared_info_map();
    struct xen_platform_op op = { 0 };
    uint64_t sec0, sec;
    uint32_t nsec0, nsec;

    read_wallclock(s, &sec0, &nsec0);
    /* "It is 2000-01-01 00:00:00.5 at system time 3.25 s." */
    op.u.settime64.secs = 946684800;
    op.u.settime64.nsecs = 500000000;
    op.u.settime64.system_time = 3250000000UL;
    op.u.settime64.mbz = 1;
    CHECK_EQ(platform_op(&op, XENPF_settime64), -EINVAL, "mbz not zero");
    op.u.settime64.mbz = 0;
    CHECK_EQ(platform_op(&op, XENPF_settime64), 0, "settime64");
    read_wallclock(s, &sec, &nsec);
    CHECK_EQ(sec, 946684797, "wallclock seconds at system time 0");
    CHECK_EQ(nsec, 250000000, "wallclock nanoseconds");
    /* Put the clock back as it was. */
    op.u.settime64.secs = sec0;
    op.u.settime64.nsecs = nsec0;
    op.u.settime64.system_time = 0;
    CHECK_EQ(platform_op(&op, XENPF_settime64), 0, "settime64 back");
    read_wallclock(s, &sec, &nsec);
    CHECK_EQ(sec, sec0, "seconds restored");
    CHECK_EQ(nsec, nsec0, "nanoseconds restored");
}

static long fw_info(uint32_t type, uint32_t index, struct xen_platform_op *op)
{
    memset(op, 0, sizeof(*op));
    op->u.firmware_info.type = type;
    op->u.firmware_info.index = index;
    return platform_op(op, XENPF_firmware_info);
}

TEST(firmware, "platform/firmware_info")
{
    struct xen_platform_op op;

    /* Under QEMU's BIOS there are no EDD records or MBR signatures. */
    CHECK_EQ(fw_info(XEN_FW_DISK_INFO, 0, &op), -ESRCH, "EDD disk 0");
    CHECK_EQ(fw_info(XEN_FW_DISK_MBR_SIGNATURE, 0, &op), -ESRCH, "MBR signature 0");
    CHECK_EQ(fw_info(XEN_FW_EFI_INFO, 0, &op), -ENOSYS, "EFI on a BIOS boot");
    CHECK_EQ(fw_info(XEN_FW_EFI_INFO, XEN_FW_EFI_RT_VERSION, &op), -ENOSYS,
             "EFI runtime version on a BIOS boot");
    memset(&op, 0, sizeof(op));
    CHECK_EQ(platform_op(&op, XENPF_efi_runtime_call), -ENOSYS,
             "EFI runtime call on a BIOS boot");
    CHECK_EQ(fw_info(XEN_FW_KBD_SHIFT_FLAGS, 0, &op), 0, "keyboard flags");
    test_note("keyboard shift flags %#x", op.u.firmware_info.u.kbd_shift_flags);
    CHECK_EQ(fw_info(XEN_FW_KBD_SHIFT_FLAGS, 1, &op), -ESRCH, "keyboard flags, index 1");
    CHECK_EQ(fw_info(99, 0, &op), -EINVAL, "unknown type");
}

static long mca(struct xen_mc *op, uint32_t cmd)
{
    op->cmd = cmd;
    op->interface_version = XEN_MCA_INTERFACE_VERSION;
    return hypercall(__HYPERVISOR_mca, HC_PTR(op), 0, 0, 0, 0);
}

TEST(mca, "platform/mca")
{
    static xen_mc_logical_cpu_t cpus[8];
    static uint8_t telemetry[4096];
    struct xen_platform_op pop = { 0 };
    struct xen_mc op;
    uint32_t n;

    CHECK_EQ(platform_op(&pop, XENPF_get_cpu_version), 0, "get_cpu_version");
    memset(&op, 0, sizeof(op));
    op.interface_version = XEN_MCA_INTERFACE_VERSION - 1;
    op.cmd = XEN_MC_physcpuinfo;
    CHECK_EQ(hypercall(__HYPERVISOR_mca, HC_PTR(&op), 0, 0, 0, 0), -EACCES,
             "wrong interface version");

    memset(&op, 0, sizeof(op));
    CHECK_EQ(mca(&op, XEN_MC_physcpuinfo), 0, "physcpuinfo: how many");
    n = op.u.mc_physcpuinfo.ncpus;
    CHECK_EQ(n, pop.u.pcpu_version.max_present + 1, "as many CPUs as platform_op says");
    op.u.mc_physcpuinfo.info = HC_PTR(cpus);
    op.u.mc_physcpuinfo.ncpus = 0;
    CHECK_EQ(mca(&op, XEN_MC_physcpuinfo), -EINVAL, "a buffer of 0 entries");
    op.u.mc_physcpuinfo.ncpus = ARRAY_SIZE(cpus);
    CHECK_EQ(mca(&op, XEN_MC_physcpuinfo), 0, "physcpuinfo");
    CHECK_EQ(op.u.mc_physcpuinfo.ncpus, n, "entries filled");
    for (uint32_t i = 0; i < n && i < ARRAY_SIZE(cpus); i++) {
        CHECK_EQ(cpus[i].mc_cpunr, i, "mc_cpunr");
        CHECK_EQ(cpus[i].mc_apicid, i, "mc_apicid (QEMU numbers APICs from 0)");
        CHECK(!memcmp(cpus[i].mc_vendorid, pop.u.pcpu_version.vendor_id, 12), "vendor");
        CHECK_EQ(cpus[i].mc_family, pop.u.pcpu_version.family, "family");
        CHECK_EQ(cpus[i].mc_model, pop.u.pcpu_version.model, "model");
    }

    /* No machine check ever happened: nothing to fetch. */
    memset(&op, 0, sizeof(op));
    op.u.mc_fetch.flags = XEN_MC_URGENT;
    op.u.mc_fetch.data = HC_PTR(telemetry);
    CHECK_EQ(mca(&op, XEN_MC_fetch), 0, "fetch urgent");
    CHECK_EQ(op.u.mc_fetch.flags, XEN_MC_NODATA, "no data");
    CHECK_EQ(op.u.mc_fetch.fetch_id, 0, "fetch_id");
    op.u.mc_fetch.flags = 0;
    CHECK_EQ(mca(&op, XEN_MC_fetch), -EINVAL, "fetch without a class");
    op.u.mc_fetch.flags = XEN_MC_NONURGENT;
    op.u.mc_fetch.data = 0;
    CHECK_EQ(mca(&op, XEN_MC_fetch), -EINVAL, "fetch without a buffer");
}
