/* SPDX-License-Identifier: MIT */
/*
 * tests/xenstore/xs-ring.c SOCKET RINGDIR - the shared-ring transport
 * across two processes. This process plays the toolstack over the socket;
 * a forked child plays domain 5's kernel, speaking only through the ring
 * page and its notification FIFOs. Then domains 6 and 7 write garbage into
 * their rings: each loses its own connection and nobody else notices.
 * Needs micastored --ring-dir RINGDIR.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "micaxs.h"
#include "ring-shm.h"
#include "xs-wire.h"

#define DOMID 5

static int failures;

static void report(const char *name, int ok, const char *why)
{
    printf("TEST xenstore/%s: %s%s\n", name, ok ? "PASS" : "FAIL ",
           ok ? "" : why);
    fflush(stdout);
    failures += !ok;
}

/* What the domain builder does: a zeroed page and an event channel. */
static int make_ring(const char *dir, unsigned int domid)
{
    char name[4096];
    int fd;

    xs_shm_name(name, sizeof(name), dir, domid, "ring");
    fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, XS_SHM_PAGE) < 0)
        return -1;
    close(fd);
    xs_shm_name(name, sizeof(name), dir, domid, "up");
    if (mkfifo(name, 0600) < 0 && errno != EEXIST)
        return -1;
    xs_shm_name(name, sizeof(name), dir, domid, "down");
    if (mkfifo(name, 0600) < 0 && errno != EEXIST)
        return -1;
    return 0;
}

static int expect_event(struct mxs_handle *h, const char *path,
                        const char *token)
{
    char *p, *t;
    int ok;

    if (mxs_read_watch(h, 5000, &p, &t))
        return 0;
    ok = !strcmp(p, path) && !strcmp(t, token);
    if (!ok)
        fprintf(stderr, "event %s/%s, wanted %s/%s\n", p, t, path, token);
    free(p);
    free(t);
    return ok;
}

/* The guest side; its exit status is the number of failed checks. */
static int guest(const char *dir, int go_fd, int done_fd)
{
    struct mxs_handle *h = mxs_open_ring_shm(dir, DOMID);
    char *val = NULL, big[3000], c;
    unsigned int len;
    uint32_t tx;
    int bad = 0, rc;

    if (!h)
        return 100;
    /* Relative names resolve under /local/domain/5. */
    if (mxs_write(h, 0, "data/x", "hello", 5) ||
        mxs_read(h, 0, "data/x", &val, &len) || len != 5 ||
        memcmp(val, "hello", 5))
        bad |= 1;
    free(val);
    /* dom0's root is "n0": not even existence leaks. */
    if (mxs_read(h, 0, "/", &val, &len) != -EACCES ||
        mxs_read(h, 0, "/local/domain/0/secret", &val, &len) != -EACCES)
        bad |= 2;
    /* Messages bigger than the 1 KiB ring wrap and span several fills. */
    memset(big, 'q', sizeof(big));
    if (mxs_write(h, 0, "data/big", big, 2000) ||
        mxs_read(h, 0, "data/big", &val, &len) || len != 2000)
        bad |= 4;
    free(val);
    /* node-size quota (2048) applies to domains. */
    if (mxs_write(h, 0, "data/toobig", big, sizeof(big)) != -ENOSPC)
        bad |= 8;
    /* Watches with relative events, fired by dom0 over the socket. */
    if (mxs_watch(h, "data", "tok") || !expect_event(h, "data", "tok"))
        bad |= 16;
    if (write(done_fd, "w", 1) != 1 || read(go_fd, &c, 1) != 1)
        bad |= 32;
    if (!expect_event(h, "data/fromdom0", "tok"))
        bad |= 64;
    /* A transaction over the ring. */
    rc = mxs_transaction_start(h, &tx);
    if (rc || mxs_write(h, tx, "data/tx", "1", 1) ||
        mxs_transaction_end(h, tx, false))
        bad |= 128;
    mxs_close(h);
    return bad;
}

