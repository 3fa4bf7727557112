/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/version.c - the xen_version hypercall: which ABI this
 * hypervisor speaks and what it offers.
 *
 * Mica reports the Xen interface level it implements (4.17), not its own
 * release number, because guests compare that number against the Xen
 * versions that introduced features.  The extraversion and changeset say
 * that this is Mica and which build.
 */
#include <string.h>
#include <generated/version.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <mica/bootinfo.h>
#include <public/version.h>
#include <public/features.h>
#include <asm/config.h>
#include <mica/params.h>

#define XEN_ABI_MAJOR 4
#define XEN_ABI_MINOR 17

extern const char __build_id_start[], __build_id_end[];
const char *hypervisor_cmdline = "";

static long copy_string(uint64_t arg, const char *s, size_t size)
{
    char buf[1024];

    ASSERT(size <= sizeof(buf));
    memset(buf, 0, size);
    strncpy(buf, s, size - 1);
    return copy_to_guest(arg, buf, size) ? -EFAULT : 0;
}

/* The features a 64-bit PV domain gets, as Xen 4.17 grants them. */
static uint32_t pv_features(const struct domain *d)
{
    uint32_t f = (1U << XENFEAT_mmu_pt_update_preserve_ad) |
                 (1U << XENFEAT_highmem_assist) |
                 (1U << XENFEAT_gnttab_map_avail_bits) |
                 (1U << XENFEAT_memory_op_vnode_supported) |
                 (1U << XENFEAT_direct_mapped);

    if (d->is_privileged)
        f |= 1U << XENFEAT_dom0;
    if (d->vm_assist & (1UL << VMASST_TYPE_pae_extended_cr3))
        f |= 1U << XENFEAT_pae_pgdir_above_4gb;
    return f;
}

/* What unprivileged domains may not learn (answered "<denied>", as Xen). */
static bool denied(const struct domain *d, uint64_t cmd)
{
    return !d->is_privileged &&
           (cmd == XENVER_compile_info || cmd == XENVER_changeset ||
            cmd == XENVER_commandline || cmd == XENVER_build_id);
}

/*
 * The build ID note the linker wrote: a 16-byte note header, the 4-byte
 * name "GNU", then the descriptor (the ID itself).  A NULL argument asks
 * for its size only.
 */
static long build_id(uint64_t arg)
{
    const char *note = __build_id_start;
    uint32_t namesz, descsz, len = 0;

    if (arg) {
        if (copy_from_guest(&len, arg, sizeof(len)))
            return -EFAULT;
        if (!len)
            return -EINVAL;
    }
    if (__build_id_end - note < 16)
        return -ENODATA;
    memcpy(&namesz, note, 4);
    memcpy(&descsz, note + 4, 4);
    if (!arg)
        return descsz;
    if (len < descsz)
        return -ENOBUFS;
    if (copy_to_guest(arg + 4, note + 12 + ROUNDUP(namesz, 4), descsz))
        return -EFAULT;
    return descsz;
}

long do_xen_version(uint64_t cmd, uint64_t arg)
{
    struct domain *d = current->domain;
    const char *deny = "<denied>";

    switch ((int)cmd) {
    case XENVER_version:
        return (XEN_ABI_MAJOR << 16) | XEN_ABI_MINOR;
    case XENVER_extraversion:
        return copy_string(arg, "-mica" MICA_VERSION, XEN_EXTRAVERSION_LEN);
    case XENVER_compile_info: {
        struct xen_compile_info ci;

        memset(&ci, 0, sizeof(ci));
        strncpy(ci.compiler, denied(d, cmd) ? deny : "gcc " __VERSION__,
                sizeof(ci.compiler) - 1);
        strncpy(ci.compile_by, denied(d, cmd) ? deny : "mica", sizeof(ci.compile_by) - 1);
        strncpy(ci.compile_domain, denied(d, cmd) ? deny : "mica",
                sizeof(ci.compile_domain) - 1);
        strncpy(ci.compile_date, denied(d, cmd) ? deny : MICA_GIT_DESCRIBE,
                sizeof(ci.compile_date) - 1);
        return copy_to_guest(arg, &ci, sizeof(ci)) ? -EFAULT : 0;
    }
    case XENVER_capabilities:
        return copy_string(arg, "xen-3.0-x86_64", sizeof(xen_capabilities_info_t));
    case XENVER_changeset:
        return copy_string(arg, denied(d, cmd) ? deny : "mica " MICA_GIT_DESCRIBE,
                           sizeof(xen_changeset_info_t));
    case XENVER_platform_parameters: {
        struct xen_platform_parameters p = { .virt_start = HYPERVISOR_VIRT_START };

        return copy_to_guest(arg, &p, sizeof(p)) ? -EFAULT : 0;
    }
    case XENVER_get_features: {
        struct xen_feature_info fi;

        if (copy_from_guest(&fi, arg, sizeof(fi)))
            return -EFAULT;
        if (fi.submap_idx != 0)
            return -EINVAL;
        fi.submap = pv_features(d);
        return copy_to_guest(arg, &fi, sizeof(fi)) ? -EFAULT : 0;
    }
    case XENVER_pagesize:
        return arg ? -EINVAL : (long)PAGE_SIZE;
    case XENVER_guest_handle: {
        static const uint8_t handle[16];    /* dom0's handle is all zero */

        return copy_to_guest(arg, handle, sizeof(handle)) ? -EFAULT : 0;
    }
    case XENVER_commandline:
        if (denied(d, cmd))
            return copy_to_guest(arg, deny, strlen(deny) + 1) ? -EFAULT : 0;
        return copy_string(arg, hypervisor_cmdline, sizeof(xen_commandline_t));
    case XENVER_build_id:
        return denied(d, cmd) ? -EPERM : build_id(arg);
    default:
        return -ENOSYS;
    }
}
