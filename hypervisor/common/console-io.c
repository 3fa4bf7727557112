/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/console-io.c - the console_io hypercall: guest text to
 * the hypervisor console, and console input to dom0.
 *
 * Input typed on the serial line is collected by the timer tick into a
 * small ring that dom0 reads with CONSOLEIO_read.  VIRQ_CONSOLE tells it
 * when: Linux's hvc driver polls only on that event or when it writes.
 * Output is written in chunks so that a huge count from the guest is
 * preempted instead of hogging the CPU.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/console.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/event.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <mica/serial.h>
#include <public/xen.h>

#define CHUNK       128
#define INPUT_SIZE  1024        /* power of two */

static char input[INPUT_SIZE];
static unsigned int input_prod, input_cons;

/* Called from the timer tick: drain the UART into the input ring. */
void console_poll_input(void)
{
    unsigned int before = input_prod;
    int c;

    while (input_prod - input_cons < INPUT_SIZE && (c = serial_getc()) >= 0)
        input[input_prod++ % INPUT_SIZE] = c;   /* when full, the rest waits in the UART */
    if (input_prod != before)
        send_guest_global_virq(hardware_domain, VIRQ_CONSOLE);
}

/*
 * dom0's text goes out as it is; other domains' lines get a "(dN) "
 * prefix, as Xen prints them, so interleaved guests stay readable.
 */
void console_guest_write(struct domain *d, const char *buf, size_t n)
{
    if (d->is_privileged) {
        printk("%.*s", (int)n, buf);
        return;
    }
    while (n) {
        const char *nl = memchr(buf, '\n', n);
        size_t len = nl ? (size_t)(nl - buf) + 1 : n;

        /* One printk a line, so another CPU's line cannot split it. */
        if (!d->console_midline)
            printk("(d%u) %.*s", d->domain_id, (int)len, buf);
        else
            printk("%.*s", (int)len, buf);
        d->console_midline = !nl;
        buf += len;
        n -= len;
    }
}

static long console_write(uint64_t count, uint64_t buffer)
{
    char buf[CHUNK];

    while (count) {
        size_t n = count < CHUNK ? count : CHUNK;

        if (copy_from_guest(buf, buffer, n))
            return -EFAULT;
        console_guest_write(current->domain, buf, n);
        count -= n;
        buffer += n;
        if (count && hypercall_preempt_check())
            return hypercall_create_continuation(__HYPERVISOR_console_io,
                                                 CONSOLEIO_write, count, buffer);
    }
    return 0;
}

static long console_read(uint64_t count, uint64_t buffer)
{
    long done = 0;

    if (!current->domain->is_privileged)
        return -EPERM;
    if (count > INT32_MAX)
        return -E2BIG;              /* would overlap the error range */
    while (done < (long)MIN(count, (uint64_t)INPUT_SIZE) && input_cons != input_prod) {
        char c = input[input_cons % INPUT_SIZE];

        if (copy_to_guest(buffer + done, &c, 1))
            return -EFAULT;
        input_cons++;
        done++;
    }
    return done;
}

/* Xen's ABI declares cmd and count as unsigned int: the upper halves are ignored. */
long do_console_io(uint64_t cmd, uint64_t count, uint64_t buffer)
{
    count = (uint32_t)count;
    switch ((uint32_t)cmd) {
    case CONSOLEIO_write:
        return console_write(count, buffer);
    case CONSOLEIO_read:
        return console_read(count, buffer);
    default:
        return -ENOSYS;
    }
}
