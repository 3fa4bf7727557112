/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/xenstore/xs-fuzz.c - libFuzzer target over micastored's
 * framing, parsing and request handling.
 *
 * The input is a list of chunks, each [conn:1][len:2][bytes:len], fed as
 * the byte stream of one of three connections: dom0 (privileged), domain
 * 5 and domain 7 (unprivileged, 7 acting for 5). A conn byte with bit 7
 * set closes that connection instead, mid-transaction or not. The store
 * is rebuilt for every input, and its consistency checked at the end.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "conn.h"
#include "daemon.h"
#include "quota.h"
#include "tree.h"

#define NR_CONNS 3

struct feed {
    const uint8_t *data;
    size_t len, off;
};

static ssize_t feed_read(struct xs_conn *c, void *buf, size_t len)
{
    struct feed *f = c->transport;

    if (f->off == f->len)
        return -EAGAIN;
    if (len > f->len - f->off)
        len = f->len - f->off;
    memcpy(buf, f->data + f->off, len);
    f->off += len;
    return len;
}

static ssize_t feed_write(struct xs_conn *c, const void *buf, size_t len)
{
    (void)c; (void)buf;
    return len;
}

static const struct xs_conn_ops feed_ops = {
    .name = "fuzz", .read = feed_read, .write = feed_write,
};

static struct xs_conn *open_conn(unsigned int i, struct feed *f)
{
    static const unsigned int domids[NR_CONNS] = { 0, 5, 7 };
    struct xs_conn *c = xs_conn_new(&feed_ops, f, -1, domids[i], i == 0);

    if (c && i == 2)
        c->who.target = 5;
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xs_conn *conns[NR_CONNS];
    struct feed feeds[NR_CONNS];
    struct xs_out *o;
    unsigned int i;
    size_t off = 0;

    xs_quota_defaults();
    xs_quota.nodes = 50;
    xs_quota.tx_nodes = 64;
    if (xs_daemon_init())
        abort();
    for (i = 0; i < NR_CONNS; i++)
        conns[i] = open_conn(i, &feeds[i]);

    while (off + 3 <= size) {
        unsigned int sel = data[off], which = (sel & 0x7f) % NR_CONNS;
        size_t len = data[off + 1] | (size_t)data[off + 2] << 8;
        struct xs_conn *c;

        off += 3;
        if (len > size - off)
            len = size - off;
        c = conns[which];
        if (sel & 0x80) {
            if (c)
                xs_conn_free(c);
            conns[which] = open_conn(which, &feeds[which]);
            continue;
        }
        feeds[which] = (struct feed){ data + off, len, 0 };
        off += len;
        if (!c)
            continue;
        if (xs_conn_input(c) < 0 || c->dead) {
            xs_conn_free(c);
            conns[which] = NULL;
            continue;
        }
        /* Drain replies as a reading client would. */
        while ((o = xs_conn_pop(c)))
            free(o);
    }
    xs_reap_dead();
    if (xs_tree_check())
        abort();
    xs_daemon_fini();
    return 0;
}
