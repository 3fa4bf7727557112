/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/console-main.c - mica-console DOMID: the console
 * client alone, for scripts and tests until `mica console` calls
 * mica_console_attach() itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "client.h"

int main(int argc, char **argv)
{
    char *end;
    unsigned long domid;
    int rc;

    if (argc != 2 || !*argv[1]) {
        fprintf(stderr, "usage: mica-console DOMID\n");
        return 2;
    }
    domid = strtoul(argv[1], &end, 10);
    if (*end || domid > 0x7fef) {
        fprintf(stderr, "mica-console: '%s' is not a domain id\n", argv[1]);
        return 2;
    }
    rc = mica_console_attach((unsigned int)domid, STDIN_FILENO,
                             STDOUT_FILENO);
    if (rc == -ENOENT)
        fprintf(stderr, "mica-console: domain %lu has no console served\n",
                domid);
    else if (rc)
        fprintf(stderr, "mica-console: %s\n", strerror(-rc));
    return rc ? 1 : 0;
}
