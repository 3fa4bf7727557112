/* SPDX-License-Identifier: MIT */
/*
 * xenbus/dom0/xs-ring-poke.c DOMID MFN corrupt|error - a dom0 test helper
 * that plays a hostile guest: it foreign-maps DOMID's xenstore page (the
 * frame micastored serves) and either moves the request producer 5000
 * bytes past the consumer, which no correct guest can do, or prints the
 * page's error field (2 = XENSTORE_ERROR_RINGIDX, set by the daemon when
 * it drops the ring).  Static, with libmica.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <libmica.h>
#include <public/io/xs_wire.h>

int main(int argc, char **argv)
{
    struct xenstore_domain_interface *intf;
    unsigned long domid;
    uint64_t mfn;
    struct mica *m;

    if (argc != 4 || (strcmp(argv[3], "corrupt") && strcmp(argv[3], "error"))) {
        fprintf(stderr, "usage: xs-ring-poke DOMID MFN corrupt|error\n");
        return 2;
    }
    domid = strtoul(argv[1], NULL, 0);
    mfn = strtoull(argv[2], NULL, 0);
    m = mica_open();
    if (!m) {
        fprintf(stderr, "xs-ring-poke: cannot open privcmd: %s\n", strerror(errno));
        return 1;
    }
    intf = mica_map_foreign(m, domid, PROT_READ | PROT_WRITE, &mfn, NULL, 1);
    if (!intf) {
        fprintf(stderr, "xs-ring-poke: %s\n", mica_errmsg(m));
        mica_close(m);
        return 1;
    }
    if (!strcmp(argv[3], "corrupt"))
        __atomic_store_n(&intf->req_prod, intf->req_cons + 5000,
                         __ATOMIC_RELEASE);
    else
        printf("%u\n", intf->error);
    mica_unmap(intf, 1);
    mica_close(m);
    return 0;
}
