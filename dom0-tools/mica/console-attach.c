/* SPDX-License-Identifier: MIT */
/*
 * console-attach.c - the one place mica calls mica_console_attach()
 * (dom0-tools/consoled/client.h).  A build without the console client
 * (MICA_NO_CONSOLE_CLIENT) says so instead of pretending.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "console-attach.h"

#ifndef MICA_NO_CONSOLE_CLIENT
#include <client.h>

int console_attach(uint32_t domid)
{
    int rc = mica_console_attach(domid, 0, 1);

    if (rc == -ENOENT)
        fprintf(stderr, "mica: domain %u has no console served (is mica-consoled running?)\n",
                domid);
    else if (rc)
        fprintf(stderr, "mica: console of domain %u: %s\n", domid, strerror(-rc));
    return rc;
}
#else
int console_attach(uint32_t domid)
{
    (void)domid;
    fprintf(stderr, "console: command not implemented by Mica yet (no console client built)\n");
    return -ENOSYS;
}
#endif
