/* SPDX-License-Identifier: MIT */
/*
 * table.c - xentop's table (table.h): cell formats and widths taken from
 * the output of xentop 4.17 (xl-reference §5), which the unit tests hold
 * byte for byte, so that scripts written against `xentop -b` read
 * `micatop -b` unchanged.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <public/domctl.h>
#include <public/sched.h>

#include "table.h"

static const struct {
    const char *title;
    int width;
} cols[MT_NR_COLS] = {
    [MT_NAME] = { "NAME", 10 },           [MT_STATE] = { "STATE", 6 },
    [MT_CPU_SEC] = { "CPU(sec)", 10 },    [MT_CPU_PCT] = { "CPU(%)", 6 },
    [MT_MEM] = { "MEM(k)", 10 },          [MT_MEM_PCT] = { "MEM(%)", 6 },
    [MT_MAXMEM] = { "MAXMEM(k)", 10 },    [MT_MAXMEM_PCT] = { "MAXMEM(%)", 9 },
    [MT_VCPUS] = { "VCPUS", 5 },          [MT_NETS] = { "NETS", 4 },
    [MT_NETTX] = { "NETTX(k)", 8 },       [MT_NETRX] = { "NETRX(k)", 8 },
    [MT_VBDS] = { "VBDS", 4 },            [MT_VBD_OO] = { "VBD_OO", 8 },
    [MT_VBD_RD] = { "VBD_RD", 8 },        [MT_VBD_WR] = { "VBD_WR", 8 },
    [MT_VBD_RSECT] = { "VBD_RSECT", 10 }, [MT_VBD_WSECT] = { "VBD_WSECT", 10 },
    [MT_SSID] = { "SSID", 4 },
};

const char *mt_col_title(enum mt_col c)
{
    return c < MT_NR_COLS ? cols[c].title : "?";
}

static bool crashed(uint32_t flags)
{
    return (flags & XEN_DOMINF_shutdown) &&
           ((flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask) == SHUTDOWN_crash;
}

/* The flags in xentop's column order, which is also its STATE sort order. */
static unsigned int state_bits(uint32_t flags)
{
    return (flags & XEN_DOMINF_dying ? 32u : 0) | (flags & XEN_DOMINF_shutdown ? 16u : 0) |
           (flags & XEN_DOMINF_blocked ? 8u : 0) | (crashed(flags) ? 4u : 0) |
           (flags & XEN_DOMINF_paused ? 2u : 0) | (flags & XEN_DOMINF_running ? 1u : 0);
}

void mt_state(uint32_t flags, char out[7])
{
    static const char letters[] = "dsbcpr";
    unsigned int bits = state_bits(flags), i;

    for (i = 0; i < 6; i++)
        out[i] = bits & (32u >> i) ? letters[i] : '-';
    out[6] = 0;
}

static double pct(uint64_t part, uint64_t whole)
{
    return whole ? (double)part * 100.0 / (double)whole : 0.0;
}

uint64_t mt_net_kb(const struct mt_dom *d, bool tx)
{
    uint64_t sum = 0;
    unsigned int i;

    for (i = 0; i < d->nr_vifs; i++)
        sum += tx ? d->vifs[i].tx_bytes : d->vifs[i].rx_bytes;
    return sum / 1024;
}

uint64_t mt_vbd_sum(const struct mt_dom *d, enum mt_col c)
{
    uint64_t sum = 0;
    unsigned int i;

    for (i = 0; i < d->nr_vbds; i++) {
        const struct mt_vbd *b = &d->vbds[i];

        sum += c == MT_VBD_OO ? b->oo : c == MT_VBD_RD ? b->rd : c == MT_VBD_WR ? b->wr :
               c == MT_VBD_RSECT ? b->rsect : b->wsect;
    }
    return sum;
}

