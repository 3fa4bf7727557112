/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/netback/netback.h - mica-netback, the user-space network
 * back end: one process per vif of one domain, started by `mica create`
 * or `mica network-attach`.  The guest's side is netif (tx and rx rings
 * per queue, data moved by grant copy both ways); dom0's side is a TAP
 * device vifDOMID.DEVID with a virtio_net_hdr on every frame (checksum
 * and TCP segmentation offloads pass through), one TAP queue per netif
 * queue, joined to a bridge by /etc/mica/scripts/vif-bridge.
 */
#ifndef NETBACK_H
#define NETBACK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <net/if.h>

#include <libmica.h>
#include <micaxs.h>

#include "be-xs.h"
#include "net-offload.h"
#include "netif-parse.h"
#include "ring.h"
#include "xenbus-be.h"

#define NB_MAX_QUEUES   4
#define NB_VNET_LEN     ((uint32_t)sizeof(struct virtio_net_hdr))
/* The largest frame either way: netfront's 18 slots of a page. */
#define NB_FRAME_MAX    (XEN_NETIF_NR_SLOTS_MIN * NET_PAGE)
/*
 * Frames read from the TAP and held for a guest that has posted no rx
 * buffers yet: bounded, so a guest that stops reading costs dom0 at most
 * this many frames a queue; beyond it frames are dropped and counted.
 */
#define NB_RXQ_FRAMES   64
#define NB_SCRIPT       "/etc/mica/scripts/vif-bridge"

struct netback;

/* One held frame: the vnet header, then the Ethernet frame. */
struct nb_frame {
    uint32_t len;                   /* of the frame, without the header */
    uint8_t *buf;                   /* NB_VNET_LEN + NB_FRAME_MAX bytes */
};

/* One netif queue: its two rings, its event channel(s), its TAP queue. */
struct nb_queue {
    struct netback *nb;
    unsigned int idx;
    void *tx_map, *rx_map;          /* one ring page each, gntdev-mapped */
    struct ring_back tx, rx;
    int port_tx, port_rx;           /* the same port unless split; -1 unbound */
    int tap;                        /* this queue's TAP fd, -1 when closed */
    bool dead;                      /* the front end broke the ring protocol */
    bool notify_tx, notify_rx;      /* responses published, the peer asked to hear */
    uint8_t *txbuf;                 /* one frame being sent to the TAP */
    struct nb_frame rxq[NB_RXQ_FRAMES];
    unsigned int rxq_head, rxq_n;
    uint8_t *pool;                  /* the frames' memory, touched only when used */
    size_t pool_bytes;
};

/* The guest's view, as xentop's NETTX/NETRX: tx = the guest sent. */
struct nb_stats {
    uint64_t tx_bytes, tx_packets, tx_errors, tx_drops;
    uint64_t rx_bytes, rx_packets, rx_errors, rx_drops;
};

struct netback {
    struct be_xs x;                 /* ids, directories, xenstore, state */
    char ifname[IFNAMSIZ];
    char bridge[64];
    struct mica_evtchn *ev;
    struct mica_gnttab *gt;
    unsigned int nqueues;
    struct nb_queue q[NB_MAX_QUEUES];
    int tapq[NB_MAX_QUEUES];        /* the TAP's queues, opened at start */
    bool fe_gso_v4, fe_gso_v6;      /* what the front end takes on rx */
    bool fe_sg, fe_rx_notify;
    bool online;                    /* vif-bridge ran "online" */
    struct nettx_limits lim;
    struct nb_stats st;
    uint64_t drop_log_sec;          /* rate limit of the drop log lines */
    unsigned int drop_log_n;
};

/* One line to the log (stderr, which the toolstack points at a file). */
#define nb_log(nb, ...) bex_log(&(nb)->x, __VA_ARGS__)
/* A dropped packet: counted always, logged at most a few times a second. */
void nb_log_drop(struct netback *nb, const char *dir, const char *why);

/* nb-xs.c: netback's own keys (the rest: common/be-xs.h). */
int nb_publish(struct netback *nb);
void nb_publish_stats(struct netback *nb);

/* tap.c: the TAP device and its hotplug script. */
int nb_tap_open(struct netback *nb);
void nb_tap_close(struct netback *nb);
int nb_tap_offloads(struct netback *nb);
int nb_hotplug(struct netback *nb, const char *action);

/* queue.c: connect the rings the front end offers, disconnect. */
int nb_connect(struct netback *nb);
void nb_disconnect(struct netback *nb);
void nb_port_fired(struct netback *nb, int port);
void nb_notify(struct netback *nb);

/* tx.c: guest -> TAP. */
void nb_tx_kick(struct nb_queue *q);

/* rx.c: TAP -> guest. */
void nb_rx_kick(struct nb_queue *q);
void nb_rx_read_tap(struct nb_queue *q);
bool nb_rx_wants_tap(const struct nb_queue *q);

#endif
