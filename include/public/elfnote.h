/* SPDX-License-Identifier: MIT */
/*
 * include/public/elfnote.h - types of the "Xen" ELF notes a PV kernel
 * carries to tell the domain builder how to load and enter it.
 *
 * Only numbers live here, so the file can be included from assembly too.
 */
#ifndef MICA_PUBLIC_ELFNOTE_H
#define MICA_PUBLIC_ELFNOTE_H

#define XEN_ELFNOTE_INFO                 0  /* unused */
#define XEN_ELFNOTE_ENTRY                1  /* virtual entry point */
#define XEN_ELFNOTE_HYPERCALL_PAGE       2  /* page to fill with stubs */
#define XEN_ELFNOTE_VIRT_BASE            3  /* base of the initial mapping */
#define XEN_ELFNOTE_PADDR_OFFSET         4  /* p_paddr bias */
#define XEN_ELFNOTE_XEN_VERSION          5  /* string, "xen-3.0" */
#define XEN_ELFNOTE_GUEST_OS             6  /* string, e.g. "linux" */
#define XEN_ELFNOTE_GUEST_VERSION        7  /* string, informational */
#define XEN_ELFNOTE_LOADER               8  /* string, "generic" */
#define XEN_ELFNOTE_PAE_MODE             9  /* string, "yes" etc. */
#define XEN_ELFNOTE_FEATURES            10  /* string, '|'-separated, '!' = required */
#define XEN_ELFNOTE_BSD_SYMTAB          11  /* string, "yes" to load symbols */
#define XEN_ELFNOTE_HV_START_LOW        12  /* lowest hypervisor hole start */
#define XEN_ELFNOTE_L1_MFN_VALID        13  /* {mask, value} for save/restore */
#define XEN_ELFNOTE_SUSPEND_CANCEL      14  /* kernel copes with cancelled suspend */
#define XEN_ELFNOTE_INIT_P2M            15  /* virtual address for the p2m list */
#define XEN_ELFNOTE_MOD_START_PFN       16  /* mod_start may be a pfn */
#define XEN_ELFNOTE_SUPPORTED_FEATURES  17  /* 32-bit XENFEAT_* bitmap */
#define XEN_ELFNOTE_PHYS32_ENTRY        18  /* PVH entry, ignored for PV */
#define XEN_ELFNOTE_MAX                 XEN_ELFNOTE_PHYS32_ENTRY

/* Notes of the "Xen" name found in core dumps, not in kernels. */
#define XEN_ELFNOTE_DUMPCORE_NONE            0x2000000
#define XEN_ELFNOTE_DUMPCORE_HEADER          0x2000001
#define XEN_ELFNOTE_DUMPCORE_XEN_VERSION     0x2000002
#define XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION  0x2000003

#endif /* MICA_PUBLIC_ELFNOTE_H */
