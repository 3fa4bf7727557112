/* SPDX-License-Identifier: MIT */
/*
 * include/public/io/xs_wire.h - the xenstore wire protocol: message header,
 * message types, error strings and the shared ring page used by guests.
 *
 * Every message is a struct xsd_sockmsg followed by len bytes of payload,
 * usually NUL-separated strings.  The same framing is used on the UNIX
 * socket of the daemon and on the ring page.
 */
#ifndef MICA_PUBLIC_IO_XS_WIRE_H
#define MICA_PUBLIC_IO_XS_WIRE_H

#include <stdint.h>

enum xsd_sockmsg_type {
    XS_CONTROL,                 /* 0; formerly XS_DEBUG */
    XS_DIRECTORY,
    XS_READ,
    XS_GET_PERMS,
    XS_WATCH,
    XS_UNWATCH,
    XS_TRANSACTION_START,
    XS_TRANSACTION_END,
    XS_INTRODUCE,
    XS_RELEASE,
    XS_GET_DOMAIN_PATH,         /* 10 */
    XS_WRITE,
    XS_MKDIR,
    XS_RM,
    XS_SET_PERMS,
    XS_WATCH_EVENT,
    XS_ERROR,
    XS_IS_DOMAIN_INTRODUCED,
    XS_RESUME,
    XS_SET_TARGET,
    /* 20 was XS_RESTRICT, now retired */
    XS_RESET_WATCHES = XS_SET_TARGET + 2,
    XS_DIRECTORY_PART,
    XS_TYPE_COUNT,              /* number of message types */
    XS_INVALID = 0xffff         /* never a valid type */
};
#define XS_DEBUG XS_CONTROL

/* Payload of the old-style XS_WRITE flag argument. */
#define XS_WRITE_NONE           "NONE"
#define XS_WRITE_CREATE         "CREATE"
#define XS_WRITE_CREATE_EXCL    "CREATE|EXCL"

/*
 * Errors travel as the errno name in an XS_ERROR reply ("ENOENT").  New
 * names go at the end: clients look them up by position too.
 */
struct xsd_errors {
    int errnum;
    const char *errstring;
};
#ifdef EINVAL
#define XSD_ERROR(x) { x, #x }
static const struct xsd_errors xsd_errors[] __attribute__((unused)) = {
    XSD_ERROR(EINVAL),
    XSD_ERROR(EACCES),
    XSD_ERROR(EEXIST),
    XSD_ERROR(EISDIR),
    XSD_ERROR(ENOENT),
    XSD_ERROR(ENOMEM),
    XSD_ERROR(ENOSPC),
    XSD_ERROR(EIO),
    XSD_ERROR(ENOTEMPTY),
    XSD_ERROR(ENOSYS),
    XSD_ERROR(EROFS),
    XSD_ERROR(EBUSY),
    XSD_ERROR(EAGAIN),
    XSD_ERROR(EISCONN),
    XSD_ERROR(E2BIG),
    XSD_ERROR(EPERM),
};
#endif

struct xsd_sockmsg {
    uint32_t type;              /* enum xsd_sockmsg_type */
    uint32_t req_id;            /* echoed in the reply */
    uint32_t tx_id;             /* transaction, 0 for none */
    uint32_t len;               /* payload bytes that follow */
};
_Static_assert(sizeof(struct xsd_sockmsg) == 16, "xsd_sockmsg");

/* Payload of XS_WATCH_EVENT: path, then token. */
enum xs_watch_type {
    XS_WATCH_PATH = 0,
    XS_WATCH_TOKEN
};

/* The ring page: two byte rings with free-running 32-bit indices. */
#define XENSTORE_RING_SIZE      1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx)  ((idx) & (XENSTORE_RING_SIZE - 1))

struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];   /* guest -> daemon */
    char rsp[XENSTORE_RING_SIZE];   /* daemon -> guest, incl. watch events */
    XENSTORE_RING_IDX req_cons, req_prod;
    XENSTORE_RING_IDX rsp_cons, rsp_prod;
    uint32_t server_features;       /* XENSTORE_SERVER_FEATURE_* */
    uint32_t connection;            /* XENSTORE_CONNECTED / _RECONNECT */
    uint32_t error;                 /* XENSTORE_ERROR_* */
};
_Static_assert(sizeof(struct xenstore_domain_interface) == 2076,
               "xenstore_domain_interface");
_Static_assert(__builtin_offsetof(struct xenstore_domain_interface,
                                  req_cons) == 0x800, "req_cons");

#define XENSTORE_PAYLOAD_MAX    4096    /* largest payload */
#define XENSTORE_ABS_PATH_MAX   3072
#define XENSTORE_REL_PATH_MAX   2048

#define XENSTORE_SERVER_FEATURE_RECONNECTION    1
#define XENSTORE_SERVER_FEATURE_ERROR           2

#define XENSTORE_CONNECTED      0
#define XENSTORE_RECONNECT      1

#define XENSTORE_ERROR_NONE     0
#define XENSTORE_ERROR_COMM     1
#define XENSTORE_ERROR_RINGIDX  2
#define XENSTORE_ERROR_PROTO    3

#endif /* MICA_PUBLIC_IO_XS_WIRE_H */
