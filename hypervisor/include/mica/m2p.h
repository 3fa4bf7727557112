/* SPDX-License-Identifier: MIT */
/*
 * mica/m2p.h - the machine-to-phys table: for every machine frame, the
 * guest pfn it backs in its owner (or M2P_INVALID).  Guests read it at
 * MACH2PHYS_VIRT_START; only the hypervisor writes it.
 */
#ifndef MICA_M2P_H
#define MICA_M2P_H

#include <mica/types.h>

#define M2P_INVALID (~0UL)

void m2p_init(void);
void set_gpfn_from_mfn(mfn_t mfn, uint64_t pfn);
uint64_t get_gpfn_from_mfn(mfn_t mfn);
mfn_t m2p_table_mfn(unsigned long index);   /* XENMEM_machphys_mfn_list */

#endif
