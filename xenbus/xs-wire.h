/* SPDX-License-Identifier: MIT */
/*
 * xenbus/xs-wire.h - the xenstore wire protocol for the daemon and the
 * client library: the public ABI header plus the few helpers we add.
 */
#ifndef XENBUS_XS_WIRE_H
#define XENBUS_XS_WIRE_H

#include "public/io/xs_wire.h"

#define XS_RING_IDX(i)  MASK_XENSTORE_IDX(i)

#endif
