/* SPDX-License-Identifier: MIT */
/*
 * xenbus/dump.h - saving and restoring the daemon's state across restarts.
 */
#ifndef XENBUS_DUMP_H
#define XENBUS_DUMP_H

int xs_dump_write(const char *file);
int xs_dump_read(const char *file);

#endif
