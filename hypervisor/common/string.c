/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/string.c - memory and string primitives.  The compiler
 * also emits calls to memcpy/memset on its own, so these must exist even
 * where no code names them.
 *
 * memcpy and memset move quadwords with one rep instruction and the tail
 * bytes with another: page copies and scrubs (grant copy, domain build)
 * are most of their work, and not every CPU makes rep movsb fast.
 */
#include <string.h>
#include <mica/types.h>

void *memcpy(void *dst, const void *src, size_t n)
{
    void *ret = dst;
    size_t quads = n / 8;

    asm volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(quads) :: "memory");
    n %= 8;
    asm volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) :: "memory");
    return ret;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (d <= s || d >= s + n)
        return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    void *ret = dst;
    uint64_t pattern = 0x0101010101010101ULL * (uint8_t)c;
    size_t quads = n / 8;

    asm volatile("rep stosq" : "+D"(dst), "+c"(quads) : "a"(pattern) : "memory");
    n %= 8;
    asm volatile("rep stosb" : "+D"(dst), "+c"(n) : "a"(pattern) : "memory");
    return ret;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;

    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p - *q;
    return 0;
}

size_t strlen(const char *s)
{
    const char *p = s;

    while (*p)
        p++;
    return p - s;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            break;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

char *strncpy(char *dst, const char *src, size_t n)
{
    size_t i = 0;

    for (; i < n && src[i]; i++)
        dst[i] = src[i];
    for (; i < n; i++)
        dst[i] = '\0';
    return dst;
}

void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;

    for (; n; n--, p++)
        if (*p == (unsigned char)c)
            return (void *)p;
    return NULL;
}
