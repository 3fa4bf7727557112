/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/mm-lib.h - helpers shared by the memory-management
 * tests: spare frames, scratch mappings, pinning and page-table walks.
 *
 * Every mm test starts with mm_begin(), which undoes whatever an earlier
 * test left behind (scratch mappings, pins, a changed base pointer) and
 * returns spare frames that are plain writable pages again to the pool.
 * A test that fails half-way therefore never wedges the ones after it.
 */
#ifndef TESTKERNEL_MM_LIB_H
#define TESTKERNEL_MM_LIB_H

#include <stdint.h>
#include <lib.h>
#include <arch.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>
#include <public/xen.h>
#include <public/memory.h>
#include <public/errno.h>

/* x86-64 page-table entry bits. */
#define PTE_P       0x001UL
#define PTE_RW      0x002UL
#define PTE_US      0x004UL
#define PTE_PWT     0x008UL
#define PTE_PCD     0x010UL
#define PTE_A       0x020UL
#define PTE_D       0x040UL
#define PTE_PSE     0x080UL
#define PTE_G       0x100UL
#define PTE_NX      (1UL << 63)
#define PTE_ADDR    0x000ffffffffff000UL

#define PTE_RO_FLAGS    (PTE_P | PTE_US | PTE_A)
#define PTE_RW_FLAGS    (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D)
/* Flags of an entry in an L2-L4 that points at a lower table. */
#define PDE_FLAGS       (PTE_P | PTE_RW | PTE_US | PTE_A)

#define M2P             ((const volatile uint64_t *)MACH2PHYS_VIRT_START)
#define M2P_INVALID     (~0UL)

/* Guest L4 slots the hypervisor owns (256-271). */
#define L4_XEN_FIRST    256
#define L4_XEN_LAST     271

static inline unsigned int pt_index(uint64_t va, int level)
{
    return (unsigned int)(va >> (12 + 9 * (level - 1))) & 511;
}

static inline uint64_t mfn_to_pte(uint64_t mfn, uint64_t flags)
{
    return (mfn << 12) | flags;
}

/* Scratch VA slots: pages of the kernel image that mm-lib remaps. */
enum {
    MM_SLOT_A, MM_SLOT_B, MM_SLOT_C, MM_SLOT_D,
    MM_SLOT_PEEK,                       /* used by mm_peek()/mm_walk() */
    MM_NR_SLOTS
};

/* Set up on the first call; then clean up after the previous test. */
void mm_begin(void);

/* A zeroed spare frame (not mapped anywhere); its mfn.  Aborts if none. */
uint64_t mm_alloc(void);
/* The pfn of a spare frame handed out by mm_alloc(). */
uint64_t mm_pfn_of(uint64_t mfn);

/* Map mfn at a slot with the given PTE flags; returns the VA or NULL. */
void *mm_map(int slot, uint64_t mfn, uint64_t flags);
/* Map and return the hypercall's result (for tests that expect refusal). */
long mm_map_rc(int slot, uint64_t mfn, uint64_t flags);
void mm_unmap(int slot);
uint64_t mm_slot_va(int slot);
/* Machine address of the L1 entry that maps a slot. */
uint64_t mm_slot_pte_maddr(int slot);
/* Write a whole frame (through a temporary mapping at MM_SLOT_D). */
void mm_fill(uint64_t mfn, const uint64_t ents[512]);
/* Set one 8-byte word of a plain frame. */
void mm_poke(uint64_t mfn, unsigned int idx, uint64_t val);
/* Read one 8-byte word of any frame we may map read-only. */
uint64_t mm_peek(uint64_t mfn, unsigned int idx);

/* mmuext_op with one op; pin/unpin record what is pinned for cleanup. */
long mm_ext(unsigned int cmd, uint64_t arg1, uint64_t arg2);
long mm_pin(int level, uint64_t mfn);
long mm_unpin(uint64_t mfn);
/* NEW_BASEPTR (mm_begin switches back to the boot L4 if it changed). */
long mm_set_base(uint64_t l4_mfn);
/* One MMU_NORMAL_PT_UPDATE (or another command in the low bits). */
long mm_pt_write(uint64_t ptr, uint64_t val);

uint64_t mm_boot_l4(void);              /* mfn of start_info->pt_base */

/* Walk the boot page tables for va; entry[lvl] for levels 4..1. */
struct mm_walk {
    uint64_t table[5];                  /* mfn of the table at each level */
    uint64_t entry[5];
    int level;                          /* lowest level reached (1 = L1) */
};
int mm_walk(uint64_t va, struct mm_walk *w);

/* Return a guest-kernel copy of the boot L4's guest slots (not 256-271). */
void mm_copy_guest_l4(uint64_t ents[512]);

/* A frame the hypervisor owns: the first frame of the M2P table. */
uint64_t mm_xen_frame(void);

/*
 * Running on Mica rather than Xen (XENVER_extraversion says so).  Only for
 * TEST_XEN_DIFFERS tests, to check each side against its own design.
 */
int mm_on_mica(void);

/* A plain frame can still be mapped, written and read: the HV is healthy. */
void mm_check_healthy(void);

/* Descriptor-table hypercalls have no wrapper in hypercall.h. */
static inline long mm_set_gdt(const unsigned long *frames, unsigned int n)
{ return hypercall(__HYPERVISOR_set_gdt, HC_PTR(frames), n, 0, 0, 0); }

static inline long mm_update_descriptor(uint64_t maddr, uint64_t desc)
{ return hypercall(__HYPERVISOR_update_descriptor, maddr, desc, 0, 0, 0); }

/* set_gdt that mm_begin() undoes (back to no guest GDT). */
long mm_set_gdt_tracked(const unsigned long *frames, unsigned int n);

/* Fail the test when a hypercall did not return what Xen returns. */
#define MM_RC(expr, want, what)  CHECK_EQ((long)(expr), (long)(want), what)

#endif /* TESTKERNEL_MM_LIB_H */
