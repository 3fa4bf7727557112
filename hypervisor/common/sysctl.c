/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/sysctl.c - the sysctl hypercall: what the control
 * domain may ask about the whole machine.  physinfo (CPUs, memory,
 * capabilities), sched_id, getdomaininfolist, readconsole (the
 * hypervisor's log ring) and getcpuinfo (per-CPU idle time).
 *
 * Checks as in Xen: an unreadable argument is -EFAULT, a wrong interface
 * version -EACCES, an unprivileged caller -EPERM, an unknown command
 * -ENOSYS.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/bootinfo.h>
#include <mica/console.h>
#include <mica/domain.h>
#include <mica/domctl.h>
#include <mica/frame-alloc.h>
#include <mica/hypercall.h>
#include <mica/guest-access.h>
#include <mica/time.h>
#include <public/sysctl.h>
#include <asm/config.h>
#include <asm/io.h>
#include <asm/smp.h>

/* RAM frames in the machine's memory map. */
static uint64_t ram_pages(void)
{
    const struct boot_info *bi = boot_info_ptr;
    uint64_t n = 0;

    for (unsigned int i = 0; i < bi->nr_memmap; i++)
        if (bi->memmap[i].type == MEM_AVAILABLE)
            n += bi->memmap[i].len >> PAGE_SHIFT;
    return n;
}

static void physinfo(struct xen_sysctl_physinfo *pi)
{
    struct cpuid_regs l1 = cpuid(1, 0), l7 = cpuid(7, 0);
    struct cpuid_regs e1 = cpuid(0x80000001, 0);

    memset(pi, 0, sizeof(*pi));
    /* Mica does not read the topology: every CPU is a core of one socket. */
    pi->threads_per_core = 1;
    pi->cores_per_socket = nr_cpus_online;
    pi->nr_cpus = nr_cpus_online;
    pi->max_cpu_id = highest_online_cpu();
    pi->nr_nodes = 1;
    pi->max_node_id = 0;
    pi->cpu_khz = tsc_khz();
    pi->capabilities = XEN_SYSCTL_PHYSCAP_pv | XEN_SYSCTL_PHYSCAP_gnttab_v1;
    pi->total_pages = ram_pages();
    pi->free_pages = frames_free_count();
    pi->max_mfn = frames_max_mfn() - 1;
    /* Xen's feature-word order: 1.edx, 1.ecx, e1.edx, e1.ecx, -, 7.ebx, 7.ecx. */
    pi->hw_cap[0] = l1.d;
    pi->hw_cap[1] = l1.c;
    pi->hw_cap[2] = e1.d;
    pi->hw_cap[3] = e1.c;
    pi->hw_cap[5] = l7.b;
    pi->hw_cap[6] = l7.c;
}

/*
 * The ring's indexes count every character ever logged; the caller's is
 * the low 32 bits of one.  An index outside what the ring still holds
 * starts at the oldest character, as Xen does.
 */
static long readconsole(struct xen_sysctl_readconsole *rc)
{
    uint64_t head = console_ring_head(), at = 0;
    uint32_t done = 0;
    char chunk[128];

    if (rc->incremental) {
        at = (head & ~0xffffffffUL) | rc->index;
        if (at > head)
            at -= 1UL << 32;
        if (at > head)
            at = 0;                     /* wrapped below zero */
    }
    while (done < rc->count) {
        size_t n = console_ring_read(&at, chunk, MIN(sizeof(chunk), rc->count - done));

        if (!n)
            break;
        if (copy_to_guest(rc->buffer + done, chunk, n))
            return -EFAULT;
        done += n;
    }
    /* Mica's ring cannot drop just a prefix: clearing drops everything. */
    if (rc->clear)
        console_ring_clear();
    rc->count = done;
    rc->index = (uint32_t)at;
    return 0;
}

static long getdomaininfolist(struct xen_sysctl_getdomaininfolist *gl)
{
    struct xen_domctl_getdomaininfo info;
    uint32_t n = 0;

    for (unsigned int id = gl->first_domain; id < CONFIG_MAX_DOMAINS; id++) {
        struct domain *d = get_domain_by_id(id);

        if (!d)
            continue;
        if (n == gl->max_domains) {
            put_domain(d);
            break;
        }
        domctl_getdomaininfo(d, &info);
        put_domain(d);
        if (copy_to_guest(gl->buffer + n * sizeof(info), &info, sizeof(info)))
            return -EFAULT;
        n++;
    }
    gl->num_domains = n;
    return 0;
}

static long getcpuinfo(struct xen_sysctl_getcpuinfo *gc)
{
    uint32_t n = MIN(gc->max_cpus, highest_online_cpu() + 1);

    for (uint32_t i = 0; i < n; i++) {
        struct xen_sysctl_cpuinfo ci = { .idletime = sched_idle_time(i) };

        if (copy_to_guest(gc->info + i * sizeof(ci), &ci, sizeof(ci)))
            return -EFAULT;
    }
    gc->nr_cpus = n;
    return 0;
}

long do_sysctl(uint64_t arg)
{
    struct xen_sysctl op;
    long rc;

    rc = control_op_fetch(&op, sizeof(op), arg, XEN_SYSCTL_INTERFACE_VERSION);
    if (rc)
        return rc;

    switch (op.cmd) {
    case XEN_SYSCTL_readconsole:
        rc = readconsole(&op.u.readconsole);
        break;
    case XEN_SYSCTL_physinfo:
        physinfo(&op.u.physinfo);
        rc = 0;
        break;
    case XEN_SYSCTL_sched_id:
        op.u.sched_id.sched_id = XEN_SCHEDULER_CREDIT;
        rc = 0;
        break;
    case XEN_SYSCTL_getdomaininfolist:
        domctl_lock_acquire();
        rc = getdomaininfolist(&op.u.getdomaininfolist);
        domctl_lock_release();
        break;
    case XEN_SYSCTL_getcpuinfo:
        rc = getcpuinfo(&op.u.getcpuinfo);
        break;
    default:
        return -ENOSYS;
    }
    if (!rc && copy_to_guest(arg, &op, sizeof(op)))
        rc = -EFAULT;
    return rc;
}
