/* SPDX-License-Identifier: MIT */
/*
 * tail.c - a console log's last lines, sanitised for the terminal
 * (tail.h).  Works backwards from the end so that a huge log costs only
 * the lines shown.
 */
#include "tail.h"

static char safe(unsigned char ch)
{
    if (ch == '\t')
        return ' ';
    return ch < 0x20 || ch >= 0x7f ? '.' : (char)ch;
}

/* Copy buf[start..end) into one output line, CRs dropped. */
static void copy_line(const char *buf, size_t start, size_t end, size_t width, char *dst)
{
    size_t n = 0, i;

    for (i = start; i < end && n < width; i++)
        if (buf[i] != '\r')
            dst[n++] = safe((unsigned char)buf[i]);
    dst[n] = 0;
}

size_t mt_tail(const char *buf, size_t len, size_t nlines, size_t width, char *out)
{
    size_t end = len, start, found = 0, i;
    size_t starts[256], ends[256];

    if (nlines > 256)
        nlines = 256;
    /* A log ending in a newline has no partial line after it. */
    if (end && buf[end - 1] == '\n')
        end--;
    while (len && found < nlines) {
        start = end;
        while (start > 0 && buf[start - 1] != '\n')
            start--;
        starts[found] = start;
        ends[found] = end;
        found++;
        if (start == 0)
            break;
        end = start - 1;
    }
    for (i = 0; i < found; i++)
        copy_line(buf, starts[found - 1 - i], ends[found - 1 - i], width,
                  out + i * (width + 1));
    return found;
}
