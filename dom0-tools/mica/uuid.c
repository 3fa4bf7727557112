/* SPDX-License-Identifier: MIT */
/* uuid.c - parsing, formatting and version-4 marking of domain handles. */
#include <errno.h>
#include <stdio.h>

#include "uuid.h"

static int nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int uuid_parse(const char *s, uint8_t out[16])
{
    unsigned int i, b = 0;
    int hi, lo;

    for (i = 0; i < 36; i++)
        if (!s[i])
            return -EINVAL;
    if (s[36])
        return -EINVAL;
    for (i = 0; i < 36;) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i++] != '-')
                return -EINVAL;
            continue;
        }
        hi = nibble(s[i]);
        lo = nibble(s[i + 1]);
        if (hi < 0 || lo < 0)
            return -EINVAL;
        out[b++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    return 0;
}

void uuid_format(const uint8_t u[16], char out[UUID_STR_LEN])
{
    snprintf(out, UUID_STR_LEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10],
             u[11], u[12], u[13], u[14], u[15]);
}

void uuid_make_v4(uint8_t u[16])
{
    u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);
    u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
}
