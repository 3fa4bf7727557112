/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/lib/printk.c - formatted output to the hypervisor console
 * through HYPERVISOR_console_io(CONSOLEIO_write); the formatting is lib/'s
 * vsnprintf, the hypervisor's own.
 */
#include <lib.h>
#include <hypercall.h>

void console_write(const char *s, size_t len)
{
    /* Never through hypercall_via_syscall's switch: output must keep
     * working while a test plays with hypercall paths. */
    while (len) {
        unsigned int chunk = len > 1024 ? 1024 : (unsigned int)len;
        long rc = hc_page(__HYPERVISOR_console_io, CONSOLEIO_write, chunk,
                          (uint64_t)(uintptr_t)s, 0, 0);

        if (rc < 0)
            return;
        s += chunk;
        len -= chunk;
    }
}

int printk(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    console_write(buf, strnlen(buf, sizeof(buf)));
    return n;
}
