/* SPDX-License-Identifier: MIT */
/*
 * tests/bench/xenstore/xs-bench.c [DAEMON_PID [NODES]] - latency and
 * throughput of a xenstore daemon through Debian's libxenstore (so the
 * same binary can measure any daemon), and the daemon's memory per node.
 * Connects where libxenstore does ($XENSTORED_PATH). Prints figures only;
 * nothing here is a pass/fail assertion.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xenstore.h>

#define BASE "/bench"

enum op { OP_READ, OP_WRITE, OP_DIR, OP_TX, NR_OPS };
static const char *const op_names[NR_OPS] = { "read", "write", "directory",
                                              "transaction (rmw)" };

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int do_op(struct xs_handle *h, enum op op, int id, int i)
{
    char path[64], val[32];
    unsigned int len, n;
    void *p;

    snprintf(path, sizeof(path), BASE "/c%d/k%d", id, i % 10);
    switch (op) {
    case OP_READ:
        p = xs_read(h, XBT_NULL, path, &len);
        free(p);
        return p ? 0 : -1;
    case OP_WRITE:
        snprintf(val, sizeof(val), "%d", i);
        return xs_write(h, XBT_NULL, path, val, strlen(val)) ? 0 : -1;
    case OP_DIR:
        snprintf(path, sizeof(path), BASE "/c%d", id);
        p = xs_directory(h, XBT_NULL, path, &n);
        free(p);
        return p ? 0 : -1;
    case OP_TX:
        for (;;) {
            xs_transaction_t t = xs_transaction_start(h);

            if (t == XBT_NULL)
                return -1;
            p = xs_read(h, t, path, &len);
            free(p);
            snprintf(val, sizeof(val), "%d", i);
            xs_write(h, t, path, val, strlen(val));
            if (xs_transaction_end(h, t, false))
                return 0;
        }
    default:
        return -1;
    }
}

struct worker {
    pthread_t thread;
    int id, iters, errors;
    enum op op;
    pthread_barrier_t *start;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct xs_handle *h = xs_open(0);
    int i;

    pthread_barrier_wait(w->start);
    for (i = 0; h && i < w->iters; i++)
        w->errors += do_op(h, w->op, w->id, i) != 0;
    if (!h)
        w->errors = w->iters;
    xs_close(h);
    return NULL;
}

/* Runs 'op' on 'nclients' connections; returns total ops per second. */
static double run(enum op op, int nclients, int iters, double *lat_us)
{
    struct worker *w = calloc(nclients, sizeof(*w));
    pthread_barrier_t start;
    double t0, t;
    int i, errors = 0;

    pthread_barrier_init(&start, NULL, nclients + 1);
    for (i = 0; i < nclients; i++) {
        w[i] = (struct worker){ .id = i, .iters = iters, .op = op,
                                .start = &start };
        pthread_create(&w[i].thread, NULL, worker_main, &w[i]);
    }
    pthread_barrier_wait(&start);
    t0 = now();
    for (i = 0; i < nclients; i++) {
        pthread_join(w[i].thread, NULL);
        errors += w[i].errors;
    }
    t = now() - t0;
    if (errors)
        fprintf(stderr, "%s: %d errors\n", op_names[op], errors);
    *lat_us = t * 1e6 / iters;
    free(w);
    pthread_barrier_destroy(&start);
    return nclients * (double)iters / t;
}

static long rss_kb(const char *pid)
{
    char path[64], line[256];
    long kb = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%s/status", pid);
    f = fopen(path, "r");
    while (f && fgets(line, sizeof(line), f))
        if (!strncmp(line, "VmRSS:", 6))
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

static void memory_per_node(const char *pid, long nodes)
{
    struct xs_handle *h = xs_open(0);
    long before = rss_kb(pid), after, i;
    char path[64];
    double t0 = now();

    if (!h || before < 0) {
        fprintf(stderr, "memory: cannot connect or read /proc/%s\n", pid);
        return;
    }
    /* 1000 nodes per directory, each with a short value. */
    for (i = 0; i < nodes; i++) {
        snprintf(path, sizeof(path), BASE "/mem/d%ld/n%ld", i / 1000,
                 i % 1000);
        if (!xs_write(h, XBT_NULL, path, "value", 5)) {
            fprintf(stderr, "memory: write %s failed\n", path);
            break;
        }
    }
    after = rss_kb(pid);
    printf("memory: %ld nodes written in %.1f s, daemon RSS %ld -> %ld KiB, "
           "%.0f bytes/node\n", i, now() - t0, before, after,
           (after - before) * 1024.0 / (i ? i : 1));
    xs_rm(h, XBT_NULL, BASE "/mem");
    xs_close(h);
}

int main(int argc, char **argv)
{
    static const int clients[] = { 1, 32 };
    struct xs_handle *h = xs_open(0);
    int c, op, i;

    if (!h) {
        perror("xs_open");
        return 1;
    }
    /* Fixtures: 32 client directories of 10 keys each. */
    for (c = 0; c < 32; c++)
        for (i = 0; i < 10; i++) {
            char path[64];

            snprintf(path, sizeof(path), BASE "/c%d/k%d", c, i);
            xs_write(h, XBT_NULL, path, "0", 1);
        }
    xs_close(h);
    printf("%-20s %8s %14s %14s\n", "operation", "clients", "latency (us)",
           "total ops/s");
    for (op = 0; op < NR_OPS; op++)
        for (c = 0; c < 2; c++) {
            int iters = clients[c] == 1 ? 5000 : 500;
            double lat, tput = run(op, clients[c], iters, &lat);

            printf("%-20s %8d %14.1f %14.0f\n", op_names[op], clients[c],
                   lat, tput);
        }
    if (argc > 1)
        memory_per_node(argv[1], argc > 2 ? atol(argv[2]) : 1000000);
    return 0;
}
