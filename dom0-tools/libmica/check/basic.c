/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/check/basic.c - libmica's device layer in dom0: the
 * sysctls, the domain list, an error message, an event channel looped
 * back to ourselves, and a foreign mapping of a fresh domain's frames.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "check.h"

static int check_physinfo(struct mica *m)
{
    struct xen_sysctl_physinfo pi;
    int rc = mica_physinfo(m, &pi);

    if (rc)
        return report("physinfo", false, "%s", mica_errmsg(m));
    return report("physinfo", pi.nr_cpus > 0 && pi.total_pages > 0 &&
                  pi.free_pages <= pi.total_pages && pi.cpu_khz > 0,
                  "%u CPUs, %llu of %llu pages free, %u kHz", pi.nr_cpus,
                  (unsigned long long)pi.free_pages,
                  (unsigned long long)pi.total_pages, pi.cpu_khz);
}

static int check_list(struct mica *m)
{
    struct xen_domctl_getdomaininfo list[16], one;
    int n = mica_domain_getinfolist(m, 0, 16, list);
    int rc;

    if (n < 0)
        return report("getinfolist", false, "%s", mica_errmsg(m));
    if (report("getinfolist", n >= 1 && list[0].domain == 0 && list[0].tot_pages > 0,
               "%d domains, dom0 has %llu pages", n,
               n ? (unsigned long long)list[0].tot_pages : 0ULL))
        return 1;
    rc = mica_domain_getinfo(m, 0, &one);
    if (report("getinfo-dom0", !rc && one.domain == 0 && one.nr_online_vcpus > 0,
               "%s", rc ? mica_errmsg(m) : ""))
        return 1;
    struct mica_vcpuinfo v;

    rc = mica_vcpu_getinfo(m, 0, 0, &v);
    if (report("vcpuinfo-dom0", !rc && v.online && v.cpu_time > 0, "%s",
               rc ? mica_errmsg(m) : ""))
        return 1;
    /* An unknown domain: -ESRCH and the message names the call and the id. */
    rc = mica_domain_getinfo(m, 31000, &one);
    return report("getinfo-unknown", rc == -ESRCH &&
                  !strcmp(mica_errmsg(m), "getdomaininfo 31000: No such process"),
                  "rc %d, \"%s\"", rc, mica_errmsg(m));
}

/* Wait for 'port' to be reported; every port read is unmasked again. */
static bool wait_port(struct mica_evtchn *e, int port)
{
    uint64_t end = now_ms() + 2000;

    while (now_ms() < end) {
        struct pollfd p = { .fd = mica_evtchn_fd(e), .events = POLLIN };
        int got;

        if (poll(&p, 1, 100) < 0)
            return false;
        got = mica_evtchn_pending(e);
        if (got == -EAGAIN)
            continue;
        if (got < 0 || mica_evtchn_unmask(e, (uint32_t)got))
            return false;
        if (got == port)
            return true;
    }
    return false;
}

static int check_evtchn(void)
{
    struct mica_evtchn *e = mica_evtchn_open();
    int a, b, ok = 0;

    if (!e)
        return report("evtchn-loop", false, "open: %s", strerror(errno));
    a = mica_evtchn_bind_unbound(e, 0);
    b = a < 0 ? a : mica_evtchn_bind_interdomain(e, 0, (uint32_t)a);
    if (a < 0 || b < 0) {
        mica_evtchn_close(e);
        return report("evtchn-loop", false, "bind: %s", strerror(-(a < 0 ? a : b)));
    }
    /* A fresh interdomain port starts pending, as in Xen: drain it. */
    ok = wait_port(e, b) &&
         !mica_evtchn_notify(e, (uint32_t)b) && wait_port(e, a) &&
         !mica_evtchn_notify(e, (uint32_t)a) && wait_port(e, b) &&
         mica_evtchn_pending(e) == -EAGAIN &&
         !mica_evtchn_unbind(e, (uint32_t)b) && !mica_evtchn_unbind(e, (uint32_t)a);
    mica_evtchn_close(e);
    return report("evtchn-loop", ok, "ports %d and %d", a, b);
}

/* A domain of four frames, their mfns in mfns[]; 0 or -errno. */
static int four_frame_domain(struct mica *m, uint32_t *domid, uint64_t *mfns)
{
    struct mica_create_args ca = { .max_vcpus = 1 };
    uint64_t pfns[4] = { 0, 1, 2, 3 };
    int rc = mica_domain_create(m, &ca, domid);

    if (rc)
        return rc;
    rc = mica_domain_max_vcpus(m, *domid, 1);
    if (!rc)
        rc = mica_domain_setmaxmem(m, *domid, 4 * 4);
    if (!rc)
        rc = mica_populate_physmap(m, *domid, pfns, mfns, 4);
    if (rc)
        mica_domain_destroy(m, *domid);
    return rc;
}

static int destroy_and_count(struct mica *m, const char *name, uint32_t domid,
                             uint64_t before)
{
    uint64_t after = 0;
    bool back;

    mica_domain_destroy(m, domid);
    back = wait_free_pages(m, before, 5000, &after);
    return report(name, back, "free pages %llu before, %llu after",
                  (unsigned long long)before, (unsigned long long)after);
}

