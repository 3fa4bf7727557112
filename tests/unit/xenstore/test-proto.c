/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/xenstore/test-proto.c - framing, dispatch, XS_CONTROL and
 * dump/restore.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cunit-runner.h"
#include "daemon.h"
#include "dump.h"
#include "harness.h"
#include "tree.h"
#include "xs-wire.h"

/* A transport fed from a byte buffer, as a socket peer would be. */
static char feed[3 * XENSTORE_PAYLOAD_MAX];
static size_t feed_len, feed_off;

static ssize_t feed_read(struct xs_conn *c, void *buf, size_t len)
{
    (void)c;
    if (feed_off == feed_len)
        return -EAGAIN;
    if (len > feed_len - feed_off)
        len = feed_len - feed_off;
    if (len > 7)
        len = 7;    /* dribble, to exercise partial reads */
    memcpy(buf, feed + feed_off, len);
    feed_off += len;
    return len;
}

static ssize_t feed_write(struct xs_conn *c, const void *buf, size_t len)
{
    (void)c; (void)buf;
    return len;
}

static const struct xs_conn_ops feed_ops = {
    .name = "feed", .read = feed_read, .write = feed_write,
};

static void push(uint32_t type, const void *data, uint32_t len,
                 uint32_t claimed)
{
    struct xsd_sockmsg h = { type, 1, 0, claimed };

    memcpy(feed + feed_len, &h, sizeof(h));
    feed_len += sizeof(h);
    memcpy(feed + feed_len, data, len);
    feed_len += len;
}

static void proto_framing(void)
{
    struct xs_conn *c = xs_conn_new(&feed_ops, NULL, -1, 0, true);
    struct xs_out *o;
    int n = 0;

    feed_len = feed_off = 0;
    push(XS_WRITE, "/f\0abc", 6, 6);
    push(XS_READ, "/f", 3, 3);
    CU_ASSERT_EQUAL(xs_conn_input(c), 0);
    while ((o = xs_conn_pop(c))) {
        struct xsd_sockmsg *h = (struct xsd_sockmsg *)o->data;

        if (n == 1)
            CU_ASSERT(h->type == XS_READ && h->len == 3 &&
                      !memcmp(o->data + sizeof(*h), "abc", 3));
        n++;
        free(o);
    }
    CU_ASSERT_EQUAL(n, 2);
    /* An oversized header is fatal to the connection, nothing else. */
    feed_len = feed_off = 0;
    push(XS_WRITE, "", 0, XENSTORE_PAYLOAD_MAX + 1);
    CU_ASSERT_EQUAL(xs_conn_input(c), -E2BIG);
    xs_conn_free(c);
}

static void proto_unknown_types(void)
{
    struct xs_conn *c = ut_conn(0, true);

    CU_ASSERT_EQUAL(UT(c, 20, 0, ""), -ENOSYS);
    CU_ASSERT_EQUAL(UT(c, XS_TYPE_COUNT, 0, ""), -ENOSYS);
    CU_ASSERT_EQUAL(UT(c, 0xffff, 0, ""), -ENOSYS);
    CU_ASSERT_EQUAL(UT(c, XS_WATCH_EVENT, 0, "/a\0b"), -ENOSYS);
    CU_ASSERT_EQUAL(UT(c, XS_ERROR, 0, "EINVAL"), -ENOSYS);
    CU_ASSERT_EQUAL(ut_req(c, XS_READ, 0, "/x", 2), -EINVAL);
    CU_ASSERT_EQUAL(UT(c, XS_READ, 0, "/x\0/y"), -EINVAL);
}

static void proto_control(void)
{
    struct xs_conn *c = ut_conn(0, true);

    CU_ASSERT_EQUAL(UT(c, XS_CONTROL, 0, "check"), 0);
    CU_ASSERT_STRING_EQUAL(ut_reply, "OK");
    CU_ASSERT_EQUAL(UT(c, XS_CONTROL, 0, "help"), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(ut_reply, "quota"));
    CU_ASSERT_EQUAL(UT(c, XS_CONTROL, 0, "quota\0nodes\0" "77"), 0);
    CU_ASSERT_EQUAL(UT(c, XS_CONTROL, 0, "quota"), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(ut_reply, "77"));
    CU_ASSERT_EQUAL(UT(c, XS_CONTROL, 0, "quota\0nodes\0zero"), -EINVAL);
    CU_ASSERT_EQUAL(UT(c, XS_CONTROL, 0, "log\0on"), 0);
    CU_ASSERT_EQUAL(UT(c, XS_CONTROL, 0, "log\0off"), 0);
    CU_ASSERT_EQUAL(UT(c, XS_CONTROL, 0, "frobnicate"), -EINVAL);
}

