/* SPDX-License-Identifier: MIT */
/*
 * cmd-console.c - `mica console [-t pv] [-n 0] Domain`: the console
 * client of mica-consoled (dom0-tools/consoled/client.h); Ctrl-] detaches.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "console-attach.h"

int cmd_console(struct mica_ctx *c, int argc, char **argv)
{
    uint32_t id;
    int opt;

    while ((opt = verb_getopt(argc, argv, "t:n:", 1)) != -1) {
        if (opt == 't' && strcmp(optarg, "pv")) {
            fprintf(stderr, "mica: console type %s is not supported by Mica: only pv\n", optarg);
            return 1;
        }
        if (opt == 'n' && strcmp(optarg, "0")) {
            fprintf(stderr, "mica: a PV domain has one console, number 0\n");
            return 1;
        }
    }
    id = cli_find_domain(c, argv[optind]);
    return console_attach(id) ? 1 : 0;
}
