/* SPDX-License-Identifier: MIT */
/*
 * table.h - one domain's figures and xentop's table of them: the cells of
 * each column, byte for byte as xentop 4.17 prints them (xl-reference
 * §5), the state letters, the summary lines, the per-vCPU, vif and vbd
 * lines, and the sort orders S cycles through.  Pure: strings out.
 */
#ifndef MICATOP_TABLE_H
#define MICATOP_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample.h"

#define MT_NO_LIMIT UINT64_MAX          /* maxmem_kb of an unlimited domain */

enum mt_col {
    MT_NAME, MT_STATE, MT_CPU_SEC, MT_CPU_PCT, MT_MEM, MT_MEM_PCT, MT_MAXMEM,
    MT_MAXMEM_PCT, MT_VCPUS, MT_NETS, MT_NETTX, MT_NETRX, MT_VBDS, MT_VBD_OO,
    MT_VBD_RD, MT_VBD_WR, MT_VBD_RSECT, MT_VBD_WSECT, MT_SSID, MT_NR_COLS
};

struct mt_vif {                         /* one network device, as netback counts */
    uint32_t devid;
    uint64_t tx_bytes, tx_pkts, tx_err, tx_drop;
    uint64_t rx_bytes, rx_pkts, rx_err, rx_drop;
};

struct mt_vbd {                         /* one block device, as blkback counts */
    uint32_t devid;
    uint64_t oo, rd, wr, rsect, wsect;
};

struct mt_dom {
    uint32_t domid;
    char name[64];
    uint32_t flags;                     /* XEN_DOMINF_* */
    uint64_t cpu_ns;
    double cpu_pct;
    uint64_t mem_kb, maxmem_kb;
    unsigned int nr_vcpus;              /* max_vcpu_id + 1 */
    uint64_t *vcpu_ns;                  /* nr_vcpus; MT_VCPU_ABSENT if unknown */
    bool *vcpu_online;
    unsigned int nr_vifs, nr_vbds;
    struct mt_vif *vifs;
    struct mt_vbd *vbds;
    uint32_t ssid;
    struct mt_hist hist;                /* CPU(%) history, carried across samples */
};

/* What the summary lines say about the host. */
struct mt_host {
    uint64_t total_kb, free_kb;
    unsigned int nr_cpus, cpu_mhz;
    char version[64];                   /* "4.17.7": after "Xen " */
};

/* Table-wide choices (options -f, -r, -v, -n, -x and the keys). */
struct mt_view {
    bool full_name, repeat_header, vcpus, nets, vbds;
    enum mt_col sort;
};

const char *mt_col_title(enum mt_col c);
/* The xentop state letters "dsbcpr", '-' where unset; out gets 7 bytes. */
void mt_state(uint32_t flags, char out[7]);
/* One cell, right-aligned to its column's width (wider if it must be). */
void mt_cell(const struct mt_dom *d, const struct mt_host *h, enum mt_col c, bool full_name,
             char *out, size_t len);
void mt_head_cell(enum mt_col c, char *out, size_t len);
/* The whole header line, or a whole row: the cells joined by one space. */
void mt_header(char *out, size_t len);
void mt_row(const struct mt_dom *d, const struct mt_host *h, bool full_name, char *out,
            size_t len);
/* "VCPUs(sec):   0:         22s ..." (online vCPUs only). */
void mt_vcpu_line(const struct mt_dom *d, char *out, size_t len);
void mt_vif_line(const struct mt_vif *v, unsigned int i, char *out, size_t len);
void mt_vbd_line(const struct mt_vbd *b, char *out, size_t len);
uint64_t mt_net_kb(const struct mt_dom *d, bool tx);
uint64_t mt_vbd_sum(const struct mt_dom *d, enum mt_col c);

/* "2 domains: 1 running, 1 blocked, ..." and "Mem: ...k total, ..." */
void mt_summary_states(struct mt_dom *const *d, size_t n, char *out, size_t len);
void mt_summary_mem(const struct mt_host *h, char *out, size_t len);

/* xentop's orders: NAME ascending, STATE by "dsbcpr", numbers descending. */
void mt_sort(struct mt_dom **d, size_t n, enum mt_col by);

#endif
