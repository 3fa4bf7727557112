/* SPDX-License-Identifier: MIT */
/*
 * include/public/check/abi-vs-xen.c - compare Mica's public headers with
 * Xen's, number by number, and report one line per group:
 *   TEST abi/<group>: PASS | FAIL <first difference> (+N more)
 * Both tables come from the same list (abi-list.h), so entry i of one is
 * entry i of the other.
 */
#include <stdio.h>
#include <string.h>
#include "abi-entry.h"

int main(void)
{
    size_t i = 0, failed = 0;

    if (abi_ours_len != abi_xen_len) {
        printf("TEST abi/tables: FAIL %zu vs %zu entries\n", abi_ours_len,
               abi_xen_len);
        return 1;
    }
    while (i < abi_ours_len) {
        const char *group = abi_ours[i].group;
        size_t bad = 0, first = 0;

        for (; i < abi_ours_len && !strcmp(abi_ours[i].group, group); i++) {
            if (abi_ours[i].value != abi_xen[i].value && !bad++)
                first = i;
        }
        if (!bad) {
            printf("TEST abi/%s: PASS\n", group);
            continue;
        }
        failed++;
        printf("TEST abi/%s: FAIL %s is %lld, Xen has %lld", group,
               abi_ours[first].what, (long long)abi_ours[first].value,
               (long long)abi_xen[first].value);
        if (bad > 1)
            printf(" (+%zu more)", bad - 1);
        printf("\n");
    }
    return failed ? 1 : 0;
}