/* The column's value for the numeric columns (and for sorting them). */
static double value(const struct mt_dom *d, const struct mt_host *h, enum mt_col c)
{
    switch (c) {
    case MT_CPU_SEC: return (double)(d->cpu_ns / 1000000000u);
    case MT_CPU_PCT: return d->cpu_pct;
    case MT_MEM: return (double)d->mem_kb;
    case MT_MEM_PCT: return pct(d->mem_kb, h->total_kb);
    case MT_MAXMEM: return (double)d->maxmem_kb;
    case MT_MAXMEM_PCT: return d->maxmem_kb == MT_NO_LIMIT ? 0 : pct(d->maxmem_kb, h->total_kb);
    case MT_VCPUS: return d->nr_vcpus;
    case MT_NETS: return d->nr_vifs;
    case MT_NETTX: return (double)mt_net_kb(d, true);
    case MT_NETRX: return (double)mt_net_kb(d, false);
    case MT_VBDS: return d->nr_vbds;
    case MT_VBD_OO: case MT_VBD_RD: case MT_VBD_WR: case MT_VBD_RSECT: case MT_VBD_WSECT:
        return (double)mt_vbd_sum(d, c);
    case MT_SSID: return d->ssid;
    default: return 0;
    }
}

void mt_cell(const struct mt_dom *d, const struct mt_host *h, enum mt_col c, bool full_name,
             char *out, size_t len)
{
    int w = cols[c].width;
    char st[7];

    switch (c) {
    case MT_NAME:
        if (full_name)
            snprintf(out, len, "%*s", w, d->name);
        else
            snprintf(out, len, "%*.*s", w, w, d->name);
        return;
    case MT_STATE:
        mt_state(d->flags, st);
        snprintf(out, len, "%s", st);
        return;
    case MT_CPU_PCT: case MT_MEM_PCT: case MT_MAXMEM_PCT:
        if (c == MT_MAXMEM_PCT && d->maxmem_kb == MT_NO_LIMIT)
            snprintf(out, len, "%*s", w, "n/a");
        else
            snprintf(out, len, "%*.1f", w, value(d, h, c));
        return;
    case MT_MAXMEM:
        if (d->maxmem_kb == MT_NO_LIMIT) {
            snprintf(out, len, "%*s", w, "no limit");
            return;
        }
        break;
    default:
        break;
    }
    snprintf(out, len, "%*" PRIu64, w, (uint64_t)value(d, h, c));
}

void mt_head_cell(enum mt_col c, char *out, size_t len)
{
    snprintf(out, len, "%*s", cols[c].width, cols[c].title);
}

/* Append with a separating space; output is cut at len, never overrun. */
static void join(char *out, size_t len, size_t *at, const char *cell)
{
    int n = snprintf(out + *at, len - *at, "%s%s", *at ? " " : "", cell);

    if (n > 0)
        *at = *at + (size_t)n < len ? *at + (size_t)n : len - 1;
}

void mt_header(char *out, size_t len)
{
    char cell[32];
    size_t at = 0;
    int c;

    out[0] = 0;
    for (c = 0; c < MT_NR_COLS; c++) {
        mt_head_cell((enum mt_col)c, cell, sizeof(cell));
        join(out, len, &at, cell);
    }
}

void mt_row(const struct mt_dom *d, const struct mt_host *h, bool full_name, char *out,
            size_t len)
{
    char cell[80];
    size_t at = 0;
    int c;

    out[0] = 0;
    for (c = 0; c < MT_NR_COLS; c++) {
        mt_cell(d, h, (enum mt_col)c, full_name, cell, sizeof(cell));
        join(out, len, &at, cell);
    }
}

void mt_vcpu_line(const struct mt_dom *d, char *out, size_t len)
{
    size_t at;
    unsigned int i;
    int n;

    at = (size_t)snprintf(out, len, "VCPUs(sec): ");
    for (i = 0; i < d->nr_vcpus && at < len; i++) {
        if (!d->vcpu_online[i] || d->vcpu_ns[i] == MT_VCPU_ABSENT)
            continue;
        n = snprintf(out + at, len - at, " %2u: %10" PRIu64 "s", i, d->vcpu_ns[i] / 1000000000u);
        if (n > 0)
            at += (size_t)n;
    }
}

