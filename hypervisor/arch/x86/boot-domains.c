/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/boot-domains.c - the domains started at boot from
 * the boot loader's modules.
 *
 * The first module is dom0's kernel (its string is the kernel command
 * line) and the next plain module its initrd, as with Xen.  Beyond Xen,
 * a module whose string starts "domain=" is an unprivileged guest built
 * and started at once, so tests need no toolstack:
 *
 *   module2 /boot/guest domain=NAME mem=32M vcpus=2 weight=512 cap=25 -- <cmdline>
 *   module2 /boot/initrd ramdisk=NAME
 *
 * A module whose string is "ramdisk=NAME" is that guest's ramdisk (its
 * start_info mod_start), wherever it stands in the list: a Linux guest
 * needs its initramfs, and dom0's kernel and initrd keep their places.
 * What a boot-time guest writes to its console ring appears on Mica's
 * console, "(dN) " before each line, as its console_io text does.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/cmdline.h>
#include <mica/console.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/frame-alloc.h>
#include <mica/heap.h>
#include <mica/page.h>
#include <mica/params.h>
#include <mica/sched.h>
#include <asm/config.h>
#include <asm/power.h>
#include <asm/pv.h>
#include <asm/setup.h>
#include <asm/smp.h>
#include <pvboot/unzip.h>

#define MB (1UL << 20)

/* dom0_mem=, or all free memory but a reserve for the hypervisor. */
/*
 * The ELF a bzImage module announces: the builder unpacks it beside dom0's
 * memory and frees it only once dom0 is built (Xen unpacks first, then
 * sizes dom0; the effect is the same).  0 for anything else.
 */
static uint64_t unpacked_kernel_bytes(const struct boot_module *k)
{
    const uint8_t *img = __va(k->start);
    size_t off, len;
    uint64_t size;

    if (pvb_bzimage_payload(img, k->end - k->start, &off, &len, NULL, 0) ||
        pvb_payload_size(img + off, len, &size))
        return 0;
    return ROUNDUP(size, PAGE_SIZE);
}

static uint64_t dom0_memory(const struct boot_module *k)
{
    uint64_t free = frames_free_count() << PAGE_SHIFT;
    uint64_t reserve = MAX(64UL << 20, free / 16) + unpacked_kernel_bytes(k);

    if (opt_dom0_mem)
        return opt_dom0_mem;
    return free > reserve ? ROUNDDOWN(free - reserve, MB) : 0;
}

static bool is_guest_module(const struct boot_module *m)
{
    return !strncmp(m->string, "domain=", 7);
}

/* "ramdisk=NAME": the ramdisk of the boot-time guest NAME. */
static bool is_ramdisk_module(const struct boot_module *m)
{
    return !strncmp(m->string, "ramdisk=", 8);
}

static const struct boot_module *guest_ramdisk(const struct boot_info *bi, const char *name)
{
    size_t n = strlen(name);

    for (unsigned int i = 0; i < bi->nr_modules; i++) {
        const char *s = bi->modules[i].string;

        if (is_ramdisk_module(&bi->modules[i]) && !strncmp(s + 8, name, n) &&
            (s[8 + n] == '\0' || s[8 + n] == ' '))
            return &bi->modules[i];
    }
    return NULL;
}

static void report(const char *msg)
{
    printk(KERN_WARN "%s (ignored)\n", msg);
}

/* Parse "domain=NAME mem=... vcpus=... -- cmdline" into a build spec. */
static int guest_spec(const struct boot_info *bi, const struct boot_module *m,
                      struct build_spec *b, char *name, size_t namelen, char *opts, size_t optlen)
{
    const struct boot_module *rd;
    const char *sep = strchr(m->string, '-');
    uint64_t mem = 32 * MB, vcpus = 1, weight = 0, cap = 0;
    const struct param table[] = {
        { "domain", PARAM_STRING, name, namelen, NULL },
        { "mem", PARAM_SIZE, &mem, 0, NULL },
        { "vcpus", PARAM_UINT, &vcpus, 0, NULL },
        { "weight", PARAM_UINT, &weight, 0, NULL },
        { "cap", PARAM_UINT, &cap, 0, NULL },
    };
    size_t n;

    /* The options end at " -- "; the rest is the guest's command line. */
    while (sep && strncmp(sep, "-- ", 3) && strcmp(sep, "--"))
        sep = strchr(sep + 1, '-');
    n = sep ? (size_t)(sep - m->string) : strlen(m->string);
    if (n >= optlen)
        return -EINVAL;
    memcpy(opts, m->string, n);
    opts[n] = '\0';
    if (cmdline_parse(opts, table, ARRAY_SIZE(table), report))
        return -EINVAL;
    if (!vcpus || vcpus > MAX_VIRT_CPUS || cap > 100 * CONFIG_NR_CPUS || weight > 65535)
        return -EINVAL;
    rd = name[0] ? guest_ramdisk(bi, name) : NULL;
    *b = (struct build_spec){
        .name = name,
        .kernel = __va(m->start),
        .kernel_len = m->end - m->start,
        .cmdline = sep ? sep + (sep[2] ? 3 : 2) : "",
        .initrd = rd ? __va(rd->start) : NULL,
        .initrd_len = rd ? rd->end - rd->start : 0,
        .mem_bytes = mem,
        .max_bytes = mem,
        .nr_vcpus = vcpus,
        .weight = weight,
        .cap = cap,
    };
    return 0;
}

