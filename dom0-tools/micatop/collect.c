/* SPDX-License-Identifier: MIT */
/*
 * collect.c - the snapshots micatop draws (collect.h): everything it
 * shows is read here, and nothing here draws.  Per refresh it costs one
 * getdomaininfolist, one physinfo, and one getvcpuinfo per vCPU of
 * domains with more than one.  Names, device lists and device counters
 * are kept from the snapshot before and read again only for a domain a
 * watch on /local/domain says changed (stale.c), or a new one: with
 * nothing changing, a refresh makes no xenstore request at all (each is
 * a round trip to micastored).  README has what that costs with 20
 * domains.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libmica.h>
#include <micaxs.h>
#include <public/version.h>

#include "collect.h"
#include "prof.h"
#include "stale.h"

#define WATCH_TOKEN "micatop"
/* Events drained per snapshot before it reads everything instead. */
#define DRAIN_MAX (4 * MT_STALE_MAX)

static char xen_version[64];

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* "4.17.7" from XENVER_version and XENVER_extraversion, once. */
static void read_version(struct mica *hv)
{
    char *extra = mica_buf_alloc(hv, 16);
    long v = mica_hypercall(hv, __HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);

    if (v < 0) {
        snprintf(xen_version, sizeof(xen_version), "?");
        return;
    }
    if (extra) {
        memset(extra, 0, 16);
        if (mica_hypercall(hv, __HYPERVISOR_xen_version, XENVER_extraversion,
                           (uint64_t)(uintptr_t)extra, 0, 0, 0) < 0)
            extra[0] = 0;
        extra[15] = 0;
    }
    snprintf(xen_version, sizeof(xen_version), "%ld.%ld%s", v >> 16, v & 0xffff,
             extra ? extra : "");
    if (extra)
        mica_buf_free(hv, extra, 16);
}

int mt_coll_open(struct mt_coll *c, char *err, size_t len)
{
    memset(c, 0, sizeof(*c));
    c->hv = mica_open();
    if (!c->hv) {
        snprintf(err, len, "cannot open /dev/xen/privcmd: %s (not dom0?)", strerror(errno));
        return -errno;
    }
    /* Without xenstore the table still works; only the names are lost. */
    c->xs = mxs_open(NULL);
    /* Without the watch every snapshot reads everything. */
    c->watching = c->xs && !mxs_watch(c->xs, "/local/domain", WATCH_TOKEN);
    c->stale.all = true;
    read_version(c->hv);
    return 0;
}

void mt_snap_free(struct mt_snap *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->n; i++) {
        free(s->doms[i]->vcpu_ns);
        free(s->doms[i]->vcpu_online);
        free(s->doms[i]->vifs);
        free(s->doms[i]->vbds);
        free(s->doms[i]);
    }
    free(s->doms);
    free(s);
}

void mt_coll_close(struct mt_coll *c)
{
    mt_snap_free(c->prev);
    free(c->vbd_doms);
    free(c->vif_doms);
    mt_stale_free(&c->stale);
    if (c->xs)
        mxs_close(c->xs);
    if (c->hv)
        mica_close(c->hv);
    memset(c, 0, sizeof(*c));
}

struct mt_dom *mt_snap_find(const struct mt_snap *s, uint32_t domid)
{
    size_t lo = 0, hi = s ? s->n : 0;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;

