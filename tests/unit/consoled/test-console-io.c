/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/consoled/test-console-io.c - a console served end to end on
 * the host: the daemon's real set-up, ring, history, log, socket and
 * client code, over fake-dom0's page and event counters.  Covers the
 * isolation rules: the ring drains with nobody reading, a client that
 * stops reading blocks nothing, input obeys the ring's free space, a
 * hostile index drops only that console, and stopping frees everything.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cunit-runner.h"
#include "client.h"
#include "console.h"
#include "consoled.h"
#include "fake-dom0.h"

#define DOMID 7

static char dir[64];
static char logdir[96], sockdir[96];
static struct consoled cd;
static struct console *con;

static int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;

    while (d && readdir(d))
        n++;
    if (d)
        closedir(d);
    return n;
}

static void store_console(const char *ref, const char *port)
{
    fake_store_set("/local/domain/7/console/ring-ref", ref);
    fake_store_set("/local/domain/7/console/port", port);
}

static int setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/consoled-ut.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(logdir, sizeof(logdir), "%s/log", dir);
    snprintf(sockdir, sizeof(sockdir), "%s/sock", dir);
    mkdir(sockdir, 0700);
    setenv("MICA_CONSOLE_DIR", sockdir, 1);
    return 0;
}

static int teardown(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A fresh, live console for domain 7 named "guest". */
static void start(size_t backlog, uint64_t log_max)
{
    fake_reset();
    cd = (struct consoled){ .cd_log_dir = logdir, .cd_sock_dir = sockdir,
                            .cd_backlog = backlog, .cd_log_max = log_max };
    fake_store_set("/local/domain/7/name", "guest");
    store_console("4660", "3");
    con = console_new(DOMID);
    CU_ASSERT_FATAL(con != NULL);
    CU_ASSERT_EQUAL_FATAL(console_start(&cd, con), 0);
    CU_ASSERT_EQUAL_FATAL(con->con_state, CON_LIVE);
}

static void stop(void)
{
    console_free(&cd, con);
    con = NULL;
}

static int connect_client(void)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/7.sock", sockdir);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
        close(fd);
        return -1;
    }
    cons_sock_accept(con);
    return fd;
}

/* What 'fd' can read within 'ms' (non-blocking reads until quiet). */
static size_t drain_fd(int fd, char *buf, size_t max, int ms)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    size_t got = 0;

    while (got < max && poll(&p, 1, ms) > 0) {
        ssize_t n = read(fd, buf + got, max - got);

        if (n <= 0)
            break;
        got += (size_t)n;
    }
    return got;
}

static void start_publishes_tty(void)
{
    const char *tty;

    start(4096, 1 << 20);
    tty = fake_store_get("/local/domain/7/console/tty");
    CU_ASSERT(tty && !strncmp(tty, "/dev/pts/", 9));
    CU_ASSERT_EQUAL(fake.maps, 1);
    CU_ASSERT_EQUAL(fake.opens, 1);
    stop();
    CU_ASSERT_EQUAL(fake.unmaps, 1);
    CU_ASSERT_EQUAL(fake.closes, 1);
}

static void incomplete_node_waits(void)
{
    struct console *c;

    fake_reset();
    cd = (struct consoled){ .cd_log_dir = logdir, .cd_sock_dir = sockdir,
                            .cd_backlog = 4096, .cd_log_max = 1 << 20 };
    fake_store_set("/local/domain/7/console/ring-ref", "4660");
    c = console_new(DOMID);
    CU_ASSERT_EQUAL(console_start(&cd, c), -ENOENT);
    CU_ASSERT_EQUAL(c->con_state, CON_WAITING);
    CU_ASSERT_EQUAL(fake.maps, 0);
    /* A garbage port is told once and not retried while unchanged. */
    fake_store_set("/local/domain/7/console/port", "http");
    CU_ASSERT_EQUAL(console_start(&cd, c), -EINVAL);
    CU_ASSERT_EQUAL(c->con_state, CON_BROKEN);
    CU_ASSERT_EQUAL(console_start(&cd, c), -EIO);
    fake_store_set("/local/domain/7/console/port", "3");
    CU_ASSERT_EQUAL(console_start(&cd, c), 0);
    CU_ASSERT_EQUAL(c->con_state, CON_LIVE);
    console_free(&cd, c);
}