/*
 * The hypervisor's heap carves small objects out of whole frames and
 * keeps those frames once it has them, so the first domain of a boot
 * leaves one or two frames in the heap's free lists: not a leak.  One
 * domain made and destroyed first, so the counts below are exact.
 */
static void warm_up(struct mica *m)
{
    uint64_t mfns[4], got;
    uint32_t domid;

    if (!four_frame_domain(m, &domid, mfns)) {
        mica_domain_destroy(m, domid);
        wait_free_pages(m, 0, 200, &got);
    }
}

/* Written through one writable mapping, read back through a read-only one. */
static int check_foreign(struct mica *m)
{
    uint64_t before = free_pages(m, "foreign-map"), mfns[4];
    uint32_t domid;
    uint8_t *w, *r = NULL;
    bool same = false;
    int errs[4];

    if (!before)
        return 1;
    if (four_frame_domain(m, &domid, mfns))
        return report("foreign-map", false, "%s", mica_errmsg(m));
    w = mica_map_foreign(m, domid, PROT_READ | PROT_WRITE, mfns, NULL, 4);
    if (w) {
        for (size_t i = 0; i < 4 * 4096; i++)
            w[i] = (uint8_t)(i * 7 + domid);
        mica_unmap(w, 4);
        r = mica_map_foreign(m, domid, PROT_READ, mfns, errs, 4);
    }
    if (r) {
        same = !errs[0] && !errs[1] && !errs[2] && !errs[3];
        for (size_t i = 0; same && i < 4 * 4096; i++)
            same = r[i] == (uint8_t)(i * 7 + domid);
        mica_unmap(r, 4);
    }
    return report("foreign-map", same, "%s", same ? "" : r ? "data differs" :
                  mica_errmsg(m)) +
           destroy_and_count(m, "foreign-map-freed", domid, before);
}

/* A frame the domain does not own fails alone, not the whole batch. */
static int check_foreign_bad_frame(struct mica *m)
{
    uint64_t before = free_pages(m, "foreign-bad-frame"), mfns[4];
    uint32_t domid;
    int errs[4] = { 0 };
    uint8_t *r;

    if (!before)
        return 1;
    if (four_frame_domain(m, &domid, mfns))
        return report("foreign-bad-frame", false, "%s", mica_errmsg(m));
    mfns[1] = ~0ULL >> 20;
    r = mica_map_foreign(m, domid, PROT_READ, mfns, errs, 4);
    mica_unmap(r, 4);
    return report("foreign-bad-frame", r && !errs[0] && errs[1] < 0 && !errs[2] && !errs[3],
                  "errs %d %d %d %d", errs[0], errs[1], errs[2], errs[3]) +
           destroy_and_count(m, "foreign-bad-frame-freed", domid, before);
}

/*
 * Grants looped back inside dom0: two pages shared through gntalloc with
 * dom0 itself, mapped again through gntdev, seen to be the same memory.
 */
static int check_grant_loop(void)
{
    struct mica_gntshr *s = mica_gntshr_open();
    struct mica_gnttab *g = mica_gnttab_open();
    uint8_t *mine = NULL, *theirs = NULL;
    uint32_t refs[2];
    bool same = false;
    int rc, err = errno;

    if (s && !(mine = mica_gntshr_share(s, 0, 2, true, refs)))
        err = errno;
    if (mine && g && !(theirs = mica_gnttab_map(g, 0, refs, 2, PROT_READ | PROT_WRITE)))
        err = errno;
    if (theirs) {
        memset(mine, 0x5a, 2 * 4096);
        theirs[4096 + 7] = 0xa5;
        same = theirs[0] == 0x5a && theirs[2 * 4096 - 1] == 0x5a && mine[4096 + 7] == 0xa5;
    }
    rc = report("grant-loop", same, "%s%s%s", same ? "" : !s || !g ? "open gntalloc/gntdev"
                : !mine ? "gntalloc share" : !theirs ? "gntdev map" : "the two mappings differ",
                same || (mine && theirs) ? "" : ": ", same || (mine && theirs) ? "" : strerror(err));
    if (theirs && mica_gnttab_unmap(g, theirs, 2))
        rc |= report("grant-unmap", false, "gntdev unmap failed");
    if (mine)
        mica_gntshr_unshare(s, mine, 2);
    mica_gnttab_close(g);
    mica_gntshr_close(s);
    return rc;
}

static int check_readconsole(struct mica *m)
{
    char buf[4096];
    size_t len = sizeof(buf);
    uint32_t index = 0;
    int rc = mica_readconsole(m, buf, &len, &index, false);

    return report("readconsole", !rc && len > 0, "%s%zu bytes",
                  rc ? mica_errmsg(m) : "", len);
}

int check_basic(struct mica *m)
{
    return check_physinfo(m) + check_list(m) + check_evtchn() +
           (warm_up(m), check_foreign(m)) + check_foreign_bad_frame(m) +
           check_grant_loop() + check_readconsole(m);
}