static void proto_directory_part(void)
{
    struct xs_conn *c = ut_conn(0, true);
    char name[64];
    unsigned int i, off = 0, total = 0;

    /* 400 children of 16 bytes overflow one DIRECTORY reply. */
    for (i = 0; i < 400; i++) {
        snprintf(name, sizeof(name), "/dp/child-%05u", i);
        CU_ASSERT_EQUAL_FATAL(ut_write(c, 0, name, ""), 0);
    }
    CU_ASSERT_EQUAL(UT(c, XS_DIRECTORY, 0, "/dp"), -E2BIG);
    for (;;) {
        char req[32];
        size_t l = snprintf(req, sizeof(req), "/dp%c%u", 0, off) + 1;
        size_t gl;

        CU_ASSERT_EQUAL_FATAL(ut_req(c, XS_DIRECTORY_PART, 0, req, l), 0);
        gl = strlen(ut_reply) + 1;
        if (ut_rlen == gl + 1)
            break;
        for (i = gl; i < ut_rlen && ut_reply[i]; i += strlen(ut_reply + i) + 1)
            total++;
        off += ut_rlen - gl - (ut_reply[ut_rlen - 1] == 0 &&
                               ut_reply[ut_rlen - 2] == 0 ? 1 : 0);
        if (ut_reply[ut_rlen - 2] == 0)
            break;
    }
    CU_ASSERT_EQUAL(total, 400);
}

static void proto_dump_restore(void)
{
    struct xs_conn *c = ut_conn(0, true);
    char file[] = "/tmp/xs-unit-dump.XXXXXX";
    int fd = mkstemp(file);
    size_t nodes;

    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    CU_ASSERT_EQUAL(ut_req(c, XS_WRITE, 0, "/d/bin\0a\0b", 10), 0);
    CU_ASSERT_EQUAL(UT(c, XS_SET_PERMS, 0, "/d/bin\0n4\0r2"), 0);
    CU_ASSERT_EQUAL(UT(c, XS_SET_PERMS, 0, "@releaseDomain\0n0\0r4"), 0);
    CU_ASSERT_EQUAL(UT(c, XS_INTRODUCE, 0, "4\0" "9\0" "3"), 0);
    nodes = xs_tree_count();
    CU_ASSERT_EQUAL(xs_dump_write(file), 0);
    ut_teardown();
    ut_setup();
    CU_ASSERT_EQUAL(xs_dump_read(file), 0);
    unlink(file);
    c = ut_conn(0, true);
    CU_ASSERT_EQUAL(xs_tree_count(), nodes);
    CU_ASSERT_EQUAL(ut_read(c, 0, "/d/bin"), 0);
    CU_ASSERT(ut_rlen == 3 && !memcmp(ut_reply, "a\0b", 3));
    CU_ASSERT_EQUAL(UT(c, XS_GET_PERMS, 0, "/d/bin"), 0);
    CU_ASSERT(ut_rlen == 6 && !memcmp(ut_reply, "n4\0r2\0", 6));
    CU_ASSERT_EQUAL(UT(c, XS_IS_DOMAIN_INTRODUCED, 0, "4"), 0);
    CU_ASSERT_STRING_EQUAL(ut_reply, "T");
    CU_ASSERT_EQUAL(xs_tree_check(), 0);
    /* A corrupt file is refused. */
    fd = open(file, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    CU_ASSERT_EQUAL(write(fd, "MICAXSD1N\xff\xff\xff\xff", 13), 13);
    close(fd);
    CU_ASSERT_EQUAL(xs_dump_read(file), -EINVAL);
    unlink(file);
}

static const struct unit_test proto_tests[] = {
    UNIT_TEST(proto_framing),
    UNIT_TEST(proto_unknown_types),
    UNIT_TEST(proto_control),
    UNIT_TEST(proto_directory_part),
    UNIT_TEST(proto_dump_restore),
    UNIT_END
};
UNIT_SUITE(xs_proto, ut_setup, ut_teardown, proto_tests)
