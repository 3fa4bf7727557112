/* SPDX-License-Identifier: MIT */
/*
 * mica/console.h - the hypervisor console: output drivers and the log ring.
 */
#ifndef MICA_CONSOLE_H
#define MICA_CONSOLE_H

#include <mica/types.h>

struct console_driver {
    const char *name;
    void (*write)(const char *s, size_t len);
    struct console_driver *next;
};

void console_register(struct console_driver *drv);
void console_set_loglevel(int level);
int console_loglevel(void);

/* Emergency mode: drop the console lock (used by panic on a wedged CPU). */
void console_force_unlock(void);

/*
 * The log ring keeps the last 2^CONFIG_LOG_BUF_SHIFT bytes printed.  Bytes
 * are numbered from boot; console_ring_read() copies from *index onwards,
 * moves *index forward and returns the number of bytes copied.  An index
 * that has been overwritten is advanced to the oldest byte still kept.
 */
size_t console_ring_read(uint64_t *index, char *buf, size_t len);
uint64_t console_ring_head(void);
void console_ring_clear(void);

/* Move bytes typed on the serial line into dom0's input ring (timer tick). */
void console_poll_input(void);

struct domain;
/* A guest's text as the console prints it: "(dN) " before each line of a
 * domain other than dom0 (common/console-io.c). */
void console_guest_write(struct domain *d, const char *buf, size_t n);

/*
 * The console rings of boot-time guests, drained onto this console
 * (common/guest-console.c): serve takes references on the ring frame and
 * the domain (-EINVAL: not d's writable frame, -ENOSPC: too many);
 * domain_destroy() releases them; CPU 0's tick polls.
 */
int guest_console_serve(struct domain *d, mfn_t ring);
void guest_console_release(struct domain *d);
void guest_console_poll(void);

#endif
