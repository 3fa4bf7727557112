/* SPDX-License-Identifier: MIT */
/*
 * tests/xenstore/xs-concurrency.c SOCKET CLIENTS ITERATIONS - CLIENTS
 * processes each commit ITERATIONS increments of one counter, every
 * increment a read-modify-write transaction retried on EAGAIN. The final
 * value must equal the number of committed transactions.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "micaxs.h"

#define COUNTER "/concurrency/counter"

static int one_client(const char *sock, int iters, int out_fd)
{
    struct mxs_handle *h = mxs_open(sock);
    long commits = 0, conflicts = 0;
    int i;

    if (!h)
        return 1;
    for (i = 0; i < iters; i++) {
        for (;;) {
            uint32_t tx;
            char *val = NULL, buf[32];
            unsigned int len;
            long v = 0;
            int rc = mxs_transaction_start(h, &tx);

            if (rc)
                return 2;
            rc = mxs_read(h, tx, COUNTER, &val, &len);
            if (rc == 0)
                v = strtol(val, NULL, 10);
            else if (rc != -ENOENT)
                return 3;
            free(val);
            snprintf(buf, sizeof(buf), "%ld", v + 1);
            if (mxs_write(h, tx, COUNTER, buf, strlen(buf)))
                return 4;
            rc = mxs_transaction_end(h, tx, false);
            if (rc == 0) {
                commits++;
                break;
            }
            if (rc != -EAGAIN)
                return 5;
            conflicts++;
        }
    }
    dprintf(out_fd, "%ld %ld\n", commits, conflicts);
    mxs_close(h);
    return 0;
}

int main(int argc, char **argv)
{
    const char *name = "concurrency-transactions";
    long commits = 0, conflicts = 0, c, k, final;
    int nclients, iters, i, fds[2], bad = 0, status;
    struct mxs_handle *h;
    char *val;
    FILE *f;

    if (argc != 4) {
        fprintf(stderr, "usage: xs-concurrency SOCKET CLIENTS ITERATIONS\n");
        return 2;
    }
    nclients = atoi(argv[2]);
    iters = atoi(argv[3]);
    if (pipe(fds) < 0)
        return 2;
    for (i = 0; i < nclients; i++) {
        pid_t pid = fork();

        if (pid == 0) {
            close(fds[0]);
            _exit(one_client(argv[1], iters, fds[1]));
        }
        if (pid < 0)
            bad++;
    }
    close(fds[1]);
    f = fdopen(fds[0], "r");
    while (f && fscanf(f, "%ld %ld", &c, &k) == 2) {
        commits += c;
        conflicts += k;
    }
    while (wait(&status) > 0)
        if (!WIFEXITED(status) || WEXITSTATUS(status))
            bad++;
    h = mxs_open(argv[1]);
    if (!h || mxs_read(h, 0, COUNTER, &val, NULL)) {
        printf("TEST xenstore/%s: FAIL cannot read the counter\n", name);
        return 1;
    }
    final = strtol(val, NULL, 10);
    free(val);
    mxs_close(h);
    if (bad || final != commits || commits != (long)nclients * iters) {
        printf("TEST xenstore/%s: FAIL %d clients failed, counter %ld, "
               "%ld commits\n", name, bad, final, commits);
        return 1;
    }
    printf("TEST xenstore/%s: PASS\n", name);
    fprintf(stderr, "%d clients: %ld commits, %ld EAGAIN retries\n",
            nclients, commits, conflicts);
    return 0;
}
