/* SPDX-License-Identifier: MIT */
/*
 * tests/xenstore/xs-protocol.c SOCKET - wire-level behaviours of 4.17 that
 * clients rely on, checked with hand-built messages.
 */
#include "raw.h"

static void test_types(int fd)
{
    report("proto-unknown-type-enosys",
           raw_is_error(fd, 99, 0, S(""), "ENOSYS") &&
           raw_is_error(fd, 20, 0, S(""), "ENOSYS") &&
           raw_is_error(fd, 23, 0, S(""), "ENOSYS") &&
           raw_is_error(fd, XS_WATCH_EVENT, 0, S("/a\0t"), "ENOSYS") &&
           raw_is_error(fd, XS_ERROR, 0, S("EINVAL"), "ENOSYS"),
           "unknown or server-only types not answered with ENOSYS");
}

static void test_req_id(int fd)
{
    struct xsd_sockmsg h;
    int ok;

    ok = !raw_send(fd, XS_GET_DOMAIN_PATH, 0xdeadbeef, 0, S("5")) &&
         !raw_recv(fd, &h) && h.req_id == 0xdeadbeef &&
         h.type == XS_GET_DOMAIN_PATH && !strcmp(raw_body, "/local/domain/5");
    report("proto-req-id-echo", ok, "req_id not echoed or bad reply");
}

static void test_values(int fd)
{
    struct xsd_sockmsg h;
    char big[XENSTORE_PAYLOAD_MAX];
    int ok;

    ok = raw_is_ok(fd, XS_WRITE, 0, "/p/bin\0a\0b\0", 11) &&
         !raw_call(fd, XS_READ, 0, S("/p/bin"), &h) && h.len == 4 &&
         !memcmp(raw_body, "a\0b\0", 4);
    report("proto-binary-value", ok, "binary value did not round-trip");

    ok = raw_is_ok(fd, XS_MKDIR, 0, S("/p/empty")) &&
         !raw_call(fd, XS_READ, 0, S("/p/empty"), &h) && h.len == 0;
    report("proto-empty-value", ok, "empty node does not read as 0 bytes");

    /* A payload of exactly XENSTORE_PAYLOAD_MAX is legal. */
    memset(big, 'x', sizeof(big));
    memcpy(big, "/p/big", 7);
    ok = raw_is_ok(fd, XS_WRITE, 0, big, sizeof(big)) &&
         !raw_call(fd, XS_READ, 0, S("/p/big"), &h) &&
         h.len == sizeof(big) - 7;
    report("proto-payload-4096", ok, "4096-byte payload refused");
}

static void test_transactions(int fd)
{
    struct xsd_sockmsg h;
    uint32_t tx;
    int ok;

    report("proto-tx-start-nested-ebusy",
           raw_is_error(fd, XS_TRANSACTION_START, 5, S(""), "EBUSY"),
           "START with a tx_id not refused with EBUSY");
    report("proto-tx-unknown-enoent",
           raw_is_error(fd, XS_READ, 4242, S("/p"), "ENOENT") &&
           raw_is_error(fd, XS_TRANSACTION_END, 4242, S("T"), "ENOENT"),
           "unknown tx_id not refused with ENOENT");
    ok = !raw_call(fd, XS_TRANSACTION_START, 0, S(""), &h) &&
         h.type == XS_TRANSACTION_START;
    tx = strtoul(raw_body, NULL, 10);
    ok = ok && tx && raw_is_error(fd, XS_TRANSACTION_END, tx, S("X"), "EINVAL");
    ok = ok && raw_is_ok(fd, XS_TRANSACTION_END, tx, S("F")) &&
         raw_is_error(fd, XS_TRANSACTION_END, tx, S("F"), "ENOENT");
    report("proto-tx-end-args", ok, "END body or double END handled wrongly");
}

static void test_paths(int fd)
{
    report("proto-rm-root-einval", raw_is_error(fd, XS_RM, 0, S("/"), "EINVAL"),
           "RM / accepted");
    report("proto-rm-missing",
           raw_is_ok(fd, XS_RM, 0, S("/p/none")) &&
           raw_is_error(fd, XS_RM, 0, S("/nope/none"), "ENOENT"),
           "RM of a missing node: want OK with parent, ENOENT without");
    report("proto-bad-path-einval",
           raw_is_error(fd, XS_READ, 0, S("/a.b"), "EINVAL") &&
           raw_is_error(fd, XS_WRITE, 0, S("/a//b\0v"), "EINVAL") &&
           raw_is_error(fd, XS_READ, 0, S("@releaseDomain"), "EINVAL"),
           "invalid names accepted");
    report("proto-read-missing-enoent",
           raw_is_error(fd, XS_READ, 0, S("/p/none"), "ENOENT"),
           "missing node not ENOENT");
}