/* Maps domid's page (the guest's view) and opens its "up" FIFO. */
static struct xenstore_domain_interface *guest_page(const char *dir,
                                                    unsigned int domid,
                                                    int *up)
{
    char name[4096];
    void *p;
    int fd;

    xs_shm_name(name, sizeof(name), dir, domid, "ring");
    fd = open(name, O_RDWR);
    if (fd < 0)
        return NULL;
    p = mmap(NULL, XS_SHM_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    xs_shm_name(name, sizeof(name), dir, domid, "up");
    *up = open(name, O_RDWR | O_NONBLOCK);
    return p == MAP_FAILED || *up < 0 ? NULL : p;
}

/* Appends raw bytes to the request ring, as a (buggy) guest would. */
static void guest_put(struct xenstore_domain_interface *intf, int up,
                      const void *buf, uint32_t len)
{
    uint32_t i, prod = intf->req_prod;

    for (i = 0; i < len; i++)
        intf->req[(prod + i) % XENSTORE_RING_SIZE] = ((const char *)buf)[i];
    __atomic_store_n(&intf->req_prod, prod + len, __ATOMIC_RELEASE);
    if (write(up, "x", 1) != 1)
        perror("notify");
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

    nanosleep(&ts, NULL);
}

/* Introduce domid with a fresh ring; the page is returned mapped. */
static struct xenstore_domain_interface *hostile_domain(
    struct mxs_handle *dom0, const char *dir, unsigned int domid, int *up)
{
    struct xenstore_domain_interface *intf;

    if (make_ring(dir, domid) || mxs_introduce(dom0, domid, 0x1000 + domid, 9))
        return NULL;
    intf = guest_page(dir, domid, up);
    /* Wait for the daemon to take it (CONNECTED is 0: wait for its kick). */
    sleep_ms(100);
    return intf;
}

/* The daemon still serves dom0's socket and the other guest's ring. */
static int daemon_alive(struct mxs_handle *dom0)
{
    char *val = NULL;
    unsigned int n;
    int ok = mxs_read(dom0, 0, "/local/domain/0/secret", &val, &n) == 0;

    free(val);
    return ok;
}

static void test_hostile_rings(struct mxs_handle *dom0, const char *dir)
{
    struct xenstore_domain_interface *six, *seven;
    struct xsd_sockmsg hdr = { XS_READ, 1, 0, 5000 }, ok_hdr = { XS_READ, 2, 0, 4 };
    int up6 = -1, up7 = -1, i, ok;
    uint32_t rsp;

    six = hostile_domain(dom0, dir, 6, &up6);
    seven = hostile_domain(dom0, dir, 7, &up7);
    if (!six || !seven) {
        report("ring-hostile-indices", 0, "setting up domains 6 and 7 failed");
        return;
    }
    /* Domain 6: a producer index 5000 bytes ahead of the consumer. */
    __atomic_store_n(&six->req_prod, six->req_cons + 5000, __ATOMIC_RELEASE);
    if (write(up6, "x", 1) != 1)
        perror("notify");
    for (i = 0; i < 50 && six->error != XENSTORE_ERROR_RINGIDX; i++)
        sleep_ms(20);
    ok = six->error == XENSTORE_ERROR_RINGIDX && daemon_alive(dom0);
    report("ring-hostile-indices", ok,
           "no XENSTORE_ERROR_RINGIDX, or the daemon stopped answering");

    /*
     * Domain 7: a valid request is answered; then a header announcing 5000
     * bytes, after which a valid request is not.
     */
    guest_put(seven, up7, &ok_hdr, sizeof(ok_hdr));
    guest_put(seven, up7, "foo", 4);
    for (i = 0; i < 50 && !seven->rsp_prod; i++)
        sleep_ms(20);
    rsp = seven->rsp_prod;
    guest_put(seven, up7, &hdr, sizeof(hdr));
    sleep_ms(200);
    guest_put(seven, up7, &ok_hdr, sizeof(ok_hdr));
    guest_put(seven, up7, "foo", 4);
    sleep_ms(300);
    ok = rsp && seven->rsp_prod == rsp && daemon_alive(dom0);
    report("ring-hostile-length", ok,
           "no answer to a valid request, or one after a 5000-byte "
           "header, or the daemon stopped answering");

    /* Both are still introduced domains, released as usual. */
    ok = mxs_release(dom0, 6) == 0 && mxs_release(dom0, 7) == 0 &&
         daemon_alive(dom0);
    report("ring-hostile-release", ok, "RELEASE of a dropped ring failed");
    munmap(six, XS_SHM_PAGE);
    munmap(seven, XS_SHM_PAGE);
    close(up6);
    close(up7);
}

/* A second INTRODUCE binds the channel again; the ring keeps working. */
static void test_reintroduce(struct mxs_handle *dom0, const char *dir)
{
    struct xsd_sockmsg req = { XS_READ, 3, 0, 4 };
    struct xenstore_domain_interface *intf;
    int up = -1, i, ok;

    intf = hostile_domain(dom0, dir, 8, &up);
    ok = intf && mxs_introduce(dom0, 8, 0x1008, 9) == 0;
    if (ok) {
        sleep_ms(100);
        guest_put(intf, up, &req, sizeof(req));
        guest_put(intf, up, "foo", 4);
        for (i = 0; i < 50 && !intf->rsp_prod; i++)
            sleep_ms(20);
        ok = intf->rsp_prod != 0 && mxs_release(dom0, 8) == 0;
    }
    report("ring-reintroduce", ok,
           "second INTRODUCE failed, or the ring went unanswered after it");
    if (intf)
        munmap(intf, XS_SHM_PAGE);
    if (up >= 0)
        close(up);
}

int main(int argc, char **argv)
{
    int go[2], done[2], status, ok;
    struct mxs_perm p[2] = { { 0, MXS_PERM_NONE }, { DOMID, MXS_PERM_READ } };
    struct mxs_perm own = { DOMID, MXS_PERM_NONE }, *got;
    struct mxs_handle *dom0;
    unsigned int n;
    char c, *val;
    pid_t pid;

    if (argc != 3) {
        fprintf(stderr, "usage: xs-ring SOCKET RINGDIR\n");
        return 2;
    }
    dom0 = mxs_open(argv[1]);
    if (!dom0 || make_ring(argv[2], DOMID) || pipe(go) || pipe(done)) {
        perror("setup");
        return 2;
    }
    /* The toolstack's part: home directory, writable data/, introduce. */
    mxs_write(dom0, 0, "/local/domain/0/secret", "s", 1);
    mxs_mkdir(dom0, 0, "/local/domain/5/data");
    mxs_set_perms(dom0, 0, "/local/domain/5", p, 2);
    mxs_set_perms(dom0, 0, "/local/domain/5/data", &own, 1);
    ok = mxs_watch(dom0, "@introduceDomain", "i") == 0 &&
         mxs_read_watch(dom0, 5000, &val, &val) == 0;
    ok = ok && mxs_introduce(dom0, DOMID, 0x1234, 7) == 0 &&
         expect_event(dom0, "@introduceDomain", "i");
    report("ring-introduce", ok, "INTRODUCE failed or no @introduceDomain");

    pid = fork();
    if (pid == 0)
        _exit(guest(argv[2], go[0], done[1]));
    ok = read(done[0], &c, 1) == 1 &&
         mxs_write(dom0, 0, "/local/domain/5/data/fromdom0", "x", 1) == 0 &&
         write(go[1], "g", 1) == 1;
    waitpid(pid, &status, 0);
    ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok)
        fprintf(stderr, "guest status %d\n", WEXITSTATUS(status));
    report("ring-guest-two-processes", ok, "guest-side checks failed");

    ok = mxs_get_perms(dom0, 0, "/local/domain/5/data/x", &got, &n) == 0 &&
         n == 1 && got[0].id == DOMID;
    report("ring-guest-owns-its-nodes", ok, "created node not owned by dom5");
    ok = mxs_read(dom0, 0, "/local/domain/5/data/tx", &val, &n) == 0;
    report("ring-guest-transaction", ok, "transaction write not committed");

    ok = mxs_watch(dom0, "@releaseDomain", "r") == 0 &&
         expect_event(dom0, "@releaseDomain", "r") &&
         mxs_release(dom0, DOMID) == 0 &&
         expect_event(dom0, "@releaseDomain", "r");
    report("ring-release", ok, "RELEASE failed or no @releaseDomain");
    test_hostile_rings(dom0, argv[2]);
    test_reintroduce(dom0, argv[2]);
    mxs_close(dom0);
    return failures ? 1 : 0;
}
