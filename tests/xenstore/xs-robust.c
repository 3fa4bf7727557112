/* SPDX-License-Identifier: MIT */
/*
 * tests/xenstore/xs-robust.c SOCKET - hostile and careless clients: each
 * may lose its own connection, never anybody else's, and leaves nothing
 * behind.
 */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include "raw.h"

static int alive(const char *sock)
{
    int fd = raw_connect(sock);
    int ok = raw_is_ok(fd, XS_WRITE, 0, S("/robust/alive\0y"));

    close(fd);
    return ok;
}

static void test_oversized(const char *sock)
{
    int bystander = raw_connect(sock), bad = raw_connect(sock);
    struct xsd_sockmsg h = { XS_WRITE, 0, 0, XENSTORE_PAYLOAD_MAX + 1 };
    int ok;

    ok = send(bad, &h, sizeof(h), MSG_NOSIGNAL) == sizeof(h) &&
         raw_closed(bad) && raw_is_ok(bystander, XS_READ, 0, S("/"));
    report("robust-oversized-closes-only-sender", ok,
           "4097-byte payload not refused, or others disturbed");
    close(bad);

    bad = raw_connect(sock);
    h.len = 0xffffffff;
    ok = send(bad, &h, sizeof(h), MSG_NOSIGNAL) == sizeof(h) &&
         raw_closed(bad) && raw_is_ok(bystander, XS_READ, 0, S("/"));
    report("robust-huge-length", ok, "len 0xffffffff not refused");
    close(bad);
    close(bystander);
}

static void test_truncated(const char *sock)
{
    int fd = raw_connect(sock);
    struct xsd_sockmsg h = { XS_WRITE, 0, 0, 100 };

    /* Half a header, then half a payload, then hang up. */
    send(fd, &h, 8, MSG_NOSIGNAL);
    close(fd);
    fd = raw_connect(sock);
    send(fd, &h, sizeof(h), MSG_NOSIGNAL);
    send(fd, "/robust/x\0abc", 13, MSG_NOSIGNAL);
    close(fd);
    report("robust-truncated-message", alive(sock), "daemon stopped serving");
}

static void test_garbage(const char *sock)
{
    int fd = raw_connect(sock), ok;

    ok = raw_is_error(fd, XS_READ, 0, "no-nul", 6, "EINVAL") &&
         raw_is_error(fd, XS_WRITE, 0, "no-nul-either", 13, "EINVAL") &&
         raw_is_error(fd, XS_SET_PERMS, 0, S("/robust\0x5"), "EINVAL") &&
         raw_is_error(fd, XS_SET_PERMS, 0, "/robust\0n0", 10, "EINVAL") &&
         raw_is_error(fd, XS_INTRODUCE, 0, S("1"), "EINVAL") &&
         raw_is_error(fd, XS_DIRECTORY_PART, 0, S("/"), "EINVAL") &&
         raw_is_error(fd, XS_CONTROL, 0, S("no-such-command"), "EINVAL");
    report("robust-malformed-payloads", ok && alive(sock),
           "malformed payload not refused with EINVAL");
    close(fd);
}

/* Killed between START and END: nothing it wrote may appear. */
static void test_killed_in_transaction(const char *sock)
{
    int pipefd[2], fd, ok, status;
    pid_t pid;
    char b;

    if (pipe(pipefd) < 0)
        return;
    pid = fork();
    if (pid == 0) {
        struct xsd_sockmsg h;
        uint32_t tx;

        fd = raw_connect(sock);
        if (raw_call(fd, XS_TRANSACTION_START, 0, S(""), &h))
            _exit(1);
        tx = strtoul(raw_body, NULL, 10);
        raw_is_ok(fd, XS_WRITE, tx, S("/robust/tx/residue\0x"));
        raw_is_ok(fd, XS_RM, tx, S("/robust/alive"));
        if (write(pipefd[1], "k", 1) != 1)
            _exit(1);
        pause();
        _exit(0);
    }
    close(pipefd[1]);
    ok = read(pipefd[0], &b, 1) == 1;
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    close(pipefd[0]);
    usleep(100000);
    fd = raw_connect(sock);
    ok = ok && raw_is_error(fd, XS_READ, 0, S("/robust/tx/residue"), "ENOENT") &&
         raw_is_ok(fd, XS_READ, 0, S("/robust/alive"));
    report("robust-killed-mid-transaction", ok, "transaction left residue");
    close(fd);
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * One client pipelines requests and never reads; another floods watch
 * events at a watcher that never reads. A third must still be served
 * promptly throughout.
 */
static void test_slow_clients(const char *sock)
{
    int hog = raw_connect(sock), watcher = raw_connect(sock);
    int fd = raw_connect(sock), i, ok = 1;
    char big[XENSTORE_PAYLOAD_MAX];
    double t0;

    memset(big, 'z', sizeof(big));
    memcpy(big, "/robust/big", 12);
    raw_is_ok(fd, XS_WRITE, 0, big, sizeof(big));
    raw_send(watcher, XS_WATCH, 0, 0, S("/robust\0w"));
    /* The hog's socket buffer fills; the daemon must stop reading it. */
    for (i = 0; i < 4000; i++) {
        struct pollfd pf = { .fd = hog, .events = POLLOUT };

        if (poll(&pf, 1, 0) <= 0)
            break;
        raw_send(hog, XS_READ, i, 0, S("/robust/big"));
    }
    t0 = now();
    for (i = 0; i < 2000 && ok; i++)
        ok = raw_is_ok(fd, XS_WRITE, 0, S("/robust/flood\0v"));
    report("robust-slow-clients-do-not-stall", ok && now() - t0 < 20,
           "daemon stalled by clients that do not read");
    close(hog);
    close(watcher);
    close(fd);
    report("robust-alive-after-hogs", alive(sock), "daemon stopped serving");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: xs-robust SOCKET\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    test_oversized(argv[1]);
    test_truncated(argv[1]);
    test_garbage(argv[1]);
    test_killed_in_transaction(argv[1]);
    test_slow_clients(argv[1]);
    return failures ? 1 : 0;
}
