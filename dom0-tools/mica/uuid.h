/* SPDX-License-Identifier: MIT */
/*
 * uuid.h - domain handles as xl writes them (8-4-4-4-12 lower-case hex).
 * Pure: generation takes its random bytes from the caller.
 */
#ifndef MICA_UUID_H
#define MICA_UUID_H

#include <stdint.h>

#define UUID_STR_LEN 37             /* with the nul */

/* 0, or -EINVAL unless 's' is exactly 36 characters of 8-4-4-4-12 hex. */
int uuid_parse(const char *s, uint8_t out[16]);
void uuid_format(const uint8_t u[16], char out[UUID_STR_LEN]);
/* A version-4 (random) UUID from 16 random bytes, in place. */
void uuid_make_v4(uint8_t u[16]);

#endif
