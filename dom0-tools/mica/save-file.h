/* SPDX-License-Identifier: MIT */
/*
 * save-file.h - what save, restore and migrate share: suspending a guest
 * as libxl does, writing it to a file descriptor, and the config that
 * goes with it (cmd-save.c, save-config.c).
 */
#ifndef MICA_SAVE_FILE_H
#define MICA_SAVE_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "mica.h"

struct mica_save_stats;

/* control/shutdown = suspend and wait for it (60 s + 60 s); 0 or 1. */
int save_suspend(struct mica_ctx *c, uint32_t id);
/*
 * A cancelled suspend, as libxl's domain_resume: the guest sees 1 from
 * SCHEDOP_shutdown and runs on, then XS_RESUME; 0, or 1 with the reason
 * printed.
 */
int save_resume_cancelled(struct mica_ctx *c, uint32_t id);
/* Suspend and save to 'fd'; 0, or 1 with the guest resumed. */
int save_to_fd(struct mica_ctx *c, uint32_t id, int fd, const char *config,
               struct mica_save_stats *st);
/*
 * The xl.cfg text to store: the file at 'path', or without one a config
 * written from the running domain (name, memory, maxmem, vcpus,
 * maxvcpus).  malloc'd, NULL on failure.
 */
char *save_config(struct mica_ctx *c, uint32_t id, const char *path);

/*
 * cmd-restore.c: dom_create_filled's 'fill' for a stream ('arg' a struct
 * sr_in * at the stream's start), and the config text (a file or the one
 * a stream carries, named 'source' in messages) into 'd'; 0 or 1.
 */
struct mica;
struct mica_build;
struct domcfg;
int restore_fill(struct mica *hv, uint32_t domid, struct mica_build *b, void *arg);
int restore_parse_config(const char *source, const char *text, struct domcfg *d);

/* stream-fd.c: sr_out / sr_in callbacks, ctx an int * (the fd). */
int stream_fd_write(void *ctx, const void *buf, size_t n);
int stream_fd_read(void *ctx, void *buf, size_t n);

#endif
