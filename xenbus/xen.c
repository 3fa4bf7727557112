/* SPDX-License-Identifier: MIT */
/*
 * xenbus/xen.c - micastored in dom0 on the hypervisor: selects the Xen ring
 * backend, connects dom0's own kernel (XS_LOCAL) and turns VIRQ_DOM_EXC
 * into the release of dead domains and @releaseDomain.
 *
 * dom0 is never sent XS_INTRODUCE: its kernel allocates the page and an
 * unbound port itself and exports them as /proc/xen/xsd_kva and xsd_port.
 * We bind to (0, port) and notify once; requests the kernel queued before
 * are safe in the ring, and the new port starts pending.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libmica.h>
#include "domain.h"
#include "log.h"
#include "ring.h"
#include "xen.h"

#define XSD_PORT "/proc/xen/xsd_port"
#define INFO_CHUNK 64

static struct mica_evtchn *exc;

bool xs_xen_present(void)
{
    return access("/dev/xen/evtchn", F_OK) == 0;
}

static int read_xsd_port(unsigned int *port)
{
    FILE *f = fopen(XSD_PORT, "r");
    int n;

    if (!f)
        return -errno;
    n = fscanf(f, "%u", port);
    fclose(f);
    return n == 1 && *port ? 0 : -EINVAL;
}

static int connect_dom0(void)
{
    unsigned int port;
    int rc = read_xsd_port(&port);

    if (rc == -ENOENT) {
        log_info("no %s: not dom0, or its kernel has a store already", XSD_PORT);
        return 0;
    }
    if (rc)
        return rc;
    rc = xs_domain_introduce(0, 0, port);
    if (!rc)
        log_info("dom0's kernel connected on port %u", port);
    return rc;
}

/* Every domain the hypervisor has, in chunks of INFO_CHUNK ids. */
static int scan_domains(struct xs_dominfo **out, size_t *nout)
{
    struct xen_domctl_getdomaininfo buf[INFO_CHUNK];
    struct xs_dominfo *v = NULL, *nv;
    size_t n = 0;
    uint32_t first = 0;
    int got, i;

    for (;;) {
        got = mica_domain_getinfolist(xs_ring_xen_handle(), first, INFO_CHUNK,
                                      buf);
        if (got < 0) {
            free(v);
            return got;
        }
        nv = realloc(v, (n + got + 1) * sizeof(*v));
        if (!nv) {
            free(v);
            return -ENOMEM;
        }
        v = nv;
        for (i = 0; i < got; i++) {
            v[n].domid = buf[i].domain;
            v[n].dying = buf[i].flags & XEN_DOMINF_dying;
            v[n].shutdown = buf[i].flags & XEN_DOMINF_shutdown;
            n++;
        }
        if (got < INFO_CHUNK)
            break;
        first = buf[got - 1].domain + 1;
    }
    *out = v;
    *nout = n;
    return 0;
}

static void on_dom_exc(void)
{
    struct xs_dominfo *info;
    size_t n;
    int port, rc;

    while ((port = mica_evtchn_pending(exc)) >= 0)
        mica_evtchn_unmask(exc, port);
    rc = scan_domains(&info, &n);
    if (rc) {
        log_err("VIRQ_DOM_EXC: cannot list domains: %s",
                mica_errmsg(xs_ring_xen_handle()));
        return;
    }
    xs_domain_check(info, n);
    free(info);
}

int xs_xen_start(struct xs_loop_cfg *cfg)
{
    int rc;

    rc = xs_ring_xen_init();
    if (rc) {
        log_err("cannot open the hypervisor interface: %s", strerror(-rc));
        return rc;
    }
    exc = mica_evtchn_open();
    if (!exc) {
        rc = -errno;
        goto fail;
    }
    rc = mica_evtchn_bind_virq(exc, VIRQ_DOM_EXC);
    if (rc < 0) {
        log_err("cannot bind VIRQ_DOM_EXC: %s", strerror(-rc));
        goto fail;
    }
    cfg->event_fd = mica_evtchn_fd(exc);
    cfg->on_event = on_dom_exc;
    rc = connect_dom0();
    if (rc) {
        log_err("cannot connect dom0's kernel: %s", strerror(-rc));
        goto fail;
    }
    return 0;
fail:
    xs_xen_stop();
    cfg->event_fd = -1;
    cfg->on_event = NULL;
    return rc ? rc : -EIO;
}

void xs_xen_stop(void)
{
    if (exc)
        mica_evtchn_close(exc);
    exc = NULL;
    xs_ring_xen_fini();
}
