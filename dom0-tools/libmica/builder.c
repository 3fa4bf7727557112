/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/builder.c - the user-space PV domain builder, in
 * libxc's order (xg_dom_*): read and unpack the kernel, check it and plan
 * the bootstrap region with the shared code of lib/ (the same ELF/Xen-note
 * parser and layout planner the hypervisor's dom0 builder uses), populate
 * the domain's memory, copy in the kernel, ramdisk and p2m list, allocate
 * the xenstore and console event channels, write start_info and
 * shared_info, the page tables (pinned on the domain's behalf), the
 * hypercall page and vCPU 0's context.  The domain stays paused.
 *
 * Unlike libxc, the kernel is unpacked on a second thread while the main
 * one populates memory: neither needs the other, and unpacking Debian's xz
 * vmlinuz and populating a few hundred MiB are the two longest steps.
 *
 * Grant entries 0 and 1 (console and xenstore) are seeded as libxc does
 * (gnttab-seed.c), though our own daemons map both rings by mfn.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <public/memory.h>
#include "builder.h"
#include "image.h"
#include "kernel-cache.h"

/* A kernel file (compressed) or ramdisk larger than this is refused. */
#define FILE_MAX        (512UL << 20)
#define X86_EFLAGS_IF   0x200UL

static int read_file(struct mica *m, const char *what, const char *path,
                     size_t max, uint8_t **out, size_t *out_len, struct stat *st_out)
{
    struct stat st;
    uint8_t *buf = NULL;
    size_t done = 0;
    int fd, rc = 0;

    *out = NULL;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mica_fail(m, -errno, "%s %s", what, path);
    if (fstat(fd, &st) < 0) {
        rc = mica_fail(m, -errno, "%s %s", what, path);
    } else if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
        rc = mica_fail(m, S_ISREG(st.st_mode) ? -EFBIG : -EINVAL, "%s %s", what, path);
    } else if (!(buf = malloc(st.st_size ? st.st_size : 1))) {
        rc = mica_fail(m, -ENOMEM, "%s %s", what, path);
    }
    while (!rc && done < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + done, st.st_size - done);

        if (n <= 0)
            rc = mica_fail(m, n < 0 ? -errno : -EIO, "%s %s", what, path);
        else
            done += (size_t)n;
    }
    close(fd);
    if (rc) {
        free(buf);
        return rc;
    }
    *out = buf;
    *out_len = done;
    if (st_out)
        *st_out = st;
    return 0;
}

/* The kernel file to its ELF image: kept from an earlier build, or unpacked. */
static int unpack_kernel(struct build *bd, char *why, size_t whylen)
{
    const char *path = bd->req->kernel;
    struct stat st;
    uint8_t *file;
    size_t len;
    int rc;

    if ((rc = read_file(bd->m, "kernel", path, FILE_MAX, &file, &len, &st)))
        return rc;
    if (len >= 4 && memcmp(file, "\177ELF", 4) &&
        !kernel_cache_get(&st, MICA_KERNEL_MAX, &bd->elf, &bd->elf_len)) {
        free(file);
        return 0;
    }
    rc = mica_kernel_image(file, len, MICA_KERNEL_MAX, &bd->elf, &bd->elf_len, why, whylen);
    if (rc)
        snprintf(bd->m->err, sizeof(bd->m->err), "kernel %s: %s", path, why);
    else if (len >= 4 && memcmp(file, "\177ELF", 4))
        kernel_cache_put(&st, bd->elf, bd->elf_len);
    free(file);
    return rc;
}

static int load_images(struct build *bd)
{
    struct mica_build *b = bd->req;
    char why[MICA_WHY_LEN];
    int rc;

    if ((rc = unpack_kernel(bd, why, sizeof(why))))
        return rc;
    rc = elf_parse_xen(bd->elf, bd->elf_len, &bd->info, why, sizeof(why));
    if (rc) {
        snprintf(bd->m->err, sizeof(bd->m->err), "kernel %s: %s", b->kernel, why);
        return rc;
    }
    if (b->ramdisk)
        return read_file(bd->m, "ramdisk", b->ramdisk, FILE_MAX, &bd->ramdisk,
                         &bd->ramdisk_len, NULL);
    return 0;
}

static int plan(struct build *bd)
{
    int rc;

    rc = pvboot_layout_plan(&bd->l, &bd->info, bd->nr_pages, bd->ramdisk_len, true);
    if (rc == -ENOMEM)
        return mica_fail(bd->m, rc, "build %u: %llu KiB cannot hold the %llu KiB "
                         "bootstrap region", bd->domid,
                         (unsigned long long)bd->req->mem_kb,
                         (unsigned long long)bd->l.nr_boot_pages * 4);
    if (rc)
        return mica_fail(bd->m, rc, "build %u: layout", bd->domid);
    return 0;
}

