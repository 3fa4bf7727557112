/* SPDX-License-Identifier: MIT */
/*
 * mica/grant-pte.h - the memory manager's half of the grant table
 * (mm/grant-pte.c), which common/grant-*.c call and the unit tests supply
 * their own of: grant frames, frame contents, and the PTEs of host
 * mappings.  It keeps mm/ from reaching into common/'s private state.
 */
#ifndef MICA_GRANT_PTE_H
#define MICA_GRANT_PTE_H

#include <mica/types.h>

struct domain;

void *gnttab_alloc_frame(struct domain *d, mfn_t *mfn);
void gnttab_free_frame(void *va, mfn_t mfn);
void *gnttab_frame_va(mfn_t mfn);
/* Install a grant PTE: 0 and the PTE's machine address, or a GNTST_*. */
int create_grant_pte_mapping(struct domain *ld, uint64_t addr, uint32_t flags,
                             mfn_t mfn, uint64_t *pte_maddr);
/* Remove it (or replace it by the PTE stolen from new_addr): 0 or GNTST_*. */
int destroy_grant_pte_mapping(struct domain *ld, uint64_t addr, uint32_t flags,
                              mfn_t mfn, uint64_t new_addr);
/* Remove a PTE found through maptrack if it still maps mfn (teardown). */
void revoke_grant_pte(struct domain *ld, uint64_t pte_maddr, mfn_t mfn);

#endif
