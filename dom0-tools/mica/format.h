/* SPDX-License-Identifier: MIT */
/*
 * format.h - the byte-exact tables xl prints (list, vcpu-list, uptime,
 * sched-credit, info), from plain values.  Pure: a FILE is handed in.
 */
#ifndef MICA_FORMAT_H
#define MICA_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One row of `list`, from getdomaininfo and the domain's xenstore name. */
struct dom_row {
    const char *name;               /* NULL: "(null)", as xl shows a dying domain */
    uint32_t domid;
    uint64_t mem_kb;                /* (tot_pages + outstanding) * 4 */
    unsigned int vcpus;             /* online */
    uint32_t flags;                 /* XEN_DOMINF_*, shutdown reason in bits 16..23 */
    uint64_t cpu_ns;
    uint8_t handle[16];
};

/* The 6 letters "rbpsRd": running, blocked, paused, shutdown, reason, dying. */
void fmt_state(char out[7], uint32_t flags);
void fmt_list_header(FILE *f, bool verbose);
void fmt_list_row(FILE *f, const struct dom_row *r, bool verbose);

/* " 0:00:35" or "1 day,  2:03:04": xl's uptime column. */
void fmt_uptime(char *buf, size_t len, uint64_t secs);
void fmt_uptime_header(FILE *f);
void fmt_uptime_row(FILE *f, const char *name, uint32_t domid, uint64_t secs);

void fmt_vcpu_header(FILE *f);
/* cpu < 0: the vCPU is offline. */
void fmt_vcpu_row(FILE *f, const char *name, uint32_t domid, unsigned int vcpu,
                  int cpu, bool running, bool blocked, uint64_t time_ns,
                  const char *hard, const char *soft);

void fmt_sched_header(FILE *f);
void fmt_sched_row(FILE *f, const char *name, uint32_t domid, unsigned int weight,
                   unsigned int cap);

/* "key                    : value" */
void fmt_info(FILE *f, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
