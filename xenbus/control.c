/* SPDX-License-Identifier: MIT */
/*
 * xenbus/control.c - XS_CONTROL (xenstore-control): help, log, quota,
 * check. Privileged callers only (enforced by the dispatch table).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "log.h"
#include "proto.h"
#include "quota.h"
#include "tree.h"

#define CONTROL_ARGS 4

static int ctl_help(struct xs_req *r, const char **argv, int argc);

static int ctl_log(struct xs_req *r, const char **argv, int argc)
{
    if (argc == 1)
        return xs_reply_str(r, xs_log_tracing() ? "on" : "off");
    if (argc != 2)
        return -EINVAL;
    if (!strcmp(argv[1], "on"))
        xs_log_set_trace(true);
    else if (!strcmp(argv[1], "off"))
        xs_log_set_trace(false);
    else
        return -EINVAL;
    return xs_reply_ok(r);
}

static int ctl_quota(struct xs_req *r, const char **argv, int argc)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    int rc;

    if (argc == 3) {
        rc = xs_quota_set(argv[1], argv[2]);
        if (rc)
            return -EINVAL;
        return xs_reply_ok(r);
    }
    if (argc != 1)
        return -EINVAL;
    rc = xs_quota_format(buf, sizeof(buf));
    if (rc < 0)
        return rc;
    return xs_reply(r, buf, rc + 1);
}

static int ctl_check(struct xs_req *r, const char **argv, int argc)
{
    char buf[64];
    int bad;

    (void)argv;
    if (argc != 1)
        return -EINVAL;
    bad = xs_tree_check();
    if (!bad)
        return xs_reply_str(r, "OK");
    snprintf(buf, sizeof(buf), "%d inconsistencies", bad);
    return xs_reply_str(r, buf);
}

static const struct {
    const char *name;
    int (*fn)(struct xs_req *r, const char **argv, int argc);
    const char *usage;
} commands[] = {
    { "check", ctl_check, "check            verify the tree's consistency" },
    { "help", ctl_help, "help             this list" },
    { "log", ctl_log, "log [on|off]     trace every request to the log" },
    { "quota", ctl_quota, "quota [name val] show or set a quota" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static int ctl_help(struct xs_req *r, const char **argv, int argc)
{
    char buf[1024];
    size_t off = 0, i;

    (void)argv;
    (void)argc;
    for (i = 0; i < NR_COMMANDS; i++)
        off += snprintf(buf + off, sizeof(buf) - off, "%s\n",
                        commands[i].usage);
    return xs_reply_str(r, buf);
}

int xs_do_control(struct xs_req *r)
{
    const char *argv[CONTROL_ARGS];
    int argc = xs_req_args(r, argv, CONTROL_ARGS);
    size_t i;

    if (argc < 1)
        return -EINVAL;
    for (i = 0; i < NR_COMMANDS; i++)
        if (!strcmp(argv[0], commands[i].name))
            return commands[i].fn(r, argv, argc);
    return -EINVAL;
}