static void test_directory_part(int fd)
{
    struct xsd_sockmsg h;
    size_t gl;
    int ok;

    ok = raw_is_ok(fd, XS_WRITE, 0, S("/dp/q\0x")) &&
         raw_is_ok(fd, XS_WRITE, 0, S("/dp/bin\0x")) &&
         !raw_call(fd, XS_DIRECTORY_PART, 0, S("/dp\0" "0"), &h) &&
         h.type == XS_DIRECTORY_PART;
    gl = strlen(raw_body) + 1;
    ok = ok && h.len == gl + 7 && !memcmp(raw_body + gl, "q\0bin\0\0", 7);
    ok = ok && !raw_call(fd, XS_DIRECTORY_PART, 0, S("/dp\0" "2"), &h) &&
         h.len == gl + 5 && !memcmp(raw_body + gl, "bin\0\0", 5);
    ok = ok && !raw_call(fd, XS_DIRECTORY_PART, 0, S("/dp\0" "99"), &h) &&
         h.len == gl + 1;
    report("proto-directory-part", ok, "chunk format differs from 4.17");
}

static void test_watch_order(int fd)
{
    struct xsd_sockmsg h;
    int ok;

    ok = !raw_send(fd, XS_WATCH, 1, 0, S("/wo\0tok")) && !raw_recv(fd, &h) &&
         h.type == XS_WATCH && !raw_recv(fd, &h) && h.type == XS_WATCH_EVENT &&
         !strcmp(raw_body, "/wo") && !strcmp(raw_body + 4, "tok");
    report("proto-watch-initial-event", ok, "OK then initial event expected");

    /* 4.17 queues the events of a request ahead of its reply. */
    ok = !raw_send(fd, XS_WRITE, 2, 0, S("/wo/k\0v")) && !raw_recv(fd, &h) &&
         h.type == XS_WATCH_EVENT && !strcmp(raw_body, "/wo/k") &&
         !raw_recv(fd, &h) && h.type == XS_WRITE && h.req_id == 2;
    report("proto-event-before-reply", ok, "event not ahead of the reply");

    report("proto-watch-errors",
           raw_is_error(fd, XS_WATCH, 0, S("/wo\0tok"), "EEXIST") &&
           raw_is_error(fd, XS_WATCH, 0, S("/wo\0tok\0" "1"), "EINVAL") &&
           raw_is_error(fd, XS_WATCH, 0, S("/wo"), "EINVAL") &&
           raw_is_error(fd, XS_UNWATCH, 0, S("/wo\0other"), "ENOENT") &&
           raw_is_ok(fd, XS_UNWATCH, 0, S("/wo\0tok")),
           "duplicate/depth/unknown watch handled wrongly");
}

static void test_domains(int fd)
{
    struct xsd_sockmsg h;
    int ok;

    ok = !raw_call(fd, XS_IS_DOMAIN_INTRODUCED, 0, S("0"), &h) &&
         !strcmp(raw_body, "T") &&
         !raw_call(fd, XS_IS_DOMAIN_INTRODUCED, 0, S("9"), &h) &&
         !strcmp(raw_body, "F");
    report("proto-is-domain-introduced", ok, "wrong T/F answers");
    ok = !raw_send(fd, XS_WATCH, 1, 0, S("@introduceDomain\0i")) &&
         !raw_recv(fd, &h) && !raw_recv(fd, &h) && h.type == XS_WATCH_EVENT &&
         raw_is_ok(fd, XS_INTRODUCE, 0, S("9\0" "1234\0" "5")) &&
         !raw_call(fd, XS_IS_DOMAIN_INTRODUCED, 0, S("9"), &h) &&
         !strcmp(raw_body, "T") &&
         raw_is_ok(fd, XS_SET_TARGET, 0, S("9\0" "3")) &&
         raw_is_ok(fd, XS_RESUME, 0, S("9")) &&
         raw_is_ok(fd, XS_RELEASE, 0, S("9")) &&
         raw_is_error(fd, XS_RELEASE, 0, S("9"), "ENOENT");
    report("proto-introduce-release", ok, "domain requests misbehave");
}

int main(int argc, char **argv)
{
    int fd;

    if (argc != 2) {
        fprintf(stderr, "usage: xs-protocol SOCKET\n");
        return 2;
    }
    fd = raw_connect(argv[1]);
    test_types(fd);
    test_req_id(fd);
    test_values(fd);
    test_transactions(fd);
    test_paths(fd);
    test_directory_part(fd);
    test_watch_order(fd);
    test_domains(fd);
    close(fd);
    return failures ? 1 : 0;
}
