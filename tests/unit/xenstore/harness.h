/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/xenstore/harness.h - drive micastored's core without sockets:
 * in-memory connections, one call per request, captured watch events.
 */
#ifndef XS_UNIT_HARNESS_H
#define XS_UNIT_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "conn.h"

extern char ut_reply[];
extern unsigned int ut_rlen;

int ut_setup(void);
int ut_teardown(void);
struct xs_conn *ut_conn(unsigned int domid, bool priv);
int ut_req(struct xs_conn *c, uint32_t type, uint32_t tx, const void *data,
           size_t len);
/* Literal payloads: UT(c, XS_WATCH, 0, "/a\0tok") sends "/a\0tok\0". */
#define UT(c, type, tx, lit) ut_req((c), (type), (tx), (lit), sizeof(lit))
int ut_write(struct xs_conn *c, uint32_t tx, const char *path,
             const char *val);
int ut_read(struct xs_conn *c, uint32_t tx, const char *path);
int ut_event(struct xs_conn *c, char *path, char *token);
unsigned int ut_nr_events(struct xs_conn *c);
void ut_drop_events(struct xs_conn *c);

#endif
