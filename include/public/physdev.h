/* SPDX-License-Identifier: MIT */
/*
 * include/public/physdev.h - HYPERVISOR_physdev_op(cmd, arg): I/O privilege,
 * physical interrupts and PCI device notifications (mostly dom0).
 */
#ifndef MICA_PUBLIC_PHYSDEV_H
#define MICA_PUBLIC_PHYSDEV_H

#include "xen.h"

/* Signal end-of-interrupt for a physical IRQ. */
#define PHYSDEVOP_eoi                   12
struct physdev_eoi {
    uint32_t irq;
};
typedef struct physdev_eoi physdev_eoi_t;

/* Register a page whose bits say which pirqs need an EOI. */
#define PHYSDEVOP_pirq_eoi_gmfn_v1      17
#define PHYSDEVOP_pirq_eoi_gmfn_v2      28
struct physdev_pirq_eoi_gmfn {
    xen_pfn_t gmfn;
};
typedef struct physdev_pirq_eoi_gmfn physdev_pirq_eoi_gmfn_t;

#define PHYSDEVOP_irq_status_query      5
#define XENIRQSTAT_needs_eoi            (1U << 0)
#define XENIRQSTAT_shared               (1U << 1)
struct physdev_irq_status_query {
    uint32_t irq;
    uint32_t flags;                     /* OUT: XENIRQSTAT_* */
};
typedef struct physdev_irq_status_query physdev_irq_status_query_t;
_Static_assert(sizeof(struct physdev_irq_status_query) == 8, "irq_status");

/* Virtual IOPL: 0 forbids port I/O, 1-3 allow it in guest kernel mode. */
#define PHYSDEVOP_set_iopl              6
struct physdev_set_iopl {
    uint32_t iopl;
};
typedef struct physdev_set_iopl physdev_set_iopl_t;

/* Per-port permission bitmap, as in a TSS (set bit = denied). */
#define PHYSDEVOP_set_iobitmap          7
struct physdev_set_iobitmap {
    XEN_GUEST_HANDLE(uint8) bitmap;
    uint32_t nr_ports;
};
typedef struct physdev_set_iobitmap physdev_set_iobitmap_t;
_Static_assert(sizeof(struct physdev_set_iobitmap) == 16, "set_iobitmap");

/* IO-APIC register access for dom0. */
#define PHYSDEVOP_apic_read             8
#define PHYSDEVOP_apic_write            9
struct physdev_apic {
    uint64_t apic_physbase;
    uint32_t reg;
    uint32_t value;                     /* OUT for read */
};
typedef struct physdev_apic physdev_apic_t;
_Static_assert(sizeof(struct physdev_apic) == 16, "physdev_apic");

#define PHYSDEVOP_alloc_irq_vector      10
#define PHYSDEVOP_free_irq_vector       11
struct physdev_irq {
    uint32_t irq;
    uint32_t vector;                    /* OUT for alloc */
};
typedef struct physdev_irq physdev_irq_t;

#define MAP_PIRQ_TYPE_MSI               0x0
#define MAP_PIRQ_TYPE_GSI               0x1
#define MAP_PIRQ_TYPE_UNKNOWN           0x2
#define MAP_PIRQ_TYPE_MSI_SEG           0x3
#define MAP_PIRQ_TYPE_MULTI_MSI         0x4

#define PHYSDEVOP_map_pirq              13
struct physdev_map_pirq {
    domid_t domid;
    int32_t type;                       /* MAP_PIRQ_TYPE_* */
    int32_t index;                      /* GSI, or MSI vector */
    int32_t pirq;                       /* IN/OUT; -1 = any */
    int32_t bus;                        /* MSI: PCI location, segment << 16 */
    int32_t devfn;
    int32_t entry_nr;                   /* MSI-X entry, or vector count */
    uint64_t table_base;
};
typedef struct physdev_map_pirq physdev_map_pirq_t;
_Static_assert(sizeof(struct physdev_map_pirq) == 40, "map_pirq");

#define PHYSDEVOP_unmap_pirq            14
struct physdev_unmap_pirq {
    domid_t domid;
    int32_t pirq;
};
typedef struct physdev_unmap_pirq physdev_unmap_pirq_t;
_Static_assert(sizeof(struct physdev_unmap_pirq) == 8, "unmap_pirq");