/* All of its memory at once: pfn n gets whatever mfn the pool gives. */
static int populate(struct build *bd)
{
    uint64_t *pfns;
    int rc;

    bd->nr_pages = bd->req->mem_kb / 4;
    bd->p2m = malloc(bd->nr_pages * sizeof(*bd->p2m));
    pfns = malloc(bd->nr_pages * sizeof(*pfns));
    if (!bd->p2m || !pfns) {
        free(pfns);
        return mica_fail(bd->m, -ENOMEM, "build %u: p2m", bd->domid);
    }
    for (uint64_t i = 0; i < bd->nr_pages; i++)
        pfns[i] = i;
    rc = mica_populate_physmap(bd->m, bd->domid, pfns, bd->p2m, bd->nr_pages);
    free(pfns);
    return rc;
}

static int load_kernel(struct build *bd)
{
    struct elf_segment seg;
    int rc = 0;

    for (unsigned int i = 0; i < bd->info.nr_load && !rc; i++) {
        rc = elf_load_segment(bd->elf, bd->elf_len, &bd->info, i, &seg);
        if (rc)
            return mica_fail(bd->m, rc, "build %u: ELF segment %u", bd->domid, i);
        rc = build_copy(bd, seg.dest, bd->elf + seg.offset, seg.filesz);
        if (!rc && seg.memsz > seg.filesz)
            rc = build_copy(bd, seg.dest + seg.filesz, NULL, seg.memsz - seg.filesz);
    }
    if (!rc && bd->ramdisk_len)
        rc = build_copy(bd, bd->l.ramdisk_start, bd->ramdisk, bd->ramdisk_len);
    if (!rc)
        rc = build_copy(bd, bd->l.p2m_start, bd->p2m, bd->nr_pages * sizeof(*bd->p2m));
    /* start_info, the rings and the stack start zeroed whatever the pool gave. */
    if (!rc)
        rc = build_copy(bd, bd->l.si_start, NULL, bd->l.pt_start - bd->l.si_start);
    if (!rc)
        rc = build_copy(bd, bd->l.stack_start, NULL, MICA_PAGE_SIZE);
    return rc;
}

static int alloc_rings(struct build *bd)
{
    struct mica_build *b = bd->req;
    int rc;

    if ((rc = mica_evtchn_alloc_unbound(bd->m, bd->domid, b->store_domid,
                                        &b->store_port)) ||
        (rc = mica_evtchn_alloc_unbound(bd->m, bd->domid, b->console_domid,
                                        &b->console_port)))
        return rc;
    b->store_mfn = build_mfn_at(bd, bd->l.store_start);
    b->console_mfn = build_mfn_at(bd, bd->l.console_start);
    return mica_gnttab_seed(bd->m, bd->domid, b->console_mfn, b->console_domid,
                            b->store_mfn, b->store_domid);
}

static int write_start_info(struct build *bd)
{
    const struct mica_build *b = bd->req;
    start_info_t *si = calloc(1, sizeof(*si));
    int rc;

    if (!si)
        return mica_fail(bd->m, -ENOMEM, "build %u: start_info", bd->domid);
    snprintf(si->magic, sizeof(si->magic), "xen-3.0-x86_64");
    si->nr_pages = bd->nr_pages;
    si->shared_info = bd->shared_info_frame << 12;
    si->flags = 0;
    si->store_mfn = b->store_mfn;
    si->store_evtchn = b->store_port;
    si->console.domU.mfn = b->console_mfn;
    si->console.domU.evtchn = b->console_port;
    si->pt_base = bd->l.pt_start;
    si->nr_pt_frames = bd->l.nr_pt;
    si->mfn_list = bd->l.p2m_start;
    if (bd->ramdisk_len) {
        si->mod_start = bd->l.ramdisk_start;
        si->mod_len = bd->ramdisk_len;
    }
    if (b->cmdline)
        snprintf((char *)si->cmd_line, sizeof(si->cmd_line), "%s", b->cmdline);
    rc = build_copy(bd, bd->l.si_start, si, sizeof(*si));
    free(si);
    return rc;
}

