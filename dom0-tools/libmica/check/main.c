/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/check/main.c - libmica-check: libmica tried for real in
 * dom0 (tests/linux/dom0-tests/3x-libmica*.sh run it).
 *
 *   libmica-check basic                  handle, physinfo, domain list,
 *                                        evtchn loop, foreign map
 *   libmica-check testkernel KERNEL      build, run and destroy a domU;
 *                                        a build beyond its max_mem
 *   libmica-check bad FILE               a build that must fail cleanly
 *   libmica-check linux VMLINUZ [INITRD] Debian's kernel as a domU, up to
 *                                        its first console lines
 *   libmica-check freepages              prints "free_pages N dom0_pages M":
 *                                        the hypervisor's free frames and
 *                                        dom0's, exactly (`mica info`
 *                                        rounds to MiB; dom0's balloon
 *                                        moves frames between the two), for
 *                                        the leak checks of the dom0 tests
 *
 * Exit status 0 when every check passed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "check.h"

int report(const char *name, bool ok, const char *fmt, ...)
{
    va_list ap;

    printf("TEST libmica/%s: %s", name, ok ? "PASS" : "FAIL");
    if (!ok || fmt[0]) {
        putchar(' ');
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
    }
    putchar('\n');
    fflush(stdout);
    return ok ? 0 : 1;
}

uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t free_pages(struct mica *m, const char *name)
{
    struct xen_sysctl_physinfo pi;

    if (mica_physinfo(m, &pi)) {
        report(name, false, "%s", mica_errmsg(m));
        return 0;
    }
    return pi.free_pages;
}

bool wait_free_pages(struct mica *m, uint64_t want, unsigned int ms, uint64_t *got)
{
    uint64_t end = now_ms() + ms;
    struct xen_sysctl_physinfo pi;

    do {
        if (mica_physinfo(m, &pi)) {
            printf("wait_free_pages: %s\n", mica_errmsg(m));
            return false;
        }
        *got = pi.free_pages;
        if (pi.free_pages == want)
            return true;
        struct timespec ts = { 0, 20 * 1000000 };
        nanosleep(&ts, NULL);
    } while (now_ms() < end);
    return false;
}

static int usage(void)
{
    fprintf(stderr, "usage: libmica-check basic | testkernel KERNEL | bad FILE | "
            "linux VMLINUZ [INITRD] | freepages\n");
    return 2;
}

static int print_free_pages(struct mica *m)
{
    struct xen_domctl_getdomaininfo info;
    struct xen_sysctl_physinfo pi;

    if (mica_physinfo(m, &pi) || mica_domain_getinfo(m, 0, &info)) {
        fprintf(stderr, "libmica-check: %s\n", mica_errmsg(m));
        return 1;
    }
    printf("free_pages %llu dom0_pages %llu\n", (unsigned long long)pi.free_pages,
           (unsigned long long)info.tot_pages);
    return 0;
}

int main(int argc, char **argv)
{
    struct mica *m;
    int failed;

    if (argc < 2)
        return usage();
    m = mica_open();
    if (report("open", m != NULL, "%s", m ? "" : strerror(errno)))
        return 1;
    if (!strcmp(argv[1], "basic"))
        failed = check_basic(m);
    else if (!strcmp(argv[1], "testkernel") && argc == 3)
        failed = check_build_testkernel(m, argv[2]) + check_build_over_limit(m, argv[2]);
    else if (!strcmp(argv[1], "bad") && argc == 3)
        failed = check_build_bad(m, argv[2]);
    else if (!strcmp(argv[1], "freepages") && argc == 2)
        failed = print_free_pages(m);
    else if (!strcmp(argv[1], "linux") && (argc == 3 || argc == 4))
        failed = check_build_linux(m, argv[2], argc == 4 ? argv[3] : NULL);
    else
        failed = usage();
    mica_close(m);
    return failed ? 1 : 0;
}
