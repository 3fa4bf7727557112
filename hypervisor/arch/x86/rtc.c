/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/rtc.c - the CMOS real-time clock: the date read at
 * boot, and the watch for its next second edge, for the wall-clock time
 * guests find in shared_info.
 *
 * The RTC counts whole seconds only, so a single read leaves the wall
 * clock up to a second behind.  Xen spins at boot for the next update;
 * Mica does not hold boot up for that: a 1 ms software timer on CPU 0
 * polls the seconds register until it changes, and the second began
 * between the last poll that saw the old value and the first that saw the
 * new one.
 *
 * dom0 uses the same index/data port pair (its port I/O is emulated, in
 * pv/emulate.c), and an index write of ours between its two accesses
 * would hand it another register: so its accesses come here, and each of
 * its data accesses re-selects the register it chose, under cmos_lock,
 * as Xen does.
 *
 * Locking: cmos_lock (irqsave, a leaf) makes an index write and the data
 * access after it one step, for us and for dom0.
 */
#include <mica/lib.h>
#include <mica/time.h>
#include <mica/timer.h>
#include <asm/io.h>
#include <asm/spinlock.h>

#define CMOS_INDEX  0x70
#define CMOS_DATA   0x71
#define RTC_UIP     0x80        /* register A: update in progress */
#define RTC_BINARY  0x04        /* register B: values are binary, not BCD */
#define RTC_24H     0x02

#define EDGE_POLL_NS    1000000UL       /* poll period: the edge to +-0.5 ms */
#define EDGE_GOOD_NS    2000000UL       /* a bracket this tight ends the watch */
#define EDGE_WATCH_NS   3000000000UL    /* no edge by then: the RTC is not ticking */

static spinlock_t cmos_lock = SPINLOCK_INIT;
static uint8_t guest_index;         /* the register dom0 last selected */

static uint8_t cmos_read(uint8_t reg)
{
    unsigned long flags = spin_lock_irqsave(&cmos_lock);
    uint8_t v;

    outb(CMOS_INDEX, reg);
    v = inb(CMOS_DATA);
    spin_unlock_irqrestore(&cmos_lock, flags);
    return v;
}

bool rtc_guest_io(unsigned int port, unsigned int size, bool out, uint32_t *val)
{
    unsigned long flags;

    if (size != 1 || (port != CMOS_INDEX && port != CMOS_DATA))
        return false;
    flags = spin_lock_irqsave(&cmos_lock);
    if (port == CMOS_INDEX && out) {
        guest_index = *val;
        outb(CMOS_INDEX, guest_index);
    } else if (port == CMOS_INDEX) {
        *val = inb(CMOS_INDEX);
    } else {
        outb(CMOS_INDEX, guest_index);
        if (out)
            outb(CMOS_DATA, *val);
        else
            *val = inb(CMOS_DATA);
    }
    spin_unlock_irqrestore(&cmos_lock, flags);
    return true;
}

static unsigned int bcd(uint8_t v, bool binary)
{
    return binary ? v : (v >> 4) * 10 + (v & 15);
}

/* Days from 1970-01-01 to the given civil date (proleptic Gregorian). */
static uint64_t days_from_civil(unsigned int y, unsigned int m, unsigned int d)
{
    y -= m <= 2;
    uint64_t era = y / 400, yoe = y - era * 400;
    uint64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    uint64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

uint64_t rtc_read_unix_time(void)
{
    unsigned int sec, min, hour, day, mon, year, tries = 0;
    uint8_t b, h;
    bool bin;

    /* Read twice until two reads agree, so no update lands in between. */
    do {
        while ((cmos_read(0x0a) & RTC_UIP) && ++tries < 1000000)
            ;
        sec = cmos_read(0x00);
        min = cmos_read(0x02);
        h = cmos_read(0x04);
        day = cmos_read(0x07);
        mon = cmos_read(0x08);
        year = cmos_read(0x09);
    } while (sec != cmos_read(0x00) && ++tries < 1000000);

    b = cmos_read(0x0b);
    bin = b & RTC_BINARY;
    sec = bcd(sec, bin);
    min = bcd(min, bin);
    hour = bcd(h & 0x7f, bin);
    if (!(b & RTC_24H) && (h & 0x80))
        hour = (hour % 12) + 12;            /* PM in 12-hour mode */
    day = bcd(day, bin);
    mon = bcd(mon, bin);
    year = bcd(year, bin) + 2000;           /* no century register: 2000-2099 */
    if (mon < 1 || mon > 12 || day < 1 || day > 31) {
        printk(KERN_WARN "RTC: implausible date, wall clock set to the epoch\n");
        return 0;
    }
    return days_from_civil(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec;
}

/* The raw seconds register, or -1 while an update is (about to be) under way. */
static int rtc_seconds_raw(void)
{
    if (cmos_read(0x0a) & RTC_UIP)
        return -1;
    /* UIP clear: no update starts for another 244 us. */
    return cmos_read(0x00);
}

static struct timer edge_timer;
static int edge_old_sec = -1;       /* seconds register at the last good poll */
static uint64_t edge_old_at;        /* and the system time of that poll */
static uint64_t edge_best = UINT64_MAX;     /* the tightest bracket taken */
static uint64_t edge_until;         /* the watch ends then (system time) */

/*
 * A late poll (a busy host under emulation) brackets the edge loosely:
 * take it, but keep watching while time allows for a tighter one.
 */
static void edge_poll(void *unused)
{
    int sec = rtc_seconds_raw();
    uint64_t now = now_ns(), gap = now - edge_old_at;

    (void)unused;
    if (sec >= 0 && edge_old_sec >= 0 && sec != edge_old_sec && gap < edge_best) {
        edge_best = gap;
        /* Just after an update: the full read below meets no UIP wait. */
        if (!wallclock_rtc_edge(rtc_read_unix_time(), edge_old_at + gap / 2, gap / 2) ||
            gap <= EDGE_GOOD_NS)
            return;
    }
    if (sec >= 0) {
        edge_old_sec = sec;
        edge_old_at = now;
    }
    if (!edge_until)        /* boot may run long with interrupts off: count from here */
        edge_until = now + EDGE_WATCH_NS;
    if (now > edge_until) {
        if (edge_best == UINT64_MAX)
            printk(KERN_WARN "RTC: no second edge seen, wall clock left to the second\n");
        return;
    }
    set_timer(&edge_timer, now + EDGE_POLL_NS);
}

void rtc_watch_edge(void)
{
    init_timer(&edge_timer, edge_poll, NULL, 0);
    set_timer(&edge_timer, now_ns() + EDGE_POLL_NS);
}
