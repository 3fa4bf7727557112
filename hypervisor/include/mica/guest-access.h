/* SPDX-License-Identifier: MIT */
/*
 * mica/guest-access.h - the only way the hypervisor reads or writes memory
 * through a guest's virtual addresses.
 *
 * The range must lie wholly in guest-owned address space (never the
 * hypervisor's PML4 slots, never non-canonical), and a fault during the
 * copy is caught (exception table) and turned into -EFAULT, so no guest
 * pointer can make the hypervisor fault or touch its own memory.
 * Addresses are those of the current vCPU's page tables.
 */
#ifndef MICA_GUEST_ACCESS_H
#define MICA_GUEST_ACCESS_H

#include <mica/types.h>

bool guest_range_ok(uint64_t va, size_t len);

/* Is va a canonical 48-bit address (what segment bases and MSRs accept)? */
static inline bool canonical(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

/* Return 0, or -EFAULT when any byte could not be copied. */
int copy_from_guest(void *dst, uint64_t guest_va, size_t len);
int copy_to_guest(uint64_t guest_va, const void *src, size_t len);

/* Exception-table lookup for the trap handler: fixup address or 0. */
uint64_t search_exception_table(uint64_t rip);

#endif
