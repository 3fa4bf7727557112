/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/common/xenbus-be.h - a back end's xenbus state machine
 * (Initialising -> InitWait -> Connected -> Closing -> Closed), as a pure
 * function of its own state and the front end's: the daemon reads the
 * front end's state on each watch event, asks what to do, does it (map or
 * unmap the rings) and writes the state it is told.  Shared by blkback
 * and, later, netback.
 */
#ifndef PV_XENBUS_BE_H
#define PV_XENBUS_BE_H

#include <stdbool.h>

/* XenbusState*, io/xenbus.h's numbers. */
enum xb_state {
    XB_UNKNOWN = 0, XB_INITIALISING = 1, XB_INITWAIT = 2, XB_INITIALISED = 3,
    XB_CONNECTED = 4, XB_CLOSING = 5, XB_CLOSED = 6,
    XB_RECONFIGURING = 7, XB_RECONFIGURED = 8,
};

enum xbe_action {
    XBE_NONE,           /* nothing to do */
    XBE_CONNECT,        /* map the rings, bind the events; then Connected */
    XBE_DISCONNECT,     /* unmap and unbind; then the new state */
    XBE_REINIT,         /* the front end starts over: features, InitWait */
};

struct xbe_step {
    enum xbe_action action;
    enum xb_state next;             /* the state to write afterwards */
};

/*
 * What to do when the front end is in 'fe' (an unreadable or missing
 * state is XB_UNKNOWN) and we are in 'be'.  'next' == 'be' means write
 * nothing.
 */
struct xbe_step xbe_on_frontend(enum xb_state be, int fe);

/* The state after a failed connect: Closing, as xenbus_dev_fatal does. */
enum xb_state xbe_connect_failed(void);

/* True once the device is over for this back end (it may exit). */
bool xbe_finished(enum xb_state be, int fe);

/* "Connected" etc., for logs; "invalid" outside 0..8. */
const char *xb_state_name(int s);

/* A state read from xenstore ("4\0"): 0..8, or -EINVAL. */
int xb_state_parse(const char *s);

#endif