static void map_failure_is_broken(void)
{
    struct console *c = console_new(DOMID);
    int fds = count_fds();

    fake_reset();
    fake.map_fails = true;
    store_console("1", "2");
    CU_ASSERT_EQUAL(console_start(&cd, c), -EFAULT);
    CU_ASSERT_EQUAL(c->con_state, CON_BROKEN);
    CU_ASSERT_EQUAL(count_fds(), fds);
    console_free(&cd, c);
}

/* Output printed before anybody attached is replayed, then live output. */
static void late_client_gets_history(void)
{
    char buf[256] = "";
    int fd;

    start(4096, 1 << 20);
    fake_guest_print("Linux version 6.1\r\n", 19);
    console_event(&cd, con, 1000);
    CU_ASSERT_EQUAL(fake.page.out_cons, fake.page.out_prod);
    CU_ASSERT(fake.notifies >= 1);
    fd = connect_client();
    CU_ASSERT_FATAL(fd >= 0);
    cons_flush_readers(con);
    CU_ASSERT_EQUAL(drain_fd(fd, buf, sizeof(buf), 100), 19);
    CU_ASSERT_NSTRING_EQUAL(buf, "Linux version 6.1\r\n", 19);
    fake_guest_print("login: ", 7);
    console_event(&cd, con, 1001);
    CU_ASSERT_EQUAL(drain_fd(fd, buf, sizeof(buf), 100), 7);
    CU_ASSERT_NSTRING_EQUAL(buf, "login: ", 7);
    close(fd);
    stop();
}

static void log_file_written(void)
{
    char path[160], buf[64] = "";
    struct stat st;
    int fd;

    start(4096, 1 << 20);
    fake_guest_print("to the log\n", 11);
    console_event(&cd, con, 1000);
    snprintf(path, sizeof(path), "%s/guest.log", logdir);
    fd = open(path, O_RDONLY);
    CU_ASSERT_FATAL(fd >= 0);
    /* Appended to what earlier runs of "guest" logged, as xl's logs are. */
    CU_ASSERT_EQUAL_FATAL(fstat(fd, &st), 0);
    CU_ASSERT(st.st_size >= 11);
    CU_ASSERT_EQUAL(pread(fd, buf, sizeof(buf), st.st_size - 11), 11);
    CU_ASSERT_NSTRING_EQUAL(buf, "to the log\n", 11);
    close(fd);
    stop();
}

/*
 * 1 MiB printed with nobody reading the pty and one client that never
 * reads: every event drains the ring at once, memory stays at the
 * history's size, the log stays under twice its cap.
 */
static void flood_never_stalls(void)
{
    static char chunk[2048];
    char path[160];
    struct stat st, st1;
    int fd;

    start(8192, 64 << 10);
    fd = connect_client();
    CU_ASSERT_FATAL(fd >= 0);
    memset(chunk, 'f', sizeof(chunk));
    for (int i = 0; i < 512; i++) {
        fake_guest_print(chunk, sizeof(chunk));
        console_event(&cd, con, 1000 + (uint64_t)i);
        CU_ASSERT_EQUAL_FATAL(fake.page.out_prod - fake.page.out_cons, 0);
        cons_flush_readers(con);
    }
    CU_ASSERT_EQUAL(con->con_backlog.bl_head, 512u * 2048);
    CU_ASSERT_EQUAL(con->con_backlog.bl_cap, 8192);
    snprintf(path, sizeof(path), "%s/guest.log", logdir);
    CU_ASSERT_EQUAL(stat(path, &st), 0);
    CU_ASSERT(st.st_size <= 64 << 10);
    strcat(path, ".1");
    CU_ASSERT_EQUAL(stat(path, &st1), 0);
    CU_ASSERT(st1.st_size <= 64 << 10);
    close(fd);
    stop();
}

