/* SPDX-License-Identifier: MIT */
/*
 * include/public/check/abi-table.h - one side's table of ABI facts:
 * expands abi-list.h into an array.  Each side defines ABI_TABLE to its own
 * array name before including this, after including its headers.
 */
#include <stddef.h>
#include <stdint.h>
#include "abi-entry.h"

const struct abi_entry ABI_TABLE[] = {
#define S(g, t)     { #g, "sizeof(" #t ")", (int64_t)sizeof(t) },
#define F(g, t, f)  { #g, "offsetof(" #t ", " #f ")", (int64_t)offsetof(t, f) },
#define C(g, n)     { #g, #n, (int64_t)(n) },
#include "abi-list.h"
#undef S
#undef F
#undef C
};
const size_t ABI_TABLE_LEN(ABI_TABLE) = sizeof(ABI_TABLE) / sizeof(ABI_TABLE[0]);
