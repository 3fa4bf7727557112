/* SPDX-License-Identifier: MIT */
/*
 * format.c - xl's output tables, column for column (xl-reference §3, §4):
 * scripts parse these, so widths, tabs and letters must not drift.
 */
#include <stdarg.h>
#include <stdio.h>

#include <public/domctl.h>

#include "format.h"
#include "uuid.h"

void fmt_state(char out[7], uint32_t flags)
{
    static const char reasons[] = "-rscwS";
    unsigned int why = (flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
    bool down = flags & XEN_DOMINF_shutdown;

    out[0] = flags & XEN_DOMINF_running ? 'r' : '-';
    out[1] = flags & XEN_DOMINF_blocked ? 'b' : '-';
    out[2] = flags & XEN_DOMINF_paused ? 'p' : '-';
    out[3] = down ? 's' : '-';
    out[4] = !down ? '-' : why < sizeof(reasons) - 1 ? reasons[why] : '?';
    out[5] = flags & XEN_DOMINF_dying ? 'd' : '-';
    out[6] = 0;
}

void fmt_list_header(FILE *f, bool verbose)
{
    fprintf(f, "Name                                        ID   Mem VCPUs\tState\tTime(s)%s\n",
            verbose ? "   UUID                            Reason-Code\tSecurity Label" : "");
}

void fmt_list_row(FILE *f, const struct dom_row *r, bool verbose)
{
    char state[7], uuid[UUID_STR_LEN], reason[12] = "-";

    fmt_state(state, r->flags);
    fprintf(f, "%-40s %5u %5lu %5u     %s  %8.1f", r->name ? r->name : "(null)",
            r->domid, (unsigned long)(r->mem_kb / 1024), r->vcpus, state,
            (double)r->cpu_ns / 1e9);
    if (verbose) {
        uuid_format(r->handle, uuid);
        if (r->flags & XEN_DOMINF_shutdown)
            snprintf(reason, sizeof(reason), "%x",
                     (r->flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask);
        fprintf(f, " %s %8s %16s", uuid, reason, "-");
    }
    fputc('\n', f);
}

void fmt_uptime(char *buf, size_t len, uint64_t secs)
{
    uint64_t d = secs / 86400, h = secs / 3600 % 24, m = secs / 60 % 60, s = secs % 60;

    if (d)
        snprintf(buf, len, "%llu day%s, %2llu:%02llu:%02llu", (unsigned long long)d,
                 d == 1 ? "" : "s", (unsigned long long)h, (unsigned long long)m,
                 (unsigned long long)s);
    else
        snprintf(buf, len, "%2llu:%02llu:%02llu", (unsigned long long)h,
                 (unsigned long long)m, (unsigned long long)s);
}

void fmt_uptime_header(FILE *f)
{
    fprintf(f, "%-32s %5s %s\n", "Name", "ID", "Uptime");
}

void fmt_uptime_row(FILE *f, const char *name, uint32_t domid, uint64_t secs)
{
    char up[48];

    fmt_uptime(up, sizeof(up), secs);
    fprintf(f, "%-32s %5u %s\n", name ? name : "(null)", domid, up);
}

void fmt_vcpu_header(FILE *f)
{
    fprintf(f, "%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU", "State",
            "Time(s)", "Affinity (Hard / Soft)");
}

void fmt_vcpu_row(FILE *f, const char *name, uint32_t domid, unsigned int vcpu,
                  int cpu, bool running, bool blocked, uint64_t time_ns,
                  const char *hard, const char *soft)
{
    char c[12] = "-";

    if (cpu >= 0)
        snprintf(c, sizeof(c), "%d", cpu);
    fprintf(f, "%-32s %5u %5u %4s%4c%c%c %9.1f  %s / %s\n", name ? name : "(null)",
            domid, vcpu, c, cpu < 0 ? '-' : running ? 'r' : '-',
            cpu < 0 ? '-' : blocked ? 'b' : '-', cpu < 0 ? 'p' : '-',
            (double)time_ns / 1e9, hard, soft);
}

void fmt_sched_header(FILE *f)
{
    fprintf(f, "%-33s %4s %6s %4s\n", "Name", "ID", "Weight", "Cap");
}

void fmt_sched_row(FILE *f, const char *name, uint32_t domid, unsigned int weight,
                   unsigned int cap)
{
    fprintf(f, "%-33s %4u %6u %4u\n", name ? name : "(null)", domid, weight, cap);
}

void fmt_info(FILE *f, const char *key, const char *fmt, ...)
{
    va_list ap;

    fprintf(f, "%-23s: ", key);
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
}
