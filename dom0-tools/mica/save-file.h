/* SPDX-License-Identifier: MIT */
/*
 * save-file.h - what save, restore and migrate share: suspending a guest
 * as libxl does, writing it to a file descriptor, and the config that
 * goes with it (cmd-save.c, save-config.c).
 */
#ifndef MICA_SAVE_FILE_H
#define MICA_SAVE_FILE_H

#include <stdint.h>

#include "mica.h"

struct mica_save_stats;

/* control/shutdown = suspend and wait for it (60 s + 60 s); 0 or 1. */
int save_suspend(struct mica_ctx *c, uint32_t id);
/* Suspend and save to 'fd'; 0, or 1 with the guest resumed. */
int save_to_fd(struct mica_ctx *c, uint32_t id, int fd, const char *config,
               struct mica_save_stats *st);
/*
 * The xl.cfg text to store: the file at 'path', or without one a config
 * written from the running domain (name, memory, maxmem, vcpus,
 * maxvcpus).  malloc'd, NULL on failure.
 */
char *save_config(struct mica_ctx *c, uint32_t id, const char *path);

#endif