/* The port of a flooding guest stays masked until its period ends. */
static void flood_is_rate_limited(void)
{
    start(4096, 1 << 20);
    fake.unmasks = 0;
    for (int i = 0; i < 100; i++) {
        fake_guest_print("x", 1);
        console_event(&cd, con, 5000);
    }
    CU_ASSERT(fake.unmasks <= RATELIMIT_EVENTS);
    CU_ASSERT_TRUE(con->con_masked);
    /* Printed while masked: drained when the period ends, then unmasked. */
    fake_guest_print("late", 4);
    console_tick(&cd, con, 5100);
    CU_ASSERT_TRUE(con->con_masked);
    console_tick(&cd, con, 5000 + RATELIMIT_PERIOD_MS);
    CU_ASSERT_FALSE(con->con_masked);
    CU_ASSERT_EQUAL(fake.page.out_cons, fake.page.out_prod);
    stop();
}

/* A client that falls behind the history resumes at its oldest byte. */
static void slow_client_skips(void)
{
    static char chunk[1024], buf[16384];
    int fd, sz = 4096;

    start(4096, 1 << 20);
    fd = connect_client();
    CU_ASSERT_FATAL(fd >= 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
    setsockopt(con->con_clients->cc_fd, SOL_SOCKET, SO_SNDBUF, &sz,
               sizeof(sz));
    for (int i = 0; i < 200; i++) {
        memset(chunk, 'a' + i % 26, sizeof(chunk));
        fake_guest_print(chunk, sizeof(chunk));
        console_event(&cd, con, 1000 + (uint64_t)i * 10);
        cons_flush_readers(con);
    }
    /* The last 4 KiB are whole chunks 196..199: the reader ends with them. */
    for (int i = 0; i < 50; i++) {
        cons_flush_readers(con);
        drain_fd(fd, buf, sizeof(buf), 10);
    }
    CU_ASSERT(con->con_clients && con->con_clients->cc_lost > 0);
    CU_ASSERT_EQUAL(con->con_clients->cc_off, 200u * 1024);
    close(fd);
    stop();
}

/* Typed input never exceeds in[]'s free space; the rest waits. */
static void input_obeys_ring_space(void)
{
    static char keys[3000];
    int fd;

    start(4096, 1 << 20);
    fd = connect_client();
    CU_ASSERT_FATAL(fd >= 0);
    memset(keys, 'k', sizeof(keys));
    CU_ASSERT_EQUAL(write(fd, keys, sizeof(keys)), (ssize_t)sizeof(keys));
    usleep(10000);
    CU_ASSERT_EQUAL(console_input_from(&cd, con, con->con_clients->cc_fd), 0);
    CU_ASSERT_EQUAL(fake.page.in_prod - fake.page.in_cons, 1024);
    CU_ASSERT_FALSE(console_wants_input(con));
    CU_ASSERT_EQUAL(console_input_from(&cd, con, con->con_clients->cc_fd), 0);
    CU_ASSERT_EQUAL(fake.page.in_prod, 1024);
    fake.page.in_cons = 1024;       /* the guest read it all */
    CU_ASSERT_TRUE(console_wants_input(con));
    CU_ASSERT_EQUAL(console_input_from(&cd, con, con->con_clients->cc_fd), 0);
    CU_ASSERT_EQUAL(fake.page.in_prod, 2048);
    close(fd);
    stop();
}

/* A guest lying about out_prod loses its console, and only that. */
static void hostile_index_drops_console(void)
{
    char path[160];
    int fds;

    fds = count_fds();
    start(4096, 1 << 20);
    fake.page.out_prod = fake.page.out_cons + 4096;
    fake.fired = 1;
    console_event(&cd, con, 1000);
    CU_ASSERT_EQUAL(con->con_state, CON_BROKEN);
    CU_ASSERT_EQUAL(fake.unmaps, 1);
    CU_ASSERT_EQUAL(fake.closes, 1);
    snprintf(path, sizeof(path), "%s/7.sock", sockdir);
    CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);
    CU_ASSERT_EQUAL(count_fds(), fds);
    /* Unchanged node: not set up again. */
    CU_ASSERT_EQUAL(console_start(&cd, con), -EIO);
    stop();
}