#define PHYSDEVOP_manage_pci_add        15
#define PHYSDEVOP_manage_pci_remove     16
struct physdev_manage_pci {
    uint8_t bus;
    uint8_t devfn;
};
typedef struct physdev_manage_pci physdev_manage_pci_t;

#define PHYSDEVOP_restore_msi           19
struct physdev_restore_msi {
    uint8_t bus;
    uint8_t devfn;
};
typedef struct physdev_restore_msi physdev_restore_msi_t;

#define PHYSDEVOP_manage_pci_add_ext    20
struct physdev_manage_pci_ext {
    uint8_t bus;
    uint8_t devfn;
    uint32_t is_extfn;
    uint32_t is_virtfn;
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;
};
typedef struct physdev_manage_pci_ext physdev_manage_pci_ext_t;
_Static_assert(sizeof(struct physdev_manage_pci_ext) == 16, "manage_pci_ext");

/* Tell the hypervisor a GSI's trigger mode and polarity (from ACPI). */
#define PHYSDEVOP_setup_gsi             21
struct physdev_setup_gsi {
    int32_t gsi;
    uint8_t triggering;                 /* 0 edge, 1 level */
    uint8_t polarity;                   /* 0 high, 1 low */
};
typedef struct physdev_setup_gsi physdev_setup_gsi_t;
_Static_assert(sizeof(struct physdev_setup_gsi) == 8, "setup_gsi");

#define PHYSDEVOP_get_free_pirq         23
struct physdev_get_free_pirq {
    int32_t type;                       /* MAP_PIRQ_TYPE_* */
    uint32_t pirq;                      /* OUT */
};
typedef struct physdev_get_free_pirq physdev_get_free_pirq_t;

#define PHYSDEVOP_pci_mmcfg_reserved    24
#define XEN_PCI_MMCFG_RESERVED          0x1
struct physdev_pci_mmcfg_reserved {
    uint64_t address;
    uint16_t segment;
    uint8_t start_bus;
    uint8_t end_bus;
    uint32_t flags;
};
typedef struct physdev_pci_mmcfg_reserved physdev_pci_mmcfg_reserved_t;
_Static_assert(sizeof(struct physdev_pci_mmcfg_reserved) == 16, "mmcfg");

#define PHYSDEVOP_pci_device_add        25
#define XEN_PCI_DEV_EXTFN               0x1
#define XEN_PCI_DEV_VIRTFN              0x2
#define XEN_PCI_DEV_PXM                 0x4
struct physdev_pci_device_add {
    uint16_t seg;
    uint8_t bus;
    uint8_t devfn;
    uint32_t flags;                     /* XEN_PCI_DEV_* */
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;
    uint32_t optarr[];                  /* e.g. proximity domain */
};
typedef struct physdev_pci_device_add physdev_pci_device_add_t;
_Static_assert(sizeof(struct physdev_pci_device_add) == 12, "pci_device_add");

#define PHYSDEVOP_pci_device_remove     26
#define PHYSDEVOP_restore_msi_ext       27
#define PHYSDEVOP_prepare_msix          30
#define PHYSDEVOP_release_msix          31
struct physdev_pci_device {
    uint16_t seg;
    uint8_t bus;
    uint8_t devfn;
};
typedef struct physdev_pci_device physdev_pci_device_t;
_Static_assert(sizeof(struct physdev_pci_device) == 4, "pci_device");

/* USB debug-port handover around host-controller resets. */
#define PHYSDEVOP_dbgp_op               29
#define PHYSDEVOP_DBGP_RESET_PREPARE    1
#define PHYSDEVOP_DBGP_RESET_DONE       2
#define PHYSDEVOP_DBGP_BUS_UNKNOWN      0
#define PHYSDEVOP_DBGP_BUS_PCI          1
struct physdev_dbgp_op {
    uint8_t op;
    uint8_t bus;
    union {
        struct physdev_pci_device pci;
    } u;
};
typedef struct physdev_dbgp_op physdev_dbgp_op_t;
_Static_assert(sizeof(struct physdev_dbgp_op) == 6, "dbgp_op");

/* Old names still used by some guests. */
#define PHYSDEVOP_IRQ_UNMASK_NOTIFY     4
#define PHYSDEVOP_IRQ_NEEDS_UNMASK_NOTIFY XENIRQSTAT_needs_eoi
#define PHYSDEVOP_IRQ_SHARED            XENIRQSTAT_shared

#endif /* MICA_PUBLIC_PHYSDEV_H */
