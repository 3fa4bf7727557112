/* SPDX-License-Identifier: MIT */
/*
 * asm/config.h - the hypervisor's virtual memory layout.  Usable from
 * assembly and C.
 *
 * PML4 slots 256-271 (0xffff800000000000-0xffff87ffffffffff) belong to
 * the hypervisor in every address space, guests' included:
 *
 *   slot 256      read-only machine-to-phys table (MACH2PHYS_VIRT_START),
 *                 readable by PV guests
 *   slot 260      per-domain mappings (GDT/LDT frames of its vCPUs)
 *   slots 257-259, 261 reserved
 *   slots 262-271 direct map of all RAM, 5 TiB; the hypervisor image is
 *                 linked inside it, at DIRECTMAP_VIRT_START + its load
 *                 address, so one offset converts any hypervisor address
 *                 to a machine address.
 */
#ifndef ASM_CONFIG_H
#define ASM_CONFIG_H

#ifdef __ASSEMBLY__
#define _AC(x, s) x
#else
#define _AC(x, s) x##s
#endif

/* HYPERVISOR_VIRT_START/END and MACH2PHYS_VIRT_* are the public ABI's. */
#include <public/arch-x86/xen.h>

#define HYPERVISOR_PML4_FIRST   256
#define HYPERVISOR_PML4_LAST    271

#define PERDOMAIN_PML4_SLOT     260
#define PERDOMAIN_VIRT_START    _AC(0xffff820000000000, UL)
/* Per vCPU: 64 KiB of GDT (16 pages) then 64 KiB of LDT. */
#define GDT_VIRT(vcpu_id)       (PERDOMAIN_VIRT_START + (uint64_t)(vcpu_id) * 0x20000)
#define LDT_VIRT(vcpu_id)       (GDT_VIRT(vcpu_id) + 0x10000)

#define DIRECTMAP_VIRT_START    _AC(0xffff830000000000, UL)
#define DIRECTMAP_VIRT_END      _AC(0xffff880000000000, UL)
#define DIRECTMAP_PML4_FIRST    262

/* Physical load address of the image: 2 MiB, so large pages map it. */
#define MICA_LOAD_PADDR         _AC(0x200000, UL)

#define STACK_ORDER             2           /* 16 KiB per-CPU stacks */
#define STACK_SIZE              (4096 << STACK_ORDER)
#define IST_STACK_SIZE          4096

#ifndef __ASSEMBLY__
#include <mica/types.h>

static inline paddr_t __pa(const volatile void *va)
{
    return (unsigned long)va - DIRECTMAP_VIRT_START;
}

static inline void *__va(paddr_t pa)
{
    return (void *)(pa + DIRECTMAP_VIRT_START);
}
#endif

#endif
