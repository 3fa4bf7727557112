/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/mca.c - the mca hypercall (machine-check telemetry
 * for dom0), as far as Linux's xen-mcelog driver needs it: the physical
 * CPUs' machine-check view (XEN_MC_physcpuinfo), and XEN_MC_fetch, which
 * always finds nothing: Mica does not handle machine checks (guests see
 * no MCE/MCA), so it never has telemetry to hand over.
 *
 * Checks run in Xen's order: privilege (-EPERM), the argument (-EFAULT),
 * the interface version (-EACCES).  Mica takes every CPU as a core of one
 * socket, as sysctl physinfo reports; CPUID comes from the calling CPU.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/guest-access.h>
#include <mica/heap.h>
#include <mica/hypercall.h>
#include <public/arch-x86/xen-mca.h>
#include <asm/config.h>
#include <asm/cpu-sig.h>
#include <asm/io.h>
#include <asm/smp.h>

#define MSR_IA32_MCG_CAP    0x179
#define CPUID1_EDX_MCA      (1U << 14)
/* Xen's X86_VENDOR_* bits, which mc_vendor carries. */
#define VENDOR_INTEL        (1U << 0)
#define VENDOR_AMD          (1U << 1)
#define VENDOR_HYGON        (1U << 4)

static uint32_t vendor_of(const char id[12])
{
    if (!memcmp(id, "GenuineIntel", 12))
        return VENDOR_INTEL;
    if (!memcmp(id, "AuthenticAMD", 12))
        return VENDOR_AMD;
    if (!memcmp(id, "HygonGenuine", 12))
        return VENDOR_HYGON;
    return 0;
}

static void cpu_info(unsigned int cpu, xen_mc_logical_cpu_t *x)
{
    struct cpuid_regs l0 = cpuid(0, 0), l1 = cpuid(1, 0);
    struct cpuid_regs e0 = cpuid(0x80000000, 0), e1 = cpuid(0x80000001, 0);

    memset(x, 0, sizeof(*x));
    x->mc_cpunr = cpu;
    x->mc_coreid = cpu;
    x->mc_apicid = cpu_apic_id[cpu];
    x->mc_clusterid = l1.b >> 24;
    x->mc_ncores = x->mc_ncores_active = nr_cpus_online;
    x->mc_nthreads = 1;
    x->mc_cpuid_level = l0.a;
    cpu_signature(l1.a, &x->mc_family, &x->mc_model, &x->mc_step);
    memcpy(x->mc_vendorid, &l0.b, 4);
    memcpy(x->mc_vendorid + 4, &l0.d, 4);
    memcpy(x->mc_vendorid + 8, &l0.c, 4);
    x->mc_vendor = vendor_of(x->mc_vendorid);
    if (e0.a >= 0x80000004)
        for (unsigned int i = 0; i < 3; i++) {
            struct cpuid_regs b = cpuid(0x80000002 + i, 0);

            memcpy(x->mc_brandid + 16 * i, &b, 16);
        }
    x->mc_cpu_caps[0] = l1.d;
    x->mc_cpu_caps[1] = l1.c;
    x->mc_cpu_caps[2] = e1.d;
    x->mc_cpu_caps[3] = e1.c;
    if (e0.a >= 0x80000006)
        x->mc_cache_size = cpuid(0x80000006, 0).c >> 16;    /* KiB */
    x->mc_cache_alignment = ((l1.b >> 8) & 0xff) * 8;
    if (l1.d & CPUID1_EDX_MCA) {
        x->mc_nmsrvals = 1;
        x->mc_msrvalues[0].reg = MSR_IA32_MCG_CAP;
        x->mc_msrvalues[0].value = rdmsr(MSR_IA32_MCG_CAP);
    }
}

static long physcpuinfo(struct xen_mc_physcpuinfo *p)
{
    unsigned int n = nr_cpus_online, done = 0;
    xen_mc_logical_cpu_t *info;
    long rc = 0;

    if (p->info) {
        if (!p->ncpus)
            return -EINVAL;
        n = MIN(n, p->ncpus);
        info = xmalloc(sizeof(*info));
        if (!info)
            return -ENOMEM;
        for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS && done < n && !rc; cpu++) {
            if (!cpu_online(cpu))
                continue;
            cpu_info(cpu, info);
            if (copy_to_guest(p->info + done * sizeof(*info), info, sizeof(*info)))
                rc = -EFAULT;
            done++;
        }
        xfree(info);
    }
    p->ncpus = n;
    return rc;
}

long do_mca(uint64_t arg)
{
    struct xen_mc op;
    long rc;

    if (!current->domain->is_privileged)
        return -EPERM;
    if (copy_from_guest(&op, arg, sizeof(op)))
        return -EFAULT;
    if (op.interface_version != XEN_MCA_INTERFACE_VERSION)
        return -EACCES;

    switch (op.cmd) {
    case XEN_MC_fetch: {
        struct xen_mc_fetch *f = &op.u.mc_fetch;
        uint32_t class = f->flags & (XEN_MC_NONURGENT | XEN_MC_URGENT);

        if (class != XEN_MC_NONURGENT && class != XEN_MC_URGENT)
            return -EINVAL;
        if (f->flags & XEN_MC_ACK)
            return 0;                   /* nothing was handed out to ack */
        if (!f->data)
            return -EINVAL;
        f->flags = XEN_MC_OK | XEN_MC_NODATA;
        f->fetch_id = 0;
        break;
    }
    case XEN_MC_physcpuinfo:
        rc = physcpuinfo(&op.u.mc_physcpuinfo);
        if (rc)
            return rc;
        break;
    default:
        /* notifydomain (unsupported in Xen too), MSR and #MC injection. */
        return -ENOSYS;
    }
    return copy_to_guest(arg, &op, sizeof(op)) ? -EFAULT : 0;
}
