/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/check/build.c - libmica's domain builder in dom0: the
 * PV test kernel built, run to its own power-off and destroyed (its lines
 * are in the hypervisor's log: it writes with console_io; it runs no test
 * of its own, "test=,", so that no TEST line of the guest's mixes with
 * ours on the serial console), a file that is
 * no kernel refused with the domain gone again, and Debian's vmlinuz
 * booted far enough to print on its console ring, which we drain here as
 * a console daemon would.  Free memory must return each time.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <public/io/console.h>
#include <public/sched.h>
#include "check.h"

#define LOG_MAX     (4U << 20)
#define RING_LAST_BYTE 4095     /* of a ring page: used by neither ring */

static int new_domain(struct mica *m, uint64_t mem_kb, uint32_t *domid)
{
    struct mica_create_args ca = { .max_vcpus = 1 };
    int rc = mica_domain_create(m, &ca, domid);

    if (rc)
        return rc;
    rc = mica_domain_max_vcpus(m, *domid, 1);
    if (!rc)
        rc = mica_domain_setmaxmem(m, *domid, mem_kb);
    if (rc)
        mica_domain_destroy(m, *domid);
    return rc;
}

/* The whole hypervisor log still held, NUL-terminated; NULL on failure. */
static char *read_log(struct mica *m)
{
    char *log = malloc(LOG_MAX + 1);
    size_t have = 0;
    uint32_t index = 0;

    if (!log)
        return NULL;
    while (have < LOG_MAX) {
        size_t len = LOG_MAX - have > 65536 ? 65536 : LOG_MAX - have;

        if (mica_readconsole(m, log + have, &len, &index, false)) {
            free(log);
            return NULL;
        }
        if (!len)
            break;
        have += len;
    }
    log[have] = '\0';
    return log;
}

/* Wait for the domain to shut down; its XEN_DOMINF flags, or 0. */
static uint32_t wait_shutdown(struct mica *m, uint32_t domid, unsigned int ms)
{
    uint64_t end = now_ms() + ms;
    struct xen_domctl_getdomaininfo info;

    while (now_ms() < end) {
        if (mica_domain_getinfo(m, domid, &info))
            return 0;
        if (info.flags & XEN_DOMINF_shutdown)
            return info.flags;
        struct timespec ts = { 0, 50 * 1000000 };
        nanosleep(&ts, NULL);
    }
    return 0;
}

static int destroyed(struct mica *m, const char *name, uint32_t domid, uint64_t before)
{
    struct xen_domctl_getdomaininfo info;
    uint64_t after = 0;
    int rc = mica_domain_destroy(m, domid);
    bool back = wait_free_pages(m, before, 10000, &after);

    return report(name, !rc && back && mica_domain_getinfo(m, domid, &info) == -ESRCH,
                  "destroy %s; free pages %llu before, %llu after", rc ? mica_errmsg(m) : "ok",
                  (unsigned long long)before, (unsigned long long)after);
}

/*
 * Grant entries 0 and 1, seeded by the builder: dom0 maps each ring by
 * grant and, writing a byte no ring uses, sees it through the mapping by
 * mfn, so the grant names the ring's own frame.
 */
static int check_seeded(struct mica *m, uint32_t domid, const struct mica_build *b)
{
    static const char *const what[] = { "console", "xenstore" };
    const uint64_t mfns[2] = { b->console_mfn, b->store_mfn };
    struct mica_gnttab *g = mica_gnttab_open();
    char why[160] = "";

    for (uint32_t ref = 0; ref < 2 && !why[0]; ref++) {
        volatile uint8_t *gp = g ? mica_gnttab_map(g, domid, &ref, 1,
                                                   PROT_READ | PROT_WRITE) : NULL;
        volatile uint8_t *fp = gp ? mica_map_foreign(m, domid, PROT_READ, &mfns[ref],
                                                     NULL, 1) : NULL;

        if (!gp || !fp) {
            snprintf(why, sizeof(why), "grant %u (%s): %s", ref, what[ref],
                     gp ? mica_errmsg(m) : strerror(errno));
        } else {
            gp[RING_LAST_BYTE] = 0xa5;
            if (fp[RING_LAST_BYTE] != 0xa5)
                snprintf(why, sizeof(why), "grant %u (%s) is not frame %#llx", ref,
                         what[ref], (unsigned long long)mfns[ref]);
            gp[RING_LAST_BYTE] = 0;
        }
        if (fp)
            mica_unmap((void *)fp, 1);
        if (gp)
            mica_gnttab_unmap(g, (void *)gp, 1);
    }
    mica_gnttab_close(g);
    return report("grant-seeded", !why[0], "%s", why);
}

