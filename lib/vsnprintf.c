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

/* One conversion's flags, width, precision and length modifier. */
struct spec {
    unsigned int flags;
    int width;
    int prec;                   /* -1: none */
    int lng;                    /* -2 hh, -1 h, 0 int, 1 long, 2 long long (z, t: 1) */
};

/* Read "%[flags][width][.prec][length]" up to the conversion letter. */
static const char *parse_spec(const char *fmt, struct spec *sp, va_list *ap)
{
    *sp = (struct spec){ .prec = -1 };
    for (;; fmt++) {
        if (*fmt == '-') sp->flags |= F_LEFT;
        else if (*fmt == '0') sp->flags |= F_ZERO;
        else if (*fmt == '+') sp->flags |= F_PLUS;
        else if (*fmt == ' ') sp->flags |= F_SPACE;
        else if (*fmt == '#') sp->flags |= F_ALT;
        else break;
    }
    sp->width = parse_num(&fmt, ap);
    if (sp->width < 0) {        /* a negative '*' width means left-aligned */
        sp->flags |= F_LEFT;
        sp->width = -sp->width;
    }
    if (*fmt == '.') {
        fmt++;
        sp->prec = parse_num(&fmt, ap);
    }
    for (;; fmt++) {
        if (*fmt == 'h') sp->lng--;
        else if (*fmt == 'l') sp->lng++;
        else if (*fmt == 'z' || *fmt == 't') sp->lng = 1;
        else break;
    }
    return fmt;
}

/* An integer argument of the spec's length, as its magnitude and sign. */
static uint64_t int_arg(const struct spec *sp, bool is_signed, bool *negative, va_list *ap)
{
    uint64_t v;

    *negative = false;
    if (is_signed) {
        int64_t s;

        if (sp->lng >= 1)
            s = sp->lng >= 2 ? va_arg(*ap, long long) : va_arg(*ap, long);
        else
            s = va_arg(*ap, int);
        if (sp->lng == -1) s = (short)s;
        if (sp->lng <= -2) s = (signed char)s;
        *negative = s < 0;
        return s < 0 ? -(uint64_t)s : (uint64_t)s;
    }
    if (sp->lng >= 1)
        v = sp->lng >= 2 ? va_arg(*ap, unsigned long long) : va_arg(*ap, unsigned long);
    else
        v = va_arg(*ap, unsigned int);
    if (sp->lng == -1) v = (unsigned short)v;
    if (sp->lng <= -2) v = (unsigned char)v;
    return v;
}

/* One conversion; false at a '%' that ends the format. */
static bool convert(struct out *o, char c, struct spec *sp, va_list *ap)
{
    unsigned int base = 10;
    bool negative;
    uint64_t v;

    switch (c) {
    case 'd': case 'i': case 'u':
        break;
    case 'X':
        sp->flags |= F_UPPER;
        /* fall through */
    case 'x':
        base = 16;
        break;
    case 'o':
        base = 8;
        break;
    case 'p':
        /* Pointers print at full width, which keeps dumps aligned. */
        put_number(o, (uintptr_t)va_arg(*ap, void *), false, 16,
                   sp->width ? sp->width : 18, 16, sp->flags | F_ALT);
        return true;
    case 'c':
        if (!(sp->flags & F_LEFT))
            pad(o, ' ', sp->width - 1);
        put(o, (char)va_arg(*ap, int));
        if (sp->flags & F_LEFT)
            pad(o, ' ', sp->width - 1);
        return true;
    case 's':
        put_string(o, va_arg(*ap, const char *), sp->width, sp->prec, sp->flags);
        return true;
    case '%':
        put(o, '%');
        return true;
    default:
        /* Unknown conversion: print it literally so the bug is visible. */
        put(o, '%');
        if (!c)
            return false;
        put(o, c);
        return true;
    }
    v = int_arg(sp, c == 'd' || c == 'i', &negative, ap);
    put_number(o, v, negative, base, sp->width, sp->prec, sp->flags);
    return true;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
    struct out o = { buf, size, 0 };
    struct spec sp;
    va_list ap;

    va_copy(ap, args);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt = parse_spec(fmt + 1, &sp, &ap);
        if (!convert(&o, *fmt, &sp, &ap))
            break;
    }
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
