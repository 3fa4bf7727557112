/* SPDX-License-Identifier: MIT */
/*
 * json.c - micatop's JSON lines (json.h).  Domain names come from
 * xenstore, which a guest's toolstack-side name can put anything into,
 * so every string is escaped.
 */
#include <inttypes.h>

#include "json.h"
#include "json-string.h"

static void devices(FILE *f, const struct mt_dom *d)
{
    unsigned int i;

    fprintf(f, ",\"vifs\":[");
    for (i = 0; i < d->nr_vifs; i++) {
        const struct mt_vif *v = &d->vifs[i];

        fprintf(f, "%s{\"devid\":%" PRIu32 ",\"tx_bytes\":%" PRIu64 ",\"tx_packets\":%" PRIu64
                ",\"tx_errors\":%" PRIu64 ",\"tx_drops\":%" PRIu64 ",\"rx_bytes\":%" PRIu64
                ",\"rx_packets\":%" PRIu64 ",\"rx_errors\":%" PRIu64 ",\"rx_drops\":%" PRIu64 "}",
                i ? "," : "", v->devid, v->tx_bytes, v->tx_pkts, v->tx_err, v->tx_drop,
                v->rx_bytes, v->rx_pkts, v->rx_err, v->rx_drop);
    }
    fprintf(f, "],\"vbds\":[");
    for (i = 0; i < d->nr_vbds; i++) {
        const struct mt_vbd *b = &d->vbds[i];

        fprintf(f, "%s{\"devid\":%" PRIu32 ",\"oo\":%" PRIu64 ",\"rd\":%" PRIu64 ",\"wr\":%" PRIu64
                ",\"rsect\":%" PRIu64 ",\"wsect\":%" PRIu64 "}", i ? "," : "", b->devid, b->oo,
                b->rd, b->wr, b->rsect, b->wsect);
    }
    fputc(']', f);
}

static void dom(FILE *f, const struct mt_dom *d, const struct mt_host *h)
{
    char st[7];
    unsigned int i, k = 0;

    mt_state(d->flags, st);
    fprintf(f, "{\"domid\":%" PRIu32 ",\"name\":", d->domid);
    json_string(f, d->name);
    fprintf(f, ",\"state\":\"%s\",\"cpu_ns\":%" PRIu64 ",\"cpu_pct\":%.2f,\"mem_kb\":%" PRIu64
            ",\"mem_pct\":%.2f,\"maxmem_kb\":", st, d->cpu_ns, d->cpu_pct, d->mem_kb,
            h->total_kb ? (double)d->mem_kb * 100.0 / (double)h->total_kb : 0.0);
    if (d->maxmem_kb == MT_NO_LIMIT)
        fprintf(f, "null");
    else
        fprintf(f, "%" PRIu64, d->maxmem_kb);
    fprintf(f, ",\"vcpus\":%u,\"vcpu_ns\":[", d->nr_vcpus);
    for (i = 0; i < d->nr_vcpus; i++) {
        if (!d->vcpu_online[i] || d->vcpu_ns[i] == MT_VCPU_ABSENT)
            continue;
        fprintf(f, "%s[%u,%" PRIu64 "]", k++ ? "," : "", i, d->vcpu_ns[i]);
    }
    fprintf(f, "],\"nettx_kb\":%" PRIu64 ",\"netrx_kb\":%" PRIu64, mt_net_kb(d, true),
            mt_net_kb(d, false));
    devices(f, d);
    fprintf(f, ",\"ssid\":%" PRIu32 "}", d->ssid);
}

void mt_json(FILE *f, uint64_t time_s, const struct mt_host *h, struct mt_dom *const *d,
             size_t n)
{
    size_t i;

    fprintf(f, "{\"time\":%" PRIu64 ",\"host\":{\"version\":", time_s);
    json_string(f, h->version);
    fprintf(f, ",\"total_kb\":%" PRIu64 ",\"free_kb\":%" PRIu64 ",\"cpus\":%u,\"cpu_mhz\":%u},"
            "\"domains\":[", h->total_kb, h->free_kb, h->nr_cpus, h->cpu_mhz);
    for (i = 0; i < n; i++) {
        if (i)
            fputc(',', f);
        dom(f, d[i], h);
    }
    fprintf(f, "]}\n");
}