void mt_vif_line(const struct mt_vif *v, unsigned int i, char *out, size_t len)
{
    snprintf(out, len,
             "Net%u RX: %8" PRIu64 "bytes %8" PRIu64 "pkts %8" PRIu64 "err %8" PRIu64 "drop  "
             "TX: %8" PRIu64 "bytes %8" PRIu64 "pkts %8" PRIu64 "err %8" PRIu64 "drop",
             i, v->rx_bytes, v->rx_pkts, v->rx_err, v->rx_drop, v->tx_bytes, v->tx_pkts,
             v->tx_err, v->tx_drop);
}

void mt_vbd_line(const struct mt_vbd *b, char *out, size_t len)
{
    snprintf(out, len,
             "VBD BlkBack %4u [%2x:%2x]  OO: %8" PRIu64 "   RD: %8" PRIu64 "   WR: %8" PRIu64
             "  RSECT: %10" PRIu64 "  WSECT: %10" PRIu64,
             b->devid, (b->devid >> 8) & 0xffu, b->devid & 0xffu, b->oo, b->rd, b->wr, b->rsect,
             b->wsect);
}

void mt_summary_states(struct mt_dom *const *d, size_t n, char *out, size_t len)
{
    /* running, blocked, paused, crashed, dying, shutdown as printed; each
     * domain counts once, in the first of running, blocked, paused,
     * shutdown, crashed, dying that it is. */
    unsigned int run = 0, blk = 0, pau = 0, cra = 0, dyi = 0, shu = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        uint32_t f = d[i]->flags;

        if (f & XEN_DOMINF_running)
            run++;
        else if (f & XEN_DOMINF_blocked)
            blk++;
        else if (f & XEN_DOMINF_paused)
            pau++;
        else if ((f & XEN_DOMINF_shutdown) && !crashed(f))
            shu++;
        else if (crashed(f))
            cra++;
        else if (f & XEN_DOMINF_dying)
            dyi++;
    }
    snprintf(out, len, "%zu domains: %u running, %u blocked, %u paused, %u crashed, "
             "%u dying, %u shutdown", n, run, blk, pau, cra, dyi, shu);
}

void mt_summary_mem(const struct mt_host *h, char *out, size_t len)
{
    snprintf(out, len, "Mem: %" PRIu64 "k total, %" PRIu64 "k used, %" PRIu64 "k free    "
             "CPUs: %u @ %uMHz", h->total_kb, h->total_kb - h->free_kb, h->free_kb, h->nr_cpus,
             h->cpu_mhz);
}

static int cmp_num(double a, double b)
{
    return a > b ? -1 : a < b ? 1 : 0;
}

static int compare(const void *pa, const void *pb, void *arg)
{
    const struct mt_dom *a = *(struct mt_dom *const *)pa, *b = *(struct mt_dom *const *)pb;
    enum mt_col by = *(const enum mt_col *)arg;
    static const struct mt_host none = { 1, 0, 0, 0, "" };
    unsigned int sa, sb, bit;
    int r = 0;

    if (by == MT_NAME) {
        r = strcasecmp(a->name, b->name);
    } else if (by == MT_STATE) {
        sa = state_bits(a->flags);
        sb = state_bits(b->flags);
        /* At the first flag in which they differ, the one that has it first. */
        for (bit = 32; bit && !r; bit >>= 1)
            if ((sa ^ sb) & bit)
                r = sa & bit ? -1 : 1;
    } else {
        /* Percentages of the same host order as their amounts do. */
        r = cmp_num(value(a, &none, by), value(b, &none, by));
    }
    return r ? r : a->domid < b->domid ? -1 : a->domid > b->domid;
}

void mt_sort(struct mt_dom **d, size_t n, enum mt_col by)
{
    qsort_r(d, n, sizeof(*d), compare, &by);
}
