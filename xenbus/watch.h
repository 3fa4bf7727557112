/* SPDX-License-Identifier: MIT */
/*
 * xenbus/watch.h - watches, the special @introduceDomain/@releaseDomain
 * nodes, and event delivery.
 */
#ifndef XENBUS_WATCH_H
#define XENBUS_WATCH_H

#include <stdbool.h>
#include "list.h"
#include "perms.h"

struct xs_conn;

struct xs_watch {
    struct xs_list clink;       /* conn->watches */
    struct xs_list glink;       /* every watch */
    struct xs_conn *conn;
    unsigned int rel_off;       /* prefix stripped from events; 0 = absolute */
    char *token;
    char path[];                /* absolute, or "@..." */
};

int xs_watch_init(void);
void xs_watch_fini(void);
int xs_watch_add(struct xs_conn *c, const char *path, unsigned int rel_off,
                 const char *token);
int xs_watch_del(struct xs_conn *c, const char *path, const char *token);
void xs_watch_conn_gone(struct xs_conn *c);
void xs_watch_fire(const char *path, const struct xs_perms *perms, bool exact);
struct xs_list *xs_watch_list(void);

struct xs_perms *xs_special_perms(const char *path);
int xs_special_set_perms(const char *path, struct xs_perms *perms);

#endif
