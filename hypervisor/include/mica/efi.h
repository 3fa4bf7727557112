/* SPDX-License-Identifier: MIT */
/*
 * mica/efi.h - what an EFI boot left the hypervisor, for the control
 * domain (arch/x86/efi.c).  On a BIOS boot efi_booted() is false and
 * every XEN_FW_EFI_INFO question answers -ENOSYS, as Xen's does.
 */
#ifndef MICA_EFI_H
#define MICA_EFI_H

#include <mica/types.h>
#include <mica/bootinfo.h>

struct xenpf_firmware_info;

/* Read the firmware's tables the loader pointed at, once, at boot. */
void efi_init(const struct boot_info *bi);

bool efi_booted(void);

/*
 * Answer XEN_FW_EFI_INFO index f->index in place: 0 or a negative errno
 * (Xen's: -ENOSYS not an EFI boot, -EOPNOTSUPP no such data, -ESRCH no
 * such descriptor or ROM, -ENODATA no Apple properties, -EINVAL unknown
 * index, -EFAULT the vendor buffer).
 */
int efi_get_info(struct xenpf_firmware_info *f);

#endif
