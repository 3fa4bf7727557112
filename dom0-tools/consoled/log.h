/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/log.h - the daemon's own log: one line per event on
 * stderr (the init script points it at /var/log/mica/consoled.log).
 */
#ifndef CONSOLED_LOG_H
#define CONSOLED_LOG_H

void cons_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
