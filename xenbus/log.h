/* SPDX-License-Identifier: MIT */
/*
 * xenbus/log.h - daemon logging: one line per event, to a file or stderr.
 */
#ifndef XENBUS_LOG_H
#define XENBUS_LOG_H

#include <stdbool.h>

enum xs_log_level { XS_LOG_ERR, XS_LOG_WARN, XS_LOG_INFO, XS_LOG_DEBUG };

int xs_log_open(const char *file);
void xs_log_close(void);
void xs_log_set_level(enum xs_log_level lvl);
void xs_log_set_trace(bool on);
bool xs_log_tracing(void);
void xs_log(enum xs_log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_err(...)   xs_log(XS_LOG_ERR, __VA_ARGS__)
#define log_warn(...)  xs_log(XS_LOG_WARN, __VA_ARGS__)
#define log_info(...)  xs_log(XS_LOG_INFO, __VA_ARGS__)
#define log_debug(...) xs_log(XS_LOG_DEBUG, __VA_ARGS__)

#endif
