/* SPDX-License-Identifier: MIT */
/*
 * xenbus/xs-wire.h - the xenstore wire protocol as libxenstore and Linux
 * speak it: message header, type numbers, error names, the shared ring page.
 *
 * Kept local until include/public/io/xs_wire.h exists; the numbers and the
 * ring layout are ABI and must never change.
 */
#ifndef XENBUS_XS_WIRE_H
#define XENBUS_XS_WIRE_H

#include <stdint.h>

enum xs_msg_type {
    XS_CONTROL = 0,
    XS_DIRECTORY = 1,
    XS_READ = 2,
    XS_GET_PERMS = 3,
    XS_WATCH = 4,
    XS_UNWATCH = 5,
    XS_TRANSACTION_START = 6,
    XS_TRANSACTION_END = 7,
    XS_INTRODUCE = 8,
    XS_RELEASE = 9,
    XS_GET_DOMAIN_PATH = 10,
    XS_WRITE = 11,
    XS_MKDIR = 12,
    XS_RM = 13,
    XS_SET_PERMS = 14,
    XS_WATCH_EVENT = 15,
    XS_ERROR = 16,
    XS_IS_DOMAIN_INTRODUCED = 17,
    XS_RESUME = 18,
    XS_SET_TARGET = 19,
    /* 20 was XS_RESTRICT, withdrawn. */
    XS_RESET_WATCHES = 21,
    XS_DIRECTORY_PART = 22,
    XS_TYPE_COUNT = 23,
    XS_INVALID = 0xffff
};

/* Header of every message on a socket or ring, in host byte order. */
struct xsd_sockmsg {
    uint32_t type;
    uint32_t req_id;    /* echoed in the reply */
    uint32_t tx_id;     /* 0 = outside any transaction */
    uint32_t len;       /* payload bytes after the header */
};
_Static_assert(sizeof(struct xsd_sockmsg) == 16, "xsd_sockmsg is 16 bytes");

#define XENSTORE_PAYLOAD_MAX    4096
#define XENSTORE_ABS_PATH_MAX   3072
#define XENSTORE_REL_PATH_MAX   2048

/* The page shared with a domain: two byte rings with free-running indices. */
#define XENSTORE_RING_SIZE      1024
#define XS_RING_IDX(i)          ((i) & (XENSTORE_RING_SIZE - 1))

struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];   /* guest -> daemon */
    char rsp[XENSTORE_RING_SIZE];   /* daemon -> guest */
    uint32_t req_cons, req_prod;
    uint32_t rsp_cons, rsp_prod;
    uint32_t server_features;
    uint32_t connection;
    uint32_t error;
    uint32_t evtchn_port;
};
_Static_assert(sizeof(struct xenstore_domain_interface) == 2080,
               "ring page layout");

#define XENSTORE_SERVER_FEATURE_RECONNECTION 1
#define XENSTORE_SERVER_FEATURE_ERROR        2

#define XENSTORE_CONNECTED      0
#define XENSTORE_RECONNECT      1

#define XENSTORE_ERROR_NONE     0
#define XENSTORE_ERROR_COMM     1
#define XENSTORE_ERROR_RINGIDX  2
#define XENSTORE_ERROR_PROTO    3

#endif
