/* SPDX-License-Identifier: MIT */
/*
 * migrate.h - what `mica migrate` and `mica migrate-receive` share
 * (migrate-chan.c): xl's migration protocol, and the channel it runs on.
 *
 * The protocol is xl 4.17's (tools/xl/xl_migrate.c), byte for byte:
 *
 *   receiver -> sender   the banner, 54 bytes ending in LF
 *   sender -> receiver   the save stream (xl header + config, libxl stream)
 *   receiver -> sender   "domain received, ready to unpause" + NUL; the
 *                        domain exists, paused, as NAME--incoming
 *   sender               renames its copy NAME--migratedaway: past this
 *                        point the sender's copy is not resumed by itself
 *   sender -> receiver   "domain is yours, you are cleared to unpause" + NUL
 *   receiver             renames its copy NAME and unpauses it
 *   receiver -> sender   "my copy unpause results are as follows" + NUL,
 *                        then one status byte: 0 or the failure
 *   sender               destroys its copy (status 0) or resumes it
 *
 * The channel is an ssh child's stdin and stdout, as xl's (`ssh HOST mica
 * migrate-receive`), or, for tests and hosts joined by a private network,
 * a plain TCP connection: `migrate --tcp PORT` connects to HOST:PORT,
 * where `migrate-receive --listen [ADDR:]PORT` accepts one connection.
 */
#ifndef MICA_MIGRATE_H
#define MICA_MIGRATE_H

#include <stddef.h>
#include <sys/types.h>

extern const char mig_banner[];         /* MIG_BANNER_LEN bytes */
extern const char mig_received[];       /* MIG_RECEIVED_LEN, NUL included */
extern const char mig_go[];             /* MIG_GO_LEN, NUL included */
extern const char mig_report[];         /* MIG_REPORT_LEN, NUL included */
#define MIG_BANNER_LEN      54
#define MIG_RECEIVED_LEN    34
#define MIG_GO_LEN          44
#define MIG_REPORT_LEN      39

/* The names the two copies have while both exist. */
#define MIG_SUFFIX_INCOMING "--incoming"
#define MIG_SUFFIX_AWAY     "--migratedaway"

struct mig_chan {
    int in, out;                    /* read from, write to */
    pid_t child;                    /* the ssh rune's shell, or 0 */
};

/* `sh -c RUNE` with its stdin and stdout as the channel; 0 or -errno. */
int mig_spawn(struct mig_chan *ch, const char *rune);
/* A TCP connection to host:port, retried for a few seconds; 0 or -errno. */
int mig_connect(struct mig_chan *ch, const char *host, const char *port);
/*
 * Listen on [ADDR:]PORT (ADDR defaults to every address) and take one
 * connection; 0 or -errno, the reason in 'why'.
 */
int mig_accept(struct mig_chan *ch, const char *spec, char *why, size_t whylen);
/* Close both ends and reap the child (it has 2 s to end, as in xl). */
void mig_close(struct mig_chan *ch);

int mig_send(struct mig_chan *ch, const void *buf, size_t n);
/* Read exactly 'n' bytes, which must be 'msg'; 0, -EPROTO or -errno. */
int mig_expect(struct mig_chan *ch, const char *msg, size_t n);

/* Milliseconds on the monotonic clock. */
double mig_now_ms(void);

#endif