static int set_vcpu0(struct build *bd)
{
    struct vcpu_guest_context *c = calloc(1, sizeof(*c));
    uint64_t stack_top = bd->l.stack_start + MICA_PAGE_SIZE;
    int rc;

    if (!c)
        return mica_fail(bd->m, -ENOMEM, "build %u: vCPU context", bd->domid);
    c->flags = VGCF_in_kernel | VGCF_online;
    c->user_regs.rip = bd->info.entry;
    c->user_regs.rsp = stack_top;
    c->user_regs.rsi = bd->l.si_start;
    c->user_regs.cs = FLAT_KERNEL_CS;
    c->user_regs.ss = FLAT_KERNEL_SS;
    c->user_regs.ds = c->user_regs.es = FLAT_KERNEL_DS;
    c->user_regs.fs = c->user_regs.gs = FLAT_KERNEL_DS;
    c->user_regs.rflags = X86_EFLAGS_IF;
    c->kernel_ss = FLAT_KERNEL_SS;
    c->kernel_sp = stack_top;
    c->ctrlreg[3] = build_mfn_at(bd, bd->l.pt_start) << 12;
    rc = mica_vcpu_setcontext(bd->m, bd->domid, 0, c);
    free(c);
    return rc;
}

static int read_shared_info_frame(struct build *bd)
{
    struct xen_domctl_getdomaininfo info;
    int rc = mica_domain_getinfo(bd->m, bd->domid, &info);

    bd->shared_info_frame = info.shared_info_frame;
    return rc;
}

static int init_hypercall_page(struct build *bd)
{
    if (!bd->info.has_hypercall_page)
        return 0;
    return mica_domain_hypercall_init(bd->m, bd->domid,
                                      build_mfn_at(bd, bd->info.hypercall_page));
}

/*
 * The unpacking thread works on a build of its own, whose handle has no
 * device open and only records a failure's message: the main thread's
 * handle is busy populating.  Its results move over at the join.
 */
struct unpack_job {
    struct build w;
    struct mica wm;
    int rc;
};

static void *unpack_thread(void *arg)
{
    struct unpack_job *j = arg;

    j->rc = load_images(&j->w);
    return NULL;
}

static int unpack_and_populate(struct build *bd)
{
    struct unpack_job j = { .w = { .m = &j.wm, .domid = bd->domid, .req = bd->req },
                            .wm = { .privcmd = -1, .hcbuf = -1 } };
    pthread_t t;
    int rc;

    if (pthread_create(&t, NULL, unpack_thread, &j)) {
        rc = load_images(bd);           /* no thread: one after the other */
        return rc ? rc : populate(bd);
    }
    rc = populate(bd);
    pthread_join(t, NULL);
    bd->elf = j.w.elf;
    bd->elf_len = j.w.elf_len;
    bd->info = j.w.info;
    bd->ramdisk = j.w.ramdisk;
    bd->ramdisk_len = j.w.ramdisk_len;
    if (j.rc) {
        memcpy(bd->m->err, j.wm.err, sizeof(bd->m->err));
        return j.rc;                    /* the kernel's failure says more */
    }
    return rc;
}

/*
 * The steps in order.  With LIBMICA_TRACE set in the environment each
 * one's time goes to stderr, to see where a slow build spends it.
 */
static int build_steps(struct build *bd)
{
    static const struct {
        const char *name;
        int (*fn)(struct build *bd);
    } steps[] = {
        { "unpack+populate", unpack_and_populate }, { "plan", plan },
        { "copy", load_kernel }, { "rings", alloc_rings },
        { "shared_info", read_shared_info_frame }, { "shared_info", build_shared_info },
        { "start_info", write_start_info }, { "page tables", build_page_tables },
        { "hypercall page", init_hypercall_page }, { "vcpu", set_vcpu0 },
    };
    bool trace = getenv("LIBMICA_TRACE") != NULL;
    struct timespec t0, t1;
    int rc = 0;

    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]) && !rc; i++) {
        clock_gettime(CLOCK_MONOTONIC, &t0);
        rc = steps[i].fn(bd);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (trace)
            fprintf(stderr, "libmica: build %u: %s %ld ms\n", bd->domid, steps[i].name,
                    (long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
    }
    return rc;
}

int mica_build_pv(struct mica *m, uint32_t domid, struct mica_build *b)
{
    struct build bd = { .m = m, .domid = domid, .req = b };
    int rc;

    mica_ok(m);
    if (!b->kernel || !b->mem_kb || !b->vcpus)
        return mica_fail(m, -EINVAL, "build %u", domid);
    rc = build_steps(&bd);
    free(bd.elf);
    free(bd.ramdisk);
    free(bd.p2m);
    return rc;
}
