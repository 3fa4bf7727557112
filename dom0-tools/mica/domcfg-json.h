/* SPDX-License-Identifier: MIT */
/* domcfg-json.h - a domcfg as xl's JSON (create -n, list -l). */
#ifndef MICA_DOMCFG_JSON_H
#define MICA_DOMCFG_JSON_H

#include <stdio.h>

#include "domcfg.h"

/* The object, its braces indented by 'ind' spaces, ending in a newline. */
void domcfg_json(FILE *f, const struct domcfg *d, int ind);

#endif
