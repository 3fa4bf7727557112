/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/testguest.c - consoled-testguest: a domain that
 * never runs but has a real console page, for testing mica-consoled in
 * dom0 before a toolstack can boot guests.  dom0 plays the guest's part
 * through its own foreign mapping of the page.
 *
 *   consoled-testguest create NAME TEXT [hostile]   prints the domid
 *   consoled-testguest peek DOMID        what the daemon typed into in[]
 *   consoled-testguest destroy DOMID
 *
 * create makes a domain with two frames (console, store), writes TEXT
 * into out[] as the guest would have printed it before anybody served
 * the ring (with "hostile", indices claiming more than the ring holds),
 * allocates the console and store ports for dom0, writes the console node
 * as the toolstack does and introduces the domain to xenstore, which
 * raises @introduceDomain.  The daemon drains the ring when it binds the
 * port (a bind leaves the port pending).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <public/io/console.h>
#include "libmica.h"
#include "micaxs.h"

static int xs_printf(struct mxs_handle *xs, unsigned int domid,
                     const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int xs_printf(struct mxs_handle *xs, unsigned int domid,
                     const char *key, const char *fmt, ...)
{
    char path[96], val[128];
    va_list ap;

    snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, key);
    va_start(ap, fmt);
    vsnprintf(val, sizeof(val), fmt, ap);
    va_end(ap);
    return mxs_write(xs, 0, path, val, strlen(val));
}

static void guest_print(struct xencons_interface *c, const char *s,
                        bool hostile)
{
    size_t n = strlen(s);

    for (size_t i = 0; i < n; i++)
        c->out[MASK_XENCONS_IDX(c->out_prod + i, c->out)] = s[i];
    c->out_prod += (uint32_t)n;
    if (hostile)
        c->out_prod = c->out_cons + 5000;
}

static int create(struct mica *m, struct mxs_handle *xs, const char *name,
                  const char *text, bool hostile)
{
    struct mica_create_args ca = { .max_vcpus = 1 };
    uint64_t pfns[2] = { 0, 1 }, mfns[2];
    struct xencons_interface *c;
    uint32_t domid, cport, sport;
    int rc;

    if (mica_domain_create(m, &ca, &domid))
        goto fail;
    if (mica_domain_max_vcpus(m, domid, 1) ||
        mica_domain_setmaxmem(m, domid, 2 * 4) ||
        mica_populate_physmap(m, domid, pfns, mfns, 2) ||
        mica_evtchn_alloc_unbound(m, domid, 0, &cport) ||
        mica_evtchn_alloc_unbound(m, domid, 0, &sport))
        goto fail_destroy;
    c = mica_map_foreign(m, domid, PROT_READ | PROT_WRITE, mfns, NULL, 1);
    if (!c)
        goto fail_destroy;
    memset(c, 0, sizeof(*c));
    guest_print(c, text, hostile);
    mica_unmap(c, 1);
    rc = xs_printf(xs, domid, "name", "%s", name);
    if (!rc)
        rc = xs_printf(xs, domid, "console/type", "xenconsoled");
    if (!rc)
        rc = xs_printf(xs, domid, "console/port", "%u", cport);
    if (!rc)
        rc = xs_printf(xs, domid, "console/ring-ref", "%llu",
                       (unsigned long long)mfns[0]);
    if (rc) {
        fprintf(stderr, "consoled-testguest: xenstore: %s\n", strerror(-rc));
        mica_domain_destroy(m, domid);
        return 1;
    }
    /* Only to raise @introduceDomain; the daemon rescans anyway. */
    rc = mxs_introduce(xs, domid, mfns[1], sport);
    if (rc)
        fprintf(stderr, "consoled-testguest: introduce: %s (continuing)\n",
                strerror(-rc));
    printf("%u\n", domid);
    return 0;

fail_destroy:
    fprintf(stderr, "consoled-testguest: %s\n", mica_errmsg(m));
    mica_domain_destroy(m, domid);
    return 1;
fail:
    fprintf(stderr, "consoled-testguest: %s\n", mica_errmsg(m));
    return 1;
}

static int peek(struct mica *m, struct mxs_handle *xs, unsigned int domid)
{
    char path[96], *ref = NULL;
    struct xencons_interface *c;
    uint64_t mfn;
    uint32_t cons, prod;

    snprintf(path, sizeof(path), "/local/domain/%u/console/ring-ref", domid);
    if (mxs_read(xs, 0, path, &ref, NULL)) {
        fprintf(stderr, "consoled-testguest: no %s\n", path);
        return 1;
    }
    mfn = strtoull(ref, NULL, 10);
    free(ref);
    c = mica_map_foreign(m, domid, PROT_READ, &mfn, NULL, 1);
    if (!c) {
        fprintf(stderr, "consoled-testguest: %s\n", mica_errmsg(m));
        return 1;
    }
    cons = c->in_cons;
    prod = c->in_prod;
    printf("in %u out_cons %u out_prod %u: ", prod - cons, c->out_cons,
           c->out_prod);
    for (uint32_t i = cons; i != prod && i - cons < sizeof(c->in); i++)
        putchar(c->in[MASK_XENCONS_IDX(i, c->in)]);
    putchar('\n');
    mica_unmap(c, 1);
    return 0;
}

static int destroy(struct mica *m, struct mxs_handle *xs, unsigned int domid)
{
    char path[64];
    int rc = mica_domain_destroy(m, domid);

    if (rc)
        fprintf(stderr, "consoled-testguest: %s\n", mica_errmsg(m));
    mxs_release(xs, domid);
    snprintf(path, sizeof(path), "/local/domain/%u", domid);
    mxs_rm(xs, 0, path);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    struct mica *m;
    struct mxs_handle *xs;
    int rc = 2;

    if (argc < 3) {
        fprintf(stderr, "usage: consoled-testguest create NAME TEXT [hostile]"
                " | peek DOMID | destroy DOMID\n");
        return 2;
    }
    m = mica_open();
    xs = mxs_open(NULL);
    if (!m || !xs) {
        fprintf(stderr, "consoled-testguest: no %s\n",
                m ? "xenstore" : "/dev/xen/privcmd");
        return 1;
    }
    if (!strcmp(argv[1], "create") && argc >= 4)
        rc = create(m, xs, argv[2], argv[3],
                    argc > 4 && !strcmp(argv[4], "hostile"));
    else if (!strcmp(argv[1], "peek"))
        rc = peek(m, xs, (unsigned int)strtoul(argv[2], NULL, 10));
    else if (!strcmp(argv[1], "destroy"))
        rc = destroy(m, xs, (unsigned int)strtoul(argv[2], NULL, 10));
    else
        fprintf(stderr, "consoled-testguest: unknown command '%s'\n", argv[1]);
    mxs_close(xs);
    mica_close(m);
    return rc;
}
