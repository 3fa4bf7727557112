/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/consoled.h - the daemon's state shared by discovery,
 * the consoles and the main loop.
 */
#ifndef CONSOLED_CONSOLED_H
#define CONSOLED_CONSOLED_H

#include <stddef.h>
#include <stdint.h>

struct mica;
struct mxs_handle;
struct console;

struct consoled {
    struct mica *cd_mica;
    struct mxs_handle *cd_xs;
    struct console *cd_cons;        /* every domain we know of */
    const char *cd_log_dir;         /* guest logs: DIR/NAME.log */
    const char *cd_sock_dir;        /* client sockets: DIR/DOMID.sock */
    size_t cd_backlog;              /* bytes of history per domain */
    uint64_t cd_log_max;            /* a guest log rotates beyond this */
};

/* Monotonic milliseconds. */
uint64_t consoled_now(void);

#endif
