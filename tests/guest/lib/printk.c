/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/lib/printk.c - formatted output to the hypervisor console
 * through HYPERVISOR_console_io(CONSOLEIO_write).
 *
 * The formatter knows what the tests print: %s %c %d %i %u %x %p with the
 * l/ll/z length modifiers, '#', '0', '-' and a field width.
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

struct outbuf {
    char *buf;
    size_t size, len;
};

static void put(struct outbuf *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_num(struct outbuf *o, uint64_t v, unsigned int base,
                    int neg, int width, char pad, int alt, int left)
{
    char tmp[24];
    int n = 0, extra = neg + (alt && base == 16 ? 2 : 0);

    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (pad == '0' && !left) {
        if (neg)
            put(o, '-');
        if (alt && base == 16)
            put(o, '0'), put(o, 'x');
        for (; width > n + extra; width--)
            put(o, '0');
    } else {
        for (; !left && width > n + extra; width--)
            put(o, ' ');
        if (neg)
            put(o, '-');
        if (alt && base == 16)
            put(o, '0'), put(o, 'x');
    }
    while (n)
        put(o, tmp[--n]), width--;
    for (width -= extra; left && width > 0; width--)
        put(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct outbuf o = { buf, size, 0 };

    for (; *fmt; fmt++) {
        int lng = 0, width = 0, alt = 0, left = 0;
        char pad = ' ';
        uint64_t u;
        int64_t s;

        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        for (fmt++;; fmt++) {
            if (*fmt == '#')
                alt = 1;
            else if (*fmt == '0')
                pad = '0';
            else if (*fmt == '-')
                left = 1;
            else
                break;
        }
        for (; *fmt >= '0' && *fmt <= '9'; fmt++)
            width = width * 10 + (*fmt - '0');
        for (; *fmt == 'l' || *fmt == 'z'; fmt++)
            lng = 1;
        switch (*fmt) {
        case 'd':
        case 'i':
            s = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
            put_num(&o, s < 0 ? -(uint64_t)s : (uint64_t)s, 10, s < 0,
                    width, pad, 0, left);
            break;
        case 'u':
        case 'x':
            u = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
            put_num(&o, u, *fmt == 'u' ? 10 : 16, 0, width, pad, alt, left);
            break;
        case 'p':
            u = (uint64_t)(uintptr_t)va_arg(ap, void *);
            put_num(&o, u, 16, 0, width, pad, 1, left);
            break;
        case 'c':
            put(&o, (char)va_arg(ap, int));
            break;
        case 's': {
            const char *str = va_arg(ap, const char *);
            int n;

            if (!str)
                str = "(null)";
            n = (int)strlen(str);
            for (; !left && width > n; width--)
                put(&o, ' ');
            while (*str)
                put(&o, *str++);
            for (; left && width > n; width--)
                put(&o, ' ');
            break;
        }
        case '%':
            put(&o, '%');
            break;
        default:
            put(&o, '%');
            if (*fmt)
                put(&o, *fmt);
            else
                fmt--;
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
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
