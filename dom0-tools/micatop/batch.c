/* SPDX-License-Identifier: MIT */
/*
 * batch.c - `micatop -b`: what `xentop -b` prints, the table only, no
 * summary lines (xl-reference §5.2), sorted by name, once per delay; or
 * with --json one JSON line per refresh.  Output is flushed each round so
 * that a pipe reader sees every table as it is made.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "micatop.h"
#include "prof.h"

static void print_dom(const struct mt_dom *d, const struct mt_host *h, const struct mt_view *v)
{
    char line[512];
    unsigned int i;

    if (v->repeat_header) {
        mt_header(line, sizeof(line));
        puts(line);
    }
    mt_row(d, h, v->full_name, line, sizeof(line));
    puts(line);
    if (v->vcpus) {
        mt_vcpu_line(d, line, sizeof(line));
        puts(line);
    }
    for (i = 0; v->nets && i < d->nr_vifs; i++) {
        mt_vif_line(&d->vifs[i], i, line, sizeof(line));
        puts(line);
    }
    for (i = 0; v->vbds && i < d->nr_vbds; i++) {
        mt_vbd_line(&d->vbds[i], line, sizeof(line));
        puts(line);
    }
}

/* The rows in the view's order; the snapshot itself stays in domid order. */
static int print_table(const struct mt_snap *s, const struct mt_opts *o)
{
    struct mt_dom **rows = malloc((s->n ? s->n : 1) * sizeof(*rows));
    char line[512];
    size_t i;

    if (!rows)
        return -ENOMEM;
    memcpy(rows, s->doms, s->n * sizeof(*rows));
    mt_sort(rows, s->n, o->view.sort);
    if (o->json) {
        mt_json(stdout, (uint64_t)time(NULL), &s->host, rows, s->n);
    } else {
        if (!o->view.repeat_header) {
            mt_header(line, sizeof(line));
            puts(line);
        }
        for (i = 0; i < s->n; i++)
            print_dom(rows[i], &s->host, &o->view);
    }
    free(rows);
    return 0;
}

int mt_batch(struct mt_coll *c, const struct mt_opts *o)
{
    struct mt_snap *s;
    long round;
    uint64_t t;
    int rc;

    for (round = 0; o->iterations < 0 || round < o->iterations; round++) {
        if (round && !mt_sleep(o->delay))
            break;
        t = mt_prof_start();
        rc = mt_collect(c, &s);
        mt_prof_end(MT_PH_COLLECT, t);
        t = mt_prof_start();
        if (rc == 0)
            rc = print_table(s, o);
        if (rc < 0) {
            fprintf(stderr, "micatop: reading domains: %s\n", strerror(-rc));
            return 1;
        }
        if (fflush(stdout) == EOF && errno == EPIPE)
            return 0;
        mt_prof_end(MT_PH_OUTPUT, t);
    }
    return 0;
}