int check_build_testkernel(struct mica *m, const char *kernel)
{
    struct mica_build b = {
        .kernel = kernel, .cmdline = "test=,", .mem_kb = 16 * 1024, .vcpus = 1,
    };
    uint64_t before = free_pages(m, "build-testkernel");
    uint64_t t0 = now_ms();
    char mark[64], pages[64], pass[64], *log, *banner;
    uint32_t domid, flags;
    bool ok;
    int rc, seeded;

    if (!before)
        return 1;
    if (new_domain(m, b.mem_kb, &domid))
        return report("build-testkernel", false, "%s", mica_errmsg(m));
    rc = mica_build_pv(m, domid, &b);
    if (report("build-testkernel", !rc, "%s%s (%llu ms), store port %u mfn %#llx, "
               "console port %u mfn %#llx", rc ? mica_errmsg(m) : "", rc ? "" : "built",
               (unsigned long long)(now_ms() - t0), b.store_port,
               (unsigned long long)b.store_mfn, b.console_port,
               (unsigned long long)b.console_mfn))
        goto out;
    seeded = check_seeded(m, domid, &b);
    rc = mica_domain_unpause(m, domid);
    flags = rc ? 0 : wait_shutdown(m, domid, 60000);
    rc = seeded + report("run-testkernel", flags && ((flags >> XEN_DOMINF_shutdownshift) &
                XEN_DOMINF_shutdownmask) == SHUTDOWN_poweroff,
                "flags %#x after %llu ms", flags, (unsigned long long)(now_ms() - t0));
    log = read_log(m);
    snprintf(mark, sizeof(mark), "(d%u) Mica test kernel: xen-3.0-x86_64", domid);
    snprintf(pages, sizeof(pages), " %llu pages, flags 0x0\n",
             (unsigned long long)b.mem_kb / 4);
    snprintf(pass, sizeof(pass), "(d%u) 0 passed, 0 failed", domid);
    /* Its banner line shows what start_info told it. */
    banner = log ? strstr(log, mark) : NULL;
    ok = banner && strstr(banner, pages) && strstr(banner, pages) < strchr(banner, '\n') + 1 &&
         strstr(log, pass);
    rc |= report("testkernel-output", ok, "%s", ok ? "" : !log ? mica_errmsg(m) :
                 "its banner, start_info's page count or its result not in the log");
    free(log);
out:
    return rc + destroyed(m, "testkernel-destroyed", domid, before);
}

/* More memory than the domain's max_mem: populate stops, nothing leaks. */
int check_build_over_limit(struct mica *m, const char *kernel)
{
    struct mica_build b = { .kernel = kernel, .mem_kb = 16 * 1024, .vcpus = 1 };
    uint64_t before = free_pages(m, "build-over-max-mem");
    uint32_t domid;
    int rc;

    if (!before)
        return 1;
    if (new_domain(m, 8 * 1024, &domid))
        return report("build-over-max-mem", false, "%s", mica_errmsg(m));
    rc = mica_build_pv(m, domid, &b);
    rc = report("build-over-max-mem", rc == -ENOMEM &&
                strstr(mica_errmsg(m), "populate_physmap") &&
                strstr(mica_errmsg(m), " of 4096 pages)"),
                "rc %d, \"%s\"", rc, mica_errmsg(m));
    return rc + destroyed(m, "over-max-mem-destroyed", domid, before);
}

int check_build_bad(struct mica *m, const char *file)
{
    struct mica_build b = { .kernel = file, .mem_kb = 16 * 1024, .vcpus = 1 };
    uint64_t before = free_pages(m, "build-not-a-kernel");
    char want[256];
    uint32_t domid;
    int rc;

    if (!before)
        return 1;
    if (new_domain(m, b.mem_kb, &domid))
        return report("build-not-a-kernel", false, "%s", mica_errmsg(m));
    rc = mica_build_pv(m, domid, &b);
    snprintf(want, sizeof(want), "kernel %s: not a kernel", file);
    rc = report("build-not-a-kernel", rc == -ENOEXEC &&
                !strncmp(mica_errmsg(m), want, strlen(want)),
                "rc %d, \"%s\"", rc, mica_errmsg(m));
    /* A path that does not exist: the file's error, nothing allocated. */
    b.kernel = "/nonexistent";
    rc |= report("build-missing-file", mica_build_pv(m, domid, &b) == -ENOENT,
                 "\"%s\"", mica_errmsg(m));
    return rc + destroyed(m, "bad-build-destroyed", domid, before);
}

