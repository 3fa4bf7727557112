/* SPDX-License-Identifier: MIT */
/*
 * domcfg-json.c - a domain's configuration as the JSON xl prints for
 * `create -n` and `list -l` (libxl's domain_config layout, 4-space
 * indents, defaults left out as libxl leaves them out).
 */
#include <stdio.h>

#include "domcfg-json.h"
#include "json-string.h"
#include "uuid.h"

static void kv_str(FILE *f, int ind, const char *k, const char *v, bool comma)
{
    fprintf(f, "%*s\"%s\": ", ind, "", k);
    json_string(f, v);
    fprintf(f, "%s\n", comma ? "," : "");
}

static void c_info(FILE *f, const struct domcfg *d, int ind)
{
    char u[UUID_STR_LEN];

    fprintf(f, "%*s\"c_info\": {\n", ind, "");
    kv_str(f, ind + 4, "type", "pv", true);
    kv_str(f, ind + 4, "name", d->name, true);
    if (d->has_uuid) {
        uuid_format(d->uuid, u);
        kv_str(f, ind + 4, "uuid", u, true);
    }
    kv_str(f, ind + 4, "run_hotplug_scripts", "True", false);
    fprintf(f, "%*s},\n", ind, "");
}

static void empty_obj(FILE *f, int ind, const char *k, bool comma)
{
    fprintf(f, "%*s\"%s\": {\n\n%*s}%s\n", ind, "", k, ind, "", comma ? "," : "");
}

static void b_info(FILE *f, const struct domcfg *d, int ind)
{
    unsigned int i;
    int in = ind + 4;

    fprintf(f, "%*s\"b_info\": {\n", ind, "");
    fprintf(f, "%*s\"max_vcpus\": %u,\n", in, "", d->maxvcpus);
    fprintf(f, "%*s\"avail_vcpus\": [\n", in, "");
    for (i = 0; i < d->vcpus; i++)
        fprintf(f, "%*s%u%s\n", in + 4, "", i, i + 1 < d->vcpus ? "," : "");
    fprintf(f, "%*s],\n", in, "");
    fprintf(f, "%*s\"max_memkb\": %llu,\n", in, "", (unsigned long long)d->maxmem_mb * 1024);
    fprintf(f, "%*s\"target_memkb\": %llu,\n", in, "", (unsigned long long)d->memory_mb * 1024);
    if (d->weight != 256 || d->cap)
        fprintf(f, "%*s\"sched_params\": {\n%*s\"weight\": %u,\n%*s\"cap\": %u\n%*s},\n",
                in, "", in + 4, "", d->weight, in + 4, "", d->cap, in, "");
    else
        empty_obj(f, in, "sched_params", true);
    kv_str(f, in, "claim_mode", "True", true);
    kv_str(f, in, "kernel", d->kernel, true);
    if (d->cmdline)
        kv_str(f, in, "cmdline", d->cmdline, true);
    if (d->ramdisk)
        kv_str(f, in, "ramdisk", d->ramdisk, true);
    empty_obj(f, in, "type.pv", true);
    empty_obj(f, in, "arch_arm", true);
    empty_obj(f, in, "arch_x86", false);
    fprintf(f, "%*s},\n", ind, "");
}

static const char *const fmt_names[] = {
    [DISK_RAW] = "raw", [DISK_QCOW] = "qcow", [DISK_QCOW2] = "qcow2",
    [DISK_VHD] = "vhd", [DISK_QED] = "qed", [DISK_EMPTY] = "empty",
};

static void disks(FILE *f, const struct domcfg *d, int ind)
{
    fprintf(f, "%*s\"disks\": [\n", ind, "");
    for (unsigned int i = 0; i < d->ndisks; i++) {
        const struct disk_spec *k = &d->disks[i];

        fprintf(f, "%*s{\n", ind + 4, "");
        if (k->target)
            kv_str(f, ind + 8, "pdev_path", k->target, true);
        kv_str(f, ind + 8, "vdev", k->vdev, true);
        kv_str(f, ind + 8, "format", fmt_names[k->format], true);
        if (k->cdrom)
            fprintf(f, "%*s\"is_cdrom\": 1,\n", ind + 8, "");
        fprintf(f, "%*s\"readwrite\": %d\n", ind + 8, "", !k->readonly);
        fprintf(f, "%*s}%s\n", ind + 4, "", i + 1 < d->ndisks ? "," : "");
    }
    fprintf(f, "%*s],\n", ind, "");
}

static void nics(FILE *f, const struct domcfg *d, int ind)
{
    char mac[18];

    fprintf(f, "%*s\"nics\": [\n", ind, "");
    for (unsigned int i = 0; i < d->nvifs; i++) {
        const struct vif_spec *v = &d->vifs[i];

        fprintf(f, "%*s{\n", ind + 4, "");
        fprintf(f, "%*s\"devid\": %d", ind + 8, "", v->devid < 0 ? (int)i : v->devid);
        if (v->has_mac) {
            snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", v->mac[0],
                     v->mac[1], v->mac[2], v->mac[3], v->mac[4], v->mac[5]);
            fprintf(f, ",\n%*s\"mac\": \"%s\"", ind + 8, "", mac);
        }
        if (v->bridge) {
            fprintf(f, ",\n%*s\"bridge\": ", ind + 8, "");
            json_string(f, v->bridge);
        }
        if (v->mtu)
            fprintf(f, ",\n%*s\"mtu\": %u", ind + 8, "", v->mtu);
        fprintf(f, "\n%*s}%s\n", ind + 4, "", i + 1 < d->nvifs ? "," : "");
    }
    fprintf(f, "%*s],\n", ind, "");
}

/* libxl's enum names use '_' */
static const char *json_action(enum domcfg_action a)
{
    static const char *const n[] = {
        [ACT_DESTROY] = "destroy", [ACT_RESTART] = "restart",
        [ACT_RENAME_RESTART] = "rename_restart", [ACT_PRESERVE] = "preserve",
    };
    return n[a];
}

void domcfg_json(FILE *f, const struct domcfg *d, int ind)
{
    fprintf(f, "%*s{\n", ind, "");
    c_info(f, d, ind + 4);
    b_info(f, d, ind + 4);
    if (d->ndisks)
        disks(f, d, ind + 4);
    if (d->nvifs)
        nics(f, d, ind + 4);
    if (d->on_poweroff != ACT_DESTROY)
        kv_str(f, ind + 4, "on_poweroff", json_action(d->on_poweroff), true);
    kv_str(f, ind + 4, "on_reboot", json_action(d->on_reboot), true);
    if (d->on_watchdog != ACT_DESTROY)
        kv_str(f, ind + 4, "on_watchdog", json_action(d->on_watchdog), true);
    if (d->on_crash != ACT_DESTROY)
        kv_str(f, ind + 4, "on_crash", json_action(d->on_crash), true);
    kv_str(f, ind + 4, "on_soft_reset", "soft_reset", false);
    fprintf(f, "%*s}\n", ind, "");
}
