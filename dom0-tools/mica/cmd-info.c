/* SPDX-License-Identifier: MIT */
/*
 * cmd-info.c - `mica info` (xl's "key : value" lines, xl-reference §4)
 * and `mica dmesg [-c]` (the hypervisor's console ring, as it is).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <libmica.h>
#include <public/version.h>

#include "cmds.h"
#include "format.h"

/* HYPERVISOR_xen_version(cmd, buf): the string answers, "" when refused. */
static long xenver(struct mica *hv, unsigned int cmd, char *out, size_t len)
{
    void *buf = len ? mica_buf_alloc(hv, len) : NULL;
    long rc;

    if (len && !buf) {
        out[0] = 0;
        return -ENOMEM;
    }
    if (buf)
        memset(buf, 0, len);
    rc = mica_hypercall(hv, __HYPERVISOR_xen_version, cmd, (uint64_t)(uintptr_t)buf, 0, 0, 0);
    if (buf) {
        memcpy(out, buf, len);
        out[len - 1] = 0;
        if (rc < 0)
            out[0] = 0;
        mica_buf_free(hv, buf, len);
    }
    return rc;
}

static void host_lines(struct mica *hv, const struct xen_sysctl_physinfo *pi)
{
    static const char *const caps[] = { "hvm", "pv", "directio", "hap", "shadow",
                                        "iommu_hap_pt_share", "vmtrace", "vpmu",
                                        "gnttab-v1", "gnttab-v2" };
    char buf[256] = "";
    unsigned int i;

    fmt_info(stdout, "nr_cpus", "%u", pi->nr_cpus);
    fmt_info(stdout, "max_cpu_id", "%u", pi->max_cpu_id);
    fmt_info(stdout, "nr_nodes", "%u", pi->nr_nodes);
    fmt_info(stdout, "cores_per_socket", "%u", pi->cores_per_socket);
    fmt_info(stdout, "threads_per_core", "%u", pi->threads_per_core);
    fmt_info(stdout, "cpu_mhz", "%u.%03u", pi->cpu_khz / 1000, pi->cpu_khz % 1000);
    fmt_info(stdout, "hw_caps", "%08x:%08x:%08x:%08x:%08x:%08x:%08x:%08x", pi->hw_cap[0],
             pi->hw_cap[1], pi->hw_cap[2], pi->hw_cap[3], pi->hw_cap[4], pi->hw_cap[5],
             pi->hw_cap[6], pi->hw_cap[7]);
    /* xl's order: pv hvm hap shadow ... gnttab-v1 gnttab-v2 */
    for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        unsigned int bit = i == 0 ? 1 : i == 1 ? 0 : i;

        if (pi->capabilities & (1u << bit))
            snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
                     buf[0] ? " " : "", caps[bit]);
    }
    fmt_info(stdout, "virt_caps", "%s", buf);
    fmt_info(stdout, "total_memory", "%llu", (unsigned long long)pi->total_pages / 256);
    fmt_info(stdout, "free_memory", "%llu", (unsigned long long)pi->free_pages / 256);
    fmt_info(stdout, "sharing_freed_memory", "0");
    fmt_info(stdout, "sharing_used_memory", "0");
    fmt_info(stdout, "outstanding_claims", "%llu", (unsigned long long)pi->outstanding_pages / 256);
    fmt_info(stdout, "free_cpus", "0");
    (void)hv;
}

static void xen_lines(struct mica *hv)
{
    static char big[1024];
    struct xen_compile_info ci;
    char extra[16], cs[64];
    long v = xenver(hv, XENVER_version, NULL, 0);
    uint64_t virt_start = 0;

    xenver(hv, XENVER_extraversion, extra, sizeof(extra));
    fmt_info(stdout, "xen_major", "%ld", v >> 16);
    fmt_info(stdout, "xen_minor", "%ld", v & 0xffff);
    fmt_info(stdout, "xen_extra", "%s", extra);
    fmt_info(stdout, "xen_version", "%ld.%ld%s", v >> 16, v & 0xffff, extra);
    xenver(hv, XENVER_capabilities, big, sizeof(big));
    fmt_info(stdout, "xen_caps", "%s", big);
    fmt_info(stdout, "xen_scheduler", "%s", cli_sched_name(hv));
    fmt_info(stdout, "xen_pagesize", "%ld", xenver(hv, XENVER_pagesize, NULL, 0));
    xenver(hv, XENVER_platform_parameters, (char *)&virt_start, sizeof(virt_start));
    fmt_info(stdout, "platform_params", "virt_start=0x%llx", (unsigned long long)virt_start);
    xenver(hv, XENVER_changeset, cs, sizeof(cs));
    fmt_info(stdout, "xen_changeset", "%s", cs);
    xenver(hv, XENVER_commandline, big, sizeof(big));
    fmt_info(stdout, "xen_commandline", "%s", big);
    memset(&ci, 0, sizeof(ci));
    xenver(hv, XENVER_compile_info, (char *)&ci, sizeof(ci));
    ci.compiler[63] = ci.compile_by[15] = ci.compile_domain[31] = ci.compile_date[31] = 0;
    fmt_info(stdout, "cc_compiler", "%s", ci.compiler);
    fmt_info(stdout, "cc_compile_by", "%s", ci.compile_by);
    fmt_info(stdout, "cc_compile_domain", "%s", ci.compile_domain);
    fmt_info(stdout, "cc_compile_date", "%s", ci.compile_date);
}

int cmd_info(struct mica_ctx *c, int argc, char **argv)
{
    struct xen_sysctl_physinfo pi;
    struct utsname u;
    struct mica *hv;

    while (verb_getopt(argc, argv, "", 0) != -1)
        ;
    hv = cli_hv(c);
    if (mica_physinfo(hv, &pi)) {
        fprintf(stderr, "mica: physinfo: %s\n", mica_errmsg(hv));
        return 1;
    }
    uname(&u);
    fmt_info(stdout, "host", "%s", u.nodename);
    fmt_info(stdout, "release", "%s", u.release);
    fmt_info(stdout, "version", "%s", u.version);
    fmt_info(stdout, "machine", "%s", u.machine);
    host_lines(hv, &pi);
    xen_lines(hv);
    fmt_info(stdout, "xend_config_format", "4");
    return 0;
}

int cmd_dmesg(struct mica_ctx *c, int argc, char **argv)
{
    bool clear = false;
    uint32_t index = 0;
    char buf[16384];
    int opt;

    while ((opt = verb_getopt(argc, argv, "c", 0)) != -1)
        clear = true;
    for (;;) {
        size_t len = sizeof(buf);
        int rc = mica_readconsole(cli_hv(c), buf, &len, &index, false);

        if (rc) {
            fprintf(stderr, "mica: dmesg: %s\n", mica_errmsg(cli_hv(c)));
            return 1;
        }
        if (!len)
            break;
        fwrite(buf, 1, len, stdout);
        if (len < sizeof(buf))
            break;
    }
    if (clear) {
        size_t len = 0;

        /* a read of nothing that clears, as xl -c reads then clears */
        len = 1;
        index = 0;
        if (mica_readconsole(cli_hv(c), buf, &len, &index, true)) {
            fprintf(stderr, "mica: dmesg -c: %s\n", mica_errmsg(cli_hv(c)));
            return 1;
        }
    }
    return 0;
}
