/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/console.c - HYPERVISOR_console_io.
 */
#include <lib.h>
#include <hypercall.h>
#include <test.h>
#include <public/errno.h>

/* Not canonical, and inside the hypervisor's own range. */
#define BAD_NONCANON    0x0000800000000000UL
#define BAD_XEN         0xffff830000000000UL

TEST(write, "console/write")
{
    static const char msg[] = "console/write: hello from the test kernel\n";
    long rc = HYPERVISOR_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg);

    /* Xen returns 0, not the byte count, for a successful write. */
    CHECK_EQ(rc, 0, "CONSOLEIO_write");
    rc = HYPERVISOR_console_io(CONSOLEIO_write, 0, msg);
    CHECK_EQ(rc, 0, "zero-length write");
}

TEST(write_bad_pointer, "console/write_bad_pointer")
{
    long rc = HYPERVISOR_console_io(CONSOLEIO_write, 8, (void *)BAD_NONCANON);

    CHECK_EQ(rc, -EFAULT, "write from non-canonical address");
    rc = HYPERVISOR_console_io(CONSOLEIO_write, 8, (void *)BAD_XEN);
    CHECK_EQ(rc, -EFAULT, "write from hypervisor address");
    rc = HYPERVISOR_console_io(CONSOLEIO_write, 8, (void *)0x1000);
    CHECK_EQ(rc, -EFAULT, "write from unmapped guest address");
}

TEST(read, "console/read")
{
    char buf[32];
    long rc;

    /* Nothing is typed on the serial line in the test rigs. */
    rc = HYPERVISOR_console_io(CONSOLEIO_read, sizeof(buf), buf);
    CHECK_EQ(rc, 0, "read with empty input");
    /*
     * The buffer is only touched when there is input, so a bad pointer is
     * not noticed while the input ring is empty: Xen still returns 0.
     */
    rc = HYPERVISOR_console_io(CONSOLEIO_read, sizeof(buf), (void *)BAD_XEN);
    CHECK_EQ(rc, 0, "read into bad pointer, empty input");
    /* Counts that would not fit the non-negative result are refused. */
    rc = HYPERVISOR_console_io(CONSOLEIO_read, 0x80000000u, buf);
    CHECK_EQ(rc, -E2BIG, "read count > INT_MAX");
}

TEST(bad_subop, "console/bad_subop")
{
    char buf[8] = "x";

    CHECK_EQ(HYPERVISOR_console_io(2, 1, buf), -ENOSYS, "sub-op 2");
    CHECK_EQ(HYPERVISOR_console_io(-1, 1, buf), -ENOSYS, "sub-op -1");
}
