/* SPDX-License-Identifier: MIT */
/*
 * xenbus/main.c - micastored's command line, start-up and shutdown.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "daemon.h"
#include "dump.h"
#include "log.h"
#include "quota.h"
#include "ring.h"
#include "socket.h"
#include "xen.h"

static const char usage_text[] =
"Usage: micastored [OPTION]...\n"
"The Mica xenstore daemon: serves the configuration store to dom0 tools\n"
"over a UNIX socket and to guests over shared rings.\n"
"\n"
"  -F, --foreground        stay in the foreground (default: daemonize)\n"
"  -s, --socket PATH       listen on PATH (default: $XENSTORED_RUNDIR/socket,\n"
"                          else /var/run/xenstored/socket)\n"
"  -l, --log FILE          append log messages to FILE (default: stderr)\n"
"  -v, --verbose           log informational messages too\n"
"  -T, --trace             log every request (XS_CONTROL \"log on\")\n"
"  -D, --dump FILE         write the state to FILE on SIGUSR1 and on exit\n"
"  -R, --restore FILE      start from the state saved in FILE\n"
"  -Q, --quota NAME=VALUE  override a quota (see XS_CONTROL \"quota\");\n"
"                          may be repeated\n"
"  -r, --ring-dir DIR      serve introduced domains through shared-memory\n"
"                          rings in DIR (testing without a hypervisor)\n"
"  -x, --xen               serve the hypervisor's rings: dom0's kernel and\n"
"                          every introduced domain (the default when\n"
"                          /dev/xen/evtchn exists); fail if that cannot be\n"
"  -X, --no-xen            serve the socket only, even in dom0\n"
"  -p, --pid-file FILE     write the daemon's process id to FILE\n"
"  -h, --help              show this help and exit\n";

static const struct option long_opts[] = {
    { "foreground", no_argument, NULL, 'F' },
    { "socket", required_argument, NULL, 's' },
    { "log", required_argument, NULL, 'l' },
    { "verbose", no_argument, NULL, 'v' },
    { "trace", no_argument, NULL, 'T' },
    { "dump", required_argument, NULL, 'D' },
    { "restore", required_argument, NULL, 'R' },
    { "quota", required_argument, NULL, 'Q' },
    { "ring-dir", required_argument, NULL, 'r' },
    { "xen", no_argument, NULL, 'x' },
    { "no-xen", no_argument, NULL, 'X' },
    { "pid-file", required_argument, NULL, 'p' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

enum xen_mode { XEN_AUTO, XEN_ON, XEN_OFF };

struct options {
    bool foreground;
    enum xen_mode xen;
    const char *socket, *log, *dump, *restore, *ring_dir, *pid_file;
};

static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "micastored: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(1);
}

static void parse_options(int argc, char **argv, struct options *o)
{
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":Fs:l:vTD:R:Q:r:xXp:h", long_opts,
                            NULL)) != -1) {
        switch (c) {
        case 'F': o->foreground = true; break;
        case 's': o->socket = optarg; break;
        case 'l': o->log = optarg; break;
        case 'v': xs_log_set_level(XS_LOG_INFO); break;
        case 'T': xs_log_set_trace(true); break;
        case 'D': o->dump = optarg; break;
        case 'R': o->restore = optarg; break;
        case 'r': o->ring_dir = optarg; break;
        case 'x': o->xen = XEN_ON; break;
        case 'X': o->xen = XEN_OFF; break;
        case 'p': o->pid_file = optarg; break;
        case 'Q':
            if (xs_quota_parse(optarg))
                die("bad quota '%s' (want NAME=VALUE, see --help)", optarg);
            break;
        case 'h':
            fputs(usage_text, stdout);
            exit(0);
        case ':':
            die("option '%s' needs an argument", argv[optind - 1]);
            break;
        default:
            die("unknown option '%s' (try --help)", argv[optind - 1]);
        }
    }
    if (optind < argc)
        die("unexpected argument '%s' (try --help)", argv[optind]);
    if (o->ring_dir && o->xen == XEN_ON)
        die("%s", "--ring-dir and --xen exclude each other");
    if (o->ring_dir || (o->xen == XEN_AUTO && !xs_xen_present()))
        o->xen = XEN_OFF;
}

/*
 * After daemonizing: privcmd mappings do not survive fork().  Without
 * --xen a failure leaves the socket served, with a line in the log.
 */
static int start_xen(const struct options *o, struct xs_loop_cfg *cfg)
{
    int rc;

    if (o->xen == XEN_OFF)
        return 0;
    rc = xs_xen_start(cfg);
    if (rc == -ENOSYS)
        log_err("built without the hypervisor backend (libmica)");
    if (rc && o->xen == XEN_ON)
        return rc;
    if (rc)
        log_warn("serving the socket only");
    return 0;
}

static void daemonize(void)
{
    pid_t pid = fork();
    int fd;

    if (pid < 0)
        die("fork: %s", strerror(errno));
    if (pid > 0)
        _exit(0);
    setsid();
    fd = open("/dev/null", O_RDWR);
    if (fd >= 0) {
        dup2(fd, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        if (fd > 2)
            close(fd);
    }
}

int main(int argc, char **argv)
{
    struct options o = { 0 };
    struct xs_loop_cfg cfg = { .event_fd = -1 };
    char path[4096];
    int rc;

    xs_quota_defaults();
    parse_options(argc, argv, &o);
    if (o.log && (rc = xs_log_open(o.log)))
        die("cannot open log file: %s", strerror(-rc));
    if (!o.socket) {
        if (xs_socket_default_path(path, sizeof(path)))
            die("%s", "socket path too long");
        o.socket = path;
    }
    if (o.ring_dir && xs_ring_shm_init(o.ring_dir))
        die("bad ring directory '%s'", o.ring_dir);
    if (xs_daemon_init())
        die("%s", "out of memory");
    if (o.restore && (rc = xs_dump_read(o.restore))) {
        fprintf(stderr, "micastored: cannot restore from %s: %s\n",
                o.restore, strerror(-rc));
        return 1;
    }
    cfg.listen_fd = xs_socket_listen(o.socket);
    if (cfg.listen_fd < 0) {
        fprintf(stderr, "micastored: cannot listen on %s: %s\n", o.socket,
                strerror(-cfg.listen_fd));
        return 1;
    }
    cfg.dump_file = o.dump;
    if (!o.foreground)
        daemonize();
    if (o.pid_file) {
        FILE *f = fopen(o.pid_file, "w");

        if (f) {
            fprintf(f, "%d\n", (int)getpid());
            fclose(f);
        }
    }
    log_info("listening on %s", o.socket);
    rc = start_xen(&o, &cfg);
    if (rc) {
        log_err("--xen: cannot serve the hypervisor's rings: %s", strerror(-rc));
    } else {
        rc = xs_loop_run(&cfg);
        if (rc)
            log_err("event loop failed: %s", strerror(-rc));
    }
    close(cfg.listen_fd);
    unlink(o.socket);
    xs_daemon_fini();
    xs_xen_stop();
    xs_log_close();
    return rc ? 1 : 0;
}
