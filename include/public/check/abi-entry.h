/* SPDX-License-Identifier: MIT */
/*
 * include/public/check/abi-entry.h - the record both ABI tables are made
 * of: a group, what was measured, and the number.
 */
#ifndef MICA_ABI_ENTRY_H
#define MICA_ABI_ENTRY_H

#include <stddef.h>
#include <stdint.h>

struct abi_entry {
    const char *group;
    const char *what;
    int64_t value;
};

#define ABI_TABLE_LEN_(t)   t##_len
#define ABI_TABLE_LEN(t)    ABI_TABLE_LEN_(t)

extern const struct abi_entry abi_ours[], abi_xen[];
extern const size_t abi_ours_len, abi_xen_len;

#endif /* MICA_ABI_ENTRY_H */
