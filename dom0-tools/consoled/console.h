/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/console.h - one domU's console: its mapped ring,
 * its event channel, its pty, its log, its history and its clients.
 *
 * Every byte the guest writes goes once into the backlog and the log;
 * the pty and each socket client are readers of the backlog at their own
 * offset, written to without blocking when they can take more.  So a
 * reader that stops costs nothing, and the ring always drains.
 */
#ifndef CONSOLED_CONSOLE_H
#define CONSOLED_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>
#include "backlog.h"
#include "ratelimit.h"

struct consoled;
struct xencons_interface;
struct mica_evtchn;

enum con_state {
    CON_WAITING,    /* no usable console/ring-ref + port yet */
    CON_LIVE,       /* mapped, bound, served */
    CON_BROKEN,     /* set-up failed or hostile ring: dropped until the
                     * console node changes */
    CON_IGNORED,    /* a xenstore entry for a domain that does not exist */
};

struct cons_client {
    int cc_fd;
    uint64_t cc_off;                /* next backlog byte to send */
    uint64_t cc_lost;               /* bytes it was too slow to get */
    bool cc_dead;                   /* gone: freed by cons_reap_clients() */
    struct cons_client *cc_next;
};

struct console {
    unsigned int con_domid;
    enum con_state con_state;
    bool con_seen;                  /* mark for the domain-list sweep */
    char con_name[64];
    /* The node the last set-up used: "ring-ref|port|type" as read (a
     * BROKEN console is tried again only when it changes). */
    char con_node[80];
    uint64_t con_ring_ref;
    long con_remote_port;

    struct xencons_interface *con_intf;
    struct mica_evtchn *con_evtchn;
    int con_port;                   /* our local port */
    bool con_masked;                /* rate-limited, unmask at resume time */
    struct ratelimit con_rl;

    int con_master, con_slave;      /* the pty; the slave stays open so the
                                     * master never reads EIO */
    uint64_t con_pty_off;
    int con_log_fd;
    uint64_t con_log_size;
    int con_listen;
    struct cons_client *con_clients;
    struct backlog con_backlog;

    struct console *con_next;
};

/* console.c: life cycle */
struct console *console_new(unsigned int domid);
/* Read the console node and serve it; -ENOENT while it is incomplete. */
int console_start(struct consoled *cd, struct console *con);
/* Let go of everything the console holds; the record stays. */
void console_stop(struct consoled *cd, struct console *con);
void console_free(struct consoled *cd, struct console *con);
/* Re-read the domain's name; a LIVE console's log follows a change. */
void console_renamed(struct consoled *cd, struct console *con);

/* cons-io.c: moving bytes */
void console_event(struct consoled *cd, struct console *con, uint64_t now);
void console_tick(struct consoled *cd, struct console *con, uint64_t now);
/* What the pty master's and clients' poll events should be now. */
bool console_wants_input(struct console *con);
void console_pty_ready(struct consoled *cd, struct console *con,
                       short revents);
/* Feed guest input read from 'fd'; 0, or -errno/EOF (< 0) to drop fd. */
int console_input_from(struct consoled *cd, struct console *con, int fd);
void console_drop(struct consoled *cd, struct console *con, const char *why);

/* cons-sock.c: the per-domain UNIX socket and its clients */
int cons_sock_open(struct consoled *cd, struct console *con);
void cons_sock_close(struct consoled *cd, struct console *con);
void cons_sock_accept(struct console *con);
/* Input or hang-up on a client; one that went away is marked dead. */
void cons_client_ready(struct consoled *cd, struct console *con,
                       struct cons_client *cl, short revents);
/* Write what each reader can take now, without blocking. */
void cons_flush_readers(struct console *con);
/* Free the clients marked dead: only outside a walk of the poll set. */
void cons_reap_clients(struct console *con);

/* cons-log.c: the guest's log file */
int cons_log_open(struct consoled *cd, struct console *con);
void cons_log_write(struct consoled *cd, struct console *con,
                    const char *p, size_t n);
void cons_log_close(struct console *con);
/* The domain was renamed from OLD: its log files take the new name. */
void cons_log_rename(struct consoled *cd, struct console *con, const char *old);
/* mkdir -p, for the log and socket directories. */
void cons_make_dirs(const char *dir);

#endif
