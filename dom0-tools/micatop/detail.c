/* SPDX-License-Identifier: MIT */
/*
 * detail.c - the detail view of one domain (Enter on its row): its row
 * of the table, a wide CPU(%) history, each vCPU's state, CPU and time,
 * its disks and vifs with their counters, and the tail of its console
 * log as mica-consoled keeps it, cleaned of control bytes (tail.h).
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "screen.h"
#include "tail.h"

#define CONSOLE_DIR "/var/log/mica/console"
#define TAIL_BYTES 16384

static void line(struct scr *s, const char *text)
{
    if (!mt_room(s))
        return;
    mt_emit(s, text, A_NORMAL);
    mt_newline(s);
}

static void vcpus(struct scr *s, const struct mt_dom *d)
{
    struct mt_vcpu_detail v;
    char buf[128];
    unsigned int i;

    if (mt_room(s)) {
        mt_emit(s, "VCPU  CPU  State     Time(s)", A_REVERSE);
        mt_newline(s);
    }
    for (i = 0; i < d->nr_vcpus && mt_room(s); i++) {
        /* xl vcpu-list's letters: r running, b blocked, p offline. */
        if (mt_vcpu_detail(s->c, d->domid, i, &v) < 0)
            snprintf(buf, sizeof(buf), "%4u    -  (gone)", i);
        else if (!v.online)
            snprintf(buf, sizeof(buf), "%4u    -  --p   %10.1f", i, (double)v.cpu_ns / 1e9);
        else
            snprintf(buf, sizeof(buf), "%4u  %3u  %c%c-   %10.1f", i, v.cpu,
                     v.running ? 'r' : '-', v.blocked ? 'b' : '-', (double)v.cpu_ns / 1e9);
        line(s, buf);
    }
}

static void devices(struct scr *s, const struct mt_dom *d)
{
    char buf[512];
    unsigned int i;

    snprintf(buf, sizeof(buf), "Disks: %u", d->nr_vbds);
    line(s, buf);
    for (i = 0; i < d->nr_vbds; i++) {
        mt_vbd_line(&d->vbds[i], buf, sizeof(buf));
        line(s, buf);
    }
    snprintf(buf, sizeof(buf), "Vifs: %u", d->nr_vifs);
    line(s, buf);
    for (i = 0; i < d->nr_vifs; i++) {
        mt_vif_line(&d->vifs[i], i, buf, sizeof(buf));
        line(s, buf);
    }
}

/* The end of the log file into buf; its length, or -1 when unreadable. */
static ssize_t read_end(const char *path, char *buf, size_t len)
{
    struct stat st;
    ssize_t got = -1;
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

    if (fd < 0)
        return -1;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        off_t from = st.st_size > (off_t)len ? st.st_size - (off_t)len : 0;

        got = pread(fd, buf, len, from);
    }
    close(fd);
    return got;
}

static void console(struct scr *s, const struct mt_dom *d)
{
    char path[128], head[192], *buf = malloc(TAIL_BYTES), *out;
    size_t rows = LINES - 1 > s->y + 1 ? (size_t)(LINES - 2 - s->y) : 0, width = 255, i, n;
    ssize_t got;

    /* A name is a file name only if it has no '/' and is not a dot name. */
    if (strchr(d->name, '/') || d->name[0] == '.')
        snprintf(path, sizeof(path), "(no log for this name)");
    else
        snprintf(path, sizeof(path), "%s/%s.log", CONSOLE_DIR, d->name);
    got = buf ? read_end(path, buf, TAIL_BYTES) : -1;
    snprintf(head, sizeof(head), "Console %s%s", path, got < 0 ? ": none" : "");
    if (mt_room(s)) {
        mt_emit(s, head, A_REVERSE);
        mt_newline(s);
    }
    out = got > 0 && rows ? malloc(rows * (width + 1)) : NULL;
    n = out ? mt_tail(buf, (size_t)got, rows, width, out) : 0;
    for (i = 0; i < n; i++)
        line(s, out + i * (width + 1));
    free(out);
    free(buf);
}

void mt_draw_detail(struct scr *s)
{
    const struct mt_dom *d = mt_snap_find(s->snap, s->detail_domid);
    char buf[512], spark[61], st[7];

    s->y = s->x = 0;
    mt_draw_top(s);
    if (!d) {
        snprintf(buf, sizeof(buf), "Domain %u is gone.", s->detail_domid);
        line(s, buf);
        return;
    }
    mt_state(d->flags, st);
    snprintf(buf, sizeof(buf), "Domain %s (id %u)  state ", d->name, d->domid);
    mt_emit(s, buf, A_BOLD);
    mt_emit(s, st, mt_state_attr(s, d->flags));
    snprintf(buf, sizeof(buf), "  CPU %.1f%%  memory %" PRIu64 "k of %" PRIu64 "k  vCPUs %u",
             d->cpu_pct, d->mem_kb, d->maxmem_kb == MT_NO_LIMIT ? 0 : d->maxmem_kb,
             d->nr_vcpus);
    mt_emit(s, buf, A_NORMAL);
    mt_newline(s);
    mt_sparkline(&d->hist, 100.0 * (d->nr_vcpus ? d->nr_vcpus : 1), spark, 60);
    snprintf(buf, sizeof(buf), "CPU(%%) history [%s]", spark);
    line(s, buf);
    vcpus(s, d);
    devices(s, d);
    console(s, d);
}