/*
 * A client that hangs up while output is flowing: the flush after an
 * event finds it gone, and its hang-up is still reported by the same
 * poll round.  It is freed once, after the round (ASan checks that).
 */
static void client_gone_mid_flood(void)
{
    struct cons_client *cl;
    int fd;

    start(4096, 1 << 20);
    fd = connect_client();
    CU_ASSERT_FATAL(fd >= 0);
    cl = con->con_clients;
    close(fd);
    fake_guest_print("flood", 5);
    console_event(&cd, con, 1000);
    CU_ASSERT_TRUE(cl->cc_dead);
    cons_client_ready(&cd, con, cl, POLLHUP | POLLIN);
    CU_ASSERT_PTR_EQUAL(con->con_clients, cl);
    cons_reap_clients(con);
    CU_ASSERT_PTR_NULL(con->con_clients);
    stop();
}

/* An overflowed event channel handle drops the console, no busy loop. */
static void evtchn_failure_drops_console(void)
{
    start(4096, 1 << 20);
    fake.pending_err = -EFBIG;
    console_event(&cd, con, 1000);
    CU_ASSERT_EQUAL(con->con_state, CON_BROKEN);
    CU_ASSERT_EQUAL(fake.closes, 1);
    stop();
}

/* The client library end to end: history, live output, Ctrl-] detach. */
static void client_attach_and_detach(void)
{
    int in[2], out[2], status;
    char buf[256] = "";
    size_t got = 0;
    pid_t pid;

    start(4096, 1 << 20);
    fake_guest_print("boot line\r\n", 11);
    console_event(&cd, con, 1000);
    CU_ASSERT_FATAL(pipe(in) == 0 && pipe(out) == 0);
    pid = fork();
    if (pid == 0) {
        close(in[1]);
        close(out[0]);
        _exit(mica_console_attach(DOMID, in[0], out[1]) == 0 ? 0 : 1);
    }
    close(in[0]);
    close(out[1]);
    for (int i = 0; i < 200 && got < 11; i++) {
        struct pollfd p = { .fd = con->con_listen, .events = POLLIN };

        if (poll(&p, 1, 10) > 0)
            cons_sock_accept(con);
        cons_flush_readers(con);
        got += drain_fd(out[0], buf + got, sizeof(buf) - got, 0);
    }
    CU_ASSERT_EQUAL(got, 11);
    CU_ASSERT_NSTRING_EQUAL(buf, "boot line\r\n", 11);
    CU_ASSERT_EQUAL(write(in[1], "ls\r\x1dignored", 12), 12);
    for (int i = 0; i < 100 && fake.page.in_prod < 3; i++) {
        usleep(5000);
        if (con->con_clients)
            console_input_from(&cd, con, con->con_clients->cc_fd);
    }
    CU_ASSERT_EQUAL(fake.page.in_prod, 3);
    CU_ASSERT_NSTRING_EQUAL(fake.page.in, "ls\r", 3);
    CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
    CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(in[1]);
    close(out[0]);
    stop();
}

static void client_no_console(void)
{
    /* Nothing listens for domain 4242: refused after the short wait. */
    CU_ASSERT_EQUAL(mica_console_attach(4242, -1, -1), -ENOENT);
}

static const struct unit_test io_tests[] = {
    UNIT_TEST(start_publishes_tty),
    UNIT_TEST(incomplete_node_waits),
    UNIT_TEST(map_failure_is_broken),
    UNIT_TEST(late_client_gets_history),
    UNIT_TEST(log_file_written),
    UNIT_TEST(flood_never_stalls),
    UNIT_TEST(flood_is_rate_limited),
    UNIT_TEST(slow_client_skips),
    UNIT_TEST(input_obeys_ring_space),
    UNIT_TEST(hostile_index_drops_console),
    UNIT_TEST(client_gone_mid_flood),
    UNIT_TEST(evtchn_failure_drops_console),
    UNIT_TEST(client_attach_and_detach),
    UNIT_TEST(client_no_console),
    UNIT_END
};
UNIT_SUITE(consoled_io, setup, teardown, io_tests)
