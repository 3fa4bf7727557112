/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/rtc.c - reads the CMOS real-time clock once at boot,
 * for the wall-clock time guests find in shared_info.
 */
#include <mica/lib.h>
#include <mica/time.h>
#include <asm/io.h>

#define CMOS_INDEX  0x70
#define CMOS_DATA   0x71
#define RTC_UIP     0x80        /* register A: update in progress */
#define RTC_BINARY  0x04        /* register B: values are binary, not BCD */
#define RTC_24H     0x02

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
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
