/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/common/xenbus-be.c - see xenbus-be.h.  The rules follow what
 * Linux's front ends expect of a back end (dom0-userspace §6.3, §8): pass
 * through InitWait, connect only on the front end's Initialised (or
 * Connected, after a back-end restart), answer Closing with Closing and
 * Closed with Closed, and start over when a closed front end comes back
 * as Initialising (a module reload or kexec in the guest).
 */
#include <errno.h>
#include <stdlib.h>
#include "xenbus-be.h"

static struct xbe_step step(enum xbe_action a, enum xb_state next)
{
    return (struct xbe_step){ a, next };
}

struct xbe_step xbe_on_frontend(enum xb_state be, int fe)
{
    switch (fe) {
    case XB_INITIALISING:
        if (be == XB_CLOSED || be == XB_CLOSING)
            return step(XBE_REINIT, XB_INITWAIT);
        if (be == XB_CONNECTED)     /* the guest reset its side under us */
            return step(XBE_DISCONNECT, XB_INITWAIT);
        break;
    case XB_INITIALISED:
    case XB_CONNECTED:
        if (be == XB_INITWAIT)
            return step(XBE_CONNECT, XB_CONNECTED);
        break;
    case XB_CLOSING:
        if (be == XB_CONNECTED)
            return step(XBE_DISCONNECT, XB_CLOSING);
        if (be == XB_INITWAIT || be == XB_INITIALISING)
            return step(XBE_NONE, XB_CLOSING);
        break;
    case XB_UNKNOWN:
    case XB_CLOSED:
        if (be == XB_CONNECTED)
            return step(XBE_DISCONNECT, XB_CLOSED);
        if (be != XB_CLOSED)
            return step(XBE_NONE, XB_CLOSED);
        break;
    default:                        /* InitWait, Reconfiguring*, garbage */
        break;
    }
    return step(XBE_NONE, be);
}

enum xb_state xbe_connect_failed(void)
{
    return XB_CLOSING;
}

bool xbe_finished(enum xb_state be, int fe)
{
    return be == XB_CLOSED && (fe == XB_CLOSED || fe == XB_UNKNOWN);
}

const char *xb_state_name(int s)
{
    static const char *const names[] = {
        "Unknown", "Initialising", "InitWait", "Initialised", "Connected",
        "Closing", "Closed", "Reconfiguring", "Reconfigured",
    };

    return s >= 0 && s <= XB_RECONFIGURED ? names[s] : "invalid";
}

int xb_state_parse(const char *s)
{
    char *end;
    long v;

    if (!s || *s < '0' || *s > '9')
        return -EINVAL;
    v = strtol(s, &end, 10);
    if (*end || v > XB_RECONFIGURED)
        return -EINVAL;
    return (int)v;
}
