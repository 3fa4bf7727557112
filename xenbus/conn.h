/* SPDX-License-Identifier: MIT */
/*
 * xenbus/conn.h - a client connection, independent of its transport:
 * message framing in, bounded queue out, its watches and transactions.
 */
#ifndef XENBUS_CONN_H
#define XENBUS_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "list.h"
#include "perms.h"
#include "xs-wire.h"

struct xs_conn;

/*
 * A transport moves bytes; -EAGAIN means "nothing now", any other negative
 * value or a 0-byte read on a stream means the peer is gone.
 */
struct xs_conn_ops {
    const char *name;
    bool is_ring;               /* polled every loop pass, never hangs up */
    ssize_t (*read)(struct xs_conn *c, void *buf, size_t len);
    ssize_t (*write)(struct xs_conn *c, const void *buf, size_t len);
    void (*kick)(struct xs_conn *c);        /* after moving bytes */
    void (*release)(struct xs_conn *c);
};

struct xs_out {
    struct xs_list link;
    uint32_t len, off;
    uint32_t reply;             /* keeps data[] 4-byte aligned */
    char data[];
};

#define XS_CONN_RBUF            4096

/* Replies queued before we stop reading requests from a privileged peer. */
#define XS_PRIV_OUTSTANDING     1024
/* Watch-event bytes queued before further events are dropped. */
#define XS_EVENT_BYTES_PRIV     (16u << 20)
#define XS_EVENT_BYTES_UNPRIV   (256u << 10)

struct xs_conn {
    struct xs_list link;
    const struct xs_conn_ops *ops;
    void *transport;
    int fd;                     /* what to poll, or -1 */
    unsigned int id;
    struct xs_who who;

    struct xsd_sockmsg hdr;     /* message being received */
    uint32_t in_used;           /* bytes of header + payload so far */
    char in[XENSTORE_PAYLOAD_MAX + 1];

    /*
     * Read-ahead: one read takes a request's header and payload (and any
     * that follow), and a short read says the transport is empty, so a
     * request costs one read instead of three.
     */
    uint32_t rpos, rlen;
    bool rdry;                  /* the last fill was short */
    char rbuf[XS_CONN_RBUF];

    struct xs_list out;
    size_t event_bytes;
    unsigned int out_replies;
    unsigned long dropped_events;

    struct xs_list watches;
    unsigned int nr_watches;
    struct xs_list txs;
    unsigned int nr_tx;
    uint32_t next_tx_id;

    bool dead;
};

struct xs_conn *xs_conn_new(const struct xs_conn_ops *ops, void *transport,
                            int fd, unsigned int domid, bool priv);
void xs_conn_free(struct xs_conn *c);
void xs_conn_free_all(void);
struct xs_list *xs_conn_list(void);

int xs_conn_input(struct xs_conn *c);
int xs_conn_output(struct xs_conn *c);
bool xs_conn_can_read(const struct xs_conn *c);
bool xs_conn_want_write(const struct xs_conn *c);
bool xs_conn_has_input(const struct xs_conn *c);

int xs_conn_send(struct xs_conn *c, uint32_t type, uint32_t req_id,
                 uint32_t tx_id, const void *data, size_t len);
int xs_conn_send_event(struct xs_conn *c, const char *path,
                       const char *token);
struct xs_out *xs_conn_pop(struct xs_conn *c);

#endif
