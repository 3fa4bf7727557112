/* SPDX-License-Identifier: MIT */
/*
 * main.c - micatop's command line: xentop's options (-d -b -i -n -v -x
 * -r -f, -h, -V) plus -w and --json, then batch mode or the screen.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "micatop.h"
#include "prof.h"

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
    (void)sig;
    stop = 1;
}

bool mt_stopped(void)
{
    return stop;
}

bool mt_sleep(double seconds)
{
    struct timespec ts = { (time_t)seconds, (long)((seconds - floor(seconds)) * 1e9) };

    while (!stop && nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
    return !stop;
}

static void usage(FILE *f, const char *prog)
{
    fprintf(f,
        "Usage: %s [OPTION]\n"
        "Displays ongoing information about the domains of a Mica (Xen) host\n"
        "\n"
        "-h, --help           display this help and exit\n"
        "-V, --version        output version information and exit\n"
        "-d, --delay=SECONDS  seconds between updates (default 3)\n"
        "-n, --networks       output vif network data\n"
        "-x, --vbds           output vbd block device data\n"
        "-r, --repeat-header  repeat table header before each domain\n"
        "-v, --vcpus          output vcpu data\n"
        "-b, --batch          output in batch mode, no user input accepted\n"
        "-i, --iterations     number of iterations before exiting\n"
        "-f, --full-name      output the full domain name (not truncated)\n"
        "-w, --wrap           wrap long rows on the screen as xentop does\n"
        "                     (default: cut at the edge, Left/Right scroll)\n"
        "    --json           with -b: one JSON line per update, for scripts\n"
        "\n"
        "Keys: D delay, N networks, B vbds, V vcpus, R repeat header, S sort order,\n"
        "Up/Down/PgUp/PgDn scroll, Enter details of the selected domain, Q quit.\n", prog);
}

/* A number of seconds: positive, at most a day; false on anything else. */
static bool parse_delay(const char *s, double *out)
{
    char *end;
    double d;

    errno = 0;
    d = strtod(s, &end);
    if (errno || end == s || *end || !(d >= 0.1 && d <= 86400))
        return false;
    *out = d;
    return true;
}

static bool parse_count(const char *s, long *out)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(s, &end, 10);
    if (errno || end == s || *end || n < 1)
        return false;
    *out = n;
    return true;
}

static int parse(int argc, char **argv, struct mt_opts *o)
{
    static const struct option longs[] = {
        { "help", no_argument, NULL, 'h' },          { "version", no_argument, NULL, 'V' },
        { "delay", required_argument, NULL, 'd' },   { "networks", no_argument, NULL, 'n' },
        { "vbds", no_argument, NULL, 'x' },          { "repeat-header", no_argument, NULL, 'r' },
        { "vcpus", no_argument, NULL, 'v' },         { "batch", no_argument, NULL, 'b' },
        { "iterations", required_argument, NULL, 'i' },
        { "full-name", no_argument, NULL, 'f' },     { "wrap", no_argument, NULL, 'w' },
        { "json", no_argument, NULL, 'j' },          { NULL, 0, NULL, 0 },
    };
    int ch;

    while ((ch = getopt_long(argc, argv, "hVd:nxrvbi:fw", longs, NULL)) != -1) {
        switch (ch) {
        case 'h': usage(stdout, argv[0]); return 0;
        case 'V': printf("micatop 1.0 (xentop 1.0 compatible)\n"); return 0;
        case 'd':
            if (!parse_delay(optarg, &o->delay)) {
                fprintf(stderr, "micatop: delay must be 0.1 to 86400 seconds, not '%s'\n", optarg);
                return 1;
            }
            break;
        case 'i':
            if (!parse_count(optarg, &o->iterations)) {
                fprintf(stderr, "micatop: iterations must be a positive number, not '%s'\n",
                        optarg);
                return 1;
            }
            break;
        case 'n': o->view.nets = true; break;
        case 'x': o->view.vbds = true; break;
        case 'r': o->view.repeat_header = true; break;
        case 'v': o->view.vcpus = true; break;
        case 'b': o->batch = true; break;
        case 'f': o->view.full_name = true; break;
        case 'w': o->wide = true; break;
        case 'j': o->json = true; break;
        default: usage(stderr, argv[0]); return 1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "micatop: unexpected argument '%s'\n", argv[optind]);
        return 1;
    }
    if (o->json && !o->batch) {
        fprintf(stderr, "micatop: --json needs -b\n");
        return 1;
    }
    return -1;
}

int main(int argc, char **argv)
{
    struct mt_opts o = { 3.0, -1, false, false, false, { false, false, false, false, false, MT_NAME } };
    struct sigaction sa;
    struct mt_coll c;
    char err[160];
    int rc = parse(argc, argv, &o);

    if (rc >= 0)
        return rc;
    if (!o.batch && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
        fprintf(stderr, "micatop: the screen needs a terminal (batch mode: -b)\n");
        return 1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop;
    /* Not restarted: the screen's getch() returns and sees the flag. */
    sigaction(SIGTERM, &sa, NULL);
    if (o.batch)
        sigaction(SIGINT, &sa, NULL);
    /* A reader that went away (| head) ends batch mode quietly. */
    signal(SIGPIPE, SIG_IGN);
    if (mt_coll_open(&c, err, sizeof(err)) < 0) {
        fprintf(stderr, "micatop: %s\n", err);
        return 1;
    }
    mt_prof_init();
    rc = o.batch ? mt_batch(&c, &o) : mt_screen(&c, &o);
    mt_coll_close(&c);
    mt_prof_report();
    return rc;
}