/*
 * Nobody in dom0 learns of a boot-time guest, so its console ring is
 * drained onto Mica's console (common/guest-console.c).  The ring's frame
 * is in start_info, which vCPU 0 starts with at rsi.
 */
static void serve_console(struct domain *d)
{
    const struct vcpu *v = d->vcpus[0];
    uint64_t va = v->arch.regs.rsi;
    mfn_t l1 = guest_l1_table(v->arch.guest_table, va);
    const start_info_t *si;
    pte_t e;

    if (l1 == INVALID_MFN)
        return;
    e = ((const pte_t *)__va(l1 << PAGE_SHIFT))[PT_INDEX(va, L1_SHIFT)];
    si = __va(e & PTE_ADDR_MASK);
    if (!(e & _PAGE_PRESENT) || guest_console_serve(d, si->console.domU.mfn))
        printk(KERN_WARN "d%u: console ring not served\n", d->domain_id);
}

static int start_guests(const struct boot_info *bi)
{
    domid_t next_id = 1;
    int started = 0;

    for (unsigned int i = 0; i < bi->nr_modules; i++) {
        const struct boot_module *m = &bi->modules[i];
        char name[32] = "", opts[256];
        struct build_spec b;
        struct domain *d;

        if (!is_guest_module(m))
            continue;
        if (guest_spec(bi, m, &b, name, sizeof(name), opts, sizeof(opts))) {
            printk(KERN_ERR "boot module %u: bad guest options '%s'\n", i, m->string);
            continue;
        }
        b.id = next_id;
        if (pv_build_domain(&b, &d)) {
            printk(KERN_ERR "boot module %u: guest '%s' not started\n", i, name);
            continue;
        }
        next_id++;
        started++;
        serve_console(d);
        vcpu_wake_flags(d->vcpus[0], VPF_down);
    }
    return started;
}

void __noreturn start_domains(const struct boot_info *bi)
{
    const struct boot_module *k = NULL, *rd = NULL;
    uint64_t free_before_modules;
    struct build_spec b;
    struct domain *d;
    unsigned int nr_vcpus;
    int rc;

    for (unsigned int i = 0; i < bi->nr_modules; i++) {
        if (is_guest_module(&bi->modules[i]) || is_ramdisk_module(&bi->modules[i]))
            continue;
        if (!k)
            k = &bi->modules[i];
        else if (!rd)
            rd = &bi->modules[i];
    }
    if (!k) {
        printk(KERN_ERR "No dom0 kernel module (only guest modules); nothing to run.\n");
        scheduler_enter_idle();
    }

    /* One vCPU per CPU unless dom0_max_vcpus= says otherwise. */
    nr_vcpus = opt_dom0_max_vcpus ? opt_dom0_max_vcpus : nr_cpus_online;
    frames_before_dom0 = frames_free_count();
    heap_before_dom0 = heap_frames();
    b = (struct build_spec){
        .id = 0, .privileged = true, .name = "Domain-0",
        .kernel = __va(k->start), .kernel_len = k->end - k->start,
        .cmdline = k->string,
        .initrd = rd ? __va(rd->start) : NULL,
        .initrd_len = rd ? rd->end - rd->start : 0,
        .mem_bytes = dom0_memory(k), .max_bytes = opt_dom0_mem_max,
        .nr_vcpus = MIN(nr_vcpus, (unsigned int)MAX_VIRT_CPUS),
    };
    rc = pv_build_domain(&b, &d);
    if (rc) {
        printk(KERN_ERR "dom0: not started (error %d); nothing to run.\n", rc);
        if (opt_debug_exit)
            machine_poweroff(EXIT_FAILURE_CODE);
        scheduler_enter_idle();
    }
    hardware_domain = d;
    /* dom0's kernel and initrd now live in its memory: recycle them. */
    free_before_modules = frames_free_count();
    frames_add_free(k->start, k->end);
    if (rd)
        frames_add_free(rd->start, rd->end);
    /* Frames that come back with the modules also count as "before". */
    frames_before_dom0 += frames_free_count() - free_before_modules;

    rc = start_guests(bi);
    printk("Starting dom0%s.\n", rc ? " and the boot-time guests" : "");
    vcpu_wake_flags(hardware_domain->vcpus[0], VPF_down);
    scheduler_enter_idle();
}
