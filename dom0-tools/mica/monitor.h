/* SPDX-License-Identifier: MIT */
/*
 * monitor.h - one monitor process per domain, as xl forks one: it waits
 * for the domain's death and applies on_poweroff / on_reboot / on_crash /
 * on_watchdog (destroy, restart, rename-restart, preserve), logging xl's
 * lines to /var/log/mica/mica-NAME.log.
 */
#ifndef MICA_MONITOR_H
#define MICA_MONITOR_H

#include <stdint.h>

#include "domcfg.h"
#include "mica.h"

#define MONITOR_LOG_DIR "/var/log/mica"

/*
 * Fork the monitor of 'domid' (created from 'd') and return in the parent:
 * the child's pid, or -errno.  The child keeps 'd' for restarts and
 * closes the parent's handles in 'c' to open its own.
 */
int monitor_start(struct mica_ctx *c, const struct domcfg *d, uint32_t domid);

#endif