/* Drain the guest's console ring into 'out' until 'want' shows or time ends. */
static bool read_ring(struct mica *m, uint32_t domid, const struct mica_build *b,
                      const char *want, char *out, size_t max, unsigned int ms)
{
    struct mica_evtchn *e = mica_evtchn_open();
    volatile struct xencons_interface *c;
    uint64_t end = now_ms() + ms;
    size_t have = 0;
    int port = -1;

    c = mica_map_foreign(m, domid, PROT_READ | PROT_WRITE, &b->console_mfn, NULL, 1);
    if (e)
        port = mica_evtchn_bind_interdomain(e, domid, b->console_port);
    out[0] = '\0';
    while (c && port >= 0 && now_ms() < end && !strstr(out, want)) {
        struct pollfd p = { .fd = mica_evtchn_fd(e), .events = POLLIN };
        uint32_t cons = c->out_cons, prod = c->out_prod;
        int got;

        __sync_synchronize();
        if (prod - cons > sizeof(c->out))
            break;                          /* a hostile ring: stop */
        for (; cons != prod; cons++)
            if (have < max - 1)
                out[have++] = c->out[cons % sizeof(c->out)];
        out[have] = '\0';
        __sync_synchronize();
        c->out_cons = cons;
        mica_evtchn_notify(e, (uint32_t)port);
        poll(&p, 1, 100);
        while ((got = mica_evtchn_pending(e)) >= 0)
            mica_evtchn_unmask(e, (uint32_t)got);
    }
    if (c)
        mica_unmap((void *)c, 1);
    mica_evtchn_close(e);
    return strstr(out, want) != NULL;
}

/*
 * Build (and destroy) the same kernel again: its ELF now comes from the
 * unpacked-kernel cache, so there must be an entry for it.  Both times
 * are printed; neither is asserted.
 */
static int build_again(struct mica *m, struct mica_build *b, uint64_t first_ms)
{
    const char *dir = "/var/cache/mica/kernels";
    uint64_t before = free_pages(m, "build-linux-again"), t0 = now_ms();
    struct dirent *e;
    unsigned int entries = 0;
    uint32_t domid;
    DIR *d;
    int rc;

    if (!before)
        return 1;
    if ((d = opendir(dir))) {
        while ((e = readdir(d)))
            entries += e->d_name[0] != '.';
        closedir(d);
    }
    if (new_domain(m, b->mem_kb, &domid))
        return report("build-linux-again", false, "%s", mica_errmsg(m));
    setenv("LIBMICA_TRACE", "1", 1);
    rc = mica_build_pv(m, domid, b);
    unsetenv("LIBMICA_TRACE");
    rc = report("build-linux-again", !rc && entries == 1,
                "%s in %llu ms (first build %llu ms), %u entries in %s",
                rc ? mica_errmsg(m) : "built", (unsigned long long)(now_ms() - t0),
                (unsigned long long)first_ms, entries, dir);
    return rc + destroyed(m, "linux-again-destroyed", domid, before);
}

int check_build_linux(struct mica *m, const char *kernel, const char *ramdisk)
{
    struct mica_build b = {
        .kernel = kernel, .ramdisk = ramdisk, .mem_kb = 96 * 1024, .vcpus = 1,
        /* No earlyprintk: hvc0 then replays the log from its first line. */
        .cmdline = "console=hvc0",
    };
    uint64_t before = free_pages(m, "build-linux"), t0 = now_ms(), first_ms;
    size_t max = 64 * 1024;
    char *out = malloc(max);
    uint32_t domid;
    int rc = 0;

    if (!before || !out) {
        free(out);
        return 1;
    }
    if (before * 4 < b.mem_kb + 8 * 1024) {
        printf("TEST libmica/build-linux: SKIP %llu KiB free, a Linux domU needs %llu\n",
               (unsigned long long)before * 4, (unsigned long long)b.mem_kb);
        free(out);
        return 0;
    }
    if (new_domain(m, b.mem_kb, &domid)) {
        free(out);
        return report("build-linux", false, "%s", mica_errmsg(m));
    }
    setenv("LIBMICA_TRACE", "1", 1);        /* each step's time, for the log */
    rc = mica_build_pv(m, domid, &b);
    unsetenv("LIBMICA_TRACE");
    first_ms = now_ms() - t0;
    if (report("build-linux", !rc, "%s (%llu ms)", rc ? mica_errmsg(m) : "built",
               (unsigned long long)first_ms))
        goto out;
    rc = mica_domain_unpause(m, domid);
    rc = report("linux-console", !rc && read_ring(m, domid, &b, "Linux version",
                                                  out, max, 60000),
                "%.200s", out);
    if (!rc)
        printf("%.400s\n", strstr(out, "Linux version"));
out:
    free(out);
    rc += destroyed(m, "linux-destroyed", domid, before);
    return rc ? rc : build_again(m, &b, first_ms);
}
