/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/console.c - HYPERVISOR_console_io.
 */
#include <lib.h>
#include <hypercall.h>
#include <test.h>
#include <public/errno.h>

TEST(console_write, "console/write")
{
    static const char msg[] = "console/write: hello from the test kernel\n";
    long rc = HYPERVISOR_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg);

    /* Xen returns 0, not the byte count, for a successful write. */
    CHECK_EQ(rc, 0, "CONSOLEIO_write");
    rc = HYPERVISOR_console_io(CONSOLEIO_write, 0, msg);
    CHECK_EQ(rc, 0, "zero-length write");
}
