/* SPDX-License-Identifier: MIT */
/*
 * include/public/platform.h - HYPERVISOR_platform_op(op): the control
 * domain's view of the machine (wall clock, physical CPUs, firmware data).
 * Layouts and numbers are Xen 4.17's, interface version 0x03000001.
 */
#ifndef MICA_PUBLIC_PLATFORM_H
#define MICA_PUBLIC_PLATFORM_H

#include "xen.h"

#define XENPF_INTERFACE_VERSION     0x03000001

/* The clock read secs.nsecs (Unix time) when system time was system_time. */
#define XENPF_settime32             17
struct xenpf_settime32 {
    uint32_t secs;
    uint32_t nsecs;
    uint64_t system_time;
};
typedef struct xenpf_settime32 xenpf_settime32_t;

#define XENPF_settime64             62
struct xenpf_settime64 {
    uint64_t secs;
    uint32_t nsecs;
    uint32_t mbz;                       /* must be zero */
    uint64_t system_time;
};
typedef struct xenpf_settime64 xenpf_settime64_t;

/* Data the boot firmware gave the hypervisor (BIOS calls, or EFI tables). */
#define XENPF_firmware_info         50
#define XEN_FW_DISK_INFO            1
#define XEN_FW_DISK_MBR_SIGNATURE   2
#define XEN_FW_VBEDDC_INFO          3
#define XEN_FW_EFI_INFO             4
#define  XEN_FW_EFI_VERSION         0
#define  XEN_FW_EFI_CONFIG_TABLE    1
#define  XEN_FW_EFI_VENDOR          2
#define  XEN_FW_EFI_MEM_INFO        3
#define  XEN_FW_EFI_RT_VERSION      4
#define  XEN_FW_EFI_PCI_ROM         5
#define  XEN_FW_EFI_APPLE_PROPERTIES 6
#define XEN_FW_KBD_SHIFT_FLAGS      5
struct xenpf_firmware_info {
    uint32_t type;                      /* XEN_FW_* */
    uint32_t index;
    union {                             /* OUT */
        struct {
            uint8_t device;
            uint8_t version;
            uint16_t interface_support;
            uint16_t legacy_max_cylinder;
            uint8_t legacy_max_head;
            uint8_t legacy_sectors_per_track;
            XEN_GUEST_HANDLE(void) edd_params;
        } disk_info;
        struct {
            uint8_t device;
            uint32_t mbr_signature;
        } disk_mbr_signature;
        struct {
            uint8_t capabilities;
            uint8_t edid_transfer_time;
            XEN_GUEST_HANDLE(void) edid;    /* 128 bytes */
        } vbeddc_info;
        union xenpf_efi_info {          /* XEN_FW_EFI_INFO, by index */
            uint32_t version;           /* 0: system table revision;
                                           4: runtime services revision */
            struct {                    /* 1: EFI_CONFIGURATION_TABLE array */
                uint64_t addr;          /* physical */
                uint32_t nent;
            } cfg;
            struct {                    /* 2: firmware vendor */
                uint32_t revision;
                uint32_t bufsz;         /* IN: bytes at name */
                XEN_GUEST_HANDLE(void) name;    /* UCS-2, up to its NUL */
            } vendor;
            struct {                    /* 3: the descriptor holding addr */
                uint64_t addr;          /* IN */
                uint64_t size;          /* IN, clamped to the descriptor */
                uint64_t attr;
                uint32_t type;
            } mem;
            struct {                    /* 5: a PCI option ROM kept at boot */
                uint16_t segment;       /* IN: segment, bus, devfn, ids */
                uint8_t bus;
                uint8_t devfn;
                uint16_t vendor;
                uint16_t devid;
                uint64_t address;       /* OUT */
                xen_ulong_t size;
            } pci_rom;
            struct {                    /* 6: Apple device properties */
                uint64_t address;
                xen_ulong_t size;
            } apple_properties;
        } efi_info;
        uint8_t kbd_shift_flags;
    } u;
};
typedef struct xenpf_firmware_info xenpf_firmware_info_t;

/* A physical CPU by the hypervisor's number. */
#define XENPF_get_cpuinfo           55
#define XEN_PCPU_FLAGS_ONLINE       1
#define XEN_PCPU_FLAGS_INVALID      2   /* no such CPU */
struct xenpf_pcpuinfo {
    uint32_t xen_cpuid;                 /* IN */
    uint32_t max_present;               /* OUT: highest CPU number present */
    uint32_t flags;                     /* OUT: XEN_PCPU_FLAGS_* */
    uint32_t apic_id;
    uint32_t acpi_id;
};
typedef struct xenpf_pcpuinfo xenpf_pcpuinfo_t;

#define XENPF_get_cpu_version       48
struct xenpf_pcpu_version {
    uint32_t xen_cpuid;                 /* IN */
    uint32_t max_present;               /* OUT */
    char vendor_id[12];                 /* OUT: CPUID leaf 0 EBX, EDX, ECX */
    uint32_t family;
    uint32_t model;
    uint32_t stepping;
};
typedef struct xenpf_pcpu_version xenpf_pcpu_version_t;

/* Others Xen has, all answering -ENOSYS here. */
#define XENPF_add_memtype           31
#define XENPF_del_memtype           32
#define XENPF_read_memtype          33
#define XENPF_microcode_update      35
#define XENPF_platform_quirk        39
#define XENPF_efi_runtime_call      49
#define XENPF_enter_acpi_sleep      51
#define XENPF_change_freq           52
#define XENPF_getidletime           53
#define XENPF_set_processor_pminfo  54
#define XENPF_cpu_online            56
#define XENPF_cpu_offline           57
#define XENPF_cpu_hotadd            58
#define XENPF_mem_hotadd            59
#define XENPF_core_parking          60
#define XENPF_resource_op           61
#define XENPF_get_symbol            63

struct xen_platform_op {
    uint32_t cmd;                       /* XENPF_* */
    uint32_t interface_version;         /* XENPF_INTERFACE_VERSION */
    union {
        xenpf_settime32_t settime32;
        xenpf_settime64_t settime64;
        xenpf_firmware_info_t firmware_info;
        xenpf_pcpuinfo_t pcpu_info;
        xenpf_pcpu_version_t pcpu_version;
        uint8_t pad[128];
    } u;
};
typedef struct xen_platform_op xen_platform_op_t;
_Static_assert(sizeof(struct xen_platform_op) == 136, "xen_platform_op");

#endif
