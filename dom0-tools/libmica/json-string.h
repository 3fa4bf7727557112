/* SPDX-License-Identifier: MIT */
/*
 * json-string.h - a C string written as a JSON string, for every dom0
 * tool that prints JSON (mica's `list -l` and `create -n`, micatop's JSON
 * lines).  Names and paths come from configs and xenstore, which a user or
 * a guest's side of the toolstack can fill with anything, so every byte
 * JSON reserves is escaped.  Header-only: it is one small function, and
 * the tools' pure files are also built into host unit tests without
 * libmica's archive.
 */
#ifndef LIBMICA_JSON_STRING_H
#define LIBMICA_JSON_STRING_H

#include <stdio.h>

static inline void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\t' || c == '\n' || c == '\r')
            fprintf(f, "\\%c", c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

#endif
