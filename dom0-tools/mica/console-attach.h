/* SPDX-License-Identifier: MIT */
/*
 * console-attach.h - stdin/stdout to a domain's console, for `console` and
 * `create -c`, through mica-consoled's client library when it is built in.
 */
#ifndef MICA_CONSOLE_ATTACH_H
#define MICA_CONSOLE_ATTACH_H

#include <stdint.h>

/* 0 after a detach or the console's end; else -errno, reported on stderr. */
int console_attach(uint32_t domid);

#endif
