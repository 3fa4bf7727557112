/* SPDX-License-Identifier: MIT */
/*
 * xenbus/daemon.h - bring-up and teardown of the whole store state, and
 * the event loop.
 */
#ifndef XENBUS_DAEMON_H
#define XENBUS_DAEMON_H

#include <signal.h>

int xs_daemon_init(void);
void xs_daemon_fini(void);
void xs_reap_dead(void);

struct xs_loop_cfg {
    int listen_fd;
    const char *dump_file;      /* written on SIGUSR1 and at exit, or NULL */
    int event_fd;               /* another fd to poll (VIRQ_DOM_EXC), or -1 */
    void (*on_event)(void);     /* called when event_fd is readable */
};

int xs_loop_run(const struct xs_loop_cfg *cfg);

#endif
