/* SPDX-License-Identifier: MIT */
/*
 * json.h - a snapshot as one line of JSON (micatop -b --json): the same
 * figures as the table, unrounded where the table rounds, for scripts.
 * Pure: writes to a FILE handed in.
 */
#ifndef MICATOP_JSON_H
#define MICATOP_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "table.h"

/* {"time":T,"host":{...},"domains":[{...},...]} and a newline. */
void mt_json(FILE *f, uint64_t time_s, const struct mt_host *h, struct mt_dom *const *d,
             size_t n);

#endif
