/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/cons-io.c - a live console's bytes: guest output
 * into the history, the log and the readers; pty and client input into
 * the guest's in[] ring, never more than it has room for.
 *
 * Isolation rules, from xenconsoled: the ring is drained on every event
 * whether anybody reads or not (the history forgets its oldest bytes
 * instead of stalling the guest's printk), a port firing more than 30
 * times in 200 ms stays masked until the period ends, and no write to a
 * pty or socket ever blocks.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include "cons-ring.h"
#include "console.h"
#include "consoled.h"
#include "libmica.h"
#include "log.h"

/* Bytes taken from one ring per event: others get their turn after. */
#define DRAIN_MAX (16 * CONS_OUT_SIZE)

void console_drop(struct consoled *cd, struct console *con, const char *why)
{
    cons_log("domain %u: %s; console dropped", con->con_domid, why);
    console_stop(cd, con);
    con->con_state = CON_BROKEN;
}

/* Returns false when the console was dropped. */
static bool drain(struct consoled *cd, struct console *con)
{
    char buf[CONS_OUT_SIZE];
    size_t total = 0;
    int n;

    while (total < DRAIN_MAX) {
        n = cons_ring_take(con->con_intf, buf, sizeof(buf));
        if (n < 0) {
            console_drop(cd, con, "console ring indices out of range "
                         "(out_prod - out_cons > 2048)");
            return false;
        }
        if (!n)
            break;
        backlog_append(&con->con_backlog, buf, (size_t)n);
        cons_log_write(cd, con, buf, (size_t)n);
        total += (size_t)n;
    }
    if (total)
        mica_evtchn_notify(con->con_evtchn, (uint32_t)con->con_port);
    cons_flush_readers(con);
    return true;
}

void console_event(struct consoled *cd, struct console *con, uint64_t now)
{
    int port;
    bool fired = false;

    /* One handle per console, so whatever fired is this console's port. */
    while ((port = mica_evtchn_pending(con->con_evtchn)) >= 0)
        fired = true;
    if (port != -EAGAIN && port != -EINTR) {
        /* An overflowed or broken handle would poll ready for ever. */
        console_drop(cd, con, "event channel handle failed");
        return;
    }
    if (!drain(cd, con))
        return;
    if (!fired || con->con_masked)
        return;
    if (ratelimit_event(&con->con_rl, now))
        mica_evtchn_unmask(con->con_evtchn, (uint32_t)con->con_port);
    else
        con->con_masked = true;
}

void console_tick(struct consoled *cd, struct console *con, uint64_t now)
{
    if (!con->con_masked || now < ratelimit_resume_at(&con->con_rl))
        return;
    con->con_masked = false;
    /* Drain first: what the guest wrote while masked raised no event. */
    if (drain(cd, con))
        mica_evtchn_unmask(con->con_evtchn, (uint32_t)con->con_port);
}

bool console_wants_input(struct console *con)
{
    return con->con_intf && cons_ring_in_space(con->con_intf) > 0;
}

int console_input_from(struct consoled *cd, struct console *con, int fd)
{
    char buf[CONS_IN_SIZE];
    int space = cons_ring_in_space(con->con_intf);
    ssize_t n;

    if (space < 0) {
        console_drop(cd, con, "console ring indices out of range "
                     "(in_prod - in_cons > 1024)");
        return -EIO;
    }
    if (!space)
        return 0;
    n = read(fd, buf, (size_t)space);
    if (n < 0)
        return errno == EAGAIN || errno == EINTR ? 0 : -errno;
    if (n == 0)
        return -EPIPE;
    if (cons_ring_give(con->con_intf, buf, (size_t)n) != n) {
        /* The guest moved in_cons backwards between our two reads. */
        console_drop(cd, con, "console in ring changed under us");
        return -EIO;
    }
    mica_evtchn_notify(con->con_evtchn, (uint32_t)con->con_port);
    return 0;
}

void console_pty_ready(struct consoled *cd, struct console *con,
                       short revents)
{
    if (revents & POLLIN)
        console_input_from(cd, con, con->con_master);
    /* POLLOUT is served by cons_flush_readers() after the poll. */
}
