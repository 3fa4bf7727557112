/* SPDX-License-Identifier: MIT */
/*
 * lib/vsnprintf.c - formatted output into a bounded buffer: the one printf
 * core of the programs without a C library, the hypervisor and the test
 * kernel (libmica has glibc's).  Each wraps it in its own printk.
 *
 * Pure code (no hardware, no globals), so tests/unit runs it on the host.
 * Supports %d %i %u %x %X %o %p %s %c %%, with flags '-' '0' '+' ' ' '#', a
 * width and a precision (either may be '*'), and the length modifiers hh h
 * l ll z t.  Like C's vsnprintf it always NUL-terminates (when size > 0)
 * and returns the length the full output would have had.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pvboot/format.h>

#define F_LEFT   0x01
#define F_ZERO   0x02
#define F_PLUS   0x04
#define F_SPACE  0x08
#define F_ALT    0x10
#define F_UPPER  0x20

struct out {
    char *buf;
    size_t size;
    size_t len;     /* characters produced so far, stored or not */
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

static void put_string(struct out *o, const char *s, int width, int prec,
                       unsigned int flags)
{
    int len = 0;

    if (!s)
        s = "(null)";
    while (s[len] && (prec < 0 || len < prec))
        len++;
    if (!(flags & F_LEFT))
        pad(o, ' ', width - len);
    for (int i = 0; i < len; i++)
        put(o, s[i]);
    if (flags & F_LEFT)
        pad(o, ' ', width - len);
}

static void put_number(struct out *o, uint64_t v, bool negative,
                       unsigned int base, int width, int prec,
                       unsigned int flags)
{
    const char *digits = (flags & F_UPPER) ? "0123456789ABCDEF"
                                           : "0123456789abcdef";
    char tmp[24];
    const char *prefix = "";
    int n = 0, ndigits, plen, zeros;

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    if (prec == 0 && n == 1 && tmp[0] == '0')
        n = 0;                  /* "%.0d" of zero prints nothing, as in C */

    if (negative)
        prefix = "-";
    else if (flags & F_PLUS)
        prefix = "+";
    else if (flags & F_SPACE)
        prefix = " ";
    else if ((flags & F_ALT) && base == 16)
        prefix = (flags & F_UPPER) ? "0X" : "0x";
    else if ((flags & F_ALT) && base == 8 && (n == 0 || tmp[n - 1] != '0'))
        prefix = "0";
    plen = (int)__builtin_strlen(prefix);
    ndigits = n;

    zeros = prec > n ? prec - n : 0;
    if ((flags & F_ZERO) && !(flags & F_LEFT) && prec < 0 &&
        width > plen + n)
        zeros = width - plen - n;

    if (!(flags & F_LEFT))
        pad(o, ' ', width - plen - zeros - n);
    for (int i = 0; i < plen; i++)
        put(o, prefix[i]);
    pad(o, '0', zeros);
    while (n)
        put(o, tmp[--n]);
    if (flags & F_LEFT)
        pad(o, ' ', width - plen - zeros - ndigits);
}

/* Parse a decimal field width or precision; '*' takes it from the args. */
static int parse_num(const char **fmt, va_list *ap)
{
    int v = 0;

    if (**fmt == '*') {
        (*fmt)++;
        return va_arg(*ap, int);
    }
    while (**fmt >= '0' && **fmt <= '9')
        v = v * 10 + (*(*fmt)++ - '0');
    return v;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
    struct out o = { buf, size, 0 };
    va_list ap;

    va_copy(ap, args);
    for (; *fmt; fmt++) {
        unsigned int flags = 0, base = 10;
        int width = 0, prec = -1, lng = 0;
        bool is_signed = false;
        uint64_t v;

        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        for (;;) {
            char c = *++fmt;
            if (c == '-') flags |= F_LEFT;
            else if (c == '0') flags |= F_ZERO;
            else if (c == '+') flags |= F_PLUS;
            else if (c == ' ') flags |= F_SPACE;
            else if (c == '#') flags |= F_ALT;
            else break;
        }
        width = parse_num(&fmt, &ap);
        if (width < 0) {
            flags |= F_LEFT;
            width = -width;
        }
        if (*fmt == '.') {
            fmt++;
            prec = parse_num(&fmt, &ap);
        }
        /* lng: -2 hh, -1 h, 0 int, 1 long, 2 long long (also z, t). */
        for (;; fmt++) {
            if (*fmt == 'h') lng--;
            else if (*fmt == 'l') lng++;
            else if (*fmt == 'z' || *fmt == 't') lng = 1;
            else break;
        }

        switch (*fmt) {
        case 'd': case 'i':
            is_signed = true;
            break;
        case 'u':
            break;
        case 'X':
            flags |= F_UPPER;
            /* fall through */
        case 'x':
            base = 16;
            break;
        case 'o':
            base = 8;
            break;
        case 'p':
            /* Pointers print at full width, which keeps dumps aligned. */
            put_number(&o, (uintptr_t)va_arg(ap, void *), false, 16,
                       width ? width : 18, 16, flags | F_ALT);
            continue;
        case 'c':
            if (!(flags & F_LEFT))
                pad(&o, ' ', width - 1);
            put(&o, (char)va_arg(ap, int));
            if (flags & F_LEFT)
                pad(&o, ' ', width - 1);
            continue;
        case 's':
            put_string(&o, va_arg(ap, const char *), width, prec, flags);
            continue;
        case '%':
            put(&o, '%');
            continue;
        default:
            /* Unknown conversion: print it literally so the bug is visible. */
            put(&o, '%');
            if (!*fmt)
                goto done;
            put(&o, *fmt);
            continue;
        }

        if (is_signed) {
            int64_t s;
            if (lng >= 1)
                s = lng >= 2 ? va_arg(ap, long long) : va_arg(ap, long);
            else
                s = va_arg(ap, int);
            if (lng == -1) s = (short)s;
            if (lng <= -2) s = (signed char)s;
            v = s < 0 ? -(uint64_t)s : (uint64_t)s;
            put_number(&o, v, s < 0, base, width, prec, flags);
        } else {
            if (lng >= 1)
                v = lng >= 2 ? va_arg(ap, unsigned long long)
                             : va_arg(ap, unsigned long);
            else
                v = va_arg(ap, unsigned int);
            if (lng == -1) v = (unsigned short)v;
            if (lng <= -2) v = (unsigned char)v;
            put_number(&o, v, false, base, width, prec, flags);
        }
    }
done:
    va_end(ap);
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return o.len > INT32_MAX ? INT32_MAX : (int)o.len;
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
