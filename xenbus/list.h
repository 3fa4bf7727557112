/* SPDX-License-Identifier: MIT */
/*
 * xenbus/list.h - intrusive doubly linked lists used by the daemon and the
 * client library (connections, watches, transactions, output queues).
 */
#ifndef XENBUS_LIST_H
#define XENBUS_LIST_H

#include <stddef.h>

struct xs_list {
    struct xs_list *next, *prev;
};

#define XS_LIST_HEAD(name) struct xs_list name = { &(name), &(name) }
#define xs_container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

static inline void xs_list_init(struct xs_list *l)
{
    l->next = l->prev = l;
}

static inline int xs_list_empty(const struct xs_list *l)
{
    return l->next == l;
}

static inline void xs_list_add_tail(struct xs_list *head, struct xs_list *e)
{
    e->prev = head->prev;
    e->next = head;
    head->prev->next = e;
    head->prev = e;
}

static inline void xs_list_del(struct xs_list *e)
{
    e->prev->next = e->next;
    e->next->prev = e->prev;
    e->next = e->prev = e;
}

#define xs_list_for_each_safe(pos, tmp, head) \
    for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head); \
         (pos) = (tmp), (tmp) = (pos)->next)

#endif
