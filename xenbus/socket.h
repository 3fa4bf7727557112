/* SPDX-License-Identifier: MIT */
/*
 * xenbus/socket.h - the UNIX socket transport for dom0 tools.
 */
#ifndef XENBUS_SOCKET_H
#define XENBUS_SOCKET_H

#include <stddef.h>

#define XS_DEFAULT_RUNDIR   "/var/run/xenstored"
#define XS_MAX_SOCKET_CONNS 4096

int xs_socket_default_path(char *buf, size_t size);
int xs_socket_listen(const char *path);
int xs_socket_accept(int lfd);

#endif