        if (s->doms[mid]->domid == domid)
            return s->doms[mid];
        if (s->doms[mid]->domid < domid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static char *xs_get(struct mt_coll *c, const char *path)
{
    char *val = NULL;
    unsigned int len;

    if (!c->xs)
        return NULL;
    mt_prof_xs(1);
    if (mxs_read(c->xs, 0, path, &val, &len))
        return NULL;
    return val;
}

/* The names under path, or none: n is 0 on any failure. */
static void xs_dir(struct mt_coll *c, const char *path, char ***names, unsigned int *n)
{
    *names = NULL;
    *n = 0;
    if (!c->xs)
        return;
    mt_prof_xs(1);
    if (mxs_directory(c->xs, 0, path, names, n))
        *n = 0;
}

static void read_name(struct mt_coll *c, struct mt_dom *d, const struct mt_dom *p)
{
    char path[48], *v;

    if (p && !(mt_stale_get(&c->stale, d->domid) & MT_STALE_NAME) &&
        strcmp(p->name, "(null)")) {
        memcpy(d->name, p->name, sizeof(d->name));
        return;
    }
    snprintf(path, sizeof(path), "/local/domain/%u/name", d->domid);
    v = xs_get(c, path);
    if (v && *v)
        snprintf(d->name, sizeof(d->name), "%s", v);
    else if (d->domid == 0)
        snprintf(d->name, sizeof(d->name), "Domain-0");
    else    /* as xl and xentop show a domain whose name is gone (dying) */
        snprintf(d->name, sizeof(d->name), "(null)");
    free(v);
}

/* A decimal counter a back end published, 0 when absent or not a number. */
static uint64_t xs_counter(struct mt_coll *c, const char *dir, const char *key)
{
    char path[160], *v, *end;
    uint64_t n = 0;

    snprintf(path, sizeof(path), "%s/statistics/%s", dir, key);
    v = xs_get(c, path);
    if (v) {
        errno = 0;
        n = strtoull(v, &end, 10);
        if (errno || end == v || *end || v[0] == '-')
            n = 0;
    }
    free(v);
    return n;
}

static bool listed(char **doms, unsigned int n, uint32_t domid)
{
    char id[12];
    unsigned int i;

    snprintf(id, sizeof(id), "%u", domid);
    for (i = 0; i < n; i++)
        if (!strcmp(doms[i], id))
            return true;
    return false;
}

/* The device ids under /local/domain/0/backend/KIND/DOMID; count or <0. */
static int list_devices(struct mt_coll *c, const char *kind, uint32_t domid, char ***ids)
{
    bool vbd = !strcmp(kind, "vbd");
    char path[80];
    unsigned int n = 0;

    *ids = NULL;
    /* Reading every domain's: most have no back end of a kind, and the
     * list of those that do saves a request for each of them. */
    if (!c->xs || (c->stale.all && !listed(vbd ? c->vbd_doms : c->vif_doms,
                                           vbd ? c->nr_vbd_doms : c->nr_vif_doms, domid)))
        return 0;
    snprintf(path, sizeof(path), "/local/domain/0/backend/%s/%u", kind, domid);
    xs_dir(c, path, ids, &n);
    return (int)n;
}

/* Are p's devices of a kind still current (no change seen under them)? */
static bool devices_current(const struct mt_coll *c, const struct mt_dom *p, unsigned int bit)
{
    return p && !(mt_stale_get(&c->stale, p->domid) & bit);
}

/* A copy of n elements (NULL for none or no memory). */
static void *dup_array(const void *a, size_t n, size_t size)
{
    void *b = n ? malloc(n * size) : NULL;

    if (b)
        memcpy(b, a, n * size);
    return b;
}

static void read_vbds(struct mt_coll *c, struct mt_dom *d, const struct mt_dom *p)
{
    char **ids, dir[96];
    int n, i;

    if (devices_current(c, p, MT_STALE_VBD)) {
        d->vbds = dup_array(p->vbds, p->nr_vbds, sizeof(*p->vbds));
        d->nr_vbds = d->vbds ? p->nr_vbds : 0;
        return;
    }
    n = list_devices(c, "vbd", d->domid, &ids);

    d->vbds = n > 0 ? calloc((size_t)n, sizeof(*d->vbds)) : NULL;
    for (i = 0; d->vbds && i < n; i++) {
        struct mt_vbd *b = &d->vbds[d->nr_vbds++];

        snprintf(dir, sizeof(dir), "/local/domain/0/backend/vbd/%u/%s", d->domid, ids[i]);
        b->devid = (uint32_t)strtoul(ids[i], NULL, 10);
        b->oo = xs_counter(c, dir, "oo_req");
        b->rd = xs_counter(c, dir, "rd_req");
        b->wr = xs_counter(c, dir, "wr_req");
        b->rsect = xs_counter(c, dir, "rd_sect");
        b->wsect = xs_counter(c, dir, "wr_sect");
    }
    free(ids);
}

static void read_vifs(struct mt_coll *c, struct mt_dom *d, const struct mt_dom *p)
{
    char **ids, dir[96];
    int n, i;

    if (devices_current(c, p, MT_STALE_VIF)) {
        d->vifs = dup_array(p->vifs, p->nr_vifs, sizeof(*p->vifs));
        d->nr_vifs = d->vifs ? p->nr_vifs : 0;
        return;
    }
    n = list_devices(c, "vif", d->domid, &ids);

    d->vifs = n > 0 ? calloc((size_t)n, sizeof(*d->vifs)) : NULL;
    for (i = 0; d->vifs && i < n; i++) {
        struct mt_vif *v = &d->vifs[d->nr_vifs++];

        snprintf(dir, sizeof(dir), "/local/domain/0/backend/vif/%u/%s", d->domid, ids[i]);
        v->devid = (uint32_t)strtoul(ids[i], NULL, 10);
        v->tx_bytes = xs_counter(c, dir, "tx_bytes");
        v->tx_pkts = xs_counter(c, dir, "tx_packets");
        v->tx_err = xs_counter(c, dir, "tx_errors");
        v->tx_drop = xs_counter(c, dir, "tx_drops");
        v->rx_bytes = xs_counter(c, dir, "rx_bytes");
        v->rx_pkts = xs_counter(c, dir, "rx_packets");
        v->rx_err = xs_counter(c, dir, "rx_errors");
        v->rx_drop = xs_counter(c, dir, "rx_drops");
    }
    free(ids);
}

static int read_vcpus(struct mt_coll *c, struct mt_dom *d,
                      const struct xen_domctl_getdomaininfo *info)
{
    struct mica_vcpuinfo vi;
    unsigned int i;

    d->nr_vcpus = info->max_vcpu_id + 1;
    d->vcpu_ns = calloc(d->nr_vcpus, sizeof(*d->vcpu_ns));
    d->vcpu_online = calloc(d->nr_vcpus, sizeof(*d->vcpu_online));
    if (!d->vcpu_ns || !d->vcpu_online)
        return -ENOMEM;
    /* The domain's time is the sum over its vCPUs: with one vCPU it is that
     * vCPU's, and most domUs have one, so this saves a hypercall each. */
    if (d->nr_vcpus == 1) {
        d->vcpu_ns[0] = info->cpu_time;
        d->vcpu_online[0] = info->nr_online_vcpus > 0;
        return 0;
    }
    mt_prof_hcalls(d->nr_vcpus);
    for (i = 0; i < d->nr_vcpus; i++) {
        if (mica_vcpu_getinfo(c->hv, d->domid, i, &vi) < 0) {
            d->vcpu_ns[i] = MT_VCPU_ABSENT;
            continue;
        }
        d->vcpu_ns[i] = vi.cpu_time;
        d->vcpu_online[i] = vi.online;
    }
    return 0;
}

/* CPU(%) from the previous sample of the same domain, history carried on. */
static void measure(const struct mt_snap *prev, struct mt_dom *d, uint64_t wall)
{
    const struct mt_dom *p = mt_snap_find(prev, d->domid);
    struct mt_cpu_sample a, b = { wall, d->cpu_ns, d->nr_vcpus, d->vcpu_ns };

    if (!p) {
        d->cpu_pct = 0.0;
        return;
    }
    a = (struct mt_cpu_sample){ prev->wall_ns, p->cpu_ns, p->nr_vcpus, p->vcpu_ns };
    d->cpu_pct = mt_cpu_pct(&a, &b);
    d->hist = p->hist;
    mt_hist_push(&d->hist, d->cpu_pct);
}

static struct mt_dom *read_dom(struct mt_coll *c, const struct xen_domctl_getdomaininfo *info)
{
    struct mt_dom *d = calloc(1, sizeof(*d));
    const struct mt_dom *p = mt_snap_find(c->prev, info->domain);

    if (!d)
        return NULL;
    d->domid = info->domain;
    d->flags = info->flags;
    d->cpu_ns = info->cpu_time;
    d->mem_kb = info->tot_pages * 4;
    /* Xen's "no limit" is an all-ones page count. */
    d->maxmem_kb = info->max_pages >= UINT32_MAX ? MT_NO_LIMIT : info->max_pages * 4;
    d->ssid = info->ssidref;
    read_name(c, d, p);
    if (read_vcpus(c, d, info) < 0) {
        free(d->vcpu_ns);
        free(d->vcpu_online);
        free(d);
        return NULL;
    }
    read_vbds(c, d, p);
    read_vifs(c, d, p);
    return d;
}

static int read_host(struct mt_coll *c, struct mt_host *h)
{
    struct xen_sysctl_physinfo pi;
    int rc = mica_physinfo(c->hv, &pi);

    mt_prof_hcalls(1);
    if (rc < 0)
        return rc;
    h->total_kb = pi.total_pages * 4;
    h->free_kb = pi.free_pages * 4;
    h->nr_cpus = pi.nr_cpus;
    h->cpu_mhz = pi.cpu_khz / 1000;
    snprintf(h->version, sizeof(h->version), "%s", xen_version);
    return 0;
}

/* What changed since the last snapshot, from the watch's events. */
static void drain_watch(struct mt_coll *c)
{
    char *path, *token;
    int n = 0, rc;

    if (!c->watching) {
        c->stale.all = true;
        return;
    }
    while ((rc = mxs_read_watch(c->xs, 0, &path, &token)) == 0) {
        if (!strcmp(token, WATCH_TOKEN))
            mt_stale_mark(&c->stale, path);
        free(path);
        free(token);
        if (++n == DRAIN_MAX) {         /* a storm: the rest next time */
            c->stale.all = true;
            break;
        }
    }
    if (rc && rc != -ETIMEDOUT && rc != -EAGAIN) {
        c->watching = false;            /* the connection broke */
        c->stale.all = true;
    }
}

/* Which domains have back ends of each kind, when reading everything. */
static void list_backends(struct mt_coll *c)
{
    free(c->vbd_doms);
    free(c->vif_doms);
    c->vbd_doms = c->vif_doms = NULL;
    c->nr_vbd_doms = c->nr_vif_doms = 0;
    if (!c->stale.all)
        return;
    xs_dir(c, "/local/domain/0/backend/vbd", &c->vbd_doms, &c->nr_vbd_doms);
    xs_dir(c, "/local/domain/0/backend/vif", &c->vif_doms, &c->nr_vif_doms);
}

int mt_collect(struct mt_coll *c, struct mt_snap **out)
{
    struct xen_domctl_getdomaininfo info[64];
    struct mt_snap *s = calloc(1, sizeof(*s));
    struct mt_dom **grown;
    uint32_t first = 0;
    int got, i, rc = -ENOMEM;

    if (!s)
        return -ENOMEM;
    rc = read_host(c, &s->host);
    drain_watch(c);
    list_backends(c);
    do {
        got = rc < 0 ? rc : mica_domain_getinfolist(c->hv, first, 64, info);
        mt_prof_hcalls(1);
        if (got < 0) {
            rc = got;
            goto fail;
        }
        s->wall_ns = now_ns();
        grown = realloc(s->doms, (s->n + (size_t)got) * sizeof(*s->doms));
        if (!grown && got) {
            rc = -ENOMEM;
            goto fail;
        }
        s->doms = grown;
        for (i = 0; i < got; i++) {
            s->doms[s->n] = read_dom(c, &info[i]);
            if (!s->doms[s->n]) {
                rc = -ENOMEM;
                goto fail;
            }
            measure(c->prev, s->doms[s->n], s->wall_ns);
            s->n++;
        }
        if (got)
            first = info[got - 1].domain + 1u;
    } while (got == 64);
    mt_snap_free(c->prev);
    c->prev = s;
    c->rounds++;
    mt_stale_clear(&c->stale);
    mt_prof_round();
    *out = s;
    return 0;
fail:
    mt_snap_free(s);
    c->stale.all = true;        /* what was marked was not all read */
    return rc;
}

int mt_vcpu_detail(struct mt_coll *c, uint32_t domid, unsigned int vcpu,
                   struct mt_vcpu_detail *out)
{
    struct mica_vcpuinfo vi;
    int rc = mica_vcpu_getinfo(c->hv, domid, vcpu, &vi);

    if (rc < 0)
        return rc;
    out->online = vi.online;
    out->blocked = vi.blocked;
    out->running = vi.running;
    out->cpu = vi.cpu;
    out->cpu_ns = vi.cpu_time;
    return 0;
}
