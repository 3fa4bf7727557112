/* SPDX-License-Identifier: MIT */
/*
 * domcfg.h - a PV domain's configuration as `mica create` acts on it: the
 * xl.cfg keys Mica knows, checked and converted (domcfg.c), with its disks
 * and vifs parsed from xl's spec strings (devspec.c).  Pure: no I/O.
 */
#ifndef MICA_DOMCFG_H
#define MICA_DOMCFG_H

#include <stdbool.h>
#include <stdint.h>

#include "xlcfg.h"

#define DOMCFG_MAX_VCPUS    128
#define DOMCFG_MAX_CPUS     256     /* physical CPUs an affinity may name */
#define DOMCFG_NAME_MAX     64

/* on_poweroff, on_reboot, on_crash, on_watchdog, as xl names them. */
enum domcfg_action {
    ACT_DESTROY, ACT_RESTART, ACT_RENAME_RESTART, ACT_PRESERVE,
};

struct cpumap {
    uint8_t bits[DOMCFG_MAX_CPUS / 8];
    bool all;
};

enum disk_format { DISK_RAW, DISK_QCOW, DISK_QCOW2, DISK_VHD, DISK_QED, DISK_EMPTY };

struct disk_spec {
    char *target;                   /* path; NULL for an empty cdrom */
    enum disk_format format;
    char *vdev;                     /* xvda, hdc, sdb1, d0p1 */
    unsigned int vdev_num;          /* Xen's virtual-device number */
    bool readonly, cdrom;
    char *backend, *backendtype, *script;
};

struct vif_spec {
    uint8_t mac[6];
    bool has_mac;
    char *bridge, *model, *type, *vifname, *script, *ip, *backend, *rate;
    char *gatewaydev;
    int devid;                      /* -1: by position */
    unsigned int mtu;               /* 0: default */
};

struct domcfg {
    char *name;
    uint8_t uuid[16];
    bool has_uuid;
    uint64_t memory_mb, maxmem_mb;
    unsigned int vcpus, maxvcpus;
    /* hard affinity: one map for every vCPU, or one per vCPU (cpus=[...]) */
    struct cpumap *cpus;
    unsigned int ncpus;             /* 0: unpinned, 1: all vCPUs alike */
    unsigned int weight, cap;
    char *kernel, *ramdisk, *cmdline;
    enum domcfg_action on_poweroff, on_reboot, on_crash, on_watchdog;
    struct disk_spec *disks;
    unsigned int ndisks;
    struct vif_spec *vifs;
    unsigned int nvifs;
};

/*
 * Fill 'd' from a parsed file.  0, or -EINVAL with err->msg set
 * ("FILE:LINE: reason") and 'd' left empty (domcfg_free is still safe).
 */
int domcfg_from_xlcfg(struct domcfg *d, const struct xlcfg *cfg,
                      struct xlcfg_err *err);
void domcfg_free(struct domcfg *d);

const char *domcfg_action_name(enum domcfg_action a);
/* "0-3,5,^1" or "all" into a map; 0 or -EINVAL with 'why' set. */
int cpumap_parse(struct cpumap *m, const char *s, const char **why);
/* "all", or the ranges of set bits ("0-3,5"), into buf. */
void cpumap_format(const struct cpumap *m, unsigned int nr_cpus, char *buf,
                   unsigned int len);

/* One spec string into 'out' (freed with disk_spec_free); 0 or -EINVAL + why. */
int disk_spec_parse(struct disk_spec *out, const char *spec, char *why,
                    unsigned int whylen);
void disk_spec_free(struct disk_spec *d);
int vif_spec_parse(struct vif_spec *out, const char *spec, char *why,
                   unsigned int whylen);
void vif_spec_free(struct vif_spec *v);

/* Xen's virtual-device number of "xvda", "hdb3", "sdc", "d0p1"; -EINVAL if none. */
int vdev_to_number(const char *vdev);

#endif
