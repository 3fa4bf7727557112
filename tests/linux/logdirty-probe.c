/* SPDX-License-Identifier: MIT */
/*
 * tests/linux/logdirty-probe.c - log-dirty rounds on a running domain
 * from dom0, through libmica's XEN_DOMCTL_shadow_op wrappers, as a
 * pre-copy saver issues them (tests/linux/dom0-tests/85-domu-logdirty.sh):
 *
 *   logdirty-probe on DOMID        ENABLE_LOGDIRTY (a second one must fail)
 *   logdirty-probe rounds DOMID N MS   N CLEANs MS ms apart: each must cover
 *                                  the domain's pages, report dirty pfns
 *                                  below them and no more bits than its
 *                                  dirty_count; the domain must write
 *                                  something in some round
 *   logdirty-probe off DOMID       OFF, after which PEEK must fail
 *
 * Prints one line per round and "logdirty-probe: OK"; exits 0, or 1 with
 * the reason on the first failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "libmica.h"

static int die(struct mica *m, const char *what)
{
    fprintf(stderr, "logdirty-probe: %s: %s\n", what, m ? mica_errmsg(m) : "");
    return 1;
}

static unsigned int count_bits(const uint8_t *b, uint64_t pages)
{
    unsigned int n = 0;

    for (uint64_t p = 0; p < pages; p++)
        n += (b[p / 8] >> (p % 8)) & 1;
    return n;
}

static int rounds(struct mica *m, uint32_t dom, unsigned int n, unsigned int ms)
{
    struct xen_domctl_getdomaininfo info;
    struct xen_domctl_shadow_op_stats st;
    unsigned int seen = 0;
    uint64_t pages;
    uint8_t *bits;

    if (mica_domain_getinfo(m, dom, &info))
        return die(m, "getdomaininfo");
    pages = info.tot_pages;
    if (!(bits = calloc(1, pages / 8 + 1)))
        return die(NULL, "out of memory");
    for (unsigned int r = 1; r <= n; r++) {
        uint64_t got = pages;
        unsigned int dirty;

        usleep(ms * 1000);
        if (mica_shadow_op_clean(m, dom, bits, &got, false, &st))
            return die(m, "CLEAN");
        if (got != pages) {
            fprintf(stderr, "logdirty-probe: CLEAN covered %lu pages of %lu\n",
                    (unsigned long)got, (unsigned long)pages);
            return 1;
        }
        dirty = count_bits(bits, pages);
        printf("round %u: %u dirty pages, dirty_count %u, fault_count %u\n", r, dirty,
               st.dirty_count, st.fault_count);
        if (dirty > st.dirty_count) {
            fprintf(stderr, "logdirty-probe: %u bits but dirty_count %u\n", dirty,
                    st.dirty_count);
            return 1;
        }
        seen += dirty;
    }
    free(bits);
    if (!seen) {
        fprintf(stderr, "logdirty-probe: no page dirty in %u rounds\n", n);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct mica *m;
    uint32_t dom;
    uint64_t pages = 0;
    int rc = 0;

    if (argc < 3 || (!strcmp(argv[1], "rounds") && argc < 5)) {
        fprintf(stderr, "usage: logdirty-probe on|off DOMID | rounds DOMID N MS\n");
        return 2;
    }
    dom = (uint32_t)strtoul(argv[2], NULL, 0);
    if (!(m = mica_open()))
        return die(NULL, "cannot open privcmd");
    if (!strcmp(argv[1], "on")) {
        if (mica_shadow_op_enable_logdirty(m, dom))
            rc = die(m, "ENABLE_LOGDIRTY");
        else if (!mica_shadow_op_enable_logdirty(m, dom))
            rc = die(m, "a second ENABLE_LOGDIRTY was accepted");
    } else if (!strcmp(argv[1], "off")) {
        if (mica_shadow_op_off(m, dom))
            rc = die(m, "OFF");
        else if (!mica_shadow_op_peek(m, dom, NULL, &pages, NULL))
            rc = die(m, "PEEK after OFF was accepted");
    } else if (!strcmp(argv[1], "rounds")) {
        rc = rounds(m, dom, (unsigned int)atoi(argv[3]), (unsigned int)atoi(argv[4]));
    } else {
        fprintf(stderr, "logdirty-probe: unknown command %s\n", argv[1]);
        rc = 2;
    }
    mica_close(m);
    if (!rc)
        printf("logdirty-probe: OK\n");
    return rc;
}
