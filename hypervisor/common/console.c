/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/console.c - printk, log levels and the log ring.
 *
 * Every message goes into the in-memory ring (read back by dom0 tools);
 * messages at or above the current log level also go to each registered
 * output driver.  A message may start with a KERN_* marker choosing its
 * level; without one it is LOG_INFO.
 *
 * Locking: console_lock (irqsave) covers the ring and the drivers' output,
 * so lines from different CPUs never interleave.  It is a leaf lock.
 */
#include <stdarg.h>
#include <mica/lib.h>
#include <mica/console.h>
#include <asm/spinlock.h>

#define RING_SIZE (1UL << CONFIG_LOG_BUF_SHIFT)

static spinlock_t console_lock = SPINLOCK_INIT;
static struct console_driver *drivers;
static int loglevel = LOG_INFO;

static char ring[RING_SIZE];
static uint64_t ring_head;      /* bytes ever written */
static uint64_t ring_tail;      /* oldest byte still readable */

/*
 * A new driver first gets what the ring already holds, so messages printed
 * before any console existed (command-line complaints) are not lost.
 */
void console_register(struct console_driver *drv)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);
    uint64_t i = ring_tail;

    while (i < ring_head) {
        uint64_t off = i & (RING_SIZE - 1);
        size_t n = MIN(ring_head - i, RING_SIZE - off);

        drv->write(&ring[off], n);
        i += n;
    }
    drv->next = drivers;
    drivers = drv;
    spin_unlock_irqrestore(&console_lock, flags);
}

void console_set_loglevel(int level)
{
    loglevel = level;
}

int console_loglevel(void)
{
    return loglevel;
}

void console_force_unlock(void)
{
    spin_force_unlock(&console_lock);
}

static void ring_put(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        ring[(ring_head + i) & (RING_SIZE - 1)] = s[i];
    ring_head += len;
    if (ring_head - ring_tail > RING_SIZE)
        ring_tail = ring_head - RING_SIZE;
}

size_t console_ring_read(uint64_t *index, char *buf, size_t len)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);
    uint64_t i = *index;
    size_t n = 0;

    if (i < ring_tail)
        i = ring_tail;
    while (i < ring_head && n < len)
        buf[n++] = ring[i++ & (RING_SIZE - 1)];
    *index = i;
    spin_unlock_irqrestore(&console_lock, flags);
    return n;
}

uint64_t console_ring_head(void)
{
    return ring_head;
}

void console_ring_clear(void)
{
    unsigned long flags = spin_lock_irqsave(&console_lock);

    ring_tail = ring_head;
    spin_unlock_irqrestore(&console_lock, flags);
}

void vprintk(const char *fmt, va_list ap)
{
    char line[512];
    int level = LOG_INFO, n;
    unsigned long flags;

    if (fmt[0] == '\001' && fmt[1] >= '0' && fmt[1] <= '9') {
        level = fmt[1] - '0';
        fmt += 2;
    }
    n = vsnprintf(line, sizeof(line), fmt, ap);
    if (n >= (int)sizeof(line))
        n = sizeof(line) - 1;

    flags = spin_lock_irqsave(&console_lock);
    ring_put(line, n);
    if (level <= loglevel)
        for (struct console_driver *d = drivers; d; d = d->next)
            d->write(line, n);
    spin_unlock_irqrestore(&console_lock, flags);
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}
